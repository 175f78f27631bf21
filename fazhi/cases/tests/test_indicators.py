"""The penalty-case figures count the records of the period: cases filed, decisions
decided (31 December in, 1 January out), the city / county scope by the case's place,
the bureau scope by the case's agency, and money as Decimal yuan. Records are built
with the ORM directly: what is tested here is the counting, not the procedure."""

from __future__ import annotations

import datetime
import io
import itertools
import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from fazhi.cases.models import (
    CaseParty,
    CaseSource,
    CollectiveDiscussion,
    CreditRecord,
    CreditRepairApplication,
    ExemptGround,
    LegalReview,
    Outcome,
    PartyDecision,
    PartyKind,
    PenaltyCase,
    Remedy,
    ReviewOpinion,
    Transfer,
)
from fazhi.core.models import Agency, Jurisdiction, Role, User
from fazhi.core.tests.factories import make_id_number
from fazhi.reports.registry import Period, get_indicator
from fazhi.subjects.models import Enterprise, ResponsiblePerson

pytestmark = pytest.mark.django_db

# id: (kind, scope), as in reference/report_2024.yaml
IDS = {
    "cases.count": ("count", "city"),
    "cases.dual_penalty": ("count", "city"),
    "cases.fines_confiscations": ("amount_yuan", "city"),
    "cases.exempt": ("count", "city"),
    "cases.exempt.waived_amount": ("amount_yuan", "city"),
    "cases.offsite": ("count", "city"),
    "cases.online_rate": ("percent", "city"),
    "review.legal.cases": ("count", "bureau"),
    "review.legal.opinions": ("count", "bureau"),
    "review.collective.cases": ("count", "bureau"),
    "transfers.detention.persons": ("count", "city"),
    "transfers.criminal.cases": ("count", "city"),
    "transfers.criminal.persons": ("count", "city"),
    "credit.repaired_units": ("count", "city"),
    "reconsideration.overturned": ("count", "city"),
    "litigation.lost": ("count", "city"),
}
Y2024, Y2025 = Period.for_year(2024), Period.for_year(2025)
DEC31, JAN1 = datetime.date(2024, 12, 31), datetime.date(2025, 1, 1)
MID = datetime.date(2024, 6, 3)
_serial = itertools.count(1)


def _value(indicator_id: str, period: Period, jurisdiction: Jurisdiction):
    return get_indicator(indicator_id).evaluate(period, jurisdiction)


@pytest.fixture
def officer(make_user) -> User:
    return make_user(Role.OFFICER)


@pytest.fixture
def case(officer, agencies, jurisdictions, make_enterprise):
    """case(where, filed_on=..., agency=..., **fields): a case located in
    jurisdictions[where] (by default handled by that county's bureau)."""

    def make(where: str = "nanhu", filed_on: datetime.date | None = MID,
             agency: Agency | None = None, **fields) -> PenaltyCase:
        place = jurisdictions[where]
        county = "xiuzhou" if where.startswith("xiuzhou") else "nanhu"
        fields.setdefault("source", CaseSource.INSPECTION)
        return PenaltyCase.objects.create(
            agency=agency or agencies[county], enterprise=make_enterprise(place),
            jurisdiction=place, facts="未按照规定开展安全生产教育和培训",
            discovered_on=datetime.date(2024, 1, 2), filed_on=filed_on, created_by=officer,
            **fields)

    return make


def _decide(case: PenaltyCase, kind: str, outcome: str, on: datetime.date | None,
            **fields) -> PartyDecision:
    """A party of `kind` and its decision (decided on `on`; None: still a proposal)."""
    person = None
    if kind != PartyKind.UNIT:
        person = ResponsiblePerson.objects.create(
            enterprise=case.enterprise, kind=ResponsiblePerson.Kind.SAFETY_MANAGER,
            name=f"责任人{next(_serial)}", id_number=make_id_number(next(_serial)))
    party = CaseParty.objects.create(case=case, kind=kind, person=person,
                                     name=person.name if person else case.enterprise.name)
    return PartyDecision.objects.create(party=party, outcome=outcome, decided_on=on, **fields)


def _exempt(case: PenaltyCase, kind: str, on: datetime.date, ground: str,
            waived: str) -> PartyDecision:
    return _decide(case, kind, Outcome.NO_PENALTY, on, exempt_ground=ground,
                   waived_amount=Decimal(waived))


def test_registered_as_the_report_lists_them():
    for indicator_id, (kind, scope) in IDS.items():
        indicator = get_indicator(indicator_id)
        assert (indicator.kind, indicator.scope) == (kind, scope), indicator_id


