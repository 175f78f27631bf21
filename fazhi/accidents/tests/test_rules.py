"""The reporting status of an accident (`selectors.accident_reporting`), computed from
an unsaved Accident: 迟报 of the unit (条例 第九条, 1 hour) and of this bureau upward
(第十一条, 2 hours) at their edges, the acts found, and the consequences the engine
lists. No database."""

from __future__ import annotations

import datetime

from fazhi.accidents.models import Accident
from fazhi.accidents.selectors import accident_reporting
from fazhi.legal.rules import accidents as law

SH = datetime.timezone(datetime.timedelta(hours=8))
OCCURRED = datetime.datetime(2024, 8, 3, 23, 40, tzinfo=SH)
SECOND = datetime.timedelta(seconds=1)
HOUR = datetime.timedelta(hours=1)


def accident(**kw) -> Accident:
    return Accident(occurred_at=kw.pop("occurred_at", OCCURRED), **kw)


def test_nothing_known_nothing_late():
    status = accident_reporting(accident())
    assert status.unit_deadline is None and status.unit_late is None
    assert status.upward_deadline is None and status.upward_late is None
    assert status.acts == () and status.consequences == ()


def test_unit_deadline_is_known_before_the_report():
    status = accident_reporting(accident(head_informed_at=OCCURRED))
    assert status.unit_deadline == OCCURRED + HOUR and status.unit_late is None


def test_unit_report_at_the_hour_is_not_late_and_has_no_consequence():
    status = accident_reporting(accident(head_informed_at=OCCURRED,
                                         unit_reported_at=OCCURRED + HOUR))
    assert not status.unit_late.late and status.acts == () and status.consequences == ()


def test_unit_report_a_second_late_is_a_late_report_with_the_principals_fine():
    status = accident_reporting(accident(head_informed_at=OCCURRED,
                                         unit_reported_at=OCCURRED + HOUR + SECOND))
    assert status.unit_late.late and status.acts == ("迟报",)
    assert status.consequences == law.reporting_consequences(
        occurred_on=OCCURRED.date(), late=True)


def test_bureau_late_upward_is_flagged_but_fines_nobody():
    informed = OCCURRED + HOUR
    in_time = accident_reporting(accident(bureau_informed_at=informed,
                                          reported_up_at=informed + 2 * HOUR))
    late = accident_reporting(accident(bureau_informed_at=informed,
                                       reported_up_at=informed + 2 * HOUR + SECOND))
    assert not in_time.upward_late.late and late.upward_late.late
    assert late.upward_deadline == informed + 2 * HOUR
    assert late.acts == () and late.consequences == ()


def test_findings_are_listed_in_the_order_of_the_law():
    status = accident_reporting(accident(omitted_report=True, false_report=True,
                                         concealed=True))
    assert status.acts == ("漏报", "谎报", "瞒报")
    assert [c.act for c in status.consequences if c.subject == "principal"] == [
        law.OMITTED, law.FALSE_REPORT, law.CONCEALED]


def test_an_accident_before_the_texts_gives_a_note_instead_of_consequences():
    old = datetime.datetime(2010, 5, 1, 8, 0, tzinfo=SH)
    status = accident_reporting(accident(occurred_at=old, head_informed_at=old,
                                         unit_reported_at=old + 2 * HOUR))
    assert status.acts == ("迟报",) and status.consequences == ()
    assert status.notes and "安全生产法" in status.notes[0]
