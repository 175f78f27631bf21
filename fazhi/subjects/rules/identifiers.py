"""Identifiers of regulated subjects: validation and normalisation, no database access.

- 统一社会信用代码 (unified social credit code), GB 32100-2015: 18 characters —
  registration authority (1), organisation type (1), administrative division (6, GB/T
  2260), organisation code (9, GB 11714), check character (1, modulo 31 over the code
  set "0-9 A-H J-N P-R T U W-Y"; I, O, Z, S and V are never used).
- 公民身份号码 (citizen identity number), GB 11643-1999: 18 characters — address code
  (6), date of birth (8, YYYYMMDD), sequence (3), check character (1, ISO 7064 MOD
  11-2, 0-9 or X).
- 国民经济行业代码 (industry code), GB/T 4754-2017: a section letter A–T followed by
  the 2-digit division, optionally the group (3rd) and class (4th) digit, e.g. C2614.

Each validator returns the compact form (upper case, no spaces or separators,
full-width characters folded) or raises `IdentifierError` (a ValueError) whose message
says in Chinese what is wrong.
"""

from __future__ import annotations

import datetime
import re
import unicodedata

from django.utils.translation import gettext as _
from stdnum.cn import ric as ric_std
from stdnum.cn import uscc as uscc_std
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength, ValidationError


class IdentifierError(ValueError):
    """A bad identifier; `str(error)` is the Chinese message for the user."""


def _fold(value: str) -> str:
    # NFKC folds full-width digits and letters (常见于中文输入法) to ASCII.
    return unicodedata.normalize("NFKC", str(value or ""))


# --- 统一社会信用代码 (GB 32100-2015) --------------------------------------------------

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def normalize_uscc(value: str) -> str:
    """Validate a 统一社会信用代码 and return its compact upper-case form."""
    number = uscc_std.compact(_fold(value))
    if not number:
        raise IdentifierError(_("统一社会信用代码不能为空"))
    if len(number) != 18:
        raise IdentifierError(_("统一社会信用代码应为18位，当前为%(n)s位") % {"n": len(number)})
    bad = sorted({c for c in number if c not in USCC_ALPHABET})
    if bad:
        raise IdentifierError(
            _("统一社会信用代码含有不允许的字符：%(chars)s"
              "（只能是数字和除 I、O、Z、S、V 以外的大写字母）") % {"chars": "、".join(bad)}
        )
    try:
        return uscc_std.validate(number)
    except InvalidLength as exc:  # pragma: no cover - length checked above
        raise IdentifierError(_("统一社会信用代码应为18位")) from exc
    except InvalidFormat as exc:
        # stdnum requires positions 1-8 (authority, type, division code) to be digits.
        raise IdentifierError(
            _("统一社会信用代码格式不正确：前8位（登记管理部门、机构类别和行政区划代码）应为数字")
        ) from exc
    except InvalidChecksum as exc:
        raise IdentifierError(
            _("统一社会信用代码校验码错误：第18位应为“%(check)s”，请核对是否录错")
            % {"check": uscc_std.calc_check_digit(number)}
        ) from exc
    except ValidationError as exc:  # pragma: no cover - defensive
        raise IdentifierError(_("统一社会信用代码无效")) from exc


# --- 公民身份号码 (GB 11643-1999) ------------------------------------------------------

# Province-level codes of GB/T 2260 (incl. 71 台湾, 81 香港, 82 澳门, used on residence
# permits). The county part is not checked against a table: the code is the one in
# force where the number was first issued, and a stale table would turn away real
# people; the check character already catches typing errors.
PROVINCE_CODES = frozenset({
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36",
    "37", "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62",
    "63", "64", "65", "71", "81", "82",
})


def normalize_id_number(value: str, *, today: datetime.date | None = None) -> str:
    """Validate an 18-character 居民身份证号 and return it compact (check X upper case)."""
    number = ric_std.compact(_fold(value))
    if not number:
        raise IdentifierError(_("居民身份证号不能为空"))
    if len(number) != 18:
        raise IdentifierError(_("居民身份证号应为18位，当前为%(n)s位") % {"n": len(number)})
    if not number[:17].isdigit() or not number[:17].isascii():
        raise IdentifierError(_("居民身份证号格式不正确：前17位应全为数字"))
    if not (number[17].isdigit() or number[17] == "X"):
        raise IdentifierError(_("居民身份证号格式不正确：第18位应为数字或X"))
    if number[:2] not in PROVINCE_CODES:
        raise IdentifierError(_("居民身份证号前2位“%(code)s”不是有效的省级行政区划代码")
                              % {"code": number[:2]})
    try:
        birth = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as exc:
        raise IdentifierError(
            _("居民身份证号第7至14位“%(date)s”不是有效的出生日期") % {"date": number[6:14]}
        ) from exc
    if birth.year < 1900 or birth > (today or datetime.date.today()):
        raise IdentifierError(_("居民身份证号中的出生日期%(date)s不合理")
                              % {"date": f"{birth:%Y年%m月%d日}"})
    expected = ric_std.calc_check_digit(number)
    if number[17] != expected:
        raise IdentifierError(
            _("居民身份证号校验码错误：第18位应为“%(check)s”，请核对是否录错") % {"check": expected}
        )
    return number


