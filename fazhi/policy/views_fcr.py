"""Pages of fair-competition review (公平竞争审查, under /policy/fcr/): the overview with
the archive screening runs and an ad-hoc screening box, a run with its progress bar,
flagged documents and Excel ledger, the archive, and the review of one text (the
reviewer confirms or dismisses each flag, then concludes). Reads through
`selectors_fcr` (scoped; out of scope = 404), writes through `services_fcr`."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fazhi.core.history import history
from fazhi.core.jobs import job_progress
from fazhi.core.selectors import object_events
from fazhi.core.xlsx import Column, ledger_bytes, ledger_workbook, xlsx_response
from fazhi.policy import selectors_fcr as sel
from fazhi.policy import services_fcr as svc
from fazhi.policy.models_fcr import FcrConclusion, FcrFlag, FlagDecision
from fazhi.policy.rules import fcr as engine

ACTION_LABELS = {
    "policy.fcr_review.open": _lazy("发起审查（规则筛查）"),
    "policy.fcr_review.flag": _lazy("认定提示"),
    "policy.fcr_review.conclude": _lazy("作出审查结论"),
    "policy.fcr_run.start": _lazy("启动批量筛查"),
    "policy.fcr_run.finish": _lazy("批量筛查完成"),
}


def _staff(request: HttpRequest) -> None:
    if not getattr(request.user, "is_staff_role", False):
        raise PermissionDenied(_("只有本机关工作人员可以使用公平竞争审查。"))


def _can_review(user) -> bool:
    return user.role in svc.REVIEW_ROLES


def _segments(text: str, flags) -> list[dict]:
    """The text cut at the flagged clauses' spans, for highlighting: each piece with the
    flags whose clause it is (overlapping spans merge)."""
    spans: list[list] = []
    for flag in sorted(flags, key=lambda f: (f.start, f.end)):
        if spans and flag.start < spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], flag.end)
            spans[-1][2].append(flag)
        else:
            spans.append([flag.start, flag.end, [flag]])
    out, pos = [], 0
    for start, end, group in spans:
        if start > pos:
            out.append({"text": text[pos:start], "flags": []})
        out.append({"text": text[start:end], "flags": group})
        pos = end
    if pos < len(text):
        out.append({"text": text[pos:], "flags": []})
    return out


class ScreenForm(forms.Form):
    text = forms.CharField(label=_lazy("政策措施文本"), max_length=200_000,
                           widget=forms.Textarea(attrs={"rows": 8, "class": "form-control"}))
    title = forms.CharField(label=_lazy("标题（发起严格审查时填写）"), max_length=300,
                            required=False,
                            widget=forms.TextInput(attrs={"class": "form-control"}))


class FlagForm(forms.Form):
    decision = forms.ChoiceField(label=_lazy("认定"), choices=[
        (FlagDecision.CONFIRMED, _lazy("确认涉限")), (FlagDecision.DISMISSED, _lazy("排除"))])
    note = forms.CharField(label=_lazy("理由"), required=False, max_length=2000)


class ConcludeForm(forms.Form):
    conclusion = forms.ChoiceField(label=_lazy("审查结论"), choices=[
        (FcrConclusion.COMPLIANT, _lazy("符合公平竞争审查标准")),
        (FcrConclusion.NONCOMPLIANT, _lazy("不符合（应当修改）")),
        (FcrConclusion.EXCEPTION, _lazy("适用例外规定（第十二条）"))],
        widget=forms.Select(attrs={"class": "form-select"}))
    justification = forms.CharField(
        label=_lazy("结论说明"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}))
    exception_purpose = forms.ChoiceField(
        label=_lazy("例外情形"), required=False,
        choices=[("", "—"), *svc.EXCEPTION_PURPOSES.items()],
        widget=forms.Select(attrs={"class": "form-select"}))
    exception_until = forms.DateField(
        label=_lazy("实施期限至"), required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}))


@require_http_methods(["GET", "POST"])
@login_required
def fcr_index(request: HttpRequest) -> HttpResponse:
    """公平竞争审查: runs, the archive's size, and screening a pasted text."""
    _staff(request)
    form = ScreenForm(request.POST or None)
    result = None
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"]
        if request.POST.get("open_review"):
            try:
                review = svc.fcr_review_open(
                    actor=request.user, title=form.cleaned_data["title"] or "",
                    text=text, source="adhoc")
            except (ValidationError, PermissionDenied) as exc:
                messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
            else:
                return redirect(review)
        flags = engine.screen(text)
        result = {"flags": flags, "segments": _segments(text, flags)}
    context = {
        "form": form, "result": result, "runs": sel.run_list(user=request.user)[:20],
        "archive_count": sel.archive_list(user=request.user).count(),
        "open_reviews": sel.review_list(user=request.user, state="open").count(),
        "can_review": _can_review(request.user),
    }
    return render(request, "policy/fcr/index.html", context)


