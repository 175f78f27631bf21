"""The assessment engine: the facts of a case in, what the law requires and allows out,
every answer with the articles it rests on. The response is exactly the one of
`POST /api/v1/legal/assess` (../shared/specs/assess_api.md).

Pure: no database. The caller passes the working-day `Schedule`, the resolved
`ItemRule`s, the jurisdiction's large-fine threshold and today's date. The engine only
composes the rule modules of `fazhi.legal.rules` (procedure, deadlines, accidents,
discretion, exemptions); it holds no legal figure of its own.

What is answered depends on what is given (an element is omitted, never guessed):
- summary_procedure_allowed: party_type, proposed and facts.facts_conclusive;
- hearing_rights / threshold_used: party_type and proposed;
- hearing_notice_compliant: dates.hearing_notice_sent and dates.hearing_date;
- legal_review_required / collective_discussion_required / exemption /
  lighter_or_mitigated_required: at least one of the facts they weigh (facts not given
  count as absent, and the exemption names what stays undetermined by answering "none");
- limitation: dates.violation_ended and dates.discovered;
- deadlines.*: each only when its starting date is given (compute_deadlines);
- overdue_days: dates.as_of and a payment deadline; late_payment_surcharge: also
  proposed.fine;
- recommendation / provision_applied: item or items;
- accident.*: class and criminal_transfer with at least one of deaths,
  serious_injuries, direct_loss (figures not given count as 0); fines and the
  investigation report with accident.occurred_at; the report deadline with
  head_informed_at, late_report with reported_at as well;
- credit: dates.decided and facts.credit_severity;
- calendar_assumed_years (an addition to the spec): the years a date computation
  reached whose holiday schedule is not loaded (weekends only were known), present
  only when non-empty, so an unscheduled year is never silent.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from fazhi.core.rules.calendar import Schedule
from fazhi.core.rules.money import yuan_str
from fazhi.legal.rules import accidents, deadlines, discretion, exemptions, procedure
from fazhi.legal.rules.catalogue import ItemRule, StagePenalty, item_label
from fazhi.legal.rules.citations import (
    ACCIDENT_REG,
    ACL,
    ALL,
    ALL_2014,
    APL,
    APL_2017,
    ARL,
    ARL_2017,
    WSL,
    WSL_2014,
    Citation,
    LawVersion,
    cite,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")

UNIT = "unit"
INDIVIDUAL = "individual"
PARTY_TYPES = (UNIT, INDIVIDUAL)
PRINCIPAL = "principal"
RESPONSIBLE_PERSON = "responsible_person"
ROLES = (PRINCIPAL, RESPONSIBLE_PERSON)
STAGES = ("first", "overdue")
STAGE_LABELS = {"first": "首次发现", "overdue": "逾期未改正"}
TIERS = tuple(t.value for t in discretion.Tier)
CREDIT_SEVERITIES = exemptions.SEVERITIES
# The spec's measure codes, in the order the spec lists them (responses keep it).
MEASURES = ("warning", "fine", "confiscate_gains", "confiscate_property",
            "order_correct_within_deadline", "suspend_business", "revoke_permit", "close",
            "restrict_practice")

# The law versions the rule modules cite: the versions of an item's law when the item
# does not list them itself (`ItemRule.law_versions`, filled from the catalogue).
KNOWN_LAWS: tuple[LawVersion, ...] = (APL_2017, APL, WSL_2014, WSL, ACL, ARL_2017, ARL,
                                      ALL_2014, ALL, ACCIDENT_REG)


# --- the request ----------------------------------------------------------------------


@dataclass(frozen=True)
class Proposed:
    fine: Decimal | None = None
    confiscation: Decimal | None = None
    measures: tuple[str, ...] = ()


@dataclass(frozen=True)
class Facts:
    facts_conclusive: bool | None = None
    first_violation: bool | None = None
    minor: bool | None = None
    harm_minor: bool | None = None
    corrected_in_time: bool | None = None
    harmful_consequence: bool | None = None
    no_fault_proven: bool | None = None
    # 行政处罚法 第三十二条 / 第三十条 circumstances (discretion.LIGHTER_OR_MITIGATED_FACTS)
    actively_eliminated_harm: bool | None = None
    coerced_or_induced: bool | None = None
    confessed_unknown_violation: bool | None = None
    meritorious_cooperation: bool | None = None
    other_statutory_lighter: bool | None = None
    aged_14_to_17: bool | None = None
    involves_life_health_or_financial_safety: bool | None = None
    complex: bool | None = None
    multiple_legal_relations: bool | None = None
    major_public_interest: bool | None = None
    major_rights: bool | None = None
    hearing_held: bool | None = None
    especially_serious_and_egregious: bool | None = None
    late_report: bool | None = None
    party_present_at_announcement: bool | None = None
    rights_not_informed: bool | None = None
    illegal_gains: Decimal | None = None
    principal_income_prev_year: Decimal | None = None
    credit_severity: str | None = None

    def given(self) -> dict[str, Any]:
        """The facts that were given (None = not given)."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)
                if getattr(self, f.name) is not None}

    def any_given(self, names: Iterable[str]) -> bool:
        return any(getattr(self, n) is not None for n in names)


