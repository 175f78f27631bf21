"""Fixtures of the subjects tests: a small slice of Jiaxing (the city, two districts, a
town in each), the bureaus, users of every role, parks, and factories that make valid
统一社会信用代码 and 居民身份证号.

    places["city"|"nanhu"|"xiuzhou"|"nanhu_town"|"xiuzhou_town"]
    agencies["city"|"nanhu"|"xiuzhou"]
    make_user(role, agency=..., **kw)        -> User   (password: TEST_PASSWORD)
    users[role]                              -> one user per Role, in 南湖区
    make_enterprise(jurisdiction=..., **kw)  -> Enterprise (valid USCC, no event)
    parks["nanhu"|"xiuzhou"]                 -> ChemicalPark
    make_uscc(serial, division) / make_id_number(serial, area, birth)  (plain functions)
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable
from typing import Any

import pytest
from stdnum.cn import ric as ric_std
from stdnum.cn import uscc as uscc_std

from fazhi.core.models import Agency, Jurisdiction, Role, User
from fazhi.subjects.models import ChemicalPark, Enterprise, RiskLevel, SupervisionCategory

TEST_PASSWORD = "Fz-subjects-test-2024"
STAFF_ROLES = {Role.OFFICER, Role.LEADER, Role.REVIEWER, Role.ADMIN}


def _org_code(serial: int) -> str:
    """A 9-character organisation code (GB 11714) with its own check character."""
    body = f"{serial:08d}"
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    check = 11 - sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11
    return body + {10: "X", 11: "0"}.get(check, str(check))


def make_uscc(serial: int, division: str = "330402") -> str:
    """A valid 统一社会信用代码: 9 (市场监管) 1 (企业) + division + org code + check."""
    head = f"91{division}{_org_code(serial)}"
    return head + uscc_std.calc_check_digit(head)


def make_id_number(serial: int, area: str = "330402",
                   birth: datetime.date = datetime.date(1980, 1, 1)) -> str:
    """A valid 18-digit 居民身份证号 (GB 11643-1999)."""
    head = f"{area}{birth:%Y%m%d}{serial % 1000:03d}"
    # stdnum takes the whole 18 characters and ignores the last one.
    return head + ric_std.calc_check_digit(head + "0")


@pytest.fixture
def places(db) -> dict[str, Jurisdiction]:
    def make(code: str, name: str, level: str, parent: Jurisdiction | None) -> Jurisdiction:
        return Jurisdiction.objects.create(code=code, name=name, level=level, parent=parent)

    city = make("330400", "嘉兴市", "city", None)
    nanhu = make("330402", "南湖区", "county", city)
    xiuzhou = make("330411", "秀洲区", "county", city)
    return {
        "city": city, "nanhu": nanhu, "xiuzhou": xiuzhou,
        "nanhu_town": make("330402001", "解放街道", "town", nanhu),
        "xiuzhou_town": make("330411101", "王江泾镇", "town", xiuzhou),
    }


@pytest.fixture
def agencies(places) -> dict[str, Agency]:
    city = Agency.objects.create(name="嘉兴市应急管理局", kind=Agency.Kind.CITY_BUREAU,
                                 jurisdiction=places["city"], doc_prefix="嘉应急")
    nanhu = Agency.objects.create(name="嘉兴市南湖区应急管理局", kind=Agency.Kind.COUNTY_BUREAU,
                                  jurisdiction=places["nanhu"], doc_prefix="南应急", parent=city)
    xiuzhou = Agency.objects.create(name="嘉兴市秀洲区应急管理局",
                                    kind=Agency.Kind.COUNTY_BUREAU,
                                    jurisdiction=places["xiuzhou"], doc_prefix="秀应急",
                                    parent=city)
    return {"city": city, "nanhu": nanhu, "xiuzhou": xiuzhou}


@pytest.fixture
def parks(places) -> dict[str, ChemicalPark]:
    return {
        "nanhu": ChemicalPark.objects.create(
            name="南湖工业园区化工集聚区", jurisdiction=places["nanhu_town"],
            risk_level=ChemicalPark.RiskLevel.GENERAL),
        "xiuzhou": ChemicalPark.objects.create(
            name="秀洲工业园区化工集聚区", jurisdiction=places["xiuzhou_town"],
            risk_level=ChemicalPark.RiskLevel.LOWER),
    }


@pytest.fixture
def make_enterprise(places) -> Callable[..., Enterprise]:
    serials = itertools.count(1)

    def make(jurisdiction: Jurisdiction | None = None, **kw: Any) -> Enterprise:
        jurisdiction = jurisdiction or places["nanhu"]
        n = next(serials)
        fields: dict[str, Any] = {
            "name": f"嘉兴测试化工有限公司{n}",
            "uscc": make_uscc(n, jurisdiction.code[:6]),
            "address": f"{jurisdiction.name}测试路{n}号",
            "jurisdiction": jurisdiction,
            "industry_code": "C2614",
            "supervision_category": SupervisionCategory.HAZCHEM_PRODUCTION,
            "risk_level": RiskLevel.GENERAL,
        }
        fields.update(kw)
        return Enterprise.objects.create(**fields)

    return make


@pytest.fixture
def make_user(agencies, places, make_enterprise) -> Callable[..., User]:
    """make_user(role, agency=..., **kw): staff default to the 南湖区 bureau, an
    enterprise user gets a fresh 南湖区 enterprise unless `enterprise=` is given, a
    supervisor oversees 南湖区 unless `supervised_jurisdiction=` is given."""
    serials = itertools.count(1)

    def make(role: str, agency: Agency | None = None, **kw: Any) -> User:
        n = next(serials)
        fields: dict[str, Any] = {"username": f"s-{role}{n}", "full_name": f"{Role(role).label}{n}",
                                  "role": role}
        if role in STAFF_ROLES:
            fields["agency"] = agency or agencies["nanhu"]
        if role == Role.ENTERPRISE and "enterprise" not in kw:
            fields["enterprise"] = make_enterprise()
        if role == Role.SUPERVISOR and "supervised_jurisdiction" not in kw:
            fields["supervised_jurisdiction"] = places["nanhu"]
        fields.update(kw)
        return User.objects.create_user(password=TEST_PASSWORD, **fields)

    return make


@pytest.fixture
def users(make_user) -> dict[str, User]:
    """One user per role, all in 南湖区 (the enterprise user's enterprise too)."""
    return {role.value: make_user(role.value) for role in Role}
