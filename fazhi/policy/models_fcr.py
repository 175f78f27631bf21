"""Fair-competition review (公平竞争审查, 《公平竞争审查条例》 2024).

- `ArchivedDocument`: the bureau's issued documents since 2009 (存量文件), screened in
  campaigns (`ScreeningRun`, one `ScreeningResult` per document screened).
- `FcrReview`: the close review (严格审查) of one text — an archived document the
  engine flagged, a normative-document draft at its 公平竞争审查 stage (H-norm's
  `NormativeDocument.fcr_review`), or an ad-hoc text; each engine flag is an `FcrFlag`
  the reviewer confirms or dismisses before concluding 符合 / 不符合 / 适用例外.

Every write goes through `fazhi.policy.services_fcr`, which writes the event record."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fazhi.core.models import Agency

__all__ = [
    "EXCEPTION_PURPOSES",
    "ArchivedDocument",
    "FcrConclusion",
    "FcrFlag",
    "FcrReview",
    "FcrSource",
    "FlagDecision",
    "ScreeningResult",
    "ScreeningRun",
]


class ArchivedDocument(models.Model):
    """One document the bureau issued (存量文件), kept for screening."""

    agency = models.ForeignKey(Agency, verbose_name=_("制发机关"), on_delete=models.PROTECT,
                               related_name="archived_documents")
    jurisdiction_path = models.CharField(max_length=255, editable=False, db_index=True)
    number = models.CharField(_("文号"), max_length=60)
    title = models.CharField(_("标题"), max_length=300)
    issuer = models.CharField(_("发文单位"), max_length=100)
    issued_on = models.DateField(_("印发日期"), db_index=True)
    text = models.TextField(_("正文"))

    class Meta:
        verbose_name = _("存量文件")
        verbose_name_plural = _("存量文件")
        ordering = ["-issued_on", "number"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "number"], name="policy_archive_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def save(self, *args, **kwargs) -> None:
        self.jurisdiction_path = self.agency.jurisdiction.path
        super().save(*args, **kwargs)


class ScreeningRun(models.Model):
    """One batch screening of an agency's archive (存量文件公平竞争审查筛查)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("筛查中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    agency = models.ForeignKey(Agency, verbose_name=_("机关"), on_delete=models.PROTECT,
                               related_name="fcr_runs")
    jurisdiction_path = models.CharField(max_length=255, editable=False, db_index=True)
    label = models.CharField(_("名称"), max_length=200)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices,
                              default=Status.QUEUED)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发起人"),
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("发起时间"))
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True, db_index=True)
    job = models.ForeignKey("core.Job", verbose_name=_("后台任务"), null=True, blank=True,
                            on_delete=models.SET_NULL, related_name="+")
    engine_version = models.CharField(_("规则版本"), max_length=40, blank=True)
    documents = models.PositiveIntegerField(_("筛查文件数"), default=0)
    flagged = models.PositiveIntegerField(_("可能涉限文件数"), default=0)

    class Meta:
        verbose_name = _("筛查批次")
        verbose_name_plural = _("筛查批次")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.label

    def save(self, *args, **kwargs) -> None:
        self.jurisdiction_path = self.agency.jurisdiction.path
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("policy:fcr_run_detail", args=[self.pk])


class ScreeningResult(models.Model):
    """One document's result in a run: the flags the engine raised (may be none)."""

    run = models.ForeignKey(ScreeningRun, on_delete=models.CASCADE, related_name="results")
    document = models.ForeignKey(ArchivedDocument, on_delete=models.PROTECT,
                                 related_name="screenings")
    flag_count = models.PositiveIntegerField(_("提示条款数"), default=0)
    standards = models.CharField(_("涉及标准"), max_length=300, blank=True)
    flags = models.JSONField(_("提示"), default=list, blank=True)

    class Meta:
        verbose_name = _("筛查结果")
        verbose_name_plural = _("筛查结果")
        constraints = [
            models.UniqueConstraint(fields=["run", "document"], name="policy_result_once"),
        ]
        indexes = [models.Index(fields=["run", "flag_count"])]

    def __str__(self) -> str:
        return f"{self.run_id}/{self.document_id}: {self.flag_count}"


class FcrSource(models.TextChoices):
    NORMDOC = "normdoc", _("规范性文件起草")
    ARCHIVE = "archive", _("存量文件筛查")
    ADHOC = "adhoc", _("其他政策措施")


