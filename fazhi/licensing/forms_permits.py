"""Forms of the permit, project, consultation and upgrade pages. They check the shape of
the input; the services judge the law (their refusals come back as messages)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fazhi.core.models import Role, User
from fazhi.core.selectors import jurisdiction_list
from fazhi.inspection.forms import StyledForm
from fazhi.licensing.models_permits import (
    ApplicationKind,
    ApplicationPause,
    PermitApplication,
    PermitType,
    SiteVerification,
)
from fazhi.licensing.models_projects import (
    ConstructionProject,
    ConsultationRequest,
    RestrictedChemical,
    ReviewStage,
    ThreeSimultaneityReview,
    UpgradeEquipment,
)
from fazhi.licensing.services_permits import materials_for
from fazhi.subjects.models import Enterprise
from fazhi.subjects.selectors import enterprise_list

DATE = {"type": "date"}
ANY = [("", _("全部"))]


def date_field(label: Any, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, required=required, input_formats=["%Y-%m-%d"],
                           widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))


def text_field(label: Any, required: bool = True, rows: int = 3) -> forms.CharField:
    return forms.CharField(label=label, required=required, max_length=4000,
                           widget=forms.Textarea(attrs={"rows": rows}))


def _years() -> list[tuple[str, str]]:
    this = timezone.localdate().year
    return ANY + [(str(y), f"{y}年") for y in range(this, 2019, -1)]


class UsccField(forms.CharField):
    """An enterprise by its 统一社会信用代码, looked up in the user's scope."""

    def __init__(self, **kw: Any) -> None:
        super().__init__(label=_("单位统一社会信用代码"), max_length=18, min_length=18, **kw)


def _enterprise(form: forms.Form, user: User, uscc: str) -> Enterprise | None:
    found = enterprise_list(user=user).filter(uscc=uscc.strip().upper()).first()
    if found is None:
        form.add_error("uscc", _("未找到该单位，或该单位不在您的辖区内"))
    return found


# --- filters -------------------------------------------------------------------------------

class ApplicationFilterForm(StyledForm):
    permit_type = forms.ChoiceField(label=_("许可证种类"), required=False, choices=[
        *ANY, *PermitType.choices, ("production,use", _("生产和使用许可证"))])
    kind = forms.ChoiceField(label=_("申请事项"), required=False, choices=[
        *ANY, *ApplicationKind.choices, ("issue,renew,change", _("核发、换证、变更"))])
    status = forms.ChoiceField(label=_("状态"), required=False,
                               choices=ANY + list(PermitApplication.Status.choices))
    year = forms.TypedChoiceField(label=_("收件年度"), required=False, coerce=int,
                                  empty_value=None, choices=_years)
    decided_year = forms.TypedChoiceField(label=_("决定年度"), required=False, coerce=int,
                                          empty_value=None, choices=_years)
    jurisdiction = forms.CharField(label=_("区划代码"), required=False, max_length=12)
    q = forms.CharField(label=_("单位或文号"), required=False, max_length=100)

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v not in ("", None)}


class PermitFilterForm(StyledForm):
    permit_type = forms.ChoiceField(label=_("许可证种类"), required=False,
                                    choices=ANY + list(PermitType.choices))
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[
        *ANY, ("valid", _("有效")), ("expired", _("已过期")), ("suspended", _("暂扣")),
        ("revoked", _("吊销")), ("superseded", _("已换证"))])
    expiring_within = forms.TypedChoiceField(
        label=_("到期提醒"), required=False, coerce=int, empty_value=None,
        choices=[*ANY, ("30", _("30日内到期")), ("90", _("90日内到期")), ("180", _("180日内到期"))])
    jurisdiction = forms.CharField(label=_("区划代码"), required=False, max_length=12)
    q = forms.CharField(label=_("单位或证号"), required=False, max_length=100)

    filters = ApplicationFilterForm.filters


class YearFilterForm(StyledForm):
    year = forms.TypedChoiceField(label=_("年度"), required=False, coerce=int,
                                  empty_value=None, choices=_years)
    jurisdiction = forms.CharField(label=_("区划代码"), required=False, max_length=12)

    filters = ApplicationFilterForm.filters


