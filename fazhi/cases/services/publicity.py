"""Publicity, credit and remedies (公示、信用修复、复议诉讼) of penalty decisions.

- Publication on the public portal (行政处罚公示): 7 working days after the decision
  (安全生产法(2021) 第七十八条第二款; the due day is set when deciding), with personal data
  masked; a late publication is allowed and recorded as late.
- Early credit repair (信用修复): the enterprise (logged in) applies once the minimum
  publicity period has run and the fine is paid; an officer or head approves or refuses
  with reasons; approval ends the publicity.
- Reconsideration and litigation (行政复议、行政诉讼) and their results; a decision set
  aside, varied or found unlawful is withdrawn from the public record (《行政处罚法》
  第四十八条第二款).

These records are also made after the case is closed or archived, so they do not take
the case's version: the case row is locked for the transaction, the actor's right and
jurisdiction are checked, and the event is still written on the case."""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from fazhi.cases.models import (
    CaseParty,
    CreditRecord,
    CreditRepairApplication,
    InvestigationReport,
    PartyDecision,
    PartyKind,
    PenaltyCase,
    Publicity,
    Remedy,
)
from fazhi.cases.rules import workflow
from fazhi.cases.services.workflow import execution_state
from fazhi.core import calendar
from fazhi.core.models import Role, User
from fazhi.core.pagecache import PUBLIC_PAGES, pages_changed
from fazhi.core.rules.calendar import day_text
from fazhi.core.rules.money import yuan_text
from fazhi.core.services.events import record_event
from fazhi.inspection.rules.access import path_contains
from fazhi.legal.labels import MEASURE_LABELS
from fazhi.legal.rules.citations import APL, cite
from fazhi.subjects.rules.masking import ID_NUMBER_IN_TEXT, MOBILE_IN_TEXT, mask_person_name

STAFF = (workflow.OFFICER, workflow.LEADER)

# Which results fit which remedy (行政复议: 维持/变更/撤销/确认违法; 行政诉讼: 胜诉/败诉/撤诉).
RESULTS_BY_KIND: dict[str, frozenset[str]] = {
    Remedy.Kind.RECONSIDERATION: frozenset({Remedy.Result.UPHELD, Remedy.Result.VARIED,
                                            Remedy.Result.REVOKED, Remedy.Result.ILLEGAL}),
    Remedy.Kind.LITIGATION: frozenset({Remedy.Result.WON, Remedy.Result.LOST,
                                       Remedy.Result.WITHDRAWN}),
}
# 《行政处罚法》第四十八条第二款: a published decision 变更、撤销、确认违法或者确认无效 is
# withdrawn within three (working) days. A lost lawsuit is one of those judgments.
WITHDRAWING_RESULTS = frozenset({Remedy.Result.VARIED, Remedy.Result.REVOKED,
                                 Remedy.Result.ILLEGAL, Remedy.Result.LOST})
WITHDRAW_WORKING_DAYS = 3


# --- masking (pure) ---------------------------------------------------------------------------

def _masked(text: str, names: Iterable[str]) -> str:
    """`text` with every named person masked and ID and mobile numbers removed."""
    for name in sorted({n.strip() for n in names if n and n.strip()}, key=len, reverse=True):
        text = text.replace(name, mask_person_name(name))
    text = ID_NUMBER_IN_TEXT.sub(_("[身份证号码已隐去]"), text)
    return MOBILE_IN_TEXT.sub(_("[电话号码已隐去]"), text)


