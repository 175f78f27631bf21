"""Pages of accidents (事故): the list with its filters and the ledger download, the
register form (事故登记), the accident page — figures and class with the articles, every
change of the figures, reporting times with 迟报 and the legal consequences, the
investigation with the engine's deadlines, accountability and the penalty cases opened
from it, legal guidance and written legality opinions, the event record — and the
statistics page (事故统计: totals with 同比, by class, industry, county and month).

Reads go through the scoped selectors (outside the scope: 404); every form posts to a
service (`fazhi.accidents.services`), whose Chinese refusal is shown on the page with
nothing changed. Forms appear only to the roles that write them (officers and leaders;
reviewers also for guidance and opinions); the services stay the judges. Enterprise
users and social supervisors (社会监督员, the area they oversee) read only: no form is
shown to them and their posts are refused (403). The legality review (legal guidance,
written opinions) is the agencies' internal work, shown to staff only; the Excel ledger
is staff-only too. Texts are shown through `selectors.Privacy` (ID numbers masked unless
the role needs them; responsible persons' names masked for supervisors)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
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
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fazhi.accidents import forms as f
from fazhi.accidents import selectors, services, statistics
from fazhi.accidents.ledger import accident_ledger_workbook
from fazhi.accidents.models import (
    Accident,
    Accountability,
    Investigation,
    LegalityOpinion,
    OpinionItem,
    ReportReview,
)
from fazhi.cases.selectors import case_list
from fazhi.core.feedback import refused
from fazhi.core.history import history
from fazhi.core.models import Event, Jurisdiction, Role, User
from fazhi.core.selectors import jurisdiction_get, object_events
from fazhi.core.xlsx import xlsx_response
from fazhi.inspection.forms import add_service_errors
from fazhi.legal.rules import accidents as law

WRITERS = frozenset({Role.OFFICER, Role.LEADER})
# 法律指导 and 书面合法性审查意见 are recorded by the legal reviewers too.
REVIEW_WRITERS = WRITERS | {Role.REVIEWER}
YEARS = range(2000, 2101)

ACTION_LABELS = {
    "accident.registered": gettext_lazy("事故登记"),
    "accident.figures_updated": gettext_lazy("事故数据变更"),
    "accident.reporting_set": gettext_lazy("记录报告时间"),
    "accident.report_finding": gettext_lazy("认定事故报告情况"),
    "accident.investigation_opened": gettext_lazy("成立事故调查组"),
    "accident.investigation_extended": gettext_lazy("延长调查期限"),
    "accident.investigation_reported": gettext_lazy("提交事故调查报告"),
    "accident.investigation_approved": gettext_lazy("调查报告批复"),
    "accident.accountability_added": gettext_lazy("登记责任追究"),
    "accident.case_opened": gettext_lazy("登记行政处罚案件线索"),
    "accident.review_requested": gettext_lazy("申请法律指导"),
    "accident.review_guided": gettext_lazy("法律指导意见"),
    "accident.opinion_added": gettext_lazy("书面合法性审查意见"),
    "accident.opinion_item_responded": gettext_lazy("回复审查意见"),
}
CLASS_LABELS = dict(law.CLASS_LABELS)


# --- shared helpers ------------------------------------------------------------------------

def _writer(user: User) -> bool:
    return user.is_authenticated and user.role in WRITERS


def _review_writer(user: User) -> bool:
    return user.is_authenticated and user.role in REVIEW_WRITERS


def accident_or_404(user: User, pk: int) -> Accident:
    accident = selectors.accident_get(user=user, pk=pk)
    if accident is None:
        raise Http404(_("未找到该事故"))
    return accident


def _back(accident: Accident, anchor: str = "") -> HttpResponse:
    url = reverse("accidents:accident_detail", args=[accident.pk])
    return redirect(f"{url}#{anchor}" if anchor else url)


def _form_errors(request: HttpRequest, form: Any) -> None:
    """Each error of an invalid form as a message, with the field's label."""
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        for error in errors:
            shown = field is not None and not field.widget.is_hidden and field.label
            messages.error(request, f"{field.label}：{error}" if shown else error)