class ConsultationFilterForm(YearFilterForm):
    outcome = forms.ChoiceField(label=_("会商结论"), required=False,
                                choices=ANY + list(ConsultationRequest.Outcome.choices))


# --- applications --------------------------------------------------------------------------

class ApplicationForm(StyledForm):
    uscc = UsccField()
    permit_type = forms.ChoiceField(label=_("许可证种类"), choices=PermitType.choices)
    kind = forms.ChoiceField(label=_("申请事项"), choices=ApplicationKind.choices)
    permit_number = forms.CharField(label=_("原许可证编号（换证、变更、延期）"), required=False,
                                    max_length=60)
    received_on = date_field(_("收件日期"))
    scope = text_field(_("申请许可范围"), required=False)
    change_note = text_field(_("变更事项"), required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("uscc"):
            data["enterprise"] = _enterprise(self, self.user, data["uscc"])
        number = (data.get("permit_number") or "").strip()
        data["permit"] = None
        if number:
            from fazhi.licensing.selectors_permits import permit_list

            data["permit"] = permit_list(user=self.user).filter(number=number).first()
            if data["permit"] is None:
                self.add_error("permit_number", _("未找到该许可证"))
        return data

    def service_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {k: d[k] for k in ("enterprise", "permit_type", "kind", "received_on", "scope",
                                  "change_note", "permit")}


def checklist_field(app: PermitApplication) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=_("已提交材料"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(m["code"], m["label"]) for m in materials_for(app.permit_type, app.kind)],
        initial=list(app.materials))


