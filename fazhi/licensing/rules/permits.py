"""The law of hazardous-chemicals permits (危险化学品安全生产许可证 / 安全使用许可证 /
经营许可证) and of the city's restriction list, as pure functions: no database.

Time limits (《行政许可法》, 2019 amendment):
- 第三十二条第一款第（四）项: incomplete materials are notified in one go (一次告知)
  on the spot or within 5 days; a notice not given in time means the application is
  accepted on the day the materials were received (逾期不告知的，自收到申请材料之日起
  即为受理).
- 第三十四条第三款: verifying the substance of materials on site (现场核查) takes two or
  more staff.
- 第三十八条第二款: a refusal gives its reasons and tells the applicant of
  reconsideration and litigation.
- 第四十二条第一款: the decision within 20 days of acceptance; the head of the agency
  may extend by 10 days, telling the applicant why; 但书: laws and 行政法规 may set
  other periods.
- 第四十四条: the permit is issued and served within 10 days of the decision.
- 第四十五条: hearings, inspection, testing, appraisal and expert review (专家评审) are
  not counted in those periods; the applicant is told their length in writing.
- 第八十二条: these periods are working days, statutory holidays excluded.
All are counted here in working days from the calendar table (`fazhi.core.rules.calendar`:
the triggering day not counted, the last day counted).

Special periods (第四十二条 但书): 《安全生产许可证条例》第七条 gives the issuing agency 45
days from receipt for a 安全生产许可证 (read on several pages; that these are working
days is one guide's reading, confidence medium); the decision period of a production
permit is therefore 45 working days, with no extension. The 安全使用许可证 and 经营许可证
measures (原国家安全监管总局令第57号 / 第55号) may set periods of their own: not read
(待核实), so the law's 20 + 10 working days apply.

Validity (有效期) 3 years for all three permits: 《安全生产许可证条例》第九条 (high; the
same article: renewal applied for 3 months before expiry, and a 3-year extension
without review for an enterprise that kept the law and had no fatal accident); the use
and operation measures say 3 years too (medium: secondary pages). The end date is the
corresponding day 3 years later (《民法典》第二百零二条; 29 February → 28 February).

Version watch: 《危险化学品安全法》 takes effect 2026-05-01; its permit provisions were
not read (待核实 for decisions from that day).
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from fazhi.core.rules.calendar import (
    Schedule,
    add_working_days,
    count_working_days,
)
from fazhi.legal.rules.citations import CIVIL_CODE, Citation, LawVersion, cite

D = datetime.date
ONE_DAY = datetime.timedelta(days=1)

# --- the texts -------------------------------------------------------------------------

LICENSING_LAW = LawVersion("ALA", "中华人民共和国行政许可法", "2019", D(2019, 4, 23))
SAFETY_PERMIT_REG = LawVersion("SPR", "安全生产许可证条例", "2014", D(2014, 7, 29))
HAZCHEM_REG = LawVersion("HCR", "危险化学品安全管理条例", "2013", D(2013, 12, 7))
USE_PERMIT_RULE = LawVersion("HCUP", "危险化学品安全使用许可证实施办法", "2017",
                             D(2017, 3, 6))
OPERATION_PERMIT_RULE = LawVersion("HCOP", "危险化学品经营许可证管理办法", "2015",
                                   D(2015, 7, 1))

PRODUCTION = "production"  # 危险化学品安全生产许可证
USE = "use"                # 危险化学品安全使用许可证
OPERATION = "operation"    # 危险化学品经营许可证
PERMIT_TYPES: dict[str, str] = {
    PRODUCTION: "危险化学品安全生产许可证",
    USE: "危险化学品安全使用许可证",
    OPERATION: "危险化学品经营许可证",
}

ISSUE, RENEW, CHANGE, EXTEND = "issue", "renew", "change", "extend"
APPLICATION_KINDS: dict[str, str] = {ISSUE: "核发", RENEW: "换证", CHANGE: "变更",
                                     EXTEND: "延期"}

ACCEPTANCE_DAYS = 5          # 行政许可法 第三十二条第一款第（四）项
DECISION_DAYS = 20           # 第四十二条第一款
EXTENSION_DAYS = 10          # 第四十二条第一款
ISSUE_DAYS = 10              # 第四十四条
MIN_VERIFIERS = 2            # 第三十四条第三款
PRODUCTION_DECISION_DAYS = 45  # 安全生产许可证条例 第七条 (working days: medium)
VALIDITY_YEARS = 3           # 安全生产许可证条例 第九条; the use/operation measures
RENEWAL_MONTHS_BEFORE = 3    # 安全生产许可证条例 第九条第一款 (期满前3个月)


def _c(law: LawVersion, article: str, applies_to: str) -> Citation:
    return cite(law, article, applies_to)


ACCEPTANCE_CITATIONS = (
    _c(LICENSING_LAW, "第三十二条第一款第（四）项", "acceptance_due"),
    _c(LICENSING_LAW, "第八十二条", "working_days"),
)
CORRECTION_CITATION = _c(LICENSING_LAW, "第三十二条第一款第（四）项", "correction_notice")
VERIFICATION_CITATION = _c(LICENSING_LAW, "第三十四条第三款", "site_verification")
REFUSAL_CITATION = _c(LICENSING_LAW, "第三十八条第二款", "refusal_reasons")
EXCLUDED_CITATION = _c(LICENSING_LAW, "第四十五条", "excluded_time")
ISSUE_CITATION = _c(LICENSING_LAW, "第四十四条", "issue_due")
SUSPEND_REVOKE_CITATIONS = (
    _c(SAFETY_PERMIT_REG, "第十四条第二款", "suspend_or_revoke"),
    cite(LawVersion("APL", "中华人民共和国行政处罚法", "2021", D(2021, 7, 15)),
         "第九条第（三）项", "suspend_or_revoke"),
)


@dataclass(frozen=True)
class PermitDeadline:
    """A computed last day, what it rests on, and the years whose holiday schedule was
    not loaded (only weekends known: the page warns)."""

    date: datetime.date
    citations: tuple[Citation, ...]
    assumed_years: frozenset[int] = frozenset()
    note: str = ""

    @property
    def assumed_year_list(self) -> list[int]:
        return sorted(self.assumed_years)

    def is_late(self, done_on: datetime.date) -> bool:
        return done_on > self.date


def _check_type(permit_type: str) -> None:
    if permit_type not in PERMIT_TYPES:
        raise ValueError(f"未知的许可证种类：{permit_type}")


# --- acceptance (受理) ----------------------------------------------------------------

def acceptance_due(schedule: Schedule, received_on: datetime.date) -> PermitDeadline:
    """The last day to accept, refuse to accept, or notify the missing materials: the 5th
    working day after receipt (第三十二条; 第八十二条)."""
    result = add_working_days(schedule, received_on, ACCEPTANCE_DAYS)
    return PermitDeadline(result.date, ACCEPTANCE_CITATIONS, result.assumed_years)


def correction_notice_in_time(schedule: Schedule, received_on: datetime.date,
                              notified_on: datetime.date) -> bool:
    """Whether a correction notice (补正通知) on `notified_on` is in time; after the 5th
    working day the application counts as accepted on the day of receipt."""
    if notified_on < received_on:
        raise ValueError("告知日期不能早于收到申请材料日期")
    return notified_on <= acceptance_due(schedule, received_on).date


def deemed_accepted_on(schedule: Schedule, received_on: datetime.date,
                       today: datetime.date) -> datetime.date | None:
    """The day an application counts as accepted because nothing was done within 5
    working days (the day of receipt), or None while the 5 days run."""
    return received_on if today > acceptance_due(schedule, received_on).date else None


# --- the decision (决定) ----------------------------------------------------------------

@dataclass(frozen=True)
class DecisionPeriod:
    base_days: int
    extension_days: int  # 0: no extension by the head of the agency
    citations: tuple[Citation, ...]
    note: str = ""


def decision_period(permit_type: str) -> DecisionPeriod:
    """The decision period in working days for a permit type (第四十二条 and its 但书)."""
    _check_type(permit_type)
    if permit_type == PRODUCTION:
        return DecisionPeriod(
            PRODUCTION_DECISION_DAYS, 0,
            (_c(SAFETY_PERMIT_REG, "第七条", "decision_due"),
             _c(LICENSING_LAW, "第四十二条第一款（但书）", "decision_due"),
             _c(LICENSING_LAW, "第八十二条", "working_days")),
            "《安全生产许可证条例》第七条：45日内审查完毕（按工作日计，置信度中等，待核实）")
    return DecisionPeriod(
        DECISION_DAYS, EXTENSION_DAYS,
        (_c(LICENSING_LAW, "第四十二条第一款", "decision_due"),
         _c(LICENSING_LAW, "第八十二条", "working_days")),
        "实施办法是否另有期限待核实，按《行政许可法》第四十二条计算")


def excluded_working_days(schedule: Schedule,
                          pauses: Iterable[tuple[datetime.date, datetime.date]]) -> int:
    """Working days inside the periods not counted (第四十五条: hearing, testing, expert
    review ...), each period from its first to its last day inclusive; overlapping
    periods count once."""
    spans = sorted((start, end) for start, end in pauses)
    merged: list[list[datetime.date]] = []
    for start, end in spans:
        if end < start:
            raise ValueError("不计算期间的结束日期不能早于开始日期")
        if merged and start <= merged[-1][1] + ONE_DAY:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return sum(count_working_days(schedule, start - ONE_DAY, end).days
               for start, end in merged)


def decision_due(schedule: Schedule, accepted_on: datetime.date, permit_type: str, *,
                 extended: bool = False, excluded_days: int = 0) -> PermitDeadline:
    """The last day for the decision: the period's working days after acceptance, plus
    the extension when the head approved it, plus the working days not counted."""
    period = decision_period(permit_type)
    if extended and not period.extension_days:
        raise ValueError("该许可的审查期限由法规另行规定，不适用延长十日")
    if excluded_days < 0:
        raise ValueError("不计算的工作日数不能为负数")
    days = period.base_days + (period.extension_days if extended else 0) + excluded_days
    result = add_working_days(schedule, accepted_on, days)
    citations = (*period.citations, EXCLUDED_CITATION) if excluded_days else period.citations
    return PermitDeadline(result.date, citations, result.assumed_years, period.note)


def extension_allowed(permit_type: str, *, already_extended: bool) -> str | None:
    """Why the decision period cannot be extended, or None (第四十二条: once, 10 days)."""
    period = decision_period(permit_type)
    if not period.extension_days:
        return "该许可的审查期限由《安全生产许可证条例》第七条规定，不适用延长"
    if already_extended:
        return "审查期限已延长过一次（《行政许可法》第四十二条：可以延长十日）"
    return None


def issue_due(schedule: Schedule, decided_on: datetime.date) -> PermitDeadline:
    """The last day to issue and serve the permit: 10 working days (第四十四条)."""
    result = add_working_days(schedule, decided_on, ISSUE_DAYS)
    return PermitDeadline(result.date, (ISSUE_CITATION,), result.assumed_years)


# --- validity (有效期) ------------------------------------------------------------------

def _plus_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February → 28 February (民法典 第二百零二条)
        return day.replace(year=day.year + years, day=28)


def _minus_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - months
    year = day.year
    while month < 1:
        month += 12
        year -= 1
    for d in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def validity_citations(permit_type: str) -> tuple[Citation, ...]:
    _check_type(permit_type)
    law_cite = {
        PRODUCTION: _c(SAFETY_PERMIT_REG, "第九条第一款", "validity"),
        USE: _c(USE_PERMIT_RULE, "（有效期3年，条款号待核实）", "validity"),
        OPERATION: _c(OPERATION_PERMIT_RULE, "（有效期3年，条款号待核实）", "validity"),
    }[permit_type]
    return (law_cite, _c(CIVIL_CODE, "第二百零二条", "validity"))


def validity_end(permit_type: str, valid_from: datetime.date) -> datetime.date:
    """The last day of a permit valid from `valid_from`: the corresponding day 3 years
    later (有效期3年; 民法典 第二百零二条)."""
    _check_type(permit_type)
    return _plus_years(valid_from, VALIDITY_YEARS)


def extended_validity_end(permit_type: str, valid_until: datetime.date) -> datetime.date:
    """After a 延期: 3 more years from the old end (条例 第九条第二款)."""
    return validity_end(permit_type, valid_until)


def renewal_apply_by(permit_type: str, valid_until: datetime.date) -> PermitDeadline:
    """The latest day to apply for renewal or extension: 3 months before expiry (条例
    第九条第一款; the use and operation measures say the same, medium)."""
    _check_type(permit_type)
    law = {PRODUCTION: SAFETY_PERMIT_REG, USE: USE_PERMIT_RULE,
           OPERATION: OPERATION_PERMIT_RULE}[permit_type]
    article = "第九条第一款" if permit_type == PRODUCTION else "（期满前3个月申请，条款号待核实）"
    return PermitDeadline(_minus_months(valid_until, RENEWAL_MONTHS_BEFORE),
                          (_c(law, article, "renewal_apply_by"),))


@dataclass(frozen=True)
class ExtensionCheck:
    """Whether a 延期 may be granted without a new review (不再审查)."""

    without_review: bool
    reasons: tuple[str, ...]
    citations: tuple[Citation, ...] = field(default=())


def extension_without_review(*, compliant: bool, fatal_accident: bool) -> ExtensionCheck:
    """条例 第九条第二款: an enterprise that kept the work-safety laws during the term and
    had no fatal accident (未发生死亡事故) gets 3 more years without review, with the
    agency's consent; otherwise its conditions are reviewed again."""
    reasons = []
    if not compliant:
        reasons.append("有效期内未严格遵守有关安全生产的法律法规")
    if fatal_accident:
        reasons.append("有效期内发生死亡事故")
    return ExtensionCheck(not reasons, tuple(reasons),
                          (_c(SAFETY_PERMIT_REG, "第九条第二款", "extension"),))


