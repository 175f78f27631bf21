"""Staff pages of the oversight app (/oversight/): the overview (overdue tips, stale
portal columns), tips (list and its Excel ledger, phone entry, the tip page with one form
per action; the tipster's identity only for the tip desk, never in the ledger), social
supervisors and their remarks (a supervisor's own desk too, with links to the enforcement
records of their area, read only), disclosure requests and news posts (publish now or
scheduled, withdraw with a reason).

Reads go through the scoped selectors (outside the scope: 404); every form posts to a
service, whose Chinese refusal is shown with nothing changed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fazhi.cases.models import PenaltyCase
from fazhi.core.feedback import refused
from fazhi.core.models import Jurisdiction, Role, User
from fazhi.core.selectors import object_events
from fazhi.core.xlsx import xlsx_response
from fazhi.inspection.forms import add_service_errors
from fazhi.inspection.models import Inspection
from fazhi.oversight import forms as f
from fazhi.oversight import selectors, services
from fazhi.oversight.crypto import Identity
from fazhi.oversight.ledger import tip_ledger_workbook
from fazhi.oversight.models import PostColumn, Tip, TipKind, TipReward
from fazhi.oversight.rules import supervision as supervision_rules
from fazhi.oversight.rules import tips as tip_rules

STAFF = frozenset({Role.OFFICER, Role.LEADER, Role.REVIEWER, Role.ADMIN})
ACTION_LABELS = {
    "oversight.tip.received": "收到举报", "oversight.tip.accepted": "受理",
    "oversight.tip.not_accepted": "不予受理", "oversight.tip.extended": "延长办理期限",
    "oversight.tip.linked": "关联核查检查或案件", "oversight.tip.concluded": "办结",
    "oversight.tip.feedback_given": "向举报人反馈", "oversight.tip.identity_viewed":
    "查看举报人身份信息", "oversight.reward.proposed": "提出奖励",
    "oversight.reward.decided": "审批奖励", "oversight.reward.paid": "发放奖励",
    "oversight.disclosure.registered": "登记申请并出具回执",
    "oversight.disclosure.supplement": "告知补正", "oversight.disclosure.extended": "延长答复期限",
    "oversight.disclosure.answered": "答复",
}


def _history(obj) -> list[tuple[str, object]]:
    return [(ACTION_LABELS.get(e.action, e.action), e) for e in object_events(obj)]


def _staff(request: HttpRequest) -> User:
    user = request.user
    if user.role not in STAFF:
        raise PermissionDenied("您的角色不能使用该页面")
    return user


def _form_errors(request: HttpRequest, form: Any) -> None:
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        for error in errors:
            messages.error(request, f"{field.label}：{error}" if field else error)


def _page(request: HttpRequest, qs: Any) -> Any:
    return Paginator(qs, 20).get_page(request.GET.get("page") or 1)


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.role == Role.SUPERVISOR:
        return redirect("oversight:supervisor_desk")
    _staff(request)
    today = timezone.localdate()
    columns = (selectors.column_statuses(agency=user.agency, today=today)
               if user.agency_id else [])
    return render(request, "oversight/overview.html", {
        "overdue": selectors.tips_overdue(user=user, today=today)[:20],
        "received": selectors.tip_list(user=user, status=Tip.Status.RECEIVED).count(),
        "accepted": selectors.tip_list(user=user, status=Tip.Status.ACCEPTED).count(),
        "remarks_open": selectors.remark_list(user=user).filter(answered_on__isnull=True)[:10],
        "requests_open": selectors.disclosure_list(user=user).filter(
            answered_on__isnull=True)[:10],
        "columns": columns, "stale": [c for c in columns if c.stale], "today": today,
    })


# --- tips ------------------------------------------------------------------------------

def tip_filters(params: Any) -> dict[str, Any]:
    """status / kind / q of the tip list from the query string (the list page and its
    ledger share them); an invalid value is dropped, never an error."""
    status = params.get("status") or ""
    kind = params.get("kind") or ""
    return {"status": status if status in Tip.Status.values else None,
            "kind": kind if kind in TipKind.values else None,
            "q": (params.get("q") or "").strip()[:50]}


@login_required
@require_GET
def tip_list(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    filters = tip_filters(request.GET)
    qs = selectors.tip_list(user=user, **filters)
    ledger_query = request.GET.copy()
    ledger_query.pop("page", None)
    return render(request, "oversight/tip_list.html", {
        "page": _page(request, qs), "status": filters["status"] or "",
        "kind": filters["kind"] or "", "q": filters["q"],
        "statuses": Tip.Status.choices, "kinds": TipKind.choices,
        "ledger_query": ledger_query.urlencode(), "today": timezone.localdate()})


@login_required
@require_GET
def tip_ledger_xlsx(request: HttpRequest) -> HttpResponse:
    """举报台账.xlsx: the tips of the list page (same scope, same filters); never the
    informant's identity, whoever downloads it (`fazhi.oversight.ledger`)."""
    user = _staff(request)
    content = tip_ledger_workbook(selectors.tip_list(user=user, **tip_filters(request.GET)))
    name = _("举报台账_%(date)s.xlsx") % {"date": timezone.localdate().isoformat()}
    return xlsx_response(content, name)