class FcrConclusion(models.TextChoices):
    """The review conclusion (《公平竞争审查条例》第十七条, recalled — 待核实)."""

    PENDING = "", _("审查中")
    COMPLIANT = "compliant", _("符合公平竞争审查标准")
    NONCOMPLIANT = "noncompliant", _("不符合（应当修改）")
    EXCEPTION = "exception", _("适用例外规定")


# 《公平竞争审查条例》第十二条: the purposes for which a restrictive measure may still be
# issued (with no less-restrictive alternative and a reasonable period or end condition).
EXCEPTION_PURPOSES = {
    "FCR-12-1": "第十二条第（一）项 维护国家安全和发展利益",
    "FCR-12-2": "第十二条第（二）项 促进科学技术进步、增强国家自主创新能力",
    "FCR-12-3": "第十二条第（三）项 实现节约能源、保护环境、救灾救助等社会公共利益",
    "FCR-12-4": "第十二条第（四）项 法律、行政法规规定的其他情形",
}


class FcrReview(models.Model):
    """The review of one text (公平竞争审查). Contract with H-norm (plan7.md): title,
    text, source, created_at, concluded_at, conclusion, justification,
    exception_until, reviewer."""

    agency = models.ForeignKey(Agency, verbose_name=_("审查机关"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="fcr_reviews")
    jurisdiction_path = models.CharField(max_length=255, editable=False, db_index=True,
                                         blank=True)
    title = models.CharField(_("标题"), max_length=300)
    text = models.TextField(_("审查文本"))
    source = models.CharField(_("来源"), max_length=10, choices=FcrSource.choices)
    document = models.ForeignKey(ArchivedDocument, verbose_name=_("存量文件"), null=True,
                                 blank=True, on_delete=models.PROTECT,
                                 related_name="fcr_reviews")
    run = models.ForeignKey(ScreeningRun, verbose_name=_("筛查批次"), null=True, blank=True,
                            on_delete=models.PROTECT, related_name="reviews")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发起人"),
                                  null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    created_at = models.DateTimeField(_("发起时间"), db_index=True)
    engine_version = models.CharField(_("规则版本"), max_length=40, blank=True)
    concluded_at = models.DateTimeField(_("结论时间"), null=True, blank=True, db_index=True)
    conclusion = models.CharField(_("审查结论"), max_length=12, choices=FcrConclusion.choices,
                                  default=FcrConclusion.PENDING, blank=True)
    justification = models.TextField(_("结论说明"), blank=True)
    exception_purpose = models.CharField(_("例外情形"), max_length=10, blank=True)
    exception_until = models.DateField(_("例外实施期限至"), null=True, blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审查人"),
                                 null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")

    class Meta:
        verbose_name = _("公平竞争审查")
        verbose_name_plural = _("公平竞争审查")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.jurisdiction_path = self.agency.jurisdiction.path if self.agency_id else ""
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("policy:fcr_review_detail", args=[self.pk])

    @property
    def exception_purpose_label(self) -> str:
        return EXCEPTION_PURPOSES.get(self.exception_purpose, self.exception_purpose)

    @property
    def is_concluded(self) -> bool:
        return bool(self.conclusion)

    @property
    def allows_issue(self) -> bool:
        """May the measure go on (符合, or 适用例外 with its justification)?"""
        return self.conclusion in (FcrConclusion.COMPLIANT, FcrConclusion.EXCEPTION)


class FlagDecision(models.TextChoices):
    PENDING = "", _("待认定")
    CONFIRMED = "confirmed", _("确认涉限")
    DISMISSED = "dismissed", _("排除")


class FcrFlag(models.Model):
    """One clause the engine flagged in a review's text, and the reviewer's call on it."""

    review = models.ForeignKey(FcrReview, on_delete=models.CASCADE, related_name="flags")
    standard = models.CharField(_("审查标准"), max_length=12)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    cue = models.CharField(_("触发词句"), max_length=200)
    explanation = models.TextField(_("提示说明"))
    clause = models.TextField(_("条款"), blank=True)
    decision = models.CharField(_("认定"), max_length=10, choices=FlagDecision.choices,
                                default=FlagDecision.PENDING, blank=True)
    note = models.TextField(_("认定理由"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("审查提示")
        verbose_name_plural = _("审查提示")
        ordering = ["review", "start", "pk"]

    def __str__(self) -> str:
        return f"{self.standard} [{self.start}, {self.end})"
