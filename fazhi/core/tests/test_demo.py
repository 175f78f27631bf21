"""The demo city: `load_demo` builds Jiaxing on an empty database (with a small number of
enterprises), deterministically and idempotently; `demo_accounts` gives the six named
accounts a password that is never written in the code."""

from __future__ import annotations

import datetime
import io
import json
import re
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import transaction
from django.test import RequestFactory
from django.utils import timezone
from stdnum.cn import ric
from stdnum.cn import uscc as uscc_std

from fazhi.core.demo import COUNTIES, DEMO_ACCOUNTS, DemoContext, demo_modules
from fazhi.core.models import (
    Agency,
    Department,
    EnforcementCertificate,
    Event,
    Jurisdiction,
    Role,
    User,
)
from fazhi.core.services.events import verify_record
from fazhi.subjects.demo import PARKS, enterprise_specs
from fazhi.subjects.models import (
    ChemicalPark,
    Enterprise,
    ResponsiblePerson,
    SupervisionCategory,
)

pytestmark = pytest.mark.django_db

SMALL = 200
FAZHI_DIR = Path(__file__).resolve().parents[2]


def _load(**options) -> str:
    out = io.StringIO()
    call_command("load_demo", enterprises=SMALL, stdout=out, **options)
    return out.getvalue()


class _Rollback(Exception):
    pass


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker) -> Iterator[str]:
    """The small demo, loaded once for the module and rolled back after it; each test
    still runs in its own (nested) transaction. Tests that need an empty database
    are in test_demo_empty.py."""
    with django_db_blocker.unblock():
        try:
            with transaction.atomic():
                yield _load()
                raise _Rollback
        except _Rollback:
            pass


def _snapshot() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in (
        Jurisdiction, Agency, Department, User, EnforcementCertificate, ChemicalPark,
        Enterprise, ResponsiblePerson, Event)}


def _login(username: str, password: str) -> User | None:
    request = RequestFactory().post("/login/")
    return authenticate(request, username=username, password=password)


# --- the framework -------------------------------------------------------------------------

def test_demo_modules_are_discovered_in_order():
    names = [module.__name__ for module in demo_modules()]
    assert names.index("fazhi.core.demo") < names.index("fazhi.subjects.demo")


def test_random_streams_are_independent_and_seeded():
    ctx, same, other = DemoContext(seed=5), DemoContext(seed=5), DemoContext(seed=6)
    draws = [ctx.random("a").random() for _ in range(2)]
    assert draws[0] == draws[1] == same.random("a").random()
    assert ctx.random("a").random() != ctx.random("b").random()
    assert ctx.random("a").random() != other.random("a").random()


def test_enterprise_generation_is_deterministic_and_prefix_stable():
    towns = {county: [(f"{county}001", "甲街道"), (f"{county}101", "乙镇")]
             for county, *_ in COUNTIES}
    for _, town, *_ in PARKS:  # the parks' host towns must exist
        county = next(c for c, *_, items in COUNTIES if town in {t for t, _ in items})
        towns[county].append((town, "园区所在镇"))
    names = {code: ("某县", name) for items in towns.values() for code, name in items}

    def specs(seed: int, n: int):
        return enterprise_specs(DemoContext(seed=seed).random("subjects.enterprises"), n,
                                towns, names)

    small, big = specs(1, 40), specs(1, 120)
    assert [s.uscc for s in small] == [s.uscc for s in big[:40]]
    assert [s.name for s in small] == [s.name for s in big[:40]]
    assert {s.uscc for s in specs(2, 40)}.isdisjoint({s.uscc for s in small})


# --- what load_demo builds -----------------------------------------------------------------

def test_jurisdiction_tree_of_jiaxing(demo):
    city = Jurisdiction.objects.get(code="330400")
    assert city.name == "嘉兴市" and city.parent.code == "330000"
    counties = {j.code: j for j in city.children.all()}
    assert {"330402", "330411", "330421", "330424", "330481", "330482", "330483"} <= set(counties)
    assert {counties["330471"].level, counties["330472"].level} == {Jurisdiction.Level.ZONE}
    assert counties["330472"].children.get().name == "乍浦镇"
    towns = Jurisdiction.objects.filter(level=Jurisdiction.Level.TOWN).select_related("parent")
    assert towns.count() > 70
    for town in towns:
        assert re.fullmatch(r"\d{9}", town.code)
        assert town.path == f"{town.parent.path}{town.code}/"
        if town.parent.level == Jurisdiction.Level.COUNTY:
            assert town.code[:6] == town.parent.code, town
    nanhu = {t.name for t in counties["330402"].children.all()}
    assert {"建设街道", "解放街道", "南湖街道", "大桥镇", "凤桥镇", "余新镇", "新丰镇"} <= nanhu