def test_cases_filed_counted_where_they_are_and_when_filed(case, jurisdictions):
    city, nanhu, xiuzhou = (jurisdictions[k] for k in ("city", "nanhu", "xiuzhou"))
    case("nanhu_town", filed_on=DEC31, source=CaseSource.NON_SITE)
    case("nanhu", entered_afterwards=True)
    case("nanhu", filed_on=JAN1, source=CaseSource.NON_SITE)
    case("nanhu", filed_on=None)  # a lead, never filed
    case("xiuzhou")

    assert _value("cases.count", Y2024, city) == 3
    assert _value("cases.count", Y2024, nanhu) == 2  # the town is in the county
    assert _value("cases.count", Y2024, xiuzhou) == 1
    assert _value("cases.count", Y2025, city) == 1
    assert _value("cases.offsite", Y2024, nanhu) == 1
    assert _value("cases.offsite", Y2024, xiuzhou) == 0
    # 2 of 3 handled online; none filed → 0.0 (the registry's convention)
    assert _value("cases.online_rate", Y2024, city) == Decimal("66.7")
    assert _value("cases.online_rate", Y2024, xiuzhou) == Decimal("100.0")
    assert _value("cases.online_rate", Period.for_year(2023), city) == Decimal("0.0")


def test_dual_penalty_and_fines_by_decision_date(case, jurisdictions):
    city, nanhu, xiuzhou = (jurisdictions[k] for k in ("city", "nanhu", "xiuzhou"))
    dual = case("nanhu")
    _decide(dual, PartyKind.UNIT, Outcome.PENALTY, DEC31, fine=Decimal("50000.00"),
            confiscation=Decimal("1234.56"))
    _decide(dual, PartyKind.PRINCIPAL, Outcome.PENALTY, DEC31, fine=Decimal("8000.10"))
    unit_only = case("xiuzhou")
    _decide(unit_only, PartyKind.UNIT, Outcome.PENALTY, MID, fine=Decimal("30000.00"))
    _decide(unit_only, PartyKind.RESPONSIBLE, Outcome.NO_PENALTY, MID,
            exempt_ground=ExemptGround.NO_FAULT)
    next_year = case("xiuzhou")
    _decide(next_year, PartyKind.UNIT, Outcome.PENALTY, JAN1, fine=Decimal("20000.00"))
    _decide(next_year, PartyKind.RESPONSIBLE, Outcome.PENALTY, JAN1, fine=Decimal("5000.00"))
    proposal = case("xiuzhou")  # proposed, not decided: no money ordered yet
    _decide(proposal, PartyKind.UNIT, Outcome.PENALTY, None, fine=Decimal("90000.00"))

    assert _value("cases.dual_penalty", Y2024, city) == 1
    assert _value("cases.dual_penalty", Y2024, xiuzhou) == 0
    assert _value("cases.dual_penalty", Y2025, xiuzhou) == 1
    fines = _value("cases.fines_confiscations", Y2024, city)
    assert isinstance(fines, Decimal)
    assert fines == Decimal("50000.00") + Decimal("1234.56") + Decimal("8000.10") + Decimal(
        "30000.00")
    assert _value("cases.fines_confiscations", Y2024, nanhu) == Decimal("59234.66")
    assert _value("cases.fines_confiscations", Y2025, city) == Decimal("25000.00")
    assert _value("cases.fines_confiscations", Period.for_year(2023), city) == Decimal("0.00")


def test_exempt_cases_are_minor_or_first_only(case, jurisdictions):
    city, nanhu = jurisdictions["city"], jurisdictions["nanhu"]
    minor = case("nanhu")
    _exempt(minor, PartyKind.UNIT, DEC31, ExemptGround.MINOR, "20000.50")
    _exempt(minor, PartyKind.PRINCIPAL, DEC31, ExemptGround.FIRST, "3000.25")
    first = case("xiuzhou")
    _exempt(first, PartyKind.UNIT, MID, ExemptGround.FIRST, "10000.00")
    no_fault = case("xiuzhou")  # 无主观过错 is not 轻微
    _exempt(no_fault, PartyKind.UNIT, MID, ExemptGround.NO_FAULT, "40000.00")
    mixed = case("nanhu")  # the unit exempt, its principal fined: not an exempt case
    _exempt(mixed, PartyKind.UNIT, MID, ExemptGround.MINOR, "7000.00")
    _decide(mixed, PartyKind.PRINCIPAL, Outcome.PENALTY, MID, fine=Decimal("2000.00"))
    late = case("nanhu")
    _exempt(late, PartyKind.UNIT, JAN1, ExemptGround.MINOR, "5000.00")

    assert _value("cases.exempt", Y2024, city) == 2
    assert _value("cases.exempt", Y2024, nanhu) == 1
    assert _value("cases.exempt", Y2025, nanhu) == 1
    waived = _value("cases.exempt.waived_amount", Y2024, city)
    assert isinstance(waived, Decimal)
    assert waived == Decimal("33000.75")
    assert _value("cases.exempt.waived_amount", Y2024, nanhu) == Decimal("23000.75")


