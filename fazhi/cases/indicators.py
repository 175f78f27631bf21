"""Figures of the penalty-case module (行政处罚案件), computed from the records of the
period every time, never stored. Registered by `fazhi.reports.registry` (autodiscovery
of `indicators`; `fazhi.cases` is an installed app, nothing else to list).

Scope "city" (全市 / 全县): the cases located in the jurisdiction and everything below
it, by the case's denormalised `jurisdiction_path` (the place of the case, as the scoped
case lists read it); decisions, transfers, credit repairs and remedies are located by
their case. Scope "bureau" (局机关 / 市本级): the cases whose agency (执法机关) sits at
the jurisdiction itself — asked for the city, the city bureau's own cases, not the
county bureaus' or the town stations'; asked for a county, that county bureau's.

A period is whole days, start to end inclusive. The date that puts a record in a period
is named for each figure. The decide step (作出决定) dates every party's decision of a
case on the same day, so "a case decided in the period" is a case whose decisions are
dated (`decided_on`) in it.

cases.count:                 cases filed (立案, `filed_on`) in the period: 查处违法案件.
cases.dual_penalty:          一案双罚 cases: cases with a penalty decision (outcome
                             penalty) decided in the period for the unit party AND one
                             for at least one person party (主要负责人 or 其他直接责任人员).
cases.fines_confiscations:   罚没款: the fines plus confiscations (没收违法所得、非法财物)
                             of the penalty decisions decided in the period, Decimal
                             yuan. What was ordered, not what was paid.
cases.exempt:                轻微违法行为不予处罚 cases: cases decided in the period whose
                             every party decision is no_penalty (不予处罚) on ground minor
                             (轻微并及时改正) or first (首违轻微). no_fault (无主观过错,
                             《行政处罚法》第三十三条第二款) is not "轻微": a case with such a
                             decision is not counted.
cases.exempt.waived_amount:  免除罚款: the waived amounts (`waived_amount`) of those cases'
                             decisions, Decimal yuan.
cases.offsite:               非现场执法案件: cases filed in the period whose source is
                             non_site (非现场监管).
cases.online_rate:           线上办案率: of the cases filed in the period, the share not
                             entered afterwards (补录, `entered_afterwards`), ×100, one
                             decimal. No case filed: 0.0 (the registry's `percent`, as the
                             inspection module's rectification rate: nothing to do counts
                             as nothing done).
review.legal.cases:          法制审核案件 (bureau): distinct cases with a legal-review round
                             concluded (`concluded_on`) in the period.
review.legal.opinions:       法制审核意见（条） (bureau): the opinions of the rounds concluded
                             in the period.
review.collective.cases:     集体讨论决定的重大处罚案件 (bureau): distinct cases with a
                             collective discussion (集体讨论) dated in the period.
transfers.detention.persons: 移交公安部门行政拘留（人）: the persons named in detention
                             transfers dated (`transferred_on`) in the period, summed over
                             the transfers.
transfers.criminal.cases:    非事故类行刑衔接案件: distinct cases with a criminal transfer
                             (涉嫌犯罪移送) dated in the period, cases whose source is an
                             accident investigation (事故调查) excluded.
transfers.criminal.persons:  非事故类行刑衔接涉案人数: the persons named in those
                             transfers, summed over the transfers.
credit.repaired_units:       提前修复处罚信用信息企业: distinct enterprises with an early
                             credit-repair application (信用修复) approved (`decided_on`)
                             in the period.
reconsideration.overturned:  行政复议被撤销或确认违法: reconsiderations (行政复议) decided
                             (`decided_on`) in the period with result revoked (撤销) or
                             illegal (确认违法). varied (变更) is NOT counted: the report
                             counts 被撤销或确认违法 only.
litigation.lost:             行政诉讼败诉: litigations (行政诉讼) decided in the period with
                             result lost.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from fazhi.cases.models import (
    CaseSource,
    CollectiveDiscussion,
    CreditRepairApplication,
    ExemptGround,
    LegalReview,
    Outcome,
    PartyDecision,
    PartyKind,
    PenaltyCase,
    Remedy,
    ReviewOpinion,
    Transfer,
)
from fazhi.core.models import Jurisdiction
from fazhi.core.selectors import path_filter
from fazhi.reports.registry import Period, list_url, percent, register

PERSON_KINDS = (PartyKind.PRINCIPAL, PartyKind.RESPONSIBLE)
# 轻微违法行为不予处罚: 第三十三条第一款 (minor, first); no_fault (第二款) is another ground.
MINOR_GROUNDS = (ExemptGround.MINOR, ExemptGround.FIRST)
OVERTURNED = (Remedy.Result.REVOKED, Remedy.Result.ILLEGAL)
ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=16, decimal_places=2))


def _in(period: Period, field: str) -> Q:
    return Q(**{f"{field}__gte": period.start, f"{field}__lte": period.end})


def _cases_in_area(jurisdiction: Jurisdiction) -> QuerySet[PenaltyCase]:
    return PenaltyCase.objects.filter(path_filter(jurisdiction.path, field="jurisdiction_path"))


def _bureau(jurisdiction: Jurisdiction, case_field: str = "case") -> Q:
    # the agency at the jurisdiction's own level, not the bureaus and stations below it
    return Q(**{f"{case_field}__agency__jurisdiction": jurisdiction})


def _filed(period: Period, jurisdiction: Jurisdiction) -> QuerySet[PenaltyCase]:
    return _cases_in_area(jurisdiction).filter(_in(period, "filed_on"))


def _decisions(period: Period, jurisdiction: Jurisdiction) -> QuerySet[PartyDecision]:
    """Party decisions decided in the period, of cases in the area (by the case's place
    that each decision keeps: one indexed range, no join to the case)."""
    return PartyDecision.objects.filter(
        path_filter(jurisdiction.path, field="jurisdiction_path"), _in(period, "decided_on"),
    ).order_by()  # the model's ordering (by party, then case) would join the case


def _exempt_cases(period: Period, jurisdiction: Jurisdiction) -> QuerySet[PenaltyCase]:
    """Cases with a decision in the period all of whose decisions are 不予处罚 on a minor
    ground. Such a case's decision in the period is itself one of those: the candidates
    are the cases of the minor no-penalty decisions of the period (a tenth of them)."""
    of_case = PartyDecision.objects.filter(party__case=OuterRef("pk"))
    minor = _decisions(period, jurisdiction).filter(outcome=Outcome.NO_PENALTY,
                                                    exempt_ground__in=MINOR_GROUNDS)
    return PenaltyCase.objects.filter(pk__in=minor.values("party__case")).filter(
        ~Exists(of_case.exclude(outcome=Outcome.NO_PENALTY, exempt_ground__in=MINOR_GROUNDS)),
    )


def _persons(transfers: QuerySet[Transfer]) -> int:
    # `persons` is a JSON list of names; one query, summed here (no portable JSON length)
    return sum(len(names) for names in transfers.values_list("persons", flat=True))


def _criminal_transfers(period: Period, jurisdiction: Jurisdiction) -> QuerySet[Transfer]:
    return Transfer.objects.filter(
        path_filter(jurisdiction.path, field="case__jurisdiction_path"),
        _in(period, "transferred_on"), kind=Transfer.Kind.CRIMINAL,
    ).exclude(case__source=CaseSource.ACCIDENT)  # 非事故类


def _remedies(period: Period, jurisdiction: Jurisdiction, kind: str) -> QuerySet[Remedy]:
    return Remedy.objects.filter(
        path_filter(jurisdiction.path, field="decision__jurisdiction_path"),
        _in(period, "decided_on"), kind=kind)


def _filed_list(period: Period, jurisdiction: Jurisdiction, source: str | None = None) -> str:
    """Drill: the case list of the cases filed in the period in the area (of a source)."""
    return list_url("cases:case_list", jurisdiction=jurisdiction.code,
                    filed_from=period.start.isoformat(), filed_to=period.end.isoformat(),
                    source=source)


def _offsite_list(period: Period, jurisdiction: Jurisdiction) -> str:
    return _filed_list(period, jurisdiction, CaseSource.NON_SITE)


@register("cases.count",
          definition=_("统计期间内立案（立案日期在期内）的行政处罚案件数。"),
          label=_("查处违法案件"), unit=_("件"), kind="count", scope="city",
          drill=_filed_list)
def cases_count(period: Period, jurisdiction: Jurisdiction) -> int:
    return _filed(period, jurisdiction).count()


@register("cases.dual_penalty",
          definition=_("期内作出决定、对单位及至少一名主要负责人或其他直接责任人员均作出处罚决定"
                       "的案件数。"),
          label=_("“一案双罚”案件"), unit=_("件"), kind="count",
          scope="city")
def cases_dual_penalty(period: Period, jurisdiction: Jurisdiction) -> int:
    return (_decisions(period, jurisdiction).filter(outcome=Outcome.PENALTY)
            .values("party__case")
            .annotate(units=Count("pk", filter=Q(party__kind=PartyKind.UNIT)),
                      persons=Count("pk", filter=Q(party__kind__in=PERSON_KINDS)))
            .filter(units__gt=0, persons__gt=0).count())


@register("cases.fines_confiscations",
          definition=_("期内作出的行政处罚决定确定的罚款与没收违法所得、非法财物金额之和（元，按"
                       "决定数而非实缴数）。"),
          label=_("罚没款（元）"), unit=_("元"),
          kind="amount_yuan", scope="city")
def cases_fines_confiscations(period: Period, jurisdiction: Jurisdiction) -> Decimal:
    return _decisions(period, jurisdiction).filter(outcome=Outcome.PENALTY).aggregate(
        total=Coalesce(Sum(F("fine") + F("confiscation")), ZERO))["total"]


@register("cases.exempt",
          definition=_("期内作出决定、全部当事人均因违法行为轻微或首违轻微不予处罚的案件数（无主"
                       "观过错的不计入）。"),
          label=_("轻微违法行为不予处罚案件"), unit=_("件"), kind="count",
          scope="city")
def cases_exempt(period: Period, jurisdiction: Jurisdiction) -> int:
    return _exempt_cases(period, jurisdiction).count()


@register("cases.exempt.waived_amount",
          definition=_("上述不予处罚案件中按裁量基准本应处以的罚款金额之和（元）。"),
          label=_("免除罚款（元）"), unit=_("元"),
          kind="amount_yuan", scope="city")
def cases_exempt_waived_amount(period: Period, jurisdiction: Jurisdiction) -> Decimal:
    return PartyDecision.objects.filter(
        party__case__in=_exempt_cases(period, jurisdiction).values("pk"),
    ).aggregate(total=Coalesce(Sum("waived_amount"), ZERO))["total"]


@register("cases.offsite",
          definition=_("期内立案、案件来源为非现场监管的案件数。"),
          label=_("非现场执法案件"), unit=_("件"), kind="count", scope="city",
          drill=_offsite_list)
def cases_offsite(period: Period, jurisdiction: Jurisdiction) -> int:
    return _filed(period, jurisdiction).filter(source=CaseSource.NON_SITE).count()


@register("cases.online_rate",
          definition=_("期内立案案件中全程在系统内办理（非事后补录）的比例（%），保留一位小数。"),
          label=_("线上办案率"), unit=_("%"), kind="percent",
          scope="city")
def cases_online_rate(period: Period, jurisdiction: Jurisdiction) -> Decimal:
    counts = _filed(period, jurisdiction).aggregate(
        total=Count("pk"), online=Count("pk", filter=Q(entered_afterwards=False)))
    return percent(counts["online"], counts["total"], decimals=1)


@register("review.legal.cases",
          definition=_("本级机关期内完成法制审核（审核结论日期在期内）的案件数（去重）。"),
          label=_("法制审核案件"), unit=_("件"), kind="count",
          scope="bureau")
def review_legal_cases(period: Period, jurisdiction: Jurisdiction) -> int:
    return (LegalReview.objects.filter(_bureau(jurisdiction), _in(period, "concluded_on"))
            .values("case_id").distinct().count())


@register("review.legal.opinions",
          definition=_("本级机关期内完成的法制审核中提出的审核意见条数。"),
          label=_("法制审核意见（条）"), unit=_("条"), kind="count",
          scope="bureau")
def review_legal_opinions(period: Period, jurisdiction: Jurisdiction) -> int:
    return ReviewOpinion.objects.filter(
        _bureau(jurisdiction, "review__case"), _in(period, "review__concluded_on")).count()


@register("review.collective.cases",
          definition=_("本级机关期内经负责人集体讨论（讨论日期在期内）的案件数（去重）。"),
          label=_("集体讨论决定的重大处罚案件"), unit=_("件"),
          kind="count", scope="bureau")
def review_collective_cases(period: Period, jurisdiction: Jurisdiction) -> int:
    return (CollectiveDiscussion.objects.filter(_bureau(jurisdiction), _in(period, "date"))
            .values("case_id").distinct().count())


@register("transfers.detention.persons",
          definition=_("期内移送公安机关行政拘留的人数（按移送书所列人员合计）。"),
          label=_("移交公安部门行政拘留（人）"), unit=_("人"),
          kind="count", scope="city")
def transfers_detention_persons(period: Period, jurisdiction: Jurisdiction) -> int:
    return _persons(Transfer.objects.filter(
        path_filter(jurisdiction.path, field="case__jurisdiction_path"),
        _in(period, "transferred_on"), kind=Transfer.Kind.DETENTION))


@register("transfers.criminal.cases",
          definition=_("期内涉嫌犯罪移送司法机关的案件数（事故调查转入的案件除外）。"),
          label=_("非事故类行刑衔接案件（起）"), unit=_("起"),
          kind="count", scope="city")
def transfers_criminal_cases(period: Period, jurisdiction: Jurisdiction) -> int:
    return _criminal_transfers(period, jurisdiction).values("case_id").distinct().count()


@register("transfers.criminal.persons",
          definition=_("上述涉嫌犯罪移送案件所列人员数合计。"),
          label=_("非事故类行刑衔接涉案人数"), unit=_("人"),
          kind="count", scope="city")
def transfers_criminal_persons(period: Period, jurisdiction: Jurisdiction) -> int:
    return _persons(_criminal_transfers(period, jurisdiction))


@register("credit.repaired_units",
          definition=_("期内提前修复申请获准（审核日期在期内）的企业家数（去重）。"),
          label=_("提前修复处罚信用信息企业（家）"), unit=_("家"),
          kind="count", scope="city")
def credit_repaired_units(period: Period, jurisdiction: Jurisdiction) -> int:
    return (CreditRepairApplication.objects.filter(
        path_filter(jurisdiction.path, field="credit__decision__jurisdiction_path"),
        _in(period, "decided_on"), status=CreditRepairApplication.Status.APPROVED,
    ).values("credit__enterprise_id").distinct().count())


@register("reconsideration.overturned",
          definition=_("期内作出复议决定且结果为撤销或确认违法的行政复议件数（变更不计入）。"),
          label=_("行政复议被撤销或确认违法"), unit=_("件"),
          kind="count", scope="city")
def reconsideration_overturned(period: Period, jurisdiction: Jurisdiction) -> int:
    return _remedies(period, jurisdiction, Remedy.Kind.RECONSIDERATION).filter(
        result__in=OVERTURNED).count()


@register("litigation.lost",
          definition=_("期内判决、结果为败诉的行政诉讼件数。"),
          label=_("行政诉讼败诉"), unit=_("件"), kind="count", scope="city")
def litigation_lost(period: Period, jurisdiction: Jurisdiction) -> int:
    return _remedies(period, jurisdiction, Remedy.Kind.LITIGATION).filter(
        result=Remedy.Result.LOST).count()
