"""Deadlines of a penalty case and the late-payment surcharge (pure functions).

Every deadline of the assess API's `deadlines` object (decision, statement, hearing_request,
service, payment, publicity, reconsideration, litigation) plus
`reconsideration_outer_limit`, and `overdue_days` / `late_payment_surcharge`. Facts from
`shared/reference/procedure.yaml` (date_computation_conventions, ordinary_procedure,
notification_and_defence, hearing, execution, publicity, remedies).

Counting (see `fazhi.core.rules.calendar`):
- The triggering day is not counted (民法典 第二百零一条; 民事诉讼法 第八十五条第二款).
- "二日、三日、五日、七日" in 行政处罚法 are working days (行政处罚法(2021) 第八十五条); the
  other periods (15-day payment, 60-day reconsideration, 90-day decision) are calendar days.
- Month and year periods end on the corresponding day of the last month, or on that
  month's last day when it has none (民法典 第二百零二条).
- A calendar-day period whose last day is a rest day (weekend or holiday; an adjusted
  working Saturday is not one) ends on the next working day (民法典 第二百零三条;
  民事诉讼法 第八十五条第三款 via 行政诉讼法 第一百零一条).

Rest-day rule — the choice made here (procedure.yaml gives it confidence *medium*: clear
for the party's deadlines, unsettled for the agency's own, and says to flag rather than
silently extend agency deadlines):
- For a PARTY deadline (statement, hearing request, payment, reconsideration,
  litigation, the outer limits) `date` is the extended day; `statutory_date` keeps the
  day reached by counting alone, and `rest_day_extended` says whether they differ.
- For an AGENCY deadline (decision, service, publicity) `date` stays the statutory day and
  is never extended; when it is a rest day `last_day_rest_day` is True and
  `next_working_day` names the day an extension would give, so a page can warn the
  officer to act before the rest days.
Working-day periods always end on a working day, so the rule never moves them.

Every result carries `assumed_years`: the years the computation reached whose holiday
schedule is not loaded in the `Schedule` (only weekends were known for them).
"""

from __future__ import annotations

import calendar as _stdlib_calendar
import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from fazhi.core.rules.calendar import (
    Schedule,
    add_calendar_days,
    add_working_days,
    is_working_day,
    next_working_day_on_or_after,
)
from fazhi.core.rules.money import parse_yuan, round_yuan
from fazhi.legal.rules.citations import (
    ACL,
    ALL,
    ALL_2014,
    ALL_INTERP,
    APL,
    APL_2017,
    ARL,
    ARL_2017,
    CIVIL_CODE,
    EM_PENALTY_RULE_2015,
    STATE_COUNCIL_3_SYSTEMS,
    WSL,
    Citation,
    LawVersion,
    cite,
)

_ONE_DAY = datetime.timedelta(days=1)

# 行政处罚法(2021) 第七十二条第一款第（一）项 / (2017) 第五十一条第（一）项:
# 每日按罚款数额的百分之三.
SURCHARGE_DAILY_RATE = Decimal("0.03")

# Keys of the spec's response, used as `name` and in `applies_to`.
DECISION = "decision"
STATEMENT = "statement"
HEARING_REQUEST = "hearing_request"
SERVICE = "service"
PAYMENT = "payment"
PUBLICITY = "publicity"
RECONSIDERATION = "reconsideration"
LITIGATION = "litigation"
RECONSIDERATION_OUTER_LIMIT = "reconsideration_outer_limit"
# Not a response field: the litigation outer limit is answered inside deadlines.litigation.
LITIGATION_OUTER_LIMIT = "litigation_outer_limit"


def _applies(name: str) -> str:
    """The response element a citation supports (the litigation outer limit is answered
    inside `deadlines.litigation`)."""
    if name == RECONSIDERATION_OUTER_LIMIT:
        return name
    if name == LITIGATION_OUTER_LIMIT:
        return f"deadlines.{LITIGATION}"
    return f"deadlines.{name}"


# --- configuration --------------------------------------------------------------------


