"""Forms of the normative-document and cleanup pages. They shape the input only; the
services (`fazhi.policy.services_normdocs`) decide and refuse in Chinese."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from fazhi.inspection.forms import StyledForm
from fazhi.policy.models_normdocs import CleanupOutcome, DocIssuer, DocStatus
from fazhi.policy.rules.normdocs import MAX_VALID_YEARS


def date_field(label: Any, *, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, required=required, input_formats=["%Y-%m-%d"],
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


YEARS = [("", _("全部年度"))] + [(str(y), f"{y}年") for y in range(2026, 2008, -1)]


class NormdocFilterForm(StyledForm):
    q = forms.CharField(label=_("标题或文号"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("状态"), required=False,
                               choices=[("", _("全部")), *list(DocStatus.choices)])
    issuer = forms.ChoiceField(label=_("制发名义"), required=False,
                               choices=[("", _("全部")), *list(DocIssuer.choices)])
    year = forms.TypedChoiceField(label=_("年度"), required=False, choices=YEARS, coerce=int,
                                  empty_value=None)


class NormdocCreateForm(StyledForm):
    title = forms.CharField(label=_("标题"), max_length=300)
    issuer = forms.ChoiceField(label=_("制发名义"), choices=DocIssuer.choices,
                               help_text=_("以市政府办公室名义制发的，由本局起草、市府办印发"))
    drafted_on = date_field(_("起草日期"))
    valid_years = forms.IntegerField(label=_("有效期（年）"), min_value=1,
                                     max_value=MAX_VALID_YEARS, initial=MAX_VALID_YEARS)
    text = forms.CharField(label=_("正文（粘贴）"), required=False,
                           widget=forms.Textarea(attrs={"rows": 8}))
    upload = forms.FileField(label=_("或上传正文文件（.docx / .pdf）"), required=False)


class TextForm(StyledForm):
    title = forms.CharField(label=_("标题"), max_length=300)
    valid_years = forms.IntegerField(label=_("有效期（年）"), min_value=1,
                                     max_value=MAX_VALID_YEARS)
    text = forms.CharField(label=_("正文（粘贴）"), required=False,
                           widget=forms.Textarea(attrs={"rows": 10}))
    upload = forms.FileField(label=_("或上传正文文件（.docx / .pdf，上传后替换正文）"),
                             required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class MoveForm(StyledForm):
    move = forms.CharField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    on = date_field(_("日期"), required=False)
    reason = forms.CharField(label=_("理由"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))
    number = forms.CharField(label=_("市府办文号"), required=False, max_length=60)
    published_on = date_field(_("公布日期"), required=False)
    effective_on = date_field(_("施行日期"), required=False)
    valid_years = forms.IntegerField(label=_("有效期（年）"), required=False, min_value=1,
                                     max_value=MAX_VALID_YEARS)
    published_where = forms.CharField(label=_("公布载体"), required=False, max_length=100,
                                      initial=_("市应急管理局门户网站"))


class OpinionForm(StyledForm):
    clause = forms.CharField(label=_("条款"), max_length=200)
    opinion = forms.CharField(label=_("审查意见"), widget=forms.Textarea(attrs={"rows": 2}))


class AnswerForm(StyledForm):
    adopted = forms.TypedChoiceField(label=_("是否采纳"), coerce=lambda v: v == "1",
                                     choices=[("1", _("采纳")), ("0", _("不采纳"))])
    response = forms.CharField(label=_("说明"), required=False,
                               widget=forms.Textarea(attrs={"rows": 2}))


class ConcludeForm(StyledForm):
    conclusion = forms.ChoiceField(label=_("审查结论"), choices=[
        ("legal", _("合法")), ("amend", _("修改后合法")), ("illegal", _("不合法"))])
    concluded_on = date_field(_("审查完成日期"))
    summary = forms.CharField(label=_("审查意见书摘要"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))


class DeliberationForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    deliberated_on = date_field(_("审议日期"))
    meeting = forms.CharField(label=_("审议会议"), max_length=100,
                              initial=_("局长办公会议"))
    minutes = forms.CharField(label=_("审议纪要"), widget=forms.Textarea(attrs={"rows": 3}))


class AmendForm(StyledForm):
    reason = forms.CharField(label=_("修改理由"), widget=forms.Textarea(attrs={"rows": 2}))


class CleanupCreateForm(StyledForm):
    title = forms.CharField(label=_("名称"), max_length=200)
    issuer = forms.ChoiceField(label=_("清理范围"), choices=DocIssuer.choices)
    started_on = date_field(_("开始日期"))
    basis = forms.CharField(label=_("清理依据"), required=False,
                            widget=forms.Textarea(attrs={"rows": 2}))


class CleanupResultForm(StyledForm):
    row = forms.IntegerField(widget=forms.HiddenInput)
    result = forms.ChoiceField(label=_("清理结果"), choices=CleanupOutcome.choices)
    reason = forms.CharField(label=_("理由"), required=False, max_length=2000)


class DayForm(StyledForm):
    day = date_field(_("日期"))