def _review(case: PenaltyCase, round_: int, concluded_on: datetime.date | None, opinions: int,
            officer: User) -> LegalReview:
    review = LegalReview.objects.create(
        case=case, round=round_, submitted_on=datetime.date(2024, 5, 1), submitted_by=officer,
        concluded_on=concluded_on, conclusion="modify" if concluded_on else "")
    for n in range(1, opinions + 1):
        ReviewOpinion.objects.create(review=review, number=n, issue="事实认定", law="第五十八条",
                                     suggestion="补充证据")
    return review


def _discussion(case: PenaltyCase, date: datetime.date, officer: User) -> None:
    CollectiveDiscussion.objects.create(case=case, date=date, host="局长",
                                        conclusion="同意处罚", recorded_by=officer)


def test_reviews_count_the_bureau_at_the_jurisdiction_only(case, agencies, jurisdictions,
                                                           officer):
    city, nanhu, xiuzhou = (jurisdictions[k] for k in ("city", "nanhu", "xiuzhou"))
    own = case("nanhu", agency=agencies["city"])  # the city bureau's own case, in 南湖区
    _review(own, 1, MID, 3, officer)
    _review(own, 2, DEC31, 2, officer)  # second round: same case, more opinions
    _review(case("xiuzhou", agency=agencies["city"]), 1, JAN1, 4, officer)
    _review(case("xiuzhou", agency=agencies["city"]), 1, None, 1, officer)  # not concluded
    _review(case("nanhu"), 1, MID, 5, officer)  # the county bureau's
    _review(case("nanhu_town", agency=agencies["nanhu_town"]), 1, MID, 6, officer)
    _discussion(own, MID, officer)
    _discussion(own, DEC31, officer)
    _discussion(case("nanhu"), MID, officer)

    assert _value("review.legal.cases", Y2024, city) == 1
    assert _value("review.legal.opinions", Y2024, city) == 5
    assert _value("review.legal.cases", Y2025, city) == 1
    assert _value("review.legal.opinions", Y2025, city) == 4
    assert _value("review.legal.cases", Y2024, nanhu) == 1  # not the town station's
    assert _value("review.legal.opinions", Y2024, nanhu) == 5
    assert _value("review.legal.cases", Y2024, xiuzhou) == 0
    assert _value("review.collective.cases", Y2024, city) == 1
    assert _value("review.collective.cases", Y2024, nanhu) == 1


def _transfer(case: PenaltyCase, kind: str, on: datetime.date, persons: list[str],
              officer: User) -> None:
    Transfer.objects.create(case=case, kind=kind, number=f"移〔2024〕{next(_serial)}号",
                            transferred_on=on, receiver="嘉兴市公安局", persons=persons,
                            facts="涉嫌重大责任事故罪", created_by=officer)


def test_transfers_count_persons_and_leave_out_accident_cases(case, jurisdictions, officer):
    city, nanhu, xiuzhou = (jurisdictions[k] for k in ("city", "nanhu", "xiuzhou"))
    _transfer(case("nanhu"), Transfer.Kind.DETENTION, DEC31, ["甲", "乙"], officer)
    _transfer(case("xiuzhou"), Transfer.Kind.DETENTION, MID, ["丙"], officer)
    _transfer(case("xiuzhou"), Transfer.Kind.DETENTION, JAN1, ["丁"], officer)
    twice = case("nanhu")  # two criminal transfers of one case: one case
    _transfer(twice, Transfer.Kind.CRIMINAL, MID, ["戊"], officer)
    _transfer(twice, Transfer.Kind.CRIMINAL, DEC31, ["己", "庚"], officer)
    _transfer(case("xiuzhou"), Transfer.Kind.CRIMINAL, MID, ["辛"], officer)
    _transfer(case("xiuzhou", source=CaseSource.ACCIDENT), Transfer.Kind.CRIMINAL, MID,
              ["壬", "癸"], officer)

    assert _value("transfers.detention.persons", Y2024, city) == 3
    assert _value("transfers.detention.persons", Y2024, nanhu) == 2
    assert _value("transfers.detention.persons", Y2025, city) == 1
    assert _value("transfers.criminal.cases", Y2024, city) == 2
    assert _value("transfers.criminal.persons", Y2024, city) == 4
    assert _value("transfers.criminal.cases", Y2024, xiuzhou) == 1
    assert _value("transfers.criminal.persons", Y2024, xiuzhou) == 1