def _years(user: User) -> list[int]:
    """The years that have accidents and the last few (newest first), for the filter."""
    this_year = timezone.localdate().year
    years = {d.year for d in selectors.accident_list(user=user).order_by()
             .datetimes("occurred_at", "year")}
    years.update(range(this_year - 5, this_year + 1))
    return sorted(years, reverse=True)


def _partial_only(request: HttpRequest) -> bool:
    # htmx restoring history after a cache miss needs the whole page.
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


def _day(value: Any) -> str:
    return str(value or "")


def _unique(citations: Any) -> list[dict[str, str]]:
    """Citation dicts, each law and article once, in order."""
    seen: set[tuple[str, str]] = set()
    found = []
    for c in citations or ():
        if not isinstance(c, dict):
            continue
        key = (str(c.get("law", "")), str(c.get("article", "")))
        if key not in seen:
            seen.add(key)
            found.append(c)
    return found


def _money(amount: Any) -> str:
    """Yuan with thousands separators and the fen: 4,120,000.00."""
    return f"{amount:,.2f}"


def _duration(delta: datetime.timedelta | None) -> str:
    """How late, in Chinese (1小时5分 / 30秒)."""
    if not delta:
        return ""
    seconds = int(delta.total_seconds())
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [(days, _("天")), (hours, _("小时")), (minutes, _("分")), (secs, _("秒"))]
    return "".join(f"{n}{unit}" for n, unit in parts if n) or _("0秒")


def _details(event: Event) -> list[str]:
    """A few lines of an event's payload for the event record."""
    p = event.payload or {}
    a = event.action
    lines: list[str] = []
    if a == "accident.registered":
        lines.append(_("%(n)s · %(c)s · 死亡%(d)s人") % {
            "n": p.get("number", ""), "c": CLASS_LABELS.get(p.get("class"), ""),
            "d": p.get("deaths", "")})
    elif a == "accident.figures_updated":
        before, after = p.get("from") or {}, p.get("to") or {}
        lines.append(_("死亡%(d0)s→%(d1)s人，重伤%(s0)s→%(s1)s人，损失%(l0)s→%(l1)s元") % {
            "d0": before.get("deaths"), "d1": after.get("deaths"),
            "s0": before.get("serious_injuries"), "s1": after.get("serious_injuries"),
            "l0": before.get("direct_loss"), "l1": after.get("direct_loss")})
        if p.get("class_changed"):
            lines.append(_("事故等级：%(a)s → %(b)s") % {
                "a": CLASS_LABELS.get(before.get("class"), ""),
                "b": CLASS_LABELS.get(after.get("class"), "")})
        lines.append(_("获知日期%(d)s%(kind)s") % {
            "d": _day(p.get("known_on")),
            "kind": _("（补报）") if p.get("supplementary") else _("（更正）")})
    elif a == "accident.reporting_set":
        for who, label in (("unit_late", _("单位报告")), ("upward_late", _("向上级报告"))):
            if p.get(who) is not None:
                lines.append(f"{label}：{_('迟报') if p[who] else _('按时')}")
    elif a == "accident.report_finding":
        lines.append("、".join(p.get("acts") or []) or _("未认定漏报、谎报、瞒报"))
    elif a in {"accident.investigation_opened", "accident.investigation_extended"}:
        due = p.get("report_due")
        due = due.get("to") if isinstance(due, dict) else due
        lines.append(_("调查报告期限：%(d)s") % {"d": _day(due)})
    elif a == "accident.investigation_reported":
        lines.append(_("提交日期%(s)s，批复期限%(r)s") % {
            "s": _day(p.get("submitted_on")), "r": _day(p.get("reply_due"))})
    elif a == "accident.investigation_approved":
        lines.append(f"{p.get('approved_by', '')} · {_day(p.get('approved_on'))}")
    elif a in {"accident.accountability_added", "accident.case_opened"}:
        if p.get("name"):
            lines.append(str(p["name"]))
        if p.get("item"):
            lines.append(_("执法事项：%(i)s") % {"i": p["item"]})
    if p.get("reason"):
        lines.append(_("理由：%(r)s") % {"r": p["reason"]})
    return lines


