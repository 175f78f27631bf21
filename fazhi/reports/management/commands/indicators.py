"""Print every registered indicator for a year and a jurisdiction.

    python manage.py indicators --year 2024 --jurisdiction 330400 --format json
    python manage.py indicators --year 2024 --jurisdiction 330402 --only parks.

JSON: one object mapping indicator id to its value, a JSON number (counts as integers,
amounts and percentages with their decimals). Table: Chinese labels and units.
"""

from __future__ import annotations

import json
import unicodedata
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fazhi.core.models import Jurisdiction
from fazhi.reports.registry import Indicator, Period, Value, all_indicators


def json_number(value: Value) -> str:
    """A JSON number written exactly: Decimals keep their digits (no float detour)."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise TypeError(f"not a number: {value!r}")
    if isinstance(value, int):
        return str(value)
    if not value.is_finite():
        raise ValueError(f"not a finite number: {value}")
    return format(value, "f")


def to_json(values: dict[str, Value]) -> str:
    """The values as one JSON object, in registration order."""
    body = ",\n".join(
        f"  {json.dumps(key, ensure_ascii=False)}: {json_number(value)}"
        for key, value in values.items()
    )
    return "{\n" + body + "\n}" if values else "{}"


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, *, right: bool = False) -> str:
    gap = " " * max(width - _width(text), 0)
    return gap + text if right else text + gap


def to_table(rows: list[tuple[Indicator, Value]]) -> str:
    header = ("指标编号", "指标", "数值", "单位")
    cells = [header] + [
        (ind.id, str(ind.label), json_number(value), str(ind.unit)) for ind, value in rows
    ]
    widths = [max(_width(row[i]) for row in cells) for i in range(4)]
    lines = []
    for n, row in enumerate(cells):
        lines.append("  ".join(
            _pad(cell, widths[i], right=(i == 2 and n > 0)) for i, cell in enumerate(row)
        ).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Print every registered indicator (统计指标) for a year and a jurisdiction."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True, help="统计年度，如 2024")
        parser.add_argument("--jurisdiction", required=True,
                            help="行政区划代码，如 330400（嘉兴市）")
        parser.add_argument("--format", choices=["json", "table"], default="table")
        parser.add_argument("--only", default="",
                            help="只输出编号以此开头的指标，如 parks.")

    def handle(self, *args: Any, **options: Any) -> None:
        year: int = options["year"]
        if not 1949 <= year <= 9998:
            raise CommandError(f"统计年度无效：{year}")
        code: str = options["jurisdiction"].strip()
        jurisdiction = Jurisdiction.objects.filter(code=code).first()
        if jurisdiction is None:
            raise CommandError(f"行政区划代码不存在：{code}")
        period = Period.for_year(year)
        only: str = options["only"]
        rows: list[tuple[Indicator, Value]] = []
        for indicator in all_indicators():
            if only and not indicator.id.startswith(only):
                continue
            try:
                rows.append((indicator, indicator.evaluate(period, jurisdiction)))
            except Exception as exc:
                raise CommandError(
                    f"指标 {indicator.id}（{indicator.label}）计算失败：{exc}") from exc
        if options["format"] == "json":
            self.stdout.write(to_json({ind.id: value for ind, value in rows}))
        else:
            self.stdout.write(f"{jurisdiction.name}（{jurisdiction.code}）{period} 统计指标")
            self.stdout.write(to_table(rows) if rows else "（没有登记的指标）")
