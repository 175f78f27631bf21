"""Penalty cases (行政处罚案件): the lead (线索登记) — where it came from (an inspection
finding, a tip, an accident ...), the enterprise, the facts, the enforcement items it
suggests and the evidence it carries — and the case as it moves through the workflow of
`fazhi.cases.rules.workflow` (filing so far; investigation to archive build on it).

Every write goes through `fazhi.cases.services`, which writes the event record."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fazhi.cases.rules.workflow import STATE_LABELS
from fazhi.core.models import Agency, Jurisdiction
from fazhi.inspection.models import EvidenceFile, Finding
from fazhi.legal.models import EnforcementItem
from fazhi.subjects.models import Enterprise


class CaseSource(models.TextChoices):
    INSPECTION = "inspection", _("检查发现")
    TIP = "tip", _("投诉举报")
    ACCIDENT = "accident", _("事故调查")
    REFERRAL = "referral", _("移送交办")
    NON_SITE = "non_site", _("非现场监管")
    OTHER = "other", _("其他")


# The states of `fazhi.cases.rules.workflow`, which owns the procedure.
CaseStatus = models.TextChoices(
    "CaseStatus", [(code.upper(), (code, label)) for code, label in STATE_LABELS.items()])


class PenaltyCase(models.Model):
    """A penalty case (行政处罚案件), from its lead onwards."""

    agency = models.ForeignKey(Agency, verbose_name=_("执法机关"), on_delete=models.PROTECT,
                               related_name="cases")
    enterprise = models.ForeignKey(Enterprise, verbose_name=_("当事单位"),
                                   on_delete=models.PROTECT, related_name="cases")
    jurisdiction = models.ForeignKey(Jurisdiction, verbose_name=_("属地"),
                                     on_delete=models.PROTECT, related_name="cases")
    jurisdiction_path = models.CharField(max_length=255, editable=False, db_index=True)
    source = models.CharField(_("案件来源"), max_length=12, choices=CaseSource.choices)
    finding = models.ForeignKey(Finding, verbose_name=_("来源检查问题"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="case_leads")
    status = models.CharField(_("办理阶段"), max_length=20, choices=CaseStatus.choices,
                              default=CaseStatus.LEAD)
    # Optimistic locking: every transition names the version it saw; a stale one is
    # refused so two officers acting at once cannot both move the case.
    version = models.PositiveIntegerField(_("版本"), default=1)
    number = models.CharField(_("立案编号"), max_length=60, blank=True)
    facts = models.TextField(_("线索情况"))
    discovered_on = models.DateField(_("发现日期"))
    violation_date = models.DateField(
        _("违法行为发生（终了）日期"), null=True, blank=True,
        help_text=_("连续或继续状态的违法行为，填写行为终了之日（《行政处罚法》第三十六条）"))
    handlers = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("承办人员"),
                                      blank=True, related_name="handled_cases")
    filed_on = models.DateField(_("立案日期"), null=True, blank=True)
    decision_due = models.DateField(_("作出决定期限"), null=True, blank=True)
    ended_reason = models.TextField(_("不予立案、撤销或终止理由"), blank=True)
    items = models.ManyToManyField(EnforcementItem, verbose_name=_("涉及执法事项"), blank=True,
                                   related_name="cases")
    inspection_evidence = models.ManyToManyField(
        EvidenceFile, verbose_name=_("检查证据"), blank=True, related_name="cases")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"),
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("行政处罚案件")
        verbose_name_plural = _("行政处罚案件")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["jurisdiction_path", "created_at"]),
                   models.Index(fields=["status", "decision_due"])]
        constraints = [
            models.UniqueConstraint(fields=["number"], condition=~models.Q(number=""),
                                    name="case_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise}（{self.get_status_display()}）"

    def save(self, *args, **kwargs) -> None:
        self.jurisdiction_path = self.jurisdiction.path
        super().save(*args, **kwargs)


class PartyKind(models.TextChoices):
    """一案双罚: the unit and, separately, its principal or other responsible persons."""

    UNIT = "unit", _("生产经营单位")
    PRINCIPAL = "principal", _("主要负责人")
    RESPONSIBLE = "responsible", _("其他直接责任人员")


class CaseParty(models.Model):
    """A party (当事人) of the case, each with its own measures and decision later."""

    case = models.ForeignKey(PenaltyCase, verbose_name=_("案件"), on_delete=models.CASCADE,
                             related_name="parties")
    kind = models.CharField(_("当事人类别"), max_length=12, choices=PartyKind.choices)
    person = models.ForeignKey(
        "subjects.ResponsiblePerson", verbose_name=_("责任人员"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="case_parties")
    name = models.CharField(_("名称或姓名"), max_length=200)

    class Meta:
        verbose_name = _("当事人")
        verbose_name_plural = _("当事人")
        ordering = ["case", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=models.Q(kind="unit"),
                                    name="case_one_unit_party"),
            models.UniqueConstraint(fields=["case", "person"], name="case_party_person_once"),
            models.CheckConstraint(
                name="case_party_person_iff_individual",
                condition=(models.Q(kind="unit", person__isnull=True)
                           | (~models.Q(kind="unit") & models.Q(person__isnull=False)))),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_kind_display()}）"


class EvidenceKind(models.TextChoices):
    """The kinds of evidence of 《行政诉讼法》第三十三条."""

    DOCUMENT = "document", _("书证")
    PHYSICAL = "physical", _("物证")
    AUDIOVISUAL = "audiovisual", _("视听资料")
    ELECTRONIC = "electronic", _("电子数据")
    WITNESS = "witness", _("证人证言")
    PARTY_STATEMENT = "party_statement", _("当事人的陈述")
    EXPERT_OPINION = "expert_opinion", _("鉴定意见")
    RECORD = "record", _("勘验笔录、现场笔录")


class EvidenceItem(models.Model):
    """One line of the evidence list (证据清单): what it is, where it came from and what
    it proves; a file of the inspection when it was collected there."""

    case = models.ForeignKey(PenaltyCase, verbose_name=_("案件"), on_delete=models.CASCADE,
                             related_name="evidence_items")
    number = models.PositiveIntegerField(_("序号"))
    kind = models.CharField(_("证据种类"), max_length=20, choices=EvidenceKind.choices)
    name = models.CharField(_("证据名称"), max_length=200)
    source = models.CharField(_("来源"), max_length=200)
    proves = models.CharField(_("证明对象"), max_length=500)
    collected_on = models.DateField(_("收集日期"))
    file = models.ForeignKey(EvidenceFile, verbose_name=_("文件"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="case_items")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"),
                                   on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("证据清单")
        verbose_name_plural = _("证据清单")
        ordering = ["case", "number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="evidence_item_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class InvestigationReport(models.Model):
    """调查终结报告: the facts found, the evidence relied on and the handling proposed."""

    case = models.OneToOneField(PenaltyCase, verbose_name=_("案件"), on_delete=models.CASCADE,
                                related_name="investigation_report")
    date = models.DateField(_("报告日期"))
    facts = models.TextField(_("违法事实"))
    proposal = models.TextField(_("处理意见"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("承办人"),
                                   on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("调查终结报告")
        verbose_name_plural = _("调查终结报告")

    def __str__(self) -> str:
        return f"{self.case} {self.date}"
