"""The world of the API tests (core and subjects): a small Jiaxing world and clients that
carry a bearer token.

Plain functions, not fixtures, so test modules of any app can use them without a
conftest of their own:

    world = build_api_world()       # inside a test or a `db` fixture
    client = token_client(world.users["nanhu_officer"])
    token_for(user) -> str          # through POST /api/v1/auth/token
"""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass, field

from django.test import Client

from fazhi.core.models import Agency, Jurisdiction, Role, User
from fazhi.core.tests.factories import make_id_number, make_uscc
from fazhi.subjects.models import (
    ChemicalPark,
    Enterprise,
    ResponsiblePerson,
    RiskLevel,
    SupervisionCategory,
)

API_PASSWORD = "Api-Test-Pass-2024"

_serials = itertools.count(1)


def valid_uscc(division: str) -> str:
    return make_uscc(next(_serials), division[:6])


def valid_id_number(division: str, birth: str = "19850317") -> str:
    return make_id_number(next(_serials), division[:6],
                          datetime.datetime.strptime(birth, "%Y%m%d").date())


@dataclass
class ApiWorld:
    jurisdictions: dict[str, Jurisdiction] = field(default_factory=dict)
    agencies: dict[str, Agency] = field(default_factory=dict)
    parks: dict[str, ChemicalPark] = field(default_factory=dict)
    enterprises: dict[str, Enterprise] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)

    def enterprise(self, where: str, **kw) -> Enterprise:
        jurisdiction = self.jurisdictions[where]
        n = next(_serials)
        fields = {
            "name": f"嘉兴{jurisdiction.name}测试企业{n}有限公司",
            "uscc": valid_uscc(jurisdiction.code),
            "address": f"{jurisdiction.name}测试路{n}号",
            "jurisdiction": jurisdiction,
            "industry_code": "C2614",
            "supervision_category": SupervisionCategory.INDUSTRY_TRADE,
        }
        fields.update(kw)
        return Enterprise.objects.create(**fields)

    def user(self, username: str, role: str, **kw) -> User:
        return User.objects.create_user(
            username=username, password=API_PASSWORD, role=role,
            full_name=kw.pop("full_name", username), **kw,
        )


def build_api_world() -> ApiWorld:
    """The city, two districts with a town each, their bureaus, a chemical park in each
    district, four enterprises (one per area, one at city level) and users."""
    w = ApiWorld()
    j = w.jurisdictions
    j["province"] = Jurisdiction.objects.create(code="330000", name="浙江省", level="province")
    j["city"] = Jurisdiction.objects.create(code="330400", name="嘉兴市", level="city",
                                            parent=j["province"])
    j["nanhu"] = Jurisdiction.objects.create(code="330402", name="南湖区", level="county",
                                             parent=j["city"])
    j["xiuzhou"] = Jurisdiction.objects.create(code="330411", name="秀洲区", level="county",
                                               parent=j["city"])
    j["nanhu_town"] = Jurisdiction.objects.create(code="330402001", name="解放街道",
                                                  level="town", parent=j["nanhu"])
    j["xiuzhou_town"] = Jurisdiction.objects.create(code="330411101", name="王江泾镇",
                                                    level="town", parent=j["xiuzhou"])

    a = w.agencies
    a["city"] = Agency.objects.create(name="嘉兴市应急管理局", kind=Agency.Kind.CITY_BUREAU,
                                      jurisdiction=j["city"], doc_prefix="嘉应急")
    a["nanhu"] = Agency.objects.create(name="嘉兴市南湖区应急管理局",
                                       kind=Agency.Kind.COUNTY_BUREAU,
                                       jurisdiction=j["nanhu"], doc_prefix="南应急",
                                       parent=a["city"])
    a["xiuzhou"] = Agency.objects.create(name="嘉兴市秀洲区应急管理局",
                                         kind=Agency.Kind.COUNTY_BUREAU,
                                         jurisdiction=j["xiuzhou"], doc_prefix="秀应急",
                                         parent=a["city"])

    w.parks["nanhu"] = ChemicalPark.objects.create(
        name="南湖化工园区", jurisdiction=j["nanhu"], risk_level=ChemicalPark.RiskLevel.HIGHER)
    w.parks["xiuzhou"] = ChemicalPark.objects.create(
        name="秀洲化工园区", jurisdiction=j["xiuzhou"], risk_level=ChemicalPark.RiskLevel.LOWER)

    e = w.enterprises
    e["nanhu"] = w.enterprise(
        "nanhu", name="嘉兴南湖精细化工有限公司",
        supervision_category=SupervisionCategory.HAZCHEM_PRODUCTION,
        risk_level=RiskLevel.MAJOR, park=w.parks["nanhu"],
    )
    e["nanhu_town"] = w.enterprise("nanhu_town", name="嘉兴解放机械制造有限公司",
                                   risk_level=RiskLevel.LOW)
    e["xiuzhou"] = w.enterprise(
        "xiuzhou_town", name="嘉兴王江泾染整有限公司",
        supervision_category=SupervisionCategory.HAZCHEM_USE,
        risk_level=RiskLevel.LARGE, park=w.parks["xiuzhou"],
    )
    e["city"] = w.enterprise("city", name="嘉兴市直属储运有限公司",
                             supervision_category=SupervisionCategory.HAZCHEM_OPERATION,
                             risk_level=RiskLevel.GENERAL)

    ResponsiblePerson.objects.create(
        enterprise=e["nanhu"], kind=ResponsiblePerson.Kind.PRINCIPAL, name="张建国",
        id_number=valid_id_number("330402"), phone="13900000001")
    ResponsiblePerson.objects.create(
        enterprise=e["nanhu"], kind=ResponsiblePerson.Kind.SAFETY_MANAGER, name="李安全",
        id_number=valid_id_number("330411", "19900701"), phone="13900000002")

    u = w.users
    u["city_officer"] = w.user("city_officer", Role.OFFICER, agency=a["city"])
    u["nanhu_officer"] = w.user("nanhu_officer", Role.OFFICER, agency=a["nanhu"])
    u["nanhu_leader"] = w.user("nanhu_leader", Role.LEADER, agency=a["nanhu"])
    u["nanhu_reviewer"] = w.user("nanhu_reviewer", Role.REVIEWER, agency=a["nanhu"])
    u["nanhu_admin"] = w.user("nanhu_admin", Role.ADMIN, agency=a["nanhu"])
    u["xiuzhou_officer"] = w.user("xiuzhou_officer", Role.OFFICER, agency=a["xiuzhou"])
    u["enterprise"] = w.user("nanhu_enterprise", Role.ENTERPRISE, enterprise=e["nanhu"])
    u["supervisor"] = w.user("nanhu_supervisor", Role.SUPERVISOR,
                             supervised_jurisdiction=j["nanhu"])
    return w


def token_for(user: User, client: Client | None = None) -> str:
    """A token issued through the API itself (POST /api/v1/auth/token)."""
    response = (client or Client()).post(
        "/api/v1/auth/token", {"username": user.username, "password": API_PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return response.json()["token"]


def token_client(user: User) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {token_for(user)}")
