"""Forms of the accident pages (事故): the list's filters, the register form (事故登记) and
one form per service of `fazhi.accidents.services` on the accident page. The forms only
shape the input (types, choices limited to what the user may pick, the records of this
accident); the services decide (who may write, the order of dates, the law) and refuse
in Chinese."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fazhi.accidents.models import (
    Accident,
    AccidentClass,
    Accountability,
    Industry,
    Investigation,
    OpinionItem,
    ReportReview,
)
from fazhi.core.models import Agency, Jurisdiction, Role, User
from fazhi.core.selectors import jurisdiction_list
from fazhi.inspection.forms import EnterprisePickerMixin, StyledForm
from fazhi.subjects.models import Enterprise, ResponsiblePerson

MAX_TEAM = 50
MAX_ITEMS = 50
# A team member's line: 姓名，单位，职务 (commas of either width, 、, tabs or semicolons).
_MEMBER_PARTS = re.compile(r"\s*[,，、;；\t]\s*")
HIGHWAY_CHOICES = [("", _("不限")), ("1", _("高速公路")), ("0", _("非高速公路"))]


def _date(label: Any, *, required: bool = True, **kw: Any) -> forms.DateField:
    # ISO value: the browser's date picker needs it, whatever the display locale.
    return forms.DateField(label=label, required=required, input_formats=["%Y-%m-%d"],
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                           **kw)


def _moment(label: Any, *, required: bool = True) -> forms.DateTimeField:
    """A time of day in Asia/Shanghai (the form's naive value is made aware in the
    current time zone)."""
    return forms.DateTimeField(
        label=label, required=required,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))


def _count(label: Any) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=0, max_value=100_000, initial=0,
                              widget=forms.NumberInput(attrs={"inputmode": "numeric"}))


def _money(label: Any) -> forms.DecimalField:
    """Yuan to the fen, as Decimal (never float)."""
    return forms.DecimalField(label=label, max_digits=14, decimal_places=2, min_value=0,
                              initial=0, widget=forms.NumberInput(attrs={
                                  "step": "0.01", "min": "0", "inputmode": "decimal"}))


def _area(label: Any, rows: int = 2, *, max_length: int = 8000, required: bool = True,
          **kw: Any) -> forms.CharField:
    return forms.CharField(label=label, max_length=max_length, required=required,
                           widget=forms.Textarea(attrs={"rows": rows}), **kw)


def _text(label: Any, max_length: int, *, required: bool = True, **kw: Any) -> forms.CharField:
    return forms.CharField(label=label, max_length=max_length, required=required, **kw)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _local(moment: datetime.datetime | None) -> datetime.datetime | None:
    return None if moment is None else timezone.localtime(moment)


class RecordForm(StyledForm):
    """A form of the accident page. `key` tells apart several forms of one class on a
    page (one per review, opinion item ...): it goes into the element ids only."""

    def __init__(self, *args: Any, accident: Accident, key: object = "", **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{type(self).__name__.lower()}{key}-%s")
        super().__init__(*args, **kwargs)
        self.accident = accident
        for field in self.fields.values():  # the page holds many forms: small widgets
            css = field.widget.attrs.get("class", "")
            if css in {"form-control", "form-select"}:
                field.widget.attrs["class"] = f"{css} {css}-sm"


def _investigation(accident: Accident) -> Investigation | None:
    return Investigation.objects.filter(accident=accident).first()


# --- the list ----------------------------------------------------------------------------

class AccidentFilterForm(StyledForm):
    """The list's (and the ledger's) filters; an invalid value is dropped, never an error."""

    year = forms.TypedChoiceField(label=_("年度"), required=False, coerce=int,
                                  empty_value=None)
    jurisdiction = forms.ChoiceField(label=_("发生地"), required=False)
    industry = forms.ChoiceField(label=_("行业领域"), required=False,
                                 choices=[("", _("全部行业")), *Industry.choices])
    accident_class = forms.ChoiceField(label=_("事故等级"), required=False,
                                       choices=[("", _("全部等级")), *AccidentClass.choices])
    highway = forms.ChoiceField(label=_("高速公路"), required=False, choices=HIGHWAY_CHOICES)

    def __init__(self, *args: Any, user: User, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("全部年度"))] + [
            (y, _("%(y)s年") % {"y": y}) for y in years]
        choices = [(j.code, label) for j, label in area_choices(user)]
        # A link from the statistics may name an area further down (a town).
        asked = self.data.get("jurisdiction") if self.is_bound else None
        if asked and asked not in {code for code, _label in choices}:
            found = jurisdiction_list(user=user).filter(code=str(asked)[:12]).first()
            if found is not None:
                choices.append((found.code, f"— {found.name}"))
        self.fields["jurisdiction"].choices = [("", _("全部")), *choices]
        if not choices:  # an enterprise user: no area to choose
            del self.fields["jurisdiction"]

    def filters(self) -> dict[str, Any]:
        """Keyword arguments of `selectors.accident_list` (a bad value is left out)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        highway = data.get("highway")
        return {"year": data.get("year") or None,
                "jurisdiction": data.get("jurisdiction") or None,
                "industry": data.get("industry") or None,
                "accident_class": data.get("accident_class") or None,
                "highway": {"1": True, "0": False}.get(highway or "")}