@dataclass(frozen=True)
class AccidentFacts:
    deaths: int | None = None
    serious_injuries: int | None = None
    direct_loss: Decimal | None = None
    occurred_at: datetime.datetime | None = None  # aware
    head_informed_at: datetime.datetime | None = None
    reported_at: datetime.datetime | None = None


@dataclass(frozen=True)
class Dates:
    violation_ended: datetime.date | None = None
    discovered: datetime.date | None = None
    filed: datetime.date | None = None
    noticed: datetime.date | None = None
    hearing_notice_sent: datetime.date | None = None
    hearing_date: datetime.date | None = None
    decided: datetime.date | None = None
    served: datetime.date | None = None
    content_known: datetime.date | None = None
    as_of: datetime.date | None = None
    surcharge_suspended: tuple[tuple[datetime.date, datetime.date], ...] = ()


@dataclass(frozen=True)
class AssessRequest:
    """The request of `POST /api/v1/legal/assess`, parsed: money as Decimal, dates as
    `date`, times aware. `item` / `items` are the references as sent; the engine receives
    the resolved `ItemRule`s separately (`assess(items=...)`), and the what-if threshold
    of `config` as the `threshold` argument."""

    party_type: str | None = None
    role: str | None = None
    jurisdiction: str | None = None
    item: str | None = None
    items: tuple[str, ...] = ()
    stage: str | None = None
    tier: str | None = None
    proposed: Proposed | None = None
    facts: Facts = field(default_factory=Facts)
    accident: AccidentFacts | None = None
    dates: Dates = field(default_factory=Dates)

    def __post_init__(self) -> None:
        checks = (("party_type", self.party_type, PARTY_TYPES, "当事人类型"),
                  ("role", self.role, ROLES, "个人身份"),
                  ("stage", self.stage, STAGES, "违法阶段"),
                  ("tier", self.tier, TIERS, "裁量阶次"),
                  ("facts.credit_severity", self.facts.credit_severity, CREDIT_SEVERITIES,
                   "失信严重程度"))
        for name, value, allowed, label in checks:
            if value is not None and value not in allowed:
                raise ValueError(f"{label}（{name}）取值无效，可选值：{'、'.join(allowed)}")
        if self.proposed is not None:
            unknown = sorted(set(self.proposed.measures) - set(MEASURES))
            if unknown:
                raise ValueError(f"未知的处罚种类代码（proposed.measures）：{'、'.join(unknown)}")


# --- helpers --------------------------------------------------------------------------


class _Answer:
    """The response being built: values, their citations, the assumed years."""

    def __init__(self) -> None:
        self.data: dict[str, Any] = {}
        self.citations: list[Citation] = []
        self.assumed: set[int] = set()

    def cite(self, citations: Iterable[Citation], applies_to: str | None = None) -> None:
        for c in citations:
            self.citations.append(c if applies_to is None else
                                  dataclasses.replace(c, applies_to=applies_to))


def _retarget(citations: Iterable[Citation], applies_to: str) -> list[Citation]:
    return [dataclasses.replace(c, applies_to=applies_to) for c in citations]


def _law_of(citation: Citation, item: ItemRule) -> LawVersion:
    for law in item.law_versions or KNOWN_LAWS:
        if law.name == citation.law and law.version == citation.version:
            return law
    raise ValueError(f"未收录的法律版本：{citation.law}（{citation.version}年）")


def _versions_of(law: LawVersion, item: ItemRule) -> tuple[LawVersion, ...]:
    return tuple(sorted((v for v in item.law_versions or KNOWN_LAWS if v.name == law.name),
                        key=lambda v: v.effective))