# --- the list and the ledger ---------------------------------------------------------------

def _filtered(request: HttpRequest) -> tuple[f.AccidentFilterForm, Any]:
    user = request.user
    form = f.AccidentFilterForm(request.GET, user=user, years=_years(user))
    qs = selectors.accident_list(user=user, **form.filters())
    return form, qs


@require_GET
@login_required
def accident_list(request: HttpRequest) -> HttpResponse:
    form, qs = _filtered(request)
    qs = qs.order_by("-occurred_at", "-id")
    page = Paginator(qs, settings.FAZHI_PAGE_SIZE).get_page(request.GET.get("page"))
    ledger_query = request.GET.copy()
    ledger_query.pop("page", None)
    context = {"form": form, "page": page, "ledger_query": ledger_query.urlencode(),
               "can_register": _writer(request.user)}
    template = ("accidents/partials/accident_results.html" if _partial_only(request)
                else "accidents/accident_list.html")
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_GET
@login_required
def accident_ledger_xlsx(request: HttpRequest) -> HttpResponse:
    """事故台账.xlsx: the accidents of the list page (same filters) in the user's scope."""
    if not getattr(request.user, "is_staff_role", False):
        raise PermissionDenied(_("只有执法人员、法制审核员、负责人和管理员可以导出事故台账"))
    _form, qs = _filtered(request)
    name = _("事故台账_%(date)s.xlsx") % {"date": timezone.localdate().isoformat()}
    return xlsx_response(accident_ledger_workbook(qs), name)


# --- register ------------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
@login_required
def accident_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not _writer(user):
        raise PermissionDenied(_("只有执法人员和负责人可以登记事故"))
    form = f.AccidentForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            accident = services.accident_register(actor=user, **form.service_kwargs())
        except (ValidationError, PermissionDenied) as exc:
            if isinstance(exc, PermissionDenied):
                exc = ValidationError(str(exc))
            add_service_errors(form, exc)
        else:
            messages.success(request, _("事故已登记（%(n)s），事故等级：%(c)s") % {
                "n": accident.number, "c": accident.get_accident_class_display()})
            return _back(accident)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "accidents/accident_form.html", {"form": form}, status=status)


# --- the accident page ---------------------------------------------------------------------

@dataclass(frozen=True)
class Deadlines:
    """The investigation's deadlines from the engine (条例 第二十九条, 第三十二条)."""

    base_due: datetime.date  # 60 days (+ appraisal days)
    due: datetime.date  # with the extension approved
    latest_with_extension: datetime.date  # with the longest extension (60 more days)
    report_late: bool  # submitted after `due`
    report_overdue: bool  # not submitted and `due` has passed
    approval: law.ApprovalDeadline | None
    approval_late: bool
    approval_overdue: bool
    citations: list[dict[str, str]]


def _deadlines(accident: Accident, inv: Investigation, today: datetime.date) -> Deadlines:
    day = services.occurred_on(accident)
    engine = law.investigation_report_due(day, accident.accident_class,
                                          appraisal_days=inv.appraisal_days)
    due = inv.report_due
    approval = None
    if inv.report_submitted_on is not None:
        approval = law.investigation_approval_due(inv.report_submitted_on,
                                                  accident.accident_class)
    submitted = inv.report_submitted_on
    return Deadlines(
        base_due=engine.due, due=due, latest_with_extension=engine.latest_with_extension,
        report_late=bool(submitted and submitted > due),
        report_overdue=submitted is None and today > due,
        approval=approval,
        approval_late=bool(approval and inv.approved_on and approval.is_late(inv.approved_on)),
        approval_overdue=bool(approval and inv.approved_on is None and today > approval.due),
        citations=_unique(c.as_dict() for c in (*engine.citations,
                                                *(approval.citations if approval else ()))))


