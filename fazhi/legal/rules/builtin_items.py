"""A small built-in set of real enforcement items (执法事项), used by
`fazhi.legal.selectors.resolve_items` until the catalogue tables exist.

Every figure is copied from ../shared/reference/work_safety_penalties.yaml, entries with
`confidence: high` (read in the consolidated 2021 text of 安全生产法, in force
2021-09-01). Only the 2021 text is encoded: the 2014 ranges of the same acts are not in
the reference, so an act that ended before 2021-09-01 cannot be priced from these items
(the engine refuses it with a Chinese message rather than guess; 行政处罚法 第三十七条).

The violated provisions (违法依据, e.g. 第二十四条 for 第九十七条第（一）项) are not in the
reference and are left empty rather than guessed; the penalty provision is cited.

Each item is addressable by its code ("WSL-097-1") and by the citation of its penalty
provision ("安全生产法 第九十七条第（一）项"); `normalise_reference` makes the two forms
and common variants ("第九十七条第一项", "第97条第1项", "《中华人民共和国安全生产法》…")
compare equal."""

from __future__ import annotations

import re
from dataclasses import dataclass

from fazhi.legal.rules.catalogue import ItemRule, StagePenalty
from fazhi.legal.rules.citations import WSL, Citation, cite
from fazhi.legal.rules.discretion import FineRange

ORDER = "order_correct_within_deadline"
FINE = "fine"
SUSPEND = "suspend_business"
PENALTY_KIND = "行政处罚"


def _wsl(article: str) -> Citation:
    return cite(WSL, article, "provision_applied")


def _r(low: int, high: int) -> FineRange:
    return FineRange(low, high)


@dataclass(frozen=True)
class _Spec:
    code: str
    article: str  # the penalty provision, as cited: 第九十七条第（一）项
    name: str


def _items_97_101(spec: _Spec, article_whole: str) -> ItemRule:
    """安全生产法(2021) 第九十七条 / 第一百零一条 share one penalty clause: 责令限期改正，处
    十万元以下的罚款；逾期未改正的，责令停产停业整顿，并处十万元以上二十万元以下的罚款，对其
    直接负责的主管人员和其他直接责任人员处二万元以上五万元以下的罚款 (yaml WSL-097, WSL-101:
    first unit 0–100000 mandatory; overdue unit 100000–200000, persons 20000–50000)."""
    provision = _wsl(spec.article)
    return ItemRule(
        code=spec.code, name=spec.name, kind=PENALTY_KIND, violated=(),
        penalty=(provision,),
        stages=(
            StagePenalty("first", unit=_r(0, 100_000), measures=frozenset({ORDER, FINE}),
                         mandatory=True, provision=_wsl(article_whole)),
            StagePenalty("overdue", unit=_r(100_000, 200_000),
                         responsible_persons=_r(20_000, 50_000),
                         measures=frozenset({SUSPEND, FINE}), mandatory=True,
                         provision=_wsl(article_whole)),
        ),
        valid_from=WSL.effective)


def _items_99(spec: _Spec) -> ItemRule:
    """安全生产法(2021) 第九十九条: 责令限期改正，处五万元以下的罚款；逾期未改正的，处五万元
    以上二十万元以下的罚款，对其直接负责的主管人员和其他直接责任人员处一万元以上二万元以下的
    罚款；情节严重的，责令停产停业整顿 (yaml WSL-099). 停产停业整顿 at the overdue stage only
    "情节严重": listed as a measure of that stage, to be weighed by the officer."""
    provision = _wsl(spec.article)
    return ItemRule(
        code=spec.code, name=spec.name, kind=PENALTY_KIND, violated=(),
        penalty=(provision,),
        stages=(
            StagePenalty("first", unit=_r(0, 50_000), measures=frozenset({ORDER, FINE}),
                         mandatory=True, provision=_wsl("第九十九条")),
            StagePenalty("overdue", unit=_r(50_000, 200_000),
                         responsible_persons=_r(10_000, 20_000),
                         measures=frozenset({FINE, SUSPEND}), mandatory=True,
                         provision=_wsl("第九十九条")),
        ),
        valid_from=WSL.effective)