def _range_dict(rng: discretion.FineRange) -> dict[str, str]:
    return {"min": yuan_str(rng.min), "max": yuan_str(rng.max)}


def _aware_day(moment: datetime.datetime) -> datetime.date:
    return moment.astimezone(SHANGHAI).date()


def _party_fine(stage: StagePenalty, party: str, role: str | None
                ) -> tuple[str, discretion.FineRange] | None:
    """The fine of this stage on the party assessed, with its response key."""
    if party == UNIT:
        return (UNIT, stage.unit) if stage.unit is not None else None
    if role != RESPONSIBLE_PERSON and stage.individual is not None:
        return INDIVIDUAL, stage.individual
    if (role != PRINCIPAL or stage.individual is None) and stage.responsible_persons is not None:
        return "responsible_persons", stage.responsible_persons
    return None


def _stage_of(item: ItemRule, stage: str) -> StagePenalty:
    found = item.stage(stage)
    if found is None:
        raise ValueError(f"执法事项{item.code}没有“{STAGE_LABELS.get(stage, stage)}”阶段"
                         f"（stage={stage}）的处罚规定")
    return found


# --- 从旧兼从轻 and 一事不再罚 -------------------------------------------------------------


@dataclass(frozen=True)
class Provision:
    item: ItemRule
    stage: StagePenalty
    law: LawVersion  # the version applied
    fine: discretion.FineRange | None  # the party's fine at this stage
    citations: tuple[Citation, ...]  # provision_applied


def provision_for(item: ItemRule, stage_name: str, party: str, role: str | None,
               dates: Dates, today: datetime.date) -> Provision:
    """The item's provision under the version chosen by 行政处罚法 第三十七条: the law in
    force when the violation ended unless the law at the decision is lighter. Without a
    violation date nothing is compared: the item's own version is cited."""
    stage = _stage_of(item, stage_name)
    provision = item.penalty[0] if item.penalty else stage.provision
    if provision is None:
        raise ValueError(f"执法事项{item.code}未列明处罚依据")
    law = _law_of(provision, item)
    own = _party_fine(stage, party, role)
    fine = own[1] if own else None
    if dates.violation_ended is None:
        return Provision(item, stage, law, fine,
                          (dataclasses.replace(provision, applies_to="provision_applied"),))
    decided = dates.decided or max(today, dates.violation_ended)
    bounds = fine or stage.unit or stage.individual or stage.responsible_persons
    penalty = procedure.PenaltyRange(
        min=bounds.min if bounds else Decimal(0), max=bounds.max if bounds else Decimal(0),
        measures=stage.measures, article=provision.article)
    try:
        choice = procedure.choose_law_version(_versions_of(law, item), dates.violation_ended,
                                              decided, {law: penalty})
    except ValueError as exc:
        if "不能早于" in str(exc):
            raise
        raise ValueError(
            f"执法事项{item.code}仅收录{law.name}（{law.version}年）的处罚规定；违法行为终了日期"
            f"（dates.violation_ended）{dates.violation_ended.isoformat()}应适用的版本的处罚"
            f"幅度尚未收录，无法依从旧兼从轻原则（行政处罚法第三十七条）比较") from None
    if choice.penalty is None:
        versions = _versions_of(law, item)
        if item.law_versions and not any(v.in_force_on(decided) for v in versions):
            # The catalogue cannot tell a repeal without successor from a successor it
            # does not hold yet (e.g. 危险化学品安全法 after 危险化学品安全管理条例): no guess.
            raise ValueError(
                f"执法事项{item.code}：{law.name}（{law.version}年）在作出决定时"
                f"（dates.decided）{decided.isoformat()}已失效，执法事项目录未收录当时施行的"
                f"规定，无法依从旧兼从轻原则（行政处罚法第三十七条）比较；请核对新规定")
        raise ValueError(f"执法事项{item.code}：{choice.reason}，不能据此处罚")
    return Provision(item, stage, choice.version, fine, choice.citations)


# --- the engine -----------------------------------------------------------------------


