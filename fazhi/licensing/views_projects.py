"""Pages of construction projects and their 三同时 reviews, the review list (the
indicator's drill), consultations on new projects with the restriction-list check, the
restriction list itself (administrators edit it; anyone signed in may check chemicals
against it), and upgrade projects with their equipment."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fazhi.core.history import history
from fazhi.core.models import Role, User
from fazhi.core.selectors import object_events
from fazhi.inspection.forms import add_service_errors
from fazhi.licensing import forms_permits as f
from fazhi.licensing import selectors_projects as sel
from fazhi.licensing import services_projects as svc
from fazhi.licensing.models_projects import ConstructionProject, RestrictedChemical
from fazhi.licensing.views_permits import WRITERS, _page, _role, run_step

ACTION_LABELS = {
    "licensing.project.registered": gettext_lazy("登记建设项目"),
    "licensing.project.review_applied": gettext_lazy("“三同时”审查申请"),
    "licensing.project.review_concluded": gettext_lazy("“三同时”审查办结"),
    "licensing.consultation.registered": gettext_lazy("登记会商咨询"),
    "licensing.consultation.concluded": gettext_lazy("会商结论"),
    "licensing.upgrade.registered": gettext_lazy("登记改造提升项目"),
    "licensing.upgrade.equipment_added": gettext_lazy("登记淘汰更新设备"),
    "licensing.upgrade.completed": gettext_lazy("改造提升完成"),
}


def _details(event: Any) -> list[str]:
    p = event.payload or {}
    lines = [f"{k}：{p[k]}" for k in ("stage", "outcome", "number", "reasons") if p.get(k)]
    if p.get("items"):
        lines.append("、".join(p["items"]))
    return lines


def _form_page(request: HttpRequest, form: Any, title: str, back: str,
               create: Callable[[dict[str, Any]], Any], detail: str) -> HttpResponse:
    if not _role(request.user, WRITERS):
        raise PermissionDenied(_("您的角色无权登记"))
    if request.method == "POST" and form.is_valid():
        try:
            obj = create(form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc if isinstance(exc, ValidationError)
                               else ValidationError(str(exc)))
        else:
            messages.success(request, _("已登记"))
            return redirect(detail, pk=obj.pk)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "licensing/permits/form.html",
                  {"form": form, "title": title, "back": back}, status=status)


# --- construction projects ---------------------------------------------------------------

@require_GET
@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    q = (request.GET.get("q") or "").strip()[:100]
    qs = sel.project_list(user=request.user, q=q or None).prefetch_related("reviews")
    return render(request, "licensing/projects/project_list.html", {
        "page": _page(request, qs), "q": q, "can_write": _role(request.user, WRITERS)})


@require_http_methods(["GET", "POST"])
@login_required
def project_create(request: HttpRequest) -> HttpResponse:
    form = f.ProjectForm(request.POST or None, user=request.user)
    return _form_page(
        request, form, _("登记危险化学品建设项目"), reverse("licensing:project_list"),
        lambda d: svc.construction_project_register(
            actor=request.user, enterprise=d["enterprise"], name=d["name"],
            nature=d["nature"], description=d["description"]), "licensing:project_detail")


def _project_or_404(user: User, pk: int) -> ConstructionProject:
    project = sel.project_get(user=user, pk=pk)
    if project is None:
        raise Http404(_("未找到该建设项目"))
    return project


@require_GET
@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project_or_404(request.user, pk)
    forms = []
    if _role(request.user, WRITERS):
        forms.append(("apply", _("登记审查申请"),
                      f.ReviewApplyForm(initial={"applied_on": timezone.localdate()})))
        if project.reviews.filter(concluded_on__isnull=True).exists():
            forms.append(("conclude", _("办结审查"), f.ReviewConcludeForm(project=project)))
    return render(request, "licensing/projects/project_detail.html", {
        "project": project, "reviews": project.reviews.all(), "forms": forms,
        "history": history(object_events(project), ACTION_LABELS, _details)})


@require_POST
@login_required
def project_step(request: HttpRequest, pk: int, what: str) -> HttpResponse:
    project = _project_or_404(request.user, pk)
    user = request.user
    if what == "apply":
        run_step(request, f.ReviewApplyForm(request.POST), lambda d: svc.safety_review_apply(
            actor=user, project=project, stage=d["stage"], applied_on=d["applied_on"],
            experts=d["experts"]), _("已登记审查申请"))
    elif what == "conclude":
        run_step(request, f.ReviewConcludeForm(request.POST, project=project),
                 lambda d: svc.safety_review_conclude(
                     actor=user, review=d["review"], concluded_on=d["concluded_on"],
                     outcome=d["outcome"], opinion=d["opinion"]), _("审查已办结"))
    else:
        raise Http404
    return redirect("licensing:project_detail", pk=project.pk)


@require_GET
@login_required
def safety_review_list(request: HttpRequest) -> HttpResponse:
    form = f.YearFilterForm(request.GET)
    qs = sel.review_list(user=request.user, **form.filters()).order_by("-concluded_on", "-id")
    return render(request, "licensing/projects/review_list.html",
                  {"form": form, "page": _page(request, qs)})


# --- consultations -------------------------------------------------------------------------

@require_GET
@login_required
def consultation_list(request: HttpRequest) -> HttpResponse:
    form = f.ConsultationFilterForm(request.GET)
    qs = sel.consultation_list(user=request.user, **form.filters())
    return render(request, "licensing/projects/consultation_list.html", {
        "form": form, "page": _page(request, qs), "can_write": _role(request.user, WRITERS)})


@require_http_methods(["GET", "POST"])
@login_required
def consultation_create(request: HttpRequest) -> HttpResponse:
    form = f.ConsultationForm(request.POST or None, user=request.user,
                              initial={"received_on": timezone.localdate()})
    return _form_page(
        request, form, _("登记新建项目会商咨询"), reverse("licensing:consultation_list"),
        lambda d: svc.consultation_register(actor=request.user, **d),
        "licensing:consultation_detail")


@require_GET
@login_required
def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    row = sel.consultation_get(user=request.user, pk=pk)
    if row is None:
        raise Http404(_("未找到该会商咨询"))
    form = None
    if _role(request.user, WRITERS) and not row.concluded_on:
        form = f.ConsultationConcludeForm(initial={"concluded_on": timezone.localdate()})
    return render(request, "licensing/projects/consultation_detail.html", {
        "c": row, "form": form, "current": sel.restriction_check(row.chemicals)[0],
        "history": history(object_events(row), ACTION_LABELS, _details)})


@require_POST
@login_required
def consultation_conclude(request: HttpRequest, pk: int) -> HttpResponse:
    row = sel.consultation_get(user=request.user, pk=pk)
    if row is None:
        raise Http404(_("未找到该会商咨询"))
    run_step(request, f.ConsultationConcludeForm(request.POST),
             lambda d: svc.consultation_conclude(actor=request.user, consultation=row, **d),
             _("会商已办结"))
    return redirect("licensing:consultation_detail", pk=row.pk)


@require_http_methods(["GET", "POST"])
@login_required
def restriction_list(request: HttpRequest) -> HttpResponse:
    """The restriction list; administrators add rows; anyone checks chemicals (GET)."""
    is_admin = request.user.role == Role.ADMIN
    form = f.RestrictionForm(request.POST or None) if is_admin else None
    if request.method == "POST":
        if not is_admin:
            raise PermissionDenied(_("只有管理员可以维护危险化学品禁限控目录"))
        run_step(request, form, lambda d: svc.restricted_chemical_save(actor=request.user, **d),
                 _("已加入目录"))
        return redirect("licensing:restriction_list")
    check = f.CheckForm(request.GET or None)
    matches, problems = ([], [])
    if check.is_bound and check.is_valid():
        matches, problems = sel.restriction_check(check.cleaned_data["chemicals"])
    return render(request, "licensing/projects/restriction_list.html", {
        "rows": RestrictedChemical.objects.all(), "form": form, "check": check,
        "matches": matches, "problems": problems, "checked": check.is_bound})


# --- upgrades ------------------------------------------------------------------------------

@require_GET
@login_required
def upgrade_list(request: HttpRequest) -> HttpResponse:
    form = f.YearFilterForm(request.GET)
    qs = sel.upgrade_list(user=request.user, **form.filters())
    return render(request, "licensing/projects/upgrade_list.html", {
        "form": form, "page": _page(request, qs), "can_write": _role(request.user, WRITERS)})


@require_http_methods(["GET", "POST"])
@login_required
def upgrade_create(request: HttpRequest) -> HttpResponse:
    form = f.UpgradeForm(request.POST or None, user=request.user)
    return _form_page(
        request, form, _("登记改造提升项目"), reverse("licensing:upgrade_list"),
        lambda d: svc.upgrade_project_register(
            actor=request.user, enterprise=d["enterprise"], name=d["name"],
            started_on=d["started_on"], description=d["description"]),
        "licensing:upgrade_detail")


@require_GET
@login_required
def upgrade_detail(request: HttpRequest, pk: int) -> HttpResponse:
    row = sel.upgrade_get(user=request.user, pk=pk)
    if row is None:
        raise Http404(_("未找到该改造提升项目"))
    forms = []
    if _role(request.user, WRITERS) and not row.completed_on:
        forms = [("equipment", _("登记淘汰更新设备"), f.EquipmentForm()),
                 ("complete", _("确认完成"), f.CompleteForm())]
    return render(request, "licensing/projects/upgrade_detail.html", {
        "u": row, "forms": forms,
        "history": history(object_events(row), ACTION_LABELS, _details)})


@require_POST
@login_required
def upgrade_step(request: HttpRequest, pk: int, what: str) -> HttpResponse:
    row = sel.upgrade_get(user=request.user, pk=pk)
    if row is None:
        raise Http404(_("未找到该改造提升项目"))
    user = request.user
    if what == "equipment":
        run_step(request, f.EquipmentForm(request.POST), lambda d: svc.upgrade_equipment_add(
            actor=user, project=row,
            items=[(d["name"], d["action"], d["quantity"], d["unit"])]), _("已登记设备"))
    elif what == "complete":
        run_step(request, f.CompleteForm(request.POST), lambda d: svc.upgrade_project_complete(
            actor=user, project=row, completed_on=d["completed_on"]), _("已确认完成"))
    else:
        raise Http404
    return redirect("licensing:upgrade_detail", pk=row.pk)
