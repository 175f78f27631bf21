"""Hazardous-chemicals permits (危险化学品安全生产许可证 / 安全使用许可证 / 经营许可证):
the application (申请) with its materials, the one-time correction notice (补正告知),
acceptance (受理), site verification (现场核查), periods not counted (专家评审、听证 …,
《行政许可法》第四十五条), the extension (延长), the decision (准予 / 不予许可) and the
permit itself (许可证: number, holder, scope, validity), suspended (暂扣) or revoked
(吊销) by a penalty case.

Every write goes through `fazhi.licensing.services_permits`, which writes the event
record; the time limits come from `fazhi.licensing.rules.permits`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fazhi.core.models import Agency
from fazhi.subjects.models import Enterprise

__all__ = [
    "ApplicationKind", "ApplicationPause", "CorrectionNotice", "Permit", "PermitAction",
    "PermitApplication", "PermitType", "SiteVerification",
]


class PermitType(models.TextChoices):
    PRODUCTION = "production", _("危险化学品安全生产许可证")
    USE = "use", _("危险化学品安全使用许可证")
    OPERATION = "operation", _("危险化学品经营许可证")


class ApplicationKind(models.TextChoices):
    ISSUE = "issue", _("核发")
    RENEW = "renew", _("换证")
    CHANGE = "change", _("变更")
    EXTEND = "extend", _("延期")


class Permit(models.Model):
    """A permit as issued (许可证). 变更 and 延期 change it in place (same number); 换证
    issues a new permit and marks the old one superseded (已换证)."""

    class Status(models.TextChoices):
        VALID = "valid", _("有效")
        SUSPENDED = "suspended", _("暂扣")
        REVOKED = "revoked", _("吊销")
        SUPERSEDED = "superseded", _("已换证")

    number = models.CharField(_("许可证编号"), max_length=60, unique=True)
    permit_type = models.CharField(_("许可证种类"), max_length=12, choices=PermitType.choices)
    enterprise = models.ForeignKey(Enterprise, verbose_name=_("持证单位"),
                                   on_delete=models.PROTECT, related_name="hazchem_permits")
    holder_name = models.CharField(_("单位名称"), max_length=200)
    agency = models.ForeignKey(Agency, verbose_name=_("发证机关"), on_delete=models.PROTECT,
                               related_name="hazchem_permits")
    jurisdiction_path = models.CharField(max_length=255, editable=False, db_index=True)
    scope = models.TextField(_("许可范围"))
    issued_on = models.DateField(_("发证日期"))
    valid_from = models.DateField(_("有效期自"))
    valid_until = models.DateField(_("有效期至"), db_index=True)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices,
                              default=Status.VALID)
    suspended_until = models.DateField(_("暂扣至"), null=True, blank=True)
    previous = models.OneToOneField("self", verbose_name=_("换证前的许可证"), null=True,
                                    blank=True, on_delete=models.PROTECT,
                                    related_name="renewed_by")
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("危险化学品许可证")
        verbose_name_plural = _("危险化学品许可证")
        ordering = ["-issued_on", "-id"]
        indexes = [models.Index(fields=["jurisdiction_path", "valid_until"])]

    def __str__(self) -> str:
        return f"{self.number} {self.holder_name}"

    def save(self, *args, **kwargs) -> None:
        self.jurisdiction_path = self.enterprise.jurisdiction_path
        super().save(*args, **kwargs)

    def current_status(self, today=None) -> str:
        """The status as shown: a valid permit past its last day is 已过期 (expired)."""
        today = today or timezone.localdate()
        if self.status == self.Status.VALID and self.valid_until < today:
            return "expired"
        return self.status

    @property
    def status_label(self) -> str:
        code = self.current_status()
        return str(_("已过期")) if code == "expired" else str(self.Status(code).label)


class PermitApplication(models.Model):
    """An application (许可申请) from receipt to decision."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("已收件")
        CORRECTION = "correction", _("待补正")
        ACCEPTED = "accepted", _("已受理")
        NOT_ACCEPTED = "not_accepted", _("不予受理")
        APPROVED = "approved", _("准予许可")
        REFUSED = "refused", _("不予许可")
        WITHDRAWN = "withdrawn", _("撤回申请")

    OPEN = (Status.RECEIVED, Status.CORRECTION, Status.ACCEPTED)

    agency = models.ForeignKey(Agency, verbose_name=_("受理机关"), on_delete=models.PROTECT,
                               related_name="permit_applications")
    enterprise = models.ForeignKey(Enterprise, verbose_name=_("申请单位"),
                                   on_delete=models.PROTECT, related_name="permit_applications")
    jurisdiction_path = models.CharField(max_length=255, editable=False, db_index=True)
    permit_type = models.CharField(_("许可证种类"), max_length=12, choices=PermitType.choices)
    kind = models.CharField(_("申请事项"), max_length=8, choices=ApplicationKind.choices)
    permit = models.ForeignKey(Permit, verbose_name=_("原许可证"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="applications")
    scope = models.TextField(_("申请许可范围"), blank=True)
    change_note = models.TextField(_("变更事项"), blank=True)
    # The codes of the checklist items handed in.
    materials = models.JSONField(_("已提交材料"), default=list, blank=True)
    received_on = models.DateField(_("收件日期"))
    acceptance_due = models.DateField(_("受理期限"))
    status = models.CharField(_("状态"), max_length=14, choices=Status.choices,
                              default=Status.RECEIVED, db_index=True)
    accepted_on = models.DateField(_("受理日期"), null=True, blank=True)
    deemed_accepted = models.BooleanField(_("逾期未告知视为受理"), default=False)
    acceptance_number = models.CharField(_("受理通知书文号"), max_length=60, blank=True)
    not_accepted_reason = models.TextField(_("不予受理理由"), blank=True)
    decision_due = models.DateField(_("决定期限"), null=True, blank=True)
    extended = models.BooleanField(_("已延长期限"), default=False)
    extension_reason = models.TextField(_("延长理由"), blank=True)
    extension_approved_by = models.CharField(_("批准延长的负责人"), max_length=50, blank=True)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True, db_index=True)
    decision_number = models.CharField(_("决定书文号"), max_length=60, blank=True)
    decision_reasons = models.TextField(_("决定理由"), blank=True)
    issued_permit = models.ForeignKey(Permit, verbose_name=_("颁发或变更的许可证"), null=True,
                                      blank=True, on_delete=models.PROTECT,
                                      related_name="decisions")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"),
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("许可申请")
        verbose_name_plural = _("许可申请")
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["jurisdiction_path", "decided_on"])]

    def __str__(self) -> str:
        return (f"{self.enterprise} {self.get_permit_type_display()}"
                f"{self.get_kind_display()}申请")

    def save(self, *args, **kwargs) -> None:
        self.jurisdiction_path = self.enterprise.jurisdiction_path
        super().save(*args, **kwargs)

    @property
    def reference(self) -> str:
        return self.acceptance_number or f"收件{self.received_on:%Y}-{self.pk}"