def assess(
    request: AssessRequest,
    *,
    schedule: Schedule,
    items: Sequence[ItemRule],
    threshold: procedure.LargeFineThreshold,
    today: datetime.date,
) -> dict[str, Any]:
    """The response of `POST /api/v1/legal/assess` for `request` (see the module
    docstring for what is answered when). Raises ValueError with a Chinese message
    naming the field for facts the law cannot work with (the API answers 422)."""
    a = _Answer()
    facts, dates, proposed = request.facts, request.dates, request.proposed
    party = request.party_type
    decided = dates.decided

    hearing: procedure.HearingRightsResult | None = None
    if party is not None and proposed is not None:
        hearing = _procedure_on_penalty(a, request, threshold)
    _decision_requirements(a, request, hearing)
    _hearing_notice(a, dates, schedule)
    _exemption_and_discretion(a, request)
    if dates.violation_ended is not None and dates.discovered is not None:
        limit = procedure.limitation(
            violation_ended=dates.violation_ended, discovered=dates.discovered,
            involves_life_health_or_financial_safety=bool(
                facts.involves_life_health_or_financial_safety),
            harmful_consequence=bool(facts.harmful_consequence))
        a.data["limitation"] = limit.as_dict()
        a.cite(limit.citations)
    _deadlines(a, request, schedule)
    if items:
        _recommendation(a, request, items, today)
    if request.accident is not None:
        _accident(a, request, schedule)
    if decided is not None and facts.credit_severity is not None:
        result = exemptions.credit(decided, facts.credit_severity)
        a.data["credit"] = result.as_dict()
        a.cite(result.citations)

    if a.assumed:
        a.data["calendar_assumed_years"] = sorted(a.assumed)
    a.data["citations"] = [c.as_dict() for c in dict.fromkeys(a.citations)]
    return a.data


def _procedure_on_penalty(a: _Answer, request: AssessRequest,
                          threshold: procedure.LargeFineThreshold
                          ) -> procedure.HearingRightsResult:
    """Summary procedure and hearing rights: they weigh the proposed penalty."""
    assert request.party_type is not None and request.proposed is not None
    proposed, facts = request.proposed, request.facts
    if facts.facts_conclusive is not None:
        summary = procedure.summary_procedure_allowed(
            party_type=request.party_type, facts_conclusive=facts.facts_conclusive,
            measures=proposed.measures, fine=proposed.fine,
            confiscation=proposed.confiscation, decided=request.dates.decided)
        a.data["summary_procedure_allowed"] = summary.allowed
        a.cite(summary.citations)
    hearing = procedure.hearing_rights(
        party_type=request.party_type, measures=proposed.measures, fine=proposed.fine,
        confiscation=proposed.confiscation, threshold=threshold)
    a.data["hearing_rights"] = hearing.hearing_rights
    a.data["threshold_used"] = threshold.as_dict()
    a.cite(hearing.citations)
    if threshold.citation is None:
        # A what-if threshold: its basis is the article that leaves the figure to the
        # jurisdiction (行政处罚法 第六十三条第一款第（一）项 较大数额罚款).
        a.cite([cite(APL, "第六十三条第一款第（一）项", "threshold_used")])
    return hearing


def _decision_requirements(a: _Answer, request: AssessRequest,
                           hearing: procedure.HearingRightsResult | None) -> None:
    facts = request.facts
    review_facts = ("major_public_interest", "major_rights", "hearing_held", "complex",
                    "multiple_legal_relations")
    if facts.any_given(review_facts):
        review = procedure.legal_review_required(
            major_public_interest=bool(facts.major_public_interest),
            major_rights=bool(facts.major_rights), hearing_held=bool(facts.hearing_held),
            complex=bool(facts.complex),
            multiple_legal_relations=bool(facts.multiple_legal_relations))
        a.data["legal_review_required"] = review.required
        a.cite(review.citations)
    if facts.any_given(("complex", "especially_serious_and_egregious")):
        heavy = bool(hearing and hearing.hearing_rights)
        discussion = procedure.collective_discussion_required(
            complex=bool(facts.complex),
            especially_serious_and_egregious=bool(facts.especially_serious_and_egregious),
            heavier_penalty=heavy, hearing_level=heavy, decided=request.dates.decided)
        a.data["collective_discussion_required"] = discussion.required
        a.cite(discussion.citations)


def _hearing_notice(a: _Answer, dates: Dates, schedule: Schedule) -> None:
    if dates.hearing_notice_sent is None or dates.hearing_date is None:
        return
    if dates.hearing_notice_sent > dates.hearing_date:
        raise ValueError("听证通知日期（dates.hearing_notice_sent）不能晚于听证日期"
                         "（dates.hearing_date）")
    notice = procedure.hearing_notice_compliant(
        dates.hearing_notice_sent, dates.hearing_date, schedule)
    a.data["hearing_notice_compliant"] = notice.compliant
    a.cite(notice.citations)
    a.assumed |= notice.assumed_years


