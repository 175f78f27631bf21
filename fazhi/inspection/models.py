"""Inspections (执法检查): annual plans, random selection (双随机), recusals (回避),
inspection records (现场检查记录) with their checklist results, findings and evidence.

Every write goes through `fazhi.inspection.services`, which writes the event record."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fazhi.core.models import Agency, Jurisdiction
from fazhi.subjects.models import Enterprise


class InspectionCategory(models.TextChoices):
    KEY = "key", _("重点检查")
    GENERAL = "general", _("一般检查")
    SPECIAL = "special", _("专项检查")
    JOINT = "joint", _("联合检查")


class InspectionPlan(models.Model):
    """An agency's annual enforcement plan (年度执法检查计划) with its planned counts."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草拟")
        IN_FORCE = "in_force", _("执行中")
        CLOSED = "closed", _("已结束")

    agency = models.ForeignKey(Agency, verbose_name=_("执法机关"), on_delete=models.PROTECT,
                               related_name="inspection_plans")
    year = models.PositiveIntegerField(_("年度"))
    title = models.CharField(_("计划名称"), max_length=200)
    planned_key = models.PositiveIntegerField(_("重点检查计划户次"), default=0)
    planned_general = models.PositiveIntegerField(_("一般检查计划户次"), default=0)
    planned_special = models.PositiveIntegerField(_("专项检查计划户次"), default=0)
    planned_joint = models.PositiveIntegerField(_("联合检查计划户次"), default=0)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices,
                              default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("编制人"),
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("编制时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("执法检查计划")
        verbose_name_plural = _("执法检查计划")
        ordering = ["-year", "agency_id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="inspection_plan_per_year"),
        ]

    def __str__(self) -> str:
        return self.title


class RandomDraw(models.Model):
    """One random selection (双随机抽取) under a plan. The inputs (seed, pool, officers,
    recusals, previous pairs) and the result are kept here and in the draw's event,
    so anyone with the right can re-run it and compare."""

    plan = models.ForeignKey(InspectionPlan, verbose_name=_("检查计划"),
                             on_delete=models.PROTECT, related_name="draws")
    category = models.CharField(_("检查类别"), max_length=10, choices=InspectionCategory.choices)
    filters = models.JSONField(_("抽取条件"), default=dict)
    sampling_ratio = models.DecimalField(_("抽查比例"), max_digits=5, decimal_places=4)
    seed = models.BigIntegerField(_("随机种子"))
    draw_date = models.DateField(_("执法证核验日期"))
    pool = models.JSONField(_("抽查对象名录快照"), default=list)  # [[enterprise id, risk], ...]
    officer_pool = models.JSONField(_("执法人员名录快照"), default=list)  # [[id, certified]]
    recusals = models.JSONField(_("回避情况"), default=dict)  # {enterprise id: [officer ids]}
    previous_pairs = models.JSONField(_("上次检查人员"), default=dict)
    result = models.JSONField(_("抽取结果"), default=list)  # [{enterprise, officers}]
    drawn_at = models.DateTimeField(_("抽取时间"), default=timezone.now, editable=False)
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("抽取人"),
                                 on_delete=models.PROTECT, related_name="+")
    published = models.BooleanField(_("已公示"), default=False)
    published_at = models.DateTimeField(_("公示时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("双随机抽取")
        verbose_name_plural = _("双随机抽取")
        ordering = ["-drawn_at", "-id"]

    def __str__(self) -> str:
        return f"{self.plan} #{self.pk}"


class DrawPick(models.Model):
    """An enterprise drawn, with the officers drawn to inspect it."""

    draw = models.ForeignKey(RandomDraw, verbose_name=_("抽取"), on_delete=models.CASCADE,
                             related_name="picks")
    position = models.PositiveIntegerField(_("抽取顺序"))
    enterprise = models.ForeignKey(Enterprise, verbose_name=_("被抽取单位"),
                                   on_delete=models.PROTECT, related_name="draw_picks")
    officers = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("检查人员"),
                                      related_name="draw_picks")

    class Meta:
        verbose_name = _("抽取结果")
        verbose_name_plural = _("抽取结果")
        ordering = ["draw", "position"]
        constraints = [
            models.UniqueConstraint(fields=["draw", "enterprise"], name="draw_pick_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.draw_id}/{self.position} {self.enterprise_id}"


class Recusal(models.Model):
    """回避: an officer who may not act for an enterprise (《行政处罚法》第四十三条)."""

    officer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("执法人员"),
                                on_delete=models.PROTECT, related_name="recusals")
    enterprise = models.ForeignKey(Enterprise, verbose_name=_("单位"), on_delete=models.PROTECT,
                                   related_name="recusals")
    reason = models.CharField(_("回避事由"), max_length=300)
    valid_from = models.DateField(_("起始日期"))
    valid_to = models.DateField(_("截止日期"), null=True, blank=True,
                                help_text=_("空白表示长期"))
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"),
                                    on_delete=models.PROTECT, related_name="+")
    declared_at = models.DateTimeField(_("登记时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("回避")
        verbose_name_plural = _("回避")
        ordering = ["-valid_from", "-id"]
        constraints = [
            models.CheckConstraint(
                name="recusal_valid_range",
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.officer} / {self.enterprise}"


class Inspection(models.Model):
    """An inspection (执法检查) and its record (现场检查记录). Saved as a draft on a
    phone and finished later; both need at least two officers with certificates valid
    on the inspection date."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        FINISHED = "finished", _("已完成")

    class NonSiteSource(models.TextChoices):
        MONITORING = "monitoring", _("在线监测")
        VIDEO = "video", _("视频监控")
        DOCUMENTS = "documents", _("书面材料")
        OTHER = "other", _("其他")

    plan = models.ForeignKey(InspectionPlan, verbose_name=_("检查计划"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="inspections")
    pick = models.ForeignKey(DrawPick, verbose_name=_("双随机抽取结果"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="inspections")
    agency = models.ForeignKey(Agency, verbose_name=_("执法机关"), on_delete=models.PROTECT,
                               related_name="inspections")
    enterprise = models.ForeignKey(Enterprise, verbose_name=_("被检查单位"),
                                   on_delete=models.PROTECT, related_name="inspections")
    jurisdiction = models.ForeignKey(Jurisdiction, verbose_name=_("属地"),
                                     on_delete=models.PROTECT, related_name="inspections")
    # Denormalised from jurisdiction.path (as subjects.Enterprise) for scoped lists.
    jurisdiction_path = models.CharField(max_length=255, editable=False, db_index=True)
    date = models.DateField(_("检查日期"))
    place = models.CharField(_("检查地点"), max_length=255)
    category = models.CharField(_("检查类别"), max_length=10, choices=InspectionCategory.choices)
    officers = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("检查人员"),
                                      related_name="inspections")
    non_site = models.BooleanField(_("非现场执法"), default=False)
    non_site_source = models.CharField(_("非现场证据来源"), max_length=12, blank=True,
                                       choices=NonSiteSource.choices)
    joint_departments = models.JSONField(_("联合检查部门"), default=list, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices,
                              default=Status.DRAFT)
    signed_by = models.CharField(_("被检查单位签字人"), max_length=50, blank=True)
    refusal_reason = models.CharField(_("拒绝签字情况"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"),
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("执法检查")
        verbose_name_plural = _("执法检查")
        ordering = ["-date", "-id"]
        # On PostgreSQL the path takes varchar_pattern_ops so that `LIKE 'path%'` (an area
        # and everything below it) uses the index under any collation; other databases
        # ignore opclasses and build a plain index on the same columns.
        indexes = [models.Index(fields=["jurisdiction_path", "date", "status"],
                                name="inspection_path_date_like",
                                opclasses=["varchar_pattern_ops", "date_ops",
                                           "varchar_pattern_ops"])]
        constraints = [
            models.CheckConstraint(
                name="inspection_non_site_has_source",
                condition=models.Q(non_site=False) | ~models.Q(non_site_source=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.date}"

    def save(self, *args, **kwargs) -> None:
        self.jurisdiction_path = self.jurisdiction.path
        super().save(*args, **kwargs)


class ChecklistItem(models.Model):
    """A checklist item (检查事项): one item of a major-hazard criterion, or a general
    item the bureau adds."""

    class Standard(models.TextChoices):
        CHEMICALS_2017 = "chemicals_2017", _("化工和危险化学品重大隐患判定标准（20项）")
        INDUSTRY_TRADE_2023 = "industry_trade_2023", _("工贸企业重大事故隐患判定标准")
        GENERAL = "general", _("一般检查事项")

    code = models.CharField(_("编码"), max_length=30, unique=True)
    standard = models.CharField(_("依据标准"), max_length=30, choices=Standard.choices)
    group = models.CharField(_("分组"), max_length=40, blank=True)
    number = models.PositiveIntegerField(_("序号"))
    text = models.CharField(_("检查内容"), max_length=500)
    confidence = models.CharField(_("核实程度"), max_length=10, blank=True)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("检查事项")
        verbose_name_plural = _("检查事项")
        ordering = ["standard", "group", "number"]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:30]}"

    @property
    def major_hazard_item(self) -> bool:
        """True when a finding on this item meets a major-hazard criterion."""
        return self.standard != self.Standard.GENERAL


class InspectionResult(models.Model):
    """The result of one checklist item in one inspection."""

    class Outcome(models.TextChoices):
        OK = "ok", _("符合")
        FINDING = "finding", _("发现问题")
        NA = "na", _("不适用")

    inspection = models.ForeignKey(Inspection, verbose_name=_("检查"), on_delete=models.CASCADE,
                                   related_name="results")
    item = models.ForeignKey(ChecklistItem, verbose_name=_("检查事项"),
                             on_delete=models.PROTECT, related_name="results")
    outcome = models.CharField(_("检查结果"), max_length=10, choices=Outcome.choices)
    note = models.CharField(_("说明"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("检查事项结果")
        verbose_name_plural = _("检查事项结果")
        ordering = ["inspection", "item"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "item"], name="inspection_result_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.inspection_id}/{self.item_id}: {self.outcome}"


class Finding(models.Model):
    """A problem found in an inspection (检查发现的问题)."""

    inspection = models.ForeignKey(Inspection, verbose_name=_("检查"), on_delete=models.CASCADE,
                                   related_name="findings")
    item = models.ForeignKey(ChecklistItem, verbose_name=_("对应检查事项"), null=True,
                             blank=True, on_delete=models.PROTECT, related_name="findings")
    description = models.TextField(_("问题描述"))
    created_at = models.DateTimeField(_("记录时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("检查发现问题")
        verbose_name_plural = _("检查发现问题")
        ordering = ["inspection", "id"]

    def __str__(self) -> str:
        return self.description[:40]


def evidence_path(instance: EvidenceFile, filename: str) -> str:
    # Content-addressed: the name is the checksum, never the uploader's file name.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"inspection/evidence/{instance.sha256[:2]}/{instance.sha256}.{suffix}"


class EvidenceFile(models.Model):
    """A photo, recording or document supporting a finding, stored under MEDIA_ROOT
    with its SHA-256 (limits: `rules.evidence`)."""

    finding = models.ForeignKey(Finding, verbose_name=_("检查发现问题"),
                                on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(_("文件"), upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    content_type = models.CharField(_("文件类型"), max_length=100)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("上传人"),
                                    on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("证据文件")
        verbose_name_plural = _("证据文件")
        ordering = ["finding", "id"]

    def __str__(self) -> str:
        return self.original_name


# --- hazards (事故隐患) ----------------------------------------------------------------------

class HazardLevel(models.TextChoices):
    GENERAL = "general", _("一般事故隐患")
    MAJOR = "major", _("重大事故隐患")


class Hazard(models.Model):
    """An accident hazard (事故隐患) found in an inspection. A general hazard may be
    rectified on the spot; otherwise a rectification order (责令限期整改指令书) sets a
    deadline, the enterprise reports, officers re-inspect (复查), and the hazard is
    closed (销号) or ordered again. A major hazard names the criterion item it meets and
    may be listed for supervision (挂牌督办).

    `deadline` and `reinspection_due` are those of the current order, kept here so
    officers' overdue lists are one indexed query."""

    class Status(models.TextChoices):
        ORDERED = "ordered", _("限期整改中")
        REPORTED = "reported", _("已报整改待复查")
        CLOSED = "closed", _("已销号")
        ESCALATED = "escalated", _("整改不合格已移交立案")

    finding = models.OneToOneField(Finding, verbose_name=_("检查发现问题"),
                                   on_delete=models.PROTECT, related_name="hazard")
    inspection = models.ForeignKey(Inspection, verbose_name=_("检查"), on_delete=models.PROTECT,
                                   related_name="hazards")
    enterprise = models.ForeignKey(Enterprise, verbose_name=_("单位"), on_delete=models.PROTECT,
                                   related_name="hazards")
    agency = models.ForeignKey(Agency, verbose_name=_("执法机关"), on_delete=models.PROTECT,
                               related_name="hazards")
    jurisdiction = models.ForeignKey(Jurisdiction, verbose_name=_("属地"),
                                     on_delete=models.PROTECT, related_name="hazards")
    jurisdiction_path = models.CharField(max_length=255, editable=False, db_index=True)
    level = models.CharField(_("隐患等级"), max_length=10, choices=HazardLevel.choices)
    criterion = models.ForeignKey(
        ChecklistItem, verbose_name=_("重大事故隐患判定依据"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="hazards",
    )
    description = models.TextField(_("隐患描述"))
    found_on = models.DateField(_("发现日期"))
    rectified_on_site = models.BooleanField(_("当场整改"), default=False)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices,
                              default=Status.ORDERED)
    deadline = models.DateField(_("整改期限"), null=True, blank=True)
    reinspection_due = models.DateField(_("复查期限"), null=True, blank=True)
    closed_on = models.DateField(_("销号日期"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"),
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("事故隐患")
        verbose_name_plural = _("事故隐患")
        ordering = ["-found_on", "-id"]
        # On PostgreSQL the path takes varchar_pattern_ops so that `LIKE 'path%'` (an area
        # and everything below it) uses the index under any collation; other databases
        # ignore opclasses and build a plain index on the same columns.
        indexes = [
            models.Index(fields=["jurisdiction_path", "found_on", "level"],
                         name="hazard_path_found_like",
                         opclasses=["varchar_pattern_ops", "date_ops", "varchar_pattern_ops"]),
            models.Index(fields=["status", "deadline"]),
            models.Index(fields=["status", "reinspection_due"]),
        ]
        constraints = [
            models.CheckConstraint(
                name="hazard_major_names_criterion",
                condition=models.Q(level="general") | models.Q(criterion__isnull=False),
            ),
            models.CheckConstraint(
                name="hazard_on_site_only_general",
                condition=models.Q(rectified_on_site=False) | models.Q(level="general"),
            ),
        ]

    def __str__(self) -> str:
        return self.description[:40]

    def save(self, *args, **kwargs) -> None:
        self.jurisdiction_path = self.jurisdiction.path
        super().save(*args, **kwargs)

    # Overdue, in one place for the lists (queries) and the pages (one row): the
    # enterprise is late when the order's deadline passed with no report; the officers
    # are late when the re-inspection due day passed on a hazard still open.
    @classmethod
    def order_overdue_q(cls, today: datetime.date) -> models.Q:
        return models.Q(status=cls.Status.ORDERED, deadline__lt=today)

    @classmethod
    def reinspection_overdue_q(cls, today: datetime.date) -> models.Q:
        return models.Q(status__in=[cls.Status.ORDERED, cls.Status.REPORTED],
                        reinspection_due__lt=today)

    def order_overdue(self, today: datetime.date) -> bool:
        return (self.status == self.Status.ORDERED and self.deadline is not None
                and self.deadline < today)

    def reinspection_overdue(self, today: datetime.date) -> bool:
        return (self.status in (self.Status.ORDERED, self.Status.REPORTED)
                and self.reinspection_due is not None and self.reinspection_due < today)

    def overdue(self, today: datetime.date) -> bool:
        return self.order_overdue(today) or self.reinspection_overdue(today)


class RectificationOrder(models.Model):
    """责令限期整改指令书: one rectification round of a hazard, with the enterprise's
    report (整改情况报告) and the date by which officers must re-inspect."""

    hazard = models.ForeignKey(Hazard, verbose_name=_("事故隐患"), on_delete=models.PROTECT,
                               related_name="orders")
    number = models.CharField(_("文书编号"), max_length=60, unique=True)
    issued_on = models.DateField(_("下达日期"))
    deadline = models.DateField(_("整改期限"))
    requirements = models.TextField(_("整改要求"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("下达人"),
                                  on_delete=models.PROTECT, related_name="+")
    report_date = models.DateField(_("整改报告日期"), null=True, blank=True)
    report_text = models.TextField(_("整改情况"), blank=True)
    reinspection_due = models.DateField(_("复查期限"))

    class Meta:
        verbose_name = _("责令限期整改指令书")
        verbose_name_plural = _("责令限期整改指令书")
        ordering = ["hazard", "issued_on", "id"]
        constraints = [
            models.CheckConstraint(name="order_deadline_after_issue",
                                   condition=models.Q(deadline__gte=models.F("issued_on"))),
        ]

    def __str__(self) -> str:
        return self.number


class Reinspection(models.Model):
    """复查 of one rectification order, with its opinion (整改复查意见书)."""

    order = models.OneToOneField(RectificationOrder, verbose_name=_("整改指令"),
                                 on_delete=models.PROTECT, related_name="reinspection")
    number = models.CharField(_("文书编号"), max_length=60, unique=True)
    date = models.DateField(_("复查日期"))
    officers = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("复查人员"),
                                      related_name="reinspections")
    passed = models.BooleanField(_("整改合格"))
    opinion = models.TextField(_("复查意见"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"),
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("记录时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("整改复查")
        verbose_name_plural = _("整改复查")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return self.number


class SupervisionLevel(models.TextChoices):
    PROVINCE = "province", _("省级挂牌督办")
    CITY = "city", _("市级挂牌督办")
    COUNTY = "county", _("县级挂牌督办")


class HazardSupervision(models.Model):
    """挂牌督办 of a major hazard: who supervises it, from when, and when it was closed
    (摘牌) after the hazard was rectified."""

    hazard = models.OneToOneField(Hazard, verbose_name=_("重大事故隐患"),
                                  on_delete=models.PROTECT, related_name="supervision")
    level = models.CharField(_("督办级别"), max_length=10, choices=SupervisionLevel.choices)
    agency = models.ForeignKey(Agency, verbose_name=_("督办机关"), on_delete=models.PROTECT,
                               related_name="hazard_supervisions")
    listed_on = models.DateField(_("挂牌日期"))
    closed_on = models.DateField(_("摘牌日期"), null=True, blank=True)
    note = models.CharField(_("督办要求"), max_length=500, blank=True)
    listed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("挂牌人"),
                                  on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("挂牌督办")
        verbose_name_plural = _("挂牌督办")
        ordering = ["-listed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                name="supervision_closed_after_listing",
                condition=models.Q(closed_on__isnull=True)
                | models.Q(closed_on__gte=models.F("listed_on")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.hazard}"


# --- assistance (帮扶指导) --------------------------------------------------------------------

class AssistanceVisit(models.Model):
    """An expert service visit (专家指导服务 / 帮扶指导) to an enterprise."""

    enterprise = models.ForeignKey(Enterprise, verbose_name=_("单位"), on_delete=models.PROTECT,
                                   related_name="assistance_visits")
    agency = models.ForeignKey(Agency, verbose_name=_("组织机关"), on_delete=models.PROTECT,
                               related_name="assistance_visits")
    jurisdiction_path = models.CharField(max_length=255, editable=False, db_index=True)
    date = models.DateField(_("服务日期"))
    expert = models.CharField(_("专家"), max_length=100)
    expert_field = models.CharField(_("专业领域"), max_length=100, blank=True)
    problems = models.TextField(_("发现的问题"))
    advice = models.TextField(_("指导意见"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"),
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("记录时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("帮扶指导")
        verbose_name_plural = _("帮扶指导")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["jurisdiction_path", "date"])]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.date}"

    def save(self, *args, **kwargs) -> None:
        self.jurisdiction_path = self.enterprise.jurisdiction_path
        super().save(*args, **kwargs)


class KeyAssistedEnterprise(models.Model):
    """An enterprise on an agency's list of key enterprises under assistance
    (重点帮扶企业) for a year."""

    enterprise = models.ForeignKey(Enterprise, verbose_name=_("单位"), on_delete=models.PROTECT,
                                   related_name="key_assistance")
    agency = models.ForeignKey(Agency, verbose_name=_("帮扶机关"), on_delete=models.PROTECT,
                               related_name="key_assisted")
    jurisdiction_path = models.CharField(max_length=255, editable=False, db_index=True)
    year = models.PositiveIntegerField(_("年度"))
    reason = models.CharField(_("列入原因"), max_length=300)
    listed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("列入人"),
                                  on_delete=models.PROTECT, related_name="+")
    listed_at = models.DateTimeField(_("列入时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("重点帮扶企业")
        verbose_name_plural = _("重点帮扶企业")
        ordering = ["-year", "enterprise_id"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year"], name="key_assisted_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.enterprise}"

    def save(self, *args, **kwargs) -> None:
        self.jurisdiction_path = self.enterprise.jurisdiction_path
        super().save(*args, **kwargs)
