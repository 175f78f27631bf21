"""Pages of hazardous-chemicals permits: the application list with its filters, the
receipt form, the application page (materials, deadlines with their articles, each step
as a form: 补正告知 / 受理 / 不予受理 / 现场核查 / 不计入期间 / 延长 / 决定, the event
record), the permit list with expiry reminders and the Excel ledger, and the permit page
(暂扣 / 吊销 on a penalty case, 发还).

Reads go through the scoped selectors (outside the scope: 404); forms post to the
services, whose Chinese refusals come back as messages with nothing changed."""

from __future__ import annotations

from collections.abc import Callable
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
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fazhi.cases.selectors import case_list
from fazhi.core.feedback import refused
from fazhi.core.history import history
from fazhi.core.models import Role, User
from fazhi.core.selectors import object_events
from fazhi.core.xlsx import xlsx_response
from fazhi.inspection.forms import add_service_errors
from fazhi.licensing import forms_permits as f
from fazhi.licensing import selectors_permits as sel
from fazhi.licensing import services_permits as svc
from fazhi.licensing.ledger_permits import permit_ledger_workbook
from fazhi.licensing.models_permits import Permit, PermitApplication
from fazhi.licensing.rules import permits as law

WRITERS = frozenset({Role.OFFICER, Role.LEADER, Role.ADMIN})
DECIDERS = frozenset({Role.LEADER, Role.ADMIN})
ACTION_LABELS = {
    "licensing.application.received": gettext_lazy("收件登记"),
    "licensing.application.correction_notified": gettext_lazy("一次性告知补正"),
    "licensing.application.accepted": gettext_lazy("受理"),
    "licensing.application.not_accepted": gettext_lazy("不予受理"),
    "licensing.application.verified": gettext_lazy("现场核查"),
    "licensing.application.paused": gettext_lazy("不计入审查期限的期间"),
    "licensing.application.extended": gettext_lazy("延长审查期限"),
    "licensing.application.approved": gettext_lazy("准予许可"),
    "licensing.application.refused": gettext_lazy("不予许可"),
    "licensing.permit.issued": gettext_lazy("颁发许可证"),
    "licensing.permit.changed": gettext_lazy("变更许可证"),
    "licensing.permit.extended": gettext_lazy("许可证延期"),
    "licensing.permit.superseded": gettext_lazy("换发新证"),
    "licensing.permit.suspended": gettext_lazy("暂扣许可证"),
    "licensing.permit.revoked": gettext_lazy("吊销许可证"),
    "licensing.permit.restored": gettext_lazy("发还许可证"),
}


def _role(user: User, roles: frozenset[str]) -> bool:
    return user.is_authenticated and user.role in roles


def _details(event: Any) -> list[str]:
    p = event.payload or {}
    lines = []
    for key, label in (("number", _("文号")), ("permit", _("许可证")),
                       ("decision_due", _("决定期限")), ("reason", _("理由")),
                       ("reasons", _("理由")), ("valid_until", _("有效期至"))):
        value = p.get(key)
        if isinstance(value, dict):
            value = f"{value.get('from')} → {value.get('to')}"
        if value:
            lines.append(f"{label}：{value}")
    if p.get("missing"):
        lines.append(_("需补正：%(m)s") % {"m": "、".join(p["missing"])})
    if p.get("late"):
        lines.append(_("超过法定期限作出决定"))
    return lines


def _form_errors(request: HttpRequest, form: Any) -> None:
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        for error in errors:
            messages.error(request, f"{field.label}：{error}" if field is not None else error)


def run_step(request: HttpRequest, form: Any, call: Callable[[dict[str, Any]], Any],
             done: str) -> None:
    """Validate the form, call the service, and leave the outcome as a message."""
    if not form.is_valid():
        _form_errors(request, form)
        return
    try:
        call(form.cleaned_data)
    except (ValidationError, PermissionDenied) as exc:
        refused(request, exc)
    else:
        messages.success(request, done)


def _page(request: HttpRequest, qs: Any) -> Any:
    return Paginator(qs, settings.FAZHI_PAGE_SIZE).get_page(request.GET.get("page"))


# --- applications ------------------------------------------------------------------------

@require_GET
@login_required
def permit_application_list(request: HttpRequest) -> HttpResponse:
    form = f.ApplicationFilterForm(request.GET)
    qs = sel.application_list(user=request.user, **form.filters()).order_by(
        "-received_on", "-id")
    today = timezone.localdate()
    late = sel.applications_overdue(user=request.user, today=today)
    # ?overdue=1: only those past their deadline (the home page's "全部" link).
    only_overdue = request.GET.get("overdue") == "1"
    if only_overdue:
        qs = qs.filter(pk__in=late.values("pk"))
    overdue = set(late.values_list("pk", flat=True))
    return render(request, "licensing/permits/application_list.html", {
        "form": form, "page": _page(request, qs), "overdue": overdue,
        "only_overdue": only_overdue, "can_write": _role(request.user, WRITERS)})