_EXEMPTION_FACTS = ("minor", "corrected_in_time", "harmful_consequence", "first_violation",
                    "harm_minor", "no_fault_proven")


def _exemption_and_discretion(a: _Answer, request: AssessRequest) -> None:
    facts, decided = request.facts, request.dates.decided
    given = facts.given()
    if facts.any_given(_EXEMPTION_FACTS):
        result = exemptions.exemption(given, decided=decided)
        a.data["exemption"] = result.exemption
        a.cite(result.citations)
    if facts.any_given(discretion.LIGHTER_OR_MITIGATED_FACTS):
        lighter = discretion.lighter_or_mitigated_required(given, decided=decided)
        a.data["lighter_or_mitigated_required"] = lighter.required
        a.cite(lighter.citations)


def _deadlines(a: _Answer, request: AssessRequest, schedule: Schedule) -> None:
    dates, facts = request.dates, request.facts
    result = deadlines.compute_deadlines(
        schedule, filed=dates.filed, noticed=dates.noticed, decided=dates.decided,
        served=dates.served, content_known=dates.content_known,
        party_present_at_announcement=facts.party_present_at_announcement,
        rights_not_informed=bool(facts.rights_not_informed))
    if result.results:
        a.data.update(result.as_response())
        a.cite(result.citations)
        a.assumed |= result.assumed_years
    payment = result.get(deadlines.PAYMENT)
    if payment is None or dates.as_of is None:
        return
    fine = request.proposed.fine if request.proposed is not None else None
    surcharge = deadlines.late_payment_surcharge(
        fine if fine is not None else 0, payment.date, dates.as_of, dates.surcharge_suspended)
    a.data["overdue_days"] = surcharge.overdue_days
    a.cite([*surcharge.citations, *payment.citations], "overdue_days")
    if fine is not None:
        a.data["late_payment_surcharge"] = surcharge.as_response()["late_payment_surcharge"]
        a.cite(surcharge.citations)


def _recommendation(a: _Answer, request: AssessRequest, items: Sequence[ItemRule],
                    today: datetime.date) -> None:
    """recommendation and provision_applied for the item(s): several items are one act
    violating several provisions, fined once under the higher fine (行政处罚法 第二十九条)."""
    party = request.party_type or UNIT  # without a party type: the unit's view
    stage_name = request.stage or "first"
    decided = request.dates.decided
    provisions = [provision_for(item, stage_name, party, request.role, request.dates, today)
                  for item in items]
    chosen = provisions[0]
    if len(provisions) > 1:
        candidates = [discretion.FineCandidate(
            provision=item_label(p.item), fine=p.fine, law=p.law,
            article=p.item.penalty[0].article if p.item.penalty else "")
            for p in provisions]
        one = discretion.one_act_one_fine(candidates, decided=decided)
        if one.chosen is not None:
            chosen = provisions[candidates.index(one.chosen)]
        a.cite(one.citations)
    a.data["provision_applied"] = item_label(chosen.item)
    a.cite(chosen.citations)

    item, stage = chosen.item, chosen.stage
    stage_cites = [stage.provision] if stage.provision is not None else list(item.penalty)
    recommendation: dict[str, Any] = {
        "measures": [m for m in MEASURES if m in stage.measures]}
    a.cite(stage_cites, "recommendation.measures")

    fines: dict[str, Any] = {}
    own = _party_fine(stage, party, request.role)
    if own is not None:
        key, statutory = own
        tier_range = None
        if request.tier is not None and item.benchmark:
            tier = discretion.Tier.parse(request.tier)
            level = next((t for t in item.benchmark if t.tier == tier), None)
            tier_range = level.fine_for(party) if level is not None else None
        lighter: tuple[str, ...] = ()
        if request.facts.any_given(discretion.LIGHTER_OR_MITIGATED_FACTS):
            lighter = discretion.lighter_or_mitigated_required(
                request.facts.given(), decided=decided).grounds
        rec = discretion.recommend_fine(
            statutory, tier_range, discretion.Circumstances(lighter=lighter), decided=decided)
        fines[key] = rec.as_dict()
        a.cite(rec.citations)
    if party == UNIT and stage.responsible_persons is not None:
        fines["responsible_persons"] = _range_dict(stage.responsible_persons)
    if fines:
        recommendation["fine"] = fines
        a.cite(stage_cites, "recommendation.fine")
    article = (stage.provision or item.penalty[0]).article
    dual = discretion.dual_penalty(
        stage.responsible_persons is not None, unit_fine=stage.unit,
        persons_fine=stage.responsible_persons, law=chosen.law, article=article)
    recommendation["dual_penalty"] = dual.dual_penalty
    a.cite(dual.citations)
    a.data["recommendation"] = recommendation


