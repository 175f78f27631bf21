"""Forms of the inspection pages. They check only the shape of the input (types, choices,
what the user may pick); every rule (two certified officers, deadlines, who may write)
is the services' and comes back as a Chinese ValidationError that `add_service_errors`
puts on the form, next to its field where there is one."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fazhi.core.models import Agency, Role, User
from fazhi.core.permissions import eligible_officers
from fazhi.inspection.models import (
    ChecklistItem,
    Hazard,
    HazardLevel,
    Inspection,
    InspectionCategory,
    InspectionResult,
    SupervisionLevel,
)
from fazhi.inspection.selectors import checklist_items
from fazhi.legal.selectors import catalogue_choices
from fazhi.subjects.models import Enterprise
from fazhi.subjects.selectors import enterprise_list

# How many candidates the enterprise picker lists (the search narrows it down).
MAX_CANDIDATES = 20
DATE_INPUT = {"type": "date"}
# Joint departments and item codes may be separated by commas (either width), 、,
# semicolons, spaces or new lines.
_SEPARATORS = re.compile(r"[,，、;；\s]+")


def split_list(text: str) -> list[str]:
    return [part for part in _SEPARATORS.split(text or "") if part]


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: a message keyed by a field the form
    has goes beside it, every other one above the form."""
    if hasattr(exc, "error_dict"):
        for key, errors in exc.error_dict.items():
            target = key if key in form.fields else None
            for error in errors:
                form.add_error(target, list(error.messages))
    else:
        form.add_error(None, list(exc.messages))


def _date_field(label: Any, *, required: bool = True, **kw: Any) -> forms.DateField:
    return forms.DateField(label=label, required=required, input_formats=["%Y-%m-%d"],
                           widget=forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d"), **kw)


class StyledForm(forms.Form):
    """Bootstrap classes on every widget, and ids prefixed so that several forms can
    share one page."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect
                          | forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            elif not isinstance(widget, forms.HiddenInput):
                widget.attrs.setdefault("class", "form-control")


# --- choices ---------------------------------------------------------------------------

def checklist_choices(*, major_only: bool = False) -> list[tuple[Any, Any]]:
    """Checklist items grouped by the standard they come from."""
    groups: dict[str, list[tuple[int, str]]] = {}
    items = checklist_items()
    if major_only:
        items = items.exclude(standard=ChecklistItem.Standard.GENERAL)
    for item in items:
        groups.setdefault(str(item.get_standard_display()), []).append(
            (item.pk, f"{item.code} {item.text}"))
    return list(groups.items())


def agency_officers(user: User) -> list[User]:
    """The officers of the user's agency (the people an inspection may name)."""
    if user.agency_id is None:
        return []
    return list(User.objects.filter(agency_id=user.agency_id, role=Role.OFFICER,
                                    is_active=True).order_by("full_name", "username"))


def officer_choices(user: User, on: datetime.date) -> list[tuple[int, str]]:
    """The agency's officers, each labelled when no certificate is valid `on` (the rule
    itself is checked by the service on the inspection date)."""
    officers = agency_officers(user)
    certified = set(eligible_officers(User.objects.filter(pk__in=[o.pk for o in officers]), on)
                    .values_list("pk", flat=True))
    return [(o.pk, o.display_name + ("" if o.pk in certified else str(_("（无有效执法证）"))))
            for o in officers]


def _officer_objects(user: User, ids: list[str]) -> list[User]:
    allowed = {o.pk: o for o in agency_officers(user)}
    return [allowed[int(pk)] for pk in ids if int(pk) in allowed]


# --- the enterprise picker --------------------------------------------------------------

class EnterprisePickerMixin:
    """A text box (name or 统一社会信用代码) and, when it matches several enterprises, a
    choice among them. Works without JavaScript: the candidates come back with the form;
    htmx only fetches them while typing."""

    enterprise_user: User
    candidates: list[Enterprise]

    def _setup_picker(self, user: User) -> None:
        self.enterprise_user = user
        self.candidates = []
        fields = self.fields  # type: ignore[attr-defined]
        fields["enterprise_q"] = forms.CharField(
            label=_("单位名称或统一社会信用代码"), max_length=100, required=False,
            widget=forms.TextInput(attrs={
                "type": "search", "autocomplete": "off",
                "placeholder": _("输入单位名称或统一社会信用代码"),
            }))
        fields["enterprise"] = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def picker_candidates(self, q: str) -> list[Enterprise]:
        return list(enterprise_list(user=self.enterprise_user, q=q)
                    .order_by("name", "id")[:MAX_CANDIDATES + 1])

    def clean_enterprise_pick(self, data: dict[str, Any]) -> Enterprise | None:
        """The enterprise picked (by id) or the only one the text matches; else an error
        on `enterprise_q` and the candidates kept for the page."""
        picked = data.get("enterprise")
        visible = enterprise_list(user=self.enterprise_user)
        if picked:
            enterprise = visible.filter(pk=picked).first()
            if enterprise is not None:
                # Shown (ticked) again if another field is refused.
                self.candidates = [enterprise]
                return enterprise
        q = (data.get("enterprise_q") or "").strip()
        if not q:
            self.add_error("enterprise_q", _("请选择单位"))  # type: ignore[attr-defined]
            return None
        found = self.picker_candidates(q)
        exact = [e for e in found if e.name == q or e.uscc.upper() == q.upper()]
        if len(found) == 1 or len(exact) == 1:
            self.candidates = [(exact or found)[0]]
            return self.candidates[0]
        if not found:
            self.add_error("enterprise_q",  # type: ignore[attr-defined]
                           _("辖区内没有名称或统一社会信用代码为“%(q)s”的单位") % {"q": q})
            return None
        self.candidates = found[:MAX_CANDIDATES]
        self.add_error("enterprise_q",  # type: ignore[attr-defined]
                       _("找到多家单位，请在下面选择一家"))
        return None


# --- inspections -----------------------------------------------------------------------

class InspectionFilterForm(StyledForm):
    status = forms.ChoiceField(label=_("状态"), required=False,
                               choices=[("", _("全部状态")), *Inspection.Status.choices])
    year = forms.TypedChoiceField(label=_("年度"), required=False, coerce=int,
                                  empty_value=None)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("全部年度"))] + [
            (y, _("%(y)s年") % {"y": y}) for y in years]

    def filters(self) -> dict[str, Any]:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {"status": data.get("status") or None, "year": data.get("year") or None}


