"""Pages of normative documents (行政规范性文件) and their cleanup (清理): the list with
its filters, the drafting form (paste, .docx or .pdf), the document page — the workflow
with its gates, the legality review opinion by opinion, the fair-competition review,
the collective deliberation, signing and publication, the versions and the event
record — and the cleanup campaigns.

Reads go through the scoped selectors (out of scope: 404); each form posts to one
service, whose Chinese refusal is shown with nothing changed."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from fazhi.core.feedback import refused
from fazhi.core.history import history
from fazhi.core.models import Event, User
from fazhi.core.selectors import object_events
from fazhi.policy import forms_normdocs as f
from fazhi.policy import selectors_normdocs as sel
from fazhi.policy import services_normdocs as svc
from fazhi.policy.models_normdocs import (
    CleanupCampaign,
    CleanupOutcome,
    DocIssuer,
    DocStatus,
    LegalityOpinion,
    LegalityReview,
    NormativeDocument,
)
from fazhi.policy.rules import normdocs as rules

ACTION_LABELS = {
    "policy.normdoc.created": gettext_lazy("起草"),
    "policy.normdoc.text_set": gettext_lazy("修改正文"),
    "policy.normdoc.legality_opinion": gettext_lazy("合法性审查意见"),
    "policy.normdoc.legality_answer": gettext_lazy("答复审查意见"),
    "policy.normdoc.legality_concluded": gettext_lazy("合法性审查结论"),
    "policy.normdoc.deliberated": gettext_lazy("集体审议"),
    "policy.normdoc.amendment_opened": gettext_lazy("启动修改"),
    "policy.normdoc.superseded": gettext_lazy("被新版本替代"),
    **{f"policy.normdoc.{m.name}": m.label for m in rules.MOVES.values()},
    "policy.cleanup.opened": gettext_lazy("启动清理"),
    "policy.cleanup.result": gettext_lazy("记录清理结果"),
    "policy.cleanup.concluded": gettext_lazy("清理完成"),
    "policy.cleanup.published": gettext_lazy("公布清理结果"),
}
STAGES = [DocStatus.DRAFTING, DocStatus.LEGALITY, DocStatus.FCR, DocStatus.DELIBERATION,
          DocStatus.SIGNED, DocStatus.PUBLISHED, DocStatus.IN_FORCE]


def _writer(user: User) -> bool:
    return user.is_authenticated and user.role in rules.WRITERS and bool(user.agency_id)


def _form_errors(request: HttpRequest, form: Any) -> None:
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        for error in errors:
            shown = field is not None and not field.widget.is_hidden and field.label
            messages.error(request, f"{field.label}：{error}" if shown else error)


VALUE_LABELS = {**dict(CleanupOutcome.choices), **dict(LegalityReview.Conclusion.choices),
                **dict(DocStatus.choices)}


def _details(event: Event) -> list[str]:
    p = event.payload or {}
    lines = []
    for key, label in (("number", "文号"), ("reason", "理由"), ("conclusion", "结论"),
                       ("clause", "条款"), ("text", "意见"), ("result", "结果"),
                       ("published_on", "公布日期"), ("effective_on", "施行日期"),
                       ("meeting", "会议"), ("file", "文件"), ("sha256", "SHA-256")):
        if p.get(key) not in (None, ""):
            value = p[key]
            if key in ("conclusion", "result"):
                value = VALUE_LABELS.get(value, value)
            lines.append(f"{label}：{value}")
    return lines


# --- documents -----------------------------------------------------------------------------

@login_required
def normdoc_list(request: HttpRequest) -> HttpResponse:
    form = f.NormdocFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
    docs = sel.normdoc_list(user=request.user, **filters)
    page = Paginator(docs, 25).get_page(request.GET.get("page"))
    return render(request, "policy/normdocs/list.html", {
        "form": form, "page": page, "can_write": _writer(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def normdoc_create(request: HttpRequest) -> HttpResponse:
    if not _writer(request.user):
        raise PermissionDenied(_("当前角色无权起草规范性文件"))
    form = f.NormdocCreateForm(request.POST or None, request.FILES or None,
                               initial={"drafted_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            doc = svc.normdoc_create(actor=request.user, title=data["title"],
                                     issuer=data["issuer"], drafted_on=data["drafted_on"],
                                     text=data["text"], valid_years=data["valid_years"])
            if data["upload"]:
                svc.normdoc_text_set(actor=request.user, document=doc, upload=data["upload"])
        except (ValidationError, PermissionDenied) as exc:
            if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
                for key, errs in exc.error_dict.items():
                    for err in errs:
                        form.add_error(key if key in form.fields else None, err.messages)
            else:
                refused(request, exc)
        else:
            messages.success(request, _("已登记草案"))
            return redirect(doc.get_absolute_url())
    return render(request, "policy/normdocs/form.html", {"form": form})


def _doc_or_404(user: User, pk: int) -> NormativeDocument:
    doc = sel.normdoc_get(user=user, pk=pk)
    if doc is None:
        raise Http404(_("未找到该文件"))
    return doc


def _move_form(doc: NormativeDocument, move: rules.Move) -> f.MoveForm:
    today = timezone.localdate()
    return f.MoveForm(prefix=move.name, initial={
        "move": move.name, "version": doc.version, "on": today, "published_on": today,
        "effective_on": today, "valid_years": doc.valid_years})


def _fcr_url(doc: NormativeDocument) -> str | None:
    """The fair-competition review's own page (the fcr part of the app), if routed."""
    if doc.fcr_review_id is None:
        return None
    try:
        return reverse("policy:fcr_review_detail", args=[doc.fcr_review_id])
    except NoReverseMatch:
        return None


