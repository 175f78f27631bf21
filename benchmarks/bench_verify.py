"""Certificate benchmarks (issue 9 §3–4): the exam-result import ("35,000 rows in under
60 s") and the public verification ("≥ 1,000 verifications a second on this 2-core
machine").

    .venv/bin/python benchmarks/bench_verify.py                  # SQLite in memory
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench_verify \\
        .venv/bin/python benchmarks/bench_verify.py               # a scratch PostgreSQL DB

1. Import: writes a workbook of `--rows` (default 35,000) exam results (about 1 in 20
   failing, a tenth of them principal/safety-manager certificates) and runs the real
   path: `job_submit` of `imports_certificates:run_import` (core.jobs, run inline here:
   FAZHI_JOBS_MODE=sync), which reads the .xlsx, checks every row, issues and signs every
   passed row's certificate and writes one event each, in one transaction.
2. Verification: `--lookups` (default 20,000) lookups of number + name drawn from the
   imported certificates (1 in 10 a number that does not exist), one at a time in one
   thread, timed on three paths, each printed with what it includes:
   - `lookup`:  selectors_certificates.verification_lookup (the database read, status
                rule, masking) — in-process;
   - `service`: services_certificates.public_verify (the above plus the per-address
                rate-limit counter in the cache and the suspected-fake log on a miss) —
                in-process; the rate limit is raised for the run;
   - `client`:  POST /api/v1/licensing/verify through Django's test client (URL routing,
                middleware, ninja, JSON) — in-process, no socket.
   No HTTP server is involved: a real deployment adds the server and network on top.
   PASS/FAIL is judged on `service` (target 1,000 a second); the others are printed too.

The database must be empty or a scratch one: the script migrates it and adds rows.
A script, not part of the test suite.
"""

from __future__ import annotations

import argparse
import datetime
import io
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from fazhi.core.jobs import job_submit  # noqa: E402
from fazhi.core.models import Agency, Jurisdiction, Role, User  # noqa: E402
from fazhi.licensing.imports_certificates import HEADERS, SHEET_TITLE  # noqa: E402
from fazhi.licensing.models_certificates import Certificate, CertificateImport  # noqa: E402
from fazhi.licensing.selectors_certificates import verification_lookup  # noqa: E402
from fazhi.licensing.services_certificates import public_verify  # noqa: E402
from fazhi.subjects.rules.identifiers import build_id_number  # noqa: E402

IMPORT_TARGET = 60.0
VERIFY_TARGET = 1_000.0
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国"
OPERATIONS = [("电工作业", "低压电工作业"), ("焊接与热切割作业", "熔化焊接与热切割作业"),
              ("高处作业", "高处安装、维护、拆除作业"),
              ("制冷与空调作业", "制冷与空调设备运行操作作业")]


def world() -> User:
    province = Jurisdiction.objects.create(code="330000", name="浙江省", level="province")
    city = Jurisdiction.objects.create(code="330400", name="嘉兴市", level="city",
                                       parent=province)
    for code, name in (("330402", "南湖区"), ("330411", "秀洲区"), ("330421", "嘉善县")):
        Jurisdiction.objects.create(code=code, name=name, level="county", parent=city)
    agency = Agency.objects.create(name="嘉兴市应急管理局", kind=Agency.Kind.CITY_BUREAU,
                                   jurisdiction=city, doc_prefix="嘉应急")
    return User.objects.create_user(username="bench", password="x", role=Role.OFFICER,
                                    agency=agency, full_name="基准")


