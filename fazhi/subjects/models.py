"""Regulated subjects: enterprises (生产经营单位), their responsible persons, and chemical
parks (化工园区)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fazhi.core.models import Jurisdiction


class ChemicalPark(models.Model):
    """A chemical park (化工园区) with its safety-risk level from the latest assessment
    (《化工园区安全风险排查治理导则》: 高 A / 较高 B / 一般 C / 较低 D)."""

    class RiskLevel(models.TextChoices):
        HIGH = "high", _("高")
        HIGHER = "higher", _("较高")
        GENERAL = "general", _("一般")
        LOWER = "lower", _("较低")

    name = models.CharField(_("园区名称"), max_length=100, unique=True)
    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("所在辖区"), on_delete=models.PROTECT, related_name="parks"
    )
    risk_level = models.CharField(_("安全风险等级"), max_length=10, choices=RiskLevel.choices)
    assessed_on = models.DateField(_("评估日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("化工园区")
        verbose_name_plural = _("化工园区")
        ordering = ["jurisdiction__code", "name"]

    def __str__(self) -> str:
        return self.name


class SupervisionCategory(models.TextChoices):
    """监管类别: what the bureau supervises the enterprise as."""

    HAZCHEM_PRODUCTION = "hazchem_production", _("危险化学品生产")
    HAZCHEM_OPERATION = "hazchem_operation", _("危险化学品经营")
    HAZCHEM_USE = "hazchem_use", _("危险化学品使用")
    INDUSTRY_TRADE = "industry_trade", _("工贸行业")
    FIREWORKS = "fireworks", _("烟花爆竹")
    MINING = "mining", _("非煤矿山")
    OTHER = "other", _("其他")


class RiskLevel(models.TextChoices):
    """Enterprise safety-risk level (安全风险等级, 红橙黄蓝)."""

    MAJOR = "major", _("重大风险")
    LARGE = "large", _("较大风险")
    GENERAL = "general", _("一般风险")
    LOW = "low", _("低风险")


class Enterprise(models.Model):
    """A production or business unit (生产经营单位), party_type `unit` in cases."""

    name = models.CharField(_("单位名称"), max_length=200)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    address = models.CharField(_("地址"), max_length=255)
    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("属地"), on_delete=models.PROTECT, related_name="enterprises"
    )
    # Denormalised from jurisdiction.path so a scoped list is one indexed prefix match.
    jurisdiction_path = models.CharField(max_length=255, editable=False, db_index=True)
    industry_code = models.CharField(
        _("国民经济行业代码"), max_length=5, help_text=_("GB/T 4754，如 C2614")
    )
    supervision_category = models.CharField(
        _("监管类别"), max_length=30, choices=SupervisionCategory.choices
    )
    risk_level = models.CharField(
        _("安全风险等级"), max_length=10, choices=RiskLevel.choices, default=RiskLevel.LOW
    )
    park = models.ForeignKey(
        ChemicalPark, verbose_name=_("所在化工园区"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="enterprises",
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("生产经营单位")
        verbose_name_plural = _("生产经营单位")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["jurisdiction_path", "name"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.jurisdiction_path = self.jurisdiction.path
        super().save(*args, **kwargs)


class ResponsiblePerson(models.Model):
    """A named person of an enterprise: its principal (主要负责人) or a safety manager
    (安全管理人员). The ID number is stored whole and shown masked unless the viewer's
    role needs it (`subjects.rules.masking`)."""

    class Kind(models.TextChoices):
        PRINCIPAL = "principal", _("主要负责人")
        SAFETY_MANAGER = "safety_manager", _("安全管理人员")

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="people"
    )
    kind = models.CharField(_("身份"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("姓名"), max_length=50)
    id_number = models.CharField(_("居民身份证号"), max_length=18)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("责任人员")
        verbose_name_plural = _("责任人员")
        ordering = ["enterprise", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise"], condition=models.Q(kind="principal"),
                name="one_principal_per_enterprise",
            )
        ]

    def __str__(self) -> str:
        return self.name
