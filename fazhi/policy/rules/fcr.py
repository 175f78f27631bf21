"""Fair-competition screening engine (公平竞争审查 筛查). Pure: no database, no network.

The law: 《公平竞争审查条例》(国务院令第783号, 2024-08-01 施行) 第八条至第十一条 list what a
policy measure must not contain (19 items, ids FCR-<article>-<item>); 第十二条 the
exceptions. Its 《实施办法》(市场监管总局令第99号, 2025) details them (article numbers
待核实). The rules are data: `fazhi/policy/data/fcr_standards.yaml` (format at its top).

How a text is screened:
1. `split_clauses`: the text is cut into clauses at 。；！？ and line breaks and before
   numbered items (第X条, （一）, 一、, 1.) — each clause keeps its [start, end) in the
   ORIGINAL text (leading numbering and blanks excluded).
2. A clause that forbids or neutralises the practice (a safeguard: 不得要求…, 不论注册地,
   所有符合条件的企业均可申请) or repeals a provision is passed over.
3. Each standard's rules are regexes over the clause; a rule with `context` words also
   needs one of them to begin a jieba token of the clause (so 国有 does not match inside
   全国有…); `unless` and the standard's benign look-alikes clear it; a clause that rests
   on a law or administrative regulation clears the standards with `basis_clears`.
4. One flag per clause and standard: the standard id, the cue (the matched words), a
   short Chinese explanation with the article and what would make it lawful.

Deterministic: the same text and rule file give the same flags."""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parent.parent / "data" / "fcr_standards.yaml"

# Clause boundaries: sentence ends, and the start of a numbered item.
_SENTENCE_END = re.compile(r"[。；;！!？?\n]+")
_ITEM_START = re.compile(
    r"(?:(?<=[：:，,\s])|^)(?=(?:第[一二三四五六七八九十百零〇\d]+条|[（(][一二三四五六七八九十\d]+[）)]"
    r"|[一二三四五六七八九十]+、|\d+[.、．](?!\d)))"
)
_LEADING = re.compile(
    r"^[\s　]*(?:第[一二三四五六七八九十百零〇\d]+条[\s　]*|[（(][一二三四五六七八九十\d]+[）)]"
    r"[\s　]*|[一二三四五六七八九十]+、[\s　]*|\d+[.、．](?!\d)[\s　]*)*"
)


@dataclass(frozen=True)
class Rule:
    pattern: re.Pattern[str]
    context: tuple[str, ...] = ()
    unless: re.Pattern[str] | None = None
    note: str = ""


@dataclass(frozen=True)
class Standard:
    id: str
    article: str        # within 《公平竞争审查条例》, e.g. 第九条第（三）项
    measures: str       # the 实施办法 articles (待核实)
    title: str
    explanation: str
    remedy: str
    basis_clears: bool
    benign: tuple[re.Pattern[str], ...]
    rules: tuple[Rule, ...]

    @property
    def citation(self) -> str:
        return f"《公平竞争审查条例》{self.article}"


@dataclass(frozen=True)
class RuleSet:
    version: str
    safeguards: tuple[re.Pattern[str], ...]
    repeal: tuple[re.Pattern[str], ...]
    legal_basis: tuple[re.Pattern[str], ...]
    standards: tuple[Standard, ...]

    def standard(self, standard_id: str) -> Standard | None:
        return next((s for s in self.standards if s.id == standard_id), None)


@dataclass(frozen=True)
class Clause:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Flag:
    standard: str
    start: int          # the clause's span in the original text, [start, end)
    end: int
    cue: str            # the words that triggered the rule
    explanation: str
    clause: str = ""
    cue_start: int = 0  # the cue's span in the original text
    cue_end: int = 0


def _compile(patterns: Iterable[str]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in patterns or ())


def parse_rules(data: dict) -> RuleSet:
    """The rule set from the YAML document (raises on a malformed file)."""
    standards = []
    for raw in data["standards"]:
        if not re.fullmatch(r"FCR-(8|9|10|11)-\d", raw["id"]):
            raise ValueError(f"不是《公平竞争审查条例》第八至十一条的标准编号：{raw['id']}")
        rules = tuple(
            Rule(pattern=re.compile(r["pattern"]), context=tuple(r.get("context") or ()),
                 unless=re.compile(r["unless"]) if r.get("unless") else None,
                 note=r.get("note", ""))
            for r in raw["rules"]
        )
        standards.append(Standard(
            id=raw["id"], article=raw["article"], measures=raw.get("measures", ""),
            title=raw["title"], explanation=raw["explanation"], remedy=raw["remedy"],
            basis_clears=bool(raw.get("basis_clears")), benign=_compile(raw.get("benign")),
            rules=rules,
        ))
    return RuleSet(
        version=str(data["version"]), safeguards=_compile(data.get("safeguards")),
        repeal=_compile(data.get("repeal")), legal_basis=_compile(data.get("legal_basis")),
        standards=tuple(standards),
    )


