"""The inspection figures count records built through the services: finished inspections
only, period boundaries on 31 December / 1 January, and the city / county scope."""

from __future__ import annotations

import datetime
import io
import itertools
import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from fazhi.core.models import EnforcementCertificate, Jurisdiction, Role
from fazhi.inspection.models import ChecklistItem, HazardLevel, InspectionCategory
from fazhi.inspection.services import (
    assistance_visit_record,
    checklist_load,
    finding_add,
    hazard_register,
    inspection_create,
    inspection_finish,
    key_assisted_add,
    reinspection_record,
    supervision_list,
)
from fazhi.reports.registry import Period, all_indicators, get_indicator
from fazhi.subjects.models import SupervisionCategory

pytestmark = pytest.mark.django_db

IDS = ("inspections.count", "hazards.found", "hazards.major.found", "hazards.major.supervised",
       "hazards.rectified_rate", "chemicals.expert_guided", "industry.key_assisted")
Y2024, Y2025 = Period.for_year(2024), Period.for_year(2025)
_numbers = itertools.count(1)


def _value(indicator_id: str, period: Period, jurisdiction: Jurisdiction):
    return get_indicator(indicator_id).evaluate(period, jurisdiction)


@pytest.fixture
def officers(make_user, agencies):
    """Two certified officers of the city bureau: they may act anywhere in the city."""
    team = [make_user(Role.OFFICER, agency=agencies["city"]) for _ in range(2)]
    for officer in team:
        EnforcementCertificate.objects.create(
            holder=officer, number=f"IND{next(_numbers):08d}",
            valid_from=datetime.date(2023, 1, 1), valid_to=datetime.date(2027, 12, 31))
    return team


@pytest.fixture
def criterion(db) -> ChecklistItem:
    checklist_load(actor=None)
    return ChecklistItem.objects.get(code="HC2017-15")


def _inspect(officers, enterprise, day, *, finish=True):
    inspection = inspection_create(
        actor=officers[0], enterprise=enterprise, date=day, place="生产车间",
        category=InspectionCategory.GENERAL, officers=officers)
    if finish:
        inspection = inspection_finish(actor=officers[0], inspection=inspection,
                                       signed_by="张三")
    return inspection


def _major(officers, enterprise, day, criterion, *, closed_on=None, listed=True):
    """A major hazard found on `day` (inspection left as a draft while findings are
    added, as on a phone), listed for supervision, closed by a passed re-inspection on
    `closed_on` when given."""
    inspection = _inspect(officers, enterprise, day, finish=False)
    finding = finding_add(actor=officers[0], inspection=inspection, item=criterion,
                          description="安全阀未正常投用")
    hazard = hazard_register(actor=officers[0], finding=finding, level=HazardLevel.MAJOR,
                             deadline=day + datetime.timedelta(days=5))
    inspection_finish(actor=officers[0], inspection=inspection, signed_by="张三")
    if listed:
        supervision_list(actor=officers[0], hazard=hazard, level="city",
                         agency=officers[0].agency, listed_on=day)
    if closed_on:
        reinspection_record(actor=officers[0], hazard=hazard, date=closed_on,
                            officers=officers, passed=True, opinion="整改合格，同意销号")
    return hazard


def _general_on_site(officers, enterprise, day):
    inspection = _inspect(officers, enterprise, day, finish=False)
    finding = finding_add(actor=officers[0], inspection=inspection, description="灭火器过期")
    hazard_register(actor=officers[0], finding=finding, level=HazardLevel.GENERAL,
                    rectified_on_site=True)
    inspection_finish(actor=officers[0], inspection=inspection, signed_by="张三")


# --- registration ------------------------------------------------------------------------------

def test_the_figures_are_registered_with_the_report_labels():
    indicators = {i.id: i for i in all_indicators()}
    assert set(IDS) <= set(indicators)
    assert str(indicators["inspections.count"].label) == "执法检查（家次）"
    assert str(indicators["hazards.major.supervised"].label) == "督改重大事故隐患（余项）"
    assert str(indicators["chemicals.expert_guided"].label) == "危化企业专家服务指导（家）"
    assert str(indicators["industry.key_assisted"].label) == "工贸领域重点帮扶企业（家）"
    assert indicators["hazards.rectified_rate"].kind == "percent"
    assert {indicators[i].scope for i in IDS} == {"city"}