BUILTIN_ITEMS: tuple[ItemRule, ...] = (
    _items_97_101(_Spec("WSL-097-1", "第九十七条第（一）项",
                        "未按照规定设置安全生产管理机构或者配备安全生产管理人员、注册安全工程师"),
                  "第九十七条"),
    _items_97_101(_Spec("WSL-097-3", "第九十七条第（三）项",
                        "未按照规定对从业人员、被派遣劳动者、实习学生进行安全生产教育和培训，"
                        "或者未按照规定如实告知有关的安全生产事项"),
                  "第九十七条"),
    _items_97_101(_Spec("WSL-097-6", "第九十七条第（六）项",
                        "未按照规定制定生产安全事故应急救援预案或者未定期组织演练"),
                  "第九十七条"),
    _items_99(_Spec("WSL-099-1", "第九十九条第（一）项",
                    "未在有较大危险因素的生产经营场所和有关设施、设备上设置明显的安全警示标志")),
    _items_99(_Spec("WSL-099-3", "第九十九条第（三）项",
                    "未对安全设备进行经常性维护、保养和定期检测")),
    _items_97_101(_Spec("WSL-101-3", "第一百零一条第（三）项",
                        "进行爆破、吊装、动火、临时用电以及其他危险作业，未安排专门人员进行"
                        "现场安全管理"),
                  "第一百零一条"),
    # 安全生产法(2021) 第九十四条第一款: 生产经营单位的主要负责人未履行本法规定的安全生产
    # 管理职责的，责令限期改正，处二万元以上五万元以下的罚款；逾期未改正的，处五万元以上十万元
    # 以下的罚款，责令生产经营单位停产停业整顿 (yaml WSL-094-1: the fine is on the principal,
    # a natural person; the suspension falls on the unit).
    ItemRule(
        code="WSL-094-1", name="生产经营单位的主要负责人未履行本法规定的安全生产管理职责",
        kind=PENALTY_KIND, violated=(), penalty=(_wsl("第九十四条第一款"),),
        stages=(
            StagePenalty("first", individual=_r(20_000, 50_000),
                         measures=frozenset({ORDER, FINE}), mandatory=True,
                         provision=_wsl("第九十四条第一款")),
            StagePenalty("overdue", individual=_r(50_000, 100_000),
                         measures=frozenset({FINE, SUSPEND}), mandatory=True,
                         provision=_wsl("第九十四条第一款")),
        ),
        valid_from=WSL.effective),
)


# --- addressing an item by code or by citation --------------------------------------

_DIGITS = "零一二三四五六七八九"


def _chinese_number(n: int) -> str:
    """1..999 as written in article numbers: 97 → 九十七, 101 → 一百零一, 110 → 一百一十."""
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _DIGITS[n // 10] + "十" + (_DIGITS[n % 10] if n % 10 else "")
    hundreds, rest = divmod(n, 100)
    text = _DIGITS[hundreds] + "百"
    if rest == 0:
        return text
    if rest < 10:
        return text + "零" + _DIGITS[rest]
    return text + _DIGITS[rest // 10] + "十" + (_DIGITS[rest % 10] if rest % 10 else "")


_LAW_PREFIX = re.compile(r"^(中华人民共和国)")
_VERSION = re.compile(r"[（(]\d{4}(年)?(修正|修订|版)?[）)]")


def normalise_reference(text: str) -> str:
    """A comparable key for a catalogue code or a citation string.

    Codes: upper case, no spaces ("wsl-097-1" → "WSL-097-1"). Citations: no spaces, no
    《》, no "中华人民共和国", no version in brackets ("(2021)"), arabic numbers written
    in Chinese, and "第（一）项" / "第(一)项" written "第一项"."""
    key = re.sub(r"\s+", "", text)
    if re.fullmatch(r"[A-Za-z]+-[0-9A-Za-z-]+", key):
        return key.upper()
    key = key.replace("《", "").replace("》", "")
    key = _LAW_PREFIX.sub("", key)
    key = _VERSION.sub("", key)
    key = re.sub(r"\d{1,3}", lambda m: _chinese_number(int(m.group())), key)
    key = re.sub(r"[（(]([零一二三四五六七八九十百]+)[）)]", r"\1", key)
    return key


def _short_law_name(name: str) -> str:
    return _LAW_PREFIX.sub("", name)


def item_label(item: ItemRule) -> str:
    """How the item's penalty provision is shown: "安全生产法 第九十七条第（一）项"."""
    provision = item.penalty[0]
    return f"{_short_law_name(provision.law)} {provision.article}"


def _index() -> dict[str, ItemRule]:
    index: dict[str, ItemRule] = {}
    for item in BUILTIN_ITEMS:
        index[normalise_reference(item.code)] = item
        index[normalise_reference(item_label(item))] = item
    return index


BUILTIN_INDEX: dict[str, ItemRule] = _index()
