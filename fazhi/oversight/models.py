"""Tables of the oversight app (政务公开与执法监督): tips and their rewards (举报、举报奖励),
social supervisors (社会监督员) with their remarks and the bureau's answers, disclosure
on request (依申请公开) and the portal's news posts (网站信息).

The informant's identity of a tip (name, phone, ID number, contact) is only ever stored
encrypted (`identity_token`, see `fazhi.oversight.crypto`); reading it needs the
permission `oversight.view_tip_identity` (the tip desk, 举报受理岗).

Every write goes through `fazhi.oversight.services`, which writes the event record."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fazhi.core.models import Agency, Jurisdiction, yuan_field
from fazhi.subjects.models import Enterprise


class TipKind(models.TextChoices):
    """The two kinds of the 安全生产领域举报奖励办法 (the API's `tip_type`)."""

    HAZARD = "major_hazard_or_illegal_operation", _("重大事故隐患或安全生产违法行为")
    CONCEALED = "concealed_accident", _("瞒报、谎报生产安全事故")


class AccidentClass(models.TextChoices):
    """生产安全事故报告和调查处理条例 第三条 (the codes of `fazhi.legal.rules.accidents`)."""

    ORDINARY = "ordinary", _("一般事故")
    LARGE = "large", _("较大事故")
    MAJOR = "major", _("重大事故")
    EXTRAORDINARY = "extraordinary", _("特别重大事故")


class Tip(models.Model):
    """A tip (举报) on a major hazard, an illegal operation or a concealed accident."""

    class Channel(models.TextChoices):
        PORTAL = "portal", _("网上举报")
        PHONE = "phone", _("电话举报（12350）")
        LETTER = "letter", _("信件")
        VISIT = "visit", _("来访")

    class Status(models.TextChoices):
        RECEIVED = "received", _("待受理")
        ACCEPTED = "accepted", _("核查中")
        NOT_ACCEPTED = "not_accepted", _("不予受理")
        CONCLUDED = "concluded", _("已办结")

    class Outcome(models.TextChoices):
        SUBSTANTIATED = "substantiated", _("举报属实")
        PARTLY = "partly", _("部分属实")
        UNFOUNDED = "unfounded", _("举报不属实")

    code = models.CharField(_("查询码"), max_length=20, unique=True)
    secret_hash = models.CharField(max_length=64, editable=False)
    kind = models.CharField(_("举报类别"), max_length=40, choices=TipKind.choices)
    channel = models.CharField(_("举报渠道"), max_length=10, choices=Channel.choices)
    anonymous = models.BooleanField(_("匿名举报"), default=False)
    # Fernet token of {"name", "phone", "id_number", "contact"}: never stored in clear.
    identity_token = models.TextField(blank=True, editable=False)
    enterprise = models.ForeignKey(Enterprise, verbose_name=_("被举报单位"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="tips")
    subject_name = models.CharField(_("被举报单位或场所"), max_length=200)
    place = models.CharField(_("地点"), max_length=200, blank=True)
    content = models.TextField(_("举报内容"))
    jurisdiction = models.ForeignKey(Jurisdiction, verbose_name=_("属地"),
                                     on_delete=models.PROTECT, related_name="tips")
    jurisdiction_path = models.CharField(max_length=255, editable=False, db_index=True)
    agency = models.ForeignKey(Agency, verbose_name=_("承办机关"), on_delete=models.PROTECT,
                               related_name="tips")
    received_at = models.DateTimeField(_("收到时间"), default=timezone.now)
    received_on = models.DateField(_("收到日期"))
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"),
                                   null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    status = models.CharField(_("办理状态"), max_length=14, choices=Status.choices,
                              default=Status.RECEIVED)
    accept_due = models.DateField(_("受理期限"))
    accepted_on = models.DateField(_("受理日期"), null=True, blank=True)
    not_accepted_reason = models.TextField(_("不予受理理由"), blank=True)
    handling_due = models.DateField(_("办结期限"), null=True, blank=True)
    extension_days = models.PositiveIntegerField(_("延长天数"), default=0)
    extension_reason = models.TextField(_("延长理由"), blank=True)
    concluded_on = models.DateField(_("办结日期"), null=True, blank=True)
    outcome = models.CharField(_("核查结论"), max_length=14, choices=Outcome.choices,
                               blank=True)
    outcome_summary = models.TextField(_("核查处理情况（向举报人反馈）"), blank=True)
    feedback_due = models.DateField(_("反馈期限"), null=True, blank=True)
    feedback_on = models.DateField(_("反馈日期"), null=True, blank=True)
    inspection = models.ForeignKey("inspection.Inspection", verbose_name=_("核查检查"),
                                   null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="tips")
    case = models.ForeignKey("cases.PenaltyCase", verbose_name=_("立案查处案件"), null=True,
                             blank=True, on_delete=models.PROTECT, related_name="tips")
    accident_class = models.CharField(_("最终确认的事故等级"), max_length=16, blank=True,
                                      choices=AccidentClass.choices)
    concealed_deaths = models.PositiveIntegerField(_("查实瞒报谎报死亡人数"), default=0)
    citations = models.JSONField(_("法律依据"), default=list)

    class Meta:
        verbose_name = _("举报")
        verbose_name_plural = _("举报")
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["jurisdiction_path", "received_on"]),
                   models.Index(fields=["received_on"])]
        permissions = [("view_tip_identity", _("查看举报人身份信息（举报受理岗）"))]

    def __str__(self) -> str:
        return f"{self.code} {self.subject_name}"

    def save(self, *args, **kwargs) -> None:
        self.jurisdiction_path = self.jurisdiction.path
        super().save(*args, **kwargs)


