"""The synthetic province (合成省) for the indicator benchmark: 11 cities of 8 counties
each, 10 years (2015–2024) of penalty cases with their party decisions, inspections
with their findings and hazards, and accidents, written straight into the tables with
set-based SQL (INSERT … SELECT generate_series). Benchmark data, not demo data: no
services, no events, PostgreSQL only.

Scale 1.0 is about 1,000,000 cases (1.3 M parties and 1.2 M decisions), 2,000,000
inspections (800,000 findings and hazards) and 30,000 accidents on 100,000 enterprises.

Ids are explicit (a case's unit party and its decision share the case's id) so that
every table joins by arithmetic; the identity sequences are moved past them afterwards.
Pseudo-random choices hash the row id (`id * prime % n`), so a build is reproducible.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.db import connection

PROVINCE_CODE = "990000"
CITIES = 11
COUNTIES_PER_CITY = 8
COUNTY_COUNT = CITIES * COUNTIES_PER_CITY
FIRST_DAY = "2015-01-01"
DAYS = 3653  # 2015-01-01 … 2024-12-31
YEARS = (2015, 2024)

# Every table the builder writes, children first (for --rebuild).
TABLES = (
    "accidents_accident",
    "inspection_hazardsupervision",
    "inspection_hazard",
    "inspection_finding",
    "inspection_inspection",
    "inspection_checklistitem",
    "cases_partydecision",
    "cases_caseparty",
    "cases_penaltycase",
    "subjects_responsibleperson",
    "subjects_enterprise",
    "core_user",
    "core_agency",
    "core_jurisdiction",
)


def city_code(city: int) -> str:
    """The code of city 1…11 (990100 … 991100)."""
    return f"99{city:02d}00"


def sizes(scale: float) -> dict[str, int]:
    return {
        "enterprises": max(COUNTY_COUNT * 10, int(100_000 * scale)),
        "cases": max(1_000, int(1_000_000 * scale)),
        "inspections": max(2_000, int(2_000_000 * scale)),
        "accidents": max(500, int(30_000 * scale)),
    }


def present() -> dict[str, int] | None:
    """Row counts of the synthetic province, or None when it is not built."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM core_jurisdiction WHERE code = %s", [PROVINCE_CODE])
        if cursor.fetchone() is None:
            return None
        counts = {}
        for table in ("subjects_enterprise", "cases_penaltycase", "cases_partydecision",
                      "inspection_inspection", "inspection_hazard", "accidents_accident"):
            cursor.execute(f"SELECT count(*) FROM {table}")
            counts[table] = cursor.fetchone()[0]
        return counts


def check_database() -> None:
    """Refuse to write anywhere but a PostgreSQL database named bench…: --rebuild
    truncates tables."""
    if connection.vendor != "postgresql":
        raise SystemExit("The indicator benchmark runs on PostgreSQL only (DATABASE_URL).")
    name = connection.settings_dict["NAME"]
    if not name.startswith("bench"):
        raise SystemExit(f"Refusing to build in database {name!r}: its name must start "
                         "with 'bench' (e.g. bench_fazhi).")


