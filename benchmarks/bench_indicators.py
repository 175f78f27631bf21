"""Indicator benchmark (指标性能基准, issue 7 §5): every registered indicator for one
city-year and for the province-year of the synthetic province, each beside the same
aggregate written as one plain SQL query (the floor), on PostgreSQL.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench_fazhi \\
        .venv/bin/python benchmarks/bench_indicators.py [--build] [--rebuild] [--scale 1.0]

Targets: the city-year figures within 1.5× the floor and under 2 s in all; the
province-year under 10 s. Each time is the median of `--repeat` runs after one warm-up
run (warm cache: a report is read again and again). The script checks that the ORM value
and the floor's value agree, so the floor is the same figure, not a cheaper one.
A script, not part of the test suite (pytest collects only test_*.py here).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings.local")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from benchmarks import synthetic  # noqa: E402
from fazhi.core.models import Jurisdiction  # noqa: E402
from fazhi.reports.registry import Indicator, Period, all_indicators  # noqa: E402

# --- the floor: one query per figure ---------------------------------------------------
# Parameters: %(path)s (the LIKE pattern 'path%'), %(start)s / %(end)s (dates, inclusive),
# %(start_at)s / %(end_before)s (Shanghai instants), %(prev_*)s the previous year's.

# Each decision keeps its case's place (jurisdiction_path): no join to the case.
CASE_DECISIONS = """
    FROM cases_partydecision d
    JOIN cases_caseparty p ON p.id = d.party_id
    WHERE d.jurisdiction_path LIKE %(path)s"""

# Cases with a decision in the period whose every decision is no_penalty on a minor ground
# (such a case's decision in the period is one of those: the candidates).
EXEMPT_CASES = f"""
    SELECT p.case_id {CASE_DECISIONS} AND d.decided_on BETWEEN %(start)s AND %(end)s
      AND d.outcome = 'no_penalty' AND d.exempt_ground IN ('minor', 'first')
    GROUP BY p.case_id
    HAVING NOT EXISTS (
        SELECT 1 FROM cases_caseparty p2 JOIN cases_partydecision d2 ON d2.party_id = p2.id
        WHERE p2.case_id = p.case_id
          AND NOT (d2.outcome = 'no_penalty' AND d2.exempt_ground IN ('minor', 'first')))"""

FILED = """FROM cases_penaltycase WHERE jurisdiction_path LIKE %(path)s
    AND filed_on BETWEEN %(start)s AND %(end)s"""
HAZARDS = """FROM inspection_hazard WHERE jurisdiction_path LIKE %(path)s
    AND found_on BETWEEN %(start)s AND %(end)s"""
ACCIDENTS = """FROM accidents_accident WHERE jurisdiction_path LIKE %(path)s
    AND occurred_at >= %(start_at)s AND occurred_at < %(end_before)s"""
ACCIDENTS_2Y = """FROM accidents_accident WHERE jurisdiction_path LIKE %(path)s
    AND occurred_at >= %(prev_start_at)s AND occurred_at < %(end_before)s"""
NOW = "occurred_at >= %(start_at)s"
BEFORE = "occurred_at < %(prev_end_before)s"


def _pct(num: str, den: str, change: bool = False) -> str:
    """SQL for the registry's percent / change_percent: one decimal, half up, 0 for 0."""
    top = f"({num} - {den})" if change else num
    return (f"CASE WHEN {den} = 0 THEN 0.0 "
            f"ELSE round({top} * 100.0 / {den}, 1) END")  # numeric round: half away from 0


