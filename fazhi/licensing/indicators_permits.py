"""Figures of permits, 三同时 reviews, consultations and upgrade projects (licensing),
computed from the records every time. Imported by `fazhi.licensing.indicators`.

Scope "city": the records located in the jurisdiction and below, by the denormalised
`jurisdiction_path` of the enterprise (permits, applications, projects) or of the
project site (consultations). A record falls in a period by one date, in whole
Asia/Shanghai days:

permits.three_simultaneities  三同时 reviews concluded (`concluded_on`), any stage and
                              outcome: each review is one 家次.
permits.production_use        applications for 安全生产许可证 or 安全使用许可证 of kind 核发 /
                              换证 / 变更 decided 准予许可 (`decided_on`); 延期, refusals
                              and 不予受理 are not counted.
permits.operation             the same for 经营许可证.
projects.consulted            consultations on new projects concluded (`concluded_on`),
                              同意 or 否决.
projects.rejected             of those, 否决.
upgrades.projects             upgrade projects completed (`completed_on`).
upgrades.equipment            equipment sets and units (套/台) eliminated or replaced in
                              the upgrade projects completed in the period, summed.
"""

from __future__ import annotations

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from fazhi.core.models import Jurisdiction
from fazhi.licensing.models_permits import ApplicationKind, PermitApplication, PermitType
from fazhi.licensing.models_projects import (
    ConsultationRequest,
    ThreeSimultaneityReview,
    UpgradeEquipment,
    UpgradeProject,
)
from fazhi.reports.registry import Period, list_url, register

COUNTED_KINDS = (ApplicationKind.ISSUE, ApplicationKind.RENEW, ApplicationKind.CHANGE)
PRODUCTION_USE = (PermitType.PRODUCTION, PermitType.USE)


def _between(field: str, period: Period) -> dict[str, object]:
    return {f"{field}__gte": period.start, f"{field}__lte": period.end}


def _permits_decided(period: Period, jurisdiction: Jurisdiction, types: tuple[str, ...]) -> int:
    return PermitApplication.objects.filter(
        jurisdiction_path__startswith=jurisdiction.path,
        status=PermitApplication.Status.APPROVED, permit_type__in=types,
        kind__in=COUNTED_KINDS, **_between("decided_on", period)).count()


def _applications_drill(types: str):
    def drill(period: Period, jurisdiction: Jurisdiction) -> str | None:
        if not period.is_year:
            return None
        return list_url("licensing:permit_application_list", permit_type=types,
                        kind=",".join(COUNTED_KINDS), status="approved",
                        decided_year=period.start.year, jurisdiction=jurisdiction.code)
    return drill


def _year_drill(viewname: str, **extra: str):
    def drill(period: Period, jurisdiction: Jurisdiction) -> str | None:
        if not period.is_year:
            return None
        return list_url(viewname, year=period.start.year, jurisdiction=jurisdiction.code,
                        **extra)
    return drill


@register("permits.three_simultaneities",
          label=_("危化品建设项目“三同时”审查（家次）"), unit=_("家次"), kind="count",
          scope="city", drill=_year_drill("licensing:safety_review_list"),
          definition=_("期内办结（按审查完成日期）的危险化学品建设项目“三同时”审查，"
                       "含安全条件审查、安全设施设计审查、竣工验收三个环节，通过与不通过均计；"
                       "每个项目每个环节每次审查计1家次。"))
def three_simultaneities(period: Period, jurisdiction: Jurisdiction) -> int:
    return ThreeSimultaneityReview.objects.filter(
        project__jurisdiction_path__startswith=jurisdiction.path,
        **_between("concluded_on", period)).count()


@register("permits.production_use",
          label=_("危化品生产（使用）许可核发换证变更（家次）"), unit=_("家次"), kind="count",
          scope="city", drill=_applications_drill("production,use"),
          definition=_("期内作出准予许可决定（按决定日期）的危险化学品安全生产许可证、"
                       "安全使用许可证核发、换证、变更申请，每份申请计1家次；"
                       "延期、不予许可、不予受理不计。"))
def production_use(period: Period, jurisdiction: Jurisdiction) -> int:
    return _permits_decided(period, jurisdiction, PRODUCTION_USE)


@register("permits.operation",
          label=_("危化品经营许可核发换证变更（家次）"), unit=_("家次"), kind="count",
          scope="city", drill=_applications_drill("operation"),
          definition=_("期内作出准予许可决定（按决定日期）的危险化学品经营许可证核发、换证、"
                       "变更申请，每份申请计1家次；延期、不予许可、不予受理不计。"))
def operation(period: Period, jurisdiction: Jurisdiction) -> int:
    return _permits_decided(period, jurisdiction, (PermitType.OPERATION,))


@register("projects.consulted",
          label=_("新建项目会商咨询服务"), unit=_("个"), kind="count", scope="city",
          drill=_year_drill("licensing:consultation_list"),
          definition=_("期内办结（按会商完成日期）的新建项目会商咨询，同意与否决均计，"
                       "按拟建地统计。"))
def projects_consulted(period: Period, jurisdiction: Jurisdiction) -> int:
    return ConsultationRequest.objects.filter(
        jurisdiction_path__startswith=jurisdiction.path,
        **_between("concluded_on", period)).count()


@register("projects.rejected",
          label=_("否决高风险化工项目"), unit=_("个"), kind="count", scope="city",
          drill=_year_drill("licensing:consultation_list", outcome="vetoed"),
          definition=_("期内办结的新建项目会商咨询中结论为否决的项目数。"))
def projects_rejected(period: Period, jurisdiction: Jurisdiction) -> int:
    return ConsultationRequest.objects.filter(
        jurisdiction_path__startswith=jurisdiction.path,
        outcome=ConsultationRequest.Outcome.VETOED,
        **_between("concluded_on", period)).count()


@register("upgrades.projects",
          label=_("完成项目改造提升"), unit=_("个"), kind="count", scope="city",
          drill=_year_drill("licensing:upgrade_list"),
          definition=_("期内完成（按完成日期）的老旧装置改造提升项目数。"))
def upgrades_projects(period: Period, jurisdiction: Jurisdiction) -> int:
    return UpgradeProject.objects.filter(
        jurisdiction_path__startswith=jurisdiction.path,
        **_between("completed_on", period)).count()


@register("upgrades.equipment",
          label=_("淘汰更新设备（套/台）"), unit=_("套/台"), kind="count", scope="city",
          drill=_year_drill("licensing:upgrade_list"),
          definition=_("期内完成的改造提升项目中淘汰、更新设备的数量合计（套、台合并计数）。"))
def upgrades_equipment(period: Period, jurisdiction: Jurisdiction) -> int:
    total = UpgradeEquipment.objects.filter(
        project__jurisdiction_path__startswith=jurisdiction.path,
        **{f"project__{k}": v for k, v in _between("completed_on", period).items()},
    ).aggregate(total=Sum("quantity"))["total"]
    return int(total or 0)
