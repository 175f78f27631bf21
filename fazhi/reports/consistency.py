"""Consistency checks (一致性校验) on a year's figures before the report is exported:
figures that contradict each other are listed in Chinese. Pure: a {indicator id: value}
mapping in, messages out; a check runs only when every figure it reads is present (the
modules not built yet have none).

Some pairs are counted on different dates (cases.count by filing, cases.exempt and
cases.dual_penalty by decision): a part above its total is then not impossible, but it
is implausible enough for a year's figures that a person should look before printing.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from django.utils.translation import gettext as _

from fazhi.reports.registry import Value, percent

# (part, whole): the part may not exceed the whole.
PART_OF: tuple[tuple[str, str], ...] = (
    ("plan.tasks.done", "plan.tasks.total"),
    ("plan.subtasks.done", "plan.subtasks.total"),
    ("hazards.major.found", "hazards.found"),
    ("accidents.highway.count", "accidents.count"),
    ("accidents.highway.deaths", "accidents.deaths"),
    ("cases.exempt", "cases.count"),
    ("cases.dual_penalty", "cases.count"),
    ("cases.offsite", "cases.count"),
    ("outreach.works.awarded", "outreach.works"),
    ("fcr.reviewed", "fcr.screened"),
    ("fcr.violations", "fcr.reviewed"),
    ("staff.public_lawyers.bureau", "staff.public_lawyers.city"),
)

# (parts, whole): the parts together may not exceed the whole.
PARTS_OF: tuple[tuple[tuple[str, ...], str], ...] = (
    (("parks.risk.lower", "parks.risk.general"), "parks.total"),
)

# (rate, numerator, denominator): the rate must equal its parts, to the rate's decimals.
RATES: tuple[tuple[str, str, str], ...] = (
    ("plan.tasks.rate", "plan.tasks.done", "plan.tasks.total"),
    ("plan.subtasks.rate", "plan.subtasks.done", "plan.subtasks.total"),
    ("hazards.rectified_rate", "hazards.rectified", "hazards.found"),
)

# (amount or count, count): the first may not be positive when the second is zero.
NEEDS: tuple[tuple[str, str], ...] = (
    ("cases.exempt.waived_amount", "cases.exempt"),
    ("cases.fines_confiscations", "cases.count"),
    ("accidents.deaths", "accidents.count"),
    ("accidents.highway.deaths", "accidents.highway.count"),
    ("transfers.criminal.persons", "transfers.criminal.cases"),
)


def _places(value: Value) -> int:
    exponent = Decimal(value).as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def find_contradictions(values: Mapping[str, Value],
                        labels: Mapping[str, str] | None = None) -> list[str]:
    """Every contradiction among the figures, as Chinese sentences (empty: none)."""
    labels = labels or {}

    def name(key: str) -> str:
        label = labels.get(key)
        return f"“{label}”（{key} = {values[key]}）" if label else f"{key} = {values[key]}"

    def present(*keys: str) -> bool:
        return all(key in values for key in keys)

    problems: list[str] = []
    for key, value in values.items():
        # changes (同比) may be negative; nothing else counted from records can be
        if value < 0 and not key.endswith(".yoy"):
            problems.append(_("%(f)s 为负数") % {"f": name(key)})
        elif (key.endswith("rate") or key.endswith(".coverage")) and value > 100:
            problems.append(_("%(f)s 超过100%%") % {"f": name(key)})
    for part, whole in PART_OF:
        if present(part, whole) and values[part] > values[whole]:
            problems.append(_("%(part)s 大于 %(whole)s") % {
                "part": name(part), "whole": name(whole)})
    for parts, whole in PARTS_OF:
        if present(*parts, whole) and sum(values[p] for p in parts) > values[whole]:
            problems.append(_("%(parts)s 之和大于 %(whole)s") % {
                "parts": "、".join(name(p) for p in parts), "whole": name(whole)})
    for rate, numerator, denominator in RATES:
        if not present(rate, numerator, denominator):
            continue
        expected = percent(values[numerator], values[denominator], _places(values[rate]))
        if Decimal(values[rate]) != expected:
            problems.append(_("%(rate)s 与 %(num)s、%(den)s 不符（按其计算应为%(exp)s）") % {
                "rate": name(rate), "num": name(numerator), "den": name(denominator),
                "exp": expected})
    for dependent, count in NEEDS:
        if present(dependent, count) and values[dependent] > 0 and values[count] == 0:
            problems.append(_("%(dep)s 大于零，但 %(count)s 为零") % {
                "dep": name(dependent), "count": name(count)})
    return problems