class CorrectionNotice(models.Model):
    """The one-time notice of every missing material (一次性补正告知, 第三十二条)."""

    application = models.OneToOneField(PermitApplication, verbose_name=_("许可申请"),
                                       on_delete=models.CASCADE, related_name="correction")
    notified_on = models.DateField(_("告知日期"))
    missing = models.JSONField(_("需补正材料"), default=list, blank=True)  # [{"code", "label"}]
    note = models.TextField(_("补正说明"), blank=True)
    completed_on = models.DateField(_("补正齐全日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("补正告知")
        verbose_name_plural = _("补正告知")

    def __str__(self) -> str:
        return f"{self.application} 补正告知"


class SiteVerification(models.Model):
    """现场核查 by two or more staff (第三十四条第三款)."""

    class Result(models.TextChoices):
        PASSED = "passed", _("符合条件")
        FAILED = "failed", _("不符合条件")

    application = models.ForeignKey(PermitApplication, verbose_name=_("许可申请"),
                                    on_delete=models.CASCADE, related_name="verifications")
    verified_on = models.DateField(_("核查日期"))
    verifiers = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("核查人员"),
                                       related_name="+")
    findings = models.TextField(_("核查情况"))
    result = models.CharField(_("核查结论"), max_length=8, choices=Result.choices)

    class Meta:
        verbose_name = _("现场核查")
        verbose_name_plural = _("现场核查")
        ordering = ["application", "verified_on", "id"]

    def __str__(self) -> str:
        return f"{self.application} 现场核查 {self.verified_on}"


class ApplicationPause(models.Model):
    """A period not counted in the decision period (第四十五条)."""

    class Reason(models.TextChoices):
        EXPERT_REVIEW = "expert_review", _("专家评审")
        HEARING = "hearing", _("听证")
        TESTING = "testing", _("检验检测")
        APPRAISAL = "appraisal", _("鉴定")

    application = models.ForeignKey(PermitApplication, verbose_name=_("许可申请"),
                                    on_delete=models.CASCADE, related_name="pauses")
    reason = models.CharField(_("事由"), max_length=14, choices=Reason.choices)
    started_on = models.DateField(_("开始日期"))
    ended_on = models.DateField(_("结束日期"))
    applicant_notified_on = models.DateField(_("书面告知申请人日期"))

    class Meta:
        verbose_name = _("不计入审查期限的期间")
        verbose_name_plural = _("不计入审查期限的期间")
        ordering = ["application", "started_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} {self.started_on}—{self.ended_on}"


class PermitAction(models.Model):
    """暂扣 / 吊销 / 恢复 of a permit; suspension and revocation rest on a penalty case."""

    class Action(models.TextChoices):
        SUSPEND = "suspend", _("暂扣")
        REVOKE = "revoke", _("吊销")
        RESTORE = "restore", _("发还（恢复）")

    permit = models.ForeignKey(Permit, verbose_name=_("许可证"), on_delete=models.CASCADE,
                               related_name="actions")
    action = models.CharField(_("处理"), max_length=8, choices=Action.choices)
    case = models.ForeignKey("cases.PenaltyCase", verbose_name=_("行政处罚案件"), null=True,
                             blank=True, on_delete=models.PROTECT,
                             related_name="permit_actions")
    decided_on = models.DateField(_("决定日期"))
    until = models.DateField(_("暂扣期限至"), null=True, blank=True)
    reason = models.TextField(_("理由"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"),
                                    on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("许可证暂扣、吊销")
        verbose_name_plural = _("许可证暂扣、吊销")
        ordering = ["permit", "decided_on", "id"]

    def __str__(self) -> str:
        return f"{self.permit} {self.get_action_display()}"
