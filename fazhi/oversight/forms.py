"""Forms of the oversight pages: the portal's tip form and tracking form, and one form per
staff action. They shape the input; the services decide and refuse in Chinese."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from fazhi.core.models import Jurisdiction
from fazhi.inspection.forms import StyledForm
from fazhi.oversight.models import (
    AccidentClass,
    DisclosureRequest,
    PostColumn,
    Tip,
    TipKind,
    TipReward,
)
from fazhi.oversight.services import CONTENT_MAX


def _date(label: Any, *, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, required=required, input_formats=["%Y-%m-%d"],
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


def _area_choices() -> list[tuple[str, str]]:
    """The counties (and zones) of the city: where the matter is."""
    rows = Jurisdiction.objects.filter(level__in=[Jurisdiction.Level.CITY,
                                                  Jurisdiction.Level.COUNTY,
                                                  Jurisdiction.Level.ZONE]).order_by("code")
    return [("", _("请选择")), *((j.code, j.name) for j in rows)]


class TipForm(StyledForm):
    """举报 (portal and staff). `website` is a honeypot: hidden from people, filled in by
    bots; a submission with it is dropped."""

    kind = forms.ChoiceField(label=_("举报类别"), choices=TipKind.choices)
    area = forms.ChoiceField(label=_("所在地区"), choices=())
    subject_name = forms.CharField(label=_("被举报单位或场所"), max_length=200)
    place = forms.CharField(label=_("具体地点"), max_length=200, required=False)
    content = forms.CharField(label=_("举报内容"), max_length=CONTENT_MAX,
                              widget=forms.Textarea(attrs={"rows": 6}),
                              help_text=_("请写明时间、地点、具体情形，最多5000字"))
    anonymous = forms.BooleanField(label=_("匿名举报（匿名举报无法领取奖励）"), required=False)
    name = forms.CharField(label=_("姓名"), max_length=50, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    id_number = forms.CharField(label=_("身份证号（领取奖励时需要，可不填）"), max_length=18,
                                required=False)
    contact = forms.CharField(label=_("其他联系方式"), max_length=200, required=False)
    website = forms.CharField(label=_("请勿填写"), required=False,
                              widget=forms.TextInput(attrs={"autocomplete": "off",
                                                            "tabindex": "-1"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = _area_choices()


class StaffTipForm(TipForm):
    channel = forms.ChoiceField(label=_("举报渠道"), choices=[
        c for c in Tip.Channel.choices if c[0] != Tip.Channel.PORTAL])


class TrackForm(StyledForm):
    code = forms.CharField(label=_("查询码"), max_length=20)
    secret = forms.CharField(label=_("查询密码"), max_length=20,
                             widget=forms.PasswordInput(render_value=False))


class DayForm(StyledForm):
    on = _date(_("日期"), required=False)


class ReasonForm(StyledForm):
    reason = forms.CharField(label=_("理由"), max_length=1000, widget=forms.Textarea(
        attrs={"rows": 2}))
    on = _date(_("日期"), required=False)


class ExtendForm(StyledForm):
    days = forms.IntegerField(label=_("延长天数"), min_value=1, max_value=30)
    reason = forms.CharField(label=_("延长理由"), max_length=1000)


class LinkForm(StyledForm):
    inspection = forms.IntegerField(label=_("核查检查编号（ID）"), required=False, min_value=1)
    case = forms.IntegerField(label=_("立案查处案件编号（ID）"), required=False, min_value=1)


class ConcludeForm(StyledForm):
    outcome = forms.ChoiceField(label=_("核查结论"), choices=Tip.Outcome.choices)
    summary = forms.CharField(label=_("核查处理情况（向举报人反馈）"), max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))
    accident_class = forms.ChoiceField(label=_("最终确认的事故等级（瞒报谎报事故）"),
                                       choices=[("", "—"), *AccidentClass.choices],
                                       required=False)
    concealed_deaths = forms.IntegerField(label=_("查实瞒报谎报死亡人数"), min_value=0,
                                          max_value=1000, initial=0, required=False)
    on = _date(_("办结日期"), required=False)


class RewardDecideForm(StyledForm):
    approve = forms.TypedChoiceField(label=_("审批结果"), coerce=lambda v: v == "1",
                                     choices=[("1", _("批准")), ("0", _("不予奖励"))])
    reason = forms.CharField(label=_("审批意见"), max_length=1000)


class RewardPayForm(StyledForm):
    method = forms.ChoiceField(label=_("发放方式"), choices=TipReward.Method.choices)
    voucher = forms.CharField(label=_("凭证号"), max_length=60)
    on = _date(_("发放日期"), required=False)


class RemarkForm(StyledForm):
    subject = forms.CharField(label=_("事项"), max_length=200)
    text = forms.CharField(label=_("监督意见"), max_length=3000,
                           widget=forms.Textarea(attrs={"rows": 4}))


class AnswerForm(StyledForm):
    answer = forms.CharField(label=_("书面答复"), max_length=5000,
                             widget=forms.Textarea(attrs={"rows": 4}))


class AppointForm(StyledForm):
    user = forms.IntegerField(label=_("监督员用户ID"), min_value=1)
    name = forms.CharField(label=_("姓名"), max_length=50)
    work_unit = forms.CharField(label=_("工作单位及身份"), max_length=200, required=False)
    term_start = _date(_("聘期起"))
    term_end = _date(_("聘期止"))


class DisclosureForm(StyledForm):
    applicant_kind = forms.ChoiceField(label=_("申请人类型"),
                                       choices=DisclosureRequest.ApplicantKind.choices)
    applicant_name = forms.CharField(label=_("申请人"), max_length=200)
    applicant_contact = forms.CharField(label=_("联系方式"), max_length=200)
    description = forms.CharField(label=_("所需政府信息"), max_length=3000,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    form_requested = forms.ChoiceField(label=_("要求的提供形式"),
                                       choices=DisclosureRequest.Form.choices)
    channel = forms.ChoiceField(label=_("提交方式"), choices=DisclosureRequest.Channel.choices)
    received_on = _date(_("收到申请日期"))


class SupplementForm(StyledForm):
    requested_on = _date(_("告知补正日期"))
    received_on = _date(_("收到补正日期"), required=False)


class DisclosureAnswerForm(StyledForm):
    kind = forms.ChoiceField(label=_("答复类型"), choices=DisclosureRequest.AnswerKind.choices)
    form = forms.ChoiceField(label=_("提供形式"), choices=DisclosureRequest.Form.choices)
    text = forms.CharField(label=_("答复内容"), max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 3}))
    on = _date(_("答复日期"), required=False)


class PostForm(StyledForm):
    column = forms.ChoiceField(label=_("栏目"), choices=PostColumn.choices)
    title = forms.CharField(label=_("标题"), max_length=200)
    body = forms.CharField(label=_("正文"), max_length=20000,
                           widget=forms.Textarea(attrs={"rows": 6}))
    publish_at = forms.DateTimeField(
        label=_("定时发布（留空为立即发布）"), required=False,
        input_formats=["%Y-%m-%dT%H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))


class PostWithdrawForm(StyledForm):
    """撤下 a post: the reason is required by the service (`services.post_withdraw`),
    which refuses an empty one in Chinese."""

    reason = forms.CharField(label=_("撤下原因"), max_length=200, required=False)