def publicity_content(decision: PartyDecision) -> str:
    """The text published on the public portal: number, party (an individual only by
    masked name, never an ID number), facts from the investigation report, the item and
    provision applied, the penalty, the agency, the decision date."""
    party = decision.party
    case = party.case
    people = [p.name for p in CaseParty.objects.filter(case=case).exclude(kind=PartyKind.UNIT)]
    if party.kind == PartyKind.UNIT:
        who = _("%(name)s（统一社会信用代码：%(uscc)s）") % {"name": party.name,
                                                         "uscc": case.enterprise.uscc}
    else:
        who = _("%(name)s（%(kind)s）") % {"name": mask_person_name(party.name),
                                          "kind": party.get_kind_display()}
    report = InvestigationReport.objects.filter(case=case).first()
    if report is None:
        raise ValidationError(_("本案没有调查终结报告，无法生成公示内容"))
    basis = []
    if decision.item is not None:
        provisions = "、".join(f"《{p.law.name}》{p.label}"
                               for p in decision.item.penalty.select_related("law"))
        basis.append(f"{decision.item.name}（{provisions}）" if provisions
                     else decision.item.name)
    penalty = [str(MEASURE_LABELS.get(m, m)) for m in decision.measures if m != "fine"]
    if decision.fine:
        penalty.append(_("罚款人民币%(amount)s") % {"amount": yuan_text(decision.fine)})
    if decision.confiscation:
        penalty.append(_("没收违法所得、非法财物人民币%(amount)s")
                       % {"amount": yuan_text(decision.confiscation)})
    lines = [
        _("行政处罚决定书文号：%(v)s") % {"v": decision.number},
        _("当事人：%(v)s") % {"v": who},
        _("违法事实：%(v)s") % {"v": _masked(report.facts, people)},
        _("处罚依据：%(v)s") % {"v": "；".join(basis) or _("见行政处罚决定书")},
        _("处罚内容：%(v)s") % {"v": "；".join(penalty)},
        _("执法机关：%(v)s") % {"v": case.agency.name},
        _("决定日期：%(v)s") % {"v": day_text(decision.decided_on)},
    ]
    return "\n".join(lines)


# --- locking and rights -----------------------------------------------------------------------

def _locked(actor: User, case_id: int, *, roles: Collection[str], what: str) -> PenaltyCase:
    """The case row locked for this transaction once a staff member of its jurisdiction
    in one of `roles` may write `what` (no version: the case may be closed)."""
    case = PenaltyCase.objects.select_for_update().get(pk=case_id)
    own = actor.jurisdiction
    if not actor.is_active or not path_contains(own.path if own else None,
                                                case.jurisdiction_path):
        raise PermissionDenied(_("该案件不在您的辖区内"))
    if actor.role not in roles:
        raise PermissionDenied(_("您的角色不能%(what)s") % {"what": what})
    return case


def _case_id(model: type[Model], pk: int, path: str) -> int:
    """The id of the case a record belongs to, read without loading the record (which
    is read again once the case row is locked)."""
    return model.objects.values_list(path, flat=True).get(pk=pk)


def _day_checked(on: datetime.date, earliest: datetime.date | None, field: str,
                 what: str, since: str) -> None:
    if on > timezone.localdate():
        raise ValidationError({field: _("%(what)s不能晚于今天") % {"what": what}})
    if earliest is not None and on < earliest:
        raise ValidationError({field: _("%(what)s不能早于%(since)s（%(day)s）")
                               % {"what": what, "since": since, "day": day_text(earliest)}})


def _end_publicity(decision: PartyDecision, on: datetime.date, reason: str) -> int | None:
    publicity = Publicity.objects.filter(decision=decision, ended_on__isnull=True).first()
    if publicity is None:
        return None
    publicity.ended_on, publicity.ended_reason = on, reason
    publicity.save(update_fields=["ended_on", "ended_reason"])
    pages_changed(PUBLIC_PAGES)  # off the portal at once, not when its cache expires
    return publicity.pk


# --- publication ------------------------------------------------------------------------------

def publicity_publish(*, actor: User, publicity: Publicity,
                      on: datetime.date | None = None) -> Publicity:
    """Publish a decision on the public portal with the masked content; it stays
    until the credit record's latest publicity end (when the party has one)."""
    on = on or timezone.localdate()
    with transaction.atomic():
        case = _locked(actor, _case_id(Publicity, publicity.pk, "decision__party__case_id"),
                       roles=STAFF, what=_("公示处罚决定"))
        publicity = Publicity.objects.select_related("decision__party").get(pk=publicity.pk)
        decision = publicity.decision
        if decision.decided_on is None or not decision.number:
            raise ValidationError(_("处罚决定尚未作出，不能公示"))
        if publicity.published_on is not None:
            raise ValidationError(_("该决定已于%(day)s公示")
                                  % {"day": day_text(publicity.published_on)})
        if publicity.ended_on is not None:
            raise ValidationError(_("该公示已撤下（%(reason)s），不能再公示")
                                  % {"reason": publicity.ended_reason})
        _day_checked(on, decision.decided_on, "on", _("公示日期"), _("决定日期"))
        credit = CreditRecord.objects.filter(decision=decision).first()
        publicity.content = publicity_content(decision)
        publicity.published_on = on
        publicity.ends_on = credit.publicity_ends_at_latest if credit else None
        publicity.save(update_fields=["content", "published_on", "ends_on"])
        pages_changed(PUBLIC_PAGES)
        record_event(actor=actor, obj=case, action="case.publicity_published", payload={
            "publicity": publicity.pk, "decision": decision.pk, "number": decision.number,
            "published_on": on, "due": publicity.due, "late": on > publicity.due,
            "ends_on": publicity.ends_on, "content": publicity.content,
            "citations": publicity.citations})
    return publicity


