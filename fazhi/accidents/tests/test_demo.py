"""The accidents slice of the demo. The full demo takes minutes, so these tests check
the targets against the report, the full-size plan on its own (pure: every figure,
class, deadline and window by the engine), and load a 200-enterprise demo once, whose
indicators must equal the scaled targets, through the services, without moving any
cases figure."""

from __future__ import annotations

import datetime
import io
import json
import random
from dataclasses import fields
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command

from fazhi.accidents.demo import (
    COUNTIES,
    FULL,
    INVESTIGATED,
    MINIMUM,
    YEARS,
    Days,
    Targets,
    World,
    plan_year,
    targets_for,
)
from fazhi.accidents.models import Accident, AccidentClass, Accountability, Industry
from fazhi.cases import demo as cases_demo
from fazhi.cases.models import CaseSource, PenaltyCase
from fazhi.core import calendar
from fazhi.core.models import Event
from fazhi.core.services.events import verify_record
from fazhi.legal.rules import accidents as law

D = datetime.date
REPORT = Path(settings.BASE_DIR).parent / "shared" / "reference" / "report_2024.yaml"
# The report's accident figures, as report_2024.yaml gives them (the file lives beside
# the repository, not in it: the test below compares with it when it is there).
REPORT_FIGURES = {
    "accidents.count": 69, "accidents.deaths": 47, "accidents.highway.count": 4,
    "accidents.highway.deaths": 4, "accidents.count.yoy": -9.2, "accidents.deaths.yoy": -7.8,
    "accidents.report_review.guided": 10, "accidents.report_review.opinions": 8,
}


def _figures(year: int) -> dict:
    out = io.StringIO()
    call_command("indicators", year=year, jurisdiction="330400", format="json", stdout=out)
    return json.loads(out.getvalue())


# --- targets (pure) ----------------------------------------------------------------------

def test_default_targets_are_the_report_figures():
    assert targets_for(12_000, 2024) == FULL[2024]
    assert targets_for(12_000, 2023) == FULL[2023]
    assert FULL[2024].figures(FULL[2023]) == REPORT_FIGURES
    assert (FULL[2023].accidents, FULL[2023].deaths) == (76, 51)  # the report's notes


@pytest.mark.skipif(not REPORT.exists(), reason="../shared/reference is not beside this clone")
def test_the_figures_here_are_those_of_the_reference_file():
    report = yaml.safe_load(REPORT.read_text(encoding="utf-8"))
    rows = [row for row in report["indicators"] if row["module"] == "accidents"]
    assert {row["id"]: row["value"] for row in rows} == REPORT_FIGURES
    notes = {row["id"]: row.get("note", "") for row in rows}
    assert f"{FULL[2023].accidents} accidents" in notes["accidents.count.yoy"]
    assert f"{FULL[2023].deaths} deaths" in notes["accidents.deaths.yoy"]


def test_small_targets_scale_but_keep_every_path():
    for year in YEARS:
        small = targets_for(200, year)
        for f in fields(Targets):
            value = getattr(small, f.name)
            assert getattr(MINIMUM[year], f.name) <= value <= max(
                getattr(FULL[year], f.name), getattr(MINIMUM[year], f.name)), f.name
        assert small.highway_accidents <= small.accidents
        assert small.opinions <= small.guided
    assert targets_for(200, 2024).reclassified == 1  # the history shows a re-classification


# --- the plan (pure) ------------------------------------------------------------------

def _world() -> World:
    towns = {c: [f"{c}{n:03d}" for n in range(1, 5)] for c in COUNTIES}
    names = {code: f"测试镇{code[-3:]}" for ts in towns.values() for code in ts}
    enterprises: dict[str, list[int]] = {}
    place: dict[int, str] = {}
    for county, codes in towns.items():
        enterprises[county] = []
        for code in codes:
            for _ in range(3):
                pk = len(place) + 1
                enterprises[county].append(pk)
                place[pk] = code
    days = Days(calendar.Schedule(), D(2023, 1, 1), D(2025, 12, 31))  # weekends only
    return World(names, towns, enterprises, place, set(place), days)