def test_agencies_departments_and_delegated_stations(demo):
    city = Agency.objects.get(name="嘉兴市应急管理局")
    assert city.kind == Agency.Kind.CITY_BUREAU and city.doc_prefix == "嘉应急"
    assert {"政策法规处", "危险化学品安全监督管理处", "工贸行业安全监督管理处", "执法支队"} <= set(
        city.departments.values_list("name", flat=True))
    bureaus = Agency.objects.filter(kind=Agency.Kind.COUNTY_BUREAU)
    # one bureau per county-level unit (7 counties and the 2 zones), all under the city
    assert set(bureaus.values_list("jurisdiction__code", flat=True)) == {
        j.code for j in city.jurisdiction.children.all()}
    assert set(bureaus.values_list("parent", flat=True)) == {city.pk}
    assert len(set(Agency.objects.values_list("doc_prefix", flat=True))) == Agency.objects.count()
    stations = Agency.objects.filter(kind=Agency.Kind.TOWN_STATION)
    assert stations.exists() and all(s.delegated for s in stations)
    for station in stations:
        assert station.parent.jurisdiction == station.jurisdiction.parent


def test_the_six_named_users(demo):
    users = {u.username: u for u in User.objects.filter(username__in=DEMO_ACCOUNTS)}
    assert set(users) == set(DEMO_ACCOUNTS)
    assert users["admin"].role == Role.ADMIN
    assert users["admin"].is_staff and users["admin"].is_superuser
    for username, role in [("officer", Role.OFFICER), ("reviewer", Role.REVIEWER),
                           ("leader", Role.LEADER)]:
        assert users[username].role == role
        assert users[username].agency.jurisdiction.code == "330400"
    assert users["nanhu_officer"].role == Role.OFFICER
    assert users["nanhu_officer"].agency.jurisdiction.code == "330402"
    company = users["enterprise"].enterprise
    assert users["enterprise"].role == Role.ENTERPRISE
    assert company.jurisdiction_path.startswith(Jurisdiction.objects.get(code="330402").path)
    # load_demo never sets a password: the accounts cannot log in until demo_accounts
    assert not any(u.has_usable_password() for u in User.objects.all())


def test_officers_hold_valid_certificates_except_the_expired_one(demo):
    today = timezone.localdate()
    officers = User.objects.filter(role=Role.OFFICER)
    assert officers.count() >= 12
    expired = [o for o in officers
               if not any(c.is_valid_on(today) for c in o.certificates.all())]
    assert len(expired) == 1 and expired[0].certificates.exists()
    for number in EnforcementCertificate.objects.values_list("number", flat=True):
        assert re.fullmatch(r"33\d{9}", number)


def test_parks_four_lower_five_general(demo):
    parks = ChemicalPark.objects.all()
    assert parks.count() == 9
    levels = sorted(parks.values_list("risk_level", flat=True))
    assert levels.count(ChemicalPark.RiskLevel.LOWER) == 4
    assert levels.count(ChemicalPark.RiskLevel.GENERAL) == 5


def test_enterprises_are_valid_and_consistent(demo):
    enterprises = list(Enterprise.objects.select_related("jurisdiction", "park"))
    assert len(enterprises) == SMALL
    assert len({e.name for e in enterprises}) == SMALL
    for e in enterprises:
        assert uscc_std.validate(e.uscc) == e.uscc
        assert e.uscc[:2] == "91" and e.uscc[2:8] == e.jurisdiction.code[:6]
        assert e.jurisdiction.level == Jurisdiction.Level.TOWN
        assert e.jurisdiction_path == e.jurisdiction.path
        assert e.jurisdiction.name in e.address
        if e.supervision_category == SupervisionCategory.HAZCHEM_PRODUCTION:
            assert e.industry_code.startswith("C26")
            assert e.park is not None and e.park.jurisdiction == e.jurisdiction
        if e.supervision_category == SupervisionCategory.INDUSTRY_TRADE:
            assert e.industry_code[0] == "C" and 13 <= int(e.industry_code[1:3]) <= 42
    categories = {e.supervision_category for e in enterprises}
    assert SupervisionCategory.HAZCHEM_PRODUCTION in categories
    assert max(categories, key=[e.supervision_category for e in enterprises].count) == (
        SupervisionCategory.INDUSTRY_TRADE)
    risk = [e.risk_level for e in enterprises]
    assert risk.count("major") < risk.count("general") < risk.count("low")