# --- inspections ---------------------------------------------------------------------------

def test_inspections_count_finished_ones_of_the_period_in_the_area(
        officers, make_enterprise, jurisdictions):
    nanhu, xiuzhou = jurisdictions["nanhu_town"], jurisdictions["xiuzhou_town"]
    _inspect(officers, make_enterprise(nanhu), datetime.date(2024, 1, 2))
    _inspect(officers, make_enterprise(nanhu), datetime.date(2024, 12, 31))
    _inspect(officers, make_enterprise(nanhu), datetime.date(2024, 6, 3), finish=False)  # draft
    _inspect(officers, make_enterprise(nanhu), datetime.date(2023, 12, 29))
    _inspect(officers, make_enterprise(nanhu), datetime.date(2025, 1, 2))
    _inspect(officers, make_enterprise(xiuzhou), datetime.date(2024, 6, 3))

    assert _value("inspections.count", Y2024, jurisdictions["city"]) == 3
    assert _value("inspections.count", Y2024, jurisdictions["nanhu"]) == 2
    assert _value("inspections.count", Y2024, jurisdictions["xiuzhou"]) == 1
    assert _value("inspections.count", Y2025, jurisdictions["city"]) == 1


def test_the_command_changes_when_an_inspection_is_finished(officers, make_enterprise,
                                                            jurisdictions):
    def figures() -> dict:
        out = io.StringIO()
        call_command("indicators", year=2024, jurisdiction="330400", format="json",
                     only="inspections.", stdout=out)
        return json.loads(out.getvalue())

    assert figures() == {"inspections.count": 0}
    _inspect(officers, make_enterprise(jurisdictions["nanhu_town"]), datetime.date(2024, 5, 6))
    assert figures() == {"inspections.count": 1}


# --- hazards -------------------------------------------------------------------------------

def test_major_hazards_supervised_count_by_the_day_they_were_closed(
        officers, make_enterprise, jurisdictions, criterion):
    nanhu, xiuzhou = jurisdictions["nanhu_town"], jurisdictions["xiuzhou_town"]
    found = datetime.date(2024, 12, 20)
    _major(officers, make_enterprise(nanhu), found, criterion,
           closed_on=datetime.date(2024, 12, 31))
    _major(officers, make_enterprise(nanhu), found, criterion,
           closed_on=datetime.date(2025, 1, 1))
    _major(officers, make_enterprise(nanhu), found, criterion)  # still open
    _major(officers, make_enterprise(nanhu), found, criterion,  # closed but never listed
           closed_on=datetime.date(2024, 12, 30), listed=False)
    _major(officers, make_enterprise(xiuzhou), found, criterion,
           closed_on=datetime.date(2024, 12, 27))

    city, nanhu_county = jurisdictions["city"], jurisdictions["nanhu"]
    assert _value("hazards.major.supervised", Y2024, city) == 2
    assert _value("hazards.major.supervised", Y2024, nanhu_county) == 1
    assert _value("hazards.major.supervised", Y2024, jurisdictions["xiuzhou"]) == 1
    assert _value("hazards.major.supervised", Y2025, city) == 1
    assert _value("hazards.major.found", Y2024, city) == 5
    assert _value("hazards.major.found", Y2024, nanhu_county) == 4
    assert _value("hazards.major.found", Y2025, city) == 0


