"""Pages of penalty cases: the list and the case page — the officer's working page for
the whole procedure: facts, handlers, the moves the workflow table allows the user now,
the records of every stage with the forms the user may fill (`views_records`), the
deadlines, the documents (.docx downloads) and the event record. Reads go through the
scoped selectors (outside the scope: 404); moves call `services.case_transition`, whose
Chinese refusal (every unmet gate, with its article) is shown on the page with nothing
changed.

A social supervisor (社会监督员) reads the filed cases of the area they oversee: no form,
no move and no document link is shown, every POST answers 403 with nothing changed, and
resident ID numbers in free text are masked (as for every role not in
`fazhi.subjects.rules.masking.WHOLE_ID_ROLES`)."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from fazhi.cases import documents, selectors, services
from fazhi.cases.forms import (
    CaseDetailsForm,
    EvidenceItemForm,
    InvestigationReportForm,
    PartyForm,
    TransitionForm,
)
from fazhi.cases.models import (
    CaseSource,
    CaseStatus,
    InvestigationReport,
    PartyDecision,
    PenaltyCase,
)
from fazhi.cases.rules import workflow
from fazhi.cases.services.documents import DOCUMENT_ISSUED, case_document_issue
from fazhi.cases.views_records import back as _back
from fazhi.cases.views_records import case_for_write as _case_for_write
from fazhi.cases.views_records import case_or_404 as _case_or_404
from fazhi.cases.views_records import record as _record
from fazhi.cases.views_records import stage_context
from fazhi.core.feedback import refused
from fazhi.core.history import history
from fazhi.core.models import Role, User
from fazhi.core.selectors import jurisdiction_get, object_events, path_filter
from fazhi.inspection.views_documents import docx_response
from fazhi.reports.drill import filter_badges
from fazhi.subjects.rules.masking import shown_text

ACTION_LABELS = {
    "case.lead_registered": gettext_lazy("线索登记"),
    "case.details_set": gettext_lazy("修改承办人员或违法行为日期"),
    "case.party_added": gettext_lazy("列明当事人"),
    "case.evidence_added": gettext_lazy("登记证据"),
    "case.investigation_reported": gettext_lazy("制作调查终结报告"),
    **{f"case.{t.action}": t.label for t in workflow.TRANSITIONS},
    # the records of the stages (the action strings of fazhi/cases/services/)
    "case.proposed": gettext_lazy("提出处理意见"),
    "case.assessed": gettext_lazy("评估是否需要法制审核和集体讨论"),
    "case.review_opinion_added": gettext_lazy("提出法制审核意见"),
    "case.review_opinion_answered": gettext_lazy("回复法制审核意见"),
    "case.discussed": gettext_lazy("集体讨论"),
    "case.notice_served": gettext_lazy("告知书送达"),
    "case.statement_recorded": gettext_lazy("登记陈述申辩"),
    "case.statement_reviewed": gettext_lazy("复核陈述申辩"),
    "case.hearing_scheduled": gettext_lazy("安排听证"),
    "case.hearing_reported": gettext_lazy("听证笔录和听证报告"),
    "case.suspended": gettext_lazy("中止"),
    "case.resumed": gettext_lazy("恢复办理"),
    "case.extended": gettext_lazy("延期"),
    "case.decision_served": gettext_lazy("登记决定书送达"),
    "case.payment_recorded": gettext_lazy("登记缴款"),
    "case.payment_arrangement_approved": gettext_lazy("批准暂缓或分期缴纳"),
    "case.court_enforcement_applied": gettext_lazy("申请人民法院强制执行"),
    "case.court_enforcement_concluded": gettext_lazy("强制执行终结"),
    "case.transferred": gettext_lazy("案件移送"),
    "case.transfer_answered": gettext_lazy("登记移送回复"),
    "case.publicity_published": gettext_lazy("公示处罚决定"),
    "case.credit_repair_applied": gettext_lazy("申请信用修复"),
    "case.credit_repair_decided": gettext_lazy("审核信用修复申请"),
    "case.remedy_filed": gettext_lazy("登记行政复议或行政诉讼"),
    "case.remedy_concluded": gettext_lazy("登记复议诉讼结果"),
    DOCUMENT_ISSUED: gettext_lazy("制作文书"),
}


@require_GET
@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status") or None
    if status not in CaseStatus.values:
        status = None
    qs = selectors.case_list(user=request.user, status=status)
    overdue = request.GET.get("overdue") == "1"  # the home page's 逾期案件 in full
    if overdue:
        qs = selectors.cases_with_overdue_deadlines(user=request.user,
                                                    today=timezone.localdate())
        qs = qs.filter(status=status) if status else qs
    qs, labels = _figure_filters(request, qs)
    qs = qs.order_by("-created_at", "-id")
    page = Paginator(qs, settings.FAZHI_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "status": status, "statuses": CaseStatus.choices,
               "overdue": overdue, "badges": filter_badges(request, labels),
               # kept through the status form until their badge removes them
               "drill_params": [(key, request.GET[key]) for key in labels]}
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.history_restore_request:  # the pager swaps the results only
        return render(request, "cases/partials/case_results.html", context)
    return render(request, "cases/case_list.html", context)


def _date(raw: str | None) -> datetime.date | None:
    try:
        return parse_date(raw or "")
    except ValueError:  # well-formed but impossible, e.g. 2024-02-30
        return None


def _figure_filters(request: HttpRequest,
                    qs: QuerySet[PenaltyCase]) -> tuple[QuerySet[PenaltyCase], dict[str, str]]:
    """The filters a statistics figure's drill-down link sets (统计指标 → its cases): the
    place (a jurisdiction the user may see, with everything below it; another: no case),
    the filing dates (立案日期, inclusive) and the source. A bad date is ignored. Returns
    the filtered cases and the active filters' Chinese labels (for their badges)."""
    labels: dict[str, str] = {}
    code = request.GET.get("jurisdiction")
    if code:
        area = jurisdiction_get(user=request.user, code=code.strip()[:12])
        if area is None:
            return qs.none(), {"jurisdiction": _("区域：%(c)s（不在您的管辖范围内）") % {
                "c": code.strip()[:12]}}
        qs = qs.filter(path_filter(area.path, field="jurisdiction_path"))
        labels["jurisdiction"] = _("区域：%(name)s") % {"name": area.name}
    filed_from = _date(request.GET.get("filed_from"))
    filed_to = _date(request.GET.get("filed_to"))
    if filed_from is not None:
        qs = qs.filter(filed_on__gte=filed_from)
        labels["filed_from"] = _("立案日期自%(d)s") % {"d": filed_from.isoformat()}
    if filed_to is not None:
        qs = qs.filter(filed_on__lte=filed_to)
        labels["filed_to"] = _("立案日期至%(d)s") % {"d": filed_to.isoformat()}
    source = request.GET.get("source")
    if source in CaseSource.values:
        qs = selectors.filter_cases(qs, source=source)
        labels["source"] = _("案件来源：%(s)s") % {"s": CaseSource(source).label}
    return qs, labels


