"""Penalty cases (行政处罚案件): the lead (线索登记) — where it came from (an inspection
finding, a tip, an accident ...), the enterprise, the facts, the enforcement items it
suggests and the evidence it carries — and the case as it moves through the workflow of
`fazhi.cases.rules.workflow`, with every record each stage makes: parties and evidence,
the investigation report, legal review with its opinions, collective discussion, the
notice, statements and hearing, the decision per party, service, payment, publicity
and credit, transfers, suspension and extension, reconsideration and litigation.

Every write goes through `fazhi.cases.services`, which writes the event record."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fazhi.cases.rules.workflow import STATE_LABELS
from fazhi.core.models import Agency, Jurisdiction, yuan_field
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
    # What the legal engine answered when the proposals were assessed (案件审核): whether
    # legal review (法制审核) and collective discussion (集体讨论) are required, on which
    # grounds and articles. None: not assessed yet. Never the officer's own say.
    review_required = models.BooleanField(_("须法制审核"), null=True)
    collective_required = models.BooleanField(_("须集体讨论"), null=True)
    assessment = models.JSONField(_("法律适用评估"), default=dict, blank=True)
    assessed_on = models.DateField(_("评估日期"), null=True, blank=True)
    closed_on = models.DateField(_("结案日期"), null=True, blank=True)
    archived_on = models.DateField(_("归档日期"), null=True, blank=True)
    # 补录: a case handled on paper and entered afterwards (counts against 线上办案率).
    entered_afterwards = models.BooleanField(_("线下办理后补录"), default=False)
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
                   models.Index(fields=["status", "decision_due"]),
                   # the figures of cases filed in an area and a period; on PostgreSQL
                   # the path takes varchar_pattern_ops so that `LIKE 'path%'` uses the
                   # index under any collation (other databases: a plain index)
                   models.Index(fields=["jurisdiction_path", "filed_on"],
                                name="case_path_filed_like",
                                opclasses=["varchar_pattern_ops", "date_ops"])]
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


# --- legal review (法制审核) ---------------------------------------------------------------

class ReviewConclusion(models.TextChoices):
    AGREE = "agree", _("同意")
    MODIFY = "modify", _("建议修改")
    SUPPLEMENT = "supplement", _("补充调查")
    DISAGREE = "disagree", _("不同意")


class LegalReview(models.Model):
    """One round of legal review (法制审核, 《行政处罚法》第五十八条): submitted by the
    handler, concluded by a reviewer after recording the opinions one by one."""

    case = models.ForeignKey(PenaltyCase, verbose_name=_("案件"), on_delete=models.CASCADE,
                             related_name="legal_reviews")
    round = models.PositiveSmallIntegerField(_("审核轮次"))
    submitted_on = models.DateField(_("提交日期"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("提交人"),
                                     on_delete=models.PROTECT, related_name="+")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审核人"), null=True,
                                 blank=True, on_delete=models.PROTECT, related_name="+")
    concluded_on = models.DateField(_("审核日期"), null=True, blank=True)
    conclusion = models.CharField(_("审核结论"), max_length=12, blank=True,
                                  choices=ReviewConclusion.choices)
    summary = models.TextField(_("审核意见"), blank=True)

    class Meta:
        verbose_name = _("法制审核")
        verbose_name_plural = _("法制审核")
        ordering = ["case", "round"]
        constraints = [models.UniqueConstraint(fields=["case", "round"],
                                               name="legal_review_round")]

    def __str__(self) -> str:
        return f"{self.case} 第{self.round}轮法制审核"


class ReviewOpinion(models.Model):
    """One opinion of a review: the issue, the law, the suggestion; and the handler's
    answer to it."""

    review = models.ForeignKey(LegalReview, verbose_name=_("法制审核"), on_delete=models.CASCADE,
                               related_name="opinions")
    number = models.PositiveSmallIntegerField(_("序号"))
    issue = models.TextField(_("问题"))
    law = models.TextField(_("法律依据"))
    suggestion = models.TextField(_("审核建议"))
    answer = models.TextField(_("承办人回复"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("回复人"),
                                    null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    answered_on = models.DateField(_("回复日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("法制审核意见")
        verbose_name_plural = _("法制审核意见")
        ordering = ["review", "number"]
        constraints = [models.UniqueConstraint(fields=["review", "number"],
                                               name="review_opinion_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.issue[:30]}"


class CollectiveDiscussion(models.Model):
    """集体讨论记录 (《行政处罚法》第五十七条第二款): the heads' discussion of the case."""

    case = models.ForeignKey(PenaltyCase, verbose_name=_("案件"), on_delete=models.CASCADE,
                             related_name="discussions")
    date = models.DateField(_("讨论日期"))
    host = models.CharField(_("主持人"), max_length=60)
    attendees = models.JSONField(_("出席人员"), default=list)
    # [{"name": ..., "opinion": ...}] in the order spoken
    opinions = models.JSONField(_("讨论意见"), default=list)
    conclusion = models.TextField(_("讨论结论"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"),
                                    on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("集体讨论记录")
        verbose_name_plural = _("集体讨论记录")
        ordering = ["case", "date", "id"]

    def __str__(self) -> str:
        return f"{self.case} {self.date}"


# --- notice, statements and hearing ------------------------------------------------------

class CaseNotice(models.Model):
    """行政处罚告知书 (《行政处罚法》第四十四条): the facts, grounds and proposed penalty
    and the party's rights; with hearing rights when the engine says they apply
    (第六十三条). The statement and hearing-request periods run from its service."""

    case = models.ForeignKey(PenaltyCase, verbose_name=_("案件"), on_delete=models.CASCADE,
                             related_name="notices")
    number = models.CharField(_("文书编号"), max_length=60, unique=True)
    issued_on = models.DateField(_("制作日期"))
    hearing_rights = models.BooleanField(_("告知听证权利"))
    served_on = models.DateField(_("送达日期"), null=True, blank=True)
    statement_due = models.DateField(_("陈述申辩期限"), null=True, blank=True)
    hearing_request_due = models.DateField(_("听证申请期限"), null=True, blank=True)
    citations = models.JSONField(_("法律依据"), default=list)

    class Meta:
        verbose_name = _("行政处罚告知书")
        verbose_name_plural = _("行政处罚告知书")
        ordering = ["case", "issued_on", "id"]

    def __str__(self) -> str:
        return self.number


class DefenceStatement(models.Model):
    """陈述申辩: what the party said (or its express waiver) and the agency's review of
    it (复核, 《行政处罚法》第四十五条)."""

    case = models.ForeignKey(PenaltyCase, verbose_name=_("案件"), on_delete=models.CASCADE,
                             related_name="statements")
    party = models.ForeignKey(CaseParty, verbose_name=_("当事人"), on_delete=models.CASCADE,
                              related_name="statements")
    received_on = models.DateField(_("收到日期"))
    waived = models.BooleanField(_("明确放弃陈述申辩"), default=False)
    content = models.TextField(_("陈述申辩内容"), blank=True)
    review = models.TextField(_("复核意见"), blank=True)
    adopted = models.BooleanField(_("意见成立予以采纳"), null=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"),
                                    on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("陈述申辩")
        verbose_name_plural = _("陈述申辩")
        ordering = ["case", "received_on", "id"]

    def __str__(self) -> str:
        return f"{self.party} {self.received_on}"


class Hearing(models.Model):
    """听证 (《行政处罚法》第六十四、六十五条): the request, the notice sent at least
    seven working days before, the record and the hearing report."""

    case = models.OneToOneField(PenaltyCase, verbose_name=_("案件"), on_delete=models.CASCADE,
                                related_name="hearing")
    requested_on = models.DateField(_("申请日期"))
    notice_number = models.CharField(_("听证通知书编号"), max_length=60, blank=True)
    notice_sent_on = models.DateField(_("通知日期"), null=True, blank=True)
    hearing_date = models.DateField(_("听证日期"), null=True, blank=True)
    place = models.CharField(_("听证地点"), max_length=200, blank=True)
    host = models.CharField(_("主持人"), max_length=60, blank=True)
    notice_compliant = models.BooleanField(_("提前七个工作日通知"), null=True)
    record = models.TextField(_("听证笔录"), blank=True)
    report = models.TextField(_("听证报告"), blank=True)

    class Meta:
        verbose_name = _("听证")
        verbose_name_plural = _("听证")

    def __str__(self) -> str:
        return f"{self.case} 听证"


# --- the decision, per party ----------------------------------------------------------------

class Outcome(models.TextChoices):
    PENALTY = "penalty", _("行政处罚")
    NO_PENALTY = "no_penalty", _("不予行政处罚")
    TRANSFER = "transfer", _("移送司法机关")


class ExemptGround(models.TextChoices):
    """行政处罚法 第三十三条: 轻微并及时改正 / 首违轻微 / 无主观过错."""

    MINOR = "minor", _("违法行为轻微并及时改正，没有造成危害后果")
    FIRST = "first", _("初次违法且危害后果轻微并及时改正")
    NO_FAULT = "no_fault", _("当事人有证据足以证明没有主观过错")


class PartyDecision(models.Model):
    """The decision for one party: proposed during case review (案件处理呈批表, with the
    engine's range beside it), numbered and dated when decided, then served, executed
    and published."""

    party = models.OneToOneField(CaseParty, verbose_name=_("当事人"), on_delete=models.CASCADE,
                                 related_name="decision")
    outcome = models.CharField(_("处理结果"), max_length=12, choices=Outcome.choices)
    item = models.ForeignKey(EnforcementItem, verbose_name=_("适用事项"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    measures = models.JSONField(_("处罚种类"), default=list)
    fine = yuan_field(_("罚款（元）"), default=0)
    confiscation = yuan_field(_("没收违法所得、非法财物（元）"), default=0)
    # first finding (首次发现) or not corrected when ordered (逾期未改正): the catalogue's stage
    stage = models.CharField(_("违法阶段"), max_length=8, default="first")
    tier = models.CharField(_("裁量阶次"), max_length=12, blank=True)
    statutory_min = yuan_field(_("法定罚款下限"), null=True, blank=True)
    statutory_max = yuan_field(_("法定罚款上限"), null=True, blank=True)
    recommended_min = yuan_field(_("裁量基准下限"), null=True, blank=True)
    recommended_max = yuan_field(_("裁量基准上限"), null=True, blank=True)
    suggested = yuan_field(_("建议罚款"), null=True, blank=True)
    method = models.TextField(_("裁量说明"), blank=True)
    deviation_reason = models.TextField(_("偏离裁量基准的理由"), blank=True)
    exempt_ground = models.CharField(_("不予处罚情形"), max_length=12, blank=True,
                                     choices=ExemptGround.choices)
    waived_amount = yuan_field(_("免除罚款（元）"), default=0)
    hearing_rights = models.BooleanField(_("享有听证权利"), default=False)
    credit_severity = models.CharField(_("失信程度"), max_length=12, default="general")
    citations = models.JSONField(_("法律依据"), default=list)
    reason = models.TextField(_("处理理由"), blank=True)
    number = models.CharField(_("决定书编号"), max_length=60, blank=True)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    served_on = models.DateField(_("送达日期"), null=True, blank=True)
    service_method = models.CharField(_("送达方式"), max_length=30, blank=True)
    service_recipient = models.CharField(_("签收人"), max_length=60, blank=True)
    payment_due = models.DateField(_("缴款期限"), null=True, blank=True)
    # The case's place, copied when the decision is saved (as PenaltyCase.jurisdiction_path),
    # so the figures of decisions in an area and a period read this table alone.
    jurisdiction_path = models.CharField(max_length=255, editable=False, blank=True,
                                         default="")

    class Meta:
        verbose_name = _("处理决定")
        verbose_name_plural = _("处理决定")
        ordering = ["party"]
        indexes = [models.Index(fields=["decided_on"]),
                   # decisions in an area and a period (varchar_pattern_ops: see the case)
                   models.Index(fields=["jurisdiction_path", "decided_on"],
                                name="decision_path_day_like",
                                opclasses=["varchar_pattern_ops", "date_ops"])]
        constraints = [
            models.UniqueConstraint(fields=["number"], condition=~models.Q(number=""),
                                    name="party_decision_number_unique"),
            models.CheckConstraint(name="party_decision_money_not_negative",
                                   condition=models.Q(fine__gte=0, confiscation__gte=0,
                                                      waived_amount__gte=0)),
        ]

    def __str__(self) -> str:
        return f"{self.party} {self.get_outcome_display()}"

    def save(self, *args, **kwargs) -> None:
        if not self.jurisdiction_path:  # a case's place does not change
            self.jurisdiction_path = self.party.case.jurisdiction_path
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "jurisdiction_path"}
        super().save(*args, **kwargs)

    @property
    def amount_due(self):
        """Fine and confiscation (罚没款) ordered."""
        return self.fine + self.confiscation


class PaymentArrangement(models.Model):
    """暂缓或者分期缴纳 (《行政处罚法》第六十六条第二款), on the party's application and
    with the agency's approval: the new due date, or the instalments."""

    class Kind(models.TextChoices):
        DEFERRAL = "deferral", _("暂缓缴纳")
        INSTALMENTS = "instalments", _("分期缴纳")

    decision = models.OneToOneField(PartyDecision, verbose_name=_("处理决定"),
                                    on_delete=models.CASCADE, related_name="arrangement")
    kind = models.CharField(_("方式"), max_length=12, choices=Kind.choices)
    reason = models.TextField(_("申请理由"))
    # [{"due": "YYYY-MM-DD", "amount": "123.00"}]: one entry for a deferral
    schedule = models.JSONField(_("缴纳计划"))
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("批准人"),
                                    on_delete=models.PROTECT, related_name="+")
    approved_on = models.DateField(_("批准日期"))

    class Meta:
        verbose_name = _("暂缓或分期缴纳")
        verbose_name_plural = _("暂缓或分期缴纳")

    def __str__(self) -> str:
        return f"{self.decision} {self.get_kind_display()}"


class Payment(models.Model):
    """A payment of the fine or confiscation, or of the surcharge (加处罚款)."""

    class Kind(models.TextChoices):
        PRINCIPAL = "principal", _("罚没款")
        SURCHARGE = "surcharge", _("加处罚款")

    decision = models.ForeignKey(PartyDecision, verbose_name=_("处理决定"),
                                 on_delete=models.CASCADE, related_name="payments")
    kind = models.CharField(_("款项"), max_length=12, choices=Kind.choices)
    amount = yuan_field(_("金额（元）"))
    paid_on = models.DateField(_("缴款日期"))
    receipt = models.CharField(_("缴款凭证号"), max_length=60, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"),
                                    on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("缴款")
        verbose_name_plural = _("缴款")
        ordering = ["decision", "paid_on", "id"]
        constraints = [models.CheckConstraint(name="payment_positive",
                                              condition=models.Q(amount__gt=0))]

    def __str__(self) -> str:
        return f"{self.decision} {self.amount}"


class CourtEnforcement(models.Model):
    """申请人民法院强制执行 (《行政处罚法》第七十二条第一款第（四）项, 行政强制法 第五十三条)."""

    decision = models.OneToOneField(PartyDecision, verbose_name=_("处理决定"),
                                    on_delete=models.CASCADE, related_name="court_enforcement")
    applied_on = models.DateField(_("申请日期"))
    court = models.CharField(_("人民法院"), max_length=100)
    concluded_on = models.DateField(_("执行终结日期"), null=True, blank=True)
    outcome = models.TextField(_("执行结果"), blank=True)

    class Meta:
        verbose_name = _("申请强制执行")
        verbose_name_plural = _("申请强制执行")

    def __str__(self) -> str:
        return f"{self.decision} {self.court}"


# --- suspension and extension ---------------------------------------------------------------

class CaseSuspension(models.Model):
    """中止 (with reasons and the head's approval): while open, the case does not move;
    on resumption the decision deadline moves by the days it lasted."""

    case = models.ForeignKey(PenaltyCase, verbose_name=_("案件"), on_delete=models.CASCADE,
                             related_name="suspensions")
    reason = models.TextField(_("中止理由"))
    started_on = models.DateField(_("中止日期"))
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("批准人"),
                                    on_delete=models.PROTECT, related_name="+")
    ended_on = models.DateField(_("恢复日期"), null=True, blank=True)
    resumed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("批准恢复"),
                                   null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        verbose_name = _("案件中止")
        verbose_name_plural = _("案件中止")
        ordering = ["case", "started_on"]
        constraints = [models.UniqueConstraint(fields=["case"],
                                               condition=models.Q(ended_on__isnull=True),
                                               name="case_one_open_suspension")]

    def __str__(self) -> str:
        return f"{self.case} 中止 {self.started_on}"


class CaseExtension(models.Model):
    """延期 of the decision deadline, within the limits the engine gives, approved."""

    case = models.ForeignKey(PenaltyCase, verbose_name=_("案件"), on_delete=models.CASCADE,
                             related_name="extensions")
    reason = models.TextField(_("延期理由"))
    approved_on = models.DateField(_("批准日期"))
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("批准人"),
                                    on_delete=models.PROTECT, related_name="+")
    due_before = models.DateField(_("原期限"))
    due_after = models.DateField(_("延长至"))
    basis = models.JSONField(_("法律依据"), default=list)

    class Meta:
        verbose_name = _("案件延期")
        verbose_name_plural = _("案件延期")
        ordering = ["case", "approved_on"]

    def __str__(self) -> str:
        return f"{self.case} 延期至{self.due_after}"


# --- transfers ----------------------------------------------------------------------------------

class Transfer(models.Model):
    """移送: to the police for administrative detention (行政拘留, persons counted), or
    for a suspected crime (行刑衔接: the transfer letter, the police's acceptance or
    return, the outcome)."""

    class Kind(models.TextChoices):
        DETENTION = "detention", _("移送公安机关行政拘留")
        CRIMINAL = "criminal", _("涉嫌犯罪移送司法机关")

    class Answer(models.TextChoices):
        PENDING = "pending", _("待回复")
        ACCEPTED = "accepted", _("已受理（立案）")
        RETURNED = "returned", _("不予受理、退回")

    case = models.ForeignKey(PenaltyCase, verbose_name=_("案件"), on_delete=models.CASCADE,
                             related_name="transfers")
    kind = models.CharField(_("移送类别"), max_length=12, choices=Kind.choices)
    number = models.CharField(_("移送书编号"), max_length=60, unique=True)
    transferred_on = models.DateField(_("移送日期"))
    receiver = models.CharField(_("接收机关"), max_length=100)
    persons = models.JSONField(_("移送人员"), default=list)  # names
    facts = models.TextField(_("移送事由"))
    answer = models.CharField(_("接收机关回复"), max_length=12, choices=Answer.choices,
                              default=Answer.PENDING)
    answered_on = models.DateField(_("回复日期"), null=True, blank=True)
    outcome = models.TextField(_("处理结果"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("经办人"),
                                   on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("案件移送")
        verbose_name_plural = _("案件移送")
        ordering = ["case", "transferred_on", "id"]

    def __str__(self) -> str:
        return self.number

    @property
    def person_count(self) -> int:
        return len(self.persons)


# --- publicity, credit, remedies ---------------------------------------------------------------

class Publicity(models.Model):
    """A penalty decision queued for the public portal: due within 7 working days of the
    decision, personal data masked; ended early by credit repair or by the decision
    being set aside."""

    decision = models.OneToOneField(PartyDecision, verbose_name=_("处理决定"),
                                    on_delete=models.CASCADE, related_name="publicity")
    due = models.DateField(_("公示期限"))
    content = models.TextField(_("公示内容"), blank=True)
    published_on = models.DateField(_("公示日期"), null=True, blank=True)
    ends_on = models.DateField(_("公示截止"), null=True, blank=True)
    ended_on = models.DateField(_("提前撤下日期"), null=True, blank=True)
    ended_reason = models.CharField(_("撤下原因"), max_length=200, blank=True)
    citations = models.JSONField(_("法律依据"), default=list)

    class Meta:
        verbose_name = _("行政处罚公示")
        verbose_name_plural = _("行政处罚公示")
        indexes = [models.Index(fields=["due", "published_on"])]

    def __str__(self) -> str:
        return f"{self.decision} 公示"


class CreditRecord(models.Model):
    """The penalty's credit information (信用信息) with the publicity periods the engine
    gives for the rule in force on the decision day (双告知: the decision says how to
    repair it)."""

    decision = models.OneToOneField(PartyDecision, verbose_name=_("处理决定"),
                                    on_delete=models.CASCADE, related_name="credit")
    enterprise = models.ForeignKey(Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT,
                                   related_name="credit_records")
    severity = models.CharField(_("失信程度"), max_length=12)
    rule_version = models.CharField(_("适用规则"), max_length=8)
    min_period_ends = models.DateField(_("最短公示期届满"), null=True, blank=True)
    earliest_repair = models.DateField(_("最早可申请修复"), null=True, blank=True)
    publicity_ends_at_latest = models.DateField(_("最长公示期届满"))
    conditions = models.JSONField(_("修复条件"), default=list)
    citations = models.JSONField(_("法律依据"), default=list)
    repaired_on = models.DateField(_("修复日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("信用记录")
        verbose_name_plural = _("信用记录")

    def __str__(self) -> str:
        return f"{self.enterprise} {self.decision.number}"


class CreditRepairApplication(models.Model):
    """The enterprise's application for early credit repair (提前修复), decided by an
    officer with reasons; approval ends the publicity."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("准予修复")
        REFUSED = "refused", _("不予修复")

    credit = models.ForeignKey(CreditRecord, verbose_name=_("信用记录"), on_delete=models.CASCADE,
                               related_name="repair_applications")
    applied_on = models.DateField(_("申请日期"))
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("申请人"),
                                  on_delete=models.PROTECT, related_name="+")
    statement = models.TextField(_("申请理由及整改情况"))
    status = models.CharField(_("审核结果"), max_length=12, choices=Status.choices,
                              default=Status.PENDING)
    decided_on = models.DateField(_("审核日期"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审核人"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")
    decision_reason = models.TextField(_("审核理由"), blank=True)

    class Meta:
        verbose_name = _("信用修复申请")
        verbose_name_plural = _("信用修复申请")
        ordering = ["credit", "applied_on", "id"]
        constraints = [models.UniqueConstraint(fields=["credit"],
                                               condition=models.Q(status="pending"),
                                               name="credit_one_pending_repair")]

    def __str__(self) -> str:
        return f"{self.credit} {self.get_status_display()}"


class Remedy(models.Model):
    """行政复议 or 行政诉讼 against a decision, and its outcome."""

    class Kind(models.TextChoices):
        RECONSIDERATION = "reconsideration", _("行政复议")
        LITIGATION = "litigation", _("行政诉讼")

    class Result(models.TextChoices):
        PENDING = "pending", _("审理中")
        UPHELD = "upheld", _("维持")
        VARIED = "varied", _("变更")
        REVOKED = "revoked", _("撤销")
        ILLEGAL = "illegal", _("确认违法")
        WON = "won", _("胜诉")
        LOST = "lost", _("败诉")
        WITHDRAWN = "withdrawn", _("撤诉")

    decision = models.ForeignKey(PartyDecision, verbose_name=_("处理决定"),
                                 on_delete=models.CASCADE, related_name="remedies")
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices)
    filed_on = models.DateField(_("申请（起诉）日期"))
    body = models.CharField(_("复议机关或人民法院"), max_length=100)
    result = models.CharField(_("结果"), max_length=12, choices=Result.choices,
                              default=Result.PENDING)
    decided_on = models.DateField(_("决定（判决）日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("复议诉讼")
        verbose_name_plural = _("复议诉讼")
        ordering = ["decision", "filed_on"]

    def __str__(self) -> str:
        return f"{self.decision} {self.get_kind_display()}"
