"""Pages of the legal app: the 处罚裁量计算器 (penalty discretion calculator).

The calculator is a form over `POST /api/v1/legal/assess`: the form's values are turned
into the API's JSON request and answered by `fazhi.legal.api.assess_payload`, the very
function the API calls, so the page and the API check and compute alike. Every element
of the answer is shown with the citations whose `applies_to` names it.

Staff roles only (officers, reviewers, leaders, admins): enterprise users and social
supervisors get 403. The page also computes from GET parameters (the same names as the
form fields, e.g. `?item=WSL-097-1&party_type=unit&tier=general&fine=50000`) so a
computed answer can be linked to or screenshotted."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods
from ninja.errors import HttpError
from pydantic import ValidationError

from fazhi.legal.api import AssessIn, FactsIn, assess_payload
from fazhi.legal.labels import MEASURE_LABELS, TIER_LABELS
from fazhi.legal.models import (
    EnforcementItem,
    Law,
    Provision,
    Stage,
    TierLevel,
    provision_label,
)
from fazhi.legal.selectors import (
    catalogue_choices,
    item_detail_get,
    law_choices,
    law_get,
    law_item_count,
    law_provisions,
    law_versions,
)
from fazhi.legal.selectors import item_list as select_item_list
from fazhi.legal.selectors import law_list as select_law_list
from fazhi.legal.services import can_write_legal

# --- the form ---------------------------------------------------------------------------

# The facts offered as checkboxes, in the order an officer weighs them. Their labels are
# the API schema's titles (FactsIn), so page and API describe a fact the same way.
CHECKBOX_FACTS: tuple[str, ...] = (
    "facts_conclusive", "first_violation", "minor", "harm_minor", "corrected_in_time",
    "harmful_consequence", "no_fault_proven", "actively_eliminated_harm",
    "coerced_or_induced", "confessed_unknown_violation", "meritorious_cooperation",
    "other_statutory_lighter", "aged_14_to_17", "involves_life_health_or_financial_safety",
    "complex", "multiple_legal_relations", "major_public_interest", "major_rights",
    "hearing_held", "especially_serious_and_egregious", "late_report", "rights_not_informed",
)
DATE_FIELDS: tuple[tuple[str, Any], ...] = (
    ("violation_ended", _("违法行为终了日期")), ("discovered", _("发现日期")),
    ("filed", _("立案日期")), ("noticed", _("告知日期")),
    ("hearing_notice_sent", _("听证通知发出日期")), ("hearing_date", _("听证日期")),
    ("decided", _("决定日期")), ("served", _("送达日期")),
    ("content_known", _("知道决定内容的日期")), ("as_of", _("计算日期（加处罚款）")),
)
ACCIDENT_TIMES: tuple[tuple[str, Any], ...] = (
    ("occurred_at", _("事故发生时间")), ("head_informed_at", _("单位负责人接到报告的时间")),
    ("reported_at", _("单位报告时间")),
)
MONEY_HELP = _("单位：元，如 50000 或 1234.50")


def _money_field(label: Any) -> forms.CharField:
    # Checked (digits, cents, no floats) by the shared request path, which names the field.
    return forms.CharField(label=label, required=False, max_length=20, help_text=MONEY_HELP,
                           widget=forms.TextInput(attrs={"inputmode": "decimal",
                                                         "autocomplete": "off"}))


def _item_choices() -> list[tuple[Any, Any]]:
    """The items in force today, grouped by the law they rest on."""
    return [("", _("— 选择执法事项 —")), *catalogue_choices(timezone.localdate())]


class CalculatorForm(forms.Form):
    item = forms.ChoiceField(label=_("执法事项"), required=False, choices=_item_choices)
    item_text = forms.CharField(
        label=_("或填写处罚依据"), required=False, max_length=200,
        help_text=_("事项编码或处罚依据，如“安全生产法 第九十七条第（一）项”；与上面的事项同时"
                    "填写时，按同一违法行为违反多个规定处理（一事不再罚）"))
    party_type = forms.ChoiceField(label=_("当事人类型"), required=False, choices=[
        ("", _("— 未填写 —")), ("unit", _("单位")), ("individual", _("个人"))])
    role = forms.ChoiceField(label=_("个人身份"), required=False, choices=[
        ("", _("— 未填写 —")), ("principal", _("主要负责人")),
        ("responsible_person", _("直接负责的主管人员或其他直接责任人员"))])
    stage = forms.ChoiceField(label=_("违法阶段"), required=False, choices=[
        ("", _("— 未填写（按首次发现）—")), ("first", _("首次发现")),
        ("overdue", _("逾期未改正"))])
    tier = forms.ChoiceField(label=_("裁量阶次"), required=False,
                             choices=[("", _("— 未填写 —")), *TIER_LABELS.items()])
    fine = _money_field(_("拟罚款数额"))
    confiscation = _money_field(_("拟没收数额"))
    measures = forms.MultipleChoiceField(
        label=_("拟作出的处罚种类"), required=False, choices=list(MEASURE_LABELS.items()),
        widget=forms.CheckboxSelectMultiple)
    illegal_gains = _money_field(_("违法所得"))
    principal_income_prev_year = _money_field(_("主要负责人上一年年收入"))
    credit_severity = forms.ChoiceField(label=_("失信严重程度"), required=False, choices=[
        ("", _("— 未填写 —")), ("general", _("一般失信")), ("serious", _("严重失信"))])
    party_present_at_announcement = forms.ChoiceField(
        label=_("宣告时当事人是否在场"), required=False,
        choices=[("", _("— 未填写 —")), ("yes", _("在场")), ("no", _("不在场"))])
    deaths = forms.IntegerField(label=_("死亡人数"), required=False, min_value=0,
                                max_value=100_000)
    serious_injuries = forms.IntegerField(label=_("重伤人数（含急性工业中毒）"), required=False,
                                          min_value=0, max_value=100_000)
    direct_loss = _money_field(_("直接经济损失"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in CHECKBOX_FACTS:
            self.fields[name] = forms.BooleanField(
                label=FactsIn.model_fields[name].title, required=False)
        for name, label in ACCIDENT_TIMES:
            self.fields[name] = forms.DateTimeField(
                label=label, required=False,
                input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
                widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                           format="%Y-%m-%dT%H:%M"))
        for name, label in DATE_FIELDS:
            self.fields[name] = forms.DateField(
                label=label, required=False, input_formats=["%Y-%m-%d"],
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
        for name, form_field in self.fields.items():
            widget = form_field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")
            widget.attrs.setdefault("id", f"id_{name}")

    # Layout groups for the template.
    def group(self, *names: str) -> list[forms.BoundField]:
        return [self[n] for n in names]

    def fact_fields(self) -> list[forms.BoundField]:
        return self.group(*CHECKBOX_FACTS)

    def date_fields(self) -> list[forms.BoundField]:
        return self.group(*(n for n, _label in DATE_FIELDS))

    def accident_time_fields(self) -> list[forms.BoundField]:
        return self.group(*(n for n, _label in ACCIDENT_TIMES))


def _request_json(data: dict[str, Any]) -> dict[str, Any]:
    """The assess request (the API's JSON) for the form's cleaned data. Checkboxes not
    ticked are sent as false: on this form an unticked fact is an absent fact."""
    def given(value: Any) -> bool:
        return value not in (None, "", [])

    request: dict[str, Any] = {}
    for name in ("party_type", "role", "stage", "tier"):
        if given(data[name]):
            request[name] = data[name]
    item, text = data["item"], data["item_text"].strip()
    if item:
        request["item"] = item
        if text:
            request["items"] = [text]
    elif text:
        request["item"] = text
    proposed = {k: data[k] for k in ("fine", "confiscation") if given(data[k])}
    if data["measures"]:
        proposed["measures"] = data["measures"]
    if proposed:
        request["proposed"] = proposed
    facts: dict[str, Any] = {name: bool(data[name]) for name in CHECKBOX_FACTS}
    for name in ("illegal_gains", "principal_income_prev_year", "credit_severity"):
        if given(data[name]):
            facts[name] = data[name]
    if data["party_present_at_announcement"]:
        facts["party_present_at_announcement"] = data["party_present_at_announcement"] == "yes"
    request["facts"] = facts
    accident = {k: data[k] for k in ("deaths", "serious_injuries", "direct_loss")
                if given(data[k])}
    accident |= {k: data[k].isoformat() for k, _label in ACCIDENT_TIMES if data[k]}
    if accident:
        request["accident"] = accident
    dates = {k: data[k].isoformat() for k, _label in DATE_FIELDS if data[k]}
    if dates:
        request["dates"] = dates
    return request


# An API field path in a message → the form field it came from, so the error shows next
# to that field ("拟罚款数额（proposed.fine）…" → fine).
_PATH_TO_FIELD: dict[str, str] = {
    "item": "item", "items[0]": "item_text", "proposed.fine": "fine",
    "proposed.confiscation": "confiscation", "facts.illegal_gains": "illegal_gains",
    "facts.principal_income_prev_year": "principal_income_prev_year",
    "accident.direct_loss": "direct_loss",
    **{f"accident.{n}": n for n, _label in ACCIDENT_TIMES},
    **{f"dates.{n}": n for n, _label in DATE_FIELDS},
}
_PATH_IN_MESSAGE = re.compile(r"（([a-z_]+(?:\.[a-z_]+)*(?:\[\d+\])?)）")


def _field_of(message: str, data: dict[str, Any]) -> str | None:
    for path in _PATH_IN_MESSAGE.findall(message):
        name = _PATH_TO_FIELD.get(path)
        if name == "item" and not data["item"]:
            name = "item_text"  # the free-text reference was sent as `item`
        if name is not None:
            return name
    return None


def _assess(form: CalculatorForm, user: Any) -> dict[str, Any] | None:
    """The engine's answer for a bound form, or None with the errors added to the form."""
    if not form.is_valid():
        return None
    request = _request_json(form.cleaned_data)
    try:
        return assess_payload(AssessIn.model_validate(request), user=user)
    except HttpError as exc:
        message = str(exc)
        name = _field_of(message, form.cleaned_data)
        if name is not None:
            # Beside its field the message needs neither the API's prefix nor its path.
            message = _PATH_IN_MESSAGE.sub("", message.removeprefix("输入有误。"))
        form.add_error(name, message)
    except ValidationError as exc:  # the form already checks types: only a safety net
        fields = "、".join(".".join(str(p) for p in e["loc"]) for e in exc.errors())
        form.add_error(None, _("输入有误：%(fields)s 取值无效") % {"fields": fields})
    return None


# --- presenting the answer ------------------------------------------------------------


@dataclass
class Row:
    label: Any
    value: Any
    citations: list[dict[str, str]] = field(default_factory=list)
    tone: str = ""  # a Bootstrap text colour for a value that should stand out


@dataclass
class Section:
    title: Any
    rows: list[Row]
    assumed_years: list[int] = field(default_factory=list)

    @property
    def assumed_year_list(self) -> list[int]:  # what calendar_assumption.html reads
        return self.assumed_years


def _yuan(value: str | None) -> str:
    if value is None:
        return ""
    try:
        return f"{Decimal(value):,} 元"
    except InvalidOperation:
        return str(value)


def _yes_no(value: bool, yes: Any, no: Any) -> Any:
    return yes if value else no


DEADLINE_LABELS: dict[str, Any] = {
    "decision": _("作出处罚决定"), "statement": _("当事人陈述、申辩"),
    "hearing_request": _("当事人申请听证"), "service": _("送达处罚决定书"),
    "payment": _("缴纳罚款"), "publicity": _("处罚决定公示"),
    "reconsideration": _("申请行政复议"), "litigation": _("提起行政诉讼"),
}
PARTY_FINE_LABELS: dict[str, Any] = {
    "unit": _("单位"), "individual": _("个人"),
    "responsible_persons": _("直接负责的主管人员和其他直接责任人员"),
}
EXEMPTION_LABELS: dict[str, Any] = {
    "mandatory": _("应当不予行政处罚"), "discretionary": _("可以不予行政处罚"),
    "none": _("不适用不予处罚"),
}
ACCIDENT_CLASS_LABELS: dict[str, Any] = {
    "ordinary": _("一般事故"), "large": _("较大事故"), "major": _("重大事故"),
    "extraordinary": _("特别重大事故"),
}


def _sections(answer: dict[str, Any]) -> list[Section]:
    citations = answer.get("citations", [])

    def cites(*paths: str) -> list[dict[str, str]]:
        # A citation supports an element when its applies_to names it, an element inside
        # it, or an element containing it.
        found: list[dict[str, str]] = []
        for c in citations:
            target = c["applies_to"]
            if any(target == p or target.startswith(p + ".") or p.startswith(target + ".")
                   for p in paths) and c not in found:
                found.append(c)
        return found

    sections: list[Section] = []
    rec = answer.get("recommendation")
    if rec is not None or "provision_applied" in answer:
        rows: list[Row] = []
        if "provision_applied" in answer:
            rows.append(Row(_("适用的处罚依据"), answer["provision_applied"],
                            cites("provision_applied")))
        if rec is not None:
            rows.append(Row(_("处罚种类"),
                            "、".join(str(MEASURE_LABELS.get(m, m)) for m in rec["measures"]),
                            cites("recommendation.measures")))
            for party, rng in (rec.get("fine") or {}).items():
                text = f"{_yuan(rng['min'])} 至 {_yuan(rng['max'])}"
                rows.append(Row(_("罚款幅度（%(party)s）") % {
                    "party": PARTY_FINE_LABELS.get(party, party)}, text,
                    cites("recommendation.fine")))
                if rng.get("suggested") is not None:
                    rows.append(Row(_("建议罚款数额（%(party)s）") % {
                        "party": PARTY_FINE_LABELS.get(party, party)},
                        _yuan(rng["suggested"]), cites("recommendation.fine"), "primary"))
            rows.append(Row(_("一案双罚"), _yes_no(rec["dual_penalty"], _("是：单位和个人均处罚款"),
                                                   _("否")),
                            cites("recommendation.dual_penalty")))
        sections.append(Section(_("裁量建议"), rows))

    rows = []
    if "exemption" in answer:
        rows.append(Row(_("不予处罚"), EXEMPTION_LABELS.get(answer["exemption"]),
                        cites("exemption"),
                        "" if answer["exemption"] == "none" else "success"))
    if "lighter_or_mitigated_required" in answer:
        rows.append(Row(_("从轻或者减轻处罚"), _yes_no(
            answer["lighter_or_mitigated_required"], _("应当从轻或者减轻"),
            _("无法定从轻减轻情形")), cites("lighter_or_mitigated_required")))
    if rows:
        sections.append(Section(_("不予处罚与从轻减轻"), rows))

    rows = []
    if "summary_procedure_allowed" in answer:
        rows.append(Row(_("简易程序"), _yes_no(
            answer["summary_procedure_allowed"], _("可以适用简易程序（当场处罚）"),
            _("不得适用简易程序")), cites("summary_procedure_allowed")))
    if "hearing_rights" in answer:
        value = _yes_no(answer["hearing_rights"], _("应当告知听证权利"), _("无听证权利"))
        used = answer.get("threshold_used")
        if used:
            value = _("%(value)s（较大数额罚款标准：单位 %(unit)s，个人 %(individual)s）") % {
                "value": value, "unit": _yuan(str(used["unit_min"])),
                "individual": _yuan(str(used["individual_min"]))}
        rows.append(Row(_("听证权利"), value, cites("hearing_rights", "threshold_used"),
                        "warning" if answer["hearing_rights"] else ""))
    if "hearing_notice_compliant" in answer:
        rows.append(Row(_("听证通知"), _yes_no(answer["hearing_notice_compliant"],
                                           _("已按时通知"), _("通知时间不足")),
                        cites("hearing_notice_compliant"),
                        "" if answer["hearing_notice_compliant"] else "danger"))
    if "legal_review_required" in answer:
        rows.append(Row(_("法制审核"), _yes_no(answer["legal_review_required"],
                                           _("决定前须经法制审核"), _("不属于必须法制审核的情形")),
                        cites("legal_review_required")))
    if "collective_discussion_required" in answer:
        rows.append(Row(_("集体讨论"), _yes_no(
            answer["collective_discussion_required"], _("须经负责人集体讨论决定"),
            _("不属于必须集体讨论的情形")), cites("collective_discussion_required")))
    if rows:
        sections.append(Section(_("程序要求"), rows))

    if "limitation" in answer:
        lim = answer["limitation"]
        value = _("%(years)s 年，%(state)s") % {
            "years": lim["years"],
            "state": _yes_no(lim["expired"], _("已超过追责时效，不再给予行政处罚"), _("未超过"))}
        sections.append(Section(_("追责时效"), [Row(_("追责时效"), value, cites("limitation"),
                                                 "danger" if lim["expired"] else "")]))

    rows = [Row(DEADLINE_LABELS.get(name, name), day, cites(f"deadlines.{name}"))
            for name, day in (answer.get("deadlines") or {}).items()]
    if "reconsideration_outer_limit" in answer:
        rows.append(Row(_("申请复议最长期限（未告知权利时）"),
                        answer["reconsideration_outer_limit"],
                        cites("reconsideration_outer_limit")))
    if rows:
        sections.append(Section(_("期限（最后一日）"), rows,
                                list(answer.get("calendar_assumed_years") or [])))

    rows = []
    if "overdue_days" in answer:
        rows.append(Row(_("逾期缴纳天数"), _("%(days)s 日") % {"days": answer["overdue_days"]},
                        cites("overdue_days")))
    if "late_payment_surcharge" in answer:
        rows.append(Row(_("加处罚款"), _yuan(answer["late_payment_surcharge"]),
                        cites("late_payment_surcharge"), "danger"))
    if rows:
        sections.append(Section(_("加处罚款"), rows))

    acc = answer.get("accident") or {}
    rows = []
    if "class" in acc:
        rows.append(Row(_("事故等级"), ACCIDENT_CLASS_LABELS.get(acc["class"], acc["class"]),
                        cites("accident.class")))
    if "criminal_transfer" in answer:
        ct = answer["criminal_transfer"]
        rows.append(Row(_("移送司法机关"), _yes_no(
            ct["required"], _("达到追诉标准，应当移送"),
            _yes_no(ct["threshold_met"], _("达到追诉标准"), _("未达到追诉标准"))),
            cites("criminal_transfer"), "danger" if ct["required"] else ""))
    if "unit_fine" in acc:
        rows.append(Row(_("对事故单位的罚款"),
                        f"{_yuan(acc['unit_fine']['min'])} 至 {_yuan(acc['unit_fine']['max'])}",
                        cites("accident.unit_fine")))
    if "principal_fine" in acc:
        pf = acc["principal_fine"]
        rate = (f"{Decimal(pf['min_rate']) * 100:.0f}%" if pf["min_rate"] == pf["max_rate"] else
                f"{Decimal(pf['min_rate']) * 100:.0f}% 至 {Decimal(pf['max_rate']) * 100:.0f}%")
        value = _("上一年年收入的 %(rate)s") % {"rate": rate}
        if pf.get("amount_min") is not None:
            value = f"{value}（{_yuan(pf['amount_min'])} 至 {_yuan(pf['amount_max'])}）"
        rows.append(Row(_("对主要负责人的罚款"), value, cites("accident.principal_fine")))
    if "report_deadline" in acc:
        rows.append(Row(_("事故报告时限"), acc["report_deadline"].replace("T", " ")[:16],
                        cites("accident.report_deadline")))
    if "late_report" in acc:
        rows.append(Row(_("迟报"), _yes_no(acc["late_report"], _("迟报"), _("未迟报")),
                        cites("accident.late_report"), "danger" if acc["late_report"] else ""))
    if "investigation_report_due" in acc:
        rows.append(Row(_("调查报告提交期限"), acc["investigation_report_due"],
                        cites("accident.investigation_report_due")))
    if "investigation_report_latest_with_extension" in acc:
        rows.append(Row(_("调查报告延长后最迟期限"),
                        acc["investigation_report_latest_with_extension"],
                        cites("accident.investigation_report_latest_with_extension")))
    if rows:
        sections.append(Section(_("生产安全事故"), rows))

    credit = answer.get("credit")
    if credit:
        rows = []
        if credit.get("earliest_repair"):
            rows.append(Row(_("最早可申请信用修复"), credit["earliest_repair"],
                            cites("credit.earliest_repair")))
        rows.append(Row(_("公示期届满（最迟）"), credit["publicity_ends_at_latest"],
                        cites("credit.publicity_ends_at_latest")))
        sections.append(Section(_("信用修复"), rows))
    return sections


# --- the view -------------------------------------------------------------------------


def _require_staff(user: Any) -> None:
    if not getattr(user, "is_staff_role", False):
        raise PermissionDenied(_("只有执法人员、法制审核员、负责人和管理员可以使用处罚裁量计算器"))


@login_required
@require_http_methods(["GET", "POST"])
def calculator(request: HttpRequest) -> HttpResponse:
    """The form; a POST (htmx or plain) or a GET with form parameters computes the answer.
    Bad input answers 422 with the errors beside the fields, except to htmx, which swaps
    only 2xx answers by default: there it is 200."""
    _require_staff(request.user)
    if request.method == "POST":
        form = CalculatorForm(request.POST)
    elif any(name in request.GET for name in CalculatorForm().fields):
        form = CalculatorForm(request.GET)
    else:
        form = CalculatorForm()
    answer = _assess(form, request.user) if form.is_bound else None
    for name in form.errors:
        if name in form.fields:
            widget = form.fields[name].widget
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
    context = {"form": form, "answer": answer,
               "sections": _sections(answer) if answer is not None else []}
    status = 422 if form.is_bound and answer is None and not request.htmx else 200  # type: ignore[attr-defined]
    template = ("legal/partials/calculator.html" if request.htmx  # type: ignore[attr-defined]
                else "legal/calculator.html")
    return render(request, template, context, status=status)


# --- browsing: 法律法规库 (laws and provisions) and 执法事项目录 (the item catalogue) -----
#
# Read-only pages for every logged-in user (the law and the catalogue are public, see
# fazhi.legal.catalogue); the reads are in fazhi.legal.selectors. The lists filter with a
# GET form refreshed by htmx, like the enterprise list.

LAW_STATUS_LABELS: dict[str, Any] = {
    "in_force": _("现行有效"), "repealed": _("已失效"), "pending": _("尚未施行"),
    "all": _("全部"),
}
PARTY_LABELS: dict[str, Any] = {
    "unit": _("单位"), "principal": _("主要负责人"),
    "responsible_persons": _("直接负责的主管人员和其他直接责任人员"),
}
# The fine columns of a stage penalty or a benchmark tier. "individual" is a fine on a
# named natural person (主要负责人, 个人经营的投资人…).
STAGE_FINE_LABELS: tuple[tuple[str, Any], ...] = (
    ("unit", _("单位")), ("individual", _("个人（主要负责人等）")),
    ("responsible", _("直接负责的主管人员和其他直接责任人员")),
)
_DATE_INPUT = {"type": "date", "class": "form-control"}


def _date_field(label: Any) -> forms.DateField:
    return forms.DateField(label=label, required=False, input_formats=["%Y-%m-%d"],
                           widget=forms.DateInput(attrs=_DATE_INPUT, format="%Y-%m-%d"))


def _search_field(placeholder: Any) -> forms.CharField:
    return forms.CharField(label=_("关键词"), required=False, max_length=100,
                           widget=forms.TextInput(attrs={
                               "class": "form-control", "type": "search",
                               "placeholder": placeholder}))


class _FilterForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for form_field in self.fields.values():
            if isinstance(form_field.widget, forms.Select):
                form_field.widget.attrs.setdefault("class", "form-select")

    def valid_data(self) -> dict[str, Any]:
        """The valid filters (an invalid one is dropped and shown as an error)."""
        self.is_valid()
        return getattr(self, "cleaned_data", {})


class LawFilterForm(_FilterForm):
    q = _search_field(_("名称、简称、制定机关或文号"))
    level = forms.ChoiceField(label=_("效力层级"), required=False,
                              choices=[("", _("全部层级")), *Law.Level.choices])
    status = forms.ChoiceField(label=_("效力状态"), required=False,
                               choices=list(LAW_STATUS_LABELS.items()))
    on = _date_field(_("以该日为准"))


class ItemFilterForm(_FilterForm):
    q = _search_field(_("编码、名称、条文或法规名称；或条款，如 安全生产法第九十七条"))
    law = forms.TypedChoiceField(label=_("法律法规"), required=False, coerce=int,
                                 empty_value=None)
    kind = forms.ChoiceField(label=_("事项类型"), required=False,
                             choices=[("", _("全部类型")), *EnforcementItem.Kind.choices])
    party = forms.ChoiceField(label=_("可处罚对象"), required=False,
                              choices=[("", _("全部对象")), *PARTY_LABELS.items()])
    dual_penalty = forms.ChoiceField(label=_("一案双罚"), required=False, choices=[
        ("", _("不限")), ("yes", _("一案双罚")), ("no", _("非一案双罚"))])
    on = _date_field(_("在该日有效"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["law"].choices = [("", _("全部法律法规")), *law_choices()]


def _with_defaults(request: HttpRequest, **defaults: str) -> QueryDict:
    """The GET parameters with `defaults` for the ones absent (a parameter sent empty
    stays empty: the user cleared it)."""
    data = request.GET.copy()
    for name, value in defaults.items():
        data.setdefault(name, value)
    return data


def _partial_only(request: HttpRequest) -> bool:
    # htmx restoring history after a cache miss needs the whole page.
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


def _render_list(request: HttpRequest, page: str, partial: str,
                 context: dict[str, Any]) -> HttpResponse:
    response = render(request, partial if _partial_only(request) else page, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def law_status(law: Law, on: datetime.date) -> str:
    """in_force, repealed or pending on `on`."""
    if law.effective > on:
        return "pending"
    return "in_force" if law.in_force_on(on) else "repealed"


def provision_anchor(provision: Provision) -> str:
    """The HTML id of a provision on its law's page: a97 (the article), a97k1 (a
    paragraph), a97k1x2 / a97x2 (an item)."""
    anchor = f"a{provision.article}"
    if provision.paragraph:
        anchor += f"k{provision.paragraph}"
    if provision.item:
        anchor += f"x{provision.item}"
    return anchor


def provision_url(provision: Provision) -> str:
    return (reverse("legal:law_detail", kwargs={"pk": provision.law_id})
            + f"#{provision_anchor(provision)}")


def highlight(text: str, terms: list[str]) -> str:
    """`text` escaped, line breaks kept, each occurrence of a term in <mark>."""
    html = escape(text)
    wanted = sorted({escape(t) for t in terms if t}, key=len, reverse=True)
    if wanted:
        pattern = re.compile("|".join(re.escape(t) for t in wanted), re.IGNORECASE)
        html = pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", html)
    return mark_safe(html.replace("\n", "<br>"))  # the text was escaped above


def yuan_text(amount: Decimal) -> str:
    """50000.00 → "50,000 元"; 1234.50 → "1,234.50 元" (Decimal all along)."""
    if amount == amount.to_integral_value():
        return f"{int(amount):,} 元"
    return f"{amount:,.2f} 元"


def fine_range_text(low: Decimal | None, high: Decimal | None) -> str | None:
    """A stored fine range as the statute says it: "100,000 元以下" (from 0), "20,000 元
    至 50,000 元"; None when the pair is empty (no fine on that party)."""
    if low is None or high is None:
        return None
    if low == 0:
        return _("%(max)s以下") % {"max": yuan_text(high)}
    if low == high:
        return yuan_text(low)
    return _("%(min)s 至 %(max)s") % {"min": yuan_text(low), "max": yuan_text(high)}


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}"


def measures_text(codes: list[str] | None) -> str:
    return "、".join(str(MEASURE_LABELS.get(code, code)) for code in codes or ())


def _fines(row: Any, columns: tuple[tuple[str, Any], ...]) -> list[tuple[Any, str]]:
    found = []
    for prefix, label in columns:
        if not hasattr(row, f"{prefix}_min"):
            continue
        text = fine_range_text(getattr(row, f"{prefix}_min"), getattr(row, f"{prefix}_max"))
        if text is not None:
            found.append((label, text))
    return found


@require_GET
@login_required
def law_list(request: HttpRequest) -> HttpResponse:
    """法律法规库: the law versions by level, in force (or not) on a date."""
    today = timezone.localdate()
    form = LawFilterForm(_with_defaults(request, status="in_force", on=today.isoformat()))
    data = form.valid_data()
    on = data.get("on") or today
    status = data.get("status") or "in_force"
    laws = select_law_list(on=on, status=status, level=data.get("level") or None,
                           q=data.get("q") or "")
    groups: dict[str, list[Law]] = {}
    for law in laws:
        law.status_on = law_status(law, on)
        law.status_label = LAW_STATUS_LABELS[law.status_on]
        groups.setdefault(law.get_level_display(), []).append(law)
    return _render_list(request, "legal/law_list.html", "legal/partials/law_results.html", {
        "form": form, "groups": list(groups.items()), "count": len(laws), "on": on,
        "status_label": LAW_STATUS_LABELS.get(status),
    })


@dataclass
class ProvisionRow:
    provision: Provision
    anchor: str
    sublabel: str  # the label less its article: 第一款第（二）项
    text: str
    missing: bool  # no text here nor in a row above it in the same article
    items: list[tuple[EnforcementItem, list[Any]]]


@dataclass
class ArticleGroup:
    article: int
    anchor: str
    label: str
    rows: list[ProvisionRow]


def _articles(provisions: list[Provision], terms: list[str]) -> list[ArticleGroup]:
    groups: dict[int, ArticleGroup] = {}
    for p in provisions:
        items: dict[str, tuple[EnforcementItem, list[Any]]] = {}
        for relation, role in (("penalising_items", _("处罚依据")),
                               ("violated_by_items", _("违法依据"))):
            for item in getattr(p, relation).all():
                items.setdefault(item.code, (item, []))[1].append(role)
        group = groups.setdefault(p.article, ArticleGroup(
            p.article, f"a{p.article}", provision_label(p.article), []))
        sublabel = p.label.removeprefix(group.label)
        # The article's (or paragraph's) own row often holds the whole text.
        covered = any(row.provision.text and p.label.startswith(row.provision.label)
                      for row in group.rows)
        group.rows.append(ProvisionRow(p, provision_anchor(p), sublabel, highlight(p.text, terms),
                                       not p.text and not covered,
                                       sorted(items.values(), key=lambda pair: pair[0].code)))
    return list(groups.values())


@require_GET
@login_required
def law_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A law version: its metadata, its other versions and its provisions in article
    order with the items resting on each; `q` keeps the provisions containing it."""
    law = law_get(pk)
    if law is None:
        raise Http404(_("未找到该法律法规"))
    q = (request.GET.get("q") or "").strip()[:100]
    terms = q.split()
    articles = _articles(law_provisions(law, q=q), terms)
    context = {"law": law, "q": q, "articles": articles,
               "match_count": sum(len(a.rows) for a in articles)}
    if _partial_only(request):
        response = render(request, "legal/partials/law_provisions.html", context)
    else:
        today = timezone.localdate()
        versions = law_versions(law)
        for version in versions:
            version.status_on = law_status(version, today)
            version.status_label = LAW_STATUS_LABELS[version.status_on]
        status = law_status(law, today)
        context |= {"versions": versions, "today": today, "status": status,
                    "status_label": LAW_STATUS_LABELS[status],
                    "item_count": law_item_count(law)}
        response = render(request, "legal/law_detail.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_GET
@login_required
def item_list(request: HttpRequest) -> HttpResponse:
    """执法事项目录: search by keyword or article, filters, pages of FAZHI_PAGE_SIZE."""
    today = timezone.localdate()
    form = ItemFilterForm(_with_defaults(request, on=today.isoformat()))
    data = form.valid_data()
    dual = {"yes": True, "no": False}.get(data.get("dual_penalty") or "")
    items = select_item_list(q=data.get("q") or "", law_id=data.get("law"),
                             kind=data.get("kind") or None, party=data.get("party") or None,
                             dual_penalty=dual, on=data.get("on"))
    page = Paginator(items, settings.FAZHI_PAGE_SIZE).get_page(request.GET.get("page"))
    return _render_list(request, "legal/item_list.html", "legal/partials/item_results.html", {
        "form": form, "page": page, "on": data.get("on"), "party_labels": PARTY_LABELS,
        "can_export": getattr(request.user, "is_staff_role", False),
        "can_import": can_write_legal(request.user),
    })


@dataclass
class StageView:
    label: Any
    provision: Provision | None
    provision_url: str
    mandatory: bool
    measures: str
    fines: list[tuple[Any, str]]
    multiple: str
    daily_penalty: bool


def _stage_views(item: EnforcementItem) -> list[StageView]:
    order = {value: i for i, value in enumerate(Stage.values)}
    views = []
    for row in sorted(item.stage_penalties.all(), key=lambda r: order.get(r.stage, 99)):
        multiple = ""
        if row.confiscation_multiple_min is not None and row.confiscation_multiple_max is not None:
            multiple = _("处违法所得%(min)s倍以上%(max)s倍以下的罚款") % {
                "min": _number(row.confiscation_multiple_min),
                "max": _number(row.confiscation_multiple_max)}
            if row.gains_threshold is not None:
                multiple = _("违法所得%(threshold)s以上的，%(fine)s") % {
                    "threshold": yuan_text(row.gains_threshold), "fine": multiple}
        views.append(StageView(
            label=row.get_stage_display(), provision=row.provision,
            provision_url=provision_url(row.provision) if row.provision else "",
            mandatory=row.mandatory, measures=measures_text(row.measures),
            fines=_fines(row, STAGE_FINE_LABELS), multiple=multiple,
            daily_penalty=row.daily_penalty))
    return views


def _benchmark_views(item: EnforcementItem, today: datetime.date) -> list[dict[str, Any]]:
    tier_order = {value: i for i, value in enumerate(TierLevel.values)}
    found = []
    for benchmark in item.benchmarks.all():
        tiers = [{"label": row.get_tier_display(), "circumstances": row.circumstances,
                  "fines": _fines(row, STAGE_FINE_LABELS[:2]),
                  "measures": measures_text(row.measures)}
                 for row in sorted(benchmark.tiers.all(),
                                   key=lambda r: tier_order.get(r.tier, 99))]
        in_force = benchmark.valid_from <= today and (
            benchmark.valid_to is None or today <= benchmark.valid_to)
        found.append({"benchmark": benchmark, "tiers": tiers, "in_force": in_force})
    return found


@require_GET
@login_required
def item_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One item: its provisions (linked to the law pages), the statutory penalty of each
    stage, the benchmarks with their tiers, the exemption entries."""
    item = item_detail_get(code)
    if item is None:
        raise Http404(_("未找到该执法事项"))
    today = timezone.localdate()
    calculator_url = ""
    if getattr(request.user, "is_staff_role", False) and item.in_force_on(today):
        calculator_url = f"{reverse('legal:calculator')}?{urlencode({'item': item.code})}"
    parties = [label for name, label in PARTY_LABELS.items()
               if getattr(item, f"party_{name}")]
    bases = [(_("违法依据"), [(p, provision_url(p)) for p in item.violated.all()]),
             (_("处罚依据"), [(p, provision_url(p)) for p in item.penalty.all()])]
    return render(request, "legal/item_detail.html", {
        "item": item, "parties": parties, "bases": bases, "stages": _stage_views(item),
        "benchmarks": _benchmark_views(item, today), "exemptions": list(item.exemptions.all()),
        "today": today, "in_force": item.in_force_on(today), "calculator_url": calculator_url,
    })