@require_http_methods(["GET", "POST"])
@login_required
def permit_application_create(request: HttpRequest) -> HttpResponse:
    if not _role(request.user, WRITERS):
        raise PermissionDenied(_("只有许可经办人员可以登记许可申请"))
    form = f.ApplicationForm(request.POST or None, user=request.user,
                             initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            app = svc.permit_application_receive(actor=request.user, **form.service_kwargs())
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc if isinstance(exc, ValidationError)
                               else ValidationError(str(exc)))
        else:
            messages.success(request, _("已登记收件，受理期限：%(d)s") % {"d": app.acceptance_due})
            return redirect("licensing:permit_application_detail", pk=app.pk)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "licensing/permits/form.html", {
        "form": form, "title": _("登记许可申请（收件）"),
        "back": reverse("licensing:permit_application_list")}, status=status)


def _application_or_404(user: User, pk: int) -> PermitApplication:
    app = sel.application_get(user=user, pk=pk)
    if app is None:
        raise Http404(_("未找到该许可申请"))
    return app


def _step_forms(app: PermitApplication, user: User) -> list[tuple[str, str, Any]]:
    """(slug, title, form) of the steps open to this user at this stage."""
    if not _role(user, WRITERS):
        return []
    steps: list[tuple[str, str, Any]] = []
    S = PermitApplication.Status
    if app.status in (S.RECEIVED, S.CORRECTION):
        if app.status == S.RECEIVED and not hasattr(app, "correction"):
            steps.append(("correction", _("一次性告知补正"), f.CorrectionForm(app=app)))
        steps.append(("accept", _("受理"), f.AcceptForm(app=app)))
        steps.append(("not_accept", _("不予受理"), f.NotAcceptForm()))
    if app.status == S.ACCEPTED:
        steps.append(("verify", _("现场核查"), f.VerificationForm(app=app)))
        steps.append(("pause", _("不计入审查期限的期间（专家评审、听证等）"), f.PauseForm()))
        if law.extension_allowed(app.permit_type, already_extended=app.extended) is None:
            steps.append(("extend", _("负责人批准延长十日"), f.ExtensionForm()))
        if _role(user, DECIDERS):
            steps.append(("decide", _("作出许可决定"), f.DecisionForm()))
    return steps


@require_GET
@login_required
def permit_application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    app = _application_or_404(request.user, pk)
    have = set(app.materials)
    checklist = [{**m, "submitted": m["code"] in have}
                 for m in svc.materials_for(app.permit_type, app.kind)]
    return render(request, "licensing/permits/application_detail.html", {
        "app": app, "checklist": checklist, "correction": getattr(app, "correction", None),
        "deadline": svc.decision_deadline(app),
        "acceptance": law.acceptance_due(svc.calendar.load_schedule(), app.received_on),
        "steps": _step_forms(app, request.user), "today": timezone.localdate(),
        "history": history(object_events(app), ACTION_LABELS, _details)})


STEP_CALLS: dict[str, tuple[type, Callable[..., Any], str]] = {
    "correction": (f.CorrectionForm, lambda u, a, d: svc.permit_application_correction_notify(
        actor=u, application=a, notified_on=d["notified_on"], note=d["note"],
        materials=d["materials"]), gettext_lazy("已一次性告知补正")),
    "accept": (f.AcceptForm, lambda u, a, d: svc.permit_application_accept(
        actor=u, application=a, accepted_on=d["accepted_on"], materials=d["materials"]),
        gettext_lazy("已受理")),
    "not_accept": (f.NotAcceptForm, lambda u, a, d: svc.permit_application_not_accept(
        actor=u, application=a, decided_on=d["decided_on"], reason=d["reason"]),
        gettext_lazy("已决定不予受理")),
    "verify": (f.VerificationForm, lambda u, a, d: svc.site_verification_record(
        actor=u, application=a, verified_on=d["verified_on"], verifiers=list(d["verifiers"]),
        findings=d["findings"], result=d["result"]), gettext_lazy("已记录现场核查")),
    "pause": (f.PauseForm, lambda u, a, d: svc.application_pause_add(
        actor=u, application=a, reason=d["reason"], started_on=d["started_on"],
        ended_on=d["ended_on"], notified_on=d["notified_on"]),
        gettext_lazy("已登记，决定期限已顺延")),
    "extend": (f.ExtensionForm, lambda u, a, d: svc.permit_application_extend(
        actor=u, application=a, approved_on=d["approved_on"], reason=d["reason"],
        approved_by=d["approved_by"]), gettext_lazy("审查期限已延长十日")),
    "decide": (f.DecisionForm, lambda u, a, d: svc.permit_application_decide(
        actor=u, application=a, decided_on=d["decided_on"], approve=d["approve"],
        reasons=d["reasons"], scope=d["scope"]), gettext_lazy("已作出许可决定")),
}
NEEDS_APP = {"correction", "accept", "verify"}


