"""Production-safety accidents (生产安全事故): class, the fines that go with it, the
reporting and investigation deadlines, and the criminal-transfer threshold.

Sources (../shared/reference/work_safety_penalties.yaml, section
`accident_reporting_regulation` and entries WSL-095 / WSL-110 / WSL-114; procedure.yaml
`criminal_transfer`), read against the texts:

- 生产安全事故报告和调查处理条例 (国务院令第493号, 2007-06-01, never amended): 第三条
  (classes), 第九条 (the unit's 1-hour report), 第十九条 (who investigates), 第二十七条
  (technical appraisal not counted), 第二十九条 (60-day report), 第三十五条 (漏报);
  and for the registry's workflow 第十一条 (2 hours per level upward), 第十三条 / 第二十条
  (补报 window; a higher government may take over), 第三十二条 (批复 within 15 / 30 days),
  第三十六条 (谎报 / 瞒报).
- 中华人民共和国安全生产法 2021 text (in force 2021-09-01) 第九十五条, 第一百一十条,
  第一百一十四条, and the 2014 text (2014-12-01 to 2021-08-31) 第九十二条, 第一百零六条,
  第一百零九条 for accidents before 2021-09-01.
- 法释〔2015〕22号 第六条 (重大责任事故罪 and the other work-safety crimes).

Every result is a frozen dataclass with its `citations`; `as_dict()` gives the
element of the `accident` / `criminal_transfer` objects of the assess API
(../shared/specs/assess_api.md) with its field names. Pure: no database access."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from fazhi.core.rules.calendar import Schedule, add_calendar_days, is_working_day
from fazhi.core.rules.money import CENT, parse_yuan, round_yuan
from fazhi.legal.rules.citations import (
    ACCIDENT_REG,
    APL,
    CIVIL_CODE,
    TRANSFER_REG,
    WORK_SAFETY_CRIMINAL_INTERP,
    WSL,
    WSL_2014,
    Citation,
    LawVersion,
    cite,
    version_in_force,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")

ORDINARY = "ordinary"  # 一般事故
LARGE = "large"  # 较大事故
MAJOR = "major"  # 重大事故
EXTRAORDINARY = "extraordinary"  # 特别重大事故
CLASSES: tuple[str, ...] = (ORDINARY, LARGE, MAJOR, EXTRAORDINARY)  # lowest first
CLASS_LABELS = {ORDINARY: "一般事故", LARGE: "较大事故", MAJOR: "重大事故",
                EXTRAORDINARY: "特别重大事故"}
CLASS_ITEMS = {ORDINARY: "第（四）项", LARGE: "第（三）项", MAJOR: "第（二）项",
               EXTRAORDINARY: "第（一）项"}  # 条例第三条第一款 lists the highest first

DEATHS = "deaths"
SERIOUS_INJURIES = "serious_injuries"
DIRECT_LOSS = "direct_loss"

WSL_VERSIONS = (WSL_2014, WSL)




def _rate(value: Decimal) -> str:
    return str(value.quantize(CENT))


# --- input checks (Chinese messages: these values come from users) ----------------

def _count(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{what}应为整数")
    if value < 0:
        raise ValueError(f"{what}不能为负数")
    return value




def _class_code(value: object) -> str:
    if value not in CLASSES:
        raise ValueError("事故等级应为 ordinary（一般）、large（较大）、major（重大）、"
                         "extraordinary（特别重大）之一")
    return str(value)


def _aware(moment: object, what: str) -> datetime.datetime:
    if not isinstance(moment, datetime.datetime):
        raise ValueError(f"{what}应为日期时间")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{what}须带时区（如 +08:00）")
    return moment.astimezone(SHANGHAI)


def _check_day(day: object, what: str) -> datetime.date:
    if not isinstance(day, datetime.date) or isinstance(day, datetime.datetime):
        raise ValueError(f"{what}应为日期")
    return day


def _wsl_version(occurred_on: datetime.date) -> LawVersion:
    _check_day(occurred_on, "事故发生日期")
    if occurred_on < WSL_2014.effective:
        raise ValueError(
            f"事故发生于{occurred_on:%Y年%m月%d日}，早于安全生产法(2014)施行日"
            f"（{WSL_2014.effective:%Y年%m月%d日}），本规则不涵盖更早的文本")
    return version_in_force(WSL_VERSIONS, occurred_on)


def _choose_version(
    occurred_on: datetime.date,
    decided_on: datetime.date | None,
    bounds: dict[LawVersion, tuple[Decimal, Decimal]],
) -> tuple[LawVersion, str]:
    """The text that governs, by 从旧兼从轻 (行政处罚法 第三十七条): the text in force when
    the accident happened, unless the text in force on the decision date is lighter.
    `bounds` gives each text's (min, max) for the same facts; lighter = a lower
    maximum, or the same maximum and a lower minimum. Returns the text and why."""
    old = _wsl_version(occurred_on)
    if decided_on is None:
        return old, "事故发生时施行的文本"
    if _check_day(decided_on, "处罚决定日期") < occurred_on:
        raise ValueError("处罚决定日期不能早于事故发生日期")
    new = version_in_force(WSL_VERSIONS, decided_on)
    if new is old:
        return old, "事故发生时施行的文本"
    (old_min, old_max), (new_min, new_max) = bounds[old], bounds[new]
    if new_max < old_max or (new_max == old_max and new_min < old_min):
        return new, "从旧兼从轻：作出决定时施行的文本处罚较轻"
    return old, "从旧兼从轻：事故发生时施行的文本（新文本处罚不轻于旧文本）"


def _apl_37(decided_on: datetime.date | None, applies_to: str) -> tuple[Citation, ...]:
    # 行政处罚法(2021) 第三十七条: 从旧兼从轻 — cited whenever a decision date made us
    # compare texts (decisions after 2021-07-15, which every live case is).
    if decided_on is None or not APL.in_force_on(decided_on):
        return ()
    return (cite(APL, "第三十七条", applies_to),)


# --- 1. accident class ------------------------------------------------------------

# 条例 第三条第一款: the lower bound of each class for each measure. 第三条第三款:
# “以上”含本数，“以下”不含本数 — so a bound belongs to the class it opens (30 deaths is
# 特别重大, 29 重大). Serious injuries include acute industrial poisoning (第三条第一款
# 第（一）项 括注 “包括急性工业中毒，下同”).
CLASS_FLOORS: dict[str, dict[str, Decimal]] = {
    EXTRAORDINARY: {DEATHS: Decimal(30), SERIOUS_INJURIES: Decimal(100),
                    DIRECT_LOSS: Decimal(100_000_000)},
    MAJOR: {DEATHS: Decimal(10), SERIOUS_INJURIES: Decimal(50),
            DIRECT_LOSS: Decimal(50_000_000)},
    LARGE: {DEATHS: Decimal(3), SERIOUS_INJURIES: Decimal(10),
            DIRECT_LOSS: Decimal(10_000_000)},
}


@dataclass(frozen=True)
class AccidentClass:
    code: str  # ordinary | large | major | extraordinary
    label: str  # 一般事故 ...
    reached_by: tuple[str, ...]  # the measures that reach this class (empty: ordinary)
    citations: tuple[Citation, ...]

    def as_dict(self) -> dict[str, str]:
        return {"class": self.code}


def accident_class(deaths: int, serious_injuries: int, direct_loss: Decimal | int | str
                   ) -> AccidentClass:
    """The accident class (生产安全事故报告和调查处理条例 第三条): the highest class
    reached by any of deaths, serious injuries (incl. acute industrial poisoning) and
    direct economic loss in yuan."""
    figures = {
        DEATHS: Decimal(_count(deaths, "死亡人数")),
        SERIOUS_INJURIES: Decimal(_count(serious_injuries, "重伤人数（含急性工业中毒）")),
        DIRECT_LOSS: parse_yuan(direct_loss, "直接经济损失"),
    }
    code, reached = ORDINARY, ()
    for candidate in (EXTRAORDINARY, MAJOR, LARGE):  # highest first: first hit wins
        floors = CLASS_FLOORS[candidate]
        hits = tuple(m for m in (DEATHS, SERIOUS_INJURIES, DIRECT_LOSS)
                     if figures[m] >= floors[m])
        if hits:
            code, reached = candidate, hits
            break
    citations = (
        cite(ACCIDENT_REG, f"第三条第一款{CLASS_ITEMS[code]}", "accident.class"),
        cite(ACCIDENT_REG, "第三条第三款", "accident.class"),  # 以上含本数、以下不含本数
    )
    return AccidentClass(code, CLASS_LABELS[code], reached, citations)


# --- 2. the unit's fine (安全生产法 2021 第一百一十四条 / 2014 第一百零九条) -------------

Y = Decimal
# 安全生产法(2021) 第一百一十四条第一款 第（一）至（四）项.
UNIT_FINES_2021 = {ORDINARY: (Y(300_000), Y(1_000_000)), LARGE: (Y(1_000_000), Y(2_000_000)),
                   MAJOR: (Y(2_000_000), Y(10_000_000)),
                   EXTRAORDINARY: (Y(10_000_000), Y(20_000_000))}
# 安全生产法(2014) 第一百零九条 第（一）至（四）项.
UNIT_FINES_2014 = {ORDINARY: (Y(200_000), Y(500_000)), LARGE: (Y(500_000), Y(1_000_000)),
                   MAJOR: (Y(1_000_000), Y(5_000_000)),
                   EXTRAORDINARY: (Y(5_000_000), Y(10_000_000))}
# 安全生产法(2014) 第一百零九条第（四）项后段: 特别重大事故“情节特别严重的，处一千万元以上
# 二千万元以下的罚款” — the 2014 text had no aggravation for the other classes.
UNIT_FINE_2014_EXTRAORDINARY_AGGRAVATED = (Y(10_000_000), Y(20_000_000))
# 安全生产法(2021) 第一百一十四条第二款: “发生生产安全事故，情节特别严重、影响特别恶劣的，
# 应急管理部门可以按照前款罚款数额的二倍以上五倍以下对负有责任的生产经营单位处以罚款”.
# The paragraph names no class, so it applies to every class (the brief said only 较大
# and above; the text and work_safety_penalties.yaml WSL-114 do not limit it). Read as
# [2 × the class minimum, 5 × the class maximum] — the common reading, confidence
# medium in the yaml: the statute does not spell the bounds out. It is discretionary
# (“可以”).
AGGRAVATED_MULTIPLE_MIN = Y(2)
AGGRAVATED_MULTIPLE_MAX = Y(5)
# The item of 第一百一十四条第一款 / 第九十五条 (and of the 2014 articles) for each class.
FINE_ITEMS = {ORDINARY: "第（一）项", LARGE: "第（二）项", MAJOR: "第（三）项",
              EXTRAORDINARY: "第（四）项"}


@dataclass(frozen=True)
class UnitFine:
    accident_class: str
    min: Decimal
    max: Decimal
    base_min: Decimal  # the class range before any aggravation
    base_max: Decimal
    aggravated: bool  # the 情节特别严重 range was applied
    discretionary: bool  # the aggravated range is a “可以” (2021), not a must
    version: str  # the Work Safety Law text applied: "2014" | "2021"
    version_reason: str
    notes: tuple[str, ...]
    citations: tuple[Citation, ...]

    def as_dict(self) -> dict[str, str]:
        return {"min": str(self.min), "max": str(self.max)}


def _unit_range(law: LawVersion, code: str, aggravated: bool) -> tuple[Decimal, Decimal]:
    if law is WSL:
        low, high = UNIT_FINES_2021[code]
        if aggravated:
            return low * AGGRAVATED_MULTIPLE_MIN, high * AGGRAVATED_MULTIPLE_MAX
        return low, high
    if aggravated and code == EXTRAORDINARY:
        return UNIT_FINE_2014_EXTRAORDINARY_AGGRAVATED
    return UNIT_FINES_2014[code]


def unit_fine_for_accident(
    accident_class: str,
    especially_serious_and_egregious: bool = False,
    *,
    occurred_on: datetime.date,
    decided_on: datetime.date | None = None,
) -> UnitFine:
    """The fine range for the unit responsible for an accident, by class.

    The text is the one in force on `occurred_on` (2014 text before 2021-09-01), unless
    the text in force on `decided_on` is lighter (行政处罚法 第三十七条) — the 2021 ranges
    are never lighter, so in practice the accident date decides."""
    code = _class_code(accident_class)
    aggravated = bool(especially_serious_and_egregious)
    bounds = {law: _unit_range(law, code, aggravated) for law in WSL_VERSIONS}
    law, reason = _choose_version(occurred_on, decided_on, bounds)
    low, high = bounds[law]
    base_low, base_high = _unit_range(law, code, False)
    notes: list[str] = []
    applies_to = "accident.unit_fine"
    if law is WSL:
        citations = [cite(WSL, f"第一百一十四条第一款{FINE_ITEMS[code]}", applies_to)]
        if aggravated:
            citations.append(cite(WSL, "第一百一十四条第二款", applies_to))
            notes.append("情节特别严重、影响特别恶劣：可以按前款罚款数额的二倍以上五倍以下处罚"
                         "（按“下限×2、上限×5”理解）")
        applied = aggravated
        discretionary = aggravated
    else:
        citations = [cite(WSL_2014, f"第一百零九条{FINE_ITEMS[code]}", applies_to)]
        applied = aggravated and code == EXTRAORDINARY
        discretionary = False
        if aggravated and not applied:
            notes.append("安全生产法(2014)第一百零九条仅对特别重大事故规定“情节特别严重”的"
                         "加重幅度，本等级不适用")
    citations.extend(_apl_37(decided_on, applies_to))
    return UnitFine(code, round_yuan(low), round_yuan(high), round_yuan(base_low),
                    round_yuan(base_high), applied, discretionary, law.version, reason,
                    tuple(notes), tuple(citations))


# --- 3. the principal's fine --------------------------------------------------------

# 安全生产法(2021) 第九十五条 第（一）至（四）项: a fixed share of the previous year's
# income; 2014 text 第九十二条: 30 / 40 / 60 / 80 %. (条例 第三十八条 30–80 % is
# superseded by the law.)
PRINCIPAL_RATES_2021 = {ORDINARY: Y("0.40"), LARGE: Y("0.60"), MAJOR: Y("0.80"),
                        EXTRAORDINARY: Y("1.00")}
PRINCIPAL_RATES_2014 = {ORDINARY: Y("0.30"), LARGE: Y("0.40"), MAJOR: Y("0.60"),
                        EXTRAORDINARY: Y("0.80")}
# 安全生产法(2021) 第一百一十条第二款 (隐瞒不报、谎报、迟报 “依照前款规定处罚”) with
# 第一款: 60 %–100 %; identical in the 2014 text 第一百零六条第一、二款 (confirmed on a
# page quoting the 2014 article).
LATE_REPORT_RATES = (Y("0.60"), Y("1.00"))
# 漏报 is not named in 第一百一十条; 条例 第三十五条第（二）项 (“迟报或者漏报事故”) still
# gives 40 %–80 % for it (yaml WSL-110: show it and flag).
OMITTED_REPORT_RATES = (Y("0.40"), Y("0.80"))


@dataclass(frozen=True)
class PrincipalFine:
    basis: str  # "duties" (art. 95 / 92) | "late_report" (art. 110 / 106) | "omitted_report"
    min_rate: Decimal
    max_rate: Decimal
    amount_min: Decimal | None  # when the previous-year income is given
    amount_max: Decimal | None
    version: str  # the law text applied ("2014" | "2021"; "2007" for 条例)
    version_reason: str
    notes: tuple[str, ...]
    citations: tuple[Citation, ...]
    # Further acts fined separately (e.g. 迟报 on top of the class fine): each is its
    # own violation and its own fine, listed so none is silently dropped.
    separate: tuple[PrincipalFine, ...] = field(default=())

    def as_dict(self) -> dict[str, str | None]:
        return {"min_rate": _rate(self.min_rate), "max_rate": _rate(self.max_rate),
                "amount_min": None if self.amount_min is None else str(self.amount_min),
                "amount_max": None if self.amount_max is None else str(self.amount_max)}


def _principal_component(
    basis: str, code: str | None, income: Decimal | None, occurred_on: datetime.date,
    decided_on: datetime.date | None,
) -> PrincipalFine:
    applies_to = "accident.principal_fine"
    notes: list[str] = []
    if basis == "omitted_report":
        _check_day(occurred_on, "事故发生日期")
        if not ACCIDENT_REG.in_force_on(occurred_on):
            raise ValueError(f"{ACCIDENT_REG.name}于{occurred_on:%Y年%m月%d日}尚未施行")
        low, high = OMITTED_REPORT_RATES
        citations = [cite(ACCIDENT_REG, "第三十五条第（二）项", applies_to)]
        notes.append("漏报未列入安全生产法第一百一十条，仍依条例第三十五条（40%至80%），"
                     "请复核")
        version, reason = ACCIDENT_REG.version, "安全生产法未规定漏报的罚款，适用条例"
    else:
        if code is not None and basis == "duties":
            bounds = {WSL: (PRINCIPAL_RATES_2021[code],) * 2,
                      WSL_2014: (PRINCIPAL_RATES_2014[code],) * 2}
        else:
            bounds = {WSL: LATE_REPORT_RATES, WSL_2014: LATE_REPORT_RATES}
        law, reason = _choose_version(occurred_on, decided_on, bounds)
        low, high = bounds[law]
        if code is not None and basis == "duties":
            article = "第九十五条" if law is WSL else "第九十二条"
            citations = [cite(law, f"{article}{FINE_ITEMS[code]}", applies_to)]
        else:
            article = "第一百一十条" if law is WSL else "第一百零六条"
            citations = [cite(law, f"{article}第二款", applies_to),
                         cite(law, f"{article}第一款", applies_to)]
        citations.extend(_apl_37(decided_on, applies_to))
        version = law.version
    amount_min = amount_max = None
    if income is not None:
        amount_min, amount_max = round_yuan(income * low), round_yuan(income * high)
    return PrincipalFine(basis, low, high, amount_min, amount_max, version, reason,
                         tuple(notes), tuple(citations))


def principal_fine(
    accident_class: str | None = None,
    late_report: bool = False,
    income_prev_year: Decimal | int | str | None = None,
    *,
    occurred_on: datetime.date,
    decided_on: datetime.date | None = None,
    omitted_report: bool = False,
) -> PrincipalFine:
    """The fine on the unit's principal (主要负责人), as shares of the previous year's
    income, with amounts when `income_prev_year` is given.

    With a class: 安全生产法 第九十五条 (failure of duties causing the accident). With no
    class: 第一百一十条 for 迟报 (`late_report`, also 谎报 / 隐瞒不报 / 不立即组织抢救,
    same range) or 条例 第三十五条 for 漏报 (`omitted_report`). When several apply, the
    first in that order is the answer and the others are in `separate`: they are
    different acts, each fined on its own."""
    code = None if accident_class is None else _class_code(accident_class)
    income = None if income_prev_year is None else parse_yuan(income_prev_year, "上一年年收入")
    bases = [b for b, on in (("duties", code is not None), ("late_report", late_report),
                             ("omitted_report", omitted_report)) if on]
    if not bases:
        raise ValueError("计算主要负责人罚款需要事故等级，或迟报、漏报等事实")
    parts = [_principal_component(b, code, income, occurred_on, decided_on) for b in bases]
    first, rest = parts[0], tuple(parts[1:])
    return PrincipalFine(first.basis, first.min_rate, first.max_rate, first.amount_min,
                         first.amount_max, first.version, first.version_reason, first.notes,
                         first.citations, rest)


# --- 4. the unit's report (条例 第九条) ----------------------------------------------

# 条例 第九条: 单位负责人接到报告后，应当于1小时内向事故发生地县级以上人民政府安全生产
# 监督管理部门（应急管理部门）和负有安全生产监督管理职责的有关部门报告.
# How the hour counts: a period in hours starts at the moment stated (民法典 第二百零一条
# 第二款 “按照小时计算期间的，自法律规定或者当事人约定的时间开始计算”), and “以内”
# includes the figure itself (民法典 第一千二百五十九条). 迟报 is “报告事故的时间超过规定
# 时限” (work_safety_penalties.yaml reporting_definitions, from 生产安全事故罚款处罚规定
# 第五条; “超过” excludes the figure). So a report exactly one hour after the principal
# was informed is in time; one second later is late.
REPORT_WITHIN = datetime.timedelta(hours=1)


@dataclass(frozen=True)
class ReportDeadline:
    deadline: datetime.datetime  # Asia/Shanghai
    citations: tuple[Citation, ...]

    def as_dict(self) -> dict[str, str]:
        return {"report_deadline": self.deadline.isoformat()}


@dataclass(frozen=True)
class LateReport:
    late: bool
    deadline: datetime.datetime
    reported_at: datetime.datetime
    overdue: datetime.timedelta  # zero when in time
    citations: tuple[Citation, ...]

    def as_dict(self) -> dict[str, bool]:
        return {"late_report": self.late}


def _report_citations(applies_to: str) -> tuple[Citation, ...]:
    return (cite(ACCIDENT_REG, "第九条", applies_to),
            cite(CIVIL_CODE, "第二百零一条第二款", applies_to),
            cite(CIVIL_CODE, "第一千二百五十九条", applies_to))


def report_deadline(head_informed_at: datetime.datetime) -> ReportDeadline:
    """The last moment the unit may report: one hour after its principal was informed."""
    informed = _aware(head_informed_at, "单位负责人接到报告的时间")
    return ReportDeadline(informed + REPORT_WITHIN, _report_citations("accident.report_deadline"))


def late_report(head_informed_at: datetime.datetime, reported_at: datetime.datetime
                ) -> LateReport:
    """Whether the unit's report came after the one-hour limit (迟报). A report before the
    principal was informed (第九条: on-site staff may report directly in an emergency)
    is in time."""
    deadline = report_deadline(head_informed_at).deadline
    reported = _aware(reported_at, "报告时间")
    overdue = max(reported - deadline, datetime.timedelta(0))
    return LateReport(reported > deadline, deadline, reported, overdue,
                      _report_citations("accident.late_report"))


# --- 5. the investigation report (条例 第二十九条) ------------------------------------

# 条例 第二十九条: 事故调查组应当自事故发生之日起60日内提交事故调查报告；特殊情况下，经
# 负责事故调查的人民政府批准，可以适当延长，但延长的期限最长不超过60日. Calendar days
# (no working-day clause covers them); the accident day is not counted (民法典 第二百零一条
# 第一款, procedure.yaml date_computation_conventions). 第二十七条: 技术鉴定所需时间不计入
# 事故调查期限. No moving of a last day that is a rest day: this is the investigators' own
# deadline, and procedure.yaml (medium) says to flag it rather than extend it.
INVESTIGATION_DAYS = 60
MAX_EXTENSION_DAYS = 60
# 条例 第十九条第一、二款: who investigates, by class.
INVESTIGATED_BY = {
    EXTRAORDINARY: "国务院或者国务院授权有关部门",
    MAJOR: "事故发生地省级人民政府",
    LARGE: "事故发生地设区的市级人民政府",
    ORDINARY: "事故发生地县级人民政府",
}


@dataclass(frozen=True)
class InvestigationDeadline:
    due: datetime.date
    latest_with_extension: datetime.date
    investigated_by: str | None  # when the class is given
    # With a `Schedule`: whether each date is a rest day (flag only, never moved), and
    # the years of those checks whose holiday schedule is not loaded.
    due_is_rest_day: bool | None
    latest_is_rest_day: bool | None
    assumed_years: frozenset[int]
    citations: tuple[Citation, ...]

    def is_late(self, submitted_on: datetime.date, *, extended: bool = False) -> bool:
        """A report submitted on its last day is in time; the next day is late."""
        return submitted_on > (self.latest_with_extension if extended else self.due)

    def as_dict(self) -> dict[str, str]:
        return {"investigation_report_due": self.due.isoformat(),
                "investigation_report_latest_with_extension":
                    self.latest_with_extension.isoformat()}


def investigation_report_due(
    occurred_on: datetime.date,
    accident_class: str | None = None,
    *,
    appraisal_days: int = 0,
    schedule: Schedule | None = None,
) -> InvestigationDeadline:
    """When the investigation team's report is due (60 calendar days after the accident
    day) and the latest date with the longest approved extension (60 more days).
    `appraisal_days`: days taken by technical appraisal, not counted (第二十七条)."""
    _check_day(occurred_on, "事故发生日期")
    code = None if accident_class is None else _class_code(accident_class)
    appraisal = _count(appraisal_days, "技术鉴定天数")
    due = add_calendar_days(occurred_on, INVESTIGATION_DAYS + appraisal)
    latest = add_calendar_days(due.date, MAX_EXTENSION_DAYS)
    due_rest = latest_rest = None
    assumed = due.assumed_years | latest.assumed_years
    if schedule is not None:
        due_check = is_working_day(schedule, due.date)
        latest_check = is_working_day(schedule, latest.date)
        due_rest, latest_rest = not due_check.working, not latest_check.working
        assumed |= due_check.assumed_years | latest_check.assumed_years
    citations = [cite(ACCIDENT_REG, "第二十九条", "accident.investigation_report_due"),
                 cite(CIVIL_CODE, "第二百零一条第一款", "accident.investigation_report_due"),
                 cite(ACCIDENT_REG, "第二十九条",
                      "accident.investigation_report_latest_with_extension")]
    if appraisal:
        citations.append(cite(ACCIDENT_REG, "第二十七条", "accident.investigation_report_due"))
    if code is not None:
        citations.append(cite(ACCIDENT_REG, "第十九条", "accident.investigation_report_due"))
    return InvestigationDeadline(
        due.date, latest.date, None if code is None else INVESTIGATED_BY[code],
        due_rest, latest_rest, frozenset(assumed), tuple(citations))


# --- 6. criminal transfer (法释〔2015〕22号 第六条) ----------------------------------

# 法释〔2015〕22号 第六条第一款: 造成死亡一人以上，或者重伤三人以上 (第（一）项)；造成直接
# 经济损失一百万元以上 (第（二）项) — “造成严重后果 / 发生重大伤亡事故” for 重大责任事故罪
# (刑法 第一百三十四条第一款) and the other crimes the article lists (第一百三十二、一百三十五、
# 一百三十五条之一、一百三十六、一百三十九条). In criminal law “以上” includes the figure
# (刑法 第九十九条). 第（三）项 “其他造成严重后果或者重大安全事故的情形” cannot be judged
# from figures: `threshold_met` False means only that the figures do not reach it.
CRIMINAL_FLOORS = {DEATHS: Decimal(1), SERIOUS_INJURIES: Decimal(3),
                   DIRECT_LOSS: Decimal(1_000_000)}
# 第七条第一款: 3–7 years where 死亡三人以上或者重伤十人以上 / 直接经济损失五百万元以上,
# each only when the person bears the main responsibility (负事故主要责任) — flagged.
CRIMINAL_SERIOUS_FLOORS = {DEATHS: Decimal(3), SERIOUS_INJURIES: Decimal(10),
                           DIRECT_LOSS: Decimal(5_000_000)}


@dataclass(frozen=True)
class CriminalTransfer:
    threshold_met: bool
    required: bool  # 应当移送 (行政处罚法 第二十七条; 移送规定 第三条)
    reached_by: tuple[str, ...]
    especially_bad_possible: bool  # 第七条 figures reached (needs 负主要责任)
    notes: tuple[str, ...]
    citations: tuple[Citation, ...]

    def as_dict(self) -> dict[str, bool]:
        return {"threshold_met": self.threshold_met, "required": self.required}


def criminal_transfer_threshold_met(
    deaths: int, serious_injuries: int, direct_loss: Decimal | int | str
) -> CriminalTransfer:
    """Whether an accident's figures reach the threshold of the work-safety crimes, so
    the case must go to the public security organ."""
    figures = {
        DEATHS: Decimal(_count(deaths, "死亡人数")),
        SERIOUS_INJURIES: Decimal(_count(serious_injuries, "重伤人数")),
        DIRECT_LOSS: parse_yuan(direct_loss, "直接经济损失"),
    }
    order = (DEATHS, SERIOUS_INJURIES, DIRECT_LOSS)
    reached = tuple(m for m in order if figures[m] >= CRIMINAL_FLOORS[m])
    serious = any(figures[m] >= CRIMINAL_SERIOUS_FLOORS[m] for m in order)
    met = bool(reached)
    notes = ["“其他造成严重后果”的情形无法由伤亡和损失数字判断，需办案人员认定"]
    if serious:
        notes.append("已达法释〔2015〕22号第七条的数额，负事故主要责任的处三年以上七年以下"
                     "有期徒刑")
    items = {DEATHS: "第（一）项", SERIOUS_INJURIES: "第（一）项", DIRECT_LOSS: "第（二）项"}
    articles = sorted({items[m] for m in reached}) or ["第（一）项", "第（二）项"]
    citations = [cite(WORK_SAFETY_CRIMINAL_INTERP, f"第六条第一款{item}",
                      "criminal_transfer.threshold_met") for item in articles]
    if serious:
        citations.append(cite(WORK_SAFETY_CRIMINAL_INTERP, "第七条第一款",
                              "criminal_transfer.threshold_met"))
    # 行政处罚法(2021) 第二十七条第一款: 违法行为涉嫌犯罪的，行政机关应当及时将案件移送
    # 司法机关; 移送规定 第三条: 涉嫌构成犯罪 … 必须依照本规定向公安机关移送.
    citations += [cite(APL, "第二十七条第一款", "criminal_transfer.required"),
                  cite(TRANSFER_REG, "第三条", "criminal_transfer.required")]
    return CriminalTransfer(met, met, reached, serious, tuple(notes), tuple(citations))


# --- 7. reporting upward (条例 第十一条) ----------------------------------------------

# 条例 第十一条: 安全生产监督管理部门和负有安全生产监督管理职责的有关部门逐级上报事故
# 情况，每级上报的时间不得超过2小时 (work_safety_penalties.yaml, high). The two hours run
# from the moment this level was informed; counted as the unit's hour (第九条 above):
# exactly two hours is in time, one second more is late (“不得超过”).
UPWARD_REPORT_WITHIN = datetime.timedelta(hours=2)


def _upward_citations(applies_to: str) -> tuple[Citation, ...]:
    return (cite(ACCIDENT_REG, "第十一条", applies_to),
            cite(CIVIL_CODE, "第二百零一条第二款", applies_to))


def upward_report_deadline(informed_at: datetime.datetime) -> ReportDeadline:
    """The last moment a bureau informed of an accident may report it to the next level."""
    informed = _aware(informed_at, "本级接到事故报告的时间")
    return ReportDeadline(informed + UPWARD_REPORT_WITHIN,
                          _upward_citations("accident.upward_report_deadline"))


def late_upward_report(informed_at: datetime.datetime, reported_at: datetime.datetime
                       ) -> LateReport:
    """Whether this level's report upward came after its two hours (迟报)."""
    deadline = upward_report_deadline(informed_at).deadline
    reported = _aware(reported_at, "向上级报告时间")
    overdue = max(reported - deadline, datetime.timedelta(0))
    return LateReport(reported > deadline, deadline, reported, overdue,
                      _upward_citations("accident.late_upward_report"))


