"""Forms of the major-decision pages; the services (`services_decisions`) decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from fazhi.inspection.forms import StyledForm
from fazhi.policy.forms_normdocs import date_field
from fazhi.policy.models_decisions import DecisionStep, StepKind


class CatalogueForm(StyledForm):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("名称"), max_length=200, required=False)
    published_on = date_field(_("公布日期"), required=False)


class DecisionAddForm(StyledForm):
    title = forms.CharField(label=_("决策事项"), max_length=300)
    undertaker = forms.CharField(label=_("承办单位"), max_length=100)
    planned_by = forms.CharField(label=_("计划完成时间"), max_length=50, required=False)
    summary = forms.CharField(label=_("主要内容"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))


class StepForm(StyledForm):
    kind = forms.ChoiceField(widget=forms.HiddenInput, choices=StepKind.choices)
    started_on = date_field(_("开始日期"))
    completed_on = date_field(_("完成日期"), required=False)
    summary = forms.CharField(label=_("情况记录"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    participants = forms.CharField(label=_("参加人员/专家"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 2}))
    meeting = forms.CharField(label=_("会议"), required=False, max_length=100)
    comment_from = date_field(_("征求意见开始"), required=False)
    comment_until = date_field(_("征求意见截止"), required=False)
    urgent_reason = forms.CharField(label=_("缩短期限的说明（不足30日时必填）"), required=False,
                                    widget=forms.Textarea(attrs={"rows": 2}))
    risk_level = forms.ChoiceField(label=_("风险等级"), required=False,
                                   choices=DecisionStep.Risk.choices)
    legality = forms.ChoiceField(label=_("审查结论"), required=False,
                                 choices=DecisionStep.Legality.choices)

    # the fields each step shows (besides dates and summary)
    EXTRA = {
        StepKind.PUBLIC: ("comment_from", "comment_until", "urgent_reason"),
        StepKind.EXPERT: ("participants",),
        StepKind.RISK: ("risk_level",),
        StepKind.LEGALITY: ("legality",),
        StepKind.COLLECTIVE: ("meeting", "participants"),
    }


class CommentForm(StyledForm):
    received_on = date_field(_("收到日期"))
    source = forms.CharField(label=_("意见来源"), max_length=100,
                             help_text=_("如：企业、行业协会、公众（不记录个人身份信息）"))
    content = forms.CharField(label=_("意见内容"), widget=forms.Textarea(attrs={"rows": 2}))
    adopted = forms.TypedChoiceField(
        label=_("是否采纳"), required=False, empty_value=None,
        coerce=lambda v: {"1": True, "0": False}.get(v),
        choices=[("", _("待研究")), ("1", _("采纳")), ("0", _("不采纳"))])
    response = forms.CharField(label=_("采纳情况说明"), required=False,
                               widget=forms.Textarea(attrs={"rows": 2}))


class FileForm(StyledForm):
    step = forms.ChoiceField(label=_("所属程序"), required=False,
                             choices=[("", _("决策整体")), *list(StepKind.choices)])
    file = forms.FileField(label=_("文件"))


class AdoptForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    adopted_on = date_field(_("决定日期"))
    decision_text = forms.CharField(label=_("决定内容"),
                                    widget=forms.Textarea(attrs={"rows": 3}))


class PublishForm(StyledForm):
    published_on = date_field(_("公布日期"))
    published_where = forms.CharField(label=_("公布载体"), max_length=100,
                                      initial=_("市应急管理局门户网站"))


class EvaluationForm(StyledForm):
    evaluated_on = date_field(_("评估日期"))
    evaluator = forms.CharField(label=_("评估单位"), max_length=100)
    trigger = forms.CharField(label=_("评估原因"), max_length=200, required=False)
    conclusion = forms.CharField(label=_("评估结论"), widget=forms.Textarea(attrs={"rows": 3}))