class InspectionForm(EnterprisePickerMixin, StyledForm):
    """A new inspection draft (检查记录草稿)."""

    date = _date_field(_("检查日期"))
    place = forms.CharField(label=_("检查地点"), max_length=255)
    category = forms.ChoiceField(label=_("检查类别"), choices=InspectionCategory.choices,
                                 initial=InspectionCategory.GENERAL)
    officers = forms.TypedMultipleChoiceField(
        label=_("检查人员"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple,
        help_text=_("本机关执法人员，不得少于2人，须持有效执法证（《行政处罚法》第四十二条）"))
    non_site = forms.BooleanField(label=_("非现场执法"), required=False)
    non_site_source = forms.ChoiceField(
        label=_("非现场证据来源"), required=False,
        choices=[("", _("— 现场检查不填 —")), *Inspection.NonSiteSource.choices])
    joint_departments = forms.CharField(
        label=_("联合检查部门"), required=False, max_length=500,
        help_text=_("联合检查时填写，多个部门用顿号或逗号分隔"),
        widget=forms.TextInput(attrs={"placeholder": _("如：消防救援大队、市场监管局")}))

    field_order = ["enterprise_q", "enterprise", "date", "place", "category", "officers",
                   "non_site", "non_site_source", "joint_departments"]

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._setup_picker(user)
        self.order_fields(self.field_order)
        self.fields["enterprise_q"].widget.attrs["class"] = "form-control"
        self.fields["enterprise_q"].label = _("被检查单位")
        self.user = user
        today = timezone.localdate()
        self.fields["date"].initial = today
        self.fields["officers"].choices = officer_choices(user, today)
        if user.role == Role.OFFICER and not self.is_bound:
            self.fields["officers"].initial = [user.pk]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        data["enterprise_obj"] = self.clean_enterprise_pick(data)
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "enterprise": data["enterprise_obj"],
            "date": data["date"],
            "place": data["place"],
            "category": data["category"],
            "officers": _officer_objects(self.user, [str(pk) for pk in data["officers"]]),
            "non_site": data["non_site"],
            "non_site_source": data["non_site_source"],
            "joint_departments": split_list(data["joint_departments"]),
        }


class InspectionEditForm(InspectionForm):
    """Corrections to a draft: everything but the enterprise."""

    def __init__(self, *args: Any, user: User, inspection: Inspection, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {
            "date": inspection.date, "place": inspection.place,
            "category": inspection.category,
            "officers": list(inspection.officers.values_list("pk", flat=True)),
            "non_site": inspection.non_site, "non_site_source": inspection.non_site_source,
            "joint_departments": "、".join(inspection.joint_departments),
        })
        super().__init__(*args, user=user, **kwargs)
        self.inspection = inspection
        del self.fields["enterprise_q"], self.fields["enterprise"]
        self.fields["officers"].choices = officer_choices(user, inspection.date)

    def clean(self) -> dict[str, Any]:
        data = StyledForm.clean(self)
        data["enterprise_obj"] = self.inspection.enterprise
        return data

    def service_kwargs(self) -> dict[str, Any]:
        values = super().service_kwargs()
        del values["enterprise"]
        return values


