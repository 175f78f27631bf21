"""Pages of the tasks app (任务督办): the plans, a plan with its sub-plans and task list,
the plan's progress by owner unit with an ECharts bar chart (as of any day), the task
list (mine / overdue / all), a task with its progress reports and evidence, the forms
(progress report for owners; new task, completion and reopening for managers) and the
Excel import of a task list with its template.

Reads go through the scoped selectors (outside the scope: 404); every form posts to a
service, whose Chinese refusal is shown with nothing changed."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fazhi.core.selectors import object_events
from fazhi.core.xlsx import ImportRejected, xlsx_response
from fazhi.tasks import imports, selectors, services
from fazhi.tasks.models import ActionPlan, Task, TaskEvidence

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"},
                       format="%Y-%m-%d")
TEXT = {"class": "form-control form-control-sm"}
MAX_FILES, MAX_EVIDENCE = 5, services.MAX_EVIDENCE_BYTES


def _plan_or_404(request: HttpRequest, pk: int) -> ActionPlan:
    plan = selectors.plan_get(user=request.user, pk=pk)
    if plan is None:
        raise Http404(_("未找到该方案"))
    return plan


def _task_or_404(request: HttpRequest, pk: int) -> Task:
    task = selectors.task_get(user=request.user, pk=pk)
    if task is None:
        raise Http404(_("未找到该任务"))
    return task


def _as_of(request: HttpRequest) -> datetime.date:
    try:
        return datetime.date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        return timezone.localdate()


def _refused(request: HttpRequest, exc: ValidationError | PermissionDenied) -> None:
    text = "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
    messages.error(request, text or _("无权执行此操作。"))


# --- forms -----------------------------------------------------------------------------------

class ProgressForm(forms.Form):
    reported_on = forms.DateField(label=gettext_lazy("报告日期"), widget=DATE,
                                  initial=datetime.date.today)
    text = forms.CharField(label=gettext_lazy("进展情况"), max_length=5000,
                           widget=forms.Textarea(attrs={**TEXT, "rows": 3}))
    claims_done = forms.BooleanField(label=gettext_lazy("已完成，申请销号"), required=False)


class CompleteForm(forms.Form):
    completed_on = forms.DateField(label=gettext_lazy("完成日期"), widget=DATE,
                                   initial=datetime.date.today)
    note = forms.CharField(label=gettext_lazy("销号意见"), max_length=300, required=False,
                           widget=forms.TextInput(attrs=TEXT))


class ReopenForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("重新打开的理由"), max_length=300,
                             widget=forms.TextInput(attrs=TEXT))


class TaskForm(forms.Form):
    number = forms.CharField(label=gettext_lazy("序号"), max_length=20,
                             widget=forms.TextInput(attrs=TEXT))
    title = forms.CharField(label=gettext_lazy("任务内容"), max_length=500,
                            widget=forms.TextInput(attrs=TEXT))
    owners = forms.ModelMultipleChoiceField(
        label=gettext_lazy("责任单位"), queryset=None,
        widget=forms.SelectMultiple(attrs={"class": "form-select form-select-sm", "size": 6}))
    due_on = forms.DateField(label=gettext_lazy("完成时限"), widget=DATE)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owners"].queryset = selectors.unit_list(user=user)


# --- plans -----------------------------------------------------------------------------------

@login_required
@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    if not request.user.is_staff_role:
        raise PermissionDenied
    day = timezone.localdate()
    plans = selectors.plan_list(user=request.user).filter(parent__isnull=True)
    rows = [(plan, selectors.completion(Task.objects.filter(plan=plan), day),
             selectors.completion(Task.objects.filter(plan__parent=plan), day))
            for plan in plans.order_by("-issued_on", "pk")]
    return render(request, "tasks/plan_list.html", {"rows": rows, "day": day})


@login_required
@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_or_404(request, pk)
    day = _as_of(request)
    progress = selectors.plan_progress(plan, day)
    tasks = selectors.task_list(user=request.user, plan=plan).order_by("pk")
    page = Paginator(tasks, 50).get_page(request.GET.get("page"))
    can_manage = services.can_manage(request.user, plan.jurisdiction_path)
    return render(request, "tasks/plan_detail.html", {
        "plan": plan, "progress": progress, "page": page, "day": day, "today": day,
        "can_manage": can_manage,
        "task_form": TaskForm(user=request.user) if can_manage else None})


@login_required
@require_GET
def plan_progress(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_or_404(request, pk)
    day = _as_of(request)
    progress = selectors.plan_progress(plan, day)
    rows = sorted(progress.by_unit, key=lambda p: (-p.completion.total, p.unit.name))
    chart = {"labels": [p.unit.name for p in rows],
             "done": [p.completion.done for p in rows],
             "open": [p.completion.open for p in rows],
             "rates": [str(p.completion.rate) for p in rows]}
    return render(request, "tasks/plan_progress.html", {
        "plan": plan, "progress": progress, "day": day, "rows": rows, "chart": chart,
        "chart_height": max(240, 28 * len(rows) + 60)})


@login_required
@require_POST
def task_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_or_404(request, pk)
    form = TaskForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.task_create(actor=request.user, plan=plan,
                                 number=form.cleaned_data["number"],
                                 title=form.cleaned_data["title"],
                                 owners=list(form.cleaned_data["owners"]),
                                 due_on=form.cleaned_data["due_on"])
            messages.success(request, _("任务已添加。"))
        except (ValidationError, PermissionDenied) as exc:
            _refused(request, exc)
    else:
        messages.error(request, "；".join(f"{form.fields[k].label}：{v[0]}" if k in form.fields
                                         else v[0] for k, v in form.errors.items()))
    return redirect("tasks:plan_detail", pk=plan.pk)


@login_required
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    if not request.user.is_staff_role:
        raise PermissionDenied
    data = imports.task_template(selectors.unit_list(user=request.user))
    return xlsx_response(data, "任务清单导入模板.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def task_import(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_or_404(request, pk)
    if not services.can_manage(request.user, plan.jurisdiction_path):
        raise PermissionDenied
    result, rejected = None, ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            rejected = _("请选择要导入的 Excel 文件。")
        else:
            try:
                result = imports.task_import(actor=request.user, plan=plan, file=upload,
                                             units=selectors.unit_list(user=request.user))
            except (ImportRejected, ValidationError) as exc:
                rejected = "；".join(exc.messages)
            if result is not None and result.ok:
                messages.success(request, _("已导入 %(n)s 项任务。") % {"n": result.created})
                return redirect("tasks:plan_detail", pk=plan.pk)
    return render(request, "tasks/task_import.html", {
        "plan": plan, "result": result, "rejected": rejected,
        "errors": result.errors[:500] if result else []})


# --- tasks -----------------------------------------------------------------------------------

@login_required
@require_GET
def task_list(request: HttpRequest) -> HttpResponse:
    if not request.user.is_staff_role:
        raise PermissionDenied
    status = request.GET.get("status", "")
    status = status if status in {"open", "done", "overdue"} else ""
    mine = request.GET.get("mine") == "1"
    rows = selectors.task_list(user=request.user, status=status,
                               q=request.GET.get("q", "").strip()[:50])
    if mine:
        rows = rows.filter(owners__in=selectors.user_units(request.user)).distinct()
    page = Paginator(rows.order_by("due_on", "pk"), 50).get_page(request.GET.get("page"))
    return render(request, "tasks/task_list.html", {
        "page": page, "status": status, "mine": mine, "q": request.GET.get("q", ""),
        "today": timezone.localdate()})


@login_required
@require_GET
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task_or_404(request, pk)
    user = request.user
    can_manage = services.can_manage(user, task.jurisdiction_path)
    can_report = task.completed_on is None and (can_manage or services.is_owner(user, task))
    return render(request, "tasks/task_detail.html", {
        "task": task, "progress": selectors.task_progress(task), "today": timezone.localdate(),
        "can_manage": can_manage, "can_report": can_report,
        "progress_form": ProgressForm() if can_report else None,
        "complete_form": CompleteForm() if can_manage and not task.completed_on else None,
        "reopen_form": ReopenForm() if can_manage and task.completed_on else None,
        "events": object_events(task)})


@login_required
@require_POST
def task_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    task = _task_or_404(request, pk)
    form_class = {"report": ProgressForm, "complete": CompleteForm,
                  "reopen": ReopenForm}.get(action)
    if form_class is None:
        raise Http404
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(f"{form.fields[k].label}：{v[0]}" if k in form.fields
                                         else v[0] for k, v in form.errors.items()))
        return redirect("tasks:task_detail", pk=task.pk)
    data = form.cleaned_data
    try:
        if action == "report":
            uploads = request.FILES.getlist("files")[:MAX_FILES]
            if any(f.size > MAX_EVIDENCE for f in uploads):
                raise ValidationError(_("单个佐证材料不能超过 20 MB。"))
            services.task_report(actor=request.user, task=task, text=data["text"],
                                 reported_on=data["reported_on"],
                                 claims_done=data["claims_done"],
                                 files=[(f.name, f.read()) for f in uploads])
            messages.success(request, _("进展已报告。"))
        elif action == "complete":
            services.task_complete(actor=request.user, task=task,
                                   completed_on=data["completed_on"], note=data["note"])
            messages.success(request, _("任务已销号。"))
        else:
            services.task_reopen(actor=request.user, task=task, reason=data["reason"])
            messages.success(request, _("任务已重新打开。"))
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, exc)
    return redirect("tasks:task_detail", pk=task.pk)


@login_required
@require_GET
def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = TaskEvidence.objects.select_related("progress").filter(pk=pk).first()
    if evidence is None or selectors.task_get(user=request.user,
                                              pk=evidence.progress.task_id) is None:
        raise Http404(_("未找到该材料"))
    return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.name)