# --- credit repair (信用修复) -----------------------------------------------------------------

def _rule_of(credit: CreditRecord, element: str) -> str:
    """The rule the credit record cites for `element` (e.g. 《…办法》第十条)."""
    for c in credit.citations:
        if c.get("applies_to") == element:
            return f"《{c['law']}》{c['article']}"
    return ""


def credit_repair_apply(*, actor: User, credit: CreditRecord, statement: str,
                        on: datetime.date | None = None) -> CreditRepairApplication:
    """The enterprise applies for early repair of its credit record: not before the
    minimum publicity period ended (`earliest_repair` from the engine), once the
    penalty is fully paid, one pending application at a time."""
    on = on or timezone.localdate()
    statement = (statement or "").strip()
    if not (actor.is_active and actor.role == Role.ENTERPRISE
            and actor.enterprise_id == credit.enterprise_id):
        raise PermissionDenied(_("只有该企业的用户才能申请修复本企业的信用记录"))
    if not statement:
        raise ValidationError({"statement": _("应写明申请理由及整改情况")})
    with transaction.atomic():
        case = PenaltyCase.objects.select_for_update().get(
            pk=_case_id(CreditRecord, credit.pk, "decision__party__case_id"))
        credit = CreditRecord.objects.select_related("decision__party").get(pk=credit.pk)
        decision = credit.decision
        _day_checked(on, decision.decided_on, "on", _("申请日期"), _("决定日期"))
        if credit.repaired_on is not None:
            raise ValidationError(_("该信用记录已于%(day)s修复")
                                  % {"day": day_text(credit.repaired_on)})
        if credit.repair_applications.filter(
                status=CreditRepairApplication.Status.PENDING).exists():
            raise ValidationError(_("已有一份修复申请正在审核，请等待审核结果"))
        if credit.earliest_repair is not None and on < credit.earliest_repair:
            raise ValidationError({"on": _(
                "最短公示期尚未届满，%(day)s起方可申请信用修复（%(rule)s）")
                                   % {"day": day_text(credit.earliest_repair),
                                      "rule": _rule_of(credit, "credit.earliest_repair")}})
        if decision.amount_due > 0:
            state = execution_state(decision, on)
            if state is None or not state.settled:
                owed = (_("尚欠罚没款%(p)s、加处罚款%(s)s")
                        % {"p": yuan_text(state.principal_outstanding),
                           "s": yuan_text(state.surcharge_outstanding)}) if state else _(
                    "决定书尚未送达")
                raise ValidationError(_(
                    "行政处罚规定的义务尚未履行完毕（%(owed)s），不能申请信用修复")
                    % {"owed": owed})
        application = CreditRepairApplication.objects.create(
            credit=credit, applied_on=on, applicant=actor, statement=statement)
        record_event(actor=actor, obj=case, action="case.credit_repair_applied", payload={
            "application": application.pk, "credit": credit.pk, "decision": decision.pk,
            "applied_on": on, "statement": statement,
            "earliest_repair": credit.earliest_repair})
    return application


def credit_repair_decide(*, actor: User, application: CreditRepairApplication, approve: bool,
                         reason: str, on: datetime.date | None = None,
                         ) -> CreditRepairApplication:
    """An officer or head approves or refuses an application, with reasons. Approval
    repairs the credit record and ends the decision's publicity (信用修复)."""
    on = on or timezone.localdate()
    reason = (reason or "").strip()
    with transaction.atomic():
        case = _locked(actor, _case_id(CreditRepairApplication, application.pk,
                                       "credit__decision__party__case_id"),
                       roles=STAFF, what=_("审核信用修复申请"))
        application = CreditRepairApplication.objects.select_related(
            "credit__decision__party").get(pk=application.pk)
        credit = application.credit
        if not reason:
            raise ValidationError({"reason": _("应写明审核理由")})
        if application.status != CreditRepairApplication.Status.PENDING:
            raise ValidationError(_("该申请已审核（%(status)s）")
                                  % {"status": application.get_status_display()})
        _day_checked(on, application.applied_on, "on", _("审核日期"), _("申请日期"))
        application.status = (CreditRepairApplication.Status.APPROVED if approve
                              else CreditRepairApplication.Status.REFUSED)
        application.decided_on, application.decided_by = on, actor
        application.decision_reason = reason
        application.save(update_fields=["status", "decided_on", "decided_by",
                                        "decision_reason"])
        ended = None
        if approve:
            credit.repaired_on = on
            credit.save(update_fields=["repaired_on"])
            ended = _end_publicity(credit.decision, on, _("信用修复"))
        record_event(actor=actor, obj=case, action="case.credit_repair_decided", payload={
            "application": application.pk, "credit": credit.pk, "approved": bool(approve),
            "reason": reason, "on": on, "publicity_ended": ended})
    return application