def area_choices(user: User) -> list[tuple[Jurisdiction, str]]:
    """The user's own jurisdiction and the areas directly below it (a city: its counties;
    a county: its towns), for the list's and the statistics' area choice."""
    own = user.jurisdiction if user.is_authenticated else None
    if own is None:
        return []
    children = Jurisdiction.objects.filter(parent=own).order_by("code")
    return [(own, str(own.name)), *[(j, f"— {j.name}") for j in children]]


# --- register ----------------------------------------------------------------------------

class AccidentForm(EnterprisePickerMixin, StyledForm):
    """事故登记 → `services.accident_register`. The enterprise is optional (a road
    accident may have none)."""

    jurisdiction = forms.ChoiceField(label=_("发生地（行政区划）"))
    occurred_at = _moment(_("发生时间"))
    place = _text(_("发生地点"), 200)
    industry = forms.ChoiceField(label=_("行业领域"), choices=Industry.choices)
    on_highway = forms.BooleanField(label=_("发生在高速公路上（道路交通事故）"), required=False)
    deaths = _count(_("死亡人数"))
    missing = _count(_("下落不明人数"))
    serious_injuries = _count(_("重伤人数（含急性工业中毒）"))
    direct_loss = _money(_("直接经济损失（元）"))
    account = _area(_("事故简要经过"), 3)
    known_on = _date(_("获知日期"), required=False,
                     help_text=_("获知上述伤亡和损失数字的日期，不填为今天"))

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._setup_picker(user)
        self.fields["enterprise_q"].required = False
        self.fields["enterprise_q"].label = _("事故单位（名称或统一社会信用代码，可不填）")
        self.fields["enterprise_q"].widget.attrs["class"] = "form-control"
        self.areas = {j.code: j for j in jurisdiction_list(user=user).order_by("code")}
        top = min((j.path.count("/") for j in self.areas.values()), default=0)
        self.fields["jurisdiction"].choices = [  # indented below the user's own area
            (code, f"{'— ' * (j.path.count('/') - top)}{j.name}")
            for code, j in self.areas.items()]
        own = user.jurisdiction
        if own is not None and own.code in self.areas:
            self.fields["jurisdiction"].initial = own.code
        self.order_fields(["jurisdiction", "occurred_at", "place", "industry", "on_highway",
                           "enterprise_q", "enterprise", "deaths", "missing",
                           "serious_injuries", "direct_loss", "known_on", "account"])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        data["jurisdiction_obj"] = self.areas.get(data.get("jurisdiction") or "")
        if data.get("enterprise") or (data.get("enterprise_q") or "").strip():
            data["enterprise_obj"] = self.clean_enterprise_pick(data)
        else:
            data["enterprise_obj"] = None
        return data

    def service_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {"jurisdiction": d["jurisdiction_obj"], "occurred_at": d["occurred_at"],
                "place": d["place"], "industry": d["industry"], "on_highway": d["on_highway"],
                "enterprise": d["enterprise_obj"], "deaths": d["deaths"],
                "missing": d["missing"], "serious_injuries": d["serious_injuries"],
                "direct_loss": d["direct_loss"], "account": d["account"],
                "known_on": d["known_on"]}


