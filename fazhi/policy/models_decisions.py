"""Major administrative decisions (重大行政决策, 《重大行政决策程序暂行条例》 国务院令第713号).

- `DecisionCatalogue`: the agency's yearly catalogue (决策事项目录), published.
- `MajorDecision`: one decision of a catalogue, through the five statutory steps
  (`DecisionStep`, one row per step kind: 公众参与, 专家论证, 风险评估, 合法性审查,
  集体讨论决定), adopted (决定) only when every step is on record
  (`rules.decisions.adoption_gate`), then published and evaluated (`DecisionEvaluation`,
  决策后评估).
- `DecisionComment`: a comment received in public participation; `DecisionFile`: a
  document uploaded to a step (or to the decision), stored with its SHA-256.

Every write goes through `fazhi.policy.services_decisions` (event record included)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fazhi.core.models import Agency

__all__ = [
    "DecisionCatalogue",
    "DecisionComment",
    "DecisionEvaluation",
    "DecisionFile",
    "DecisionStatus",
    "DecisionStep",
    "MajorDecision",
    "StepKind",
]


class StepKind(models.TextChoices):
    PUBLIC = "public", _("公众参与")
    EXPERT = "expert", _("专家论证")
    RISK = "risk", _("风险评估")
    LEGALITY = "legality", _("合法性审查")
    COLLECTIVE = "collective", _("集体讨论决定")


class DecisionStatus(models.TextChoices):
    CATALOGUED = "catalogued", _("已列入目录")
    IN_PROGRESS = "in_progress", _("履行程序中")
    ADOPTED = "adopted", _("已决定")
    PUBLISHED = "published", _("已公布")
    WITHDRAWN = "withdrawn", _("已撤回")


class DecisionCatalogue(models.Model):
    """The yearly catalogue of major decisions (重大行政决策事项目录) of an agency."""

    agency = models.ForeignKey(Agency, verbose_name=_("决策机关"), on_delete=models.PROTECT,
                               related_name="decision_catalogues")
    jurisdiction_path = models.CharField(max_length=255, editable=False, db_index=True)
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("名称"), max_length=200)
    published_on = models.DateField(_("公布日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("重大行政决策事项目录")
        verbose_name_plural = _("重大行政决策事项目录")
        ordering = ["-year", "agency"]
        constraints = [models.UniqueConstraint(fields=["agency", "year"],
                                               name="policy_catalogue_once_a_year")]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.jurisdiction_path = self.agency.jurisdiction.path
        super().save(*args, **kwargs)


class MajorDecision(models.Model):
    """One major administrative decision (重大行政决策事项)."""

    catalogue = models.ForeignKey(DecisionCatalogue, verbose_name=_("目录"),
                                  on_delete=models.PROTECT, related_name="decisions")
    jurisdiction_path = models.CharField(max_length=255, editable=False, db_index=True)
    title = models.CharField(_("决策事项"), max_length=300)
    summary = models.TextField(_("主要内容"), blank=True)
    undertaker = models.CharField(_("承办单位"), max_length=100)
    planned_by = models.CharField(_("计划完成时间"), max_length=50, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=DecisionStatus.choices,
                              default=DecisionStatus.CATALOGUED, db_index=True)
    adopted_on = models.DateField(_("决定日期"), null=True, blank=True, db_index=True)
    decision_text = models.TextField(_("决定内容"), blank=True)
    published_on = models.DateField(_("公布日期"), null=True, blank=True)
    published_where = models.CharField(_("公布载体"), max_length=100, blank=True)
    version = models.PositiveIntegerField(_("记录版本"), default=1)

    class Meta:
        verbose_name = _("重大行政决策")
        verbose_name_plural = _("重大行政决策")
        ordering = ["-catalogue__year", "pk"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.jurisdiction_path = self.catalogue.jurisdiction_path
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("policy:decision_detail", args=[self.pk])


class DecisionStep(models.Model):
    """The record of one statutory step of a decision. The fields a step uses:
    公众参与 — comment_from / comment_until / urgent_reason (shortened period) and the
    comments; 专家论证 — participants (experts); 风险评估 — risk_level; 合法性审查 —
    legality (合法 / 不合法); 集体讨论决定 — meeting, participants."""

    class Risk(models.TextChoices):
        NONE = "", _("—")
        LOW = "low", _("低风险")
        MEDIUM = "medium", _("中风险")
        HIGH = "high", _("高风险")

    class Legality(models.TextChoices):
        NONE = "", _("—")
        LEGAL = "legal", _("合法")
        ILLEGAL = "illegal", _("不合法")

    decision = models.ForeignKey(MajorDecision, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("程序"), max_length=12, choices=StepKind.choices)
    started_on = models.DateField(_("开始日期"))
    completed_on = models.DateField(_("完成日期"), null=True, blank=True)
    summary = models.TextField(_("情况记录"), blank=True)
    participants = models.TextField(_("参加人员/专家"), blank=True)
    meeting = models.CharField(_("会议"), max_length=100, blank=True)
    comment_from = models.DateField(_("征求意见开始"), null=True, blank=True)
    comment_until = models.DateField(_("征求意见截止"), null=True, blank=True)
    urgent_reason = models.TextField(_("缩短期限的说明"), blank=True)
    risk_level = models.CharField(_("风险等级"), max_length=6, choices=Risk.choices,
                                  blank=True)
    legality = models.CharField(_("审查结论"), max_length=8, choices=Legality.choices,
                                blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("决策程序记录")
        verbose_name_plural = _("决策程序记录")
        ordering = ["decision", "started_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["decision", "kind"],
                                               name="policy_decision_step_once")]

    def __str__(self) -> str:
        return f"{self.decision.title}：{self.get_kind_display()}"


class DecisionComment(models.Model):
    """A comment received in public participation (公众意见) and how it was handled."""

    step = models.ForeignKey(DecisionStep, on_delete=models.CASCADE, related_name="comments")
    received_on = models.DateField(_("收到日期"))
    source = models.CharField(_("意见来源"), max_length=100,
                              help_text=_("如：企业、行业协会、公众（不记录个人身份信息）"))
    content = models.TextField(_("意见内容"))
    adopted = models.BooleanField(_("是否采纳"), null=True, blank=True)
    response = models.TextField(_("采纳情况说明"), blank=True)

    class Meta:
        verbose_name = _("公众意见")
        verbose_name_plural = _("公众意见")
        ordering = ["step", "received_on", "pk"]

    def __str__(self) -> str:
        return f"{self.source}：{self.content[:30]}"


def decision_file_path(instance: DecisionFile, filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"policy/decisions/{instance.sha256[:2]}/{instance.sha256}.{suffix}"


class DecisionFile(models.Model):
    """A document of a decision's step (征求意见稿, 论证报告, 风险评估报告, 审查意见书,
    会议纪要 …) with its SHA-256."""

    decision = models.ForeignKey(MajorDecision, on_delete=models.CASCADE,
                                 related_name="files")
    step = models.ForeignKey(DecisionStep, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="files")
    file = models.FileField(_("文件"), upload_to=decision_file_path, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("决策文件")
        verbose_name_plural = _("决策文件")
        ordering = ["decision", "pk"]

    def __str__(self) -> str:
        return self.original_name


class DecisionEvaluation(models.Model):
    """A post-decision evaluation (决策后评估)."""

    decision = models.ForeignKey(MajorDecision, on_delete=models.CASCADE,
                                 related_name="evaluations")
    evaluated_on = models.DateField(_("评估日期"))
    evaluator = models.CharField(_("评估单位"), max_length=100)
    trigger = models.CharField(_("评估原因"), max_length=200, blank=True)
    conclusion = models.TextField(_("评估结论"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("决策后评估")
        verbose_name_plural = _("决策后评估")
        ordering = ["decision", "evaluated_on", "pk"]

    def __str__(self) -> str:
        return f"{self.decision.title}（{self.evaluated_on}）"
