"""The assessment engine: each element, what is omitted when its facts are
missing, the citation walk, 一事不再罚 and the choice of law version. Expected values are
worked out from the law quoted in each test."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from fazhi.core.rules.calendar import Schedule
from fazhi.legal import engine as e
from fazhi.legal.rules.catalogue import ItemRule, StagePenalty
from fazhi.legal.rules.citations import WSL, cite
from fazhi.legal.rules.discretion import BenchmarkTier, FineRange, Tier
from fazhi.legal.rules.procedure import DEFAULT_LARGE_FINE_THRESHOLD, LargeFineThreshold
from fazhi.legal.selectors import UnknownItem, resolve_items

D = datetime.date
SH = e.SHANGHAI
SCHEDULE = Schedule(loaded_years={2026})
TODAY = D(2026, 7, 1)

# Items named by code or citation come from the shipped 安全生产法(2021) catalogue file.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("wsl_catalogue")]


def run(request: e.AssessRequest, *, items=(), threshold=DEFAULT_LARGE_FINE_THRESHOLD,
        schedule=SCHEDULE) -> dict:
    resolved = items
    if items and isinstance(items[0], str):
        dates = request.dates
        resolved = resolve_items(list(items), on=dates.violation_ended or dates.decided or TODAY,
                                 decided=dates.decided or TODAY, stage=request.stage)
    return e.assess(request, schedule=schedule, items=resolved, threshold=threshold,
                    today=TODAY)


def full_request() -> e.AssessRequest:
    return e.AssessRequest(
        party_type="unit", jurisdiction="330400", stage="overdue", tier="general",
        items=("WSL2021-097-01", "安全生产法 第九十九条第（三）项"),
        proposed=e.Proposed(fine=Decimal(150000), measures=("fine", "suspend_business")),
        facts=e.Facts(
            facts_conclusive=True, first_violation=True, minor=False, harm_minor=True,
            corrected_in_time=True, harmful_consequence=False, actively_eliminated_harm=True,
            complex=True, major_public_interest=False, especially_serious_and_egregious=False,
            party_present_at_announcement=False, rights_not_informed=True,
            principal_income_prev_year=Decimal(300000), credit_severity="general"),
        accident=e.AccidentFacts(
            deaths=1, serious_injuries=0, direct_loss=Decimal(500000),
            occurred_at=datetime.datetime(2026, 3, 2, 9, 0, tzinfo=SH),
            head_informed_at=datetime.datetime(2026, 3, 2, 9, 30, tzinfo=SH),
            reported_at=datetime.datetime(2026, 3, 2, 11, 0, tzinfo=SH)),
        dates=e.Dates(
            violation_ended=D(2026, 3, 1), discovered=D(2026, 3, 2), filed=D(2026, 3, 3),
            noticed=D(2026, 4, 1), hearing_notice_sent=D(2026, 4, 10),
            hearing_date=D(2026, 4, 22), decided=D(2026, 5, 6), served=D(2026, 5, 7),
            as_of=D(2026, 6, 30)),
    )


SPEC_ELEMENTS = {
    "summary_procedure_allowed", "hearing_rights", "threshold_used",
    "hearing_notice_compliant", "legal_review_required", "collective_discussion_required",
    "exemption", "lighter_or_mitigated_required", "limitation", "deadlines",
    "reconsideration_outer_limit", "overdue_days", "late_payment_surcharge",
    "recommendation", "provision_applied", "accident", "criminal_transfer", "credit",
    "citations",
}


# --- the citation walk -----------------------------------------------------------------

def test_every_answered_element_of_a_full_request_has_a_citation():
    response = run(full_request(), items=full_request().items)
    # Everything the spec lists is answered, so the walk below is not vacuous.
    assert set(response) >= SPEC_ELEMENTS
    assert set(response["deadlines"]) == {"decision", "statement", "hearing_request", "service",
                                          "payment", "publicity", "reconsideration",
                                          "litigation"}
    assert set(response["accident"]) == {
        "class", "unit_fine", "principal_fine", "report_deadline", "late_report",
        "investigation_report_due", "investigation_report_latest_with_extension"}
    leaves = e.walk_elements(response)
    assert "recommendation.fine.unit.suggested" in leaves
    assert e.uncited_elements(response) == []
    for citation in response["citations"]:
        assert set(citation) == {"law", "version", "article", "applies_to"}
        assert all(citation.values())


def test_the_walk_notices_an_uncited_element():
    response = run(full_request(), items=full_request().items)
    response["citations"] = [c for c in response["citations"]
                             if c["applies_to"] != "deadlines.payment"]
    assert e.uncited_elements(response) == ["deadlines.payment"]


# --- omission --------------------------------------------------------------------------

def test_an_empty_request_answers_nothing():
    assert run(e.AssessRequest()) == {"citations": []}


def test_a_deadline_appears_only_when_its_starting_date_is_given():
    response = run(e.AssessRequest(dates=e.Dates(noticed=D(2026, 4, 1))))
    # 告知 starts the statement and hearing-request periods only (行政处罚法 第四十四条、
    # 第六十四条第（一）项).
    assert set(response["deadlines"]) == {"statement", "hearing_request"}
    for absent in ("recommendation", "accident", "credit", "limitation", "overdue_days",
                   "hearing_rights", "exemption", "provision_applied"):
        assert absent not in response


def test_hearing_request_period_is_five_working_days_after_the_notice():
    # 行政处罚法(2021) 第六十四条第（一）项 + 第八十五条: five working days. Notice on Friday
    # 2026-04-03 (weekends only known here): Mon 6 … Fri 10.
    response = run(e.AssessRequest(dates=e.Dates(noticed=D(2026, 4, 3))),
                   schedule=Schedule(loaded_years={2026}))
    assert response["deadlines"]["hearing_request"] == "2026-04-10"


def test_credit_needs_a_decision_date_and_picks_the_rule_in_force_then():
    facts = e.Facts(credit_severity="general")
    assert "credit" not in run(e.AssessRequest(facts=facts))

    def rule_version(day: D) -> set[str]:
        response = run(e.AssessRequest(facts=facts, dates=e.Dates(decided=day)))
        return {c["version"] for c in response["citations"]
                if c["applies_to"] == "credit.earliest_repair" and "信用" in c["law"]}

    # 信用修复管理办法 (2025) applies from 2026-04-01; the 2023 trial rule the day before.
    assert rule_version(D(2026, 3, 31)) == {"2023"}
    assert rule_version(D(2026, 4, 1)) == {"2025"}


def test_surcharge_needs_a_fine_but_overdue_days_only_the_due_date():
    dates = e.Dates(served=D(2026, 5, 7), as_of=D(2026, 6, 1))
    without_fine = run(e.AssessRequest(dates=dates))
    # Payment due 15 days after service (第六十七条第三款): 2026-05-22; 10 days overdue.
    assert without_fine["overdue_days"] == 10
    assert "late_payment_surcharge" not in without_fine
    with_fine = run(e.AssessRequest(dates=dates, proposed=e.Proposed(fine=Decimal(10000))))
    # 3 % a day (第七十二条第一款第（一）项): 10000 × 3 % × 10 = 3000.
    assert with_fine["late_payment_surcharge"] == "3000.00"


# --- procedure -------------------------------------------------------------------------

@pytest.mark.parametrize(("fine", "expected"), [(49999, False), (50000, True)])
def test_hearing_rights_at_the_unit_threshold(fine, expected):
    # 较大数额 for a unit by default 5万元 and 以上 includes the figure.
    response = run(e.AssessRequest(party_type="unit",
                                   proposed=e.Proposed(fine=Decimal(fine),
                                                       measures=("fine",))))
    assert response["hearing_rights"] is expected
    assert response["threshold_used"] == {"individual_min": 20000, "unit_min": 50000}
    assert "summary_procedure_allowed" not in response  # facts_conclusive not given


def test_a_what_if_threshold_is_used_and_cited():
    threshold = LargeFineThreshold(individual_min=Decimal(10000), unit_min=Decimal(30000))
    response = run(e.AssessRequest(party_type="unit", proposed=e.Proposed(
        fine=Decimal(30000), measures=("fine",))), threshold=threshold)
    assert response["hearing_rights"] is True
    assert response["threshold_used"] == {"individual_min": 10000, "unit_min": 30000}
    assert e.uncited_elements(response) == []


def test_summary_procedure_ceiling_for_a_unit_is_3000():
    # 行政处罚法(2021) 第五十一条: 对法人或者其他组织处以三千元以下罚款.
    def allowed(fine: int) -> bool:
        return run(e.AssessRequest(party_type="unit", facts=e.Facts(facts_conclusive=True),
                                   proposed=e.Proposed(fine=Decimal(fine), measures=("fine",)))
                   )["summary_procedure_allowed"]
    assert allowed(3000) is True
    assert allowed(3001) is False


def test_calendar_assumed_years_flag_an_unscheduled_year():
    request = e.AssessRequest(dates=e.Dates(noticed=D(2027, 3, 1)))
    assert run(request, schedule=Schedule(loaded_years={2026}))["calendar_assumed_years"] == [
        2027]
    assert "calendar_assumed_years" not in run(request,
                                               schedule=Schedule(loaded_years={2026, 2027}))


# --- recommendation, 一事不再罚, version choice -------------------------------------------

@pytest.mark.parametrize("order", [("WSL2021-097-01", "WSL2021-099-03"),
                                   ("WSL2021-099-03", "WSL2021-097-01")])
def test_one_act_violating_two_provisions_is_fined_under_the_higher_fine(order):
    # 行政处罚法 第二十九条: 按照罚款数额高的规定处罚. First finding: 第九十七条 处十万元以下,
    # 第九十九条 处五万元以下 → 第九十七条.
    response = run(e.AssessRequest(party_type="unit", items=order), items=order)
    assert response["provision_applied"] == "安全生产法 第九十七条第（一）项"
    assert response["recommendation"]["fine"]["unit"]["max"] == "100000"
    assert {"law": "中华人民共和国行政处罚法", "version": "2021", "article": "第二十九条",
            "applies_to": "provision_applied"} in response["citations"]


def test_overdue_stage_fines_unit_and_persons():
    # 第九十七条: 逾期未改正 → 停产停业整顿, 单位十万元以上二十万元以下, 直接责任人员二万元以上
    # 五万元以下 → 一案双罚.
    response = run(e.AssessRequest(party_type="unit", stage="overdue"), items=["WSL2021-097-03"])
    rec = response["recommendation"]
    assert rec["measures"] == ["fine", "suspend_business"]
    assert rec["fine"]["unit"]["min"] == "100000" and rec["fine"]["unit"]["max"] == "200000"
    assert rec["fine"]["responsible_persons"] == {"min": "20000", "max": "50000"}
    assert rec["dual_penalty"] is True
    first = run(e.AssessRequest(party_type="unit"), items=["WSL2021-097-03"])["recommendation"]
    assert first["dual_penalty"] is False
    assert "responsible_persons" not in first["fine"]


def test_the_principal_of_article_94_is_fined_as_an_individual():
    # 第九十四条第一款: 主要负责人 二万元以上五万元以下.
    response = run(e.AssessRequest(party_type="individual", role="principal"),
                   items=["WSL2021-094-K1"])
    fine = response["recommendation"]["fine"]
    assert fine["individual"]["min"] == "20000" and fine["individual"]["max"] == "50000"
    assert 20000 <= Decimal(fine["individual"]["suggested"]) <= 50000


def _benchmarked_item() -> ItemRule:
    provision = cite(WSL, "第九十九条第（三）项", "provision_applied")
    return ItemRule(
        code="T-1", name="测试事项", kind="行政处罚", violated=(), penalty=(provision,),
        stages=(StagePenalty("first", unit=FineRange(0, 50000),
                             measures=frozenset({"fine"}), provision=provision),),
        benchmark=(BenchmarkTier(Tier.MINOR, fine_unit=FineRange(0, 10000)),
                   BenchmarkTier(Tier.GENERAL, fine_unit=FineRange(10000, 30000)),
                   BenchmarkTier(Tier.SEVERE, fine_unit=FineRange(30000, 50000))))


@pytest.mark.parametrize(("tier", "low", "high"), [("minor", 0, 10000), ("general", 10000, 30000),
                                                   ("severe", 30000, 50000)])
def test_suggestion_lies_in_the_benchmark_tier(tier, low, high):
    response = run(e.AssessRequest(party_type="unit", tier=tier), items=[_benchmarked_item()])
    unit = response["recommendation"]["fine"]["unit"]
    assert (Decimal(unit["min"]), Decimal(unit["max"])) == (low, high)
    assert low <= Decimal(unit["suggested"]) <= high


def test_without_a_benchmark_the_suggestion_lies_in_the_statute():
    response = run(e.AssessRequest(party_type="unit", tier="severe"), items=["WSL2021-099-03"])
    unit = response["recommendation"]["fine"]["unit"]
    assert (unit["min"], unit["max"]) == ("0", "50000")
    assert 0 <= Decimal(unit["suggested"]) <= 50000


def test_version_is_chosen_by_the_violation_date_and_named():
    response = run(e.AssessRequest(party_type="unit", dates=e.Dates(
        violation_ended=D(2025, 6, 1), decided=D(2026, 1, 10))), items=["WSL2021-097-01"])
    provision = [c for c in response["citations"] if c["applies_to"] == "provision_applied"]
    assert {"law": "中华人民共和国安全生产法", "version": "2021", "article": "第九十七条第（一）项",
            "applies_to": "provision_applied"} in provision
    # 从旧兼从轻 rests on 行政处罚法 第三十七条.
    assert any(c["article"] == "第三十七条" for c in provision)


def test_an_act_under_the_2014_text_is_refused_not_priced_with_2021_figures():
    # Ended 2021-08-31: the 2014 安全生产法 was in force; its ranges are not encoded.
    with pytest.raises(ValueError, match=r"dates\.violation_ended"):
        run(e.AssessRequest(dates=e.Dates(violation_ended=D(2021, 8, 31),
                                          decided=D(2021, 12, 1))), items=["WSL2021-097-01"])


def test_an_item_without_the_stage_asked_for_is_refused():
    with pytest.raises(ValueError, match="stage"):
        run(e.AssessRequest(stage="overdue"), items=[_benchmarked_item()])


# --- items ------------------------------------------------------------------------------

@pytest.mark.parametrize("reference", [
    "WSL2021-097-03", "wsl2021-097-03", "安全生产法 第九十七条第三项",
    "安全生产法 第九十七条第（三）项",
    "《中华人民共和国安全生产法》第九十七条第(三)项", "安全生产法第97条第3项"])
def test_an_item_is_found_by_code_or_citation(reference):
    assert [i.code for i in resolve_items([reference], on=TODAY)] == ["WSL2021-097-03"]


def test_an_unknown_item_names_the_field():
    with pytest.raises(UnknownItem, match=r"items\[1\]"):
        resolve_items(["WSL2021-097-01", "安全生产法 第九十七条第（九）项"], on=TODAY)


# --- accidents ----------------------------------------------------------------------------

def test_late_report_without_a_class_fines_the_principal_under_article_110():
    # 安全生产法(2021) 第一百一十条第二款 with 第一款: 上一年年收入百分之六十至百分之一百.
    response = run(e.AssessRequest(
        facts=e.Facts(late_report=True, principal_income_prev_year=Decimal(200000)),
        accident=e.AccidentFacts(occurred_at=datetime.datetime(2026, 3, 2, 9, tzinfo=SH))))
    accident = response["accident"]
    assert "class" not in accident and "criminal_transfer" not in response
    assert accident["principal_fine"] == {"min_rate": "0.60", "max_rate": "1.00",
                                          "amount_min": "120000", "amount_max": "200000"}
    assert e.uncited_elements(response) == []


def test_accident_class_and_fines_from_the_figures():
    # 条例 第三条: 3 deaths open 较大事故; 安全生产法(2021) 第一百一十四条第一款第（二）项:
    # 一百万元以上二百万元以下; 第九十五条第（二）项: 百分之六十.
    response = run(e.AssessRequest(accident=e.AccidentFacts(
        deaths=3, occurred_at=datetime.datetime(2026, 3, 2, 9, tzinfo=SH))))
    accident = response["accident"]
    assert accident["class"] == "large"
    assert accident["unit_fine"] == {"min": "1000000", "max": "2000000"}
    assert accident["principal_fine"] == {"min_rate": "0.60", "max_rate": "0.60"}
    assert response["criminal_transfer"] == {"threshold_met": True, "required": True}


def test_the_request_refuses_unknown_codes():
    with pytest.raises(ValueError, match="party_type"):
        e.AssessRequest(party_type="company")
    with pytest.raises(ValueError, match=r"proposed\.measures"):
        e.AssessRequest(proposed=e.Proposed(measures=("jail",)))