@dataclass
class AccountabilityRow:
    item: Accountability
    case: Any  # the PenaltyCase when the user may see it
    range_text: str
    range_citations: list[str]
    case_form: f.CaseOpenForm | None


def _engine_range(accident: Accident, subject: str) -> tuple[str, list[str]]:
    """The engine's fine for the unit (安全生产法 第一百一十四条) or the principal (第九十五条)."""
    day = services.occurred_on(accident)
    try:
        if subject == Accountability.Subject.UNIT:
            fine = law.unit_fine_for_accident(accident.accident_class, occurred_on=day)
            text = _("罚款%(a)s元至%(b)s元") % {"a": f"{fine.min:,.0f}", "b": f"{fine.max:,.0f}"}
            return text, [f"《{c.law}》{c.article}" for c in fine.citations]
        if subject == Accountability.Subject.PRINCIPAL:
            pf = law.principal_fine(accident.accident_class, occurred_on=day)
            return (_rate_text(pf.min_rate, pf.max_rate),
                    [f"《{c.law}》{c.article}" for c in pf.citations])
    except ValueError as exc:  # before the texts the engine covers
        return str(exc), []
    return "", []


def _accountability_rows(user: User, accident: Accident, inv: Investigation
                         ) -> list[AccountabilityRow]:
    items = list(inv.accountability.all())
    visible = {c.pk: c for c in case_list(user=user).filter(
        pk__in=[i.case_id for i in items if i.case_id])}
    may_open = (_writer(user) and inv.approved_on is not None)
    rows = []
    for item in items:
        text, cites = _engine_range(accident, item.subject)
        openable = (may_open and item.case_id is None
                    and item.subject in services.CASE_ITEM_PREFIX
                    and (item.enterprise_id or accident.enterprise_id))
        form = (f.CaseOpenForm(accident=accident, user=user, key=item.pk,
                               initial={"accountability": item.pk}) if openable else None)
        rows.append(AccountabilityRow(item, visible.get(item.case_id), text, cites, form))
    return rows


def _consequence_text(c: law.ReportingConsequence) -> str:
    if c.min_amount is not None and c.max_amount is not None:
        return _("罚款%(a)s元至%(b)s元") % {"a": f"{c.min_amount:,.0f}",
                                          "b": f"{c.max_amount:,.0f}"}
    if c.min_rate is not None and c.max_rate is not None:
        return _rate_text(c.min_rate, c.max_rate)
    return ""


def _rate_text(low: Any, high: Any) -> str:
    """A fine as shares of the previous year's income (one share when fixed)."""
    a, b = f"{low * 100:.0f}", f"{high * 100:.0f}"
    if a == b:
        return _("处上一年年收入%(a)s%%的罚款") % {"a": a}
    return _("处上一年年收入%(a)s%%至%(b)s%%的罚款") % {"a": a, "b": b}