def days_to_expiry(valid_until: datetime.date, today: datetime.date) -> int:
    """Calendar days from today to the last valid day (negative: expired)."""
    return (valid_until - today).days


# --- the restriction list (限制目录) ------------------------------------------------------

_CAS = re.compile(r"^(\d{2,7})-(\d{2})-(\d)$")


def normalise_cas(text: str) -> str | None:
    """A CAS registry number with a valid check digit (the last digit is the weighted
    sum of the others mod 10), in its canonical form; None otherwise."""
    value = unicodedata.normalize("NFKC", text or "").strip().replace("－", "-").replace("—", "-")
    match = _CAS.match(value)
    if not match:
        return None
    digits = (match[1] + match[2])[::-1]
    check = sum((i + 1) * int(d) for i, d in enumerate(digits)) % 10
    if check != int(match[3]):
        return None
    return f"{int(match[1])}-{match[2]}-{match[3]}"


def normalise_name(text: str) -> str:
    """A chemical name compared without spaces, full-width forms or brackets' width."""
    value = unicodedata.normalize("NFKC", text or "")
    return re.sub(r"\s+", "", value).lower()


@dataclass(frozen=True)
class ChemicalLine:
    name: str
    cas: str  # canonical, or "" when none was given


def parse_chemicals(text: str) -> tuple[list[ChemicalLine], list[str]]:
    """The project's chemicals, one a line: "名称 CAS号" or a name alone. Returns the
    lines and the problems (a CAS number with a wrong check digit), in Chinese."""
    lines: list[ChemicalLine] = []
    problems: list[str] = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = unicodedata.normalize("NFKC", raw).strip()
        if not line:
            continue
        parts = re.split(r"[\s,，;；]+", line)
        cas = ""
        if len(parts) > 1 and re.fullmatch(r"[\d\-－—]+", parts[-1]):
            cas = normalise_cas(parts[-1]) or ""
            if not cas:
                problems.append(f"第{number}行：CAS号“{parts[-1]}”无效（校验位不符或格式错误）")
                continue
            parts = parts[:-1]
        name = "".join(parts)
        if not name and not cas:
            continue
        lines.append(ChemicalLine(name, cas))
    return lines, problems