@login_required
def normdoc_detail(request: HttpRequest, pk: int) -> HttpResponse:
    doc = _doc_or_404(request.user, pk)
    user = request.user
    own = user.agency_id == doc.agency_id
    reviews = list(doc.legality_reviews.all())
    current_review = reviews[-1] if reviews else None
    moves = [(m, _move_form(doc, m)) for m in rules.available(doc.status, user.role)] if own \
        else []
    stage_index = STAGES.index(doc.status) if doc.status in STAGES else len(STAGES)
    return render(request, "policy/normdocs/detail.html", {
        "doc": doc, "own": own, "writer": own and _writer(user),
        "legal_reviewer": own and user.role in rules.LEGAL_REVIEWERS,
        "stages": [(s.label, i < stage_index, i == stage_index) for i, s in enumerate(STAGES)],
        "versions": sel.normdoc_versions(doc),
        "reviews": reviews, "current_review": current_review,
        "moves": moves,
        "text_form": f.TextForm(initial={"title": doc.title, "text": doc.text,
                                         "valid_years": doc.valid_years,
                                         "version": doc.version}),
        "opinion_form": f.OpinionForm(),
        "answer_form": f.AnswerForm(),
        "conclude_form": f.ConcludeForm(initial={"concluded_on": timezone.localdate()}),
        "deliberation_form": f.DeliberationForm(initial={
            "version": doc.version, "deliberated_on": timezone.localdate()}),
        "amend_form": f.AmendForm(),
        "can_amend": own and _writer(user) and doc.status in rules.AMENDABLE
                     and not NormativeDocument.objects.filter(previous=doc).exists(),
        "fcr": doc.fcr_review,
        "fcr_url": _fcr_url(doc),
        "history": history(object_events(doc), ACTION_LABELS, _details),
    })


def _act_text(request: HttpRequest, doc: NormativeDocument) -> None:
    form = f.TextForm(request.POST, request.FILES)
    if not form.is_valid():
        return _form_errors(request, form)
    d = form.cleaned_data
    svc.normdoc_text_set(actor=request.user, document=doc, title=d["title"],
                         text=None if d["upload"] else d["text"], upload=d["upload"],
                         valid_years=d["valid_years"], expected_version=d["version"])
    messages.success(request, _("已保存正文"))


def _act_move(request: HttpRequest, doc: NormativeDocument) -> None:
    move = request.POST.get("move", "")
    if move not in rules.MOVES:
        raise ValidationError(_("未知的操作"))
    form = f.MoveForm(request.POST, prefix=move)
    if not form.is_valid():
        return _form_errors(request, form)
    d = form.cleaned_data
    svc.normdoc_transition(
        actor=request.user, document=doc, move=move, expected_version=d["version"],
        on=d["on"], reason=d["reason"], number=d["number"], published_on=d["published_on"],
        effective_on=d["effective_on"], valid_years=d["valid_years"],
        published_where=d["published_where"])
    messages.success(request, _("已执行：%(label)s") % {"label": rules.MOVES[move].label})


def _act_opinion(request: HttpRequest, doc: NormativeDocument) -> None:
    form = f.OpinionForm(request.POST)
    review = doc.legality_reviews.order_by("-round_no").first()
    if review is None:
        raise ValidationError(_("尚未送合法性审查"))
    if not form.is_valid():
        return _form_errors(request, form)
    svc.legality_opinion_add(actor=request.user, review=review, **form.cleaned_data)
    messages.success(request, _("已添加审查意见"))


def _act_answer(request: HttpRequest, doc: NormativeDocument) -> None:
    form = f.AnswerForm(request.POST)
    opinion = LegalityOpinion.objects.filter(pk=request.POST.get("opinion") or 0,
                                             review__document=doc).first()
    if opinion is None:
        raise Http404
    if not form.is_valid():
        return _form_errors(request, form)
    svc.legality_opinion_answer(actor=request.user, opinion=opinion, **form.cleaned_data)
    messages.success(request, _("已答复审查意见"))


def _act_conclude(request: HttpRequest, doc: NormativeDocument) -> None:
    form = f.ConcludeForm(request.POST)
    review = doc.legality_reviews.order_by("-round_no").first()
    if review is None:
        raise ValidationError(_("尚未送合法性审查"))
    if not form.is_valid():
        return _form_errors(request, form)
    svc.legality_review_conclude(actor=request.user, review=review, **form.cleaned_data)
    messages.success(request, _("已作出合法性审查结论"))