# --- 8. supplementary reports (补报, 条例 第十三条; 第二十条) ---------------------------

# 条例 第十三条第一款: 自事故发生之日起30日内，事故造成的伤亡人数发生变化的，应当及时
# 补报；道路交通事故、火灾事故自发生之日起7日内 (yaml, high). Counted like 第二十九条:
# the accident day is not counted (民法典 第二百零一条第一款), so the window's last day is
# the accident day plus 30 (7). A later change is a correction, not a 补报.
SUPPLEMENT_DAYS = 30
SUPPLEMENT_DAYS_ROAD_FIRE = 7


@dataclass(frozen=True)
class SupplementWindow:
    occurred_on: datetime.date
    days: int
    last_day: datetime.date
    citations: tuple[Citation, ...]

    def covers(self, known_on: datetime.date) -> bool:
        """A change known on its last day is a 补报; the next day it is not."""
        return self.occurred_on <= _check_day(known_on, "获知日期") <= self.last_day


def supplementary_report_window(occurred_on: datetime.date, *, road_or_fire: bool = False
                                ) -> SupplementWindow:
    """The days after an accident in which changed casualty figures are 补报."""
    _check_day(occurred_on, "事故发生日期")
    days = SUPPLEMENT_DAYS_ROAD_FIRE if road_or_fire else SUPPLEMENT_DAYS
    return SupplementWindow(
        occurred_on, days, add_calendar_days(occurred_on, days).date,
        (cite(ACCIDENT_REG, "第十三条第一款", "accident.supplementary_report"),
         cite(CIVIL_CODE, "第二百零一条第一款", "accident.supplementary_report")))


