"""Hazardous-chemicals construction projects and their 三同时 reviews (安全条件审查 /
安全设施设计审查 / 竣工验收), consultation on new high-risk projects (新建项目会商咨询)
checked against the city's restriction list (危险化学品禁限控目录, kept by
administrators), and upgrade projects for old plants and equipment (改造提升, 淘汰更新设备).

Every write goes through `fazhi.licensing.services_projects`, which writes the event
record."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fazhi.core.models import Agency, Jurisdiction
from fazhi.subjects.models import Enterprise

__all__ = [
    "ConstructionProject", "ConsultationRequest", "RestrictedChemical", "ReviewStage",
    "ThreeSimultaneityReview", "UpgradeEquipment", "UpgradeProject",
]


class ConstructionProject(models.Model):
    """A hazardous-chemicals construction project (危险化学品建设项目)."""

    class Nature(models.TextChoices):
        NEW = "new", _("新建")
        REBUILD = "rebuild", _("改建")
        EXPAND = "expand", _("扩建")

    name = models.CharField(_("项目名称"), max_length=200)
    enterprise = models.ForeignKey(Enterprise, verbose_name=_("建设单位"),
                                   on_delete=models.PROTECT, related_name="construction_projects")
    jurisdiction_path = models.CharField(max_length=255, editable=False, db_index=True)
    agency = models.ForeignKey(Agency, verbose_name=_("审查机关"), on_delete=models.PROTECT,
                               related_name="construction_projects")
    nature = models.CharField(_("建设性质"), max_length=8, choices=Nature.choices)
    description = models.TextField(_("项目概况"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"),
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("危险化学品建设项目")
        verbose_name_plural = _("危险化学品建设项目")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "name"],
                                               name="construction_project_unique_name")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.jurisdiction_path = self.enterprise.jurisdiction_path
        super().save(*args, **kwargs)


class ReviewStage(models.TextChoices):
    """The three reviews in their order (三同时)."""

    CONDITIONS = "conditions", _("安全条件审查")
    DESIGN = "design", _("安全设施设计审查")
    ACCEPTANCE = "acceptance", _("竣工验收")


STAGE_ORDER = (ReviewStage.CONDITIONS, ReviewStage.DESIGN, ReviewStage.ACCEPTANCE)


class ThreeSimultaneityReview(models.Model):
    """One review of a project: applied, then concluded with an opinion (审查意见) and an
    outcome. A failed stage may be applied for again."""

    class Outcome(models.TextChoices):
        PASSED = "passed", _("通过")
        FAILED = "failed", _("不通过")

    project = models.ForeignKey(ConstructionProject, verbose_name=_("建设项目"),
                                on_delete=models.CASCADE, related_name="reviews")
    stage = models.CharField(_("审查环节"), max_length=12, choices=ReviewStage.choices)
    applied_on = models.DateField(_("申请日期"))
    experts = models.TextField(_("评审专家"), blank=True)
    concluded_on = models.DateField(_("审查完成日期"), null=True, blank=True, db_index=True)
    outcome = models.CharField(_("审查结论"), max_length=8, choices=Outcome.choices,
                               blank=True)
    opinion = models.TextField(_("审查意见"), blank=True)
    opinion_number = models.CharField(_("审查意见书文号"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("“三同时”审查")
        verbose_name_plural = _("“三同时”审查")
        ordering = ["project", "applied_on", "id"]

    def __str__(self) -> str:
        return f"{self.project} {self.get_stage_display()}"


class RestrictedChemical(models.Model):
    """A row of the city's hazardous-chemicals restriction list (禁限控目录)."""

    class Restriction(models.TextChoices):
        PROHIBITED = "prohibited", _("禁止")
        RESTRICTED = "restricted", _("限制")

    name = models.CharField(_("化学品名称"), max_length=100)
    cas = models.CharField(_("CAS号"), max_length=20, blank=True)
    restriction = models.CharField(_("管控类别"), max_length=12, choices=Restriction.choices)
    basis = models.TextField(_("依据"))
    active = models.BooleanField(_("有效"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("危险化学品禁限控目录")
        verbose_name_plural = _("危险化学品禁限控目录")
        ordering = ["restriction", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["name"],
                                               name="restricted_chemical_unique_name")]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_restriction_display()}）"