# --- the accident page ---------------------------------------------------------------------

class FiguresForm(RecordForm):
    """New figures (补报 / 更正) → `services.accident_figures_update`."""

    known_on = _date(_("获知日期"))
    deaths = _count(_("死亡人数"))
    missing = _count(_("下落不明人数"))
    serious_injuries = _count(_("重伤人数"))
    direct_loss = _money(_("直接经济损失（元）"))
    reason = _text(_("变化原因"), 150)

    def __init__(self, *args: Any, accident: Accident, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {
            "known_on": timezone.localdate(),
            **{name: getattr(accident, name) for name in (
                "deaths", "missing", "serious_injuries", "direct_loss")}})
        super().__init__(*args, accident=accident, **kwargs)


class ReportingForm(RecordForm):
    """The reporting times → `services.accident_reporting_set` (an empty field leaves
    the time as it is)."""

    head_informed_at = _moment(_("单位负责人接到报告时间"), required=False)
    unit_reported_at = _moment(_("单位报告时间"), required=False)
    bureau_informed_at = _moment(_("本局接到报告时间"), required=False)
    reported_up_at = _moment(_("向上级报告时间"), required=False)

    def __init__(self, *args: Any, accident: Accident, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {name: _local(getattr(accident, name)) for name in (
            "head_informed_at", "unit_reported_at", "bureau_informed_at", "reported_up_at")})
        super().__init__(*args, accident=accident, **kwargs)


class ReportFindingForm(RecordForm):
    """漏报 / 谎报 / 瞒报 found → `services.accident_report_finding`."""

    omitted = forms.BooleanField(label=_("漏报"), required=False)
    false_report = forms.BooleanField(label=_("谎报"), required=False)
    concealed = forms.BooleanField(label=_("瞒报"), required=False)
    finding = _area(_("认定理由"), 2)

    def __init__(self, *args: Any, accident: Accident, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {
            "omitted": accident.omitted_report, "false_report": accident.false_report,
            "concealed": accident.concealed, "finding": accident.report_finding})
        super().__init__(*args, accident=accident, **kwargs)


class InvestigationForm(RecordForm):
    """调查组成立 → `services.investigation_open`."""

    started_on = _date(_("调查组成立日期"))
    led_by = _text(_("负责调查的人民政府（部门）"), 100, required=False,
                   help_text=_("不填则按事故等级确定（《生产安全事故报告和调查处理条例》第十九条）"))
    lead_agency = forms.ModelChoiceField(label=_("牵头部门"), required=False,
                                         queryset=Agency.objects.none(),
                                         empty_label=_("— 不指定 —"))
    team = _area(_("调查组成员（每行一人：姓名，单位，职务）"), 4, max_length=6000)

    def __init__(self, *args: Any, accident: Accident, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"started_on": timezone.localdate()})
        super().__init__(*args, accident=accident, **kwargs)
        # The agencies of the accident's place and of the areas above it (属地).
        paths = {accident.jurisdiction_path[:i + 1]
                 for i, ch in enumerate(accident.jurisdiction_path) if ch == "/"}
        field = self.fields["lead_agency"]
        field.queryset = (Agency.objects.filter(jurisdiction__path__in=paths)
                          .order_by("jurisdiction__path", "name"))

    def clean_team(self) -> list[dict[str, str]]:
        members = []
        for line in _lines(self.cleaned_data["team"]):
            parts = [*_MEMBER_PARTS.split(line, maxsplit=2), "", ""][:3]
            members.append({"name": parts[0], "unit": parts[1], "role": parts[2]})
        if len(members) > MAX_TEAM:
            raise forms.ValidationError(_("调查组成员最多%(n)s人") % {"n": MAX_TEAM})
        return members