def higher_government_may_investigate(
    window: SupplementWindow, known_on: datetime.date, old_class: str, new_class: str,
    *, casualties_changed: bool,
) -> bool:
    """条例 第二十条第二款: within the 补报 window, when a change in the casualties raises
    the class so that a higher government is the one to investigate (第十九条), that
    government may set up its own investigation team (“可以”: a possibility, shown)."""
    old, new = CLASSES.index(_class_code(old_class)), CLASSES.index(_class_code(new_class))
    return casualties_changed and new > old and window.covers(known_on)


# --- 9. the approval of the report (批复, 条例 第三十二条) -----------------------------

# 条例 第三十二条第一款: 重大事故、较大事故、一般事故，负责事故调查的人民政府应当自收到
# 事故调查报告之日起15日内做出批复；特别重大事故，30日内做出批复，特殊情况下，批复时间
# 可以适当延长，但延长的时间最长不超过30日 (yaml, high). Calendar days from the day after
# receipt (民法典 第二百零一条第一款); like 第二十九条, a last day on a rest day is not moved.
APPROVAL_DAYS = 15
APPROVAL_DAYS_EXTRAORDINARY = 30
APPROVAL_MAX_EXTENSION_EXTRAORDINARY = 30


@dataclass(frozen=True)
class ApprovalDeadline:
    due: datetime.date
    latest_with_extension: datetime.date  # == due when no extension is allowed
    extendable: bool  # only 特别重大事故
    citations: tuple[Citation, ...]

    def is_late(self, approved_on: datetime.date, *, extended: bool = False) -> bool:
        """An approval on the last day is in time; the next day is late."""
        last = self.latest_with_extension if extended else self.due
        return _check_day(approved_on, "批复日期") > last

    def as_dict(self) -> dict[str, str]:
        return {"approval_due": self.due.isoformat(),
                "approval_latest_with_extension": self.latest_with_extension.isoformat()}