@dataclass(frozen=True)
class DeadlineConfig:
    """Per-jurisdiction settings for the periods the statutes leave open.

    statement_days / statement_working_days: 行政处罚法 sets NO period for 陈述、申辩
    (第四十四条、第四十五条 only grant the right). The default 3 days is the period in the
    former 安监 告知书 template and local rules ("收到告知书之日起3日内陈述、申辩";
    procedure.yaml confidence medium — seen on a secondary page quoting a 煤矿安全监察
    local rule, not statutory). Counted here as WORKING days by default: the template does
    not say, and the longer reading keeps the agency from deciding before a party's time
    has run (行政处罚法 第六十二条). Make it whatever the jurisdiction's template says.

    apply_work_safety_rule_2015: cases filed while 安全生产违法行为行政处罚办法(2015)
    was in force (2015-05-01 .. 2026-01-31) follow its 第三十一条 (30 days from filing,
    extendable to 90 with the head's approval, to 180 with the higher authority's)
    instead of 行政处罚法 第六十条's 90 days ("法律、法规、规章另有规定的，从其规定").
    Switch off for agencies outside work safety."""

    statement_days: int = 3
    statement_working_days: bool = True
    apply_work_safety_rule_2015: bool = True

    def __post_init__(self) -> None:
        if isinstance(self.statement_days, bool) or not isinstance(self.statement_days, int):
            raise ValueError("陈述申辩期限天数应为整数")
        if self.statement_days < 1:
            raise ValueError("陈述申辩期限应至少为1日")


DEFAULT_CONFIG = DeadlineConfig()


# --- results --------------------------------------------------------------------------


@dataclass(frozen=True)
class Extension:
    """A later limit reachable with an approval (decision deadline only)."""

    days: int
    date: datetime.date
    approval: str
    citation: Citation
    confidence: str  # procedure.yaml's confidence for the figure


@dataclass(frozen=True)
class DeadlineResult:
    """The last day of one period.

    `date` is the answer for the response field; see the module docstring for how a
    rest day is handled for party and agency deadlines."""

    name: str
    date: datetime.date
    statutory_date: datetime.date
    start: datetime.date
    period: str  # "90日" / "5个工作日" / "6个月" / "当日"
    working_days: bool
    party_deadline: bool
    last_day_rest_day: bool
    rest_day_extended: bool
    next_working_day: datetime.date | None  # agency deadlines on a rest day: flagged, not applied
    assumed_years: frozenset[int]
    citations: tuple[Citation, ...]
    notes: tuple[str, ...] = ()
    extensions: tuple[Extension, ...] = ()

    @property
    def assumed(self) -> bool:
        return bool(self.assumed_years)

    @property
    def flagged(self) -> bool:
        """An agency deadline whose last day is a rest day (not extended: act before it)."""
        return not self.party_deadline and self.last_day_rest_day

    @property
    def latest_with_extension(self) -> datetime.date:
        return max((e.date for e in self.extensions), default=self.date)

    def on_time(self, day: datetime.date) -> bool:
        """Whether an act done on `day` meets the deadline (the last day is included)."""
        return day <= self.date


@dataclass(frozen=True)
class RemedyDeadline:
    """Reconsideration or litigation: the deadline and, when the party was not told of
    the right, the outer limit counted from knowing the decision's content."""

    deadline: DeadlineResult
    outer_limit: DeadlineResult | None

    @property
    def assumed_years(self) -> frozenset[int]:
        years = self.deadline.assumed_years
        return years | self.outer_limit.assumed_years if self.outer_limit else years

    @property
    def citations(self) -> tuple[Citation, ...]:
        extra = self.outer_limit.citations if self.outer_limit else ()
        return _unique(self.deadline.citations + extra)


def _unique(citations: Iterable[Citation]) -> tuple[Citation, ...]:
    return tuple(dict.fromkeys(citations))


# --- helpers --------------------------------------------------------------------------


def _check_date(value: object, what: str) -> datetime.date:
    if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
        raise ValueError(f"{what}应为日期（YYYY-MM-DD）")
    return value