# Events whose payload "name" is a party's (elsewhere it may name evidence, a document ...).
_PARTY_NAMED = {"case.party_added", "case.proposed", "case.statement_recorded"}


def _details(event: Any) -> list[str]:
    payload = event.payload or {}
    lines = []
    number = payload.get("number")
    if event.action == "case.approve_filing" and number:
        lines.append(_("立案编号%(n)s，作出决定期限%(d)s")
                     % {"n": number, "d": payload.get("decision_due")})
    elif isinstance(number, str) and number:
        lines.append(_("文号：%(n)s") % {"n": number})
    if event.action == DOCUMENT_ISSUED and payload.get("title"):
        lines.append(_("文书：%(t)s") % {"t": payload["title"]})
    party = payload.get("party")
    name = party if isinstance(party, str) else (
        payload.get("name") if event.action in _PARTY_NAMED else None)
    if name:
        lines.append(_("当事人：%(n)s") % {"n": name})
    if payload.get("amount") is not None:
        lines.append(_("金额：%(a)s元") % {"a": payload["amount"]})
    if payload.get("reason"):
        lines.append(_("理由：%(r)s") % {"r": payload["reason"]})
    return lines


@require_GET
@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    case = _case_or_404(user, pk)
    moves = [t for t in workflow.available(case.status) if user.role in t.roles]
    editable = (user.role in {Role.OFFICER, Role.LEADER}
                and case.status in {CaseStatus.LEAD, CaseStatus.FILING})
    today = timezone.localdate()

    def details(event: Any) -> list[str]:  # a reason given on a move may hold an ID number
        return [shown_text(user, line) for line in _details(event)]

    return render(request, "cases/case_detail.html", {
        "case": case,
        # the inspection the case came from: for those who may read inspections
        "inspection_link": user.is_staff_role or user.role == Role.SUPERVISOR,
        "handlers": list(case.handlers.order_by("full_name")),
        "parties": list(case.parties.all()),
        "evidence_items": list(case.evidence_items.all()),
        "report": InvestigationReport.objects.filter(case=case).first(),
        **_investigation_forms(user, case),
        "moves": [(t, TransitionForm(initial={"action": t.action, "version": case.version}),
                   "reason_given" in t.gates, t.target in workflow.FINAL_STATES)
                  for t in moves],
        "details_form": CaseDetailsForm(case=case) if editable else None,
        "decision_overdue": bool(case.decision_due and case.decision_due < today
                                 and case.status not in workflow.READ_ONLY_STATES),
        **stage_context(user, case, today),
        "history": history(object_events(case), ACTION_LABELS, details),
    })