def investigation_approval_due(received_on: datetime.date, accident_class: str
                               ) -> ApprovalDeadline:
    """When the government that investigates must approve (批复) the report it received
    on `received_on`."""
    _check_day(received_on, "收到调查报告日期")
    code = _class_code(accident_class)
    applies_to = "accident.approval_due"
    citations = (cite(ACCIDENT_REG, "第三十二条第一款", applies_to),
                 cite(CIVIL_CODE, "第二百零一条第一款", applies_to))
    if code == EXTRAORDINARY:
        due = add_calendar_days(received_on, APPROVAL_DAYS_EXTRAORDINARY).date
        latest = add_calendar_days(due, APPROVAL_MAX_EXTENSION_EXTRAORDINARY).date
        return ApprovalDeadline(due, latest, True, citations)
    due = add_calendar_days(received_on, APPROVAL_DAYS).date
    return ApprovalDeadline(due, due, False, citations)


# --- 10. consequences of 迟报 / 漏报 / 谎报 / 瞒报 (条例 第三十五、三十六条) -------------

LATE, OMITTED, FALSE_REPORT, CONCEALED = "late", "omitted", "false_report", "concealed"
REPORTING_ACTS = (LATE, OMITTED, FALSE_REPORT, CONCEALED)
REPORTING_ACT_LABELS = {LATE: "迟报", OMITTED: "漏报", FALSE_REPORT: "谎报", CONCEALED: "瞒报"}
PRINCIPAL, UNIT, RESPONSIBLE_PERSONS = "principal", "unit", "responsible_persons"
SUBJECT_LABELS = {PRINCIPAL: "事故发生单位主要负责人", UNIT: "事故发生单位",
                  RESPONSIBLE_PERSONS: "直接负责的主管人员和其他直接责任人员"}
