"""Certificates of persons (资格证书): the dates of review (复审) and expiry, the status on
a day, the exam pass mark, the revocation grounds. Pure: no database.

Sources (../shared/reference/hazards_rewards_certificates.yaml, checked against the texts
as republished on government pages where noted):

- 特种作业人员安全技术培训考核管理规定 (原国家安全监管总局令第30号, in force 2010-07-01;
  令第63号 2013, 令第80号 2015 修正), for the 特种作业操作证:
  第十九条 valid 6 years nationwide; 第二十一条 reviewed every 3 years, every 6 years for
  a holder who, within the validity, has worked 10 years or more in the trade and kept
  the law, with the issuing agency's consent; 第二十二条 the review is applied for within
  the 60 days before it falls due, and an extension at expiry (延期复审) the same way;
  第二十四条 the review is done within 20 working days (medium); 第二十六条 a certificate
  not reviewed in time lapses (失效); 第三十条 the grounds on which it is revoked (撤销).
  Articles 21, 22, 24, 26 and 30 were read on government pages (2024); the exam pass mark
  (80 of 100, one retake) is `medium`.
- 安全生产培训管理办法 (原总局令第44号, in force 2012-03-01; 2013, 2015 修正) 第二十五条:
  the 安全合格证 of principals and safety managers is valid 3 years; an extension is
  applied for at least 30 days before it expires (read on a page reproducing the 2015
  text). 第二十二条: issued within 10 working days of the exam.
- 中华人民共和国安全生产法 (2021) 第二十七条 (principals and safety managers of
  hazardous-goods, mining, metal-smelting, construction and transport units must pass
  the exam), 第三十条 (special-operation workers must hold the certificate).
- 中华人民共和国民法典 第二百零二条: a period in years ends on the corresponding day of
  the last year, the last day of the month when there is none (29 February → 28).

Date convention (yaml: medium, "how the printed card shows the end date was not
confirmed"): the first review falls due on the issue date plus 3 (or 6) years, expiry on
the issue date plus the validity, both on the corresponding day; the review window
opens 60 days before the due date. Where the printed card shows other dates, use them.

待核实 (yaml `low`): whether 应急管理部 consolidated these training rules into a new rule
in 2024–2025 — two searches found none; `VERSION_WATCH` says so wherever dates are
shown, so a decision after 2025 checks the text in force first.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from fazhi.core.rules.calendar import day_text
from fazhi.legal.rules.citations import CIVIL_CODE, Citation, LawVersion, cite
from fazhi.legal.rules.procedure import add_years  # 民法典 第二百零二条

D = datetime.date

SPECIAL_OPS_RULE = LawVersion("SPECIAL_OPS_RULE", "特种作业人员安全技术培训考核管理规定",
                              "2015", D(2010, 7, 1))
TRAINING_RULE = LawVersion("TRAINING_RULE", "安全生产培训管理办法", "2015", D(2012, 3, 1))

# The two kinds of the certificate-dates API (and of the rules).
SPECIAL_OPERATION = "special_operation"  # 特种作业操作证
PRINCIPAL_SAFETY = "principal_safety_qualification"  # 主要负责人/安全生产管理人员安全合格证
RULE_KINDS: tuple[str, ...] = (SPECIAL_OPERATION, PRINCIPAL_SAFETY)
RULE_KIND_LABELS = {
    SPECIAL_OPERATION: "特种作业操作证",
    PRINCIPAL_SAFETY: "主要负责人和安全生产管理人员安全生产知识和管理能力考核合格证",
}

# 特种作业人员安全技术培训考核管理规定
SPECIAL_VALIDITY_YEARS = 6  # 第十九条
REVIEW_INTERVAL_YEARS = 3  # 第二十一条
EXTENDED_INTERVAL_YEARS = 6  # 第二十一条
EXTENSION_MIN_YEARS = 10  # 第二十一条: 连续从事本工种10年以上
REVIEW_WINDOW_DAYS = 60  # 第二十二条: 期满前60日内
REVIEW_PROCESSING_WORKING_DAYS = 20  # 第二十四条 (medium)
PASS_SCORE = 80  # exam: 80 of 100, both parts (medium; the article is 条号待核实)
# 安全生产培训管理办法 第二十五条
QUALIFICATION_VALIDITY_YEARS = 3
EXTENSION_APPLY_DAYS_BEFORE = 30

VERSION_WATCH = ("待核实：应急管理部是否已于2024—2025年整合安全培训规章（两次检索未见），"
                 "2025年以后作出的决定请先核对现行文本。")
DATE_CONVENTION = ("复审、有效期届满日按发证日加相应年数的对应日计算（民法典第二百零二条）；"
                   "证书上印制的日期与此不同的，以证书为准。")

# 特种作业目录 (the 11 categories; 电工作业 as merged by 安监总人事〔2018〕18号).
OPERATION_CATEGORIES: dict[str, str] = {
    "electrical": "电工作业",
    "welding": "焊接与热切割作业",
    "work_at_height": "高处作业",
    "refrigeration": "制冷与空调作业",
    "coal_mine": "煤矿安全作业",
    "metal_nonmetal_mine": "金属非金属矿山安全作业",
    "oil_gas": "石油天然气安全作业",
    "metallurgy": "冶金（有色）生产安全作业",
    "hazardous_chemicals": "危险化学品安全作业",
    "fireworks": "烟花爆竹安全作业",
    "other": "应急管理部认定的其他作业",
}

# 第三十条: the grounds on which the issuing agency revokes a 特种作业操作证.
REVOCATION_GROUNDS: dict[str, str] = {
    "expired_without_review": "超过特种作业操作证有效期未延期复审",
    "unfit": "身体条件已不适合继续从事特种作业",
    "accident": "对发生生产安全事故负有责任",
    "false_record": "特种作业操作证记载虚假信息",
    "fraud": "以欺骗、贿赂等不正当手段取得特种作业操作证",
    "other": "其他依法应当撤销的情形",
}
# 第三十条第二款: after grounds (四) and (五) no new application for 3 years.
REAPPLY_BAR_GROUNDS = frozenset({"false_record", "fraud"})
REAPPLY_BAR_YEARS = 3

VALID = "valid"
EXPIRED = "expired"
REVOKED = "revoked"
STATUS_LABELS = {VALID: "有效", EXPIRED: "已过期", REVOKED: "已撤销"}

EARLIEST_ISSUE = D(1990, 1, 1)
LATEST_ISSUE = D(2100, 12, 31)
MAX_YEARS_IN_TRADE = 60


class CertificateRuleError(ValueError):
    """Input the rules cannot answer; `str(error)` is the Chinese message."""


def _special(article: str, applies_to: str) -> Citation:
    return cite(SPECIAL_OPS_RULE, article, applies_to)


def _training(article: str, applies_to: str) -> Citation:
    return cite(TRAINING_RULE, article, applies_to)


CIVIL_PERIOD = cite(CIVIL_CODE, "第二百零二条", "date_arithmetic")


@dataclass(frozen=True)
class CertificateDates:
    """The answer of `certificate_dates`; `as_dict()` keeps only the fields that apply."""

    kind: str
    issued: datetime.date
    expires: datetime.date
    review_due: datetime.date | None = None
    review_application_opens: datetime.date | None = None
    review_interval_years: int | None = None
    latest_extension_application: datetime.date | None = None
    citations: tuple[Citation, ...] = field(default=())
    notes: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in ("review_due", "review_application_opens", "expires",
                     "review_interval_years", "latest_extension_application"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        out["citations"] = [c.as_dict() for c in self.citations]
        out["notes"] = list(self.notes)
        return out


def _check_date(issued: object) -> datetime.date:
    if isinstance(issued, datetime.datetime) or not isinstance(issued, datetime.date):
        raise CertificateRuleError("发证日期须为日期（YYYY-MM-DD）")
    if not EARLIEST_ISSUE <= issued <= LATEST_ISSUE:
        raise CertificateRuleError(
            f"发证日期应在{EARLIEST_ISSUE.isoformat()}至{LATEST_ISSUE.isoformat()}之间")
    return issued


def review_interval(*, continuous_years_in_trade: int, compliant: bool,
                    extension_approved: bool) -> int:
    """第二十一条: 3 years; 6 years only for a holder with 10 or more years in the trade
    who kept the law, with the issuing agency's consent. An approval claimed without
    the conditions is refused: the agency may not give it."""
    if isinstance(continuous_years_in_trade, bool) or not isinstance(
            continuous_years_in_trade, int):
        raise CertificateRuleError("连续从事本工种年限须为整数")
    if not 0 <= continuous_years_in_trade <= MAX_YEARS_IN_TRADE:
        raise CertificateRuleError(f"连续从事本工种年限应在0至{MAX_YEARS_IN_TRADE}年之间")
    if not extension_approved:
        return REVIEW_INTERVAL_YEARS
    if continuous_years_in_trade < EXTENSION_MIN_YEARS:
        raise CertificateRuleError(
            f"连续从事本工种{continuous_years_in_trade}年，不满{EXTENSION_MIN_YEARS}年，"
            "复审时间不得延长至每6年1次（特种作业人员安全技术培训考核管理规定第二十一条）")
    if not compliant:
        raise CertificateRuleError(
            "未严格遵守有关安全生产法律法规的，复审时间不得延长至每6年1次"
            "（特种作业人员安全技术培训考核管理规定第二十一条）")
    return EXTENDED_INTERVAL_YEARS


def certificate_dates(
    kind: str,
    issued: datetime.date,
    *,
    continuous_years_in_trade: int = 0,
    compliant: bool = True,
    extension_approved: bool = False,
) -> CertificateDates:
    """Review and expiry dates of a certificate issued on `issued` (see the module
    docstring). Special-operation certificates: `review_due`, `review_application_opens`,
    `expires`, `review_interval_years`. Principal/safety-manager certificates: `expires`
    and `latest_extension_application` (no periodic review)."""
    issued = _check_date(issued)
    if kind == SPECIAL_OPERATION:
        if issued < SPECIAL_OPS_RULE.effective:
            raise CertificateRuleError(
                f"发证日期早于《{SPECIAL_OPS_RULE.name}》施行日"
                f"（{day_text(SPECIAL_OPS_RULE.effective)}），本规则不适用")
        interval = review_interval(continuous_years_in_trade=continuous_years_in_trade,
                                   compliant=compliant, extension_approved=extension_approved)
        expires = add_years(issued, SPECIAL_VALIDITY_YEARS)
        review_due = min(add_years(issued, interval), expires)
        opens = review_due - datetime.timedelta(days=REVIEW_WINDOW_DAYS)
        citations = (
            _special("第十九条", "expires"),
            _special("第二十一条", "review_interval_years"),
            _special("第二十一条", "review_due"),
            _special("第二十二条第一款", "review_application_opens"),
            CIVIL_PERIOD,
        )
        notes = [DATE_CONVENTION, VERSION_WATCH]
        if interval == EXTENDED_INTERVAL_YEARS:
            notes.insert(0, "复审时间延长至每6年1次，复审与有效期届满的延期复审同日到期"
                            "（第二十一条、第二十二条第二款）。")
        return CertificateDates(kind=kind, issued=issued, expires=expires,
                                review_due=review_due, review_application_opens=opens,
                                review_interval_years=interval, citations=citations,
                                notes=tuple(notes))
    if kind == PRINCIPAL_SAFETY:
        if issued < TRAINING_RULE.effective:
            raise CertificateRuleError(
                f"发证日期早于《{TRAINING_RULE.name}》施行日"
                f"（{day_text(TRAINING_RULE.effective)}），本规则不适用")
        if extension_approved:
            raise CertificateRuleError(
                "安全合格证不实行复审延长；需要延期的，应当于有效期届满30日前向原发证部门申请"
                "办理延期手续，延期后的有效期以重新确认的证书为准（安全生产培训管理办法第二十五条）")
        expires = add_years(issued, QUALIFICATION_VALIDITY_YEARS)
        latest = expires - datetime.timedelta(days=EXTENSION_APPLY_DAYS_BEFORE)
        return CertificateDates(
            kind=kind, issued=issued, expires=expires, latest_extension_application=latest,
            citations=(_training("第二十五条", "expires"),
                       _training("第二十五条", "latest_extension_application"),
                       CIVIL_PERIOD),
            notes=(DATE_CONVENTION, VERSION_WATCH))
    raise CertificateRuleError(f"证书类别无效，可选值：{'、'.join(RULE_KINDS)}")


# --- after issue --------------------------------------------------------------------------

def next_review_due(review_due: datetime.date, expires: datetime.date,
                    interval_years: int) -> datetime.date:
    """After a passed periodic review (第二十一条), the next one: `interval_years` later,
    never after expiry (at expiry the 延期复审 of 第二十二条第二款 takes over)."""
    return min(add_years(review_due, interval_years), expires)


def renewal_dates(expires: datetime.date, *, kind: str, interval_years: int = REVIEW_INTERVAL_YEARS
                  ) -> tuple[datetime.date, datetime.date | None]:
    """(new expiry, new review due) after an extension at expiry: a special-operation
    certificate is issued again for 6 years (第二十四条: 重新颁发), a qualification
    certificate extended by 3 (安全生产培训管理办法 第二十五条)."""
    if kind == SPECIAL_OPERATION:
        new_expiry = add_years(expires, SPECIAL_VALIDITY_YEARS)
        return new_expiry, min(add_years(expires, interval_years), new_expiry)
    return add_years(expires, QUALIFICATION_VALIDITY_YEARS), None


@dataclass(frozen=True)
class Status:
    code: str  # VALID / EXPIRED / REVOKED
    reason: str  # Chinese
    citation: Citation | None = None

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.code]


def certificate_status(*, kind: str, expires: datetime.date, review_due: datetime.date | None,
                       revoked: bool, today: datetime.date) -> Status:
    """The status on `today`. Revoked first; then expired after the expiry day; a
    special-operation certificate whose review day passed without a review has lapsed
    (第二十六条: 未按期复审的，特种作业操作证失效) and shows as expired too. The expiry
    and review days themselves are still valid days."""
    if revoked:
        return Status(REVOKED, "证书已被发证机关撤销")
    if today > expires:
        citation = (_special("第十九条", "status") if kind == SPECIAL_OPERATION
                    else _training("第二十五条", "status"))
        return Status(EXPIRED, f"有效期已于{day_text(expires)}届满", citation)
    if kind == SPECIAL_OPERATION and review_due is not None and today > review_due:
        return Status(EXPIRED, f"未按期复审（应于{day_text(review_due)}前复审），证书失效",
                      _special("第二十六条", "status"))
    return Status(VALID, "有效")


def exam_passed(theory: int | None, practical: int | None) -> bool:
    """Both the theory and the practical exam at 80 or more (of 100)."""
    return (theory is not None and practical is not None
            and theory >= PASS_SCORE and practical >= PASS_SCORE)


def revocation_citation(kind: str) -> Citation | None:
    """第三十条 for a special-operation certificate; for a qualification certificate the
    texts read name no revocation article (the reason is recorded without one)."""
    return _special("第三十条", "revocation") if kind == SPECIAL_OPERATION else None


_ID_IN_NUMBER = re.compile(r"^([A-Za-z]*)(\d{17}[\dXx])$")


def mask_certificate_number(number: str) -> str:
    """A number that embeds a 身份证号 (T + 18 characters) with the ID part masked like
    `subjects.rules.masking.mask_id_number` (first 6 and last 4 kept)."""
    match = _ID_IN_NUMBER.match(number or "")
    if not match:
        return number
    ident = match.group(2)
    return match.group(1) + ident[:6] + "*" * (len(ident) - 10) + ident[-4:]
