"""fcr.* indicators at the edges of their definitions (口径)."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from fazhi.core.models import Role
from fazhi.policy.services_fcr import fcr_flag_decide, fcr_review_conclude, fcr_review_open
from fazhi.reports.registry import Period, get_indicator

TZ = ZoneInfo("Asia/Shanghai")
FLAGGED = "投标人须在本市依法纳税满三年。"
CLEAN = "各企业应当于每年12月31日前完成年度安全生产培训。"


def _value(indicator_id, jurisdiction, year=2024):
    return get_indicator(indicator_id).evaluate(Period.for_year(year), jurisdiction)


def _review(actor, reviewer, text, conclusion, at, **kwargs):
    review = fcr_review_open(actor=actor, title="x", text=text, source="adhoc")
    for flag in review.flags.all():
        fcr_flag_decide(actor=reviewer, flag=flag,
                        decision="confirmed" if conclusion != "compliant" else "dismissed",
                        note="理由")
    return fcr_review_conclude(actor=reviewer, review=review, conclusion=conclusion, at=at,
                               justification="说明", **kwargs)


def test_reviewed_counts_flagged_reviews_concluded_in_the_period_at_the_bureau(
        make_user, agencies, jurisdictions):
    officer = make_user(Role.OFFICER, agency=agencies["city"])
    reviewer = make_user(Role.REVIEWER, agency=agencies["city"])
    city = jurisdictions["city"]
    last_instant = datetime.datetime(2024, 12, 31, 23, 59, tzinfo=TZ)
    _review(officer, reviewer, FLAGGED, "compliant", last_instant)
    _review(officer, reviewer, FLAGGED, "noncompliant",
            datetime.datetime(2024, 6, 1, 10, tzinfo=TZ))
    _review(officer, reviewer, FLAGGED, "exception",
            datetime.datetime(2024, 6, 1, 10, tzinfo=TZ), exception_purpose="FCR-12-3",
            exception_until=datetime.date(2025, 6, 1))
    _review(officer, reviewer, FLAGGED, "compliant",
            datetime.datetime(2025, 1, 1, 0, 0, tzinfo=TZ))          # next year
    _review(officer, reviewer, CLEAN, "compliant",
            datetime.datetime(2024, 6, 1, 10, tzinfo=TZ))            # no flag: routine
    fcr_review_open(actor=officer, title="open", text=FLAGGED, source="adhoc")  # open
    nanhu_officer = make_user(Role.OFFICER, agency=agencies["nanhu"])
    nanhu_reviewer = make_user(Role.REVIEWER, agency=agencies["nanhu"])
    _review(nanhu_officer, nanhu_reviewer, FLAGGED, "noncompliant",
            datetime.datetime(2024, 6, 1, 10, tzinfo=TZ))            # a county bureau
    assert _value("fcr.reviewed", city) == 3
    assert _value("fcr.violations", city) == 1
    assert _value("fcr.reviewed", city, 2025) == 1
    assert _value("fcr.reviewed", jurisdictions["nanhu"]) == 1
