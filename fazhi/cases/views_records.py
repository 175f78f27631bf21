"""The records of a case's stages on its page (案件审核 to 复议诉讼): what each section
shows, which form the user sees (mirroring the service's own checks: role, handler,
stage, the record's state), and the POST view that calls the service.

Every form posts to its own URL (`cases:case_record` with the record's slug); the view
validates it, calls the service and, on a refusal, shows the service's Chinese message
with nothing changed; either way it redirects back to the case page. The services
remain the only judges: a form hidden here is still refused there."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from fazhi.cases import documents, selectors, services
from fazhi.cases import forms_records as f
from fazhi.cases.deadlines import case_deadlines
from fazhi.cases.models import (
    CaseStatus,
    CreditRepairApplication,
    Hearing,
    Outcome,
    PartyDecision,
    Payment,
    PenaltyCase,
    Remedy,
    Transfer,
)
from fazhi.cases.rules import workflow
from fazhi.cases.rules.access import READ_ONLY_MESSAGE, may_write
from fazhi.cases.services.execution import TRANSFER_STATES
from fazhi.cases.services.workflow import execution_state, latest_notice, latest_review
from fazhi.core.feedback import refused
from fazhi.core.models import Role, User
from fazhi.legal.views import MEASURE_LABELS

S = CaseStatus

# --- the record pattern -------------------------------------------------------------------------


def case_or_404(user: User, pk: int) -> PenaltyCase:
    case = selectors.case_get(user=user, pk=pk)
    if case is None:
        raise Http404(_("未找到该案件"))
    return case


def case_for_write(user: User, pk: int) -> PenaltyCase:
    """The case a POST writes to: a read-only user is refused (403) before the case is
    even looked up, so the answer says nothing about it; outside the scope: 404."""
    if not may_write(user):
        raise PermissionDenied(READ_ONLY_MESSAGE)
    return case_or_404(user, pk)


def back(case: PenaltyCase) -> HttpResponse:
    return redirect(reverse("cases:case_detail", args=[case.pk]))


def record(request: HttpRequest, case: PenaltyCase, form: Any, write: Callable[[dict], Any],
           done: str) -> HttpResponse:
    """Validate `form` and call its service; every refusal goes to messages (in Chinese,
    with the field's label) and nothing is changed; back to the case page either way."""
    if not form.is_valid():
        for name, errors in form.errors.items():
            field = form.fields.get(name)
            for error in errors:
                shown = field is not None and not field.widget.is_hidden and field.label
                messages.error(request, f"{field.label}：{error}" if shown else error)
        return back(case)
    try:
        write(form.cleaned_data)
    except (ValidationError, PermissionDenied) as exc:
        refused(request, exc)
        return back(case)
    messages.success(request, done)
    return back(case)


@dataclass(frozen=True)
class Record:
    form: type[f.CaseRecordForm]
    # (actor, case, form's cleaned data, form) → the service's call
    write: Callable[[User, PenaltyCase, dict, Any], Any]
    done: Any  # the success message


def _money(value: Decimal | None) -> Decimal:
    return value if value is not None else Decimal(0)


RECORDS: dict[str, Record] = {
    "propose": Record(f.ProposalForm, lambda u, c, d, form: services.party_decision_propose(
        actor=u, case=c, version=d["version"], party=d["party"], outcome=d["outcome"],
        reason=d["reason"], item_code=d["item_code"] or None, measures=d["measures"],
        fine=_money(d["fine"]), confiscation=_money(d["confiscation"]), tier=d["tier"],
        lighter_facts=form.lighter_facts(), deviation_reason=d["deviation_reason"],
        exempt_ground=d["exempt_ground"], waived_amount=d["waived_amount"],
        credit_severity=d["credit_severity"], stage=d["stage"],
        income_prev_year=d["income_prev_year"]),
        gettext_lazy("处理意见已保存，请重新进行法律适用评估")),
    "assess": Record(f.AssessForm, lambda u, c, d, form: services.case_assess(
        actor=u, case=c, version=d["version"], facts=form.stated()),
        gettext_lazy("已由处罚引擎评估是否需要法制审核和集体讨论")),
    "opinion": Record(f.OpinionForm, lambda u, c, d, form: services.review_opinion_add(
        actor=u, case=c, version=d["version"], issue=d["issue"], law=d["law"],
        suggestion=d["suggestion"]), gettext_lazy("审核意见已登记")),
    "conclude_review": Record(f.ConclusionForm, lambda u, c, d, form: (
        services.legal_review_conclude(actor=u, case=c, version=d["version"],
                                       conclusion=d["conclusion"], summary=d["summary"],
                                       on=d["on"])), gettext_lazy("审核结论已作出")),
    "answer": Record(f.AnswerForm, lambda u, c, d, form: services.review_opinion_answer(
        actor=u, case=c, version=d["version"], opinion=d["opinion"], answer=d["answer"],
        on=d["on"]), gettext_lazy("已回复审核意见")),
    "discussion": Record(f.DiscussionForm, lambda u, c, d, form: (
        services.collective_discussion_record(
            actor=u, case=c, version=d["version"], date=d["date"], host=d["host"],
            attendees=d["attendees"], opinions=d["opinions"], conclusion=d["conclusion"])),
        gettext_lazy("集体讨论记录已保存")),
    "notice_served": Record(f.NoticeServedForm, lambda u, c, d, form: services.notice_served(
        actor=u, case=c, version=d["version"], served_on=d["served_on"]),
        gettext_lazy("告知书送达已登记，陈述申辩期限开始计算")),
    "statement": Record(f.StatementForm, lambda u, c, d, form: services.statement_record(
        actor=u, case=c, version=d["version"], party=d["party"],
        received_on=d["received_on"], waived=d["waived"], content=d["content"]),
        gettext_lazy("陈述申辩已登记")),
    "statement_review": Record(f.StatementReviewForm, lambda u, c, d, form: (
        services.statement_review(actor=u, case=c, version=d["version"],
                                  statement=d["statement"], review=d["review"],
                                  adopted=d["adopted"])), gettext_lazy("复核意见已保存")),
    "hearing_schedule": Record(f.HearingScheduleForm, lambda u, c, d, form: (
        services.hearing_schedule(actor=u, case=c, version=d["version"],
                                  notice_sent_on=d["notice_sent_on"],
                                  hearing_date=d["hearing_date"], place=d["place"],
                                  host=d["host"])), gettext_lazy("听证已安排")),
    "hearing_report": Record(f.HearingReportForm, lambda u, c, d, form: (
        services.hearing_report_save(actor=u, case=c, version=d["version"],
                                     record=d["record"], report=d["report"], on=d["on"])),
        gettext_lazy("听证笔录和听证报告已保存")),
    "service": Record(f.ServiceForm, lambda u, c, d, form: services.decision_served_record(
        actor=u, case=c, version=d["version"], decision=d["decision"],
        served_on=d["served_on"], method=d["method"], recipient=d["recipient"]),
        gettext_lazy("送达回证已登记")),
    "payment": Record(f.PaymentForm, lambda u, c, d, form: services.payment_record(
        actor=u, case=c, version=d["version"], decision=d["decision"], kind=d["kind"],
        amount=d["amount"], paid_on=d["paid_on"], receipt=d["receipt"]),
        gettext_lazy("缴款已登记")),
    "arrangement": Record(f.ArrangementForm, lambda u, c, d, form: (
        services.payment_arrangement_approve(actor=u, case=c, version=d["version"],
                                             decision=d["decision"], kind=d["kind"],
                                             reason=d["reason"], schedule=d["schedule"],
                                             on=d["on"])),
        gettext_lazy("已批准暂缓或分期缴纳")),
    "court_apply": Record(f.CourtApplyForm, lambda u, c, d, form: (
        services.court_enforcement_apply(actor=u, case=c, version=d["version"],
                                         decision=d["decision"], applied_on=d["applied_on"],
                                         court=d["court"])),
        gettext_lazy("已登记申请人民法院强制执行")),
    "court_conclude": Record(f.CourtConcludeForm, lambda u, c, d, form: (
        services.court_enforcement_conclude(actor=u, case=c, version=d["version"],
                                            decision=d["decision"],
                                            concluded_on=d["concluded_on"],
                                            outcome=d["outcome"])),
        gettext_lazy("强制执行结果已登记")),
    # The publicity, credit and remedy services take no version: they follow the
    # decision after the case is closed (the form still carries it, like every form).
    "publish": Record(f.PublishForm, lambda u, c, d, form: services.publicity_publish(
        actor=u, publicity=d["publicity"], on=d["on"]), gettext_lazy("处罚决定已公示")),
    "repair_apply": Record(f.RepairApplyForm, lambda u, c, d, form: (
        services.credit_repair_apply(actor=u, credit=d["credit"],
                                     statement=d["statement"])),
        gettext_lazy("信用修复申请已提交")),
    "repair_decide": Record(f.RepairDecideForm, lambda u, c, d, form: (
        services.credit_repair_decide(actor=u, application=d["application"],
                                      approve=d["approve"], reason=d["reason"], on=d["on"])),
        gettext_lazy("信用修复申请已审核")),
    "remedy": Record(f.RemedyForm, lambda u, c, d, form: services.remedy_record(
        actor=u, decision=d["decision"], kind=d["kind"], filed_on=d["filed_on"],
        body=d["body"]), gettext_lazy("复议诉讼已登记")),
    "remedy_conclude": Record(f.RemedyConcludeForm, lambda u, c, d, form: (
        services.remedy_conclude(actor=u, remedy=d["remedy"], result=d["result"],
                                 decided_on=d["decided_on"])),
        gettext_lazy("复议诉讼结果已登记")),
    "transfer": Record(f.TransferForm, lambda u, c, d, form: services.transfer_record(
        actor=u, case=c, version=d["version"], kind=d["kind"], receiver=d["receiver"],
        persons=d["persons"], facts=d["facts"], on=d["on"]), gettext_lazy("案件已移送")),
    "transfer_answer": Record(f.TransferAnswerForm, lambda u, c, d, form: (
        services.transfer_answer(actor=u, case=c, version=d["version"],
                                 transfer=d["transfer"], answer=d["answer"],
                                 answered_on=d["answered_on"], outcome=d["outcome"])),
        gettext_lazy("接收机关回复已登记")),
    "suspend": Record(f.SuspendForm, lambda u, c, d, form: services.case_suspend(
        actor=u, case=c, version=d["version"], reason=d["reason"], on=d["on"]),
        gettext_lazy("案件已中止")),
    "resume": Record(f.ResumeForm, lambda u, c, d, form: services.case_resume(
        actor=u, case=c, version=d["version"], on=d["on"]), gettext_lazy("案件已恢复办理")),
    "extend": Record(f.ExtendForm, lambda u, c, d, form: services.case_extend(
        actor=u, case=c, version=d["version"], reason=d["reason"], on=d["on"]),
        gettext_lazy("办案期限已延长")),
}


@require_POST
@login_required
def case_record(request: HttpRequest, pk: int, what: str) -> HttpResponse:
    spec = RECORDS.get(what)
    if spec is None:
        raise Http404
    case = case_for_write(request.user, pk)
    form = spec.form(request.POST, case=case)
    return record(request, case, form,
                  lambda data: spec.write(request.user, case, data, form), str(spec.done))


# --- what the page shows ---------------------------------------------------------------------


def _related(obj: Model | None, name: str) -> Any:
    """A one-to-one relation, or None where it does not exist."""
    return getattr(obj, name, None) if obj is not None else None


def _cited(citations: list[dict]) -> list[str]:
    """《law》article, once each, in order."""
    return list(dict.fromkeys(f"《{c.get('law', '')}》{c.get('article', '')}"
                              for c in citations or ()))


@dataclass
class Viewer:
    """What the user is on this case (the facts the services check)."""

    user: User
    case: PenaltyCase
    today: datetime.date
    handler: bool

    @property
    def role(self) -> str:
        return self.user.role

    @property
    def handling(self) -> bool:
        """A handling officer of the case (most records are theirs)."""
        return self.role == Role.OFFICER and self.handler

    def handling_in(self, *states: str) -> bool:
        return self.handling and self.case.status in states

    def head_in(self, *states: str) -> bool:
        return self.role == Role.LEADER and self.case.status in states

    @property
    def staff(self) -> bool:
        return self.user.is_staff_role

    @property
    def documents(self) -> bool:
        """May have the case's documents (`services.documents._may_have`): staff, and an
        enterprise user those addressed to it."""
        return self.staff or self.role == Role.ENTERPRISE

    @property
    def desk(self) -> bool:
        """Officers and heads: publicity, credit repair and remedies."""
        return self.role in {Role.OFFICER, Role.LEADER}


def _document_rows(v: Viewer, decisions: list[PartyDecision]) -> list[dict[str, Any]]:
    """The documents of the case (文书): each with its download link, or why it cannot
    be made yet; an enterprise user sees only what is addressed to it, once decided;
    a social supervisor none (issuing one is the agency's act, recorded in the case's
    event record, and the documents carry whole ID numbers)."""
    case = v.case
    enterprise = v.role == Role.ENTERPRISE
    if not v.documents:
        return []
    objects: dict[str, list[Any]] = {
        documents.CASE: [None],
        documents.DECISION: decisions,
        documents.REVIEW: list(case.legal_reviews.order_by("round")),
        documents.DISCUSSION: list(case.discussions.all()),
        documents.NOTICE: list(case.notices.all()),
        documents.TRANSFER: list(case.transfers.all()),
    }
    fits = {"penalty_decision": lambda d: d.outcome == Outcome.PENALTY,
            "no_penalty_decision": lambda d: d.outcome == Outcome.NO_PENALTY,
            "service": lambda d: bool(d.number)}
    rows = []
    for spec in documents.DOCUMENTS.values():
        if enterprise and not spec.enterprise_download:
            continue
        for obj in objects[spec.needs]:
            if spec.code in fits and not fits[spec.code](obj):
                continue
            if enterprise and getattr(obj, "decided_on", None) is None:
                continue
            reason = documents.document_available(spec.code, case, obj)
            url = reverse("cases:case_document", args=[case.pk, spec.code])
            rows.append({"title": spec.title, "about": _about(obj), "kind": spec.code,
                         "obj": obj, "reason": reason,
                         "url": None if reason else (f"{url}?obj={obj.pk}" if obj else url)})
    return rows


def _about(obj: Any) -> str:
    if obj is None:
        return ""
    if isinstance(obj, PartyDecision):
        return obj.party.name
    if hasattr(obj, "round"):
        return _("第%(n)s轮") % {"n": obj.round}
    if hasattr(obj, "number"):
        return obj.number
    return f"{obj.date:%Y-%m-%d}"


def _decision_row(v: Viewer, party: Any, decision: PartyDecision | None,
                  docs: list[dict[str, Any]]) -> dict[str, Any]:
    """One party: its proposal or decision, the engine's figures, execution, publicity,
    credit and remedies, with the forms the user may fill."""
    case, status = v.case, v.case.status
    row: dict[str, Any] = {"party": party, "decision": decision, "forms": {}}
    forms: dict[str, Any] = row["forms"]
    if v.handling_in(S.CASE_REVIEW, S.INVESTIGATION):
        forms["propose"] = f.ProposalForm(case=case, party=party, decision=decision)
    if decision is None:
        return row
    row["measures"] = [MEASURE_LABELS.get(m, m) for m in decision.measures]
    row["citations"] = _cited(decision.citations)
    row["documents"] = [d for d in docs if d["obj"] is decision]
    if decision.decided_on is None:
        return row
    if v.handling_in(S.DECIDED) and decision.served_on is None:
        forms["service"] = f.ServiceForm(case=case, decision=decision)
    state = execution_state(decision, v.today) if decision.payment_due else None
    row["execution"] = state
    row["payments"] = list(decision.payments.all())
    arrangement = _related(decision, "arrangement")
    court = _related(decision, "court_enforcement")
    remedies = list(decision.remedies.all())
    row.update(arrangement=arrangement, court=court)
    owes = decision.outcome == Outcome.PENALTY and decision.amount_due > 0 and state is not None
    if owes and status == S.SERVED:
        if (v.handling or v.role == Role.LEADER) and not state.settled:
            forms["payment"] = f.PaymentForm(case=case, decision=decision)
        paid = any(p.kind == Payment.Kind.PRINCIPAL for p in row["payments"])
        if (v.role == Role.LEADER and arrangement is None and not paid
                and v.today <= decision.payment_due):
            forms["arrangement"] = f.ArrangementForm(case=case, decision=decision)
        open_remedy = any(r.result == Remedy.Result.PENDING for r in remedies)
        set_aside = any(r.result in {Remedy.Result.REVOKED, Remedy.Result.LOST}
                        for r in remedies)
        if (v.role == Role.LEADER and court is None and state.principal_outstanding > 0
                and not open_remedy and not set_aside):
            forms["court_apply"] = f.CourtApplyForm(case=case, decision=decision)
        if v.role == Role.LEADER and court is not None and court.concluded_on is None:
            forms["court_conclude"] = f.CourtConcludeForm(case=case, decision=decision)
    _publicity_and_credit(v, row, decision)
    row["remedies"] = [(r, f.RemedyConcludeForm(case=case, remedy=r)
                        if v.desk and r.result == Remedy.Result.PENDING else None)
                       for r in remedies]
    if (v.desk and decision.served_on is not None
            and not any(r.result == Remedy.Result.PENDING for r in remedies)):
        forms["remedy"] = f.RemedyForm(case=case, decision=decision)
    return row


def _publicity_and_credit(v: Viewer, row: dict[str, Any], decision: PartyDecision) -> None:
    case = v.case
    publicity = _related(decision, "publicity")
    row["publicity"] = publicity
    if (publicity is not None and v.desk and publicity.published_on is None
            and publicity.ended_on is None):
        row["forms"]["publish"] = f.PublishForm(case=case, key=publicity.pk,
                                                initial={"publicity": publicity.pk})
    if publicity is not None:  # due and not published, or published after the due day
        row["publicity_overdue"] = (
            publicity.published_on is None and publicity.ended_on is None
            and v.today > publicity.due) or bool(
            publicity.published_on and publicity.published_on > publicity.due)
    credit = _related(decision, "credit")
    row["credit"] = credit
    if credit is None:
        return
    row["credit_severity"] = f.CREDIT_SEVERITY_LABELS.get(credit.severity, credit.severity)
    applications = list(credit.repair_applications.all())
    row["applications"] = [
        (a, f.RepairDecideForm(case=case, key=a.pk, initial={"application": a.pk})
         if v.desk and a.status == CreditRepairApplication.Status.PENDING else None)
        for a in applications]
    if _may_apply_for_repair(v, decision, credit, applications):
        row["forms"]["repair_apply"] = f.RepairApplyForm(case=case, key=credit.pk,
                                                         initial={"credit": credit.pk})


def _may_apply_for_repair(v: Viewer, decision: PartyDecision, credit: Any,
                          applications: list[CreditRepairApplication]) -> bool:
    """The checks of `credit_repair_apply`: the enterprise's own user, not repaired,
    nothing pending, the minimum period run, the penalty fully paid."""
    if v.role != Role.ENTERPRISE or v.user.enterprise_id != credit.enterprise_id:
        return False
    if credit.repaired_on is not None or any(
            a.status == CreditRepairApplication.Status.PENDING for a in applications):
        return False
    if credit.earliest_repair is not None and v.today < credit.earliest_repair:
        return False
    if decision.amount_due > 0:
        state = execution_state(decision, v.today)
        return state is not None and state.settled
    return True


def _review_section(v: Viewer) -> dict[str, Any]:
    """法制审核 rounds with their opinions, and the reviewer's and handler's forms."""
    case = v.case
    reviews = list(case.legal_reviews.order_by("round").prefetch_related("opinions"))
    current = latest_review(case)
    reviewing = (v.role == Role.REVIEWER and not v.handler and case.status == S.LEGAL_REVIEW
                 and current is not None and not current.conclusion)
    answering = v.handling_in(S.CASE_REVIEW, S.INVESTIGATION)
    rounds = []
    for review in reviews:
        opinions = [(o, f.AnswerForm(case=case, key=o.pk, initial={"opinion": o.pk})
                     if answering and not o.answer else None) for o in review.opinions.all()]
        rounds.append({"review": review, "opinions": opinions})
    return {"rounds": rounds,
            "opinion_form": f.OpinionForm(case=case) if reviewing else None,
            "conclusion_form": f.ConclusionForm(case=case) if reviewing else None}


def _notice_section(v: Viewer) -> dict[str, Any]:
    """告知: the notice, statements (陈述申辩) and the hearing (听证)."""
    case = v.case
    notice = latest_notice(case)
    hearing = Hearing.objects.filter(case=case).first()
    statements = list(case.statements.select_related("party"))
    speaking = v.handling_in(S.NOTICE, S.HEARING)
    served = notice is not None and notice.served_on is not None
    forms: dict[str, Any] = {}
    if v.handling_in(S.NOTICE) and notice is not None and not served:
        forms["notice_served"] = f.NoticeServedForm(case=case)
    if speaking and served:
        forms["statement"] = f.StatementForm(case=case)
    if v.handling_in(S.HEARING) and hearing is not None and not hearing.report:
        forms["hearing_schedule"] = f.HearingScheduleForm(case=case)
        if hearing.hearing_date is not None:
            forms["hearing_report"] = f.HearingReportForm(case=case)
    return {
        "notices": list(case.notices.all()), "notice": notice, "hearing": hearing,
        "statements": [(s, f.StatementReviewForm(case=case, key=s.pk,
                                                 initial={"statement": s.pk})
                        if speaking and not s.waived and not s.review else None)
                       for s in statements],
        "forms": forms,
    }


def _suspension_section(v: Viewer) -> dict[str, Any]:
    """中止 / 恢复 / 延期: the records and the head's forms (`_head_of_case`)."""
    case = v.case
    suspensions = list(case.suspensions.all())
    open_ = any(s.ended_on is None for s in suspensions)
    forms: dict[str, Any] = {}
    if v.head_in(*workflow.SUSPENDABLE_STATES):
        forms["resume" if open_ else "suspend"] = (f.ResumeForm if open_ else f.SuspendForm)(
            case=case)
        if (case.filed_on and case.decision_due and case.status not in {S.DECIDED, S.SERVED}
                and v.today <= case.decision_due):
            forms["extend"] = f.ExtendForm(case=case)
    return {"suspensions": suspensions, "extensions": list(case.extensions.all()),
            "suspended": open_, "forms": forms}


def stage_context(user: User, case: PenaltyCase, today: datetime.date) -> dict[str, Any]:
    """Everything the case page shows after the investigation, section by section."""
    v = Viewer(user=user, case=case, today=today,
               handler=case.handlers.filter(pk=user.pk).exists())
    parties = list(case.parties.select_related(
        "decision__item", "decision__publicity", "decision__credit",
        "decision__arrangement", "decision__court_enforcement").prefetch_related(
        "decision__payments", "decision__remedies",
        "decision__credit__repair_applications").order_by("id"))
    decisions = [p.decision for p in parties if _related(p, "decision") is not None]
    docs = _document_rows(v, decisions)
    rows = [_decision_row(v, p, _related(p, "decision"), docs) for p in parties]
    every_party_proposed = bool(parties) and len(decisions) == len(parties)
    transfers = list(case.transfers.all())
    transferring = v.handling and case.status in TRANSFER_STATES
    return {
        "staff_view": v.staff,
        "documents_shown": v.documents,
        "party_rows": rows,
        "remedies_shown": any(r.get("remedies") or "remedy" in r["forms"] for r in rows),
        "proposed": bool(decisions),
        "decided": any(d.decided_on for d in decisions),
        "assess_form": (f.AssessForm(case=case)
                        if v.handling_in(S.CASE_REVIEW, S.HEARING) and every_party_proposed
                        else None),
        "assessment": case.assessment or {},
        "stated_facts": [f.ASSESS_LABELS[k] for k, on in
                         ((case.assessment or {}).get("facts") or {}).items()
                         if on and k in f.ASSESS_LABELS],
        "review": _review_section(v),
        "discussions": list(case.discussions.all()),
        "discussion_form": (f.DiscussionForm(case=case) if v.head_in(S.COLLECTIVE)
                            else None),
        "notice_section": _notice_section(v),
        "transfers": [(t, f.TransferAnswerForm(case=case, transfer=t)
                       if transferring and t.answer == Transfer.Answer.PENDING else None)
                      for t in transfers],
        "transfer_form": f.TransferForm(case=case) if transferring else None,
        "suspension": _suspension_section(v),
        "deadlines": case_deadlines(case, today),
        "documents": docs,
    }
