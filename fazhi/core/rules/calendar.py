"""Working-day arithmetic (工作日历): pure functions, no database.

A day is a working day when it is Monday–Friday and not a public holiday (休), or when
it is a weekend day the State Council has made a working day (调休上班, 班). Holidays
and adjusted working days are known only for the years whose official schedule
(国务院办公厅关于部分节假日安排的通知) is loaded; for any other year the functions fall
back to weekends only and report that year in `assumed_years`, so a page can warn
instead of guessing silently.

Counting rules (how periods are counted in Chinese administrative law):

- A period counted in days starts the day after the triggering date: "期间开始的时和日，
  不计算在期间内" (《民事诉讼法》第八十五条第二款, applied to administrative litigation
  through 《行政诉讼法》第一百零一条; likewise 《民法典》第二百零一条 "开始的当日不计入，
  自下一日开始计算"). Every function here therefore excludes `start` and includes the
  last day.
- Short periods are working days where the statute says so: 《行政处罚法》第八十五条
  "本法中'二日''三日''五日''七日'的规定是指工作日，不含法定节假日"; 《行政强制法》第六十九条
  (periods of ten days or less); 《行政许可法》第八十二条 (all licensing periods).
- When the last day of a period in calendar days is a statutory rest day, the period
  ends on the first working day after it: "期间届满的最后一日是法定休假日的，以法定休假日
  后的第一日为期间届满的日期" (《民事诉讼法》第八十五条第三款; 《民法典》第二百零三条).
  Weekends count as rest days here, and an adjusted working Saturday does not.
"""

from __future__ import annotations

import bisect
import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

HOLIDAY = "holiday"  # 休: a public holiday falling on a weekday
WORKDAY = "workday"  # 班: a weekend day made a working day

# One day of a year's schedule as stored and loaded: (date, kind, festival name).
DayEntry = tuple[datetime.date, str, str]

_ONE_DAY = datetime.timedelta(days=1)
_WEEKDAY_NAMES = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")


def _is_weekend(day: datetime.date) -> bool:
    return day.weekday() >= 5


@dataclass(frozen=True)
class Schedule:
    """The loaded holiday schedules: weekday holidays, weekend working days, and the
    years whose schedule is complete (only those years' entries are trusted)."""

    holidays: frozenset[datetime.date] = frozenset()
    workdays: frozenset[datetime.date] = frozenset()
    loaded_years: frozenset[int] = frozenset()
    # Sorted copies for range counting, built once.
    _holidays_sorted: tuple[datetime.date, ...] = field(init=False, repr=False, compare=False)
    _workdays_sorted: tuple[datetime.date, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Accept any iterables but store frozensets, so the schedule is hashable and
        # safe to share across threads and requests.
        object.__setattr__(self, "holidays", frozenset(self.holidays))
        object.__setattr__(self, "workdays", frozenset(self.workdays))
        object.__setattr__(self, "loaded_years", frozenset(self.loaded_years))
        both = self.holidays & self.workdays
        if both:
            raise ValueError(f"同一日期既是休息日又是上班日：{min(both).isoformat()}")
        object.__setattr__(self, "_holidays_sorted", tuple(sorted(self.holidays)))
        object.__setattr__(self, "_workdays_sorted", tuple(sorted(self.workdays)))

    def working(self, day: datetime.date) -> bool:
        """Whether `day` is a working day, without saying what was assumed."""
        if day in self.workdays:
            return True
        return not _is_weekend(day) and day not in self.holidays

    def unloaded(self, years: Iterable[int]) -> frozenset[int]:
        return frozenset(y for y in years if y not in self.loaded_years)


class _Assumptions:
    """What a result assumed: the years it reached whose schedule is not loaded, for
    which only weekends were known."""

    assumed_years: frozenset[int]

    @property
    def assumed(self) -> bool:
        return bool(self.assumed_years)

    @property
    def assumed_year_list(self) -> list[int]:
        """The assumed years in order, for templates."""
        return sorted(self.assumed_years)


@dataclass(frozen=True)
class CalendarResult(_Assumptions):
    """A computed date and the years for which only weekends were known."""

    date: datetime.date
    assumed_years: frozenset[int] = frozenset()


@dataclass(frozen=True)
class CountResult(_Assumptions):
    """A number of working days and the years for which only weekends were known."""

    days: int
    assumed_years: frozenset[int] = frozenset()


@dataclass(frozen=True)
class DayCheck(_Assumptions):
    """Whether a day is a working day; truthy when it is."""

    working: bool
    assumed_years: frozenset[int] = frozenset()

    def __bool__(self) -> bool:
        return self.working


def _years(start: datetime.date, end: datetime.date) -> range:
    return range(start.year, end.year + 1)


def _check_non_negative(n: int, what: str) -> None:
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"{what}应为整数")
    if n < 0:
        raise ValueError(f"{what}不能为负数")