# --- reconsideration and litigation (复议诉讼) ------------------------------------------------

def remedy_record(*, actor: User, decision: PartyDecision, kind: str,
                  filed_on: datetime.date, body: str) -> Remedy:
    """Record an application for reconsideration or a lawsuit against a served
    decision (pending). While it runs the surcharge is not counted
    (《行政处罚法》第七十三条第三款, in `execution_state`)."""
    body = (body or "").strip()
    if kind not in Remedy.Kind.values:
        raise ValidationError({"kind": _("类别应为行政复议或行政诉讼")})
    if not body:
        raise ValidationError({"body": _("应写明复议机关或人民法院")})
    with transaction.atomic():
        case = _locked(actor, _case_id(PartyDecision, decision.pk, "party__case_id"),
                       roles=STAFF, what=_("登记复议诉讼"))
        decision = PartyDecision.objects.select_related("party").get(pk=decision.pk)
        if decision.decided_on is None or decision.served_on is None:
            raise ValidationError(_("决定书尚未送达，不能登记复议诉讼"))
        _day_checked(filed_on, decision.served_on, "filed_on", _("申请（起诉）日期"),
                     _("送达日期"))
        if decision.remedies.filter(result=Remedy.Result.PENDING).exists():
            raise ValidationError(_("该决定已有正在审理的复议或诉讼"))
        remedy = Remedy.objects.create(decision=decision, kind=kind, filed_on=filed_on,
                                       body=body)
        record_event(actor=actor, obj=case, action="case.remedy_filed", payload={
            "remedy": remedy.pk, "decision": decision.pk, "kind": kind,
            "filed_on": filed_on, "body": body})
    return remedy


def remedy_conclude(*, actor: User, remedy: Remedy, result: str,
                    decided_on: datetime.date) -> Remedy:
    """Record the outcome of a remedy. A decision varied, revoked, found unlawful or a
    lawsuit lost takes the decision off the public portal (《行政处罚法》第四十八条第二款:
    withdrawn within three working days, the event says by when)."""
    with transaction.atomic():
        case = _locked(actor, _case_id(Remedy, remedy.pk, "decision__party__case_id"),
                       roles=STAFF, what=_("登记复议诉讼结果"))
        remedy = Remedy.objects.select_related("decision__party").get(pk=remedy.pk)
        if result not in RESULTS_BY_KIND[remedy.kind]:
            raise ValidationError({"result": _("%(kind)s的结果应为：%(results)s") % {
                "kind": remedy.get_kind_display(),
                "results": "、".join(str(label) for value, label in Remedy.Result.choices
                                    if value in RESULTS_BY_KIND[remedy.kind])}})
        if remedy.result != Remedy.Result.PENDING:
            raise ValidationError(_("该%(kind)s已有结果（%(result)s）")
                                  % {"kind": remedy.get_kind_display(),
                                     "result": remedy.get_result_display()})
        _day_checked(decided_on, remedy.filed_on, "decided_on", _("决定（判决）日期"),
                     _("申请（起诉）日期"))
        remedy.result, remedy.decided_on = result, decided_on
        remedy.save(update_fields=["result", "decided_on"])
        payload: dict = {"remedy": remedy.pk, "decision": remedy.decision_id,
                         "kind": remedy.kind, "result": result, "decided_on": decided_on}
        if result in WITHDRAWING_RESULTS:
            reason = f"{remedy.get_kind_display()}{remedy.get_result_display()}"
            withdraw = calendar.add_working_days(decided_on, WITHDRAW_WORKING_DAYS)
            payload.update({
                "publicity_ended": _end_publicity(remedy.decision, decided_on, reason),
                "withdraw_due": withdraw.date,
                "citation": cite(APL, "第四十八条第二款", "publicity.withdrawal").as_dict()})
        record_event(actor=actor, obj=case, action="case.remedy_concluded", payload=payload)
    return remedy
