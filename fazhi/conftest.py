"""Fixtures shared by every app's tests: a small slice of Jiaxing (the city, two
districts, a town in each), its agencies, parks, users of every role and an enterprise
factory. Plain factories (valid USCC and ID numbers) are in fazhi.core.tests.factories.

    jurisdictions["province"|"city"|"nanhu"|"xiuzhou"|"nanhu_town"|"xiuzhou_town"]
    agencies["city"|"nanhu"|"xiuzhou"|"nanhu_town"]
    parks["nanhu"|"xiuzhou"]              -> ChemicalPark
    make_user(role, agency=..., **kw)     -> User   (password: TEST_PASSWORD)
    make_enterprise(jurisdiction, **kw)   -> Enterprise (valid 统一社会信用代码)
    users[role]                           -> one user per Role, in 南湖区
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest

from fazhi.core.models import Agency, Jurisdiction, Role, User
from fazhi.core.tests.factories import TEST_PASSWORD, make_uscc
from fazhi.subjects.models import ChemicalPark, Enterprise, RiskLevel, SupervisionCategory

_STAFF_ROLES = {Role.OFFICER, Role.LEADER, Role.REVIEWER, Role.ADMIN}


@pytest.fixture
def jurisdictions(db) -> dict[str, Jurisdiction]:
    province = Jurisdiction.objects.create(code="330000", name="浙江省", level="province")
    city = Jurisdiction.objects.create(code="330400", name="嘉兴市", level="city",
                                       parent=province)
    nanhu = Jurisdiction.objects.create(code="330402", name="南湖区", level="county",
                                        parent=city)
    xiuzhou = Jurisdiction.objects.create(code="330411", name="秀洲区", level="county",
                                          parent=city)
    nanhu_town = Jurisdiction.objects.create(code="330402001", name="解放街道", level="town",
                                             parent=nanhu)
    xiuzhou_town = Jurisdiction.objects.create(code="330411101", name="王江泾镇", level="town",
                                               parent=xiuzhou)
    return {
        "province": province, "city": city, "nanhu": nanhu, "xiuzhou": xiuzhou,
        "nanhu_town": nanhu_town, "xiuzhou_town": xiuzhou_town,
    }


@pytest.fixture
def agencies(jurisdictions) -> dict[str, Agency]:
    city = Agency.objects.create(
        name="嘉兴市应急管理局", kind=Agency.Kind.CITY_BUREAU,
        jurisdiction=jurisdictions["city"], doc_prefix="嘉应急",
    )
    nanhu = Agency.objects.create(
        name="嘉兴市南湖区应急管理局", kind=Agency.Kind.COUNTY_BUREAU,
        jurisdiction=jurisdictions["nanhu"], doc_prefix="南应急", parent=city,
    )
    xiuzhou = Agency.objects.create(
        name="嘉兴市秀洲区应急管理局", kind=Agency.Kind.COUNTY_BUREAU,
        jurisdiction=jurisdictions["xiuzhou"], doc_prefix="秀应急", parent=city,
    )
    nanhu_town = Agency.objects.create(
        name="南湖区解放街道应急消防管理站", kind=Agency.Kind.TOWN_STATION,
        jurisdiction=jurisdictions["nanhu_town"], doc_prefix="解放应急", parent=nanhu,
        delegated=True,
    )
    return {"city": city, "nanhu": nanhu, "xiuzhou": xiuzhou, "nanhu_town": nanhu_town}


@pytest.fixture
def parks(jurisdictions) -> dict[str, ChemicalPark]:
    return {
        "nanhu": ChemicalPark.objects.create(
            name="南湖工业园区化工集聚区", jurisdiction=jurisdictions["nanhu_town"],
            risk_level=ChemicalPark.RiskLevel.GENERAL),
        "xiuzhou": ChemicalPark.objects.create(
            name="秀洲工业园区化工集聚区", jurisdiction=jurisdictions["xiuzhou_town"],
            risk_level=ChemicalPark.RiskLevel.LOWER),
    }


@pytest.fixture
def make_enterprise(jurisdictions) -> Callable[..., Enterprise]:
    serials = itertools.count(1)

    def make(jurisdiction: Jurisdiction | None = None, **kw: Any) -> Enterprise:
        jurisdiction = jurisdiction or jurisdictions["nanhu"]
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
def make_user(agencies, jurisdictions, make_enterprise) -> Callable[..., User]:
    """make_user(role, agency=..., **kw). Staff default to the 南湖区 bureau; an
    enterprise user gets a fresh enterprise unless `enterprise=` is given; a supervisor
    oversees 南湖区 unless `supervised_jurisdiction=` is given."""
    serials = itertools.count(1)

    def make(role: str, agency: Agency | None = None, **kw: Any) -> User:
        n = next(serials)
        password = kw.pop("password", TEST_PASSWORD)
        fields: dict[str, Any] = {
            "username": f"{role}{n}",
            "full_name": f"{Role(role).label}{n}",
            "role": role,
        }
        if role in _STAFF_ROLES:
            fields["agency"] = agency or agencies["nanhu"]
        elif agency is not None:
            fields["agency"] = agency
        if role == Role.ENTERPRISE and "enterprise" not in kw:
            fields["enterprise"] = make_enterprise()
        if role == Role.SUPERVISOR and "supervised_jurisdiction" not in kw:
            fields["supervised_jurisdiction"] = jurisdictions["nanhu"]
        fields.update(kw)
        return User.objects.create_user(password=password, **fields)

    return make


@pytest.fixture
def users(make_user) -> dict[str, User]:
    """One user per role, all in 南湖区 (the enterprise user's enterprise too)."""
    return {role.value: make_user(role.value) for role in Role}