@require_POST
@login_required
def permit_application_step(request: HttpRequest, pk: int, what: str) -> HttpResponse:
    app = _application_or_404(request.user, pk)
    if what not in STEP_CALLS:
        raise Http404
    if not _role(request.user, WRITERS):
        raise PermissionDenied(_("您的角色无权办理许可申请"))
    form_class, call, done = STEP_CALLS[what]
    form = form_class(request.POST, app=app) if what in NEEDS_APP else form_class(request.POST)
    run_step(request, form, lambda d: call(request.user, app, d), str(done))
    return redirect("licensing:permit_application_detail", pk=app.pk)


# --- permits -------------------------------------------------------------------------------

def _permits(request: HttpRequest) -> tuple[Any, Any]:
    form = f.PermitFilterForm(request.GET)
    return form, sel.permit_list(user=request.user, **form.filters())


@require_GET
@login_required
def permit_list(request: HttpRequest) -> HttpResponse:
    form, qs = _permits(request)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "licensing/permits/permit_list.html", {
        "form": form, "page": _page(request, qs.order_by("valid_until", "id")),
        "ledger_query": query.urlencode(), "today": timezone.localdate()})


@require_GET
@login_required
def permit_ledger_xlsx(request: HttpRequest) -> HttpResponse:
    if not getattr(request.user, "is_staff_role", False):
        raise PermissionDenied(_("只有工作人员可以导出许可证台账"))
    _form, qs = _permits(request)
    name = _("许可证台账_%(d)s.xlsx") % {"d": timezone.localdate().isoformat()}
    return xlsx_response(permit_ledger_workbook(qs.order_by("valid_until", "id")), name)


def _permit_or_404(user: User, pk: int) -> Permit:
    permit = sel.permit_get(user=user, pk=pk)
    if permit is None:
        raise Http404(_("未找到该许可证"))
    return permit


@require_GET
@login_required
def permit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    permit = _permit_or_404(request.user, pk)
    forms: list[tuple[str, str, Any]] = []
    if _role(request.user, DECIDERS):
        if permit.current_status() == Permit.Status.VALID:
            forms.append(("suspend", _("暂扣许可证"), f.SuspendForm()))
        if permit.status in (Permit.Status.VALID, Permit.Status.SUSPENDED):
            forms.append(("revoke", _("吊销许可证"), f.RevokeForm()))
        if permit.status == Permit.Status.SUSPENDED:
            forms.append(("restore", _("发还许可证"), f.RestoreForm()))
    renewal = law.renewal_apply_by(permit.permit_type, permit.valid_until)
    return render(request, "licensing/permits/permit_detail.html", {
        "permit": permit, "forms": forms, "renewal": renewal,
        "validity_citations": law.validity_citations(permit.permit_type),
        "days_left": law.days_to_expiry(permit.valid_until, timezone.localdate()),
        "history": history(object_events(permit), ACTION_LABELS, _details)})


def _case(user: User, pk: int) -> Any:
    return case_list(user=user).filter(pk=pk).first()


PERMIT_CALLS: dict[str, tuple[type, Callable[..., Any], str]] = {
    "suspend": (f.SuspendForm, lambda u, p, d: svc.permit_suspend(
        actor=u, permit=p, case=_case(u, d["case"]), decided_on=d["decided_on"],
        until=d["until"], reason=d["reason"]), gettext_lazy("许可证已暂扣")),
    "revoke": (f.RevokeForm, lambda u, p, d: svc.permit_revoke(
        actor=u, permit=p, case=_case(u, d["case"]), decided_on=d["decided_on"],
        reason=d["reason"]), gettext_lazy("许可证已吊销")),
    "restore": (f.RestoreForm, lambda u, p, d: svc.permit_restore(
        actor=u, permit=p, restored_on=d["restored_on"], reason=d["reason"]),
        gettext_lazy("许可证已发还")),
}


@require_POST
@login_required
def permit_action(request: HttpRequest, pk: int, what: str) -> HttpResponse:
    permit = _permit_or_404(request.user, pk)
    if what not in PERMIT_CALLS:
        raise Http404
    form_class, call, done = PERMIT_CALLS[what]
    run_step(request, form_class(request.POST), lambda d: call(request.user, permit, d),
             str(done))
    return redirect("licensing:permit_detail", pk=permit.pk)