# 条例 第三十六条第（一）项 谎报或者瞒报事故: the unit 100万–500万元; the principal, the
# directly responsible persons 60%–100% of the previous year's income (yaml AR-036,
# high; no later text replaces the unit's range in the reference). For the principal
# 安全生产法 第一百一十条第二款 (隐瞒不报、谎报) gives the same share and prevails.
FALSE_OR_CONCEALED_UNIT_FINE = (Y(1_000_000), Y(5_000_000))
FALSE_OR_CONCEALED_PERSON_RATES = (Y("0.60"), Y("1.00"))
# yaml AR-035 / AR-036 `extra`: the other consequences, not fines.
_NOT_FINES = "属于国家工作人员的，并依法给予处分；构成犯罪的，依法追究刑事责任"


@dataclass(frozen=True)
class ReportingConsequence:
    act: str  # late | omitted | false_report | concealed
    subject: str  # principal | unit | responsible_persons
    min_rate: Decimal | None  # shares of the previous year's income (persons)
    max_rate: Decimal | None
    min_amount: Decimal | None  # yuan (the unit)
    max_amount: Decimal | None
    version: str
    notes: tuple[str, ...]
    citations: tuple[Citation, ...]

    @property
    def act_label(self) -> str:
        return REPORTING_ACT_LABELS[self.act]

    @property
    def subject_label(self) -> str:
        return SUBJECT_LABELS[self.subject]

    def as_dict(self) -> dict[str, object]:
        def text(value: Decimal | None, rate: bool) -> str | None:
            return None if value is None else (_rate(value) if rate else str(value))
        return {"act": self.act, "act_label": self.act_label, "subject": self.subject,
                "subject_label": self.subject_label,
                "min_rate": text(self.min_rate, True), "max_rate": text(self.max_rate, True),
                "min_amount": text(self.min_amount, False),
                "max_amount": text(self.max_amount, False), "version": self.version,
                "notes": list(self.notes),
                "citations": [c.as_dict() for c in self.citations]}


