"""Figures of fair-competition review (公平竞争审查), computed from the records every
time. Scope "bureau": the records of the agency at the jurisdiction's own level (局机关 /
市本级), not those of the bureaus below it. Periods are whole Asia/Shanghai days.

fcr.screened:   公平竞争审查筛查文件: the distinct archived documents (存量文件) of the
                bureau screened by a batch screening run that finished in the period (a
                document screened by two runs in the period counts once).
fcr.reviewed:   可能涉限公平竞争的文件（严格审查）: the distinct texts given a close review
                (严格审查) that was CONCLUDED in the period — a review whose text the
                engine flagged at least once (可能涉限), whatever its source (archive
                document, normative-document draft, other measure). A review still open at
                the end of the period does not count; a review without any flag is the
                routine check and does not count either.
fcr.violations: 审查发现涉限公平竞争情况: of those, the reviews concluding 不符合 (the
                measure restricts competition and must be changed). 适用例外 is not a
                violation (第十二条)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from fazhi.core.models import Jurisdiction
from fazhi.policy.models_fcr import FcrConclusion, FcrFlag, FcrReview, ScreeningResult
from fazhi.reports.registry import Period, register


def _close_reviews(period: Period, jurisdiction: Jurisdiction) -> QuerySet[FcrReview]:
    flagged = FcrFlag.objects.filter(review=OuterRef("pk"))
    return FcrReview.objects.filter(
        Exists(flagged), agency__jurisdiction=jurisdiction,
        concluded_at__gte=period.start_at, concluded_at__lt=period.end_before,
    ).exclude(conclusion=FcrConclusion.PENDING)


@register("fcr.screened", label=_("公平竞争审查筛查文件"), unit=_("件"), kind="count",
          scope="bureau",
          definition=_("本级机关存量文件中，期内完成的公平竞争审查批量筛查所筛查的文件数"
                       "（同一文件期内多次筛查计一件）。"))
def fcr_screened(period: Period, jurisdiction: Jurisdiction) -> int:
    return (ScreeningResult.objects.filter(
        run__agency__jurisdiction=jurisdiction, run__status="done",
        run__finished_at__gte=period.start_at, run__finished_at__lt=period.end_before)
        .values("document_id").distinct().count())


@register("fcr.reviewed", label=_("可能涉限公平竞争的文件（严格审查）"), unit=_("件"),
          kind="count", scope="bureau",
          definition=_("本级机关期内作出审查结论的严格审查件数：规则筛查提示至少一处可能"
                       "涉限、经法制审核员或负责人逐条认定并作出结论（符合、不符合或适用"
                       "例外）的文件，含存量文件和起草中的政策措施；期末尚未作出结论的不计。"))
def fcr_reviewed(period: Period, jurisdiction: Jurisdiction) -> int:
    return _close_reviews(period, jurisdiction).count()


@register("fcr.violations", label=_("审查发现涉限公平竞争情况"), unit=_("件"), kind="count",
          scope="bureau",
          definition=_("上述严格审查中，结论为“不符合”（存在排除、限制竞争内容，应当修改）"
                       "的件数；适用例外规定的不计。"))
def fcr_violations(period: Period, jurisdiction: Jurisdiction) -> int:
    return _close_reviews(period, jurisdiction).filter(
        conclusion=FcrConclusion.NONCOMPLIANT).count()