# --- building valid identifiers (demo data, templates, tests) -------------------------

ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)  # GB 11714-1997 organisation code


def build_org_code(serial: int) -> str:
    """A 9-character organisation code (GB 11714): 8 digits and its check character."""
    body = f"{serial % 10**8:08d}"
    check = 11 - sum(int(c) * w for c, w in zip(body, ORG_CODE_WEIGHTS, strict=True)) % 11
    return body + {10: "X", 11: "0"}.get(check, str(check))


def build_uscc(area: str, serial: int, *, authority: str = "9", kind: str = "1") -> str:
    """A valid 统一社会信用代码: authority (9 market regulation), kind (1 enterprise),
    the 6-digit area code, an organisation code, and the GB 32100 check character."""
    head = f"{authority}{kind}{area[:6]}{build_org_code(serial)}"
    return head + uscc_std.calc_check_digit(head)


def build_id_number(area: str, birth: datetime.date, sequence: int) -> str:
    """A valid 18-character 居民身份证号 (GB 11643-1999)."""
    head = f"{area[:6]}{birth:%Y%m%d}{sequence % 1000:03d}"
    # stdnum's calc_check_digit takes all 18 characters and ignores the last one.
    return head + ric_std.calc_check_digit(head + "0")


# --- 国民经济行业代码 (GB/T 4754-2017) -------------------------------------------------

# The divisions (大类) each section (门类) spans in GB/T 4754-2017.
SECTION_DIVISIONS: dict[str, range] = {
    "A": range(1, 6),     # 农、林、牧、渔业
    "B": range(6, 13),    # 采矿业
    "C": range(13, 44),   # 制造业
    "D": range(44, 47),   # 电力、热力、燃气及水生产和供应业
    "E": range(47, 51),   # 建筑业
    "F": range(51, 53),   # 批发和零售业
    "G": range(53, 61),   # 交通运输、仓储和邮政业
    "H": range(61, 63),   # 住宿和餐饮业
    "I": range(63, 66),   # 信息传输、软件和信息技术服务业
    "J": range(66, 70),   # 金融业
    "K": range(70, 71),   # 房地产业
    "L": range(71, 73),   # 租赁和商务服务业
    "M": range(73, 76),   # 科学研究和技术服务业
    "N": range(76, 80),   # 水利、环境和公共设施管理业
    "O": range(80, 83),   # 居民服务、修理和其他服务业
    "P": range(83, 84),   # 教育
    "Q": range(84, 86),   # 卫生和社会工作
    "R": range(86, 91),   # 文化、体育和娱乐业
    "S": range(91, 97),   # 公共管理、社会保障和社会组织
    "T": range(97, 98),   # 国际组织
}
_INDUSTRY_RE = re.compile(r"^([A-Z])(\d{2,4})$")


def normalize_industry_code(value: str) -> str:
    """Validate a GB/T 4754-2017 code (section letter + 2–4 digits) and return it
    upper case, e.g. "c2614" -> "C2614"."""
    code = re.sub(r"\s+", "", _fold(value)).upper()
    if not code:
        raise IdentifierError(_("国民经济行业代码不能为空"))
    match = _INDUSTRY_RE.match(code)
    if not match:
        raise IdentifierError(
            _("国民经济行业代码“%(code)s”格式不正确：应为门类字母（A–T）加2至4位数字，如 C2614")
            % {"code": code}
        )
    section, digits = match.groups()
    divisions = SECTION_DIVISIONS.get(section)
    if divisions is None:
        raise IdentifierError(_("国民经济行业代码的门类字母“%(s)s”不存在（应为 A–T）")
                              % {"s": section})
    division = int(digits[:2])
    if division not in divisions:
        raise IdentifierError(
            _("国民经济行业代码“%(code)s”有误：大类%(division)s不属于门类%(section)s"
              "（门类%(section)s包括大类%(first)02d–%(last)02d）")
            % {"code": code, "division": digits[:2], "section": section,
               "first": divisions.start, "last": divisions.stop - 1}
        )
    return code