class ExtensionForm(RecordForm):
    """延长调查期限 → `services.investigation_extend`."""

    days = forms.IntegerField(label=_("延长天数"), min_value=1, max_value=366)
    approved_by = _text(_("批准机关"), 100)
    reason = _area(_("延长理由"), 2, max_length=2000)


class ReportSubmitForm(RecordForm):
    """事故调查报告 → `services.investigation_report_submit`."""

    submitted_on = _date(_("报告提交日期"))
    appraisal_days = forms.IntegerField(
        label=_("技术鉴定天数（不计入调查期限）"), min_value=0, max_value=3650, initial=0)
    nature = _text(_("事故性质"), 20, help_text=_("如：生产安全责任事故"))
    cause = _area(_("事故原因"), 2)
    summary = _area(_("调查报告摘要"), 3)

    def __init__(self, *args: Any, accident: Accident, **kwargs: Any) -> None:
        investigation = _investigation(accident)
        if investigation is not None and investigation.report_submitted_on:
            kwargs.setdefault("initial", {
                "submitted_on": investigation.report_submitted_on,
                "appraisal_days": investigation.appraisal_days,
                "nature": investigation.nature, "cause": investigation.cause,
                "summary": investigation.report_summary})
        else:
            kwargs.setdefault("initial", {"submitted_on": timezone.localdate()})
        super().__init__(*args, accident=accident, **kwargs)


class ApprovalForm(RecordForm):
    """批复 → `services.investigation_approve`."""

    approved_on = _date(_("批复日期"))
    approved_by = _text(_("批复机关"), 100)

    def __init__(self, *args: Any, accident: Accident, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"approved_on": timezone.localdate()})
        super().__init__(*args, accident=accident, **kwargs)


class AccountabilityForm(RecordForm):
    """责任追究 → `services.accountability_add`. The unit and person are the accident
    unit's (another unit: named in the text)."""

    subject = forms.ChoiceField(label=_("责任主体"), choices=Accountability.Subject.choices)
    name = _text(_("名称或姓名"), 200)
    enterprise = forms.ModelChoiceField(label=_("单位"), required=False,
                                        queryset=Enterprise.objects.none(),
                                        empty_label=_("— 非事故单位 —"))
    person = forms.ModelChoiceField(label=_("人员"), required=False,
                                    queryset=ResponsiblePerson.objects.none(),
                                    empty_label=_("— 不选 —"))
    responsibility = _area(_("责任认定"), 2)
    measures = _area(_("处理建议"), 2)

    def __init__(self, *args: Any, accident: Accident, **kwargs: Any) -> None:
        super().__init__(*args, accident=accident, **kwargs)
        if accident.enterprise_id:
            self.fields["enterprise"].queryset = Enterprise.objects.filter(
                pk=accident.enterprise_id)
            self.fields["enterprise"].initial = accident.enterprise_id
            self.fields["person"].queryset = ResponsiblePerson.objects.filter(
                enterprise_id=accident.enterprise_id).order_by("kind", "name")
        else:
            del self.fields["enterprise"], self.fields["person"]

    def service_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {"subject": d["subject"], "name": d["name"],
                "responsibility": d["responsibility"], "measures": d["measures"],
                "enterprise": d.get("enterprise"), "person": d.get("person")}


def _accountability(accident: Accident) -> QuerySet[Accountability]:
    return Accountability.objects.filter(investigation__accident=accident)


