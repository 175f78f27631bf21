"""The permits slice of the demo on a small city (the core and subjects slices of 200
enterprises): the report's licensing figures come out of the records, through the
services, every event chained; a second run creates nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from django.conf import settings

from fazhi.core import demo as core_demo
from fazhi.core.demo import DemoContext
from fazhi.core.models import Event, Jurisdiction
from fazhi.core.services.events import verify_record
from fazhi.licensing import demo_permits
from fazhi.licensing.models_permits import Permit, PermitApplication
from fazhi.licensing.models_projects import ThreeSimultaneityReview
from fazhi.reports.registry import Period, get_indicator
from fazhi.subjects import demo as subjects_demo

pytestmark = pytest.mark.django_db
REPORT = Path(settings.BASE_DIR).parent / "shared" / "reference" / "report_2024.yaml"
# What the loader means to reproduce (its docstring), per year.
INTENT = {
    2024: {"permits.three_simultaneities": 65, "permits.production_use": 64,
           "permits.operation": 27, "projects.consulted": 6, "projects.rejected": 1,
           "upgrades.projects": 8, "upgrades.equipment": 151},
    2023: {"permits.three_simultaneities": 30, "permits.production_use": 18,
           "permits.operation": 8, "projects.consulted": 4, "projects.rejected": 1,
           "upgrades.projects": 5, "upgrades.equipment": 62},
}


@pytest.fixture
def small_city(db) -> DemoContext:
    ctx = DemoContext(enterprises=200)
    core_demo.load(ctx)
    subjects_demo.load(ctx)
    return ctx


def figures(year: int) -> dict[str, int]:
    city = Jurisdiction.objects.get(code="330400")
    return {i: get_indicator(i).evaluate(Period.for_year(year), city) for i in INTENT[year]}


def test_the_demo_reproduces_the_figures_and_is_idempotent(small_city):
    demo_permits.load(small_city)
    assert figures(2024) == INTENT[2024]
    assert figures(2023) == INTENT[2023]
    # Each counted application went through receipt, acceptance and a numbered decision.
    approved = PermitApplication.objects.filter(status="approved", decided_on__year=2024)
    assert all(a.acceptance_number and a.decision_number for a in approved)
    assert not any(a.decided_on > a.decision_due for a in approved)
    assert PermitApplication.objects.filter(status="refused").count() == 3
    assert Permit.objects.filter(status="superseded").count() == 42  # renewed in 2024
    assert ThreeSimultaneityReview.objects.filter(concluded_on__isnull=True).count() == 2
    assert verify_record() == []

    events = Event.objects.count()
    demo_permits.load(small_city)
    assert Event.objects.count() == events
    assert figures(2024) == INTENT[2024]


@pytest.mark.skipif(not REPORT.exists(), reason="report_2024.yaml lies beside the clone")
def test_the_intent_is_the_report():
    report = {row["id"]: row["value"]
              for row in yaml.safe_load(REPORT.read_text(encoding="utf-8"))["indicators"]}
    assert {k: report[k] for k in INTENT[2024]} == INTENT[2024]