@login_required
@require_http_methods(["GET", "POST"])
def tip_create(request: HttpRequest) -> HttpResponse:
    """Staff enter a tip received by phone (12350), letter or visit."""
    user = _staff(request)
    form = f.StaffTipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        jurisdiction = Jurisdiction.objects.filter(code=data["area"]).first()
        try:
            if jurisdiction is None:
                raise ValidationError({"area": "请选择所在地区"})
            tip, secret = services.tip_submit(
                actor=user, kind=data["kind"], channel=data["channel"],
                subject_name=data["subject_name"], content=data["content"],
                jurisdiction=jurisdiction, place=data["place"], anonymous=data["anonymous"],
                identity=Identity(name=data["name"], phone=data["phone"],
                                  id_number=data["id_number"], contact=data["contact"]))
        except (ValidationError, PermissionDenied) as exc:
            if isinstance(exc, ValidationError):
                add_service_errors(form, exc)
            else:
                form.add_error(None, str(exc))
        else:
            return render(request, "oversight/tip_created.html",
                          {"tip": tip, "secret": secret})
    return render(request, "oversight/tip_form.html", {"form": form},
                  status=422 if form.is_bound else 200)


def _tip_or_404(user: User, pk: int) -> Tip:
    tip = selectors.tip_get(user=user, pk=pk)
    if tip is None:
        raise Http404("未找到该举报")
    return tip


@login_required
@require_GET
def tip_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _staff(request)
    tip = _tip_or_404(user, pk)
    desk = services.can_view_identity(user)
    reward = TipReward.objects.filter(tip=tip).first()
    return render(request, "oversight/tip_detail.html", {
        "tip": tip, "desk": desk, "reward": reward,
        "content": tip.content if desk else selectors.masked_text(tip.content),
        "events": _history(tip), "today": timezone.localdate(),
        "head": user.role in services.HEADS, "handler": user.role in services.HANDLERS,
        "forms": {"not_accept": f.ReasonForm(), "extend": f.ExtendForm(),
                  "link": f.LinkForm(), "conclude": f.ConcludeForm(),
                  "decide": f.RewardDecideForm(), "pay": f.RewardPayForm()},
        "unconfirmed": tip_rules.UNCONFIRMED, "death_note": tip_rules.death_note(),
    })


@login_required
@require_POST
def tip_identity(request: HttpRequest, pk: int) -> HttpResponse:
    """The tip desk reveals the identity (POST: the reading is recorded)."""
    user = _staff(request)
    tip = _tip_or_404(user, pk)
    try:
        identity = services.tip_identity(actor=user, tip=tip)
    except PermissionDenied as exc:
        raise PermissionDenied(str(exc)) from None
    response = render(request, "oversight/partials/identity.html",
                      {"tip": tip, "identity": identity})
    response["Cache-Control"] = "no-store"
    return response


