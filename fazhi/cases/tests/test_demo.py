"""The penalty-case slice of the demo. The full demo (1,404 cases of 2024 and the 2023
comparison year) takes minutes, so these tests check the targets against the report,
the planning helpers on their own, and load a 200-enterprise demo once, whose indicators
must equal the scaled targets. `demo_record_problems` states the rules every demo case
keeps; it is also the check run by hand on the full demo."""

from __future__ import annotations

import datetime
import io
import json
import random
from collections import defaultdict
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command

from fazhi.cases.demo import (
    FULL,
    FULL_2023,
    YEARS,
    Days,
    Targets,
    allocate,
    split_persons,
    targets_for,
)
from fazhi.cases.models import (
    CaseStatus,
    CreditRepairApplication,
    Outcome,
    PartyDecision,
    PenaltyCase,
    Publicity,
)
from fazhi.core import calendar
from fazhi.core.models import Event
from fazhi.core.services.events import verify_record

D = datetime.date
REPORT = Path(settings.BASE_DIR).parent / "shared" / "reference" / "report_2024.yaml"


def _serial(number: str) -> int:
    return int(number.rsplit("〕", 1)[1].rstrip("号"))


def demo_record_problems(year: int) -> list[str]:
    """Every way the year's demo cases break the platform's rules (empty: none)."""
    problems: list[str] = []
    cases = (PenaltyCase.objects.filter(filed_on__year=year)
             .prefetch_related("handlers", "parties__decision"))
    for case in cases:
        where = f"case {case.pk}"
        if case.handlers.count() < 2:
            problems.append(f"{where}: fewer than two handlers")
        if case.agency.kind == "town_station":
            problems.append(f"{where}: filed by a town station")
        decisions = [p.decision for p in case.parties.all() if hasattr(p, "decision")]
        if case.status == CaseStatus.TERMINATED:
            continue
        if case.status != CaseStatus.ARCHIVED:
            problems.append(f"{where}: not archived ({case.status})")
        for decision in decisions:
            if decision.decided_on is None or decision.decided_on.year != year:
                problems.append(f"{where}: decided outside {year}")
            elif decision.decided_on > case.decision_due:
                problems.append(f"{where}: decided after its deadline")
            if decision.served_on is None or decision.served_on < decision.decided_on:
                problems.append(f"{where}: not served after the decision")
    for publicity in Publicity.objects.filter(decision__decided_on__year=year):
        if publicity.published_on is None or publicity.published_on > publicity.due:
            problems.append(f"publicity {publicity.pk}: not published in time")
    for application in CreditRepairApplication.objects.filter(applied_on__year=year):
        credit = application.credit
        if application.applied_on < credit.earliest_repair:
            problems.append(f"repair {application.pk}: before the minimum period ended")
    # Decision numbers follow the decision dates, per agency, kind and year.
    series: dict[tuple[int, str], list[tuple[int, D]]] = defaultdict(list)
    for decision in (PartyDecision.objects.filter(decided_on__year=year).exclude(number="")
                     .select_related("party__case")):
        series[(decision.party.case.agency_id, decision.outcome)].append(
            (_serial(decision.number), decision.decided_on))
    for key, numbered in series.items():
        dates = [day for _, day in sorted(numbered)]
        if dates != sorted(dates):
            problems.append(f"decision numbers of {key} do not follow the dates")
    return problems


def _figures(year: int) -> dict:
    out = io.StringIO()
    call_command("indicators", year=year, jurisdiction="330400", format="json", stdout=out)
    return json.loads(out.getvalue())


# --- targets and planning helpers (pure) ------------------------------------------------------

# The report's cases figures, as report_2024.yaml gives them (the file lives beside the
# repository, not in it: the test below compares with it when it is there).
REPORT_FIGURES = {
    "cases.count": 1404, "cases.dual_penalty": 274, "cases.fines_confiscations": 23648500,
    "cases.exempt": 43, "cases.exempt.waived_amount": 472600, "cases.offsite": 6,
    "cases.online_rate": 100.0, "review.legal.cases": 12, "review.legal.opinions": 72,
    "review.collective.cases": 2, "transfers.detention.persons": 87,
    "transfers.criminal.cases": 8, "transfers.criminal.persons": 8,
    "credit.repaired_units": 511, "reconsideration.overturned": 0, "litigation.lost": 0,
}