def _repair(case: PenaltyCase, status: str, decided_on: datetime.date | None,
            officer: User, enterprise: Enterprise | None = None) -> None:
    decision = _decide(case, PartyKind.UNIT, Outcome.PENALTY, datetime.date(2024, 1, 10),
                       fine=Decimal("10000.00"))
    credit = CreditRecord.objects.create(
        decision=decision, enterprise=enterprise or case.enterprise, severity="general",
        rule_version="2023", publicity_ends_at_latest=datetime.date(2027, 1, 10))
    CreditRepairApplication.objects.create(
        credit=credit, applied_on=datetime.date(2024, 5, 1), applicant=officer,
        statement="已整改到位", status=status, decided_on=decided_on)


def test_credit_repaired_units_are_distinct_enterprises(case, jurisdictions, officer):
    city, nanhu = jurisdictions["city"], jurisdictions["nanhu"]
    first = case("nanhu")
    _repair(first, CreditRepairApplication.Status.APPROVED, MID, officer)
    # a second case of the same enterprise, repaired too: still one enterprise
    _repair(case("nanhu"), CreditRepairApplication.Status.APPROVED, DEC31, officer,
            enterprise=first.enterprise)
    _repair(case("xiuzhou"), CreditRepairApplication.Status.APPROVED, MID, officer)
    _repair(case("xiuzhou"), CreditRepairApplication.Status.REFUSED, MID, officer)
    _repair(case("xiuzhou"), CreditRepairApplication.Status.APPROVED, JAN1, officer)

    assert _value("credit.repaired_units", Y2024, city) == 2
    assert _value("credit.repaired_units", Y2024, nanhu) == 1
    assert _value("credit.repaired_units", Y2025, city) == 1


def test_overturned_reconsiderations_and_lost_litigation(case, jurisdictions):
    city, nanhu = jurisdictions["city"], jurisdictions["nanhu"]
    decision = _decide(case("nanhu"), PartyKind.UNIT, Outcome.PENALTY, MID,
                       fine=Decimal("10000.00"))
    other = _decide(case("xiuzhou"), PartyKind.UNIT, Outcome.PENALTY, MID,
                    fine=Decimal("10000.00"))
    remedy = Remedy.Kind
    for target, kind, result, on in [
        (decision, remedy.RECONSIDERATION, Remedy.Result.REVOKED, MID),
        (other, remedy.RECONSIDERATION, Remedy.Result.ILLEGAL, DEC31),
        (other, remedy.RECONSIDERATION, Remedy.Result.VARIED, MID),  # 变更: not counted
        (other, remedy.RECONSIDERATION, Remedy.Result.UPHELD, MID),
        (decision, remedy.RECONSIDERATION, Remedy.Result.REVOKED, JAN1),
        (decision, remedy.LITIGATION, Remedy.Result.LOST, DEC31),
        (other, remedy.LITIGATION, Remedy.Result.WON, MID),
        (other, remedy.LITIGATION, Remedy.Result.LOST, JAN1),
    ]:
        Remedy.objects.create(decision=target, kind=kind, filed_on=datetime.date(2024, 3, 1),
                              body="嘉兴市人民政府", result=result, decided_on=on)

    assert _value("reconsideration.overturned", Y2024, city) == 2
    assert _value("reconsideration.overturned", Y2024, nanhu) == 1
    assert _value("reconsideration.overturned", Y2025, city) == 1
    assert _value("litigation.lost", Y2024, city) == 1
    assert _value("litigation.lost", Y2024, jurisdictions["xiuzhou"]) == 0
    assert _value("litigation.lost", Y2025, city) == 1


def test_indicators_command_lists_the_case_figures(case, jurisdictions):
    case("nanhu", entered_afterwards=True)
    out = io.StringIO()
    call_command("indicators", "--year", "2024", "--jurisdiction", "330400", "--format",
                 "json", stdout=out)
    values = json.loads(out.getvalue())
    assert set(IDS) <= set(values)
    assert values["cases.count"] == 1
    assert values["cases.online_rate"] == 0
