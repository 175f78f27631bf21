"""The working-day calendar with its database: the seeded table, the facade other apps
call, loading a year (admin form over HTTP, management command, service), single-day
edits and the event record.

Calendar facts used (国务院办公厅关于2026年部分节假日安排的通知): 中秋节 2026-09-25（周五）
放假; 国庆节 2026-10-01 至10-07 放假，2026-09-20（周日）、10-10（周六）上班.
2026-10-01 is a Thursday; 2026-12-28 a Monday; 2027-01-01 a Friday. The 2027 lines
below are test input in the shape of a State Council notice, not the official 2027
schedule."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.template.loader import render_to_string
from django.urls import reverse

from fazhi.core import calendar
from fazhi.core.models import CalendarDay, CalendarYear, Event, Role
from fazhi.core.rules.calendar import HOLIDAY, WORKDAY
from fazhi.core.services.calendar import (
    calendar_day_remove,
    calendar_day_set,
    calendar_seed_from_package,
    calendar_year_load,
)
from fazhi.core.services.events import verify_record

D = datetime.date
LOAD_URL = "admin:core_calendaryear_load"

SCHEDULE_2027 = """2027-01-01 休 元旦
2027-02-06至2027-02-12 休 春节
2027-02-20 班 春节
"""


@pytest.fixture
def calendar_admin(make_user):
    """An administrator allowed into Django admin with the calendar permissions only."""
    user = make_user(Role.ADMIN, is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(
        content_type__app_label="core",
        codename__in=["add_calendaryear", "view_calendaryear"]))
    return user


def _events(action: str) -> list[Event]:
    return list(Event.objects.filter(action=action).order_by("seq"))


# --- the seeded table ---------------------------------------------------------


@pytest.mark.django_db
def test_migration_seeded_every_package_year():
    years = list(CalendarYear.objects.values_list("year", "source"))
    assert years == [(y, CalendarYear.Source.PACKAGE) for y in range(2004, 2027)]


@pytest.mark.django_db
def test_seeded_2026_national_day_is_stored_as_differences_from_the_weekday_rule():
    october = {d.date: (d.kind, d.name) for d in CalendarDay.objects.filter(
        date__range=(D(2026, 9, 1), D(2026, 10, 31)))}
    # 10-03 and 10-04 are a weekend: rest days anyway, not stored. 中秋节 is Fri 09-25.
    assert october == {
        D(2026, 9, 20): (WORKDAY, "国庆节"),
        D(2026, 9, 25): (HOLIDAY, "中秋"),
        **{D(2026, 10, d): (HOLIDAY, "国庆节") for d in (1, 2, 5, 6, 7)},
        D(2026, 10, 10): (WORKDAY, "国庆节"),
    }
    # The table never stores a holiday on a weekend or a workday on a weekday.
    for day in CalendarDay.objects.all():
        assert (day.date.weekday() >= 5) == (day.kind == WORKDAY), day


@pytest.mark.django_db
def test_seeding_again_changes_nothing_and_restores_a_missing_year():
    assert calendar_seed_from_package() == []
    assert not _events("calendar.year_loaded")
    CalendarDay.objects.filter(date__year=2010).delete()
    CalendarYear.objects.filter(year=2010).delete()
    assert calendar_seed_from_package() == [2010]
    assert CalendarDay.objects.filter(date=D(2010, 10, 1), kind=HOLIDAY).exists()
    (event,) = _events("calendar.year_loaded")
    assert event.actor is None and event.payload["source"] == "chinese_calendar"


# --- the facade on the seeded table ---------------------------------------------


@pytest.mark.django_db
def test_five_working_days_from_2026_09_29_skip_national_day():
    # 09-30 (1); 10-01..07 off; 10-08 (2), 10-09 (3), Sat 10-10 worked (4), Mon 10-12 (5).
    result = calendar.add_working_days(D(2026, 9, 29), 5)
    assert result.date == D(2026, 10, 12) and not result.assumed


@pytest.mark.django_db
def test_fifteen_day_period_ending_inside_national_day_ends_on_10_08():
    # 15 days after 09-20 -> 10-05, a holiday; the first working day after is Thu 10-08.
    result = calendar.deadline_from(D(2026, 9, 20), 15, working_days=False)
    assert result.date == D(2026, 10, 8) and not result.assumed
    # Ending on the worked Saturday 10-10 (15 days after 09-25) is not extended.
    assert calendar.deadline_from(D(2026, 9, 25), 15, working_days=False).date == D(2026, 10, 10)


@pytest.mark.django_db
def test_counting_and_checking_days_on_the_seeded_table():
    assert calendar.count_working_days(D(2026, 9, 30), D(2026, 10, 12)).days == 4
    assert not calendar.is_working_day(D(2026, 10, 6))
    assert calendar.is_working_day(D(2026, 9, 20))


@pytest.mark.django_db
def test_a_computation_into_2027_is_flagged_as_assumed():
    # Mon 2026-12-28 + 5: 12-29, 12-30, 12-31, Fri 2027-01-01 (weekends only), Mon 01-04.
    result = calendar.add_working_days(D(2026, 12, 28), 5)
    assert result.date == D(2027, 1, 4)
    assert result.assumed_years == {2027}


@pytest.mark.django_db
def test_the_schedule_is_cached_until_it_changes(django_assert_num_queries):
    first = calendar.load_schedule()
    with django_assert_num_queries(1):  # the version check, not a re-read
        assert calendar.load_schedule() is first
    calendar_day_set(actor=None, day=D(2026, 11, 27), kind=HOLIDAY, name="测试")
    second = calendar.load_schedule()
    assert second is not first and D(2026, 11, 27) in second.holidays
    assert not calendar.is_working_day(D(2026, 11, 27))
    with django_assert_num_queries(0):  # a page passing the schedule queries nothing
        assert calendar.is_working_day(D(2026, 11, 27), schedule=first)


# --- the assumption badge -----------------------------------------------------


@pytest.mark.django_db
def test_the_partial_warns_only_when_a_year_was_assumed():
    assumed = calendar.add_working_days(D(2026, 12, 28), 5)
    html = render_to_string("core/partials/calendar_assumption.html", {"result": assumed})
    assert "未载入2027年节假日安排，按周末推算" in html
    known = calendar.add_working_days(D(2026, 9, 29), 5)
    html = render_to_string("core/partials/calendar_assumption.html", {"result": known})
    assert "未载入" not in html


# --- loading a year through the admin form --------------------------------------


@pytest.mark.django_db
def test_administrator_loads_2027_over_http_and_the_computation_uses_it(
    client, calendar_admin
):
    before = calendar.add_working_days(D(2026, 12, 28), 5)
    assert before.assumed_years == {2027}

    client.force_login(calendar_admin)
    changelist = client.get(reverse("admin:core_calendaryear_changelist"))
    assert changelist.status_code == 200
    assert reverse(LOAD_URL) in changelist.content.decode()  # the button is there
    form = client.get(reverse(LOAD_URL))
    assert form.status_code == 200 and "载入年度节假日安排" in form.content.decode()

    response = client.post(reverse(LOAD_URL), {
        "year": "2027", "schedule": SCHEDULE_2027, "note": "测试通知"})
    year = CalendarYear.objects.get(year=2027)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:core_calendaryear_change", args=[year.pk])
    assert year.source == CalendarYear.Source.ADMIN and year.note == "测试通知"

    # 2027-01-01 is now a holiday: 12-29, 12-30, 12-31, Mon 01-04, Tue 01-05.
    after = calendar.add_working_days(D(2026, 12, 28), 5)
    assert after.date == D(2027, 1, 5) and not after.assumed
    # The Spring Festival week is off and Saturday 02-20 is worked: Fri 02-05 + 1
    # working day skips 02-06..02-14 (weekends and holidays) -> Mon 02-15.
    assert calendar.add_working_days(D(2027, 2, 5), 1).date == D(2027, 2, 15)
    assert calendar.add_working_days(D(2027, 2, 19), 1).date == D(2027, 2, 20)

    page = client.get(reverse("admin:core_calendaryear_change", args=[year.pk]))
    assert "2027-02-20" in page.content.decode()  # the year's days are shown

    (event,) = _events("calendar.year_loaded")
    assert event.actor == calendar_admin
    assert (event.object_type, event.object_id) == ("core.calendaryear", str(year.pk))
    assert event.payload["holidays"] == 6 and event.payload["workdays"] == 1
    assert verify_record() == []


@pytest.mark.django_db
def test_bad_schedule_is_rejected_in_chinese_and_changes_nothing(client, calendar_admin):
    client.force_login(calendar_admin)
    response = client.post(reverse(LOAD_URL), {
        "year": "2027",
        "schedule": "2027-01-01 休 元旦\n2027-01-02 休 元旦\n2027-13-01 休 元旦\n"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "第2行" in html and "星期六" in html  # 2027-01-02 is a Saturday
    assert "第3行" in html and "日期“2027-13-01”无效" in html
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert not CalendarDay.objects.filter(date__year=2027).exists()
    assert not _events("calendar.year_loaded")


@pytest.mark.django_db
def test_staff_without_the_calendar_permission_cannot_load(client, make_user):
    client.force_login(make_user(Role.ADMIN, is_staff=True))
    assert client.get(reverse(LOAD_URL)).status_code == 403
    assert client.post(reverse(LOAD_URL), {
        "year": "2027", "schedule": SCHEDULE_2027}).status_code == 403
    assert not CalendarYear.objects.filter(year=2027).exists()


# --- the services directly ----------------------------------------------------


@pytest.mark.django_db
def test_reloading_a_year_replaces_its_days_and_records_the_difference(users):
    calendar_year_load(actor=users["admin"], year=2027,
                       days=[(D(2027, 1, 1), HOLIDAY, "元旦"), (D(2027, 2, 20), WORKDAY, "春节")])
    calendar_year_load(actor=users["admin"], year=2027,
                       days=[(D(2027, 1, 1), HOLIDAY, "元旦"), (D(2027, 2, 8), HOLIDAY, "春节")])
    assert list(CalendarDay.objects.filter(date__year=2027).values_list("date", flat=True)) == [
        D(2027, 1, 1), D(2027, 2, 8)]
    last = _events("calendar.year_loaded")[-1]
    assert [e["date"] for e in last.payload["added"]] == ["2027-02-08"]
    assert [e["date"] for e in last.payload["removed"]] == ["2027-02-20"]


@pytest.mark.django_db
def test_invalid_days_raise_a_chinese_validation_error_and_keep_the_old_schedule(users):
    old = list(CalendarDay.objects.filter(date__year=2026).values_list("date", "kind"))
    with pytest.raises(ValidationError) as caught:
        calendar_year_load(actor=users["admin"], year=2026, days=[
            (D(2026, 10, 1), HOLIDAY, "国庆节"),
            (D(2026, 10, 1), HOLIDAY, "国庆节"),      # duplicate
            (D(2026, 10, 3), HOLIDAY, "国庆节"),      # Saturday
            (D(2026, 10, 8), WORKDAY, "国庆节"),      # Thursday
            (D(2027, 1, 1), HOLIDAY, "元旦"),         # other year
        ])
    messages = caught.value.messages
    assert "2026-10-01重复登记" in messages
    assert any("星期六" in m for m in messages) and any("星期四" in m for m in messages)
    assert "2027-01-01不在2026年内" in messages
    assert list(CalendarDay.objects.filter(date__year=2026).values_list(
        "date", "kind")) == old
    assert CalendarYear.objects.get(year=2026).source == CalendarYear.Source.PACKAGE
    assert not Event.objects.exists()


@pytest.mark.django_db
def test_single_day_edits_write_events_and_need_a_loaded_year(users):
    admin = users["admin"]
    # A 休 on Fri 2026-11-27 (a made-up local correction, for the test only).
    calendar_day_set(actor=admin, day=D(2026, 11, 27), kind=HOLIDAY, name="测试")
    assert calendar.add_working_days(D(2026, 11, 26), 1).date == D(2026, 11, 30)
    assert CalendarYear.objects.get(year=2026).source == CalendarYear.Source.ADMIN
    calendar_day_remove(actor=admin, day=D(2026, 11, 27))
    assert calendar.add_working_days(D(2026, 11, 26), 1).date == D(2026, 11, 27)
    assert [e.action for e in Event.objects.order_by("seq")] == [
        "calendar.day_set", "calendar.day_removed"]

    with pytest.raises(ValidationError, match="尚未载入2027年节假日安排"):
        calendar_day_set(actor=admin, day=D(2027, 1, 1), kind=HOLIDAY, name="元旦")
    with pytest.raises(ValidationError, match="星期六"):
        calendar_day_set(actor=admin, day=D(2026, 11, 28), kind=HOLIDAY)
    with pytest.raises(ValidationError, match="没有登记"):
        calendar_day_remove(actor=admin, day=D(2026, 11, 27))
    assert Event.objects.count() == 2


# --- the management command -----------------------------------------------------


@pytest.mark.django_db
def test_command_loads_a_year_from_a_file(tmp_path: Path, users):
    schedule = tmp_path / "schedule.txt"
    schedule.write_text(SCHEDULE_2027, encoding="utf-8")
    call_command("calendar_load_year", "--year", "2027", "--file", str(schedule),
                 "--actor", users["admin"].username)
    assert CalendarDay.objects.get(date=D(2027, 2, 20)).kind == WORKDAY
    assert calendar.add_working_days(D(2026, 12, 31), 1).date == D(2027, 1, 4)
    assert _events("calendar.year_loaded")[0].actor == users["admin"]


@pytest.mark.django_db
def test_command_rejects_a_bad_file_and_changes_nothing(tmp_path: Path):
    schedule = tmp_path / "schedule.txt"
    schedule.write_text("2027-01-01 休 元旦\n2027-01-04 班 元旦\n", encoding="utf-8")
    with pytest.raises(CommandError, match="第2行"):
        call_command("calendar_load_year", "--year", "2027", "--file", str(schedule))
    with pytest.raises(CommandError, match="无法读取"):
        call_command("calendar_load_year", "--year", "2027", "--file",
                     str(tmp_path / "missing.txt"))
    assert not CalendarYear.objects.filter(year=2027).exists()


@pytest.mark.django_db
def test_single_day_admin_goes_through_the_service(client, make_user):
    client.force_login(make_user(Role.ADMIN, is_staff=True, is_superuser=True))
    add_url = reverse("admin:core_calendarday_add")
    # Sat 2026-11-28 cannot be a 休: it is a rest day already.
    response = client.post(add_url, {"date": "2026-11-28", "kind": HOLIDAY, "name": "测试"})
    assert response.status_code == 200 and "本就休息" in response.content.decode()
    assert not Event.objects.exists()

    response = client.post(add_url, {"date": "2026-11-27", "kind": HOLIDAY, "name": "测试"})
    assert response.status_code == 302
    assert not calendar.is_working_day(D(2026, 11, 27))
    row = CalendarDay.objects.get(date=D(2026, 11, 27))
    response = client.post(reverse("admin:core_calendarday_delete", args=[row.pk]),
                           {"post": "yes"})
    assert response.status_code == 302
    assert calendar.is_working_day(D(2026, 11, 27))
    assert [e.action for e in Event.objects.order_by("seq")] == [
        "calendar.day_set", "calendar.day_removed"]