def test_default_targets_are_the_report_figures():
    assert targets_for(12_000) == FULL
    assert FULL.figures() == REPORT_FIGURES  # every cases figure of the report, only those


@pytest.mark.skipif(not REPORT.exists(), reason="../shared/reference is not beside this clone")
def test_the_figures_here_are_those_of_the_reference_file():
    report = yaml.safe_load(REPORT.read_text(encoding="utf-8"))
    assert {row["id"]: row["value"] for row in report["indicators"]
                              if row["module"] == "cases"} == REPORT_FIGURES


def test_small_targets_scale_and_keep_their_relations():
    small = targets_for(200)
    assert small.cases == round(1404 / 60) and small.fines % 100 == 0
    for name in ("cases", "dual_penalty", "exempt", "offsite", "legal_reviews", "collective",
                 "detention_persons", "criminal_cases", "repaired_units"):
        assert getattr(small, name) >= 1, name
    assert small.criminal_persons == small.criminal_cases
    assert small.collective <= small.legal_reviews <= small.opinions
    assert targets_for(12_000, 2023) == FULL_2023
    assert FULL_2023.cases < FULL.cases  # the comparison year is smaller (see the docstring)


@pytest.mark.parametrize("seed", range(20))
def test_allocate_hits_the_total_in_whole_hundreds_within_each_range(seed):
    rng = random.Random(seed)
    ranges = [(rng.choice((0, 1000, 10000)), rng.choice((10000, 50000, 100000)))
              for _ in range(rng.randint(1, 60))]
    low = sum(-(-lo // 100) * 100 for lo, _ in ranges)
    high = sum(hi for _, hi in ranges)
    total = rng.randrange(low, high + 1, 100) if high > low else low
    amounts = allocate(rng, total, ranges)
    assert sum(amounts) == total
    assert all(lo <= a <= hi and a % 100 == 0 for a, (lo, hi) in zip(amounts, ranges,
                                                                     strict=True))


def test_allocate_refuses_a_total_the_ranges_cannot_hold():
    with pytest.raises(ValueError):
        allocate(random.Random(1), 30_000, [(0, 10_000), (0, 10_000)])
    with pytest.raises(ValueError):
        allocate(random.Random(1), 1_000, [(2_000, 10_000)])


def test_detention_persons_add_up():
    for total in (1, 2, 87, 300):
        sizes = split_persons(random.Random(total), total)
        assert sum(sizes) == total and all(1 <= s <= 3 for s in sizes)


def test_working_day_steps():
    days = Days(calendar.Schedule(), D(2024, 1, 1), D(2024, 2, 29))  # weekends only
    friday, saturday = D(2024, 1, 5), D(2024, 1, 6)
    assert days.after(friday) == D(2024, 1, 8) and days.after(friday, 0) == friday
    assert days.after(saturday, 0) == D(2024, 1, 8) and days.after(friday, 5) == D(2024, 1, 12)
    assert days.on_or_before(saturday) == friday


# --- a small demo, loaded -------------------------------------------------------------------

@pytest.mark.django_db
def test_small_demo_reproduces_the_scaled_figures_through_the_services():
    call_command("load_demo", enterprises=200, stdout=io.StringIO())
    for year in YEARS:
        figures = _figures(year)
        targets: Targets = targets_for(200, year)
        assert {key: figures[key] for key in targets.figures()} == targets.figures(), year
        assert demo_record_problems(year) == []
    # Every record is on the record: the cases' moves are events, and the chain holds.
    filed = PenaltyCase.objects.filter(filed_on__isnull=False).count()
    assert Event.objects.filter(action="case.approve_filing").count() == filed
    assert PartyDecision.objects.filter(outcome=Outcome.NO_PENALTY, waived_amount__gt=0).exists()
    assert verify_record() == []

    events = Event.objects.count()
    out = io.StringIO()
    call_command("load_demo", enterprises=200, stdout=out)
    assert "未新增" in out.getvalue() and Event.objects.count() == events
