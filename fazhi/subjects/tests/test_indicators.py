"""The chemical-park figures count the parks of a jurisdiction and everything below it."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from fazhi.core.models import Jurisdiction
from fazhi.reports.registry import Period, get_indicator
from fazhi.subjects.models import ChemicalPark

pytestmark = pytest.mark.django_db

LOWER, GENERAL, HIGHER = (ChemicalPark.RiskLevel.LOWER, ChemicalPark.RiskLevel.GENERAL,
                          ChemicalPark.RiskLevel.HIGHER)
IDS = ("parks.total", "parks.risk.lower", "parks.risk.general")


@pytest.fixture
def jurisdictions() -> dict[str, Jurisdiction]:
    def make(code: str, name: str, level: str, parent: Jurisdiction | None) -> Jurisdiction:
        return Jurisdiction.objects.create(code=code, name=name, level=level, parent=parent)

    province = make("330000", "浙江省", "province", None)
    city = make("330400", "嘉兴市", "city", province)
    pinghu = make("330482", "平湖市", "county", city)
    haining = make("330481", "海宁市", "county", city)
    port = make("330472", "嘉兴港区", "zone", city)
    return {
        "province": province, "city": city, "pinghu": pinghu, "haining": haining,
        "port": port,
        "dushangang": make("330482108", "独山港镇", "town", pinghu),
        "huangwan": make("330481108", "黄湾镇", "town", haining),
        "zhapu": make("330482101", "乍浦镇", "town", port),
        # another city: its park must never count for Jiaxing
        "huzhou": make("330500", "湖州市", "city", province),
    }


@pytest.fixture
def parks(jurisdictions) -> None:
    for name, place, level in [
        ("独山港园区", "dushangang", LOWER),
        ("平湖第二园区", "pinghu", GENERAL),   # registered at county level, no town
        ("尖山园区", "huangwan", LOWER),
        ("海宁第二园区", "huangwan", GENERAL),
        ("海宁第三园区", "haining", GENERAL),
        ("港区园区", "zhapu", HIGHER),          # counted in the total, in neither level
        ("湖州园区", "huzhou", LOWER),
    ]:
        ChemicalPark.objects.create(name=name, jurisdiction=jurisdictions[place], risk_level=level)


def _figures(jurisdiction: Jurisdiction) -> tuple[int, ...]:
    period = Period.for_year(2024)
    return tuple(get_indicator(i).evaluate(period, jurisdiction) for i in IDS)


@pytest.mark.parametrize("place, expected", [
    ("city", (6, 2, 3)),
    ("pinghu", (2, 1, 1)),      # its town's park and its own
    ("haining", (3, 1, 2)),
    ("huangwan", (2, 1, 1)),    # a town sees only its own parks
    ("port", (1, 0, 0)),
    ("dushangang", (1, 1, 0)),
    ("huzhou", (1, 1, 0)),
])
def test_parks_are_counted_per_jurisdiction_subtree(jurisdictions, parks, place, expected):
    assert _figures(jurisdictions[place]) == expected


def test_no_parks_is_zero(jurisdictions):
    assert _figures(jurisdictions["city"]) == (0, 0, 0)


def test_a_county_sees_only_its_parks_through_the_command(jurisdictions, parks):
    out = io.StringIO()
    call_command("indicators", year=2024, jurisdiction="330481", format="json",
                 only="parks.", stdout=out)
    assert json.loads(out.getvalue()) == {
        "parks.total": 3, "parks.risk.lower": 1, "parks.risk.general": 2}


def test_a_reassessed_park_moves_between_levels(jurisdictions, parks):
    park = ChemicalPark.objects.get(name="海宁第二园区")
    park.risk_level = LOWER
    park.save()
    assert _figures(jurisdictions["haining"]) == (3, 2, 1)


def test_labels_and_scope():
    labels = {i: str(get_indicator(i).label) for i in IDS}
    assert labels == {"parks.total": "化工园区", "parks.risk.lower": "较低安全风险等级园区",
                      "parks.risk.general": "一般安全风险等级园区"}
    assert {get_indicator(i).scope for i in IDS} == {"city"}
    assert {get_indicator(i).kind for i in IDS} == {"count"}