def _tip_action(request: HttpRequest, tip: Tip, user: User, action: str) -> None:
    post = request.POST
    if action == "accept":
        form = f.DayForm(post)
        run: Callable[[], Any] = lambda: services.tip_accept(  # noqa: E731
            actor=user, tip=tip, on=form.cleaned_data["on"])
    elif action == "not_accept":
        form = f.ReasonForm(post)
        run = lambda: services.tip_not_accept(  # noqa: E731
            actor=user, tip=tip, reason=form.cleaned_data["reason"], on=form.cleaned_data["on"])
    elif action == "extend":
        form = f.ExtendForm(post)
        run = lambda: services.tip_extend(  # noqa: E731
            actor=user, tip=tip, days=form.cleaned_data["days"],
            reason=form.cleaned_data["reason"])
    elif action == "link":
        form = f.LinkForm(post)

        def run() -> Any:
            data = form.cleaned_data
            inspection = Inspection.objects.filter(pk=data["inspection"]).first() \
                if data["inspection"] else None
            case = PenaltyCase.objects.filter(pk=data["case"]).first() if data["case"] else None
            if (data["inspection"] and inspection is None) or (data["case"] and case is None):
                raise ValidationError("未找到该检查或案件")
            return services.tip_link(actor=user, tip=tip, inspection=inspection, case=case)
    elif action == "conclude":
        form = f.ConcludeForm(post)
        run = lambda: services.tip_conclude(  # noqa: E731
            actor=user, tip=tip, outcome=form.cleaned_data["outcome"],
            summary=form.cleaned_data["summary"], on=form.cleaned_data["on"],
            accident_class=form.cleaned_data["accident_class"] or "",
            concealed_deaths=form.cleaned_data["concealed_deaths"] or 0)
    elif action == "feedback":
        form = f.DayForm(post)
        run = lambda: services.tip_feedback(  # noqa: E731
            actor=user, tip=tip, on=form.cleaned_data["on"])
    elif action == "reward_propose":
        form = f.DayForm(post)
        run = lambda: services.tip_reward_propose(  # noqa: E731
            actor=user, tip=tip, on=form.cleaned_data["on"])
    elif action == "reward_decide":
        form = f.RewardDecideForm(post)
        run = lambda: services.tip_reward_decide(  # noqa: E731
            actor=user, reward=tip.reward, approve=form.cleaned_data["approve"],
            reason=form.cleaned_data["reason"])
    elif action == "reward_pay":
        form = f.RewardPayForm(post)
        run = lambda: services.tip_reward_pay(  # noqa: E731
            actor=user, reward=tip.reward, method=form.cleaned_data["method"],
            voucher=form.cleaned_data["voucher"], on=form.cleaned_data["on"])
    else:
        raise Http404("未知操作")
    if not form.is_valid():
        _form_errors(request, form)
        return
    try:
        run()
    except (ValidationError, PermissionDenied, TipReward.DoesNotExist) as exc:
        if isinstance(exc, TipReward.DoesNotExist):
            messages.error(request, "该举报尚未提出奖励")
        else:
            refused(request, exc)
    else:
        messages.success(request, "已保存")


@login_required
@require_POST
def tip_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = _staff(request)
    tip = _tip_or_404(user, pk)
    _tip_action(request, tip, user, action)
    return redirect("oversight:tip_detail", pk=tip.pk)


# --- supervisors -------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def supervisor_list(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    form = f.AppointForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            target = User.objects.filter(pk=data["user"], role=Role.SUPERVISOR).first()
            try:
                if target is None:
                    raise ValidationError("未找到该社会监督员用户")
                services.supervisor_appoint(
                    actor=user, user=target, name=data["name"], work_unit=data["work_unit"],
                    term_start=data["term_start"], term_end=data["term_end"])
            except (ValidationError, PermissionDenied) as exc:
                refused(request, exc)
            else:
                messages.success(request, "已聘任")
                return redirect("oversight:supervisor_list")
        else:
            _form_errors(request, form)
    today = timezone.localdate()
    return render(request, "oversight/supervisor_list.html", {
        "supervisors": selectors.supervisor_list(user=user), "today": today,
        "remarks": selectors.remark_list(user=user)[:50], "form": form,
        "can_appoint": user.role in services.HEADS, "rule": supervision_rules.RULE_TEXT})


@login_required
@require_http_methods(["GET", "POST"])
def remark_detail(request: HttpRequest, pk: int) -> HttpResponse:
    remark = selectors.remark_get(user=request.user, pk=pk)
    if remark is None:
        raise Http404("未找到该监督意见")
    form = f.AnswerForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.remark_answer(actor=request.user, remark=remark,
                                       answer=form.cleaned_data["answer"])
            except (ValidationError, PermissionDenied) as exc:
                refused(request, exc)
            else:
                messages.success(request, "已答复")
                return redirect("oversight:remark_detail", pk=remark.pk)
        else:
            _form_errors(request, form)
    return render(request, "oversight/remark_detail.html", {
        "remark": remark, "form": form, "today": timezone.localdate(),
        "can_answer": request.user.role in STAFF and remark.answered_on is None,
        "rule": supervision_rules.RULE_TEXT})


