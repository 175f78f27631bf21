"""Normative documents (行政规范性文件) and their cleanup campaigns (清理).

- `NormativeDocument`: one version of a document the bureau drafts, issued in its own
  name or in the name of the city government's office (市府办) on the bureau's draft.
  It moves 起草 → 合法性审查 → 公平竞争审查 → 集体审议 → 签发 → 公布 → 有效 → 失效 / 废止
  (`rules.normdocs`); 修改 (amendment) opens a new version (`previous`, same `lineage`)
  and the old one is superseded (已被修改) when the new one is published.
- `LegalityReview` / `LegalityOpinion`: the legal department's review (合法性审核),
  opinion by opinion (clause, opinion, adopted?).
- `CleanupCampaign` / `CleanupResult`: a cleanup of the documents in force, one result
  per document (继续有效 / 修改 / 废止 / 宣布失效), applied to the documents when the
  campaign concludes, and published as a list on the public portal.

Every write goes through `fazhi.policy.services_normdocs` (event record included)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fazhi.core.models import Agency

__all__ = [
    "CleanupCampaign",
    "CleanupOutcome",
    "CleanupResult",
    "DocIssuer",
    "DocStatus",
    "LegalityOpinion",
    "LegalityReview",
    "NormativeDocument",
]


class DocIssuer(models.TextChoices):
    BUREAU = "bureau", _("本局")
    GOV_OFFICE = "gov_office", _("市政府办公室")


class DocStatus(models.TextChoices):
    DRAFTING = "drafting", _("起草")
    LEGALITY = "legality", _("合法性审查")
    FCR = "fcr", _("公平竞争审查")
    DELIBERATION = "deliberation", _("集体审议")
    SIGNED = "signed", _("签发")
    PUBLISHED = "published", _("已公布（未施行）")
    IN_FORCE = "in_force", _("有效")
    EXPIRED = "expired", _("失效")
    REPEALED = "repealed", _("废止")
    SUPERSEDED = "superseded", _("已修改（被新版本替代）")


def source_path(instance: NormativeDocument, filename: str) -> str:
    # Content-addressed: never the uploader's file name.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"policy/normdocs/{instance.source_sha256[:2]}/{instance.source_sha256}.{suffix}"


class NormativeDocument(models.Model):
    """One version of a normative document (行政规范性文件)."""

    class TextSource(models.TextChoices):
        PASTE = "paste", _("粘贴")
        DOCX = "docx", _("Word 文档")
        PDF = "pdf", _("PDF 文本")

    agency = models.ForeignKey(Agency, verbose_name=_("起草机关"), on_delete=models.PROTECT,
                               related_name="normative_documents")
    jurisdiction_path = models.CharField(max_length=255, editable=False, db_index=True)
    issuer = models.CharField(_("制发名义"), max_length=12, choices=DocIssuer.choices,
                              default=DocIssuer.BUREAU)
    title = models.CharField(_("标题"), max_length=300)
    number = models.CharField(_("文号"), max_length=60, blank=True, db_index=True)
    status = models.CharField(_("状态"), max_length=12, choices=DocStatus.choices,
                              default=DocStatus.DRAFTING, db_index=True)
    # versions: `lineage` is the first version (itself for the first), `previous` the
    # version this one amends.
    lineage = models.ForeignKey("self", verbose_name=_("首个版本"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    previous = models.OneToOneField("self", verbose_name=_("所修改的版本"), null=True,
                                    blank=True, on_delete=models.PROTECT,
                                    related_name="next_version")
    version_no = models.PositiveSmallIntegerField(_("版本"), default=1)
    amendment_reason = models.TextField(_("修改理由"), blank=True)

    text = models.TextField(_("正文"), blank=True)
    text_source = models.CharField(_("正文来源"), max_length=6, choices=TextSource.choices,
                                   default=TextSource.PASTE)
    source_file = models.FileField(_("原文件"), upload_to=source_path, max_length=200,
                                   blank=True)
    source_name = models.CharField(_("原文件名"), max_length=200, blank=True)
    source_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)

    drafted_on = models.DateField(_("起草日期"))
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("起草人"),
                                   null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    fcr_review = models.OneToOneField("policy.FcrReview", verbose_name=_("公平竞争审查"),
                                      null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="normative_document")
    deliberated_on = models.DateField(_("集体审议日期"), null=True, blank=True)
    deliberation_meeting = models.CharField(_("审议会议"), max_length=100, blank=True)
    deliberation_minutes = models.TextField(_("审议纪要"), blank=True)
    signed_on = models.DateField(_("签发日期"), null=True, blank=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("签发人"),
                                  null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    published_on = models.DateField(_("公布日期"), null=True, blank=True, db_index=True)
    published_where = models.CharField(_("公布载体"), max_length=100, blank=True)
    effective_on = models.DateField(_("施行日期"), null=True, blank=True)
    valid_years = models.PositiveSmallIntegerField(_("有效期（年）"), default=5)
    ended_on = models.DateField(_("失效/废止日期"), null=True, blank=True)
    end_reason = models.TextField(_("失效/废止说明"), blank=True)
    version = models.PositiveIntegerField(_("记录版本"), default=1)  # optimistic locking

    class Meta:
        verbose_name = _("行政规范性文件")
        verbose_name_plural = _("行政规范性文件")
        ordering = ["-drafted_on", "-pk"]
        indexes = [models.Index(fields=["agency", "issuer", "status"])]

    def __str__(self) -> str:
        return f"{self.number} {self.title}" if self.number else self.title

    def save(self, *args, **kwargs) -> None:
        self.jurisdiction_path = self.agency.jurisdiction.path
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("policy:normdoc_detail", args=[self.pk])

    def get_absolute_public_url(self) -> str:
        """The page of the public portal (rendered by the oversight app)."""
        return f"/public/normative-documents/{self.pk}/"

    @property
    def expires_on(self) -> datetime.date | None:
        """The last day of the validity period (有效期), counted from the effective date."""
        from fazhi.policy.rules.normdocs import validity_end

        if self.effective_on is None:
            return None
        return validity_end(self.effective_on, self.valid_years)


class LegalityReview(models.Model):
    """One round of the legal department's review (合法性审核) of a draft."""

    class Conclusion(models.TextChoices):
        PENDING = "", _("审查中")
        LEGAL = "legal", _("合法")
        LEGAL_IF_AMENDED = "amend", _("修改后合法")
        ILLEGAL = "illegal", _("不合法")

    document = models.ForeignKey(NormativeDocument, on_delete=models.CASCADE,
                                 related_name="legality_reviews")
    round_no = models.PositiveSmallIntegerField(_("轮次"), default=1)
    submitted_on = models.DateField(_("送审日期"))
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审查人"),
                                 null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    concluded_on = models.DateField(_("审查完成日期"), null=True, blank=True)
    conclusion = models.CharField(_("审查结论"), max_length=8, choices=Conclusion.choices,
                                  default=Conclusion.PENDING, blank=True)
    summary = models.TextField(_("审查意见书摘要"), blank=True)

    class Meta:
        verbose_name = _("合法性审查")
        verbose_name_plural = _("合法性审查")
        ordering = ["document", "round_no"]
        constraints = [models.UniqueConstraint(fields=["document", "round_no"],
                                               name="policy_legality_round_once")]

    def __str__(self) -> str:
        return f"{self.document.title}（第{self.round_no}轮）"