class TipReward(models.Model):
    """The reward of a substantiated tip: computed by `rules.rewards`, approved by a
    head, the tipster notified (60 days to claim), paid and recorded."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("待审批")
        APPROVED = "approved", _("已批准，待领取")
        REFUSED = "refused", _("不予奖励")
        PAID = "paid", _("已发放")

    class Method(models.TextChoices):
        CASH = "cash", _("现场领取")
        BANK = "bank", _("银行转账")

    tip = models.OneToOneField(Tip, verbose_name=_("举报"), on_delete=models.PROTECT,
                               related_name="reward")
    tip_type = models.CharField(_("举报类别"), max_length=40, choices=TipKind.choices)
    penalty_amount = yuan_field(_("行政处罚金额（元）"), default=0)
    accident_class = models.CharField(_("事故等级"), max_length=16, blank=True,
                                      choices=AccidentClass.choices)
    concealed_deaths = models.PositiveIntegerField(_("查实瞒报谎报死亡人数"), default=0)
    amount = yuan_field(_("奖励金额（元）"))
    method_note = models.TextField(_("计算说明"))
    citations = models.JSONField(_("法律依据"), default=list)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices,
                              default=Status.PROPOSED)
    proposed_on = models.DateField(_("提出日期"))
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("提出人"),
                                    on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField(_("审批日期"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审批人"),
                                   null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decision_reason = models.TextField(_("审批意见"), blank=True)
    claim_due = models.DateField(_("领取期限"), null=True, blank=True)
    paid_on = models.DateField(_("发放日期"), null=True, blank=True)
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发放人"),
                                null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    method = models.CharField(_("发放方式"), max_length=6, choices=Method.choices, blank=True)
    voucher = models.CharField(_("凭证号"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("举报奖励")
        verbose_name_plural = _("举报奖励")
        ordering = ["-proposed_on", "-id"]
        constraints = [models.CheckConstraint(name="tip_reward_amount_not_negative",
                                              condition=models.Q(amount__gte=0))]

    def __str__(self) -> str:
        return f"{self.tip.code} {self.amount}"


class Supervisor(models.Model):
    """The appointment of a social supervisor (社会监督员聘任): the user (role
    supervisor, scoped to `user.supervised_jurisdiction`), the term and the certificate
    (聘书) the bureau issues."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("用户"),
                                on_delete=models.PROTECT, related_name="supervisor_appointment")
    agency = models.ForeignKey(Agency, verbose_name=_("聘任机关"), on_delete=models.PROTECT,
                               related_name="supervisors")
    jurisdiction = models.ForeignKey(Jurisdiction, verbose_name=_("监督辖区"),
                                     on_delete=models.PROTECT, related_name="+")
    jurisdiction_path = models.CharField(max_length=255, editable=False, db_index=True)
    name = models.CharField(_("姓名"), max_length=50)
    work_unit = models.CharField(_("工作单位及身份"), max_length=200, blank=True)
    certificate_number = models.CharField(_("聘书编号"), max_length=60, unique=True)
    appointed_on = models.DateField(_("聘任日期"))
    term_start = models.DateField(_("聘期起"))
    term_end = models.DateField(_("聘期止"))
    dismissed_on = models.DateField(_("解聘日期"), null=True, blank=True)
    dismissed_reason = models.CharField(_("解聘原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("社会监督员")
        verbose_name_plural = _("社会监督员")
        ordering = ["certificate_number"]
        constraints = [models.CheckConstraint(
            name="supervisor_term_range", condition=models.Q(term_end__gte=models.F("term_start")))]

    def __str__(self) -> str:
        return f"{self.name}（{self.certificate_number}）"

    def save(self, *args, **kwargs) -> None:
        self.jurisdiction_path = self.jurisdiction.path
        super().save(*args, **kwargs)

    def serving_on(self, day) -> bool:
        return (self.term_start <= day <= self.term_end
                and (self.dismissed_on is None or day < self.dismissed_on))


class SupervisorRemark(models.Model):
    """A supervisor's remark (监督意见) and the bureau's written answer (书面答复) due
    by `answer_due`."""

    supervisor = models.ForeignKey(Supervisor, verbose_name=_("社会监督员"),
                                   on_delete=models.PROTECT, related_name="remarks")
    agency = models.ForeignKey(Agency, verbose_name=_("答复机关"), on_delete=models.PROTECT,
                               related_name="supervisor_remarks")
    jurisdiction_path = models.CharField(max_length=255, editable=False, db_index=True)
    subject = models.CharField(_("事项"), max_length=200)
    text = models.TextField(_("监督意见"))
    submitted_on = models.DateField(_("提出日期"))
    answer_due = models.DateField(_("答复期限"))
    answer = models.TextField(_("书面答复"), blank=True)
    answered_on = models.DateField(_("答复日期"), null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("答复人"),
                                    null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        verbose_name = _("监督意见")
        verbose_name_plural = _("监督意见")
        ordering = ["-submitted_on", "-id"]

    def __str__(self) -> str:
        return self.subject

    def save(self, *args, **kwargs) -> None:
        self.jurisdiction_path = self.agency.jurisdiction.path
        super().save(*args, **kwargs)


class DisclosureRequest(models.Model):
    """A request for government information (政府信息公开申请, 《政府信息公开条例》(2019)
    第二十七条起): received, acknowledged, answered within 20 working days (第三十三条),
    extendable by at most 20 working days with approval; the answer's kind (第三十六条)
    and form (第四十条)."""

    class ApplicantKind(models.TextChoices):
        CITIZEN = "citizen", _("公民")
        ORGANIZATION = "organization", _("法人或者其他组织")

    class Channel(models.TextChoices):
        IN_PERSON = "in_person", _("当面提交")
        POST = "post", _("邮寄")
        ONLINE = "online", _("互联网")
        FAX = "fax", _("传真")

    class AnswerKind(models.TextChoices):
        PUBLISHED = "published", _("已主动公开，告知获取方式和途径")
        DISCLOSED = "disclosed", _("予以公开")
        PARTLY = "partly", _("部分公开")
        WITHHELD = "withheld", _("不予公开")
        NONEXISTENT = "nonexistent", _("信息不存在")
        NOT_OURS = "not_ours", _("不属于本机关负责公开")
        REPEATED = "repeated", _("重复申请，不予重复处理")
        OTHER_RULES = "other_rules", _("依照有关法律、行政法规的规定办理")

    class Form(models.TextChoices):
        PAPER = "paper", _("纸质文本")
        ELECTRONIC = "electronic", _("电子数据")
        INSPECTION = "inspection", _("安排查阅")
        OTHER = "other", _("其他适当形式")

    number = models.CharField(_("受理编号"), max_length=60, unique=True)
    agency = models.ForeignKey(Agency, verbose_name=_("受理机关"), on_delete=models.PROTECT,
                               related_name="disclosure_requests")
    jurisdiction_path = models.CharField(max_length=255, editable=False, db_index=True)
    applicant_kind = models.CharField(_("申请人类型"), max_length=14,
                                      choices=ApplicantKind.choices)
    applicant_name = models.CharField(_("申请人"), max_length=200)
    applicant_contact = models.CharField(_("联系方式"), max_length=200)
    description = models.TextField(_("所需政府信息的名称、文号或特征性描述"))
    form_requested = models.CharField(_("要求的提供形式"), max_length=12, choices=Form.choices,
                                      default=Form.ELECTRONIC)
    channel = models.CharField(_("提交方式"), max_length=10, choices=Channel.choices)
    received_on = models.DateField(_("收到申请日期"))
    acknowledged_on = models.DateField(_("登记回执日期"), null=True, blank=True)
    supplement_requested_on = models.DateField(_("告知补正日期"), null=True, blank=True)
    supplement_received_on = models.DateField(_("收到补正日期"), null=True, blank=True)
    due = models.DateField(_("答复期限"))
    extension_days = models.PositiveIntegerField(_("延长工作日"), default=0)
    extension_reason = models.TextField(_("延长理由"), blank=True)
    extension_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL,
                                              verbose_name=_("延长批准人"), null=True,
                                              blank=True, on_delete=models.PROTECT,
                                              related_name="+")
    answered_on = models.DateField(_("答复日期"), null=True, blank=True)
    answer_kind = models.CharField(_("答复类型"), max_length=12, choices=AnswerKind.choices,
                                   blank=True)
    answer_form = models.CharField(_("提供形式"), max_length=12, choices=Form.choices,
                                   blank=True)
    answer_text = models.TextField(_("答复内容"), blank=True)
    citations = models.JSONField(_("法律依据"), default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"),
                                   on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("依申请公开")
        verbose_name_plural = _("依申请公开")
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["jurisdiction_path", "received_on"])]

    def __str__(self) -> str:
        return self.number

    def save(self, *args, **kwargs) -> None:
        self.jurisdiction_path = self.agency.jurisdiction.path
        super().save(*args, **kwargs)

    @property
    def on_time(self) -> bool | None:
        """Answered by the due day (None while unanswered)."""
        return None if self.answered_on is None else self.answered_on <= self.due


class PostColumn(models.TextChoices):
    """The portal's columns (栏目), each expected to be refreshed every half month."""

    NEWS = "news", _("工作动态")
    NOTICE = "notice", _("通知公告")
    ENFORCEMENT = "enforcement", _("执法信息")
    POLICY = "policy", _("政策解读")
    OUTREACH = "outreach", _("普法宣传")
    WARNING = "warning", _("安全提示")


class Post(models.Model):
    """A news post (网站信息) in a column, published at `publish_at` (scheduled
    publishing: visible once that moment has passed) until withdrawn."""

    agency = models.ForeignKey(Agency, verbose_name=_("发布机关"), on_delete=models.PROTECT,
                               related_name="posts")
    column = models.CharField(_("栏目"), max_length=12, choices=PostColumn.choices)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"))
    publish_at = models.DateTimeField(_("发布时间"), db_index=True)
    withdrawn_at = models.DateTimeField(_("撤下时间"), null=True, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("编辑"), null=True,
                               blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("网站信息")
        verbose_name_plural = _("网站信息")
        ordering = ["-publish_at", "-id"]
        indexes = [models.Index(fields=["column", "publish_at"])]
        constraints = [models.UniqueConstraint(fields=["agency", "title", "publish_at"],
                                               name="post_unique_title_time")]

    def __str__(self) -> str:
        return self.title