def _detail_context(request: HttpRequest, accident: Accident) -> dict[str, Any]:
    user = request.user
    today = timezone.localdate()
    writer, review_writer = _writer(user), _review_writer(user)
    inv: Investigation | None = getattr(accident, "investigation", None)
    reporting = selectors.accident_reporting(accident)
    privacy = selectors.accident_privacy(user, accident)

    def details(event: Event) -> list[str]:
        return [privacy.text(line) for line in _details(event)]

    context: dict[str, Any] = {
        "accident": accident,
        "occurred_local": timezone.localtime(accident.occurred_at),
        "revisions": [(r, _money(r.direct_loss)) for r in accident.revisions.all()],
        "direct_loss": _money(accident.direct_loss),
        "reporting": reporting,
        "class_citations": _unique(accident.class_citations),
        "unit_overdue": _duration(reporting.unit_late.overdue if reporting.unit_late else None),
        "upward_overdue": _duration(
            reporting.upward_late.overdue if reporting.upward_late else None),
        "consequences": [(c, _consequence_text(c)) for c in reporting.consequences],
        "days_due": law.INVESTIGATION_DAYS,
        "days_max_extension": law.MAX_EXTENSION_DAYS,
        "investigation": inv,
        "today": today,
        "writer": writer,
        "review_writer": review_writer,
        "privacy": privacy,
        # 法律指导 and 书面合法性审查意见: the agencies' internal work (as in the API).
        "show_review": user.is_staff_role,
        "history": history(object_events(accident), ACTION_LABELS, details),
    }
    if writer:
        context.update({
            "figures_form": f.FiguresForm(accident=accident),
            "reporting_form": f.ReportingForm(accident=accident),
            "finding_form": f.ReportFindingForm(accident=accident),
        })
    if inv is None:
        if writer:
            context["investigation_form"] = f.InvestigationForm(accident=accident)
            context["investigated_by"] = law.INVESTIGATED_BY[accident.accident_class]
        return context
    approved = inv.approved_on is not None
    submitted = inv.report_submitted_on is not None
    reviews = list(inv.reviews.all()) if user.is_staff_role else []
    opinions: list[LegalityOpinion] = list(inv.opinions.all()) if user.is_staff_role else []
    context.update({
        "deadlines": _deadlines(accident, inv, today),
        "accountability": _accountability_rows(user, accident, inv),
        "reviews": [(r, f.GuidanceForm(accident=accident, key=r.pk, initial={
            "review": r.pk, "guidance_on": today})
            if review_writer and r.guidance_on is None else None) for r in reviews],
        "opinions": [(o, [(item, f.ItemResponseForm(
            accident=accident, key=item.pk,
            initial={"item": item.pk, "response": item.response,
                     "outcome": item.outcome if item.outcome != OpinionItem.Outcome.PENDING
                     else ""}) if writer else None)
            for item in o.items.all()]) for o in opinions],
    })
    if writer:
        context.update({
            "extension_form": (f.ExtensionForm(accident=accident)
                               if not submitted and inv.extension_days < law.MAX_EXTENSION_DAYS
                               else None),
            "report_form": f.ReportSubmitForm(accident=accident) if not approved else None,
            "approval_form": f.ApprovalForm(accident=accident) if submitted and not approved
            else None,
            "accountability_form": f.AccountabilityForm(accident=accident),
            "review_request_form": f.ReviewRequestForm(accident=accident),
        })
    if review_writer:
        context["opinion_form"] = f.OpinionForm(accident=accident)
    return context


@require_GET
@login_required
def accident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    accident = accident_or_404(request.user, pk)
    return render(request, "accidents/accident_detail.html",
                  _detail_context(request, accident))


# --- the forms of the accident page: one URL each ---------------------------------------------

def _inv(accident: Accident) -> Investigation:
    inv = Investigation.objects.filter(accident=accident).first()
    if inv is None:
        raise ValidationError(_("该事故尚未成立调查组"))
    return inv


@dataclass(frozen=True)
class Record:
    form: type[f.RecordForm]
    # (actor, accident, form) → the service's call
    write: Callable[[User, Accident, Any], Any]
    done: Any  # the success message
    anchor: str
    roles: frozenset[str] = WRITERS


def _figures(u: User, a: Accident, form: f.FiguresForm) -> Any:
    d = form.cleaned_data
    return services.accident_figures_update(
        actor=u, accident=a, known_on=d["known_on"], deaths=d["deaths"], missing=d["missing"],
        serious_injuries=d["serious_injuries"], direct_loss=d["direct_loss"],
        reason=d["reason"])


def _reporting(u: User, a: Accident, form: f.ReportingForm) -> Any:
    d = form.cleaned_data
    return services.accident_reporting_set(
        actor=u, accident=a, head_informed_at=d["head_informed_at"],
        unit_reported_at=d["unit_reported_at"], bureau_informed_at=d["bureau_informed_at"],
        reported_up_at=d["reported_up_at"])