def _steps(n: dict[str, int]) -> list[tuple[str, str]]:
    e, c, i, a = n["enterprises"], n["cases"], n["inspections"], n["accidents"]
    k = COUNTY_COUNT
    # county index of enterprise x: (x - 1) % k; its jurisdiction id 13 + that;
    # its county bureau 12 + that; its city bureau 1 + that / 8.
    return [
        ("jurisdictions", f"""
            INSERT INTO core_jurisdiction (id, code, name, level, path, parent_id)
            VALUES (1, '{PROVINCE_CODE}', '合成省', 'province', '{PROVINCE_CODE}/', NULL);
            INSERT INTO core_jurisdiction (id, code, name, level, path, parent_id)
            SELECT 1 + c, '99' || lpad(c::text, 2, '0') || '00', '合成市' || c, 'city',
                   '{PROVINCE_CODE}/99' || lpad(c::text, 2, '0') || '00/', 1
            FROM generate_series(1, {CITIES}) c;
            INSERT INTO core_jurisdiction (id, code, name, level, path, parent_id)
            SELECT 13 + q, '99' || lpad((q / 8 + 1)::text, 2, '0')
                              || lpad((q % 8 + 1)::text, 2, '0'),
                   '合成县' || q, 'county',
                   '{PROVINCE_CODE}/99' || lpad((q / 8 + 1)::text, 2, '0') || '00/99'
                   || lpad((q / 8 + 1)::text, 2, '0') || lpad((q % 8 + 1)::text, 2, '0') || '/',
                   2 + q / 8
            FROM generate_series(0, {k - 1}) q;
            INSERT INTO core_agency (id, name, kind, doc_prefix, delegated, parent_id,
                                     jurisdiction_id)
            SELECT id - 1, name || '应急管理局', 'city_bureau', 'SY' || code, false, NULL, id
            FROM core_jurisdiction WHERE level = 'city';
            INSERT INTO core_agency (id, name, kind, doc_prefix, delegated, parent_id,
                                     jurisdiction_id)
            SELECT id - 1, name || '应急管理局', 'county_bureau', 'SY' || code, false,
                   parent_id - 1, id
            FROM core_jurisdiction WHERE level = 'county';
            INSERT INTO core_user (id, password, is_superuser, username, first_name, last_name,
                                   email, is_staff, is_active, date_joined, role, full_name,
                                   phone, agency_id)
            VALUES (1, '!', false, 'bench', '', '', '', false, false, now(), 'officer',
                    '基准测试', '', 1);
            INSERT INTO inspection_checklistitem (id, code, standard, "group", number, text,
                                                  confidence, active)
            VALUES (1, 'BENCH-1', 'general', '', 1, '合成判定条目', 'confirmed', true);
        """),
        ("enterprises", f"""
            INSERT INTO subjects_enterprise (id, name, uscc, address, jurisdiction_path,
                industry_code, supervision_category, risk_level, created_at, updated_at,
                jurisdiction_id, park_id)
            SELECT x, '合成企业' || x, 'SY' || lpad(x::text, 16, '0'), '', j.path, 'C26',
                   (ARRAY['hazchem_production','hazchem_operation','hazchem_use',
                          'industry_trade','other'])[1 + x % 5],
                   'low', now(), now(), j.id, NULL
            FROM generate_series(1, {e}) x
            JOIN core_jurisdiction j ON j.id = 13 + (x - 1) % {k};
            INSERT INTO subjects_responsibleperson (id, kind, name, id_number, phone,
                                                    enterprise_id)
            SELECT x, 'principal', '负责人' || x, '', '', x FROM generate_series(1, {e}) x;
        """),
        ("cases", f"""
            INSERT INTO cases_penaltycase (id, jurisdiction_path, source, status, version,
                number, facts, discovered_on, filed_on, ended_reason, created_at, agency_id,
                created_by_id, enterprise_id, jurisdiction_id, assessment, entered_afterwards)
            SELECT g, en.jurisdiction_path,
                   (ARRAY['inspection','inspection','inspection','tip','accident',
                          'referral','non_site','other'])[1 + g * 7 % 8],
                   CASE WHEN g % 12 = 0 THEN 'investigation' ELSE 'closed' END, 1,
                   '', '', s.filed - 3, s.filed, '', s.filed::timestamptz,
                   CASE WHEN g % 10 = 0 THEN 1 + (s.x - 1) % {k} / 8
                        ELSE 12 + (s.x - 1) % {k} END,
                   1, s.x, en.jurisdiction_id, '{{}}', g % 9 = 0
            FROM (SELECT g, 1 + (g::bigint * 7919 % {e})::int AS x,
                         DATE '{FIRST_DAY}' + (g::bigint * 104729 % {DAYS})::int AS filed
                  FROM generate_series(1, {c}) g) s
            JOIN subjects_enterprise en ON en.id = s.x;
            -- every case a unit party (id = case id); 3 in 10 also the principal
            INSERT INTO cases_caseparty (id, kind, name, case_id, person_id)
            SELECT g, 'unit', '', g, NULL FROM generate_series(1, {c}) g;
            INSERT INTO cases_caseparty (id, kind, name, case_id, person_id)
            SELECT {c} + id, 'principal', '', id, enterprise_id
            FROM cases_penaltycase WHERE id % 10 < 3;
        """),
        ("decisions", """
            -- one decision per party of a closed case; the case's id decides the outcome:
            -- 80 % penalty, 15 % no penalty (grounds minor / first / no_fault), 5 % transfer;
            -- each keeps its case's place (jurisdiction_path), as the model does
            INSERT INTO cases_partydecision (id, outcome, measures, fine, confiscation,
                stage, tier, method, deviation_reason, exempt_ground, waived_amount,
                hearing_rights, credit_severity, citations, reason, number, decided_on,
                service_method, service_recipient, party_id, jurisdiction_path)
            SELECT p.id, o.outcome, '[]',
                   CASE WHEN o.outcome = 'penalty'
                        THEN (CASE WHEN p.kind = 'unit' THEN 10000 ELSE 2000 END)
                             + (c.id * 37 % 200) * 500 ELSE 0 END,
                   CASE WHEN o.outcome = 'penalty' AND c.id % 10 = 1
                        THEN (c.id % 50) * 100 ELSE 0 END,
                   'first', '', '', '',
                   CASE WHEN o.outcome = 'no_penalty'
                        THEN (ARRAY['minor','first','no_fault'])[1 + c.id % 3] ELSE '' END,
                   CASE WHEN o.outcome = 'no_penalty' THEN 5000 ELSE 0 END,
                   false, 'general', '[]', '', '', c.filed_on + 20 + (c.id % 60)::int, '', '',
                   p.id, c.jurisdiction_path
            FROM cases_caseparty p
            JOIN cases_penaltycase c ON c.id = p.case_id
            CROSS JOIN LATERAL (SELECT CASE WHEN c.id * 31 % 100 < 80 THEN 'penalty'
                                            WHEN c.id * 31 % 100 < 95 THEN 'no_penalty'
                                            ELSE 'transfer' END AS outcome) o
            WHERE c.status = 'closed';
        """),
        ("inspections", f"""
            INSERT INTO inspection_inspection (id, jurisdiction_path, date, place, category,
                non_site, non_site_source, joint_departments, status, signed_by,
                refusal_reason, created_at, finished_at, agency_id, created_by_id,
                enterprise_id, jurisdiction_id)
            SELECT g, en.jurisdiction_path, s.day, '',
                   (ARRAY['key','general','special','joint'])[1 + g % 4], false, '', '[]',
                   CASE WHEN g % 20 = 0 THEN 'draft' ELSE 'finished' END, '', '',
                   s.day::timestamptz,
                   CASE WHEN g % 20 = 0 THEN NULL ELSE s.day::timestamptz END,
                   12 + (s.x - 1) % {k}, 1, s.x, en.jurisdiction_id
            FROM (SELECT g, 1 + (g::bigint * 6007 % {e})::int AS x,
                         DATE '{FIRST_DAY}' + (g::bigint * 130363 % {DAYS})::int AS day
                  FROM generate_series(1, {i}) g) s
            JOIN subjects_enterprise en ON en.id = s.x;
        """),
        ("hazards", """
            -- 2 finished inspections in 5 find a hazard (finding and hazard id = the
            -- inspection's); 1 in 100 major; 8 in 10 closed 5–44 days after
            INSERT INTO inspection_finding (id, description, created_at, item_id,
                                            inspection_id)
            SELECT id, '', created_at, NULL, id FROM inspection_inspection
            WHERE id % 5 < 2 AND status = 'finished';
            INSERT INTO inspection_hazard (id, jurisdiction_path, level, description,
                found_on, rectified_on_site, status, deadline, closed_on, created_at,
                agency_id, created_by_id, criterion_id, enterprise_id, finding_id,
                inspection_id, jurisdiction_id)
            SELECT n.id, n.jurisdiction_path,
                   CASE WHEN n.id % 100 = 1 THEN 'major' ELSE 'general' END, '', n.date,
                   false,
                   CASE WHEN n.id % 10 < 8 THEN 'closed' ELSE 'ordered' END,
                   n.date + 30,
                   CASE WHEN n.id % 10 < 8 THEN n.date + 5 + (n.id % 40)::int END,
                   n.created_at, n.agency_id, 1,
                   CASE WHEN n.id % 100 = 1 THEN 1 END,
                   n.enterprise_id, n.id, n.id, n.jurisdiction_id
            FROM inspection_inspection n
            WHERE n.id % 5 < 2 AND n.status = 'finished';
            INSERT INTO inspection_hazardsupervision (id, level, listed_on, closed_on, note,
                                                      agency_id, hazard_id, listed_by_id)
            SELECT id, 'county', found_on, closed_on, '', agency_id, id, 1
            FROM inspection_hazard WHERE level = 'major' AND status = 'closed';
        """),
        ("accidents", f"""
            INSERT INTO accidents_accident (id, number, jurisdiction_path, occurred_at, place,
                industry, on_highway, deaths, missing, serious_injuries, direct_loss, account,
                accident_class, class_citations, omitted_report, false_report, concealed,
                report_finding, created_at, agency_id, created_by_id, enterprise_id,
                jurisdiction_id)
            SELECT g, 'SY-A-' || g, j.path,
                   TIMESTAMPTZ '{FIRST_DAY} 00:00+08'
                     + (g::bigint * 7990271 % ({DAYS} * 1440)) * INTERVAL '1 minute',
                   '', (ARRAY['industry_trade','road','road','fire','construction',
                              'water','other'])[1 + g % 7],
                   g % 7 IN (1, 2) AND g % 3 = 0, (g * 13 % 10 = 0)::int + (g % 97 = 0)::int,
                   0, 0, 0, '', 'ordinary', '[]', false, false, false, '', now(),
                   12 + g % {k}, 1, NULL, j.id
            FROM generate_series(1, {a}) g
            JOIN core_jurisdiction j ON j.id = 13 + g % {k};
        """),
    ]