def _act_deliberation(request: HttpRequest, doc: NormativeDocument) -> None:
    form = f.DeliberationForm(request.POST)
    if not form.is_valid():
        return _form_errors(request, form)
    d = form.cleaned_data
    svc.normdoc_deliberation_record(
        actor=request.user, document=doc, deliberated_on=d["deliberated_on"],
        meeting=d["meeting"], minutes=d["minutes"], expected_version=d["version"])
    messages.success(request, _("已记录集体审议"))


def _act_amend(request: HttpRequest, doc: NormativeDocument) -> NormativeDocument | None:
    form = f.AmendForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return None
    new = svc.normdoc_amend(actor=request.user, document=doc, reason=form.cleaned_data["reason"])
    messages.success(request, _("已生成新版本（起草）"))
    return new


ACTIONS = {"text": _act_text, "move": _act_move, "opinion": _act_opinion,
           "answer": _act_answer, "conclude": _act_conclude,
           "deliberation": _act_deliberation}


@login_required
@require_POST
def normdoc_act(request: HttpRequest, pk: int, what: str) -> HttpResponse:
    doc = _doc_or_404(request.user, pk)
    try:
        if what == "amend":
            new = _act_amend(request, doc)
            if new is not None:
                return redirect(new.get_absolute_url())
        elif what in ACTIONS:
            ACTIONS[what](request, doc)
        else:
            raise Http404
    except (ValidationError, PermissionDenied) as exc:
        refused(request, exc)
    return redirect(reverse("policy:normdoc_detail", args=[doc.pk]))


# --- cleanups ------------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def cleanup_list(request: HttpRequest) -> HttpResponse:
    form = f.CleanupCreateForm(request.POST or None,
                               initial={"started_on": timezone.localdate()})
    if request.method == "POST":
        if not _writer(request.user):
            raise PermissionDenied(_("当前角色无权组织清理"))
        if form.is_valid():
            try:
                campaign = svc.cleanup_campaign_open(actor=request.user, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as exc:
                refused(request, exc)
            else:
                return redirect(campaign.get_absolute_url())
        else:
            _form_errors(request, form)
    candidates = {}
    if _writer(request.user):
        candidates = {label: svc.cleanup_candidates(agency_id=request.user.agency_id,
                                                    issuer=value).count()
                      for value, label in DocIssuer.choices}
    return render(request, "policy/normdocs/cleanup_list.html", {
        "campaigns": sel.cleanup_list(user=request.user), "form": form,
        "can_write": _writer(request.user), "candidates": candidates})


def _campaign_or_404(user: User, pk: int) -> CleanupCampaign:
    campaign = sel.cleanup_get(user=user, pk=pk)
    if campaign is None:
        raise Http404(_("未找到该清理"))
    return campaign


@login_required
def cleanup_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign_or_404(request.user, pk)
    own = _writer(request.user) and request.user.agency_id == campaign.agency_id
    rows = [(r, f.CleanupResultForm(prefix=f"r{r.pk}", initial={
        "row": r.pk, "result": r.result or "continue", "reason": r.reason}))
        for r in campaign.results.all()]
    return render(request, "policy/normdocs/cleanup_detail.html", {
        "campaign": campaign, "rows": rows, "own": own,
        "open": campaign.status == CleanupCampaign.Status.OPEN,
        "day_form": f.DayForm(initial={"day": timezone.localdate()}),
        "history": history(object_events(campaign), ACTION_LABELS, _details),
    })


@login_required
@require_POST
def cleanup_act(request: HttpRequest, pk: int, what: str) -> HttpResponse:
    campaign = _campaign_or_404(request.user, pk)
    try:
        if what == "result":
            row = campaign.results.filter(pk=request.POST.get("row") or 0).first()
            if row is None:
                raise Http404
            form = f.CleanupResultForm(request.POST, prefix=f"r{row.pk}")
            if form.is_valid():
                svc.cleanup_result_record(actor=request.user, row=row,
                                          result=form.cleaned_data["result"],
                                          reason=form.cleaned_data["reason"])
                messages.success(request, _("已记录清理结果"))
            else:
                _form_errors(request, form)
        elif what in ("conclude", "publish"):
            form = f.DayForm(request.POST)
            if form.is_valid():
                day = form.cleaned_data["day"]
                if what == "conclude":
                    svc.cleanup_campaign_conclude(actor=request.user, campaign=campaign,
                                                  concluded_on=day)
                    messages.success(request, _("清理已完成，结果已应用到各文件"))
                else:
                    svc.cleanup_campaign_publish(actor=request.user, campaign=campaign,
                                                 published_on=day)
                    messages.success(request, _("清理结果已公布"))
            else:
                _form_errors(request, form)
        else:
            raise Http404
    except (ValidationError, PermissionDenied) as exc:
        refused(request, exc)
    return redirect(campaign.get_absolute_url())