def _finding(u: User, a: Accident, form: f.ReportFindingForm) -> Any:
    d = form.cleaned_data
    return services.accident_report_finding(
        actor=u, accident=a, omitted=d["omitted"], false_report=d["false_report"],
        concealed=d["concealed"], finding=d["finding"])


def _open(u: User, a: Accident, form: f.InvestigationForm) -> Any:
    d = form.cleaned_data
    return services.investigation_open(
        actor=u, accident=a, started_on=d["started_on"], team=d["team"],
        led_by=d["led_by"] or None, lead_agency=d["lead_agency"])


def _extend(u: User, a: Accident, form: f.ExtensionForm) -> Any:
    d = form.cleaned_data
    return services.investigation_extend(actor=u, investigation=_inv(a), days=d["days"],
                                         reason=d["reason"], approved_by=d["approved_by"])


def _report(u: User, a: Accident, form: f.ReportSubmitForm) -> Any:
    d = form.cleaned_data
    return services.investigation_report_submit(
        actor=u, investigation=_inv(a), submitted_on=d["submitted_on"], cause=d["cause"],
        nature=d["nature"], summary=d["summary"], appraisal_days=d["appraisal_days"])


def _approve(u: User, a: Accident, form: f.ApprovalForm) -> Any:
    d = form.cleaned_data
    return services.investigation_approve(actor=u, investigation=_inv(a),
                                          approved_on=d["approved_on"],
                                          approved_by=d["approved_by"])


def _account(u: User, a: Accident, form: f.AccountabilityForm) -> Any:
    return services.accountability_add(actor=u, investigation=_inv(a),
                                       **form.service_kwargs())


def _case(u: User, a: Accident, form: f.CaseOpenForm) -> Any:
    d = form.cleaned_data
    return services.accident_case_open(actor=u, accountability=d["accountability"],
                                       handlers=form.handler_users(), on=d["on"])


def _request(u: User, a: Accident, form: f.ReviewRequestForm) -> Any:
    d = form.cleaned_data
    return services.report_review_request(
        actor=u, investigation=_inv(a), requested_on=d["requested_on"],
        requested_of=d["requested_of"], questions=d["questions"])


def _guide(u: User, a: Accident, form: f.GuidanceForm) -> Any:
    d = form.cleaned_data
    review: ReportReview = d["review"]
    return services.report_review_guidance(actor=u, review=review,
                                           guidance_on=d["guidance_on"], guidance=d["guidance"])


def _opinion(u: User, a: Accident, form: f.OpinionForm) -> Any:
    d = form.cleaned_data
    return services.legality_opinion_add(
        actor=u, investigation=_inv(a), issued_on=d["issued_on"], issued_by=d["issued_by"],
        conclusion=d["conclusion"], items=d["items"], review=d["review"])


def _respond(u: User, a: Accident, form: f.ItemResponseForm) -> Any:
    d = form.cleaned_data
    return services.opinion_item_respond(actor=u, item=d["item"], response=d["response"],
                                         outcome=d["outcome"])


RECORDS: dict[str, Record] = {
    "figures": Record(f.FiguresForm, _figures, gettext_lazy("事故数据已更新，事故等级已重新计算"),
                      "figures"),
    "reporting": Record(f.ReportingForm, _reporting, gettext_lazy("报告时间已记录"), "reporting"),
    "finding": Record(f.ReportFindingForm, _finding, gettext_lazy("事故报告情况已认定"),
                      "reporting"),
    "investigation": Record(f.InvestigationForm, _open, gettext_lazy("事故调查组已成立"),
                            "investigation"),
    "extension": Record(f.ExtensionForm, _extend, gettext_lazy("调查期限已延长"),
                        "investigation"),
    "report": Record(f.ReportSubmitForm, _report, gettext_lazy("事故调查报告已登记"),
                     "investigation"),
    "approval": Record(f.ApprovalForm, _approve, gettext_lazy("调查报告批复已登记"),
                       "investigation"),
    "accountability": Record(f.AccountabilityForm, _account, gettext_lazy("责任追究已登记"),
                             "accountability"),
    "case": Record(f.CaseOpenForm, _case, gettext_lazy("已登记行政处罚案件线索"),
                   "accountability"),
    "review": Record(f.ReviewRequestForm, _request, gettext_lazy("法律指导申请已登记"),
                     "review"),
    "guidance": Record(f.GuidanceForm, _guide, gettext_lazy("法律指导意见已登记"), "review",
                       REVIEW_WRITERS),
    "opinion": Record(f.OpinionForm, _opinion, gettext_lazy("书面合法性审查意见已登记"),
                      "review", REVIEW_WRITERS),
    "response": Record(f.ItemResponseForm, _respond, gettext_lazy("已回复审查意见"), "review"),
}