class CorrectionForm(StyledForm):
    notified_on = date_field(_("告知日期"))
    note = text_field(_("补正说明"), required=False, rows=2)

    def __init__(self, *args: Any, app: PermitApplication, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["materials"] = checklist_field(app)


class AcceptForm(StyledForm):
    accepted_on = date_field(_("受理日期"))

    def __init__(self, *args: Any, app: PermitApplication, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["materials"] = checklist_field(app)


class NotAcceptForm(StyledForm):
    decided_on = date_field(_("决定日期"))
    reason = text_field(_("不予受理理由"))


class VerificationForm(StyledForm):
    verified_on = date_field(_("核查日期"))
    verifiers = forms.ModelMultipleChoiceField(label=_("核查人员（两名以上）"),
                                               queryset=User.objects.none(),
                                               widget=forms.CheckboxSelectMultiple)
    findings = text_field(_("核查情况"))
    result = forms.ChoiceField(label=_("核查结论"), choices=SiteVerification.Result.choices)

    def __init__(self, *args: Any, app: PermitApplication, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["verifiers"].queryset = User.objects.filter(
            agency_id=app.agency_id, is_active=True,
            role__in=[Role.OFFICER, Role.LEADER]).order_by("full_name")
        self.fields["verifiers"].label_from_instance = lambda u: u.display_name


class PauseForm(StyledForm):
    reason = forms.ChoiceField(label=_("事由"), choices=ApplicationPause.Reason.choices)
    started_on = date_field(_("开始日期"))
    ended_on = date_field(_("结束日期"))
    notified_on = date_field(_("书面告知申请人日期"))


class ExtensionForm(StyledForm):
    approved_on = date_field(_("批准日期"))
    approved_by = forms.CharField(label=_("批准延长的负责人"), max_length=50)
    reason = text_field(_("延长理由"), rows=2)


class DecisionForm(StyledForm):
    decided_on = date_field(_("决定日期"))
    approve = forms.TypedChoiceField(label=_("决定"), coerce=lambda v: v == "1",
                                     choices=[("1", _("准予许可")), ("0", _("不予许可"))])
    reasons = text_field(_("理由（不予许可必填）"), required=False)
    scope = text_field(_("许可范围（不填沿用申请）"), required=False, rows=2)


# --- permits -------------------------------------------------------------------------------

class SuspendForm(StyledForm):
    case = forms.IntegerField(label=_("行政处罚案件编号（ID）"), min_value=1)
    decided_on = date_field(_("决定日期"))
    until = date_field(_("暂扣至"))
    reason = text_field(_("暂扣理由"), rows=2)


class RevokeForm(StyledForm):
    case = forms.IntegerField(label=_("行政处罚案件编号（ID）"), min_value=1)
    decided_on = date_field(_("决定日期"))
    reason = text_field(_("吊销理由"), rows=2)


class RestoreForm(StyledForm):
    restored_on = date_field(_("发还日期"))
    reason = text_field(_("发还理由"), rows=2)


# --- projects ------------------------------------------------------------------------------

class ProjectForm(StyledForm):
    uscc = UsccField()
    name = forms.CharField(label=_("项目名称"), max_length=200)
    nature = forms.ChoiceField(label=_("建设性质"), choices=ConstructionProject.Nature.choices)
    description = text_field(_("项目概况"), required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("uscc"):
            data["enterprise"] = _enterprise(self, self.user, data["uscc"])
        return data


class ReviewApplyForm(StyledForm):
    stage = forms.ChoiceField(label=_("审查环节"), choices=ReviewStage.choices)
    applied_on = date_field(_("申请日期"))
    experts = forms.CharField(label=_("评审专家"), required=False, max_length=1000)


class ReviewConcludeForm(StyledForm):
    review = forms.ModelChoiceField(label=_("审查"),
                                    queryset=ThreeSimultaneityReview.objects.none())
    concluded_on = date_field(_("审查完成日期"))
    outcome = forms.ChoiceField(label=_("审查结论"),
                                choices=ThreeSimultaneityReview.Outcome.choices)
    opinion = text_field(_("审查意见"))

    def __init__(self, *args: Any, project: ConstructionProject, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["review"].queryset = project.reviews.filter(concluded_on__isnull=True)
        self.fields["review"].label_from_instance = (
            lambda r: f"{r.get_stage_display()}（{r.applied_on:%Y-%m-%d}申请）")


class ConsultationForm(StyledForm):
    project_name = forms.CharField(label=_("项目名称"), max_length=200)
    applicant = forms.CharField(label=_("项目单位"), max_length=200)
    jurisdiction = forms.ModelChoiceField(label=_("拟建地"), queryset=None)
    description = text_field(_("项目概况"))
    chemicals = text_field(_("涉及化学品（每行一种：名称 CAS号）"), rows=5)
    received_on = date_field(_("收到日期"))

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = jurisdiction_list(user=user).order_by("code")


class ConsultationConcludeForm(StyledForm):
    concluded_on = date_field(_("会商完成日期"))
    experts = forms.CharField(label=_("会商专家"), max_length=1000)
    outcome = forms.ChoiceField(label=_("会商结论"), choices=ConsultationRequest.Outcome.choices)
    opinion = text_field(_("会商意见"))
    reasons = text_field(_("否决理由（否决必填）"), required=False)


class RestrictionForm(StyledForm):
    name = forms.CharField(label=_("化学品名称"), max_length=100)
    cas = forms.CharField(label=_("CAS号"), required=False, max_length=20)
    restriction = forms.ChoiceField(label=_("管控类别"),
                                    choices=RestrictedChemical.Restriction.choices)
    basis = text_field(_("依据"), rows=2)


class CheckForm(StyledForm):
    chemicals = text_field(_("待比对化学品（每行一种：名称 CAS号）"), rows=4)


class UpgradeForm(ProjectForm):
    nature = None  # type: ignore[assignment]
    started_on = date_field(_("开工日期"))


class EquipmentForm(StyledForm):
    name = forms.CharField(label=_("设备名称"), max_length=100)
    action = forms.ChoiceField(label=_("处理方式"), choices=UpgradeEquipment.Action.choices)
    quantity = forms.IntegerField(label=_("数量"), min_value=1, max_value=100000)
    unit = forms.ChoiceField(label=_("单位"), choices=UpgradeEquipment.Unit.choices)


class CompleteForm(StyledForm):
    completed_on = date_field(_("完成日期"))