def workbook(rows: int, seed: int) -> tuple[bytes, list[tuple[str, str]]]:
    rng = random.Random(seed)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(SHEET_TITLE)
    ws.append(list(HEADERS))
    people = []
    for n in range(rows):
        birth = datetime.date(1966, 1, 1) + datetime.timedelta(days=n % 10_950)
        ident = build_id_number("330402", birth, (n // 10_950) % 1000)
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
        manager = n % 10 == 0
        category, operation = ("", "危险化学品生产单位") if manager else rng.choice(OPERATIONS)
        theory = rng.randint(60, 100) if n % 20 == 0 else rng.randint(80, 100)
        issued = datetime.date(2024, 1, 2) + datetime.timedelta(days=rng.randrange(300))
        ws.append([name, ident, "主要负责人安全合格证" if manager else "特种作业操作证", category,
                   operation, rng.choice(("330402", "330411", "330421")), "", "",
                   (issued - datetime.timedelta(days=10)).isoformat(), theory,
                   rng.randint(80, 100), issued.isoformat()])
        people.append((ident, name))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue(), people


def rate(label: str, what: str, calls: list, fn) -> float:
    start = time.perf_counter()
    for number, name in calls:
        fn(number, name)
    seconds = time.perf_counter() - start
    per_second = len(calls) / seconds
    print(f"  {label:<8} {per_second:>8,.0f} /s   ({len(calls):,} in {seconds:.2f} s) — {what}")
    return per_second


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=35_000)
    parser.add_argument("--lookups", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()

    settings.FAZHI_JOBS_MODE = "sync"
    settings.FAZHI_CERT_SIGNING_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
    settings.FAZHI_VERIFY_RATE_LIMIT = 10**9
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}; machine: {os.cpu_count()} CPUs")
    actor = world()

    data, people = workbook(args.rows, args.seed)
    print(f"\n1. import of {args.rows:,} exam-result rows ({len(data) / 1e6:.1f} MB .xlsx)")
    source = CertificateImport.objects.create(file_name="bench.xlsx", data=data,
                                              agency=actor.agency, created_by=actor)
    start = time.perf_counter()
    job = job_submit(actor=actor, kind="licensing.cert_import", label="bench",
                     target="fazhi.licensing.imports_certificates:run_import",
                     params={"import_id": source.pk})
    seconds = time.perf_counter() - start
    source.refresh_from_db()
    ok_import = job.status == "done" and seconds < IMPORT_TARGET
    print(f"  job {job.status}: {source.rows:,} rows, {source.issued:,} issued, "
          f"{source.failed_exam:,} failed the exam — {seconds:.1f} s "
          f"(target < {IMPORT_TARGET:.0f} s) {'PASS' if ok_import else 'FAIL'}")
    if job.status != "done":
        print("  ", job.error, job.result.get("errors", [])[:5])

    numbers = dict(Certificate.objects.values_list("holder__id_number", "number"))
    rng = random.Random(args.seed)
    calls = []
    for _ in range(args.lookups):
        ident, name = rng.choice(people)
        if rng.random() < 0.1 or ident not in numbers:
            calls.append((f"T{ident[:-4]}{rng.randrange(10_000):04d}", name))  # no such card
        else:
            calls.append((numbers[ident], name))
    print(f"\n2. verification: {len(calls):,} lookups, one thread, about 1 in 10 unknown")
    rate("lookup", "in-process selector: DB read + status rule + masking", calls,
         verification_lookup)
    service = rate("service", "in-process service: + rate-limit counter + fake log", calls,
                   lambda n, m: public_verify(number=n, name=m, client="10.0.0.1"))
    client = Client()
    assert client.post("/api/v1/licensing/verify", {"number": calls[0][0], "name": "x"},
                       content_type="application/json").status_code == 200
    subset = calls[: min(len(calls), 5_000)]
    rate("client", "Django test client POST /api/v1/licensing/verify (no socket)", subset,
         lambda n, m: client.post("/api/v1/licensing/verify", {"number": n, "name": m},
                                  content_type="application/json"))
    ok_verify = service >= VERIFY_TARGET
    print(f"  target ≥ {VERIFY_TARGET:,.0f} /s on the service path: "
          f"{'PASS' if ok_verify else 'FAIL'}")
    return 0 if ok_import and ok_verify else 1


if __name__ == "__main__":
    sys.exit(main())