def _from_principal(act: str, fine: PrincipalFine) -> ReportingConsequence:
    return ReportingConsequence(act, PRINCIPAL, fine.min_rate, fine.max_rate, None, None,
                                fine.version, (*fine.notes, _NOT_FINES), fine.citations)


def reporting_consequences(
    *,
    occurred_on: datetime.date,
    late: bool = False,
    omitted: bool = False,
    false_report: bool = False,
    concealed: bool = False,
    decided_on: datetime.date | None = None,
) -> tuple[ReportingConsequence, ...]:
    """The fines the reporting failures found expose the unit and its people to, each
    with its citations, in the order 迟报, 漏报, 谎报, 瞒报 (each act is its own
    violation). Only ranges: the amount is decided in the penalty case."""
    _check_day(occurred_on, "事故发生日期")
    if not ACCIDENT_REG.in_force_on(occurred_on):
        raise ValueError(f"{ACCIDENT_REG.name}于{occurred_on:%Y年%m月%d日}尚未施行")
    out: list[ReportingConsequence] = []
    if late:
        out.append(_from_principal(LATE, principal_fine(
            late_report=True, occurred_on=occurred_on, decided_on=decided_on)))
    if omitted:
        out.append(_from_principal(OMITTED, principal_fine(
            omitted_report=True, occurred_on=occurred_on, decided_on=decided_on)))
    for act, found in ((FALSE_REPORT, false_report), (CONCEALED, concealed)):
        if not found:
            continue
        # 安全生产法 第一百一十条第二款 names 谎报 and 隐瞒不报 with 迟报: same range.
        out.append(_from_principal(act, principal_fine(
            late_report=True, occurred_on=occurred_on, decided_on=decided_on)))
        applies_to = "accident.reporting_consequence"
        item = cite(ACCIDENT_REG, "第三十六条第（一）项", applies_to)
        low, high = FALSE_OR_CONCEALED_UNIT_FINE
        out.append(ReportingConsequence(act, UNIT, None, None, low, high,
                                        ACCIDENT_REG.version, (_NOT_FINES,), (item,)))
        low, high = FALSE_OR_CONCEALED_PERSON_RATES
        out.append(ReportingConsequence(act, RESPONSIBLE_PERSONS, low, high, None, None,
                                        ACCIDENT_REG.version, (_NOT_FINES,), (item,)))
    return tuple(out)
