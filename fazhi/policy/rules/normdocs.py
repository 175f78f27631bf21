"""The workflow of a normative document (行政规范性文件) as a pure table: the states, the
moves, who may take each move and the gates each needs, every gate with its source.

Sources (their wording was read in secondary republications; item numbers marked
待核实 could not be checked against the official text here):
- 国务院办公厅关于加强行政规范性文件制定和监督管理工作的通知（国办发〔2018〕37号）:
  二（三）严格制发程序 (评估论证、公开征求意见、合法性审核、集体审议决定、向社会公开发布);
  二（六）严格审核把关 (未经合法性审核或者经审核不合法的，不得提交集体审议);
  二（七）坚持集体审议; 二（八）依法公开发布 (未经公开发布的，不得作为行政管理依据 — 项号待核实).
- 《公平竞争审查条例》（国务院令第783号）第十三条 (drafting unit reviews at the
  drafting stage); no issue without review — recalled as 第十八条, 待核实.
- 《浙江省行政规范性文件管理办法》: 有效期 (一般不超过5年) — 条号待核实.
No database access here: `fazhi.policy.services_normdocs` gathers the facts."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from fazhi.legal.rules.citations import Citation

GOV_NOTICE = "国务院办公厅关于加强行政规范性文件制定和监督管理工作的通知"
FCR_REG = "公平竞争审查条例"
ZJ_MEASURES = "浙江省行政规范性文件管理办法"

# states (values of models_normdocs.DocStatus)
DRAFTING, LEGALITY, FCR, DELIBERATION = "drafting", "legality", "fcr", "deliberation"
SIGNED, PUBLISHED, IN_FORCE = "signed", "published", "in_force"
EXPIRED, REPEALED, SUPERSEDED = "expired", "repealed", "superseded"

WRITERS = frozenset({"officer", "leader", "reviewer", "admin"})
SIGNERS = frozenset({"leader"})
LEGAL_REVIEWERS = frozenset({"reviewer"})

# legality conclusions (models_normdocs.LegalityReview.Conclusion)
LEGAL, LEGAL_IF_AMENDED, ILLEGAL = "legal", "amend", "illegal"
# fair-competition conclusions (models_fcr.FcrConclusion)
FCR_OK = frozenset({"compliant", "exception"})

MAX_VALID_YEARS = 5  # 浙江省行政规范性文件管理办法, 有效期一般不超过5年 (条号待核实)


def _c(law: str, article: str, applies_to: str, version: str = "") -> Citation:
    return Citation(law=law, version=version, article=article, applies_to=applies_to)


C_PROCEDURE = _c(GOV_NOTICE, "二（三）", "procedure", "国办发〔2018〕37号")
C_LEGALITY = _c(GOV_NOTICE, "二（六）", "legality_review", "国办发〔2018〕37号")
C_COLLECTIVE = _c(GOV_NOTICE, "二（七）", "collective_deliberation", "国办发〔2018〕37号")
C_PUBLISH = _c(GOV_NOTICE, "二（八）（项号待核实）", "publication", "国办发〔2018〕37号")
C_FCR = _c(FCR_REG, "第十三条", "fair_competition_review", "2024")
C_FCR_NO_ISSUE = _c(FCR_REG, "第十八条（待核实）", "fair_competition_review", "2024")
C_VALIDITY = _c(ZJ_MEASURES, "有效期条款（条号待核实）", "validity")


@dataclass(frozen=True)
class Gate:
    """A refused condition: the Chinese message and the source it rests on."""

    message: str
    citation: Citation | None = None

    def __str__(self) -> str:
        if self.citation is None:
            return self.message
        return f"{self.message}（依据：{self.citation.law}{self.citation.article}）"


@dataclass(frozen=True)
class Move:
    name: str
    label: str
    sources: frozenset[str]
    target: str
    roles: frozenset[str]
    citations: tuple[Citation, ...] = ()


MOVES: dict[str, Move] = {m.name: m for m in (
    Move("submit_legality", "送合法性审查", frozenset({DRAFTING}), LEGALITY, WRITERS,
         (C_PROCEDURE, C_LEGALITY)),
    Move("submit_fcr", "送公平竞争审查", frozenset({LEGALITY}), FCR, WRITERS,
         (C_LEGALITY, C_FCR)),
    Move("submit_deliberation", "提交集体审议", frozenset({FCR}), DELIBERATION, WRITERS,
         (C_FCR, C_FCR_NO_ISSUE)),
    Move("sign", "签发", frozenset({DELIBERATION}), SIGNED, SIGNERS, (C_COLLECTIVE,)),
    Move("publish", "公布", frozenset({SIGNED}), PUBLISHED, WRITERS, (C_PUBLISH,)),
    Move("take_effect", "施行", frozenset({PUBLISHED}), IN_FORCE, WRITERS, (C_PUBLISH,)),
    Move("return_draft", "退回起草修改", frozenset({LEGALITY, FCR, DELIBERATION}), DRAFTING,
         WRITERS, (C_LEGALITY, C_FCR_NO_ISSUE)),
    Move("expire", "失效", frozenset({PUBLISHED, IN_FORCE}), EXPIRED, WRITERS, (C_VALIDITY,)),
    Move("repeal", "废止", frozenset({PUBLISHED, IN_FORCE}), REPEALED, WRITERS, ()),
)}

# States whose text may still be edited.
EDITABLE = frozenset({DRAFTING})
# A document that was published (公布) at some point.
WAS_PUBLISHED = frozenset({PUBLISHED, IN_FORCE, EXPIRED, REPEALED, SUPERSEDED})
IN_FORCE_STATES = frozenset({IN_FORCE})
AMENDABLE = frozenset({PUBLISHED, IN_FORCE})


@dataclass(frozen=True)
class Facts:
    """What the gates look at, gathered from the records."""

    status: str
    role: str
    same_agency: bool
    text_present: bool = False
    legality_conclusion: str = ""        # latest round's conclusion ("" = none/open)
    legality_unanswered: int = 0        # its opinions with adopted unknown
    fcr_conclusion: str | None = None   # None: no review opened
    deliberated: bool = False
    deliberation_minutes: bool = False
    number: str = ""
    signed_on: datetime.date | None = None
    published_on: datetime.date | None = None
    effective_on: datetime.date | None = None
    valid_years: int = MAX_VALID_YEARS
    today: datetime.date | None = None
    reason: str = ""
    extra: dict[str, object] = field(default_factory=dict)


def _gates(move: Move, f: Facts) -> list[Gate]:
    gates: list[Gate] = []
    if move.name == "submit_legality":
        if not f.text_present:
            gates.append(Gate("请先填写或上传文件正文"))
    elif move.name == "submit_fcr":
        if f.legality_conclusion == "":
            gates.append(Gate("合法性审查尚未作出结论，不得进入下一环节", C_LEGALITY))
        elif f.legality_conclusion == ILLEGAL:
            gates.append(Gate("经审查不合法，应当退回起草修改，不得提交审议", C_LEGALITY))
        elif f.legality_unanswered:
            gates.append(Gate(f"尚有{f.legality_unanswered}条合法性审查意见未说明是否采纳",
                              C_LEGALITY))
    elif move.name == "submit_deliberation":
        if f.fcr_conclusion is None or f.fcr_conclusion == "":
            gates.append(Gate("公平竞争审查尚未作出结论", C_FCR))
        elif f.fcr_conclusion not in FCR_OK:
            gates.append(Gate("公平竞争审查结论为不符合，应当退回起草修改后重新审查",
                              C_FCR_NO_ISSUE))
    elif move.name == "sign":
        if not f.deliberated:
            gates.append(Gate("未经集体审议（审议日期和会议）不得签发", C_COLLECTIVE))
        if not f.deliberation_minutes:
            gates.append(Gate("请记录集体审议纪要", C_COLLECTIVE))
    elif move.name == "publish":
        gates.extend(_publication_gates(f))
    elif move.name == "take_effect":
        if f.effective_on is None or f.today is None or f.today < f.effective_on:
            gates.append(Gate("尚未到施行日期"))
    elif move.name in ("return_draft", "expire", "repeal") and not f.reason.strip():
        gates.append(Gate("请说明理由"))
    return gates


def _publication_gates(f: Facts) -> list[Gate]:
    gates: list[Gate] = []
    if not f.number.strip():
        gates.append(Gate("文件尚无文号，不得公布", C_PUBLISH))
    if f.published_on is None:
        gates.append(Gate("请填写公布日期", C_PUBLISH))
    elif f.signed_on and f.published_on < f.signed_on:
        gates.append(Gate("公布日期不能早于签发日期"))
    if f.effective_on is None:
        gates.append(Gate("请填写施行日期"))
    elif f.published_on and f.effective_on < f.published_on:
        gates.append(Gate("施行日期不能早于公布日期：未经公布的文件不得作为行政管理依据",
                          C_PUBLISH))
    gates.extend(validity_gates(f.valid_years))
    return gates


def validity_gates(valid_years: int) -> list[Gate]:
    """有效期: whole years, at least 1, at most MAX_VALID_YEARS (浙江省办法, 待核实)."""
    if valid_years < 1 or valid_years > MAX_VALID_YEARS:
        return [Gate(f"有效期应为1至{MAX_VALID_YEARS}年", C_VALIDITY)]
    return []


def check(move_name: str, facts: Facts) -> list[Gate]:
    """The refusals of a move in these facts (empty: allowed)."""
    move = MOVES.get(move_name)
    if move is None:
        return [Gate("未知的操作")]
    if facts.status not in move.sources:
        return [Gate(f"文件当前状态不能执行“{move.label}”")]
    if facts.role not in move.roles:
        return [Gate(f"当前角色无权执行“{move.label}”")]
    if not facts.same_agency:
        return [Gate("只能办理本机关起草的文件")]
    return _gates(move, facts)


def available(status: str, role: str) -> list[Move]:
    """The moves a user of this role may try from this state (gates not checked)."""
    return [m for m in MOVES.values() if status in m.sources and role in m.roles]


def validity_end(effective_on: datetime.date, years: int) -> datetime.date:
    """The last day of a validity of `years` from `effective_on` (the day before the
    same date `years` later; 29 February maps to 28 February)."""
    try:
        end = effective_on.replace(year=effective_on.year + years)
    except ValueError:
        end = effective_on.replace(year=effective_on.year + years, day=28)
        return end
    return end - datetime.timedelta(days=1)


def status_on_publication(published_on: datetime.date, effective_on: datetime.date) -> str:
    """公布 → 有效 at once when it takes effect on the day of publication."""
    return IN_FORCE if effective_on <= published_on else PUBLISHED