def _investigation_forms(user: User, case: PenaltyCase) -> dict[str, Any]:
    """The investigation forms, for the case's handlers while it is investigated."""
    if (case.status != CaseStatus.INVESTIGATION or user.role != Role.OFFICER
            or not case.handlers.filter(pk=user.pk).exists()):
        return {}
    return {"party_form": PartyForm(case=case), "evidence_form": EvidenceItemForm(case=case),
            "report_form": InvestigationReportForm(case=case)}


@require_POST
@login_required
def case_transition(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_for_write(request.user, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("提交的内容不完整，请刷新页面后重试"))
        return _back(case)
    data = form.cleaned_data
    try:
        case = services.case_transition(
            actor=request.user, case=case, action=data["action"], version=data["version"],
            reason=data["reason"], on=data["on"])
    except (ValidationError, PermissionDenied) as exc:
        refused(request, exc)
        return _back(case)
    messages.success(request, _("已办理：%(label)s") % {
        "label": workflow.BY_ACTION[data["action"]].label})
    return _back(case)


@require_POST
@login_required
def case_details(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_for_write(request.user, pk)
    form = CaseDetailsForm(request.POST, case=case)
    if not form.is_valid():
        messages.error(request, _("提交的内容有误，请检查后重试"))
        return _back(case)
    try:
        services.case_details_set(
            actor=request.user, case=case, version=form.cleaned_data["version"],
            handlers=form.handler_users(), violation_date=form.cleaned_data["violation_date"])
    except (ValidationError, PermissionDenied) as exc:
        refused(request, exc)
        return _back(case)
    messages.success(request, _("案件信息已保存"))
    return _back(case)


@require_POST
@login_required
def party_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_for_write(request.user, pk)
    form = PartyForm(request.POST, case=case)
    return _record(request, case, form, lambda data: services.case_party_add(
        actor=request.user, case=case, version=data["version"], kind=data["kind"],
        person=form.person_obj()), _("当事人已列明"))


@require_POST
@login_required
def evidence_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_for_write(request.user, pk)
    form = EvidenceItemForm(request.POST, case=case)
    return _record(request, case, form, lambda data: services.evidence_item_add(
        actor=request.user, case=case, version=data["version"], kind=data["kind"],
        name=data["name"], source=data["source"], proves=data["proves"],
        collected_on=data["collected_on"], file=form.file_obj()), _("证据已登记"))


@require_POST
@login_required
def report_save(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_for_write(request.user, pk)
    form = InvestigationReportForm(request.POST, case=case)
    return _record(request, case, form, lambda data: services.investigation_report_save(
        actor=request.user, case=case, version=data["version"], date=data["date"],
        facts=data["facts"], proposal=data["proposal"]), _("调查终结报告已保存"))


# --- documents (文书) --------------------------------------------------------------------------

def _document_object(case: PenaltyCase, needs: str, raw: str | None) -> Model:
    """The record a document is made from, among this case's own (else 404)."""
    records = {documents.DECISION: PartyDecision.objects.filter(party__case=case),
               documents.REVIEW: case.legal_reviews.all(),
               documents.DISCUSSION: case.discussions.all(),
               documents.NOTICE: case.notices.all(),
               documents.TRANSFER: case.transfers.all()}[needs]
    found = records.filter(pk=int(raw)).first() if raw and raw.isdigit() else None
    if found is None:
        raise Http404(_("未找到该文书依据的记录"))
    return found


@require_GET
@never_cache
@login_required
def case_document(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """One document of the case as .docx (written into the event record by the
    service). Not yet possible: back to the page with the reason; not the user's to
    have (an internal document for an enterprise user): 403."""
    case = _case_or_404(request.user, pk)
    spec = documents.DOCUMENTS.get(kind)
    if spec is None:
        raise Http404(_("未知的文书种类"))
    obj = (None if spec.needs == documents.CASE
           else _document_object(case, spec.needs, request.GET.get("obj")))
    try:
        name, data = case_document_issue(actor=request.user, case=case, kind=kind, obj=obj)
    except ValidationError as exc:
        refused(request, exc)
        return _back(case)
    ascii_name = f"case-{case.pk}-{kind}{f'-{obj.pk}' if obj is not None else ''}.docx"
    return docx_response(data, name, ascii_name)
