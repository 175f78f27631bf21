"""Tables of the tasks app (任务督办): action plans (行动方案) with their master task list
and sub-plans (子方案) with their own lists, the units that own tasks (责任单位), the
tasks with due dates, progress reports (进展报告) with evidence, and completion with who
confirmed it (销号).

A task is done on a day when its completion was confirmed and `completed_on` is on or
before that day: rates "as of" a past day do not count tasks completed later. A task
counts towards a plan from `assigned_on` (the day it was handed out)."""

from __future__ import annotations

import datetime
import hashlib

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from fazhi.core.models import Agency, Department, Jurisdiction, User


class OwnerUnit(models.Model):
    """A unit that owns tasks (责任单位): an emergency-management agency or one of its
    departments (处室), or another government department (住建, 交通 ...) that is no
    emergency-management agency and has no users here.

    Users of the unit: those of `department` when it is set, else those of `agency`;
    the leaders of `agency` see every unit of their agency."""

    class Kind(models.TextChoices):
        EMERGENCY = "emergency", _("应急管理部门")
        GOVERNMENT = "government", _("政府其他部门")
        OTHER = "other", _("其他单位")

    name = models.CharField(_("名称"), max_length=100, unique=True)
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    jurisdiction = models.ForeignKey(Jurisdiction, verbose_name=_("所属区划"),
                                     on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, verbose_name=_("对应执法机关"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="owner_units")
    department = models.ForeignKey(Department, verbose_name=_("对应处室"), null=True,
                                   blank=True, on_delete=models.PROTECT,
                                   related_name="owner_units")
    jurisdiction_path = models.CharField(max_length=255, editable=False, db_index=True)

    class Meta:
        verbose_name = _("责任单位")
        verbose_name_plural = _("责任单位")
        ordering = ["jurisdiction__code", "kind", "name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.jurisdiction_path = self.jurisdiction.path
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.department_id:
            if self.agency_id and self.department.agency_id != self.agency_id:
                raise ValidationError({"department": _("处室须属于对应执法机关")})
            self.agency_id = self.department.agency_id
        if self.kind == self.Kind.EMERGENCY and not self.agency_id:
            raise ValidationError({"agency": _("应急管理部门须对应一个执法机关或处室")})
        if self.kind != self.Kind.EMERGENCY and self.agency_id:
            raise ValidationError({"agency": _("非应急管理部门不对应执法机关")})


class ActionPlan(models.Model):
    """An action plan (行动方案) — a master plan, or a sub-plan (`parent`) with its own
    task list. `category` tells which plans a report figure reads (治本攻坚三年行动, the
    major-hazard criteria task list), never their names."""

    class Category(models.TextChoices):
        ROOT_CAUSE = "root_cause", _("安全生产治本攻坚三年行动")
        MAJOR_HAZARD_CRITERIA = "major_hazard_criteria", _("重大事故隐患判定标准落实")
        GENERAL = "general", _("其他工作方案")

    title = models.CharField(_("方案名称"), max_length=200)
    category = models.CharField(_("类别"), max_length=30, choices=Category.choices)
    parent = models.ForeignKey("self", verbose_name=_("总方案"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="subplans")
    agency = models.ForeignKey(Agency, verbose_name=_("牵头机关"), on_delete=models.PROTECT,
                               related_name="action_plans")
    lead_unit = models.ForeignKey(OwnerUnit, verbose_name=_("牵头单位"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="led_plans")
    document_number = models.CharField(_("文号"), max_length=60, blank=True)
    issued_on = models.DateField(_("印发日期"))
    start_year = models.PositiveSmallIntegerField(_("起始年度"))
    end_year = models.PositiveSmallIntegerField(_("结束年度"))
    jurisdiction_path = models.CharField(max_length=255, editable=False, db_index=True)

    class Meta:
        verbose_name = _("行动方案")
        verbose_name_plural = _("行动方案")
        ordering = ["-issued_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "title"], name="actionplan_unique"),
            models.CheckConstraint(name="actionplan_years",
                                   condition=Q(end_year__gte=F("start_year"))),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.jurisdiction_path = self.agency.jurisdiction.path
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.parent_id:
            if self.parent.parent_id:
                raise ValidationError({"parent": _("子方案不能再下设子方案")})
            if self.category and self.parent.category != self.category:
                raise ValidationError({"category": _("子方案的类别须与总方案一致")})
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValidationError({"end_year": _("结束年度不能早于起始年度")})

    @property
    def is_master(self) -> bool:
        return self.parent_id is None


class Task(models.Model):
    """One task of a plan's list."""

    plan = models.ForeignKey(ActionPlan, verbose_name=_("所属方案"), on_delete=models.PROTECT,
                             related_name="tasks")
    number = models.CharField(_("序号"), max_length=20)
    title = models.CharField(_("任务内容"), max_length=500)
    owners = models.ManyToManyField(OwnerUnit, verbose_name=_("责任单位"), related_name="tasks")
    assigned_on = models.DateField(_("下达日期"))
    due_on = models.DateField(_("完成时限"))
    completed_on = models.DateField(_("完成日期"), null=True, blank=True)
    confirmed_by = models.ForeignKey(User, verbose_name=_("销号确认人"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=300, blank=True)
    jurisdiction_path = models.CharField(max_length=255, editable=False, db_index=True)

    class Meta:
        verbose_name = _("任务")
        verbose_name_plural = _("任务")
        ordering = ["plan", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="task_unique_number"),
            models.CheckConstraint(
                name="task_completion_confirmed",
                condition=Q(completed_on__isnull=True) | Q(confirmed_by__isnull=False)),
        ]
        indexes = [models.Index(fields=["due_on", "completed_on"])]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def save(self, *args, **kwargs) -> None:
        self.jurisdiction_path = self.plan.jurisdiction_path
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.due_on and self.assigned_on and self.due_on < self.assigned_on:
            raise ValidationError({"due_on": _("完成时限不能早于下达日期")})
        if self.completed_on and self.assigned_on and self.completed_on < self.assigned_on:
            raise ValidationError({"completed_on": _("完成日期不能早于下达日期")})

    def done_on(self, day: datetime.date) -> bool:
        return self.completed_on is not None and self.completed_on <= day


class TaskProgress(models.Model):
    """A progress report (进展报告) by an owner unit; `claims_done` asks for 销号."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="progress")
    unit = models.ForeignKey(OwnerUnit, verbose_name=_("报告单位"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    reported_on = models.DateField(_("报告日期"))
    text = models.TextField(_("进展情况"))
    claims_done = models.BooleanField(_("申请销号"), default=False)
    reporter = models.ForeignKey(User, verbose_name=_("报告人"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("任务进展")
        verbose_name_plural = _("任务进展")
        ordering = ["reported_on", "pk"]

    def __str__(self) -> str:
        return f"{self.task_id} {self.reported_on}"


def evidence_path(instance: TaskEvidence, filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower()[:10] if "." in filename else "bin"
    return f"tasks/evidence/{instance.sha256[:2]}/{instance.sha256}.{suffix}"


class TaskEvidence(models.Model):
    progress = models.ForeignKey(TaskProgress, on_delete=models.CASCADE,
                                 related_name="evidence")
    name = models.CharField(_("文件名"), max_length=200)
    file = models.FileField(_("文件"), upload_to=evidence_path, max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64)

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def digest(data: bytes) -> str:
        return hashlib.sha256(data).hexdigest()