def _reset_sequences(cursor) -> None:
    for table in TABLES:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"COALESCE((SELECT max(id) FROM {table}), 0) + 1, false)")


def build(scale: float = 1.0, *, rebuild: bool = False,
          log: Callable[[str], None] = print) -> dict[str, int]:
    """Build the province unless present (`rebuild`: truncate and build again).
    Returns the row counts."""
    check_database()
    counts = present()
    if counts and not rebuild:
        log("合成省已存在，跳过生成（--rebuild 重新生成）")
        return counts
    started = time.perf_counter()
    with connection.cursor() as cursor:
        # benchmark data in its own database: durability of each commit does not matter
        cursor.execute("SET synchronous_commit = off")
        cursor.execute("SET maintenance_work_mem = '256MB'")
        cursor.execute("SET work_mem = '64MB'")
        cursor.execute(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE")
        for name, sql in _steps(sizes(scale)):
            step = time.perf_counter()
            cursor.execute(sql)
            log(f"  {name:<14} {time.perf_counter() - step:7.1f} s")
        _reset_sequences(cursor)
        step = time.perf_counter()
        cursor.execute("VACUUM ANALYZE" if connection.get_autocommit() else "ANALYZE")
        log(f"  {'analyze':<14} {time.perf_counter() - step:7.1f} s")
    log(f"合成省生成完成：{time.perf_counter() - started:.1f} s")
    return present() or {}