def is_working_day(schedule: Schedule, day: datetime.date) -> DayCheck:
    return DayCheck(schedule.working(day), schedule.unloaded([day.year]))


def add_calendar_days(start: datetime.date, n: int) -> CalendarResult:
    """`start` plus `n` calendar days (no holiday rule: see `deadline_from`)."""
    _check_non_negative(n, "天数")
    return CalendarResult(start + datetime.timedelta(days=n))


def add_working_days(schedule: Schedule, start: datetime.date, n: int) -> CalendarResult:
    """The n-th working day after `start` (`start` itself is not counted; n=0 gives
    `start` unchanged)."""
    _check_non_negative(n, "工作日数")
    day = start
    remaining = n
    while remaining:
        day += _ONE_DAY
        if schedule.working(day):
            remaining -= 1
    years = _years(start + _ONE_DAY, day) if n else ()
    return CalendarResult(day, schedule.unloaded(years))


def _weekdays_between(first: datetime.date, last: datetime.date) -> int:
    """Monday–Friday days in [first, last]."""
    if last < first:
        return 0
    total = (last - first).days + 1
    weeks, rest = divmod(total, 7)
    count = weeks * 5
    wd = first.weekday()
    for i in range(rest):
        if (wd + i) % 7 < 5:
            count += 1
    return count


def _between(
    items: Sequence[datetime.date], first: datetime.date, last: datetime.date
) -> Sequence[datetime.date]:
    """The dates of sorted `items` in [first, last]."""
    return items[bisect.bisect_left(items, first):bisect.bisect_right(items, last)]


def count_working_days(
    schedule: Schedule, start: datetime.date, end: datetime.date
) -> CountResult:
    """Working days after `start` up to and including `end`: the period (start, end].

    So `count_working_days(s, d, add_working_days(s, d, n).date).days == n`, and a
    period from a Friday to the next Monday counts one working day (the Monday).
    `end` before `start` is an error; `end == start` counts 0."""
    if end < start:
        raise ValueError("截止日期不能早于起算日期")
    if end == start:
        return CountResult(0)
    first = start + _ONE_DAY
    # Weekdays by arithmetic, then the schedule's exceptions inside the range: fast
    # enough for indicators that count thousands of periods.
    weekday_holidays = sum(
        1 for d in _between(schedule._holidays_sorted, first, end) if not _is_weekend(d))
    weekend_workdays = sum(
        1 for d in _between(schedule._workdays_sorted, first, end) if _is_weekend(d))
    days = _weekdays_between(first, end) - weekday_holidays + weekend_workdays
    return CountResult(days, schedule.unloaded(_years(first, end)))


def next_working_day_on_or_after(schedule: Schedule, day: datetime.date) -> CalendarResult:
    """`day` when it is a working day, else the first working day after it."""
    current = day
    while not schedule.working(current):
        current += _ONE_DAY
    return CalendarResult(current, schedule.unloaded(_years(day, current)))


def deadline_from(
    schedule: Schedule, start: datetime.date, n_days: int, *, working_days: bool
) -> CalendarResult:
    """The last day of a period of `n_days` days triggered on `start`.

    The triggering day is not counted (《民事诉讼法》第八十五条第二款). With
    `working_days` the period counts working days only (《行政处罚法》第八十五条,
    《行政强制法》第六十九条, 《行政许可法》第八十二条). In calendar days, a last day
    that is a rest day moves to the first working day after it
    (《民事诉讼法》第八十五条第三款, 《民法典》第二百零三条)."""
    _check_non_negative(n_days, "期间天数")
    if n_days == 0:
        raise ValueError("期间天数应至少为1日")
    if working_days:
        return add_working_days(schedule, start, n_days)
    last = start + datetime.timedelta(days=n_days)
    return next_working_day_on_or_after(schedule, last)


# --- the State Council schedule as an administrator types it ----------------------

KIND_MARKS = {"休": HOLIDAY, "班": WORKDAY}
_LINE = re.compile(
    r"^(?P<first>\d{4}-\d{1,2}-\d{1,2})"
    r"(?:\s*(?:至|~|～)\s*(?P<last>\d{4}-\d{1,2}-\d{1,2}))?"
    r"\s+(?P<mark>\S)"
    r"(?:\s+(?P<name>.+?))?\s*$"
)
NAME_MAX_LENGTH = 30  # CalendarDay.name