@functools.cache
def rules() -> RuleSet:
    """The shipped rule set (read once per process)."""
    with DATA.open(encoding="utf-8") as fh:
        return parse_rules(yaml.safe_load(fh))


ENGINE_VERSION = rules().version


@functools.cache
def _tokenizer():
    """A private jieba tokenizer (the global one is left alone), with the rules' context
    words added to its dictionary so they segment as words."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    for standard in rules().standards:
        for rule in standard.rules:
            for word in rule.context:
                tokenizer.add_word(word, freq=2000)
    return tokenizer


def tokens(text: str) -> list[str]:
    """The clause segmented by jieba (exact mode, no HMM: deterministic)."""
    return _tokenizer().lcut(text, HMM=False)


def _token_starts(text: str) -> set[int]:
    starts, at = set(), 0
    for token in tokens(text):
        starts.add(at)
        at += len(token)
    return starts


def _has_context(clause: str, words: Sequence[str], starts: set[int]) -> bool:
    for word in words:
        at = clause.find(word)
        while at != -1:
            if at in starts:
                return True
            at = clause.find(word, at + 1)
    return False


def split_clauses(text: str) -> list[Clause]:
    """The clauses of `text` with their [start, end) in `text` (numbering and blanks at
    the edges excluded; empty pieces dropped)."""
    clauses: list[Clause] = []
    pos = 0
    for sentence_end in [*_SENTENCE_END.finditer(text), None]:
        stop = sentence_end.start() if sentence_end else len(text)
        end_mark = sentence_end.end() if sentence_end else len(text)
        piece_start = pos
        cuts = [m.start() for m in _ITEM_START.finditer(text, pos, stop) if m.start() > pos]
        for cut in [*cuts, stop]:
            _add_clause(clauses, text, piece_start, cut)
            piece_start = cut
        pos = end_mark
    return clauses


def _add_clause(clauses: list[Clause], text: str, start: int, end: int) -> None:
    piece = text[start:end]
    lead = _LEADING.match(piece)
    start += lead.end() if lead else 0
    while end > start and text[end - 1] in " \t\r　，,：:":
        end -= 1
    if end > start:
        # keep the sentence's closing mark inside the span when it follows at once
        if end < len(text) and text[end] in "。；;！!？?":
            end += 1
        clauses.append(Clause(start, end, text[start:end]))


def _explanation(standard: Standard, rule: Rule) -> str:
    why = f"{rule.note}；" if rule.note else ""
    return (f"可能{standard.title}（{standard.citation}）：{why}{standard.explanation}。"
            f"{standard.remedy}。")


def screen_clause(clause: Clause, ruleset: RuleSet | None = None) -> list[Flag]:
    """The flags of one clause (at most one per standard)."""
    if ruleset is None:
        ruleset, hits = rules(), _cached_hits(clause.text)
    else:
        hits = _hits(clause.text, ruleset)
    flags = []
    for standard_index, rule_index, start, end in hits:
        standard = ruleset.standards[standard_index]
        flags.append(Flag(
            standard=standard.id, start=clause.start, end=clause.end,
            cue=clause.text[start:end],
            explanation=_explanation(standard, standard.rules[rule_index]),
            clause=clause.text, cue_start=clause.start + start, cue_end=clause.start + end,
        ))
    return flags


@functools.lru_cache(maxsize=100_000)
def _cached_hits(text: str) -> tuple[tuple[int, int, int, int], ...]:
    # Clauses repeat across documents (boilerplate); the shipped rules are fixed per
    # process, so a clause's hits are computed once.
    return _hits(text, rules())


def _hits(text: str, ruleset: RuleSet) -> tuple[tuple[int, int, int, int], ...]:
    """(standard index, rule index, cue start, cue end) of each standard the clause may
    meet, offsets within the clause."""
    if any(p.search(text) for p in ruleset.safeguards) or any(
            p.search(text) for p in ruleset.repeal):
        return ()
    has_basis = any(p.search(text) for p in ruleset.legal_basis)
    starts: set[int] | None = None
    hits = []
    for standard_index, standard in enumerate(ruleset.standards):
        if standard.basis_clears and has_basis:
            continue
        for rule_index, rule in enumerate(standard.rules):
            match = rule.pattern.search(text)
            if not match or (rule.unless and rule.unless.search(text)):
                continue
            if rule.context:
                if starts is None:
                    starts = _token_starts(text)
                if not _has_context(text, rule.context, starts):
                    continue
            if not any(p.search(text) for p in standard.benign):
                hits.append((standard_index, rule_index, match.start(), match.end()))
            break
    return tuple(hits)


def screen(text: str, ruleset: RuleSet | None = None) -> list[Flag]:
    """Every flag in `text`, in text order (spans in the original text)."""
    flags: list[Flag] = []
    for clause in split_clauses(text or ""):
        flags.extend(screen_clause(clause, ruleset))
    return flags