@login_required
@require_http_methods(["GET", "POST"])
def supervisor_desk(request: HttpRequest) -> HttpResponse:
    """A supervisor's desk: their appointment, remarks and answers, links to the
    enforcement records of the area they oversee (inspections, hazards, filed cases,
    accidents: read only, through those apps' scoped lists) and the penalty decisions
    published for it."""
    user = request.user
    if user.role != Role.SUPERVISOR:
        raise PermissionDenied("只有社会监督员可以使用该页面")
    form = f.RemarkForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.remark_submit(actor=user, subject=form.cleaned_data["subject"],
                                       text=form.cleaned_data["text"])
            except (ValidationError, PermissionDenied) as exc:
                refused(request, exc)
            else:
                messages.success(request, "监督意见已提交")
                return redirect("oversight:supervisor_desk")
        else:
            _form_errors(request, form)
    area = user.supervised_jurisdiction
    return render(request, "oversight/supervisor_desk.html", {
        "appointment": getattr(user, "supervisor_appointment", None),
        "remarks": selectors.remark_list(user=user), "form": form,
        "area": area,
        "decisions": (selectors.public_decisions(jurisdiction=area)[:30] if area else []),
        "rule": supervision_rules.RULE_TEXT, "today": timezone.localdate()})


# --- disclosure ----------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def disclosure_list(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    form = f.DisclosureForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                row = services.disclosure_register(actor=user, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as exc:
                refused(request, exc)
            else:
                return redirect("oversight:disclosure_detail", pk=row.pk)
        else:
            _form_errors(request, form)
    return render(request, "oversight/disclosure_list.html", {
        "page": _page(request, selectors.disclosure_list(user=user)), "form": form,
        "today": timezone.localdate()})


@login_required
@require_http_methods(["GET", "POST"])
def disclosure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _staff(request)
    row = selectors.disclosure_get(user=user, pk=pk)
    if row is None:
        raise Http404("未找到该申请")
    if request.method == "POST":
        action = request.POST.get("action")
        forms_by_action = {"supplement": f.SupplementForm, "extend": f.ExtendForm,
                           "answer": f.DisclosureAnswerForm}
        if action not in forms_by_action:
            raise Http404("未知操作")
        form = forms_by_action[action](request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if action == "supplement":
                    services.disclosure_supplement(actor=user, request=row, **data)
                elif action == "extend":
                    services.disclosure_extend(actor=user, request=row, days=data["days"],
                                               reason=data["reason"])
                else:
                    services.disclosure_answer(actor=user, request=row, **data)
            except (ValidationError, PermissionDenied) as exc:
                refused(request, exc)
            else:
                messages.success(request, "已保存")
        else:
            _form_errors(request, form)
        return redirect("oversight:disclosure_detail", pk=row.pk)
    return render(request, "oversight/disclosure_detail.html", {
        "row": row, "events": _history(row), "today": timezone.localdate(),
        "forms": {"supplement": f.SupplementForm(), "extend": f.ExtendForm(),
                  "answer": f.DisclosureAnswerForm()}})


# --- posts -------------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def post_list(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    form = f.PostForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.post_publish(actor=user, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as exc:
                refused(request, exc)
            else:
                messages.success(request, "已发布")
                return redirect(reverse("oversight:post_list"))
        else:
            _form_errors(request, form)
    column = request.GET.get("column") or ""
    today = timezone.localdate()
    return render(request, "oversight/post_list.html", {
        "page": _page(request, selectors.post_list(
            user=user, column=column if column in PostColumn.values else None)),
        "form": form, "column": column, "columns_choices": PostColumn.choices,
        "columns": (selectors.column_statuses(agency=user.agency, today=today)
                    if user.agency_id else []),
        "can_withdraw": user.role in services.HANDLERS,
        "now": timezone.now()})


@login_required
@require_POST
def post_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """撤下 a post (published or scheduled) with a reason: it leaves the portal. A post
    outside the user's area is missing (404); the service checks the role and the area."""
    user = _staff(request)
    post = selectors.post_list(user=user).filter(pk=pk).first()
    if post is None:
        raise Http404(_("未找到该信息"))
    form = f.PostWithdrawForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        try:
            services.post_withdraw(actor=user, post=post, reason=form.cleaned_data["reason"])
        except (ValidationError, PermissionDenied) as exc:
            refused(request, exc)
        else:
            messages.success(request, _("已撤下：%(title)s") % {"title": post.title})
    return redirect(reverse("oversight:post_list"))
