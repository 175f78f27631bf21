"""Figures of normative documents (行政规范性文件) and major administrative decisions
(重大行政决策), computed from the records every time. Scope "bureau": the records of the
agency at the jurisdiction's own level (局机关 / 市本级: the drafting or deciding agency
sits at that jurisdiction), not those of the bureaus below it. Periods are whole
Asia/Shanghai days, start to end inclusive.

normdocs.issued:       制发行政规范性文件: versions of the bureau's documents issued in its
                       own name (本局名义) published (公布) in the period; a version
                       republished after 修改 counts again; drafts and documents issued in
                       the city government office's name (市府办) do not count.
normdocs.cleaned.own:  清理局机关现行有效规范性文件: distinct documents in the bureau's
                       own name whose cleanup result (继续有效 / 修改 / 废止 / 宣布失效) was
                       recorded in a cleanup campaign of the bureau CONCLUDED in the period.
normdocs.cleaned.gov:  清理以市府办名义制发的规范性文件: the same for documents issued in
                       the city government office's name on the bureau's draft.
decisions.catalogued:  列入年度目录的重大行政决策事项: decisions in the bureau's catalogues
                       of the years the period touches.
decisions.adopted:     作出决定的重大行政决策: decisions adopted (决定, after all five
                       statutory steps) in the period.
decisions.published:   公布的重大行政决策: decisions published in the period.
decisions.evaluated:   开展决策后评估: post-decision evaluations made in the period."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fazhi.core.models import Jurisdiction
from fazhi.policy.models_decisions import DecisionEvaluation, MajorDecision
from fazhi.policy.models_normdocs import CleanupResult, DocIssuer, NormativeDocument
from fazhi.reports.registry import Period, register


def _in(period: Period, field: str) -> Q:
    return Q(**{f"{field}__gte": period.start, f"{field}__lte": period.end})


@register("normdocs.issued", label=_("制发行政规范性文件"), unit=_("件"), kind="count",
          scope="bureau",
          definition=_("本级机关以本机关名义制发、公布日期在期内的行政规范性文件件数（修改后"
                       "重新公布的新版本另计一件；以市政府办公室名义印发的和未公布的草案不计）。"))
def normdocs_issued(period: Period, jurisdiction: Jurisdiction) -> int:
    return NormativeDocument.objects.filter(
        _in(period, "published_on"), agency__jurisdiction=jurisdiction,
        issuer=DocIssuer.BUREAU).count()


def _cleaned(period: Period, jurisdiction: Jurisdiction, issuer: str) -> int:
    return (CleanupResult.objects.filter(
        _in(period, "campaign__concluded_on"), campaign__agency__jurisdiction=jurisdiction,
        document__issuer=issuer).exclude(result="")
        .values("document_id").distinct().count())


@register("normdocs.cleaned.own", label=_("清理局机关现行有效规范性文件"), unit=_("件"),
          kind="count", scope="bureau",
          definition=_("本级机关期内完成（完成日期在期内）的规范性文件清理中，已记录清理结果"
                       "（继续有效、修改、废止或宣布失效）的以本机关名义制发的文件件数（同一"
                       "文件期内多次清理计一件）。"))
def normdocs_cleaned_own(period: Period, jurisdiction: Jurisdiction) -> int:
    return _cleaned(period, jurisdiction, DocIssuer.BUREAU)


@register("normdocs.cleaned.gov", label=_("清理以市府办名义制发的规范性文件"), unit=_("件"),
          kind="count", scope="bureau",
          definition=_("同上，清理对象为本机关起草、以市政府办公室名义印发的规范性文件。"))
def normdocs_cleaned_gov(period: Period, jurisdiction: Jurisdiction) -> int:
    return _cleaned(period, jurisdiction, DocIssuer.GOV_OFFICE)


@register("decisions.catalogued", label=_("列入年度目录的重大行政决策事项"), unit=_("项"),
          kind="count", scope="bureau",
          definition=_("本级机关期内所涉年度的重大行政决策事项目录所列决策事项数。"))
def decisions_catalogued(period: Period, jurisdiction: Jurisdiction) -> int:
    return MajorDecision.objects.filter(
        catalogue__agency__jurisdiction=jurisdiction,
        catalogue__year__gte=period.start.year, catalogue__year__lte=period.end.year).count()


@register("decisions.adopted", label=_("作出决定的重大行政决策"), unit=_("项"), kind="count",
          scope="bureau",
          definition=_("本级机关履行公众参与、专家论证、风险评估、合法性审查、集体讨论决定"
                       "五项法定程序后，决定日期在期内的重大行政决策数。"))
def decisions_adopted(period: Period, jurisdiction: Jurisdiction) -> int:
    return MajorDecision.objects.filter(
        _in(period, "adopted_on"), catalogue__agency__jurisdiction=jurisdiction).count()


@register("decisions.published", label=_("公布的重大行政决策"), unit=_("项"), kind="count",
          scope="bureau",
          definition=_("本级机关公布日期在期内的重大行政决策数。"))
def decisions_published(period: Period, jurisdiction: Jurisdiction) -> int:
    return MajorDecision.objects.filter(
        _in(period, "published_on"), catalogue__agency__jurisdiction=jurisdiction).count()


@register("decisions.evaluated", label=_("开展决策后评估"), unit=_("次"), kind="count",
          scope="bureau",
          definition=_("本级机关评估日期在期内的重大行政决策决策后评估次数。"))
def decisions_evaluated(period: Period, jurisdiction: Jurisdiction) -> int:
    return DecisionEvaluation.objects.filter(
        _in(period, "evaluated_on"),
        decision__catalogue__agency__jurisdiction=jurisdiction).count()