def _apl(day: datetime.date) -> LawVersion:
    if APL.in_force_on(day):
        return APL
    if APL_2017.in_force_on(day):
        return APL_2017
    raise ValueError(f"{APL.name}于{day:%Y年%m月%d日}尚未施行")


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The last day of a period of `months` months starting after `day`.

    民法典 第二百零二条: 到期月的对应日为期间的最后一日；没有对应日的，月末日为期间的最后一日.
    So 2026-08-31 + 6 months → 2027-02-28."""
    if isinstance(months, bool) or not isinstance(months, int) or months < 0:
        raise ValueError("月数应为非负整数")
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last = _stdlib_calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(day.day, last))


def _rest_day_citation(name: str) -> Citation:
    # 民法典 第二百零三条第一款: 期间的最后一日是法定休假日的，
    # 以法定休假日结束的次日为期间的最后一日.
    return cite(CIVIL_CODE, "第二百零三条第一款", _applies(name))


def _calendar_result(
    schedule: Schedule,
    name: str,
    start: datetime.date,
    last: datetime.date,
    period: str,
    *,
    party: bool,
    citations: Sequence[Citation],
    notes: Sequence[str] = (),
    extensions: Sequence[Extension] = (),
) -> DeadlineResult:
    """A calendar-day (or month/year) period ending on `last` by counting alone."""
    check = is_working_day(schedule, last)
    assumed = set(check.assumed_years)
    next_day: datetime.date | None = None
    if not check.working:
        moved = next_working_day_on_or_after(schedule, last)
        assumed |= moved.assumed_years
        next_day = moved.date
    rest = next_day is not None
    cites = list(citations)
    notes = list(notes)
    if rest and party:
        cites.append(_rest_day_citation(name))
        notes.append(f"法定期间最后一日{last.isoformat()}为休息日，顺延至{next_day}")
    elif rest:
        notes.append(
            f"期间最后一日{last.isoformat()}为休息日；行政机关自身期限是否顺延无定论，"
            f"未予顺延，应在此前完成（若顺延则为{next_day}）")
    for e in extensions:
        assumed |= is_working_day(schedule, e.date).assumed_years
    return DeadlineResult(
        name=name,
        date=next_day if (rest and party and next_day) else last,
        statutory_date=last,
        start=start,
        period=period,
        working_days=False,
        party_deadline=party,
        last_day_rest_day=rest,
        rest_day_extended=rest and party,
        next_working_day=None if party else next_day,
        assumed_years=frozenset(assumed),
        citations=_unique(cites),
        notes=tuple(notes),
        extensions=tuple(extensions),
    )


def _working_result(
    schedule: Schedule,
    name: str,
    start: datetime.date,
    n: int,
    *,
    party: bool,
    citations: Sequence[Citation],
    notes: Sequence[str] = (),
) -> DeadlineResult:
    """A period of `n` working days: it always ends on a working day."""
    result = add_working_days(schedule, start, n)
    return DeadlineResult(
        name=name, date=result.date, statutory_date=result.date, start=start,
        period=f"{n}个工作日", working_days=True, party_deadline=party,
        last_day_rest_day=False, rest_day_extended=False, next_working_day=None,
        assumed_years=result.assumed_years, citations=_unique(citations), notes=tuple(notes))


# --- the agency's deadlines -----------------------------------------------------------


def decision_deadline(
    schedule: Schedule, filed: datetime.date, config: DeadlineConfig = DEFAULT_CONFIG
) -> DeadlineResult:
    """The last day to decide, counted from the filing date (立案).

    - 行政处罚法(2021) 第六十条: 自立案之日起九十日内作出处罚决定；法律、法规、规章另有规定的，
      从其规定. 90 calendar days; the law itself has no extension mechanism.
    - 安全生产违法行为行政处罚办法(2015) 第三十一条 (filed 2015-05-01 .. 2026-01-31, with
      `config.apply_work_safety_rule_2015`): 30 days from filing; extendable with the
      head's approval to 90 days; in special cases, with the higher authority's approval,
      to 180 days. procedure.yaml confidence MEDIUM (30/90 confirmed by secondary sources;
      the 180 figure matches the Jiangxi local rule "可再延长90日" found with the search
      tool but the rule's own text was not read). `date` is then the 30th day and the
      90/180-day limits are listed in `extensions`.
    - 安全生产违法行为行政处罚办法 (应急管理部令第18号, from 2026-02-01): its period could
      not be read (procedure.yaml confidence LOW, not found with the search tool either);
      as the yaml advises, 行政处罚法 第六十条 (90 days, no extension) is applied and a note
      says so.
    - Filed before 2021-07-15 without the 2015 rule: the 2017 行政处罚法 set no period —
      ValueError (nothing to compute).
    An agency deadline: never extended over rest days, only flagged."""
    _check_date(filed, "立案日期")
    name = DECISION
    if config.apply_work_safety_rule_2015 and EM_PENALTY_RULE_2015.in_force_on(filed):
        citation = cite(EM_PENALTY_RULE_2015, "第三十一条", _applies(name))
        extensions = (
            Extension(90, add_calendar_days(filed, 90).date, "经本部门负责人同意延长",
                      citation, "medium"),
            Extension(180, add_calendar_days(filed, 180).date, "特殊情况经上一级部门批准再延长",
                      citation, "medium"),
        )
        cites = [citation]
        if APL.in_force_on(filed):
            cites.append(cite(APL, "第六十条", _applies(name)))
        return _calendar_result(
            schedule, name, filed, add_calendar_days(filed, 30).date, "30日", party=False,
            citations=cites, extensions=extensions,
            notes=("安全生产违法行为行政处罚办法(2015)第三十一条：自立案之日起30日内作出决定，"
                   "可经批准延长至90日、180日（期限数字置信度：中）",))
    if not APL.in_force_on(filed):
        raise ValueError("2021年7月15日前立案的案件，行政处罚法未规定作出决定的期限")
    notes: list[str] = []
    if filed >= datetime.date(2026, 2, 1):
        notes.append("安全生产违法行为行政处罚办法（应急管理部令第18号）的办案期限未能核实，"
                     "按行政处罚法第六十条计算90日，不含延长")
    return _calendar_result(
        schedule, name, filed, add_calendar_days(filed, 90).date, "90日", party=False,
        citations=[cite(APL, "第六十条", _applies(name))], notes=notes)


def service_deadline(
    schedule: Schedule, decided: datetime.date, *, party_present_at_announcement: bool
) -> DeadlineResult:
    """The last day to serve the decision.

    行政处罚法(2021) 第六十一条第一款: 决定书应当在宣告后当场交付当事人；当事人不在场的，
    应当在七日内依照民事诉讼法的有关规定送达 — 7 WORKING days (第八十五条). Party present:
    the same day. (2017 text 第四十条: the same rule, 7 calendar days, as the old law had no
    working-day clause — an agency deadline, flagged and not extended.)"""
    _check_date(decided, "决定日期")
    name = SERVICE
    law = _apl(decided)
    article = "第六十一条第一款" if law is APL else "第四十条"
    if party_present_at_announcement:
        return DeadlineResult(
            name=name, date=decided, statutory_date=decided, start=decided, period="当日",
            working_days=False, party_deadline=False, last_day_rest_day=False,
            rest_day_extended=False, next_working_day=None, assumed_years=frozenset(),
            citations=(cite(law, article, _applies(name)),),
            notes=("当事人在场：宣告后当场交付",))
    if law is APL:
        return _working_result(schedule, name, decided, 7, party=False, citations=[
            cite(APL, "第六十一条第一款", _applies(name)),
            cite(APL, "第八十五条", _applies(name))])
    return _calendar_result(
        schedule, name, decided, add_calendar_days(decided, 7).date, "7日", party=False,
        citations=[cite(APL_2017, "第四十条", _applies(name))])


# The guideline's section on publicising results; its sub-item number was not verified.
_GUIDELINE_SECTION = "二、全面推行行政执法公示制度（加强事后公开）"


def publicity_deadline(schedule: Schedule, decided: datetime.date) -> DeadlineResult:
    """The last day to publicise the decision: 7 working days after the decision.

    安全生产法(2021) 第七十八条第二款 (in force 2021-09-01; procedure.yaml confidence high):
    对生产经营单位作出处罚决定后七个工作日内在监督管理部门公示系统予以公开曝光. The State
    Council guideline 国办发〔2018〕118号 says the same for all penalty decisions (confidence
    medium) and is the basis for decisions from its issue (2018-12-05) until 2021-09-01.
    行政处罚法(2021) 第四十八条第一款: decisions with a certain social impact are made public.
    Before 2018-12-05: no 7-day basis — ValueError."""
    _check_date(decided, "决定日期")
    name = PUBLICITY
    if WSL.in_force_on(decided):
        cites = [cite(WSL, "第七十八条第二款", _applies(name)),
                 cite(STATE_COUNCIL_3_SYSTEMS, _GUIDELINE_SECTION, _applies(name))]
    elif STATE_COUNCIL_3_SYSTEMS.in_force_on(decided):
        cites = [cite(STATE_COUNCIL_3_SYSTEMS, _GUIDELINE_SECTION, _applies(name))]
    else:
        raise ValueError("2018年12月5日前作出的决定，没有7个工作日内公示的规定")
    if APL.in_force_on(decided):
        cites.append(cite(APL, "第四十八条第一款", _applies(name)))
    return _working_result(schedule, name, decided, 7, party=False, citations=cites)


# --- the party's deadlines ------------------------------------------------------------


def statement_deadline(
    schedule: Schedule, noticed: datetime.date, config: DeadlineConfig = DEFAULT_CONFIG
) -> DeadlineResult:
    """The last day for 陈述、申辩 after the notice (告知书).

    The right: 行政处罚法(2021) 第四十四条、第四十五条第一款 (2017: 第三十一条、第三十二条);
    no decision before it is heard, 第六十二条. The period is configuration (see
    DeadlineConfig; not a statutory number, procedure.yaml confidence medium)."""
    _check_date(noticed, "告知日期")
    name = STATEMENT
    law = _apl(noticed)
    if law is APL:
        cites = [cite(APL, "第四十四条", _applies(name)),
                 cite(APL, "第四十五条第一款", _applies(name)),
                 cite(APL, "第六十二条", _applies(name))]
    else:
        cites = [cite(APL_2017, "第三十一条", _applies(name)),
                 cite(APL_2017, "第三十二条", _applies(name))]
    note = (f"陈述申辩期限{config.statement_days}日为文书式样和本地配置，非法律规定的期限"
            "（行政处罚法未规定天数）")
    n = config.statement_days
    if config.statement_working_days:
        return _working_result(schedule, name, noticed, n, party=True, citations=cites,
                               notes=[note])
    return _calendar_result(schedule, name, noticed, add_calendar_days(noticed, n).date,
                            f"{n}日", party=True, citations=cites, notes=[note])


def hearing_request_deadline(schedule: Schedule, noticed: datetime.date) -> DeadlineResult:
    """The last day to ask for a hearing after being told of the right.

    行政处罚法(2021) 第六十四条第（一）项: 当事人要求听证的，应当在行政机关告知后五日内提出;
    第八十五条: 五日 is working days. Notices before 2021-07-15: 2017 text 第四十二条第一款
    第（一）项, three (calendar) days, extended over rest days."""
    _check_date(noticed, "告知日期")
    name = HEARING_REQUEST
    if APL.in_force_on(noticed):
        return _working_result(schedule, name, noticed, 5, party=True, citations=[
            cite(APL, "第六十四条第（一）项", _applies(name)),
            cite(APL, "第八十五条", _applies(name))])
    _apl(noticed)  # before 1996-10-01: refused
    return _calendar_result(
        schedule, name, noticed, add_calendar_days(noticed, 3).date, "3日", party=True,
        citations=[cite(APL_2017, "第四十二条第一款第（一）项", _applies(name))])


def payment_deadline(schedule: Schedule, served: datetime.date) -> DeadlineResult:
    """The last day to pay the fine: 15 calendar days after receiving the decision.

    行政处罚法(2021) 第六十七条第三款 (2017: 第四十六条第三款): 自收到行政处罚决定书之日起
    十五日内缴纳罚款. A party deadline: a last day on a rest day moves to the next
    working day (民法典 第二百零三条; yaml: clear for 缴款). Pass `date` as `due` to
    `late_payment_surcharge`."""
    _check_date(served, "送达日期")
    name = PAYMENT
    law = _apl(served)
    article = "第六十七条第三款" if law is APL else "第四十六条第三款"
    return _calendar_result(
        schedule, name, served, add_calendar_days(served, 15).date, "15日", party=True,
        citations=[cite(law, article, _applies(name))])


def _remedy(
    schedule: Schedule,
    name: str,
    outer_name: str,
    known: datetime.date,
    last: datetime.date,
    period: str,
    cites: list[Citation],
    *,
    rights_not_informed: bool,
    rights_known: datetime.date | None,
    outer: tuple[datetime.date, Citation] | None,
    no_outer_note: str,
    from_rights: datetime.date | None,
) -> RemedyDeadline:
    if not rights_not_informed:
        return RemedyDeadline(
            _calendar_result(schedule, name, known, last, period, party=True, citations=cites),
            None)
    if outer is None:
        # No outer limit in the version that governs: count from the day the party
        # learned of the right when known, else from knowing the content, and say so.
        notes = [no_outer_note]
        start, end = (rights_known, from_rights) if rights_known and from_rights else (known, last)
        return RemedyDeadline(_calendar_result(
            schedule, name, start, end, period, party=True, citations=cites, notes=notes), None)
    outer_last, outer_cite = outer
    outer_result = _calendar_result(
        schedule, outer_name, known, outer_last, "1年", party=True,
        citations=[outer_cite],
        notes=["未告知权利或期限：自知道行政行为内容之日起最长不超过1年"])
    if rights_known is None or from_rights is None:
        # When the party learned of the right is not given, the latest day it can still
        # act is the outer limit.
        deadline = _calendar_result(
            schedule, name, known, outer_last, "1年", party=True,
            citations=[*cites, outer_cite],
            notes=["未告知权利或期限，且未提供当事人知道的日期：以最长期限为准"])
    elif from_rights <= outer_last:
        deadline = _calendar_result(
            schedule, name, rights_known, from_rights, period, party=True,
            citations=[*cites, outer_cite],
            notes=[f"未告知权利或期限：自知道权利和期限之日（{rights_known}）起计算"])
    else:
        deadline = _calendar_result(
            schedule, name, known, outer_last, "1年", party=True,
            citations=[*cites, outer_cite],
            notes=["自知道权利之日起计算的期限超过最长期限，以最长期限为准"])
    return RemedyDeadline(deadline, outer_result)


def reconsideration_deadline(
    schedule: Schedule,
    content_known: datetime.date,
    *,
    rights_not_informed: bool = False,
    rights_known: datetime.date | None = None,
) -> RemedyDeadline:
    """The last day to apply for administrative reconsideration (行政复议).

    行政复议法(2023, in force 2024-01-01) 第二十条第一款: 自知道或者应当知道该行政行为之日起
    六十日内提出申请（法律规定超过六十日的除外）— 60 calendar days, a party deadline.
    第二十条第三款: 未告知申请复议的权利、复议机关和申请期限的，申请期限自知道或者应当知道
    上述内容之日起计算，但自知道或者应当知道行政行为内容之日起最长不得超过一年 → `outer_limit`
    (the response's `reconsideration_outer_limit`); without `rights_known` the deadline is
    that outer limit.
    Known before 2024-01-01: 行政复议法(2017) 第九条第一款 (60 days); that text has no
    one-year outer limit, so none is given and a note says so.
    Periods interrupted by force majeure (第二十条第二款) are not modelled."""
    _check_date(content_known, "知道行政行为的日期")
    if rights_known is not None:
        _check_date(rights_known, "知道复议权利的日期")
        if rights_known < content_known:
            raise ValueError("知道复议权利的日期不能早于知道行政行为的日期")
    name = RECONSIDERATION
    last = add_calendar_days(content_known, 60).date
    from_rights = add_calendar_days(rights_known, 60).date if rights_known else None
    if ARL.in_force_on(content_known):
        cites = [cite(ARL, "第二十条第一款", _applies(name))]
        outer = (add_months(content_known, 12),
                 cite(ARL, "第二十条第三款", _applies(RECONSIDERATION_OUTER_LIMIT)))
    elif ARL_2017.in_force_on(content_known):
        cites = [cite(ARL_2017, "第九条第一款", _applies(name))]
        outer = None
    else:
        raise ValueError(f"{ARL.name}于{content_known:%Y年%m月%d日}尚未施行")
    return _remedy(
        schedule, name, RECONSIDERATION_OUTER_LIMIT, content_known, last, "60日", cites,
        rights_not_informed=rights_not_informed, rights_known=rights_known, outer=outer,
        no_outer_note="2017年行政复议法未规定未告知复议权利时的最长期限，未计算最长期限",
        from_rights=from_rights)


def litigation_deadline(
    schedule: Schedule,
    content_known: datetime.date,
    *,
    rights_not_informed: bool = False,
    rights_known: datetime.date | None = None,
) -> RemedyDeadline:
    """The last day to sue directly (not after reconsideration).

    行政诉讼法 第四十六条第一款 (2014 amendment in force 2015-05-01, and the 2017 text):
    自知道或者应当知道作出行政行为之日起六个月内提出 — six months (民法典 第二百零二条).
    最高法行诉解释(法释〔2018〕1号, from 2018-02-08) 第六十四条第一款: 未告知起诉期限的，
    从知道或者应当知道起诉期限之日起计算，但从知道或者应当知道行政行为内容之日起最长不得
    超过一年 → `outer_limit`. Not informed before 2018-02-08: the earlier interpretations
    are not encoded (note, no outer limit). Suing after reconsideration (第四十五条,
    15 days) and the 5/20-year limits (第四十六条第二款) are not modelled."""
    _check_date(content_known, "知道行政行为的日期")
    if rights_known is not None:
        _check_date(rights_known, "知道起诉期限的日期")
        if rights_known < content_known:
            raise ValueError("知道起诉期限的日期不能早于知道行政行为的日期")
    name = LITIGATION
    if ALL.in_force_on(content_known):
        law = ALL
    elif ALL_2014.in_force_on(content_known):
        law = ALL_2014
    else:
        raise ValueError("2015年5月1日前知道行政行为的，起诉期限（旧法三个月）未编码")
    cites = [cite(law, "第四十六条第一款", _applies(name))]
    outer = None
    if ALL_INTERP.in_force_on(content_known):
        outer = (add_months(content_known, 12),
                 cite(ALL_INTERP, "第六十四条第一款", _applies(name)))
    return _remedy(
        schedule, name, LITIGATION_OUTER_LIMIT, content_known, add_months(content_known, 6),
        "6个月", cites, rights_not_informed=rights_not_informed, rights_known=rights_known,
        outer=outer,
        no_outer_note="2018年2月8日前的司法解释关于未告知起诉期限的最长期限未编码",
        from_rights=add_months(rights_known, 6) if rights_known else None)


# --- late-payment surcharge -----------------------------------------------------------


@dataclass(frozen=True)
class SurchargeResult:
    overdue_days: int  # days counted (suspended days excluded)
    amount: Decimal  # yuan, two decimals
    capped: bool  # the cap (the fine itself) was reached
    suspended_days: int  # overdue days excluded for reconsideration / litigation
    citations: tuple[Citation, ...]
    notes: tuple[str, ...] = ()

    def as_response(self) -> dict[str, int | str]:
        return {"overdue_days": self.overdue_days, "late_payment_surcharge": f"{self.amount:.2f}"}




Span = tuple[datetime.date, datetime.date]


def _merge(periods: Iterable[Span]) -> list[Span]:
    spans = sorted(periods)
    merged: list[Span] = []
    for first, last in spans:
        if merged and first <= merged[-1][1] + _ONE_DAY:
            if last > merged[-1][1]:
                merged[-1] = (merged[-1][0], last)
        else:
            merged.append((first, last))
    return merged


def late_payment_surcharge(
    fine: Decimal | int | str,
    due: datetime.date,
    as_of: datetime.date,
    suspended_periods: Iterable[tuple[datetime.date, datetime.date]] = (),
) -> SurchargeResult:
    """The 加处罚款 owed on `as_of` for a fine whose payment deadline was `due`.

    行政处罚法(2021) 第七十二条第一款第（一）项 (2017: 第五十一条第（一）项): 到期不缴纳罚款的，
    每日按罚款数额的百分之三加处罚款; 行政强制法 第四十五条第二款 (and 行政处罚法(2021) 第七十二条
    第一款第（一）项 itself): 加处罚款的数额不得超出金钱给付义务的数额 → capped at the fine.
    `overdue_days` are the days after `due` up to and including `as_of` (paid on the due
    date: 0); with 3 % a day the cap is reached on the 34th day (33 × 3 % = 99 %).
    `suspended_periods`: (first, last) days, both included, of reconsideration or
    litigation — 行政处罚法(2021) 第七十三条第三款: 当事人申请行政复议或者提起行政诉讼的，
    加处罚款的数额在行政复议或者行政诉讼期间不予计算 (yaml confidence high; the article's text
    was also confirmed with the search tool). That rule is new in 2021: it is applied when
    `due` falls under the 2021 text; for an earlier `due` the periods are ignored with a note.
    `due` should be the (rest-day extended) `payment_deadline(...).date`."""
    _check_date(due, "缴款期限")
    _check_date(as_of, "计算日期")
    amount_fine = parse_yuan(fine, "罚款金额")
    law = _apl(due)
    name = "late_payment_surcharge"
    article = "第七十二条第一款第（一）项" if law is APL else "第五十一条第（一）项"
    cites = [cite(law, article, name)]
    notes: list[str] = []
    periods = []
    for period in suspended_periods:
        try:
            first, last = period
        except (TypeError, ValueError):
            raise ValueError("暂停计算期间应为[开始日期, 结束日期]") from None
        _check_date(first, "暂停计算期间的开始日期")
        _check_date(last, "暂停计算期间的结束日期")
        if last < first:
            raise ValueError("暂停计算期间的开始日期不能晚于结束日期")
        periods.append((first, last))
    days = max((as_of - due).days, 0)
    suspended = 0
    if periods and days:
        if law is APL:
            cites.append(cite(APL, "第七十三条第三款", name))
            window_first, window_last = due + _ONE_DAY, as_of
            for first, last in _merge(periods):
                lo, hi = max(first, window_first), min(last, window_last)
                if lo <= hi:
                    suspended += (hi - lo).days + 1
        else:
            notes.append("2021年7月15日前到期的罚款：旧行政处罚法无复议诉讼期间不计加处罚款的规定，未扣除")
    overdue = days - suspended
    raw = round_yuan(amount_fine * SURCHARGE_DAILY_RATE * overdue)
    cap = round_yuan(amount_fine)
    # The cap: 行政处罚法(2021) 第七十二条第一款第（一）项 "加处罚款的数额不得超出罚款的数额";
    # before 2021, 行政强制法 第四十五条第二款 (in force 2012-01-01). None before 2012.
    capped = False
    if ACL.in_force_on(due):
        cites.append(cite(ACL, "第四十五条第二款", name))
    if law is APL or ACL.in_force_on(due):
        if overdue > 0 and raw >= cap:
            capped, raw = True, cap
    else:
        notes.append("2012年1月1日前到期：行政强制法尚未施行，加处罚款无上限规定")
    return SurchargeResult(overdue_days=overdue, amount=raw, capped=capped,
                           suspended_days=suspended, citations=_unique(cites), notes=tuple(notes))


# --- everything the facts allow -------------------------------------------------------


@dataclass(frozen=True)
class Deadlines:
    """The deadlines answerable from the dates given (a deadline is omitted when its
    starting date was not given)."""

    results: tuple[DeadlineResult, ...]
    reconsideration_outer_limit: DeadlineResult | None
    notes: tuple[str, ...] = ()

    def get(self, name: str) -> DeadlineResult | None:
        return next((r for r in self.results if r.name == name), None)

    @property
    def assumed_years(self) -> frozenset[int]:
        years: set[int] = set()
        for r in self.all_results:
            years |= r.assumed_years
        return frozenset(years)

    @property
    def all_results(self) -> tuple[DeadlineResult, ...]:
        outer = (self.reconsideration_outer_limit,) if self.reconsideration_outer_limit else ()
        return self.results + outer

    @property
    def citations(self) -> tuple[Citation, ...]:
        return _unique(c for r in self.all_results for c in r.citations)

    def as_response(self) -> dict[str, object]:
        answer: dict[str, object] = {
            "deadlines": {r.name: r.date.isoformat() for r in self.results}}
        if self.reconsideration_outer_limit:
            outer = self.reconsideration_outer_limit.date.isoformat()
            answer["reconsideration_outer_limit"] = outer
        return answer


def compute_deadlines(
    schedule: Schedule,
    *,
    filed: datetime.date | None = None,
    noticed: datetime.date | None = None,
    decided: datetime.date | None = None,
    served: datetime.date | None = None,
    content_known: datetime.date | None = None,
    party_present_at_announcement: bool | None = None,
    rights_not_informed: bool = False,
    config: DeadlineConfig = DEFAULT_CONFIG,
) -> Deadlines:
    """Every deadline the given dates allow, named as in the spec's `deadlines`.

    `served` defaults to `decided` when the party was present at the announcement
    (handed over on the spot, 行政处罚法 第六十一条); `content_known` defaults to `served`
    (procedure.yaml: reconsideration and litigation counted from service).
    `rights_not_informed` (the decision did not state the remedies, 第五十九条第一款第（五）项)
    applies to both reconsideration and litigation."""
    for value, what in ((filed, "立案日期"), (noticed, "告知日期"), (decided, "决定日期"),
                        (served, "送达日期"), (content_known, "知道行政行为的日期")):
        if value is not None:
            _check_date(value, what)
    if decided and filed and decided < filed:
        raise ValueError("决定日期不能早于立案日期")
    if decided and noticed and decided < noticed:
        raise ValueError("决定日期不能早于告知日期")
    if decided and served and served < decided:
        raise ValueError("送达日期不能早于决定日期")
    if served is None and decided is not None and party_present_at_announcement:
        served = decided
    if content_known is None:
        content_known = served
    results: list[DeadlineResult] = []
    notes: list[str] = []
    outer: DeadlineResult | None = None

    def attempt(fn, *args, **kwargs):  # type: ignore[no-untyped-def]
        try:
            return fn(*args, **kwargs)
        except ValueError as exc:  # a period the governing version does not set
            notes.append(str(exc))
            return None

    if filed:
        results.append(attempt(decision_deadline, schedule, filed, config))
    if noticed:
        results.append(statement_deadline(schedule, noticed, config))
        results.append(hearing_request_deadline(schedule, noticed))
    if decided and party_present_at_announcement is not None:
        results.append(service_deadline(
            schedule, decided, party_present_at_announcement=party_present_at_announcement))
    if served:
        results.append(payment_deadline(schedule, served))
    if decided:
        results.append(attempt(publicity_deadline, schedule, decided))
    if content_known:
        rec = attempt(reconsideration_deadline, schedule, content_known,
                      rights_not_informed=rights_not_informed)
        if rec:
            results.append(rec.deadline)
            outer = rec.outer_limit
        lit = attempt(litigation_deadline, schedule, content_known,
                      rights_not_informed=rights_not_informed)
        if lit:
            results.append(lit.deadline)
    return Deadlines(tuple(r for r in results if r is not None), outer, tuple(notes))
