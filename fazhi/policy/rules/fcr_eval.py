"""Scoring the screening engine on a labelled clause set (used by scripts/fcr_eval.py
and the engine's tests). Pure: reads a TSV file, runs `fcr.screen`."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from fazhi.policy.rules import fcr

Item = tuple[str, frozenset[str]]


def load_set(path: Path) -> list[Item]:
    """(clause, labels) pairs; "#" lines are comments, label "-" means none."""
    items = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        labels, text = line.split("\t", 1)
        wanted = frozenset() if labels.strip() == "-" else frozenset(
            label.strip() for label in labels.split(","))
        items.append((text.strip(), wanted))
    return items


def _ratio(num: int, den: int) -> float:
    return num / den if den else 1.0


@dataclass
class Report:
    tp: Counter = field(default_factory=Counter)
    fp: Counter = field(default_factory=Counter)
    fn: Counter = field(default_factory=Counter)
    clause_tp: int = 0
    clause_fp: int = 0
    clause_fn: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return _ratio(sum(self.tp.values()), sum(self.tp.values()) + sum(self.fp.values()))

    @property
    def recall(self) -> float:
        return _ratio(sum(self.tp.values()), sum(self.tp.values()) + sum(self.fn.values()))

    @property
    def clause_precision(self) -> float:
        return _ratio(self.clause_tp, self.clause_tp + self.clause_fp)

    @property
    def clause_recall(self) -> float:
        return _ratio(self.clause_tp, self.clause_tp + self.clause_fn)

    def per_standard(self) -> list[tuple[str, float, float, int]]:
        ids = [s.id for s in fcr.rules().standards]
        return [(i, _ratio(self.tp[i], self.tp[i] + self.fp[i]),
                 _ratio(self.tp[i], self.tp[i] + self.fn[i]), self.tp[i] + self.fn[i])
                for i in ids]

    def render(self, title: str) -> str:
        lines = [f"== {title}",
                 f"   (clause, standard) precision {self.precision:.3f}  "
                 f"recall {self.recall:.3f}",
                 f"   clause level       precision {self.clause_precision:.3f}  "
                 f"recall {self.clause_recall:.3f}",
                 "   standard    precision  recall  (positives)"]
        lines += [f"   {i:<10}  {p:9.3f}  {r:6.3f}  ({n})" for i, p, r, n in self.per_standard()]
        return "\n".join(lines)


def evaluate(items: list[Item]) -> Report:
    report = Report()
    for text, wanted in items:
        found = {flag.standard: flag.cue for flag in fcr.screen(text)}
        for standard in found.keys() & wanted:
            report.tp[standard] += 1
        for standard in found.keys() - wanted:
            report.fp[standard] += 1
            report.errors.append(f"FALSE {standard} «{found[standard]}» {text}")
        for standard in wanted - found.keys():
            report.fn[standard] += 1
            report.errors.append(f"MISS  {standard} {text}")
        if wanted and found:
            report.clause_tp += 1
        elif found:
            report.clause_fp += 1
        elif wanted:
            report.clause_fn += 1
    return report