@require_POST
@login_required
def accident_record(request: HttpRequest, pk: int, what: str) -> HttpResponse:
    """One form of the accident page → its service; a refusal (the form's or the
    service's) is shown in Chinese with nothing changed; back to the page either way.
    A read-only role (enterprise user, social supervisor) is refused outright: 403."""
    user = request.user
    if not user.is_staff_role:
        # Enterprise users and social supervisors read only: they are shown no form.
        raise PermissionDenied(_("您的角色只能查看事故，不能办理"))
    accident = accident_or_404(user, pk)
    spec = RECORDS.get(what)
    if spec is None:
        raise Http404(_("未知的操作"))
    if user.role not in spec.roles:
        messages.error(request, _("您的角色无权办理此项"))
        return _back(accident)
    kwargs: dict[str, Any] = {"user": user} if spec.form is f.CaseOpenForm else {}
    form = spec.form(request.POST, accident=accident, **kwargs)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(accident, spec.anchor)
    try:
        spec.write(user, accident, form)
    except (ValidationError, PermissionDenied) as exc:
        refused(request, exc)
        return _back(accident, spec.anchor)
    messages.success(request, spec.done)
    return _back(accident, spec.anchor)


# --- statistics ------------------------------------------------------------------------------

def _stats_area(request: HttpRequest) -> Jurisdiction:
    """The jurisdiction asked for (?jurisdiction=code) within the user's, else the
    user's own; another area: 404."""
    user = request.user
    if not selectors.stats_reader(user) or user.jurisdiction is None:
        raise PermissionDenied(_("只有执法机关人员和社会监督员可以查看事故统计"))
    code = (request.GET.get("jurisdiction") or "").strip()
    if not code:
        return user.jurisdiction
    found = jurisdiction_get(user=user, code=code) if code.isdigit() and len(code) <= 12 else None
    if found is None:
        raise Http404(_("未找到该行政区划"))
    return found


def stats_year(raw: str | None) -> int:
    text = (raw or "").strip()
    year = int(text) if len(text) == 4 and text.isdigit() else None
    return year if year in YEARS else timezone.localdate().year


@require_GET
@login_required
def accident_stats(request: HttpRequest) -> HttpResponse:
    area = _stats_area(request)
    year = stats_year(request.GET.get("year"))
    stats = statistics.accident_statistics(year=year, jurisdiction=area)
    this_year = timezone.localdate().year
    areas = f.area_choices(request.user)
    if area.pk not in {j.pk for j, _label in areas}:  # an area further down, from a link
        areas.append((area, f"— {area.name}"))
    return render(request, "accidents/accident_stats.html", {
        "stats": stats,
        "year": year,
        "years": sorted({*range(this_year - 5, this_year + 1), year}, reverse=True),
        "areas": areas,
        "trend": {"months": [r.label for r in stats.by_month],
                  "counts": [r.count for r in stats.by_month],
                  "deaths": [r.deaths for r in stats.by_month],
                  "count_label": _("事故起数"), "deaths_label": _("死亡人数")},
        "max_county": max([r.count for r in stats.by_county] or [0]),
    })