@dataclass(frozen=True)
class RestrictionEntry:
    """One row of the city's restriction list as the rule sees it."""

    key: int
    name: str
    cas: str
    restriction: str  # "prohibited" 禁止 | "restricted" 限制
    basis: str


@dataclass(frozen=True)
class RestrictionMatch:
    chemical: ChemicalLine
    entry: RestrictionEntry
    by: str  # "cas" | "name"


def match_restrictions(chemicals: Sequence[ChemicalLine],
                       entries: Sequence[RestrictionEntry]) -> list[RestrictionMatch]:
    """Every chemical of the project found on the list, by CAS number when both have
    one, else by name; each entry at most once per chemical, prohibited first."""
    by_cas: dict[str, list[RestrictionEntry]] = {}
    by_name: dict[str, list[RestrictionEntry]] = {}
    for entry in entries:
        if entry.cas:
            by_cas.setdefault(entry.cas, []).append(entry)
        by_name.setdefault(normalise_name(entry.name), []).append(entry)
    found: list[RestrictionMatch] = []
    for chemical in chemicals:
        seen: set[int] = set()
        for entry in by_cas.get(chemical.cas, []) if chemical.cas else []:
            seen.add(entry.key)
            found.append(RestrictionMatch(chemical, entry, "cas"))
        for entry in by_name.get(normalise_name(chemical.name), []) if chemical.name else []:
            if entry.key not in seen:
                seen.add(entry.key)
                found.append(RestrictionMatch(chemical, entry, "name"))
    found.sort(key=lambda m: (m.entry.restriction != "prohibited",))
    return found