FLOORS: dict[str, str] = {
    "cases.count": f"SELECT count(*) {FILED}",
    "cases.dual_penalty": f"""
        SELECT count(*) FROM (SELECT p.case_id {CASE_DECISIONS}
            AND d.decided_on BETWEEN %(start)s AND %(end)s AND d.outcome = 'penalty'
            GROUP BY p.case_id
            HAVING bool_or(p.kind = 'unit')
               AND bool_or(p.kind IN ('principal', 'responsible'))) t""",
    "cases.fines_confiscations": """
        SELECT coalesce(sum(d.fine + d.confiscation), 0) FROM cases_partydecision d
            WHERE d.jurisdiction_path LIKE %(path)s
            AND d.decided_on BETWEEN %(start)s AND %(end)s AND d.outcome = 'penalty'""",
    "cases.exempt": f"SELECT count(*) FROM ({EXEMPT_CASES}) t",
    "cases.exempt.waived_amount": f"""
        SELECT coalesce(sum(d.waived_amount), 0) FROM cases_partydecision d
        JOIN cases_caseparty p ON p.id = d.party_id
        WHERE p.case_id IN ({EXEMPT_CASES})""",
    "cases.offsite": f"SELECT count(*) {FILED} AND source = 'non_site'",
    "cases.online_rate": "SELECT " + _pct("count(*) FILTER (WHERE NOT entered_afterwards)",
                                          "count(*)") + f" {FILED}",
    "inspections.count": """SELECT count(*) FROM inspection_inspection
        WHERE jurisdiction_path LIKE %(path)s AND status = 'finished'
        AND date BETWEEN %(start)s AND %(end)s""",
    "hazards.found": f"SELECT count(*) {HAZARDS}",
    "hazards.major.found": f"SELECT count(*) {HAZARDS} AND level = 'major'",
    "hazards.major.supervised": """SELECT count(*) FROM inspection_hazard h
        WHERE h.jurisdiction_path LIKE %(path)s AND h.level = 'major'
        AND h.status = 'closed' AND h.closed_on BETWEEN %(start)s AND %(end)s
        AND EXISTS (SELECT 1 FROM inspection_hazardsupervision s WHERE s.hazard_id = h.id)""",
    "hazards.rectified_rate": "SELECT " + _pct(
        "count(*) FILTER (WHERE status = 'closed' AND closed_on <= %(end)s)",
        "count(*)") + f" {HAZARDS}",
    "accidents.count": f"SELECT count(*) {ACCIDENTS}",
    "accidents.deaths": f"SELECT coalesce(sum(deaths), 0) {ACCIDENTS}",
    "accidents.highway.count": f"SELECT count(*) {ACCIDENTS} AND on_highway",
    "accidents.highway.deaths": f"SELECT coalesce(sum(deaths), 0) {ACCIDENTS} AND on_highway",
    "accidents.count.yoy": "SELECT " + _pct(f"count(*) FILTER (WHERE {NOW})",
                                            f"count(*) FILTER (WHERE {BEFORE})",
                                            change=True) + f" {ACCIDENTS_2Y}",
    "accidents.deaths.yoy": "SELECT " + _pct(
        f"coalesce(sum(deaths) FILTER (WHERE {NOW}), 0)",
        f"coalesce(sum(deaths) FILTER (WHERE {BEFORE}), 0)", change=True) + f" {ACCIDENTS_2Y}",
}


def _params(period: Period, jurisdiction: Jurisdiction) -> dict[str, object]:
    previous = period.previous_year()
    return {"path": jurisdiction.path + "%", "start": period.start, "end": period.end,
            "start_at": period.start_at, "end_before": period.end_before,
            "prev_start_at": previous.start_at, "prev_end_before": previous.end_before}


def _timed(run: Callable[[], object], repeat: int) -> tuple[float, object]:
    """(median seconds of `repeat` runs after one warm-up, the value)."""
    value = run()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        value = run()
        times.append(time.perf_counter() - started)
    return statistics.median(times), value


def _sql(query: str, params: dict[str, object]) -> Callable[[], object]:
    def run() -> object:
        with connection.cursor() as cursor:
            cursor.execute(query, params)
            return cursor.fetchone()[0]
    return run


@dataclass
class Row:
    indicator: Indicator
    orm: float
    value: object
    sql: float | None
    floor_value: object


