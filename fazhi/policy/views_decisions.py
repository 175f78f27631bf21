"""Pages of major administrative decisions (重大行政决策): the catalogues and decisions by
year, and a decision's page — the five statutory steps, each with its record, comments
(public participation) and documents, what the decision still lacks (with the
articles), the decision, publication and post-decision evaluation, the event record."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from fazhi.core.feedback import refused
from fazhi.core.history import history
from fazhi.core.models import Event, User
from fazhi.core.selectors import object_events
from fazhi.policy import forms_decisions as f
from fazhi.policy import selectors_decisions as sel
from fazhi.policy import services_decisions as svc
from fazhi.policy.models_decisions import DecisionCatalogue, MajorDecision
from fazhi.policy.rules import decisions as rules
from fazhi.policy.views_normdocs import _form_errors

ACTION_LABELS = {
    "policy.decision.catalogued": gettext_lazy("列入目录"),
    "policy.decision.step_recorded": gettext_lazy("记录法定程序"),
    "policy.decision.comment_added": gettext_lazy("登记公众意见"),
    "policy.decision.file_added": gettext_lazy("上传文件"),
    "policy.decision.adopted": gettext_lazy("作出决定"),
    "policy.decision.published": gettext_lazy("公布决策"),
    "policy.decision.evaluated": gettext_lazy("决策后评估"),
}


def _writer(user: User) -> bool:
    return user.is_authenticated and user.role in svc.WRITERS and bool(user.agency_id)


def _details(event: Event) -> list[str]:
    p = event.payload or {}
    lines = []
    if p.get("step"):
        lines.append(str(rules.STEP_BY_KIND[p["step"]].label) if p["step"] in
                     rules.STEP_BY_KIND else str(p["step"]))
    for key, label in (("adopted_on", "决定日期"), ("completed_on", "完成日期"),
                       ("name", "文件"), ("sha256", "SHA-256"), ("source", "意见来源")):
        if p.get(key):
            lines.append(f"{label}：{p[key]}")
    return lines


@login_required
@require_http_methods(["GET", "POST"])
def decision_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    catalogue_form = f.CatalogueForm(request.POST or None,
                                     initial={"year": timezone.localdate().year})
    if request.method == "POST":
        if not _writer(user):
            raise PermissionDenied(_("当前角色无权编制目录"))
        if catalogue_form.is_valid():
            try:
                svc.catalogue_create(actor=user, **catalogue_form.cleaned_data)
            except (ValidationError, PermissionDenied) as exc:
                refused(request, exc)
            else:
                messages.success(request, _("已建立年度目录"))
                return redirect("policy:decision_list")
        else:
            _form_errors(request, catalogue_form)
    catalogues = sel.catalogue_list(user=user).prefetch_related("decisions")
    return render(request, "policy/decisions/list.html", {
        "catalogues": catalogues, "catalogue_form": catalogue_form,
        "add_form": f.DecisionAddForm(), "can_write": _writer(user)})


@login_required
@require_POST
def decision_add(request: HttpRequest, pk: int) -> HttpResponse:
    catalogue: DecisionCatalogue | None = sel.catalogue_get(user=request.user, pk=pk)
    if catalogue is None:
        raise Http404(_("未找到该目录"))
    form = f.DecisionAddForm(request.POST)
    if form.is_valid():
        try:
            decision = svc.decision_add(actor=request.user, catalogue=catalogue,
                                        **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            refused(request, exc)
        else:
            return redirect(decision.get_absolute_url())
    else:
        _form_errors(request, form)
    return redirect("policy:decision_list")


def _decision_or_404(user: User, pk: int) -> MajorDecision:
    decision = sel.decision_get(user=user, pk=pk)
    if decision is None:
        raise Http404(_("未找到该决策"))
    return decision


@login_required
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _decision_or_404(request.user, pk)
    user = request.user
    own = _writer(user) and user.agency_id == decision.catalogue.agency_id
    recorded = {s.kind: s for s in decision.steps.all()}
    today = timezone.localdate()
    steps = []
    facts = svc.step_facts(decision)
    for rule in rules.STEPS:
        step = recorded.get(rule.kind)
        initial: dict[str, Any] = {"kind": rule.kind, "started_on": today}
        if step is not None:
            initial.update({name: getattr(step, name) for name in (
                "started_on", "completed_on", "summary", "participants", "meeting",
                "comment_from", "comment_until", "urgent_reason", "risk_level", "legality")})
        form = f.StepForm(prefix=rule.kind, initial=initial)
        shown = [form[name] for name in f.StepForm.EXTRA[rule.kind]]
        gaps = rules.step_gaps(facts[rule.kind]) if step else []
        steps.append({"rule": rule, "step": step, "form": form, "extra": shown,
                      "citation": rules.cite_text(rule.citation), "gaps": gaps,
                      "may_record": own and (rule.kind != rules.LEGALITY
                                             or user.role in svc.LEGAL_REVIEWERS)})
    is_open = decision.status in svc.OPEN
    gaps = svc.adoption_gaps(decision) if is_open else []
    return render(request, "policy/decisions/detail.html", {
        "decision": decision, "own": own, "steps": steps, "gaps": gaps, "open": is_open,
        "may_adopt": own and user.role in svc.DECIDERS and is_open,
        "adopt_form": f.AdoptForm(initial={"version": decision.version, "adopted_on": today}),
        "publish_form": f.PublishForm(initial={"published_on": today}),
        "evaluation_form": f.EvaluationForm(initial={"evaluated_on": today}),
        "comment_form": f.CommentForm(initial={"received_on": today}),
        "file_form": f.FileForm(),
        "comment_min_days": rules.COMMENT_MIN_DAYS,
        "comment_citation": rules.cite_text(rules.C_COMMENT_PERIOD),
        "history": history(object_events(decision), ACTION_LABELS, _details),
    })


def _act_step(request: HttpRequest, decision: MajorDecision) -> None:
    kind = request.POST.get("kind", "")
    form = f.StepForm(request.POST, prefix=kind)
    if not form.is_valid():
        return _form_errors(request, form)
    d = form.cleaned_data
    svc.decision_step_record(actor=request.user, decision=decision, **d)
    messages.success(request, _("已记录：%(step)s") % {
        "step": rules.STEP_BY_KIND[kind].label})


def _act_comment(request: HttpRequest, decision: MajorDecision) -> None:
    step = decision.steps.filter(kind=rules.PUBLIC).first()
    if step is None:
        raise ValidationError(_("请先记录公众参与（征求意见期间）"))
    form = f.CommentForm(request.POST)
    if not form.is_valid():
        return _form_errors(request, form)
    svc.decision_comment_add(actor=request.user, step=step, **form.cleaned_data)
    messages.success(request, _("已登记公众意见"))


def _act_file(request: HttpRequest, decision: MajorDecision) -> None:
    form = f.FileForm(request.POST, request.FILES)
    if not form.is_valid():
        return _form_errors(request, form)
    kind = form.cleaned_data["step"]
    step = decision.steps.filter(kind=kind).first() if kind else None
    if kind and step is None:
        raise ValidationError(_("请先记录该程序，再上传其文件"))
    svc.decision_file_add(actor=request.user, decision=decision, step=step,
                          upload=form.cleaned_data["file"])
    messages.success(request, _("已上传文件"))


def _act_adopt(request: HttpRequest, decision: MajorDecision) -> None:
    form = f.AdoptForm(request.POST)
    if not form.is_valid():
        return _form_errors(request, form)
    d = form.cleaned_data
    svc.decision_adopt(actor=request.user, decision=decision, adopted_on=d["adopted_on"],
                       decision_text=d["decision_text"], expected_version=d["version"])
    messages.success(request, _("已作出决定"))


def _act_publish(request: HttpRequest, decision: MajorDecision) -> None:
    form = f.PublishForm(request.POST)
    if not form.is_valid():
        return _form_errors(request, form)
    svc.decision_publish(actor=request.user, decision=decision, **form.cleaned_data)
    messages.success(request, _("已公布"))


def _act_evaluate(request: HttpRequest, decision: MajorDecision) -> None:
    form = f.EvaluationForm(request.POST)
    if not form.is_valid():
        return _form_errors(request, form)
    svc.decision_evaluate(actor=request.user, decision=decision, **form.cleaned_data)
    messages.success(request, _("已记录决策后评估"))


ACTIONS = {"step": _act_step, "comment": _act_comment, "file": _act_file,
           "adopt": _act_adopt, "publish": _act_publish, "evaluate": _act_evaluate}


@login_required
@require_POST
def decision_act(request: HttpRequest, pk: int, what: str) -> HttpResponse:
    decision = _decision_or_404(request.user, pk)
    action = ACTIONS.get(what)
    if action is None:
        raise Http404
    try:
        action(request, decision)
    except (ValidationError, PermissionDenied) as exc:
        refused(request, exc)
    return redirect(decision.get_absolute_url())
