"""Certificates of persons (资格证书): special-operation certificates (特种作业操作证) and
the qualification certificates of principals and safety managers (安全生产知识和管理能力
考核合格证), their holders, reviews (复审 / 延期), revocation, the exam-result imports
they are issued from, and the suspected fakes public verification runs into.

A certificate's status is stored only as registered (valid or revoked); "expired"
follows from the dates on the day asked (`rules.certificates.certificate_status`), so
nothing has to run at midnight for a list to be right."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fazhi.core.models import Agency, Jurisdiction
from fazhi.licensing.rules import certificates as rules
from fazhi.subjects.models import Enterprise

__all__ = [
    "Certificate",
    "CertificateHolder",
    "CertificateImport",
    "CertificateKind",
    "CertificateReview",
    "CertificateStatus",
    "SuspectedFake",
]


class CertificateKind(models.TextChoices):
    SPECIAL_OPERATION = "special_operation", _("特种作业操作证")
    PRINCIPAL = "principal", _("主要负责人安全合格证")
    SAFETY_MANAGER = "safety_manager", _("安全生产管理人员安全合格证")


MANAGER_KINDS = (CertificateKind.PRINCIPAL, CertificateKind.SAFETY_MANAGER)


def rule_kind(kind: str) -> str:
    """The kind the date rules know: special_operation / principal_safety_qualification."""
    return (rules.SPECIAL_OPERATION if kind == CertificateKind.SPECIAL_OPERATION
            else rules.PRINCIPAL_SAFETY)


class CertificateStatus(models.TextChoices):
    VALID = rules.VALID, _("有效")
    EXPIRED = rules.EXPIRED, _("已过期")  # never stored: computed from the dates
    REVOKED = rules.REVOKED, _("已撤销")


class CertificateHolder(models.Model):
    """A person holding certificates (持证人). The ID number is stored whole and shown
    masked unless the viewer's role needs it (`subjects.rules.masking`)."""

    name = models.CharField(_("姓名"), max_length=50)
    id_number = models.CharField(_("居民身份证号"), max_length=18, unique=True)
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("持证人")
        verbose_name_plural = _("持证人")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class CertificateImport(models.Model):
    """One uploaded workbook of exam results (考试成绩), imported by a background job."""

    file_name = models.CharField(_("文件名"), max_length=255)
    data = models.BinaryField(_("文件内容"), editable=False)
    agency = models.ForeignKey(Agency, verbose_name=_("考核发证机关"), on_delete=models.PROTECT,
                               related_name="certificate_imports")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("上传人"),
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("上传时间"), default=timezone.now, editable=False)
    job = models.ForeignKey("core.Job", verbose_name=_("后台任务"), null=True, blank=True,
                            on_delete=models.SET_NULL, related_name="+")
    rows = models.PositiveIntegerField(_("数据行"), default=0)
    issued = models.PositiveIntegerField(_("发证"), default=0)
    failed_exam = models.PositiveIntegerField(_("考试不合格"), default=0)
    finished_at = models.DateTimeField(_("导入完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("考试成绩导入")
        verbose_name_plural = _("考试成绩导入")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name


class Certificate(models.Model):
    kind = models.CharField(_("证书类别"), max_length=20, choices=CertificateKind.choices)
    number = models.CharField(_("证书编号"), max_length=40)
    # 特种作业: 作业类别 (rules.OPERATION_CATEGORIES) and 操作项目; 合格证: the unit's
    # trade (行业类别, e.g. 危险化学品生产单位) in `operation`, no category.
    category = models.CharField(_("作业类别"), max_length=30, blank=True)
    operation = models.CharField(_("操作项目/行业类别"), max_length=60)
    holder = models.ForeignKey(CertificateHolder, verbose_name=_("持证人"),
                               on_delete=models.PROTECT, related_name="certificates")
    # The name as printed on the card (a holder may change their name later).
    holder_name = models.CharField(_("持证人姓名"), max_length=50)
    enterprise = models.ForeignKey(Enterprise, verbose_name=_("用人单位"), null=True,
                                   blank=True, on_delete=models.PROTECT,
                                   related_name="certificates")
    employer_name = models.CharField(_("用人单位名称"), max_length=200, blank=True)
    jurisdiction = models.ForeignKey(Jurisdiction, verbose_name=_("属地"),
                                     on_delete=models.PROTECT, related_name="+")
    jurisdiction_path = models.CharField(max_length=255, editable=False, db_index=True)
    agency = models.ForeignKey(Agency, verbose_name=_("考核发证机关"), on_delete=models.PROTECT,
                               related_name="certificates")
    issued_on = models.DateField(_("发证日期"))
    review_due = models.DateField(_("应复审日期"), null=True, blank=True)
    expires_on = models.DateField(_("有效期至"))
    review_interval_years = models.PositiveSmallIntegerField(_("复审周期（年）"), null=True,
                                                             blank=True)
    exam_theory = models.PositiveSmallIntegerField(_("理论考试成绩"), null=True, blank=True)
    exam_practical = models.PositiveSmallIntegerField(_("实际操作考试成绩"), null=True,
                                                      blank=True)
    status = models.CharField(_("登记状态"), max_length=10, choices=CertificateStatus.choices,
                              default=CertificateStatus.VALID)
    revoked_on = models.DateField(_("撤销日期"), null=True, blank=True)
    revocation_ground = models.CharField(_("撤销情形"), max_length=30, blank=True,
                                         choices=list(rules.REVOCATION_GROUNDS.items()))
    revocation_reason = models.TextField(_("撤销理由"), blank=True)
    # Ed25519 signature of the key fields (`licensing.signing`), base64url, and the id of
    # the key that made it.
    signature = models.CharField(_("数字签名"), max_length=100, blank=True)
    key_id = models.CharField(_("签名密钥标识"), max_length=16, blank=True)
    source = models.ForeignKey(CertificateImport, verbose_name=_("来源导入"), null=True,
                               blank=True, on_delete=models.SET_NULL,
                               related_name="certificates")
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("资格证书")
        verbose_name_plural = _("资格证书")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "number", "operation"],
                                    name="certificate_unique_number_per_operation"),
            models.CheckConstraint(condition=models.Q(status__in=["valid", "revoked"]),
                                   name="certificate_status_stored"),
        ]
        indexes = [
            models.Index(fields=["number"]),
            models.Index(fields=["jurisdiction_path", "kind", "issued_on"]),
            models.Index(fields=["review_due"]),
            models.Index(fields=["expires_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    def save(self, *args, **kwargs) -> None:
        self.jurisdiction_path = self.jurisdiction.path
        super().save(*args, **kwargs)

    @property
    def rule_kind(self) -> str:
        return rule_kind(self.kind)

    def status_on(self, today: datetime.date | None = None) -> rules.Status:
        return rules.certificate_status(
            kind=self.rule_kind, expires=self.expires_on, review_due=self.review_due,
            revoked=self.status == CertificateStatus.REVOKED,
            today=today or timezone.localdate())

    @property
    def category_label(self) -> str:
        return rules.OPERATION_CATEGORIES.get(self.category, "")


class CertificateReview(models.Model):
    """A review (复审), an extension review at expiry (延期复审) or the extension of a
    qualification certificate (延期), with its outcome and the dates it set."""

    class Kind(models.TextChoices):
        PERIODIC = "periodic", _("复审")
        RENEWAL = "renewal", _("延期复审/延期")

    certificate = models.ForeignKey(Certificate, verbose_name=_("证书"),
                                    on_delete=models.CASCADE, related_name="reviews")
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    reviewed_on = models.DateField(_("复审日期"))
    passed = models.BooleanField(_("复审合格"))
    training_hours = models.PositiveSmallIntegerField(_("培训学时"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)
    review_due_before = models.DateField(_("原应复审日期"), null=True, blank=True)
    review_due_after = models.DateField(_("新应复审日期"), null=True, blank=True)
    expires_before = models.DateField(_("原有效期至"))
    expires_after = models.DateField(_("新有效期至"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"),
                                    null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("证书复审")
        verbose_name_plural = _("证书复审")
        ordering = ["certificate", "reviewed_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reviewed_on}"


class SuspectedFake(models.Model):
    """A certificate number looked up on the public verification and not found (or found
    under another name): 疑似假证. One row per number, counting the lookups."""

    class Reason(models.TextChoices):
        UNKNOWN_NUMBER = "unknown_number", _("证号不存在")
        NAME_MISMATCH = "name_mismatch", _("证号与姓名不符")

    number = models.CharField(_("查询证号"), max_length=40, unique=True)
    reason = models.CharField(_("情形"), max_length=20, choices=Reason.choices)
    name_masked = models.CharField(_("查询姓名（脱敏）"), max_length=50, blank=True)
    lookups = models.PositiveIntegerField(_("查询次数"), default=1)
    first_at = models.DateTimeField(_("首次查询"), default=timezone.now)
    last_at = models.DateTimeField(_("最近查询"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("疑似假证查询")
        verbose_name_plural = _("疑似假证查询")
        ordering = ["-last_at"]

    def __str__(self) -> str:
        return self.number