class ResultForm(StyledForm):
    item = forms.TypedChoiceField(label=_("检查事项"), coerce=int)
    outcome = forms.ChoiceField(label=_("检查结果"), choices=InspectionResult.Outcome.choices,
                                widget=forms.RadioSelect, initial=InspectionResult.Outcome.OK)
    note = forms.CharField(label=_("说明"), required=False, max_length=500)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "result")
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [("", _("— 选择检查事项 —")), *checklist_choices()]

    def item_obj(self) -> ChecklistItem:
        return checklist_items().get(pk=self.cleaned_data["item"])


class FindingForm(StyledForm):
    description = forms.CharField(label=_("问题描述"), max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    item = forms.TypedChoiceField(label=_("对应检查事项（可不选）"), required=False, coerce=int,
                                  empty_value=None)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "finding")
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [("", _("— 不对应检查事项 —")), *checklist_choices()]

    def item_obj(self) -> ChecklistItem | None:
        pk = self.cleaned_data.get("item")
        return checklist_items().get(pk=pk) if pk else None


class EvidenceForm(StyledForm):
    file = forms.FileField(label=_("证据文件"), help_text=_(
        "照片、音视频、PDF、Word、Excel，单个文件不超过50MB"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = (
            "image/*,video/mp4,audio/mpeg,.pdf,.docx,.xlsx")


class FinishForm(StyledForm):
    signed_by = forms.CharField(label=_("被检查单位签字人"), required=False, max_length=50)
    refusal_reason = forms.CharField(label=_("或：拒绝签字情况"), required=False,
                                     max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "finish")
        super().__init__(*args, **kwargs)


class HazardForm(StyledForm):
    """Register a finding as a hazard (and issue the first rectification order)."""

    level = forms.ChoiceField(label=_("隐患等级"), choices=HazardLevel.choices,
                              widget=forms.RadioSelect, initial=HazardLevel.GENERAL)
    criterion = forms.TypedChoiceField(
        label=_("重大事故隐患判定依据"), required=False, coerce=int, empty_value=None,
        help_text=_("重大事故隐患应选择所符合的判定标准条款"))
    description = forms.CharField(label=_("隐患描述"), required=False, max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 2}),
                                  help_text=_("不填则使用检查发现的问题描述"))
    rectified_on_site = forms.BooleanField(label=_("当场整改（仅一般事故隐患）"), required=False)
    deadline = _date_field(_("整改期限"), required=False)
    requirements = forms.CharField(label=_("整改要求"), required=False, max_length=2000,
                                   widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["criterion"].choices = [("", _("— 选择判定标准条款 —")),
                                            *checklist_choices(major_only=True)]

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        pk = data.get("criterion")
        return {
            "level": data["level"],
            "criterion": checklist_items().get(pk=pk) if pk else None,
            "description": data["description"],
            "rectified_on_site": data["rectified_on_site"],
            "deadline": data["deadline"],
            "requirements": data["requirements"],
        }


class CaseLeadForm(StyledForm):
    """Turn a finding into a penalty-case lead: the catalogue items it suggests."""

    items = forms.MultipleChoiceField(label=_("涉及执法事项"), required=False)
    item_codes = forms.CharField(
        label=_("或填写事项编码"), required=False, max_length=500,
        help_text=_("多个编码用逗号或空格分隔"))
    facts = forms.CharField(label=_("线索情况"), required=False, max_length=4000,
                            widget=forms.Textarea(attrs={"rows": 3}),
                            help_text=_("不填则使用检查发现的问题描述"))

    def __init__(self, *args: Any, on: datetime.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = catalogue_choices(on)
        self.fields["items"].widget.attrs["size"] = 8

    def codes(self) -> list[str]:
        data = self.cleaned_data
        return list(dict.fromkeys([*data["items"], *split_list(data["item_codes"])]))


# --- hazards ---------------------------------------------------------------------------

OVERDUE_CHOICES = [("", _("不限")), ("orders", _("逾期未整改")),
                   ("reinspections", _("逾期未复查"))]


class HazardFilterForm(StyledForm):
    level = forms.ChoiceField(label=_("隐患等级"), required=False,
                              choices=[("", _("全部等级")), *HazardLevel.choices])
    status = forms.ChoiceField(label=_("状态"), required=False,
                               choices=[("", _("全部状态")), *Hazard.Status.choices])
    year = forms.TypedChoiceField(label=_("发现年度"), required=False, coerce=int,
                                  empty_value=None)
    overdue = forms.ChoiceField(label=_("逾期"), required=False, choices=OVERDUE_CHOICES)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("全部年度"))] + [
            (y, _("%(y)s年") % {"y": y}) for y in years]

    def filters(self) -> dict[str, Any]:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {key: data.get(key) or None for key in ("level", "status", "year", "overdue")}


