"""The capacity and tasks slices of the demo reproduce the report's 2024 figures from
records (the demo's own intent, and report_2024.yaml when it lies beside the clone),
differ for 2023, and a second run creates nothing."""

from __future__ import annotations

import time
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from fazhi.capacity import demo as capacity_demo
from fazhi.core import demo as core_demo
from fazhi.core.models import Event, Jurisdiction
from fazhi.core.services.events import verify_record
from fazhi.reports.annual import module_of
from fazhi.reports.registry import Period, all_indicators, get_indicator
from fazhi.tasks import demo as tasks_demo

pytestmark = pytest.mark.django_db
REPORT = Path(settings.BASE_DIR).parent / "shared" / "reference" / "report_2024.yaml"

# What the two demo slices set out to reproduce (their docstrings).
INTENT = {
    "study.sessions": 51, "outreach.bases.provincial": 2, "outreach.bases.city": 2,
    "outreach.bases.county": 4, "outreach.works": 13, "outreach.works.awarded": 2,
    "staff.legal_units.rate": Decimal("100.0"), "staff.reviewers.rate": Decimal("100.0"),
    "staff.reviewers.qualified_rate": Decimal("77.78"), "staff.advisors": 2,
    "staff.public_lawyers.bureau": 4, "staff.public_lawyers.city": 10,
    "staff.public_lawyers.coverage": Decimal("85.71"),
    "plan.tasks.total": 68, "plan.tasks.done": 30, "plan.tasks.rate": Decimal("44.1"),
    "plan.subtasks.total": 1021, "plan.subtasks.done": 682,
    "plan.subtasks.rate": Decimal("66.8"), "hazards.major.task_departments": 15,
}
AT_LEAST = {"outreach.visitors": 50_000}


def _value(indicator_id: str, year: int = 2024):
    city = Jurisdiction.objects.get(code="330400")
    return get_indicator(indicator_id).evaluate(Period.for_year(year), city)


@pytest.fixture
def demo_city(db):
    ctx = core_demo.DemoContext(enterprises=0)
    core_demo.load(ctx)
    started = time.perf_counter()
    capacity_demo.load(ctx)
    tasks_demo.load(ctx)
    ctx.seconds = time.perf_counter() - started
    return ctx


def test_the_2024_figures_come_from_the_records(demo_city):
    for indicator_id, expected in INTENT.items():
        assert _value(indicator_id) == expected, indicator_id
    for indicator_id, floor in AT_LEAST.items():
        assert _value(indicator_id) >= floor, indicator_id


@pytest.mark.skipif(not REPORT.exists(), reason="report_2024.yaml lies beside the clone")
def test_every_capacity_and_tasks_figure_of_the_report(demo_city):
    rows = [row for row in yaml.safe_load(REPORT.read_text())["indicators"]
            if row["module"] in {"capacity", "tasks"}]
    assert rows
    registered = {i.id: i for i in all_indicators()}
    for row in rows:
        indicator = registered[row["id"]]
        assert module_of(indicator) == row["module"], row["id"]
        assert (indicator.kind, indicator.scope) == (row["kind"], row["scope"]), row["id"]
        value = _value(row["id"])
        if "at least" in str(row.get("note", "")):
            assert value >= row["value"], row["id"]
        else:
            assert value == Decimal(str(row["value"])), row["id"]


def test_2023_differs_and_the_plan_did_not_exist_yet(demo_city):
    assert _value("study.sessions", 2023) == 46
    assert _value("outreach.works", 2023) == 9
    assert _value("staff.public_lawyers.city", 2023) == 8
    assert _value("staff.public_lawyers.coverage", 2023) == Decimal("71.43")
    assert _value("staff.reviewers.qualified_rate", 2023) == Decimal("75.00")
    assert _value("plan.tasks.total", 2023) == 0
    assert _value("plan.tasks.rate", 2023) == Decimal("0.0")


def test_2025_counts_the_later_completions(demo_city):
    assert _value("plan.tasks.done", 2025) == 38
    assert _value("plan.subtasks.done", 2025) > 682


def test_second_run_creates_nothing_and_the_record_verifies(demo_city):
    events = Event.objects.count()
    ctx = core_demo.DemoContext(enterprises=0)
    capacity_demo.load(ctx)
    tasks_demo.load(ctx)
    assert ctx.created == {} and ctx.events == 0
    assert Event.objects.count() == events
    assert verify_record() == []


def test_fast(demo_city):
    assert demo_city.seconds < 10

