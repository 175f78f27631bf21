"""Pages of penalty cases: the list and the case page (its facts, handlers, deadlines,
the moves the workflow table allows the user now, and the event record). Reads go
through the scoped selectors (outside the scope: 404); moves call
`services.case_transition`, whose Chinese refusal (every unmet gate, with its article)
is shown on the page with nothing changed."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from fazhi.cases import selectors, services
from fazhi.cases.forms import (
    CaseDetailsForm,
    EvidenceItemForm,
    InvestigationReportForm,
    PartyForm,
    TransitionForm,
)
from fazhi.cases.models import CaseStatus, InvestigationReport, PenaltyCase
from fazhi.cases.rules import workflow
from fazhi.core.history import history
from fazhi.core.models import Role, User
from fazhi.core.selectors import object_events

ACTION_LABELS = {
    "case.lead_registered": gettext_lazy("线索登记"),
    "case.details_set": gettext_lazy("修改承办人员或违法行为日期"),
    "case.party_added": gettext_lazy("列明当事人"),
    "case.evidence_added": gettext_lazy("登记证据"),
    "case.investigation_reported": gettext_lazy("制作调查终结报告"),
    **{f"case.{t.action}": t.label for t in workflow.TRANSITIONS},
}


def _case_or_404(user: User, pk: int) -> PenaltyCase:
    case = selectors.case_get(user=user, pk=pk)
    if case is None:
        raise Http404(_("未找到该案件"))
    return case


@require_GET
@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status") or None
    if status not in CaseStatus.values:
        status = None
    qs = selectors.case_list(user=request.user, status=status).order_by("-created_at", "-id")
    page = Paginator(qs, settings.FAZHI_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "status": status, "statuses": CaseStatus.choices}
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.history_restore_request:  # the pager swaps the results only
        return render(request, "cases/partials/case_results.html", context)
    return render(request, "cases/case_list.html", context)


def _details(event: Any) -> list[str]:
    payload = event.payload or {}
    lines = []
    if payload.get("number"):
        lines.append(_("立案编号%(n)s，作出决定期限%(d)s")
                     % {"n": payload["number"], "d": payload.get("decision_due")})
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
    return render(request, "cases/case_detail.html", {
        "case": case,
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
        "history": history(object_events(case), ACTION_LABELS, _details),
    })


def _investigation_forms(user: User, case: PenaltyCase) -> dict[str, Any]:
    """The investigation forms, for the case's handlers while it is investigated."""
    if (case.status != CaseStatus.INVESTIGATION or user.role != Role.OFFICER
            or not case.handlers.filter(pk=user.pk).exists()):
        return {}
    return {"party_form": PartyForm(case=case), "evidence_form": EvidenceItemForm(case=case),
            "report_form": InvestigationReportForm(case=case)}


def _back(case: PenaltyCase) -> HttpResponse:
    return redirect(reverse("cases:case_detail", args=[case.pk]))


def _refused(request: HttpRequest, exc: ValidationError | PermissionDenied) -> None:
    texts = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
    for text in texts:
        messages.error(request, text)


@require_POST
@login_required
def case_transition(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_or_404(request.user, pk)
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
        _refused(request, exc)
        return _back(case)
    messages.success(request, _("已办理：%(label)s") % {
        "label": workflow.BY_ACTION[data["action"]].label})
    return _back(case)


@require_POST
@login_required
def case_details(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_or_404(request.user, pk)
    form = CaseDetailsForm(request.POST, case=case)
    if not form.is_valid():
        messages.error(request, _("提交的内容有误，请检查后重试"))
        return _back(case)
    try:
        services.case_details_set(
            actor=request.user, case=case, version=form.cleaned_data["version"],
            handlers=form.handler_users(), violation_date=form.cleaned_data["violation_date"])
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, exc)
        return _back(case)
    messages.success(request, _("案件信息已保存"))
    return _back(case)


def _record(request: HttpRequest, case: PenaltyCase, form: Any, write: Any,
            done: str) -> HttpResponse:
    """Validate an investigation form and call its service; refusals go to messages."""
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back(case)
    try:
        write(form.cleaned_data)
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, exc)
        return _back(case)
    messages.success(request, done)
    return _back(case)


@require_POST
@login_required
def party_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_or_404(request.user, pk)
    form = PartyForm(request.POST, case=case)
    return _record(request, case, form, lambda data: services.case_party_add(
        actor=request.user, case=case, version=data["version"], kind=data["kind"],
        person=form.person_obj()), _("当事人已列明"))


@require_POST
@login_required
def evidence_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_or_404(request.user, pk)
    form = EvidenceItemForm(request.POST, case=case)
    return _record(request, case, form, lambda data: services.evidence_item_add(
        actor=request.user, case=case, version=data["version"], kind=data["kind"],
        name=data["name"], source=data["source"], proves=data["proves"],
        collected_on=data["collected_on"], file=form.file_obj()), _("证据已登记"))


@require_POST
@login_required
def report_save(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_or_404(request.user, pk)
    form = InvestigationReportForm(request.POST, case=case)
    return _record(request, case, form, lambda data: services.investigation_report_save(
        actor=request.user, case=case, version=data["version"], date=data["date"],
        facts=data["facts"], proposal=data["proposal"]), _("调查终结报告已保存"))