def test_each_enterprise_has_one_principal_with_a_valid_id_number(demo):
    people = ResponsiblePerson.objects.all()
    assert people.filter(kind=ResponsiblePerson.Kind.PRINCIPAL).count() == SMALL
    assert people.filter(kind=ResponsiblePerson.Kind.SAFETY_MANAGER).exists()
    for person in people:
        assert ric.validate(person.id_number) == person.id_number
        assert datetime.date(1960, 1, 1) < ric.get_birth_date(person.id_number)


def test_demo_rows_are_on_the_record(demo):
    created = Event.objects.filter(action="enterprise.created")
    assert set(created.values_list("object_id", flat=True)) == {
        str(pk) for pk in Enterprise.objects.values_list("pk", flat=True)}
    assert Event.objects.filter(action="park.created").count() == 9
    assert not Event.objects.filter(payload__has_key="id_number").exists()
    assert verify_record() == []


def test_second_run_creates_nothing(demo):
    before = _snapshot()
    output = _load()
    assert _snapshot() == before
    assert "未新增" in output


# --- demo_accounts ---------------------------------------------------------------------------

def test_demo_accounts_use_the_environment_password(demo, monkeypatch, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    password = secrets.token_urlsafe(10)
    monkeypatch.setenv("FAZHI_DEMO_PASSWORD", password)
    out = io.StringIO()
    call_command("demo_accounts", stdout=out)
    for username in DEMO_ACCOUNTS:
        assert _login(username, password) == User.objects.get(username=username)
        assert username in out.getvalue()
    assert _login("officer", password + "x") is None
    assert not (tmp_path / "demo_password").exists()
    # only the six named accounts get a password
    assert not User.objects.get(username="city_officer2").has_usable_password()


def test_generated_password_is_kept_private_and_reused(demo, monkeypatch, settings,
                                                       tmp_path):
    settings.VAR_DIR = tmp_path
    monkeypatch.delenv("FAZHI_DEMO_PASSWORD", raising=False)
    first, second = io.StringIO(), io.StringIO()
    call_command("demo_accounts", stdout=first)
    call_command("demo_accounts", stdout=second)
    stored = (tmp_path / "demo_password").read_text().strip()
    assert len(stored) >= 12
    assert stat.S_IMODE((tmp_path / "demo_password").stat().st_mode) == 0o600
    assert stored in first.getvalue() and stored in second.getvalue()
    assert _login("leader", stored) is not None
    # the password exists only in var/, never in the code
    for source in FAZHI_DIR.rglob("*.py"):
        assert stored not in source.read_text(encoding="utf-8"), source


def test_no_fixed_password_in_the_demo_code():
    sources = [FAZHI_DIR / "core" / "demo.py", FAZHI_DIR / "subjects" / "demo.py",
               FAZHI_DIR / "core" / "management" / "commands" / "load_demo.py",
               FAZHI_DIR / "core" / "management" / "commands" / "demo_accounts.py"]
    for source in sources:
        text = source.read_text(encoding="utf-8")
        assert not re.search(r"set_password\(\s*['\"]", text), source
        assert not re.search(r"password\s*=\s*['\"][^'\"]+['\"]", text), source


# --- the report figures --------------------------------------------------------------------

def test_indicators_after_the_demo_match_the_2024_report(demo):
    out = io.StringIO()
    call_command("indicators", year=2024, jurisdiction="330400", format="json", stdout=out)
    figures = json.loads(out.getvalue())
    # 嘉兴市应急管理局2024年度法治政府建设工作报告: 9 chemical parks, 4 rated 较低, 5 一般
    assert (figures["parks.total"], figures["parks.risk.lower"],
            figures["parks.risk.general"]) == (9, 4, 5)
