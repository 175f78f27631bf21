"""The inspection slice of the demo. The full demo (12,000 enterprises, 2,433
inspections) takes minutes, so these tests check the planner on its own (pure) and load
a 200-enterprise demo once, whose figures are the report's scaled down
(`targets_for`). `demo_record_problems` states the rules every demo record keeps; it is
also the check run by hand on the full demo."""

from __future__ import annotations

import datetime
import io
import json
import random
from collections import Counter

import pytest
from django.core.management import call_command

from fazhi.core import calendar
from fazhi.core.models import Event
from fazhi.core.services.events import verify_record
from fazhi.inspection.demo import (
    FULL,
    WINDOW_CLOSED,
    WINDOW_NEXT_YEAR,
    WINDOW_OVERDUE,
    YEAR,
    AgencyQuota,
    AgencyWorld,
    Company,
    DrawnPick,
    WorkingDays,
    apportion,
    plan_inspections,
    plan_rounds,
    quotas,
    targets_for,
)
from fazhi.inspection.models import (
    Hazard,
    HazardLevel,
    Inspection,
    InspectionPlan,
    KeyAssistedEnterprise,
    RandomDraw,
    RectificationOrder,
    Recusal,
    Reinspection,
)
from fazhi.subjects.models import SupervisionCategory

D = datetime.date
END = D(YEAR, 12, 31)


def demo_record_problems(year: int = YEAR) -> list[str]:
    """Every way the demo's inspection records break the platform's rules (empty: none)."""
    problems: list[str] = []
    days = WorkingDays(calendar.load_schedule(), D(year, 1, 1), D(year + 1, 12, 31))
    working = set(days.days)
    recused = set(Recusal.objects.values_list("officer_id", "enterprise_id"))
    inspections = (Inspection.objects.filter(date__year=year)
                   .select_related("agency", "pick__draw")
                   .prefetch_related("officers__certificates", "pick__officers"))
    for inspection in inspections:
        officers = list(inspection.officers.all())
        where = f"inspection {inspection.pk}"
        if inspection.status != Inspection.Status.FINISHED:
            problems.append(f"{where}: not finished")
        if inspection.date not in working:
            problems.append(f"{where}: {inspection.date} is no working day")
        if len(officers) < 2:
            problems.append(f"{where}: fewer than two officers")
        for officer in officers:
            if officer.agency_id != inspection.agency_id:
                problems.append(f"{where}: {officer} is not of the inspecting agency")
            if not any(c.is_valid_on(inspection.date) for c in officer.certificates.all()):
                problems.append(f"{where}: {officer} has no valid certificate")
            if (officer.pk, inspection.enterprise_id) in recused:
                problems.append(f"{where}: {officer} is recused")
        pick = inspection.pick
        if pick is not None and (
                {o.pk for o in pick.officers.all()} != {o.pk for o in officers}
                or pick.enterprise_id != inspection.enterprise_id
                or inspection.date <= pick.draw.draw_date):
            problems.append(f"{where}: does not follow its draw pick")
    for hazard in (Hazard.objects.filter(found_on__year=year)
                   .select_related("supervision__agency__jurisdiction", "jurisdiction")
                   .prefetch_related("orders__reinspection")):
        where = f"hazard {hazard.pk}"
        orders = sorted(hazard.orders.all(), key=lambda o: (o.issued_on, o.pk))
        if hazard.level == HazardLevel.MAJOR:
            supervision = getattr(hazard, "supervision", None)
            if supervision is None:
                problems.append(f"{where}: major hazard not listed for supervision")
            elif (supervision.listed_on < hazard.found_on
                  or not supervision.agency.jurisdiction.contains(hazard.jurisdiction)
                  or supervision.closed_on != hazard.closed_on):
                problems.append(f"{where}: supervision listing inconsistent")
        if hazard.status == Hazard.Status.CLOSED and not hazard.rectified_on_site:
            last = getattr(orders[-1], "reinspection", None) if orders else None
            if last is None or not last.passed or last.date != hazard.closed_on:
                problems.append(f"{where}: closed without a passed re-inspection that day")
        for order in orders:
            reinspection = getattr(order, "reinspection", None)
            if order.report_date and order.report_date < order.issued_on:
                problems.append(f"{where}: report before the order")
            if reinspection and (reinspection.date < order.issued_on
                                 or (order.report_date and reinspection.date < order.report_date)):
                problems.append(f"{where}: re-inspection before the order or the report")
    # Document numbers follow the dates, per agency and year.
    for model, day in ((RectificationOrder, "issued_on"), (Reinspection, "date")):
        series: dict[tuple[int, int], list[tuple[int, D]]] = {}
        rows = (model.objects.select_related("hazard" if model is RectificationOrder
                                             else "order__hazard"))
        for row in rows:
            hazard = row.hazard if model is RectificationOrder else row.order.hazard
            serial = int(row.number.rsplit("〕", 1)[1].rstrip("号"))
            series.setdefault((hazard.agency_id, getattr(row, day).year), []).append(
                (serial, getattr(row, day)))
        for key, numbered in series.items():
            dates = [d for _, d in sorted(numbered)]
            if dates != sorted(dates):
                problems.append(f"{model.__name__} numbers of {key} do not follow the dates")
    return problems


def _figures(year: int, code: str = "330400") -> dict:
    out = io.StringIO()
    call_command("indicators", year=year, jurisdiction=code, format="json", stdout=out)
    return json.loads(out.getvalue())


# --- the planner (pure) ----------------------------------------------------------------------