@require_POST
@login_required
def fcr_run_start(request: HttpRequest) -> HttpResponse:
    _staff(request)
    try:
        run = svc.fcr_run_start(actor=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
        return redirect("policy:fcr_index")
    return redirect(run)


@require_GET
@login_required
def fcr_run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _staff(request)
    run = sel.run_get(user=request.user, pk=pk)
    if run is None:
        raise Http404
    results = sel.run_results(run=run)
    page = Paginator(results, 50).get_page(request.GET.get("page"))
    reviews = sel.reviews_by_document(run)
    rows = [{"result": r, "review": reviews.get(r.document_id)} for r in page]
    context = {
        "run": run, "page": page, "rows": rows,
        "progress": job_progress(run.job) if run.job else None,
        "reviewed": sum(1 for r in reviews.values() if r.conclusion),
        "can_review": _can_review(request.user),
        "history": history(object_events(run), ACTION_LABELS),
    }
    return render(request, "policy/fcr/run_detail.html", context)


LEDGER = [Column("文号", 26), Column("标题", 50, "wrap"), Column("发文单位", 22),
          Column("印发日期", 12, "date"), Column("提示条款数", 10, "int"),
          Column("涉及标准", 24), Column("触发词句", 40, "wrap"), Column("审查结论", 18)]


@require_GET
@login_required
def fcr_run_ledger(request: HttpRequest, pk: int) -> HttpResponse:
    """筛查结果台账.xlsx: every document of the run, flagged ones first."""
    _staff(request)
    run = sel.run_get(user=request.user, pk=pk)
    if run is None:
        raise Http404
    headers = [c.header for c in LEDGER]
    wb, ws = ledger_workbook("筛查结果", headers, [c.width for c in LEDGER])
    reviews = sel.reviews_by_document(run)
    for result in sel.run_results(run=run, flagged_only=False).iterator(chunk_size=2000):
        doc = result.document
        review = reviews.get(doc.pk)
        cues = "；".join(f"{f['standard']}「{f['cue']}」" for f in result.flags)
        verdict = (review.get_conclusion_display() if review and review.conclusion
                   else _("审查中") if review else "")
        ws.append([doc.number, doc.title, doc.issuer, doc.issued_on, result.flag_count,
                   result.standards, cues, verdict])
    for (cell,) in ws.iter_rows(min_row=2, min_col=4, max_col=4):
        cell.number_format = "yyyy-mm-dd"
    content = ledger_bytes(wb, ws, headers, text_columns=["文号"])
    name = _("公平竞争审查筛查台账_%(date)s.xlsx") % {
        "date": timezone.localdate(run.created_at).isoformat()}
    return xlsx_response(content, name)


@require_POST
@login_required
def fcr_result_review(request: HttpRequest, pk: int) -> HttpResponse:
    """Open the close review of a flagged document."""
    _staff(request)
    result = sel.result_get(user=request.user, pk=pk)
    if result is None:
        raise Http404
    try:
        review = svc.fcr_review_open_for_result(actor=request.user, result=result)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
        return redirect(result.run)
    return redirect(review)


@require_GET
@login_required
def fcr_archive(request: HttpRequest) -> HttpResponse:
    _staff(request)
    q = request.GET.get("q", "").strip()[:100]
    year = request.GET.get("year", "")
    qs = sel.archive_list(user=request.user, q=q,
                          year=int(year) if year.isdigit() else None)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "policy/fcr/archive.html", {"page": page, "q": q, "year": year})


@require_GET
@login_required
def fcr_review_list(request: HttpRequest) -> HttpResponse:
    _staff(request)
    state = request.GET.get("state", "")
    qs = sel.review_list(user=request.user, state=state if state in ("open", "concluded")
                         else "")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "policy/fcr/review_list.html", {"page": page, "state": state})


@require_http_methods(["GET", "POST"])
@login_required
def fcr_review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _staff(request)
    review = sel.review_get(user=request.user, pk=pk)
    if review is None:
        raise Http404
    conclude_form = ConcludeForm(request.POST if request.POST.get("what") == "conclude"
                                 else None)
    if request.method == "POST":
        try:
            if request.POST.get("what") == "flag":
                flag_form = FlagForm(request.POST)
                flag = FcrFlag.objects.filter(review=review,
                                              pk=request.POST.get("flag") or 0).first()
                if flag is None or not flag_form.is_valid():
                    raise ValidationError(_("请选择认定结果。"))
                svc.fcr_flag_decide(actor=request.user, flag=flag,
                                    decision=flag_form.cleaned_data["decision"],
                                    note=flag_form.cleaned_data["note"])
                messages.success(request, _("已记录认定。"))
                return redirect(review)
            if request.POST.get("what") == "conclude":
                if not conclude_form.is_valid():
                    raise ValidationError(_("请检查结论表单的填写。"))
                data = conclude_form.cleaned_data
                svc.fcr_review_conclude(
                    actor=request.user, review=review, conclusion=data["conclusion"],
                    justification=data["justification"],
                    exception_purpose=data["exception_purpose"] or "",
                    exception_until=data["exception_until"])
                messages.success(request, _("已作出审查结论。"))
                return redirect(review)
            raise ValidationError(_("无法识别的操作。"))
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
    flags = list(review.flags.select_related("decided_by"))
    context = {
        "review": review, "flags": flags, "segments": _segments(review.text, flags),
        "conclude_form": conclude_form, "can_review": _can_review(request.user),
        "purposes": svc.EXCEPTION_PURPOSES,
        "history": history(object_events(review), ACTION_LABELS, _details),
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "policy/fcr/review_detail.html", context, status=status)


def _details(event) -> list[str]:
    payload = event.payload or {}
    lines = []
    if payload.get("flags") is not None:
        lines.append(_("规则提示：%(s)s") % {"s": "、".join(payload["flags"]) or _("无")})
    if payload.get("standard"):
        decision = dict(FlagDecision.choices).get(payload.get("decision", ""), "")
        lines.append(f"{payload['standard']}：{decision} {payload.get('note', '')}".strip())
    if payload.get("conclusion"):
        lines.append(str(dict(FcrConclusion.choices).get(payload["conclusion"], "")))
    if payload.get("justification"):
        lines.append(payload["justification"])
    return lines