@pytest.mark.parametrize("seed", range(8))
def test_the_full_size_plan_gives_the_figures_within_the_statute(seed):
    rng, world = random.Random(seed), _world()
    for year in YEARS:
        t = targets_for(12_000, year)
        specs = plan_year(rng, year, t, world)
        assert all(s.day.year == year for s in specs)
        assert (len(specs), sum(s.deaths for s in specs)) == (t.accidents, t.deaths)
        highway = [s for s in specs if s.on_highway]
        assert all(s.industry == Industry.ROAD for s in highway)
        assert (len(highway), sum(s.deaths for s in highway)) == (
            t.highway_accidents, t.highway_deaths)
        classes = [law.accident_class(s.deaths, s.serious_injuries, s.direct_loss).code
                   for s in specs]
        assert classes.count(law.LARGE) == t.large
        assert set(classes) <= {law.ORDINARY, law.LARGE}
        assert len({s.county for s in specs}) >= 6 and len({s.day.month for s in specs}) >= 10

        # later deaths come within the 补报 window; the re-classified ones change class
        updated = [s for s in specs if s.update_on]
        assert len(updated) == t.reclassified + t.late_deaths
        for spec in updated:
            window = law.supplementary_report_window(
                spec.day, road_or_fire=spec.industry in (Industry.ROAD, Industry.FIRE))
            assert window.covers(spec.update_on) and spec.first_deaths == spec.deaths - 1
        assert sum(law.accident_class(s.first_deaths, s.first_injuries, s.direct_loss).code
                   != law.accident_class(s.deaths, s.serious_injuries, s.direct_loss).code
                   for s in updated) == t.reclassified

        # reporting: the late units as planned, every upward report in time
        late = [law.late_report(s.times["head_informed_at"], s.times["unit_reported_at"]).late
                for s in specs if "head_informed_at" in s.times]
        assert sum(late) == t.late_reports
        assert not any(law.late_upward_report(s.times["bureau_informed_at"],
                                              s.times["reported_up_at"]).late for s in specs)

        # investigations: industry and construction with deaths, in time, approved in time
        investigated = [s for s in specs if s.investigation]
        assert all(s.industry in INVESTIGATED and s.deaths for s in investigated)
        assert len(investigated) == sum(1 for s in specs
                                        if s.industry in INVESTIGATED and s.deaths)
        for spec in investigated:
            inv = spec.investigation
            klass = law.accident_class(spec.deaths, spec.serious_injuries, spec.direct_loss)
            due = law.investigation_report_due(spec.day, klass.code)
            assert not due.is_late(inv.submitted_on, extended=inv.extension_on is not None)
            assert inv.extension_on is None or inv.extension_on < due.due
            assert not law.investigation_approval_due(inv.submitted_on, klass.code).is_late(
                inv.approved_on)
            assert inv.started_on >= (spec.update_on or spec.day)
            if inv.review:
                assert inv.started_on <= inv.review[0] <= inv.review[1] <= inv.submitted_on
            if inv.opinion:
                assert inv.review[0] <= inv.opinion[0] <= inv.opinion[1] <= inv.submitted_on
        assert sum(1 for s in investigated if s.investigation.extension_on) == t.extensions
        guided = [s.investigation.review[1] for s in investigated if s.investigation.review]
        issued = [s.investigation.opinion[0] for s in investigated if s.investigation.opinion]
        assert len(guided) == t.guided and all(day.year == year for day in guided)
        assert len(issued) == t.opinions and all(day.year == year for day in issued)
        assert any(s.large and s.investigation.review for s in investigated)  # complex first
        leads = [s.investigation for s in investigated if s.investigation.cases]
        assert sum(len(inv.cases) for inv in leads) == t.cases
        assert all(inv.accountable and inv.case_on > inv.approved_on for inv in leads)
        assert sum(s.investigation.accountable for s in investigated) == t.accountable


def test_the_plan_is_deterministic():
    world = _world()
    first = plan_year(random.Random(7), 2024, FULL[2024], world)
    again = plan_year(random.Random(7), 2024, FULL[2024], world)
    assert [(s.occurred_at, s.place, s.deaths) for s in first] == [
        (s.occurred_at, s.place, s.deaths) for s in again]


# --- a small demo, loaded -------------------------------------------------------------------

@pytest.mark.django_db
def test_small_demo_reproduces_the_scaled_figures_through_the_services():
    call_command("load_demo", enterprises=200, stdout=io.StringIO())
    targets = {year: targets_for(200, year) for year in YEARS}
    figures = {year: _figures(year) for year in YEARS}
    expected = targets[2024].figures(targets[2023])
    assert {key: figures[2024][key] for key in expected} == expected
    first = targets[2023].figures(targets[2023])  # counts of 2023 (no 2022 to compare with)
    for key in ("accidents.count", "accidents.deaths", "accidents.highway.count",
                "accidents.highway.deaths", "accidents.report_review.guided",
                "accidents.report_review.opinions"):
        assert figures[2023][key] == first[key], key
    assert figures[2023]["accidents.count.yoy"] == 0.0  # 2022 is empty: no base

    # The accident-based case leads stay leads: the cases figures are the cases demo's.
    for year in YEARS:
        cases = cases_demo.targets_for(200, year).figures()
        assert {key: figures[year][key] for key in cases} == cases, year
    leads = PenaltyCase.objects.filter(accident_accountability__isnull=False)
    assert leads.count() == sum(t.cases for t in targets.values())
    assert all(case.source == CaseSource.ACCIDENT and case.status == "lead"
               and case.filed_on is None for case in leads)
    unit = Accountability.objects.filter(subject=Accountability.Subject.UNIT,
                                         case__isnull=False).select_related(
        "case", "investigation__accident").first()
    code = unit.investigation.accident.accident_class
    assert list(unit.case.items.values_list("code", flat=True)) == [
        "WSL2021-114-" + {"ordinary": "01", "large": "02"}[code]]

    # The re-classified accident: registered 一般, 较大 after the later death, on the record.
    changed = Event.objects.filter(action="accident.figures_updated",
                                   payload__class_changed=True)
    assert changed.count() == sum(t.reclassified for t in targets.values())
    accident = Accident.objects.get(pk=changed.first().object_id)
    assert [r.accident_class for r in accident.revisions.all()] == [
        AccidentClass.ORDINARY, AccidentClass.LARGE]
    assert accident.accident_class == AccidentClass.LARGE
    assert Event.objects.filter(action="accident.registered").count() == Accident.objects.count()
    assert verify_record() == []

    events = Event.objects.count()
    out = io.StringIO()
    call_command("load_demo", enterprises=200, stdout=out)
    assert "未新增" in out.getvalue() and Event.objects.count() == events
