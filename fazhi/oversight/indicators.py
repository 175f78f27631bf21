"""Figures of the oversight module, computed from the records of the period every time.

What puts a record in a period (whole Asia/Shanghai days, start to end inclusive):
portal.posts                     局网站发布信息: posts whose publishing time (`publish_at`,
                                 read in Asia/Shanghai) falls in the period, not withdrawn,
                                 of the agency AT the jurisdiction (scope bureau: the city
                                 bureau for 330400, not the county bureaus).
oversight.supervisors            行政执法社会监督员: appointments whose term overlaps the
                                 period and that were not dismissed before it began,
                                 overseeing an area at or below the jurisdiction.
oversight.tips.received          受理举报（收到）: tips received in the period.
oversight.tips.verified          核查属实举报: tips concluded in the period as true or
                                 partly true.
oversight.tips.rewarded          兑现奖励举报: rewards approved (approved or paid) in the
                                 period, by the day of approval.
oversight.rewards.paid           发放举报奖励金额（元）: rewards paid in the period.
oversight.disclosure.requests    依申请公开申请: requests received in the period.
oversight.disclosure.on_time_rate 依申请公开按时答复率: of the requests answered in the
                                 period, those answered by their due day (20 working days,
                                 plus an approved extension), percent with one decimal.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import F, Q, Sum
from django.utils.translation import gettext_lazy as _

from fazhi.core.models import Jurisdiction
from fazhi.core.selectors import path_filter
from fazhi.oversight.models import DisclosureRequest, Post, Supervisor, Tip, TipReward
from fazhi.reports.registry import Period, percent, register


def _in(period: Period, field: str) -> Q:
    return Q(**{f"{field}__gte": period.start, f"{field}__lte": period.end})


@register("portal.posts", label=_("局网站发布信息（余条）"), unit=_("条"), kind="count",
          scope="bureau",
          definition=_("本级机关期内在门户网站发布（发布时间在期内、未撤下）的信息条数，"
                       "各栏目合计；不含下级机关发布的信息。"))
def portal_posts(period: Period, jurisdiction: Jurisdiction) -> int:
    return Post.objects.filter(agency__jurisdiction=jurisdiction, withdrawn_at__isnull=True,
                               publish_at__gte=period.start_at,
                               publish_at__lt=period.end_before).count()


@register("oversight.supervisors", label=_("行政执法社会监督员"), unit=_("名"), kind="count",
          scope="city",
          definition=_("聘期与统计期间有交集、且未在期间开始前解聘的社会监督员人数（监督辖区在本"
                       "地区及以下）。"))
def oversight_supervisors(period: Period, jurisdiction: Jurisdiction) -> int:
    return Supervisor.objects.filter(
        path_filter(jurisdiction.path, "jurisdiction_path"),
        term_start__lte=period.end, term_end__gte=period.start,
    ).filter(Q(dismissed_on__isnull=True) | Q(dismissed_on__gt=period.start)).count()


@register("oversight.tips.received", label=_("收到安全生产举报"), unit=_("件"),
          kind="count", scope="city",
          definition=_("期内收到（按收到日期）的举报件数，含网上、电话、信件和来访，属地在本地区及以下。"))
def tips_received(period: Period, jurisdiction: Jurisdiction) -> int:
    return Tip.objects.filter(path_filter(jurisdiction.path, "jurisdiction_path"),
                              _in(period, "received_on")).count()


@register("oversight.tips.verified", label=_("核查属实举报"), unit=_("件"), kind="count",
          scope="city",
          definition=_("期内办结（按办结日期）且核查结论为属实或部分属实的举报件数。"))
def tips_verified(period: Period, jurisdiction: Jurisdiction) -> int:
    return Tip.objects.filter(path_filter(jurisdiction.path, "jurisdiction_path"),
                              _in(period, "concluded_on"), status=Tip.Status.CONCLUDED,
                              outcome__in=[Tip.Outcome.SUBSTANTIATED,
                                           Tip.Outcome.PARTLY]).count()


@register("oversight.tips.rewarded", label=_("给予奖励的举报"), unit=_("件"), kind="count",
          scope="city",
          definition=_("期内批准奖励（按审批日期，含已发放）的举报件数。"))
def tips_rewarded(period: Period, jurisdiction: Jurisdiction) -> int:
    return TipReward.objects.filter(
        path_filter(jurisdiction.path, "tip__jurisdiction_path"), _in(period, "decided_on"),
        status__in=[TipReward.Status.APPROVED, TipReward.Status.PAID]).count()


@register("oversight.rewards.paid", label=_("发放举报奖励（元）"), unit=_("元"),
          kind="amount_yuan", scope="city",
          definition=_("期内发放（按发放日期）的举报奖励金额合计（元）。"))
def rewards_paid(period: Period, jurisdiction: Jurisdiction) -> Decimal:
    total = TipReward.objects.filter(
        path_filter(jurisdiction.path, "tip__jurisdiction_path"), _in(period, "paid_on"),
        status=TipReward.Status.PAID).aggregate(total=Sum("amount"))["total"]
    return total or Decimal(0)


@register("oversight.disclosure.requests", label=_("政府信息公开申请"), unit=_("件"),
          kind="count", scope="city",
          definition=_("期内收到（按收到申请日期）的政府信息公开申请件数。"))
def disclosure_requests(period: Period, jurisdiction: Jurisdiction) -> int:
    return DisclosureRequest.objects.filter(
        path_filter(jurisdiction.path, "jurisdiction_path"), _in(period, "received_on")).count()


@register("oversight.disclosure.on_time_rate", label=_("依申请公开按时答复率"), unit=_("%"),
          kind="percent", scope="city",
          definition=_("期内答复（按答复日期）的申请中，在答复期限（20个工作日，经批准延长的含延长"
                       "期限）内答复的比例（%），保留一位小数。"))
def disclosure_on_time_rate(period: Period, jurisdiction: Jurisdiction) -> Decimal:
    answered = DisclosureRequest.objects.filter(
        path_filter(jurisdiction.path, "jurisdiction_path"), _in(period, "answered_on"))
    total = answered.count()
    on_time = answered.filter(answered_on__lte=F("due")).count() if total else 0
    return percent(on_time, total, decimals=1)
