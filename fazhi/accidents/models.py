"""Production-safety accidents (生产安全事故): the registry with the class the legal
engine computes (`fazhi.legal.rules.accidents`), every change of the figures kept;
reporting timeliness (the unit's report and the bureau's report upward); the
investigation (who leads, the team, the 60-day report, its approval 批复, the
accountability it proposes and the penalty cases it leads to); and the legality review
of investigation reports (legal guidance from the judicial bureau, written opinions).

Every write goes through `fazhi.accidents.services`, which writes the event record."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fazhi.core.models import Agency, Jurisdiction, yuan_field
from fazhi.subjects.models import Enterprise


class Industry(models.TextChoices):
    """The bureau's classification of accidents in its statistics (行业领域)."""

    INDUSTRY_TRADE = "industry_trade", _("工矿商贸")
    ROAD = "road", _("道路交通")
    FIRE = "fire", _("火灾")
    CONSTRUCTION = "construction", _("建筑施工")
    WATER = "water", _("水上交通")
    RAIL = "rail", _("铁路交通")
    AGRICULTURE = "agriculture", _("农业机械")
    OTHER = "other", _("其他")


class AccidentClass(models.TextChoices):
    """条例 第三条 (the codes of `fazhi.legal.rules.accidents`)."""

    ORDINARY = "ordinary", _("一般事故")
    LARGE = "large", _("较大事故")
    MAJOR = "major", _("重大事故")
    EXTRAORDINARY = "extraordinary", _("特别重大事故")