class CaseOpenForm(RecordForm):
    """依事故调查报告登记案件线索 → `services.accident_case_open`."""

    accountability = forms.ModelChoiceField(queryset=Accountability.objects.none(),
                                            widget=forms.HiddenInput)
    on = _date(_("发现日期"), required=False, help_text=_("不填为批复日期"))
    handlers = forms.TypedMultipleChoiceField(
        label=_("承办人员"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("本机关执法人员；您本人自动列为承办人员"))

    def __init__(self, *args: Any, accident: Accident, user: User, **kwargs: Any) -> None:
        super().__init__(*args, accident=accident, **kwargs)
        self.fields["accountability"].queryset = _accountability(accident)
        self.officers = {o.pk: o for o in User.objects.filter(
            agency_id=user.agency_id, role=Role.OFFICER, is_active=True,
        ).exclude(pk=user.pk).order_by("full_name", "username")} if user.agency_id else {}
        self.fields["handlers"].choices = [(pk, o.display_name)
                                           for pk, o in self.officers.items()]

    def handler_users(self) -> list[User]:
        return [self.officers[pk] for pk in self.cleaned_data["handlers"]
                if pk in self.officers]


class ReviewRequestForm(RecordForm):
    """申请法律指导 → `services.report_review_request`."""

    requested_on = _date(_("申请日期"))
    requested_of = _text(_("司法行政部门"), 100)
    questions = _area(_("请求指导的问题"), 3)

    def __init__(self, *args: Any, accident: Accident, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"requested_on": timezone.localdate()})
        super().__init__(*args, accident=accident, **kwargs)


def _reviews(accident: Accident) -> QuerySet[ReportReview]:
    return ReportReview.objects.filter(investigation__accident=accident)


class GuidanceForm(RecordForm):
    """法律指导意见 → `services.report_review_guidance`."""

    review = forms.ModelChoiceField(queryset=ReportReview.objects.none(),
                                    widget=forms.HiddenInput)
    guidance_on = _date(_("指导日期"))
    guidance = _area(_("法律指导意见"), 3)

    def __init__(self, *args: Any, accident: Accident, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"guidance_on": timezone.localdate()})
        super().__init__(*args, accident=accident, **kwargs)
        self.fields["review"].queryset = _reviews(accident)


class OpinionForm(RecordForm):
    """书面合法性审查意见 → `services.legality_opinion_add`."""

    issued_on = _date(_("出具日期"))
    issued_by = _text(_("出具单位"), 100)
    review = forms.ModelChoiceField(label=_("对应的法律指导申请"), required=False,
                                    queryset=ReportReview.objects.none(),
                                    empty_label=_("— 无 —"))
    conclusion = _area(_("审查结论"), 2)
    items = _area(_("审查意见（每行一条）"), 4)

    def __init__(self, *args: Any, accident: Accident, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"issued_on": timezone.localdate()})
        super().__init__(*args, accident=accident, **kwargs)
        field = self.fields["review"]
        field.queryset = _reviews(accident).order_by("requested_on", "id")
        field.label_from_instance = lambda r: _("%(day)s 向%(of)s申请") % {
            "day": r.requested_on.isoformat(), "of": r.requested_of}

    def clean_items(self) -> list[str]:
        items = _lines(self.cleaned_data["items"])
        if len(items) > MAX_ITEMS:
            raise forms.ValidationError(_("审查意见最多%(n)s条") % {"n": MAX_ITEMS})
        return items


class ItemResponseForm(RecordForm):
    """调查组对审查意见的回复 → `services.opinion_item_respond`."""

    item = forms.ModelChoiceField(queryset=OpinionItem.objects.none(), widget=forms.HiddenInput)
    outcome = forms.ChoiceField(label=_("处理结果"), choices=[("", _("— 请选择 —")), *[
        c for c in OpinionItem.Outcome.choices if c[0] != OpinionItem.Outcome.PENDING]])
    response = _area(_("调查组回复"), 2, max_length=4000)

    def __init__(self, *args: Any, accident: Accident, **kwargs: Any) -> None:
        super().__init__(*args, accident=accident, **kwargs)
        self.fields["item"].queryset = OpinionItem.objects.filter(
            opinion__investigation__accident=accident)