def test_targets_are_the_report_figures_at_the_default_size():
    assert targets_for(12_000) == FULL
    assert (FULL.inspections, FULL.expert_guided, FULL.key_assisted) == (2433, 65, 1554)
    assert 1300 < FULL.majors_closed < 1400  # "1300余项", a believable figure
    small = targets_for(200)
    assert small.inspections == 41 and small.key_assisted == 26
    assert min(vars(small).values()) >= 1


def test_apportion_is_exact_and_leaves_zero_weights_out():
    assert apportion(2433, [100, 80, 20, 0]) == [1217, 973, 243, 0]  # 1216.5 rounds up
    assert sum(apportion(7, [1, 1, 1])) == 7
    assert apportion(5, [0, 0]) == [0, 0]


def test_quotas_add_up_to_the_targets():
    shares = quotas(FULL, {code: True for code in quotas(FULL, {})})
    for name in ("inspections", "majors_closed", "majors_next_year", "majors_overdue",
                 "generals", "generals_overdue"):
        assert sum(getattr(q, name) for q in shares.values()) == getattr(FULL, name), name
    for quota in shares.values():
        assert quota.majors_closed <= quota.inspections - quota.drawn


@pytest.fixture(scope="module")
def days() -> WorkingDays:
    # Weekends only: enough for the planner; the real calendar is used by the load test.
    return WorkingDays(calendar.Schedule(), D(YEAR, 1, 1), D(YEAR + 1, 6, 30))


def test_lifecycles_close_inside_their_window(days):
    rng = random.Random(1)
    for _ in range(300):
        found = days.pick(rng, *WINDOW_CLOSED)
        rounds = plan_rounds(rng, days, found, span=(15, 45), close_by=END)
        assert found < rounds[0].deadline and rounds[-1].passed
        assert all(not r.passed for r in rounds[:-1])
        assert found < rounds[0].report < rounds[0].reinspection <= END
        found = days.pick(rng, *WINDOW_NEXT_YEAR)
        rounds = plan_rounds(rng, days, found, span=(30, 60), close_from=D(YEAR + 1, 1, 2),
                             fail_share=0)
        assert len(rounds) == 1 and rounds[0].reinspection.year == YEAR + 1


def test_agency_plan_keeps_counts_windows_and_recusals(days):
    rng = random.Random(7)
    pool = [Company(n, "330000/330400/330402/", category, risk, "C2110")
            for n, (category, risk) in enumerate(
                [(SupervisionCategory.HAZCHEM_PRODUCTION, "large")] * 30
                + [(SupervisionCategory.INDUSTRY_TRADE, "low")] * 170, start=1)]
    world = AgencyWorld(code="330402", supervisor_of=lambda c: ("county", "330402"),
                        pool=pool, team=[11, 12, 13, 14], recused={(11, 5), (12, 5)},
                        people={c.id: ("张三", "李四") for c in pool})
    quota = AgencyQuota(inspections=60, majors_closed=30, majors_next_year=3,
                        majors_overdue=2, generals=25, generals_overdue=2)
    picks = [DrawnPick(900 + n, pool[n].id, (13, 14), D(YEAR, 1, 9), D(YEAR, 6, 28))
             for n in range(10)]
    specs = plan_inspections(rng, days, world, quota, picks, demo_enterprise=5)

    assert len(specs) == 60
    assert specs[10].enterprise == 5 and not {11, 12} & set(specs[10].officers)
    majors = [(s, h) for s in specs for h in s.hazards if h.level == HazardLevel.MAJOR]
    closed = [(s, h) for s, h in majors if h.rounds[-1].reinspection
              and h.rounds[-1].reinspection <= END]
    assert len(closed) == 30 and len(majors) == 35
    for spec, hazard in majors:
        assert hazard.listed_on and spec.date <= hazard.listed_on
        assert hazard.supervision == ("county", "330402")
        in_window = [WINDOW_CLOSED, WINDOW_NEXT_YEAR, WINDOW_OVERDUE]
        assert any(a <= spec.date <= b for a, b in in_window)
    assert sum(len(s.hazards) for s in specs) == 35 + 25
    for spec in specs:
        assert spec.date in set(days.days) and len(set(spec.officers)) == 2
        assert all((o, spec.enterprise) not in world.recused for o in spec.officers)
        assert bool(spec.signed_by) != bool(spec.refusal)
        assert {c for c, outcome in spec.checked if outcome == "finding"} == {
            h.criterion for h in spec.hazards if h.criterion}


# --- a small demo, loaded -------------------------------------------------------------------

@pytest.mark.django_db
def test_small_demo_builds_valid_records_with_the_scaled_figures():
    call_command("load_demo", enterprises=200, stdout=io.StringIO())
    targets = targets_for(200)
    figures = _figures(YEAR)
    assert figures["inspections.count"] == targets.inspections
    assert figures["hazards.major.supervised"] == targets.majors_closed
    assert figures["chemicals.expert_guided"] == targets.expert_guided
    assert figures["industry.key_assisted"] == targets.key_assisted
    assert 0 < figures["hazards.rectified_rate"] <= 100
    assert demo_record_problems() == []
    assert InspectionPlan.objects.filter(year=YEAR).exists()
    assert RandomDraw.objects.filter(published=True).exists()
    assert KeyAssistedEnterprise.objects.filter(year=YEAR).count() == targets.key_assisted
    actions = Counter(Event.objects.values_list("action", flat=True))
    assert actions["hazard.supervision_closed"] >= targets.majors_closed
    assert actions["inspection.finished"] == targets.inspections
    assert verify_record() == []

    events = Event.objects.count()
    out = io.StringIO()
    call_command("load_demo", enterprises=200, stdout=out)
    assert "未新增" in out.getvalue() and Event.objects.count() == events