class Accident(models.Model):
    """One accident in the registry (事故登记). The figures are the latest known; each
    change is an `AccidentRevision` and an event, and the class is recomputed by the
    engine every time (never typed in)."""

    number = models.CharField(_("事故编号"), max_length=40, unique=True)
    agency = models.ForeignKey(Agency, verbose_name=_("登记机关"), on_delete=models.PROTECT,
                               related_name="accidents")
    jurisdiction = models.ForeignKey(Jurisdiction, verbose_name=_("发生地"),
                                     on_delete=models.PROTECT, related_name="accidents")
    jurisdiction_path = models.CharField(max_length=255, editable=False, db_index=True)
    occurred_at = models.DateTimeField(_("发生时间"))
    place = models.CharField(_("发生地点"), max_length=200)
    enterprise = models.ForeignKey(Enterprise, verbose_name=_("事故单位"), null=True,
                                   blank=True, on_delete=models.PROTECT,
                                   related_name="accidents")
    industry = models.CharField(_("行业领域"), max_length=16, choices=Industry.choices)
    on_highway = models.BooleanField(_("高速公路"), default=False)
    deaths = models.PositiveIntegerField(_("死亡人数"), default=0)
    missing = models.PositiveIntegerField(_("下落不明人数"), default=0)
    serious_injuries = models.PositiveIntegerField(_("重伤人数（含急性工业中毒）"), default=0)
    direct_loss = yuan_field(_("直接经济损失（元）"), max_digits=16, default=0)
    account = models.TextField(_("事故简要经过"))
    accident_class = models.CharField(_("事故等级"), max_length=16,
                                      choices=AccidentClass.choices)
    class_citations = models.JSONField(_("定级依据"), default=list)
    # Reporting (条例 第九条: the unit's head within 1 hour; 第十一条: each level ≤ 2 hours).
    head_informed_at = models.DateTimeField(_("单位负责人接到报告时间"), null=True, blank=True)
    unit_reported_at = models.DateTimeField(_("单位报告时间"), null=True, blank=True)
    bureau_informed_at = models.DateTimeField(_("本局接到报告时间"), null=True, blank=True)
    reported_up_at = models.DateTimeField(_("向上级报告时间"), null=True, blank=True)
    # 漏报 / 谎报 / 瞒报 are findings of fact (条例 第三十五、三十六条), recorded with reasons;
    # 迟报 is computed from the times.
    omitted_report = models.BooleanField(_("漏报"), default=False)
    false_report = models.BooleanField(_("谎报"), default=False)
    concealed = models.BooleanField(_("瞒报"), default=False)
    report_finding = models.TextField(_("报告情况认定"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"),
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("生产安全事故")
        verbose_name_plural = _("生产安全事故")
        ordering = ["-occurred_at", "-id"]
        # On PostgreSQL the path takes varchar_pattern_ops so that `LIKE 'path%'` (an area
        # and everything below it) uses the index under any collation; other databases
        # ignore opclasses and build a plain index on the same columns.
        indexes = [models.Index(fields=["jurisdiction_path", "occurred_at"],
                                name="accident_path_at_like",
                                opclasses=["varchar_pattern_ops", "timestamptz_ops"]),
                   models.Index(fields=["occurred_at"])]

    def __str__(self) -> str:
        return f"{self.number} {self.place}"

    def save(self, *args, **kwargs) -> None:
        self.jurisdiction_path = self.jurisdiction.path
        super().save(*args, **kwargs)


class AccidentRevision(models.Model):
    """The figures as registered and after each change (e.g. a death seven days later,
    条例 第十三条 补报), with the class the engine gave them."""

    accident = models.ForeignKey(Accident, verbose_name=_("事故"), on_delete=models.CASCADE,
                                 related_name="revisions")
    known_on = models.DateField(_("获知日期"))
    deaths = models.PositiveIntegerField(_("死亡人数"))
    missing = models.PositiveIntegerField(_("下落不明人数"))
    serious_injuries = models.PositiveIntegerField(_("重伤人数"))
    direct_loss = yuan_field(_("直接经济损失（元）"), max_digits=16)
    accident_class = models.CharField(_("事故等级"), max_length=16,
                                      choices=AccidentClass.choices)
    reason = models.CharField(_("变化原因"), max_length=200)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"),
                                    on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("记录时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("事故数据变更")
        verbose_name_plural = _("事故数据变更")
        ordering = ["accident", "known_on", "id"]

    def __str__(self) -> str:
        return f"{self.accident} {self.known_on}"


class Investigation(models.Model):
    """事故调查 (条例 第十九条 who leads by class; 第二十九条 the 60-day report,
    extendable by at most 60 days with approval; 第三十二条 the approval 批复)."""

    accident = models.OneToOneField(Accident, verbose_name=_("事故"), on_delete=models.CASCADE,
                                    related_name="investigation")
    led_by = models.CharField(_("负责调查的人民政府（部门）"), max_length=100)
    lead_agency = models.ForeignKey(Agency, verbose_name=_("牵头部门"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="investigations")
    team = models.JSONField(_("调查组成员"), default=list)  # [{"name", "unit", "role"}]
    started_on = models.DateField(_("成立日期"))
    report_due = models.DateField(_("报告期限"))
    appraisal_days = models.PositiveIntegerField(_("技术鉴定天数（不计入）"), default=0)
    extension_days = models.PositiveIntegerField(_("批准延长天数"), default=0)
    extension_reason = models.TextField(_("延长理由"), blank=True)
    extension_approved_by = models.CharField(_("延长批准机关"), max_length=100, blank=True)
    report_submitted_on = models.DateField(_("报告提交日期"), null=True, blank=True)
    cause = models.TextField(_("事故原因"), blank=True)
    nature = models.CharField(_("事故性质"), max_length=20, blank=True)
    report_summary = models.TextField(_("调查报告摘要"), blank=True)
    reply_due = models.DateField(_("批复期限"), null=True, blank=True)
    approved_on = models.DateField(_("批复日期"), null=True, blank=True)
    approved_by = models.CharField(_("批复机关"), max_length=100, blank=True)
    citations = models.JSONField(_("法律依据"), default=list)

    class Meta:
        verbose_name = _("事故调查")
        verbose_name_plural = _("事故调查")

    def __str__(self) -> str:
        return f"{self.accident} 调查"


class Accountability(models.Model):
    """A unit or person the report holds responsible, with the proposed measures, and
    the penalty case opened from it (安全生产法 第一百一十四条 unit / 第九十五条 principal)."""

    class Subject(models.TextChoices):
        UNIT = "unit", _("事故责任单位")
        PRINCIPAL = "principal", _("主要负责人")
        PERSON = "person", _("其他责任人员")

    investigation = models.ForeignKey(Investigation, verbose_name=_("事故调查"),
                                      on_delete=models.CASCADE, related_name="accountability")
    subject = models.CharField(_("责任主体"), max_length=12, choices=Subject.choices)
    name = models.CharField(_("名称或姓名"), max_length=200)
    enterprise = models.ForeignKey(Enterprise, verbose_name=_("单位"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("subjects.ResponsiblePerson", verbose_name=_("人员"),
                               null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    responsibility = models.TextField(_("责任认定"))
    measures = models.TextField(_("处理建议"))
    case = models.ForeignKey("cases.PenaltyCase", verbose_name=_("行政处罚案件"), null=True,
                             blank=True, on_delete=models.PROTECT,
                             related_name="accident_accountability")

    class Meta:
        verbose_name = _("责任追究")
        verbose_name_plural = _("责任追究")
        ordering = ["investigation", "id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_subject_display()}）"


class ReportReview(models.Model):
    """Legality review of an investigation report (调查报告合法性审查): the request to
    the judicial bureau for legal guidance on a complex report and the guidance given."""

    investigation = models.ForeignKey(Investigation, verbose_name=_("事故调查"),
                                      on_delete=models.CASCADE, related_name="reviews")
    requested_on = models.DateField(_("申请日期"))
    requested_of = models.CharField(_("司法行政部门"), max_length=100)
    questions = models.TextField(_("请求指导的问题"))
    guidance_on = models.DateField(_("指导日期"), null=True, blank=True)
    guidance = models.TextField(_("法律指导意见"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("经办人"),
                                   on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("调查报告法律指导")
        verbose_name_plural = _("调查报告法律指导")
        ordering = ["investigation", "requested_on", "id"]

    def __str__(self) -> str:
        return f"{self.investigation} {self.requested_on}"


class LegalityOpinion(models.Model):
    """A written legality opinion (书面合法性审查意见) on an investigation report."""

    investigation = models.ForeignKey(Investigation, verbose_name=_("事故调查"),
                                      on_delete=models.CASCADE, related_name="opinions")
    review = models.ForeignKey(ReportReview, verbose_name=_("法律指导"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="opinions")
    issued_on = models.DateField(_("出具日期"))
    issued_by = models.CharField(_("出具单位"), max_length=100)
    conclusion = models.TextField(_("审查结论"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"),
                                   on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("书面合法性审查意见")
        verbose_name_plural = _("书面合法性审查意见")
        ordering = ["investigation", "issued_on", "id"]

    def __str__(self) -> str:
        return f"{self.investigation} {self.issued_on}"


class OpinionItem(models.Model):
    """One item of a legality opinion, the investigation team's response and the
    outcome (adopted or not)."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("待处理")
        ADOPTED = "adopted", _("已采纳")
        PARTLY = "partly", _("部分采纳")
        NOT_ADOPTED = "not_adopted", _("未采纳（已说明理由）")

    opinion = models.ForeignKey(LegalityOpinion, verbose_name=_("审查意见"),
                                on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField(_("序号"))
    issue = models.TextField(_("审查意见"))
    response = models.TextField(_("调查组回复"), blank=True)
    outcome = models.CharField(_("处理结果"), max_length=12, choices=Outcome.choices,
                               default=Outcome.PENDING)

    class Meta:
        verbose_name = _("审查意见条目")
        verbose_name_plural = _("审查意见条目")
        ordering = ["opinion", "number"]
        constraints = [models.UniqueConstraint(fields=["opinion", "number"],
                                               name="opinion_item_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.issue[:30]}"