def measure(period: Period, jurisdiction: Jurisdiction, repeat: int) -> list[Row]:
    params = _params(period, jurisdiction)
    rows = []
    for indicator in all_indicators():
        orm, value = _timed(lambda i=indicator: i.evaluate(period, jurisdiction), repeat)
        sql = floor_value = None
        if indicator.id in FLOORS:
            sql, floor_value = _timed(_sql(FLOORS[indicator.id], params), repeat)
        rows.append(Row(indicator, orm, value, sql, floor_value))
    return rows


def _same(value: object, floor_value: object) -> bool:
    return Decimal(str(value)) == Decimal(str(floor_value))


def report(title: str, rows: list[Row], *, limit: float, ratio_limit: float | None) -> bool:
    """Print the table; return whether the targets are met."""
    print(f"\n== {title}")
    print(f"{'indicator':<34}{'value':>16}{'ORM ms':>10}{'SQL ms':>10}{'ratio':>8}  same")
    for row in rows:
        sql = f"{row.sql * 1000:10.1f}" if row.sql is not None else f"{'—':>10}"
        ratio = f"{row.orm / row.sql:8.2f}" if row.sql else f"{'—':>8}"
        same = ("yes" if _same(row.value, row.floor_value) else
                f"NO (SQL {row.floor_value})") if row.sql is not None else ""
        print(f"{row.indicator.id:<34}{row.value!s:>16}{row.orm * 1000:10.1f}{sql}{ratio}  {same}")
    total = sum(r.orm for r in rows)
    paired = [r for r in rows if r.sql is not None]
    orm_paired, floor = sum(r.orm for r in paired), sum(r.sql for r in paired)
    ratio = orm_paired / floor if floor else float("inf")
    print(f"{'TOTAL (all ' + str(len(rows)) + ' indicators)':<50}{total * 1000:10.1f}")
    print(f"{'TOTAL (the ' + str(len(paired)) + ' with a floor)':<50}{orm_paired * 1000:10.1f}"
          f"{floor * 1000:10.1f}{ratio:8.2f}")
    ok = True
    verdict = "PASS" if total < limit else "FAIL"
    ok &= verdict == "PASS"
    print(f"target: all indicators under {limit:g} s: {total:.3f} s  {verdict}")
    if ratio_limit is not None:
        verdict = "PASS" if ratio <= ratio_limit else "FAIL"
        ok &= verdict == "PASS"
        print(f"target: within {ratio_limit:g}× the floor: {ratio:.2f}×  {verdict}")
    if not all(_same(r.value, r.floor_value) for r in paired):
        print("WARNING: some floors disagree with the ORM value (see 'same')")
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="指标性能基准（合成省，PostgreSQL）")
    parser.add_argument("--build", action="store_true",
                        help="build the synthetic province if it is not there")
    parser.add_argument("--rebuild", action="store_true", help="drop it and build it again")
    parser.add_argument("--scale", type=float, default=1.0,
                        help="1.0 = 1 M cases, 2 M inspections (default)")
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--city", default=synthetic.city_code(1))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    synthetic.check_database()
    if args.build or args.rebuild:
        synthetic.build(args.scale, rebuild=args.rebuild)
    counts = synthetic.present()
    if not counts:
        print("合成省尚未生成：请加 --build")
        return 2
    print("synthetic province: " + ", ".join(f"{t} {n:,}" for t, n in counts.items()))
    period = Period.for_year(args.year)
    city = Jurisdiction.objects.get(code=args.city)
    province = Jurisdiction.objects.get(code=synthetic.PROVINCE_CODE)
    ok = report(f"city-year {city.code} {period} (median of {args.repeat})",
                measure(period, city, args.repeat), limit=2.0, ratio_limit=1.5)
    ok &= report(f"province-year {province.code} {period} (median of {args.repeat})",
                 measure(period, province, args.repeat), limit=10.0, ratio_limit=None)
    print("\nRESULT:", "PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