class ConsultationRequest(models.Model):
    """A request for consultation on a new project (新建项目会商咨询): the project, its
    chemicals checked against the restriction list, the experts, the opinion and the
    outcome (同意 / 否决 with reasons)."""

    class Outcome(models.TextChoices):
        APPROVED = "approved", _("同意")
        VETOED = "vetoed", _("否决")

    project_name = models.CharField(_("项目名称"), max_length=200)
    applicant = models.CharField(_("项目单位"), max_length=200)
    enterprise = models.ForeignKey(Enterprise, verbose_name=_("已登记企业"), null=True,
                                   blank=True, on_delete=models.PROTECT,
                                   related_name="consultations")
    jurisdiction = models.ForeignKey(Jurisdiction, verbose_name=_("拟建地"),
                                     on_delete=models.PROTECT, related_name="+")
    jurisdiction_path = models.CharField(max_length=255, editable=False, db_index=True)
    agency = models.ForeignKey(Agency, verbose_name=_("会商机关"), on_delete=models.PROTECT,
                               related_name="consultations")
    description = models.TextField(_("项目概况"))
    chemicals = models.TextField(_("涉及化学品"), help_text=_("每行一种：名称 CAS号"))
    matches = models.JSONField(_("禁限控目录比对结果"), default=list, blank=True)
    received_on = models.DateField(_("收到日期"))
    experts = models.TextField(_("会商专家"), blank=True)
    concluded_on = models.DateField(_("会商完成日期"), null=True, blank=True, db_index=True)
    outcome = models.CharField(_("会商结论"), max_length=8, choices=Outcome.choices,
                               blank=True)
    opinion = models.TextField(_("会商意见"), blank=True)
    reasons = models.TextField(_("否决理由"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"),
                                   on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("新建项目会商咨询")
        verbose_name_plural = _("新建项目会商咨询")
        ordering = ["-received_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["project_name", "received_on"],
                                               name="consultation_unique_project_day")]

    def __str__(self) -> str:
        return self.project_name

    def save(self, *args, **kwargs) -> None:
        self.jurisdiction_path = self.jurisdiction.path
        super().save(*args, **kwargs)


class UpgradeProject(models.Model):
    """An upgrade or elimination project for an old plant (项目改造提升)."""

    name = models.CharField(_("项目名称"), max_length=200)
    enterprise = models.ForeignKey(Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT,
                                   related_name="upgrade_projects")
    jurisdiction_path = models.CharField(max_length=255, editable=False, db_index=True)
    agency = models.ForeignKey(Agency, verbose_name=_("督导机关"), on_delete=models.PROTECT,
                               related_name="upgrade_projects")
    description = models.TextField(_("改造内容"), blank=True)
    started_on = models.DateField(_("开工日期"))
    completed_on = models.DateField(_("完成日期"), null=True, blank=True, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"),
                                   on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("改造提升项目")
        verbose_name_plural = _("改造提升项目")
        ordering = ["-started_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "name"],
                                               name="upgrade_project_unique_name")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.jurisdiction_path = self.enterprise.jurisdiction_path
        super().save(*args, **kwargs)


class UpgradeEquipment(models.Model):
    """Equipment eliminated or replaced in an upgrade project (淘汰更新设备, 套/台)."""

    class Action(models.TextChoices):
        ELIMINATED = "eliminated", _("淘汰")
        REPLACED = "replaced", _("更新")

    class Unit(models.TextChoices):
        SET = "set", _("套")
        UNIT = "unit", _("台")

    project = models.ForeignKey(UpgradeProject, verbose_name=_("改造提升项目"),
                                on_delete=models.CASCADE, related_name="equipment")
    name = models.CharField(_("设备名称"), max_length=100)
    action = models.CharField(_("处理方式"), max_length=12, choices=Action.choices)
    quantity = models.PositiveIntegerField(_("数量"))
    unit = models.CharField(_("单位"), max_length=4, choices=Unit.choices)

    class Meta:
        verbose_name = _("淘汰更新设备")
        verbose_name_plural = _("淘汰更新设备")
        ordering = ["project", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(quantity__gte=1),
                                              name="upgrade_equipment_quantity_positive")]

    def __str__(self) -> str:
        return f"{self.name} {self.quantity}{self.get_unit_display()}"