def _accident(a: _Answer, request: AssessRequest, schedule: Schedule) -> None:
    acc, facts, decided = request.accident, request.facts, request.dates.decided
    assert acc is not None
    block: dict[str, Any] = {}
    klass: accidents.AccidentClass | None = None
    figures = (acc.deaths, acc.serious_injuries, acc.direct_loss)
    if any(v is not None for v in figures):
        deaths, injuries = acc.deaths or 0, acc.serious_injuries or 0
        loss = acc.direct_loss if acc.direct_loss is not None else Decimal(0)
        klass = accidents.accident_class(deaths, injuries, loss)
        block["class"] = klass.code
        a.cite(klass.citations)
        transfer = accidents.criminal_transfer_threshold_met(deaths, injuries, loss)
        a.data["criminal_transfer"] = transfer.as_dict()
        a.cite(transfer.citations)
    occurred = _aware_day(acc.occurred_at) if acc.occurred_at is not None else None
    if klass is not None and occurred is not None:
        unit = accidents.unit_fine_for_accident(
            klass.code, bool(facts.especially_serious_and_egregious),
            occurred_on=occurred, decided_on=decided)
        block["unit_fine"] = {"min": yuan_str(unit.min), "max": yuan_str(unit.max)}
        a.cite(unit.citations)
    late: accidents.LateReport | None = None
    if acc.head_informed_at is not None:
        deadline = accidents.report_deadline(acc.head_informed_at)
        block.update(deadline.as_dict())
        a.cite(deadline.citations)
        if acc.reported_at is not None:
            late = accidents.late_report(acc.head_informed_at, acc.reported_at)
            block.update(late.as_dict())
            a.cite(late.citations)
    late_flag = bool(facts.late_report) or bool(late and late.late)
    if occurred is not None and (klass is not None or late_flag):
        fine = accidents.principal_fine(
            klass.code if klass is not None else None, late_flag,
            facts.principal_income_prev_year, occurred_on=occurred, decided_on=decided)
        answer = {"min_rate": str(fine.min_rate.quantize(Decimal("0.01"))),
                  "max_rate": str(fine.max_rate.quantize(Decimal("0.01")))}
        if fine.amount_min is not None and fine.amount_max is not None:
            answer["amount_min"] = yuan_str(fine.amount_min)
            answer["amount_max"] = yuan_str(fine.amount_max)
        block["principal_fine"] = answer
        a.cite(fine.citations)
    if occurred is not None:
        due = accidents.investigation_report_due(
            occurred, klass.code if klass is not None else None, schedule=schedule)
        block.update(due.as_dict())
        a.cite(due.citations)
        a.assumed |= due.assumed_years
    if block:
        a.data["accident"] = block


def walk_elements(response: Mapping[str, Any], prefix: str = "") -> list[str]:
    """The dotted paths of every answered leaf of a response (citations and
    calendar_assumed_years excluded): what the citation walk checks."""
    paths: list[str] = []
    for key, value in response.items():
        if not prefix and key in ("citations", "calendar_assumed_years"):
            continue
        path = f"{prefix}{key}"
        if isinstance(value, Mapping) and value:
            paths.extend(walk_elements(value, f"{path}."))
        else:
            paths.append(path)
    return paths


def uncited_elements(response: Mapping[str, Any]) -> list[str]:
    """Answered elements with no citation whose `applies_to` names them or an element
    containing them (e.g. "recommendation.fine" covers "recommendation.fine.unit.min")."""
    names = {c["applies_to"] for c in response.get("citations", [])}

    def covered(path: str) -> bool:
        parts = path.split(".")
        return any(".".join(parts[:n]) in names for n in range(1, len(parts) + 1))

    return [p for p in walk_elements(response) if not covered(p)]