class LegalityOpinion(models.Model):
    """One itemised opinion of a legality review: the clause, the opinion, adopted?"""

    review = models.ForeignKey(LegalityReview, on_delete=models.CASCADE,
                               related_name="opinions")
    clause = models.CharField(_("条款"), max_length=200)
    opinion = models.TextField(_("审查意见"))
    adopted = models.BooleanField(_("是否采纳"), null=True, blank=True)
    response = models.TextField(_("起草单位说明"), blank=True)

    class Meta:
        verbose_name = _("合法性审查意见")
        verbose_name_plural = _("合法性审查意见")
        ordering = ["review", "pk"]

    def __str__(self) -> str:
        return f"{self.clause}：{self.opinion[:30]}"


class CleanupOutcome(models.TextChoices):
    CONTINUE = "continue", _("继续有效")
    AMEND = "amend", _("修改")
    REPEAL = "repeal", _("废止")
    INVALIDATE = "invalidate", _("宣布失效")


class CleanupCampaign(models.Model):
    """A cleanup (清理) of the documents in force of one issuer (本局 or 市府办)."""

    class Status(models.TextChoices):
        OPEN = "open", _("清理中")
        CONCLUDED = "concluded", _("已完成")

    agency = models.ForeignKey(Agency, verbose_name=_("清理机关"), on_delete=models.PROTECT,
                               related_name="cleanup_campaigns")
    jurisdiction_path = models.CharField(max_length=255, editable=False, db_index=True)
    title = models.CharField(_("名称"), max_length=200)
    issuer = models.CharField(_("清理范围"), max_length=12, choices=DocIssuer.choices)
    basis = models.TextField(_("清理依据"), blank=True)
    started_on = models.DateField(_("开始日期"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices,
                              default=Status.OPEN)
    concluded_on = models.DateField(_("完成日期"), null=True, blank=True, db_index=True)
    published_on = models.DateField(_("结果公布日期"), null=True, blank=True, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("规范性文件清理")
        verbose_name_plural = _("规范性文件清理")
        ordering = ["-started_on", "-pk"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.jurisdiction_path = self.agency.jurisdiction.path
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("policy:cleanup_detail", args=[self.pk])


class CleanupResult(models.Model):
    """One document's result in a cleanup."""

    campaign = models.ForeignKey(CleanupCampaign, on_delete=models.CASCADE,
                                 related_name="results")
    document = models.ForeignKey(NormativeDocument, on_delete=models.PROTECT,
                                 related_name="cleanup_results")
    result = models.CharField(_("清理结果"), max_length=10, choices=CleanupOutcome.choices,
                              blank=True)
    reason = models.TextField(_("理由"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("清理结果")
        verbose_name_plural = _("清理结果")
        ordering = ["campaign", "pk"]
        constraints = [models.UniqueConstraint(fields=["campaign", "document"],
                                               name="policy_cleanup_doc_once")]

    def __str__(self) -> str:
        return f"{self.document}：{self.get_result_display()}"