class ScheduleParseError(ValueError):
    """Every problem found in a pasted schedule, one Chinese message per problem."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


def _parse_date(text: str) -> datetime.date | None:
    try:
        y, m, d = (int(part) for part in text.split("-"))
        return datetime.date(y, m, d)
    except ValueError:
        return None


def day_problem(year: int, day: datetime.date, kind: str) -> str | None:
    """Why (date, kind) cannot be part of `year`'s schedule, or None."""
    if kind not in (HOLIDAY, WORKDAY):
        return f"{day.isoformat()}的类型“{kind}”无效，应为休或班"
    if day.year != year:
        return f"{day.isoformat()}不在{year}年内"
    if kind == HOLIDAY and _is_weekend(day):
        return (f"{day.isoformat()}是{_WEEKDAY_NAMES[day.weekday()]}，本就休息，"
                "无需登记为“休”（只登记落在周一至周五的节假日）")
    if kind == WORKDAY and not _is_weekend(day):
        return (f"{day.isoformat()}是{_WEEKDAY_NAMES[day.weekday()]}，本就上班，"
                "无需登记为“班”（只登记调休上班的周末）")
    return None


def validate_year_days(year: int, days: Iterable[DayEntry]) -> list[str]:
    """Every problem of a year's schedule (empty: valid), in Chinese."""
    problems: list[str] = []
    seen: set[datetime.date] = set()
    for day, kind, name in days:
        if day in seen:
            problems.append(f"{day.isoformat()}重复登记")
            continue
        seen.add(day)
        if problem := day_problem(year, day, kind):
            problems.append(problem)
        if len(name) > NAME_MAX_LENGTH:
            problems.append(f"{day.isoformat()}的节日名称超过{NAME_MAX_LENGTH}个字")
    return problems


def parse_year_schedule(year: int, text: str) -> list[DayEntry]:
    """Parse a pasted State Council schedule for `year`, one day per line:

        2027-01-01 休 元旦
        2027-02-07 班 春节
        2027-10-01至2027-10-07 休 国庆节

    A range (至 or ~) lists the holidays of a festival as the notice does; its weekend
    days are rest days anyway and are skipped, while a single weekend date marked 休
    is reported as a mistake. Blank lines and lines starting with # are ignored.
    Raises ScheduleParseError with every problem, each prefixed with its line number."""
    entries: list[DayEntry] = []
    errors: list[str] = []
    seen: dict[datetime.date, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip().replace("\u3000", " ")
        if not line or line.startswith("#"):
            continue
        match = _LINE.match(line)
        if not match:
            errors.append(f"第{number}行：格式应为“2027-01-01 休 元旦”或“2027-02-07 班 春节”")
            continue
        first = _parse_date(match["first"])
        last = _parse_date(match["last"]) if match["last"] else first
        if first is None or last is None:
            bad = match["first"] if first is None else match["last"]
            errors.append(f"第{number}行：日期“{bad}”无效")
            continue
        kind = KIND_MARKS.get(match["mark"])
        if kind is None:
            errors.append(f"第{number}行：类型“{match['mark']}”无效，应为“休”或“班”")
            continue
        name = (match["name"] or "").strip()
        if len(name) > NAME_MAX_LENGTH:
            errors.append(f"第{number}行：节日名称超过{NAME_MAX_LENGTH}个字")
            continue
        if last < first:
            errors.append(f"第{number}行：结束日期早于开始日期")
            continue
        if match["last"] and kind == WORKDAY:
            errors.append(f"第{number}行：调休上班日须逐日填写，不能写日期区间")
            continue
        is_range = last != first
        day = first
        while day <= last:
            if is_range and _is_weekend(day) and day.year == year:
                day += _ONE_DAY
                continue  # a weekend inside a holiday range is a rest day anyway
            if day in seen:
                errors.append(f"第{number}行：{day.isoformat()}与第{seen[day]}行重复")
            elif problem := day_problem(year, day, kind):
                errors.append(f"第{number}行：{problem}")
            else:
                seen[day] = number
                entries.append((day, kind, name))
            day += _ONE_DAY
    if errors:
        raise ScheduleParseError(errors)
    if not entries:
        raise ScheduleParseError([f"没有读到任何{year}年的节假日安排"])
    return sorted(entries)


def day_text(day: datetime.date) -> str:
    """A date as Chinese documents and messages write it: "2024年05月08日"."""
    return f"{day:%Y年%m月%d日}"