class ReportForm(StyledForm):
    report_date = _date_field(_("整改报告日期"))
    text = forms.CharField(label=_("整改情况"), max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "report")
        super().__init__(*args, **kwargs)
        self.fields["report_date"].initial = timezone.localdate()


class ReinspectionForm(StyledForm):
    date = _date_field(_("复查日期"))
    officers = forms.TypedMultipleChoiceField(
        label=_("复查人员"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple,
        help_text=_("不得少于2人，须持有效执法证"))
    passed = forms.TypedChoiceField(
        label=_("复查结论"), coerce=lambda v: v == "yes", widget=forms.RadioSelect,
        choices=[("yes", _("整改合格，予以销号")), ("no", _("整改不合格"))])
    opinion = forms.CharField(label=_("复查意见"), max_length=4000,
                              widget=forms.Textarea(attrs={"rows": 3}))
    new_deadline = _date_field(_("重新确定的整改期限（不合格时）"), required=False)
    new_requirements = forms.CharField(label=_("整改要求（不合格时，可不填）"), required=False,
                                       max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    escalate = forms.BooleanField(label=_("或：移交立案查处（不合格时）"), required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "reinspection")
        super().__init__(*args, **kwargs)
        self.user = user
        today = timezone.localdate()
        self.fields["date"].initial = today
        self.fields["officers"].choices = officer_choices(user, today)
        if user.role == Role.OFFICER and not self.is_bound:
            self.fields["officers"].initial = [user.pk]

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "date": data["date"],
            "officers": _officer_objects(self.user, [str(pk) for pk in data["officers"]]),
            "passed": data["passed"],
            "opinion": data["opinion"],
            "new_deadline": data["new_deadline"],
            "new_requirements": data["new_requirements"],
            "escalate": data["escalate"],
        }


class SupervisionForm(StyledForm):
    level = forms.ChoiceField(label=_("督办级别"), choices=SupervisionLevel.choices)
    agency = forms.TypedChoiceField(label=_("督办机关"), coerce=int)
    listed_on = _date_field(_("挂牌日期"))
    note = forms.CharField(label=_("督办要求"), required=False, max_length=500)

    def __init__(self, *args: Any, hazard: Hazard, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "supervision")
        super().__init__(*args, **kwargs)
        self.agencies = {
            a.pk: a for a in Agency.objects.select_related("jurisdiction").order_by("id")
            if hazard.jurisdiction_path.startswith(a.jurisdiction.path)
        }
        self.fields["agency"].choices = [(pk, a.name) for pk, a in self.agencies.items()]
        self.fields["listed_on"].initial = timezone.localdate()
        if hazard.agency_id in self.agencies:
            self.fields["agency"].initial = hazard.agency_id

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"level": data["level"], "agency": self.agencies[data["agency"]],
                "listed_on": data["listed_on"], "note": data["note"]}


# --- assistance ------------------------------------------------------------------------

class YearForm(StyledForm):
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)

    def year_value(self) -> int:
        self.is_valid()
        return getattr(self, "cleaned_data", {}).get("year") or timezone.localdate().year


class AssistanceVisitForm(EnterprisePickerMixin, StyledForm):
    date = _date_field(_("服务日期"))
    expert = forms.CharField(label=_("专家"), max_length=100)
    expert_field = forms.CharField(label=_("专业领域"), required=False, max_length=100)
    problems = forms.CharField(label=_("发现的问题"), max_length=4000,
                               widget=forms.Textarea(attrs={"rows": 2}))
    advice = forms.CharField(label=_("指导意见"), max_length=4000,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "visit")
        super().__init__(*args, **kwargs)
        self._setup_picker(user)
        self.order_fields(["enterprise_q", "enterprise", "date", "expert", "expert_field",
                           "problems", "advice"])
        self.fields["enterprise_q"].widget.attrs["class"] = "form-control"
        self.fields["enterprise_q"].label = _("单位")
        self.fields["date"].initial = timezone.localdate()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        data["enterprise_obj"] = self.clean_enterprise_pick(data)
        return data


class KeyAssistedForm(EnterprisePickerMixin, StyledForm):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    reason = forms.CharField(label=_("列入原因"), max_length=300)

    def __init__(self, *args: Any, user: User, year: int, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "key")
        super().__init__(*args, **kwargs)
        self._setup_picker(user)
        self.order_fields(["enterprise_q", "enterprise", "year", "reason"])
        self.fields["enterprise_q"].widget.attrs["class"] = "form-control"
        self.fields["enterprise_q"].label = _("单位")
        self.fields["year"].initial = year

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        data["enterprise_obj"] = self.clean_enterprise_pick(data)
        return data
