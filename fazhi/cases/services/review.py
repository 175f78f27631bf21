"""From case review (案件审核) to the decision: the records each stage makes between the
end of the investigation and `case_transition(action="decide")`.

- `party_decision_propose`: a handler's proposal (处理意见) for one party, priced by the
  legal engine (statutory range for this party, benchmark range and suggestion, hearing
  rights, citations) and checked by `rules.decisions`; it resets the assessment.
- `case_assess`: the engine's answer on legal review (法制审核, 第五十八条) and collective
  discussion (集体讨论, 第五十七条第二款) for the facts the handler states.
- `review_opinion_add` / `legal_review_conclude` / `review_opinion_answer`: a legal review
  round — the reviewer's numbered opinions, the conclusion that moves the case, the
  handler's answer to each opinion.
- `collective_discussion_record`: the heads' discussion record (集体讨论记录).
- `notice_served`: service of the notice (告知书) and the statement and hearing-request
  periods it starts.
- `statement_record` / `statement_review`: the party's statement or waiver (陈述申辩)
  and its review (复核).
- `hearing_schedule` / `hearing_report_save`: the hearing (听证) notified seven working
  days ahead, its record and report; the report re-asks whether legal review is
  required (第五十八条第一款第（二）项 depends on the hearing).

Articles are those of 《行政处罚法》(2021) unless named; every figure and period comes
from the engine (`fazhi.legal`)."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fazhi.cases.models import (
    CaseNotice,
    CaseParty,
    CaseStatus,
    CollectiveDiscussion,
    DefenceStatement,
    ExemptGround,
    Hearing,
    Outcome,
    PartyDecision,
    PartyKind,
    PenaltyCase,
    ReviewConclusion,
    ReviewOpinion,
    Transfer,
)
from fazhi.cases.rules import decisions as decision_rules
from fazhi.cases.rules import workflow
from fazhi.cases.services.common import ROLES_HANDLING, is_handler, saved, staged_case
from fazhi.cases.services.workflow import (
    latest_notice,
    latest_review,
    proposal_of,
    transition_locked,
)
from fazhi.core.calendar import load_schedule
from fazhi.core.models import User
from fazhi.core.rules.money import parse_yuan
from fazhi.core.selectors import object_events
from fazhi.core.services.events import record_event
from fazhi.core.services.numbering import document_number_allocate
from fazhi.legal import engine
from fazhi.legal.catalogue import item_lookup, large_fine_threshold
from fazhi.legal.rules import accidents as accident_rules
from fazhi.legal.rules import deadlines, discretion, exemptions, procedure
from fazhi.legal.rules.citations import Citation
from fazhi.legal.selectors import resolve_items

S = CaseStatus

# The facts `case_assess` takes (each a yes / no of the handler, weighed by the engine).
ASSESS_FACTS = ("complex", "multiple_legal_relations", "major_public_interest",
                "major_rights", "other_statutory", "major_violation",
                "especially_serious_and_egregious")
_PERSON_ROLES = {PartyKind.PRINCIPAL: engine.PRINCIPAL,
                 PartyKind.RESPONSIBLE: engine.RESPONSIBLE_PERSON}
_HEARING_APPLIES = ("hearing_rights", "threshold_used")
_CONCLUSION_MOVES = {ReviewConclusion.AGREE: "conclude_legal_review",
                     ReviewConclusion.MODIFY: "return_legal_review",
                     ReviewConclusion.DISAGREE: "return_legal_review",
                     ReviewConclusion.SUPPLEMENT: "return_investigation"}


def _text(value: str | None) -> str:
    return (value or "").strip()


def _cited(citations: Iterable[Citation]) -> list[dict[str, str]]:
    return [c.as_dict() for c in dict.fromkeys(citations)]


def _not_future(day: datetime.date, field: str, label: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: _("%(label)s不能晚于今天") % {"label": label}})


def _handling(actor: User, case: PenaltyCase, version: int, states: Iterable[str],
              what: str) -> PenaltyCase:
    return staged_case(actor, case, version, states=set(states), roles=ROLES_HANDLING,
                       handler_only=True, what=what)


# --- 1. the proposal per party (处理意见) --------------------------------------------------

@dataclasses.dataclass(frozen=True)
class _Priced:
    statutory: discretion.FineRange | None  # this party's statutory fine at the stage
    recommendation: discretion.FineRecommendation | None
    measures: frozenset[str]  # the kinds of penalty the provision provides
    method: str
    citations: tuple[Citation, ...]


ACCIDENT_STAGE = "accident"


def _case_accident(case: PenaltyCase):
    """The accident whose investigation opened this case (None for other cases)."""
    link = case.accident_accountability.select_related("investigation__accident").first()
    return link.investigation.accident if link else None


def _price_accident(case: PenaltyCase, party: CaseParty, rule, *, on: datetime.date,
                    income_prev_year: Decimal | None) -> _Priced:
    """An item of the stage “导致事故” priced by the accident rules on the accident's
    class: the unit by 安全生产法 第一百一十四条 (a range by class), the principal by
    第九十五条 (a share of the previous year's income: the income must be stated)."""
    accident = _case_accident(case)
    if accident is None:
        raise ValueError(_("“导致事故”阶段的处罚只能用于由事故调查转入的案件"))
    occurred_on = timezone.localtime(accident.occurred_at).date()
    grade = accident.accident_class
    article = (rule.penalty[0].article if rule.penalty else "") or ""
    if not article.endswith(accident_rules.FINE_ITEMS[grade]):
        raise ValueError(_("执法事项%(code)s与事故等级“%(grade)s”不符")
                         % {"code": rule.code, "grade": accident_rules.CLASS_LABELS[grade]})
    if party.kind == PartyKind.UNIT:
        fine = accident_rules.unit_fine_for_accident(grade, occurred_on=occurred_on,
                                                     decided_on=on)
        statutory = discretion.FineRange(fine.min, fine.max)
        citations = list(fine.citations)
    elif party.kind == PartyKind.PRINCIPAL:
        if income_prev_year is None:
            raise ValueError(_("按上一年年收入的比例处罚，须填写主要负责人上一年年收入"
                               "（《安全生产法》第九十五条）"))
        fine = accident_rules.principal_fine(grade, income_prev_year=income_prev_year,
                                             occurred_on=occurred_on, decided_on=on)
        statutory = discretion.FineRange(fine.amount_min, fine.amount_max)
        citations = list(fine.citations)
    else:
        raise ValueError(_("该事项只对事故单位及其主要负责人处罚"))
    recommendation = discretion.recommend_fine(statutory, None, decided=on)
    citations.extend(recommendation.citations)
    stage = rule.stage(ACCIDENT_STAGE)
    return _Priced(statutory=statutory, recommendation=recommendation,
                   measures=frozenset(stage.measures) if stage else frozenset({"fine"}),
                   method=_("事故等级：%(grade)s；") % {"grade": accident_rules.CLASS_LABELS[grade]}
                   + recommendation.method,
                   citations=tuple(citations))


def _price(case: PenaltyCase, party: CaseParty, code: str, *, stage: str, tier: str,
           lighter: Mapping[str, bool], on: datetime.date,
           income_prev_year: Decimal | None = None) -> _Priced:
    """The item priced for this party as the engine prices it (`engine._recommendation`):
    the provision chosen by 从旧兼从轻 (第三十七条), the party's statutory range, the
    benchmark tier's range (or the statute's) and the suggested fine. Raises ValueError
    (Chinese) for what the engine cannot price."""
    rule = resolve_items([code], field="item", on=case.violation_date or case.discovered_on,
                         decided=on, jurisdiction=case.jurisdiction.code, stage=stage)[0]
    if stage == ACCIDENT_STAGE:
        return _price_accident(case, party, rule, on=on, income_prev_year=income_prev_year)
    party_type = engine.UNIT if party.kind == PartyKind.UNIT else engine.INDIVIDUAL
    # The engine keeps the choice of version and of the party's range private; it is
    # used rather than repeated here (see the report: a public name would be better).
    provision = engine.provision_for(rule, stage, party_type, _PERSON_ROLES.get(party.kind),
                                  engine.Dates(violation_ended=case.violation_date,
                                               decided=on), on)
    citations: list[Citation] = list(provision.citations)
    tier_range, method = None, ""
    if tier:
        level = next((t for t in rule.benchmark if t.tier == discretion.Tier.parse(tier)),
                     None)
        if level is None:
            raise ValueError(_("执法事项%(code)s在本辖区没有“%(tier)s”阶次的裁量基准")
                             % {"code": rule.code, "tier": discretion.Tier.parse(tier).label})
        tier_range = level.fine_for(party_type)
        method = f"{rule.benchmark_name}“{level.tier.label}”阶次"
        if tier_range is None:
            method += "未规定对该当事人的罚款，按法定幅度"
        method += "："
    recommendation = None
    if provision.fine is not None:
        grounds: tuple[str, ...] = ()
        if any(lighter.values()):
            result = discretion.lighter_or_mitigated_required(lighter, decided=on)
            grounds = result.grounds
            citations.extend(result.citations)
        recommendation = discretion.recommend_fine(
            provision.fine, tier_range, discretion.Circumstances(lighter=grounds), decided=on)
        citations.extend(recommendation.citations)
        method += recommendation.method
    return _Priced(statutory=provision.fine, recommendation=recommendation,
                   measures=provision.stage.measures, method=method,
                   citations=tuple(citations))


def _proposal_inputs(outcome: str, measures: Sequence[str], lighter: Mapping[str, bool],
                     exempt_ground: str, credit_severity: str, tier: str, stage: str) -> None:
    """Refuse codes the engine does not know, before asking it anything."""
    found = []
    if outcome not in Outcome.values:
        found.append(_("处理结果不正确"))
    unknown = sorted(set(measures) - set(engine.MEASURES))
    if unknown:
        found.append(_("未知的处罚种类：%(codes)s") % {"codes": "、".join(unknown)})
    if set(lighter) - set(discretion.LIGHTER_OR_MITIGATED_FACTS) or not all(
            isinstance(v, bool) for v in lighter.values()):
        found.append(_("从轻减轻情节只能是《行政处罚法》第三十条、第三十二条所列情形，取值为是或否"))
    if exempt_ground and exempt_ground not in ExemptGround.values:
        found.append(_("不予处罚情形不正确"))
    if credit_severity not in exemptions.SEVERITIES:
        found.append(_("失信程度不正确"))
    if tier and tier not in engine.TIERS:
        found.append(_("裁量阶次不正确"))
    if stage not in (*engine.STAGES, ACCIDENT_STAGE):
        found.append(_("违法阶段应为首次发现、逾期未改正或导致事故"))
    if found:
        raise ValidationError(found)


def _hearing_citations(case: PenaltyCase) -> list[dict[str, str]]:
    """The hearing-rights citations of every proposal to penalise (the notice cites them)."""
    seen: list[dict[str, str]] = []
    for decision in PartyDecision.objects.filter(party__case=case, outcome=Outcome.PENALTY):
        seen.extend(c for c in decision.citations
                    if c.get("applies_to") in _HEARING_APPLIES and c not in seen)
    return seen


def party_decision_propose(
    *,
    actor: User,
    case: PenaltyCase,
    version: int,
    party: CaseParty,
    outcome: str,
    reason: str,
    item_code: str | None = None,
    measures: Sequence[str] = (),
    fine: Decimal | int | str = 0,
    confiscation: Decimal | int | str = 0,
    tier: str = "",
    lighter_facts: Mapping[str, bool] | None = None,
    deviation_reason: str = "",
    exempt_ground: str = "",
    waived_amount: Decimal | int | str | None = None,
    credit_severity: str = "general",
    stage: str = "first",
    income_prev_year: Decimal | int | str | None = None,
    on: datetime.date | None = None,
) -> PartyDecision:
    """Propose (or replace) the handling of one party (案件处理呈批表). A fine outside the
    party's statutory range is refused (第四条); outside the benchmark's range it needs a
    written reason (第三十四条); a fine on a party the provision does not fine, or a kind
    of penalty it does not provide, is refused. No penalty (第三十三条) names the ground
    and records the fine waived (by default the engine's suggestion). Hearing rights are
    the engine's (第六十三条, the jurisdiction's 较大数额). For the stage “导致事故” (a case
    opened from an accident) the accident rules price it: the unit by class (第一百一十四
    条), the principal by `income_prev_year` (第九十五条). `stage` is the stage of the
    item (first finding / 逾期未改正). The case's assessment is reset: the engine must be
    asked again (`case_assess`)."""
    on = on or timezone.localdate()
    lighter = dict(lighter_facts or {})
    measures = tuple(dict.fromkeys(measures))
    _proposal_inputs(outcome, measures, lighter, exempt_ground, credit_severity, tier, stage)
    try:
        fine = parse_yuan(fine, _("罚款数额"), whole_cents=True)
        confiscation = parse_yuan(confiscation, _("没收数额"), whole_cents=True)
        waived = (None if waived_amount is None
                  else parse_yuan(waived_amount, _("免除罚款数额"), whole_cents=True))
        income = (None if income_prev_year in (None, "")
                  else parse_yuan(income_prev_year, _("上一年年收入"), whole_cents=True))
    except ValueError as exc:
        raise ValidationError(str(exc)) from None
    with transaction.atomic():
        case = _handling(actor, case, version, {S.CASE_REVIEW, S.INVESTIGATION},
                         _("提出处理意见"))
        if party.case_id != case.pk:
            raise ValidationError({"party": _("该当事人不属于本案")})
        decision = PartyDecision.objects.filter(party=party).first() or PartyDecision(
            party=party)
        priced = None
        item = None
        code = _text(item_code)
        try:
            if code and outcome in (Outcome.PENALTY, Outcome.NO_PENALTY):
                priced = _price(case, party, code, stage=stage, tier=tier, lighter=lighter,
                                on=on, income_prev_year=income)
            if code:
                item = item_lookup(code, on=case.violation_date or case.discovered_on)
        except ValueError as exc:
            raise ValidationError({"item_code": str(exc)}) from None
        if code and item is None:
            raise ValidationError({"item_code": _("执法事项“%(code)s”未找到") % {"code": code}})
        rec = priced.recommendation if priced else None
        if waived is None:
            waived = rec.suggested if rec and outcome == Outcome.NO_PENALTY else Decimal(0)
        citations = list(priced.citations) if priced else []
        hearing = False
        if outcome == Outcome.PENALTY:
            if priced and decision_rules.FINE in measures and priced.statutory is None:
                raise ValidationError(_("%(party)s：该事项在此阶段对该当事人没有罚款规定，不得罚款"
                                        "（《行政处罚法》第四条）") % {"party": party.name})
            beyond = sorted(set(measures) - priced.measures) if priced and priced.measures else []
            if beyond:
                raise ValidationError(_("%(party)s：处罚依据未规定该处罚种类（%(codes)s），不得作出"
                                        "（《行政处罚法》第四条）")
                                      % {"party": party.name, "codes": "、".join(beyond)})
            rights = procedure.hearing_rights(
                party_type=engine.UNIT if party.kind == PartyKind.UNIT else engine.INDIVIDUAL,
                measures=measures, fine=fine, confiscation=confiscation,
                threshold=large_fine_threshold(case.jurisdiction, on))
            hearing = rights.hearing_rights
            citations.extend(rights.citations)
        values = {
            "outcome": outcome, "item": item, "measures": list(measures), "fine": fine,
            "confiscation": confiscation, "stage": stage, "tier": tier,
            "statutory_min": priced.statutory.min if priced and priced.statutory else None,
            "statutory_max": priced.statutory.max if priced and priced.statutory else None,
            "recommended_min": rec.min if rec else None,
            "recommended_max": rec.max if rec else None,
            "suggested": rec.suggested if rec else None,
            "method": priced.method if priced else "",
            "deviation_reason": _text(deviation_reason), "exempt_ground": exempt_ground,
            "waived_amount": waived, "hearing_rights": hearing,
            "credit_severity": credit_severity, "citations": _cited(citations),
            "reason": _text(reason)}
        for field, value in values.items():
            setattr(decision, field, value)
        criminal = case.transfers.filter(kind=Transfer.Kind.CRIMINAL).exists()
        problems = decision_rules.problems(proposal_of(decision),
                                           criminal_transfer_made=criminal)
        if problems:
            raise ValidationError(problems)
        decision.save()
        case.review_required = case.collective_required = None
        case.assessed_on = None
        case.assessment = {"hearing_citations": _hearing_citations(case)}
        saved(case)
        record_event(actor=actor, obj=case, action="case.proposed", payload={
            "party": party.pk, "name": party.name, "lighter_facts": lighter,
            **{k: v for k, v in values.items() if k != "item"},
            "item": item.code if item else None})
    return decision


# --- 2. the engine's assessment -------------------------------------------------------------

def _requirement(result: procedure.DecisionRequirement) -> dict:
    return {"required": result.required, "grounds": list(result.grounds),
            "citations": _cited(result.citations)}


def _legal_review(facts: Mapping[str, bool], hearing_held: bool
                  ) -> procedure.DecisionRequirement:
    return procedure.legal_review_required(
        major_public_interest=facts.get("major_public_interest", False),
        major_rights=facts.get("major_rights", False), hearing_held=hearing_held,
        complex=facts.get("complex", False),
        multiple_legal_relations=facts.get("multiple_legal_relations", False),
        other_statutory=facts.get("other_statutory", False))


def _hearing_held(case: PenaltyCase) -> bool:
    return Hearing.objects.filter(case=case).exclude(report="").exists()


def case_assess(*, actor: User, case: PenaltyCase, version: int, facts: Mapping[str, bool],
                on: datetime.date | None = None) -> PenaltyCase:
    """Ask the engine whether legal review (第五十八条第一款) and collective discussion
    (第五十七条第二款) are required, on the facts the handler states; every party must
    have a proposal first (hearing rights weigh in the discussion rule)."""
    on = on or timezone.localdate()
    unknown = sorted(set(facts) - set(ASSESS_FACTS))
    if unknown:
        raise ValidationError(_("未知的案件情形：%(keys)s") % {"keys": "、".join(unknown)})
    if not all(isinstance(v, bool) for v in facts.values()):
        raise ValidationError(_("案件情形的取值应为是或否"))
    stated = {key: facts.get(key, False) for key in ASSESS_FACTS}
    with transaction.atomic():
        case = _handling(actor, case, version, {S.CASE_REVIEW, S.HEARING}, _("评估审核要求"))
        decisions = {d.party_id: d for d in PartyDecision.objects.filter(party__case=case)}
        missing = [p.name for p in case.parties.all() if p.pk not in decisions]
        if missing or not decisions:
            raise ValidationError(_("尚未对每个当事人提出处理意见：%(names)s")
                                  % {"names": "、".join(missing) or _("未列明当事人")})
        review = _legal_review(stated, _hearing_held(case))
        hearing_level = any(d.hearing_rights for d in decisions.values())
        collective = procedure.collective_discussion_required(
            complex=stated["complex"], major_violation=stated["major_violation"],
            especially_serious_and_egregious=stated["especially_serious_and_egregious"],
            heavier_penalty=hearing_level, hearing_level=hearing_level, decided=on)
        case.review_required, case.collective_required = review.required, collective.required
        case.assessment = {"facts": stated, "legal_review": _requirement(review),
                           "collective": _requirement(collective),
                           "hearing_citations": case.assessment.get("hearing_citations", [])}
        case.assessed_on = on
        saved(case)
        record_event(actor=actor, obj=case, action="case.assessed", payload={
            "on": on, "facts": stated, "legal_review": case.assessment["legal_review"],
            "collective": case.assessment["collective"]})
    return case


# --- 3. legal review (法制审核) -------------------------------------------------------------

def _reviewing(actor: User, case: PenaltyCase, version: int, what: str):
    """The case locked for a reviewer who is not one of its handlers, with the open round."""
    case = staged_case(actor, case, version, states={S.LEGAL_REVIEW},
                       roles={workflow.REVIEWER}, what=what)
    if is_handler(actor, case):
        raise PermissionDenied(_("法制审核人员不得为本案承办人员"))
    review = latest_review(case)
    if review is None or review.conclusion:
        raise ValidationError(_("本案没有待审核的法制审核"))
    return case, review


def review_opinion_add(*, actor: User, case: PenaltyCase, version: int, issue: str, law: str,
                       suggestion: str) -> ReviewOpinion:
    """One opinion of the open review round, numbered 1..n within the round."""
    values = {"issue": _text(issue), "law": _text(law), "suggestion": _text(suggestion)}
    if not all(values.values()):
        raise ValidationError(_("审核意见应写明问题、法律依据和审核建议"))
    with transaction.atomic():
        case, review = _reviewing(actor, case, version, _("提出审核意见"))
        number = review.opinions.count() + 1
        opinion = ReviewOpinion.objects.create(review=review, number=number, **values)
        saved(case)
        record_event(actor=actor, obj=case, action="case.review_opinion_added", payload={
            "review": review.pk, "round": review.round, "opinion": opinion.pk,
            "number": number, **values})
    return opinion


def legal_review_conclude(*, actor: User, case: PenaltyCase, version: int, conclusion: str,
                          summary: str = "", on: datetime.date | None = None) -> PenaltyCase:
    """Conclude the open round and move the case: agree → 负责人审批; modify / disagree →
    back to case review (with the opinions given); supplement → back to investigation
    (the summary is the reason). One event: the move's, carrying the conclusion."""
    on = on or timezone.localdate()
    summary = _text(summary)
    if conclusion not in ReviewConclusion.values:
        raise ValidationError({"conclusion": _("审核结论不正确")})
    if conclusion == ReviewConclusion.SUPPLEMENT and not summary:
        raise ValidationError({"summary": _("退回补充调查的，应写明需要补充调查的事项")})
    with transaction.atomic():
        case, review = _reviewing(actor, case, version, _("作出审核结论"))
        if on < review.submitted_on:
            raise ValidationError({"on": _("审核日期不能早于提交审核日期")})
        review.reviewer, review.concluded_on = actor, on
        review.conclusion, review.summary = conclusion, summary
        review.save(update_fields=["reviewer", "concluded_on", "conclusion", "summary"])
        action = _CONCLUSION_MOVES[conclusion]
        return transition_locked(
            actor=actor, case=case, action=action, on=on,
            reason=summary if action == "return_investigation" else "",
            extra={"review": review.pk, "round": review.round, "conclusion": conclusion,
                   "summary": summary, "opinions": review.opinions.count()})


def review_opinion_answer(*, actor: User, case: PenaltyCase, version: int,
                          opinion: ReviewOpinion, answer: str,
                          on: datetime.date | None = None) -> ReviewOpinion:
    """The handler's answer to one review opinion (each must be answered before the case
    is submitted again)."""
    on = on or timezone.localdate()
    answer = _text(answer)
    if not answer:
        raise ValidationError({"answer": _("请填写对审核意见的回复")})
    with transaction.atomic():
        case = _handling(actor, case, version, {S.CASE_REVIEW, S.INVESTIGATION},
                         _("回复审核意见"))
        opinion = ReviewOpinion.objects.select_related("review").get(pk=opinion.pk)
        if opinion.review.case_id != case.pk:
            raise ValidationError({"opinion": _("该审核意见不属于本案")})
        opinion.answer, opinion.answered_by, opinion.answered_on = answer, actor, on
        opinion.save(update_fields=["answer", "answered_by", "answered_on"])
        saved(case)
        record_event(actor=actor, obj=case, action="case.review_opinion_answered", payload={
            "opinion": opinion.pk, "round": opinion.review.round, "number": opinion.number,
            "answer": answer, "on": on})
    return opinion


# --- 4. collective discussion (集体讨论) --------------------------------------------------

def collective_discussion_record(
    *, actor: User, case: PenaltyCase, version: int, date: datetime.date, host: str,
    attendees: list[str], opinions: list[dict], conclusion: str,
) -> CollectiveDiscussion:
    """The heads' discussion (第五十七条第二款): who attended, what each said, the
    conclusion; held after the case was submitted to it, not in the future."""
    host, conclusion = _text(host), _text(conclusion)
    names = [_text(n) for n in attendees if _text(n)]
    spoken = [{"name": _text(o.get("name")), "opinion": _text(o.get("opinion"))}
              for o in opinions]
    if not host or not names or not conclusion:
        raise ValidationError(_("集体讨论记录应写明主持人、出席人员和讨论结论"))
    strangers = [o["name"] for o in spoken if o["name"] not in names]
    if strangers or any(not o["opinion"] for o in spoken):
        raise ValidationError({"opinions": _("讨论意见应由出席人员发表并写明内容：%(names)s")
                               % {"names": "、".join(strangers) or _("意见为空")}})
    _not_future(date, "date", _("讨论日期"))
    with transaction.atomic():
        case = staged_case(actor, case, version, states={S.COLLECTIVE},
                           roles={workflow.LEADER}, what=_("记录集体讨论"))
        submitted = object_events(case).filter(action="case.submit_collective").last()
        since = datetime.date.fromisoformat(submitted.payload["on"]) if submitted else None
        if since is not None and date < since:
            raise ValidationError({"date": _("讨论日期不能早于提请集体讨论日期（%(day)s）")
                                   % {"day": f"{since:%Y年%m月%d日}"}})
        discussion = CollectiveDiscussion.objects.create(
            case=case, date=date, host=host, attendees=names, opinions=spoken,
            conclusion=conclusion, recorded_by=actor)
        saved(case)
        record_event(actor=actor, obj=case, action="case.discussed", payload={
            "discussion": discussion.pk, "date": date, "host": host, "attendees": names,
            "opinions": spoken, "conclusion": conclusion})
    return discussion


# --- 5. the notice served (告知书送达) ------------------------------------------------------

def notice_served(*, actor: User, case: PenaltyCase, version: int,
                  served_on: datetime.date) -> CaseNotice:
    """Record service of the notice; the statement period (第四十四、四十五条, its length
    the jurisdiction's configuration) and, with hearing rights, the hearing-request period
    (第六十四条第（一）项: five working days) run from it."""
    _not_future(served_on, "served_on", _("送达日期"))
    with transaction.atomic():
        case = _handling(actor, case, version, {S.NOTICE}, _("登记告知书送达"))
        notice = latest_notice(case)
        if notice is None:
            raise ValidationError(_("本案尚未制作告知书"))
        if notice.served_on is not None:
            raise ValidationError(_("告知书已于%(day)s送达")
                                  % {"day": f"{notice.served_on:%Y年%m月%d日}"})
        if served_on < notice.issued_on:
            raise ValidationError({"served_on": _("送达日期不能早于告知书制作日期")})
        schedule = load_schedule()
        statement = deadlines.statement_deadline(schedule, served_on)
        found = [statement]
        if notice.hearing_rights:
            found.append(deadlines.hearing_request_deadline(schedule, served_on))
        notice.served_on, notice.statement_due = served_on, statement.date
        notice.hearing_request_due = found[1].date if notice.hearing_rights else None
        added = _cited(c for d in found for c in d.citations)
        notice.citations = notice.citations + [c for c in added if c not in notice.citations]
        notice.save(update_fields=["served_on", "statement_due", "hearing_request_due",
                                   "citations"])
        saved(case)
        record_event(actor=actor, obj=case, action="case.notice_served", payload={
            "notice": notice.pk, "number": notice.number, "served_on": served_on,
            "statement_due": notice.statement_due,
            "hearing_request_due": notice.hearing_request_due,
            "notes": [n for d in found for n in d.notes], "citations": added})
    return notice


# --- 6. statements (陈述申辩) ---------------------------------------------------------------

def statement_record(*, actor: User, case: PenaltyCase, version: int, party: CaseParty,
                     received_on: datetime.date, waived: bool = False,
                     content: str = "") -> DefenceStatement:
    """The party's statement and defence, or its express waiver (one or the other),
    received after the notice was served."""
    content = _text(content)
    if waived == bool(content):
        raise ValidationError(_("请填写陈述申辩内容，或登记当事人明确放弃（二者择一）"))
    _not_future(received_on, "received_on", _("收到日期"))
    with transaction.atomic():
        case = _handling(actor, case, version, {S.NOTICE, S.HEARING}, _("登记陈述申辩"))
        if party.case_id != case.pk:
            raise ValidationError({"party": _("该当事人不属于本案")})
        notice = latest_notice(case)
        if notice is None or notice.served_on is None:
            raise ValidationError(_("告知书尚未送达，不能登记陈述申辩"))
        if received_on < notice.served_on:
            raise ValidationError({"received_on": _("收到日期不能早于告知书送达日期")})
        statement = DefenceStatement.objects.create(
            case=case, party=party, received_on=received_on, waived=waived, content=content,
            recorded_by=actor)
        saved(case)
        record_event(actor=actor, obj=case, action="case.statement_recorded", payload={
            "statement": statement.pk, "party": party.pk, "name": party.name,
            "received_on": received_on, "waived": waived, "content": content})
    return statement


def statement_review(*, actor: User, case: PenaltyCase, version: int,
                     statement: DefenceStatement, review: str,
                     adopted: bool) -> DefenceStatement:
    """The agency's review (复核, 第四十五条第一款) of what the party said: whether its
    facts, reasons and evidence hold (成立的，应当采纳)."""
    review = _text(review)
    if not review:
        raise ValidationError({"review": _("请填写复核意见")})
    if not isinstance(adopted, bool):
        raise ValidationError({"adopted": _("请选择是否采纳")})
    with transaction.atomic():
        case = _handling(actor, case, version, {S.NOTICE, S.HEARING}, _("复核陈述申辩"))
        statement = DefenceStatement.objects.get(pk=statement.pk)
        if statement.case_id != case.pk:
            raise ValidationError({"statement": _("该陈述申辩不属于本案")})
        if statement.waived:
            raise ValidationError(_("当事人已明确放弃陈述申辩，无需复核"))
        statement.review, statement.adopted = review, adopted
        statement.save(update_fields=["review", "adopted"])
        saved(case)
        record_event(actor=actor, obj=case, action="case.statement_reviewed", payload={
            "statement": statement.pk, "review": review, "adopted": adopted})
    return statement


# --- 7. the hearing (听证) ------------------------------------------------------------------

def _hearing(case: PenaltyCase) -> Hearing:
    hearing = Hearing.objects.filter(case=case).first()
    if hearing is None:
        raise ValidationError(_("当事人未要求听证"))
    return hearing


def hearing_schedule(*, actor: User, case: PenaltyCase, version: int,
                     notice_sent_on: datetime.date, hearing_date: datetime.date, place: str,
                     host: str) -> Hearing:
    """Fix the hearing: the notice must go out at least seven working days before it
    (第六十四条第（二）项, 第八十五条), counted by the engine on the holiday calendar."""
    place, host = _text(place), _text(host)
    if not place or not host:
        raise ValidationError(_("应写明听证地点和主持人"))
    _not_future(notice_sent_on, "notice_sent_on", _("通知日期"))
    if notice_sent_on > hearing_date:
        raise ValidationError({"hearing_date": _("听证日期不能早于通知日期")})
    try:
        compliance = procedure.hearing_notice_compliant(notice_sent_on, hearing_date,
                                                        load_schedule())
    except ValueError as exc:
        raise ValidationError({"hearing_date": str(exc)}) from None
    if not compliance.compliant:
        raise ValidationError({"notice_sent_on": _(
            "听证通知应在举行听证的七个工作日前送达当事人，%(day)s举行听证的，最迟应于%(last)s"
            "通知（《行政处罚法》第六十四条第（二）项、第八十五条）")
            % {"day": f"{hearing_date:%Y年%m月%d日}",
               "last": f"{compliance.last_notice_day:%Y年%m月%d日}"}})
    with transaction.atomic():
        case = _handling(actor, case, version, {S.HEARING}, _("安排听证"))
        hearing = _hearing(case)
        if hearing.report:
            raise ValidationError(_("听证已举行，不能再安排"))
        if notice_sent_on < hearing.requested_on:
            raise ValidationError({"notice_sent_on": _("通知日期不能早于当事人要求听证的日期")})
        if not hearing.notice_number:  # 听证通知书: numbered once, kept when rescheduled
            hearing.notice_number = document_number_allocate(
                actor=actor, agency=case.agency, doc_type="hearing_summons",
                year=notice_sent_on.year).text
        hearing.notice_sent_on, hearing.hearing_date = notice_sent_on, hearing_date
        hearing.place, hearing.host, hearing.notice_compliant = place, host, True
        hearing.save(update_fields=["notice_number", "notice_sent_on", "hearing_date", "place",
                                    "host", "notice_compliant"])
        saved(case)
        record_event(actor=actor, obj=case, action="case.hearing_scheduled", payload={
            "notice_number": hearing.notice_number, "notice_sent_on": notice_sent_on,
            "hearing_date": hearing_date, "place": place, "host": host,
            "last_notice_day": compliance.last_notice_day,
            "citations": _cited(compliance.citations)})
    return hearing


def hearing_report_save(*, actor: User, case: PenaltyCase, version: int, record: str,
                        report: str, on: datetime.date | None = None) -> Hearing:
    """The hearing record (听证笔录) and report (听证报告), from the hearing day on. A case
    heard may now need legal review (第五十八条第一款第（二）项: major rights and a
    hearing), so the engine is asked again on the facts already stated."""
    on = on or timezone.localdate()
    record, report = _text(record), _text(report)
    if not record or not report:
        raise ValidationError(_("应填写听证笔录和听证报告"))
    with transaction.atomic():
        case = _handling(actor, case, version, {S.HEARING}, _("登记听证笔录和报告"))
        hearing = _hearing(case)
        if hearing.hearing_date is None:
            raise ValidationError(_("尚未安排听证"))
        if on < hearing.hearing_date:
            raise ValidationError({"on": _("听证尚未举行（听证日期%(day)s）")
                                   % {"day": f"{hearing.hearing_date:%Y年%m月%d日}"}})
        hearing.record, hearing.report = record, report
        hearing.save(update_fields=["record", "report"])
        review = _legal_review(case.assessment.get("facts", {}), hearing_held=True)
        case.review_required = review.required
        case.assessment = {**case.assessment, "legal_review": _requirement(review)}
        case.assessed_on = on
        saved(case)
        record_event(actor=actor, obj=case, action="case.hearing_reported", payload={
            "on": on, "record": record, "report": report,
            "legal_review": case.assessment["legal_review"]})
    return hearing