def test_rectified_rate_counts_closures_up_to_the_period_end(
        officers, make_enterprise, jurisdictions, criterion):
    nanhu, xiuzhou = jurisdictions["nanhu_town"], jurisdictions["xiuzhou_town"]
    found = datetime.date(2024, 12, 20)
    _major(officers, make_enterprise(nanhu), found, criterion,
           closed_on=datetime.date(2024, 12, 31))
    _major(officers, make_enterprise(nanhu), found, criterion,
           closed_on=datetime.date(2025, 1, 1))  # not rectified within 2024
    _general_on_site(officers, make_enterprise(nanhu), found)
    _general_on_site(officers, make_enterprise(xiuzhou), found)
    _major(officers, make_enterprise(xiuzhou), datetime.date(2023, 12, 20), criterion,
           closed_on=datetime.date(2024, 1, 5))  # found in 2023: not in the 2024 base

    city = jurisdictions["city"]
    assert _value("hazards.found", Y2024, city) == 4
    assert _value("hazards.found", Y2024, jurisdictions["nanhu"]) == 3
    rate = _value("hazards.rectified_rate", Y2024, city)
    assert rate == Decimal("75.0") and isinstance(rate, Decimal)
    assert _value("hazards.rectified_rate", Y2024, jurisdictions["nanhu"]) == Decimal("66.7")
    assert _value("hazards.rectified_rate", Y2024, jurisdictions["xiuzhou"]) == Decimal("100.0")
    assert _value("hazards.rectified_rate", Y2025, city) == Decimal("0.0")  # nothing found


# --- assistance ----------------------------------------------------------------------------

def test_expert_guided_counts_distinct_hazchem_enterprises_visited(
        officers, make_enterprise, jurisdictions):
    nanhu, xiuzhou = jurisdictions["nanhu_town"], jurisdictions["xiuzhou_town"]
    visited_twice = make_enterprise(nanhu)
    user = make_enterprise(nanhu, supervision_category=SupervisionCategory.HAZCHEM_USE)
    trade = make_enterprise(nanhu, supervision_category=SupervisionCategory.INDUSTRY_TRADE)
    late = make_enterprise(nanhu, supervision_category=SupervisionCategory.HAZCHEM_OPERATION)
    far = make_enterprise(xiuzhou)

    def visit(enterprise, day):
        assistance_visit_record(actor=officers[0], enterprise=enterprise, date=day,
                                expert="李工", expert_field="化工工艺",
                                problems="可燃气体报警仪未定期校验", advice="按期校验并建立台账")

    visit(visited_twice, datetime.date(2024, 1, 1))
    visit(visited_twice, datetime.date(2024, 9, 9))
    visit(user, datetime.date(2024, 12, 31))
    visit(trade, datetime.date(2024, 5, 5))
    visit(late, datetime.date(2025, 1, 1))
    visit(far, datetime.date(2024, 3, 3))

    assert _value("chemicals.expert_guided", Y2024, jurisdictions["city"]) == 3
    assert _value("chemicals.expert_guided", Y2024, jurisdictions["nanhu"]) == 2
    assert _value("chemicals.expert_guided", Y2025, jurisdictions["city"]) == 1


def test_key_assisted_counts_industry_and_trade_enterprises_of_the_year(
        officers, make_enterprise, jurisdictions):
    nanhu, xiuzhou = jurisdictions["nanhu_town"], jurisdictions["xiuzhou_town"]
    trade = SupervisionCategory.INDUSTRY_TRADE

    def add(enterprise, year):
        key_assisted_add(actor=officers[0], enterprise=enterprise, year=year,
                         reason="粉尘涉爆企业")

    both_years = make_enterprise(nanhu, supervision_category=trade)
    add(both_years, 2024)
    add(both_years, 2025)
    add(make_enterprise(nanhu, supervision_category=trade), 2024)
    add(make_enterprise(xiuzhou, supervision_category=trade), 2024)
    add(make_enterprise(nanhu), 2024)  # a chemical producer: not industry and trade

    assert _value("industry.key_assisted", Y2024, jurisdictions["city"]) == 3
    assert _value("industry.key_assisted", Y2024, jurisdictions["nanhu"]) == 2
    assert _value("industry.key_assisted", Y2024, jurisdictions["xiuzhou"]) == 1
    assert _value("industry.key_assisted", Y2025, jurisdictions["city"]) == 1
