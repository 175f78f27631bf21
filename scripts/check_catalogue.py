"""Check catalogue files without touching any real database.

    .venv/bin/python scripts/check_catalogue.py [PATH ...]

Migrates a scratch in-memory SQLite database, creates the demo city's jurisdiction tree
(the core demo's own step, so a benchmark naming '330400' 嘉兴市 or a district can be
checked), then runs the real loader (`fazhi.legal.services.catalogue_load`) over every
shipped catalogue file plus the given ones. Prints OK with the counts, or every problem
the loader found."""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.pop("DATABASE_URL", None)
os.environ["DJANGO_SETTINGS_MODULE"] = "fazhi.settings.test"

import django

django.setup()

from django.core.exceptions import ValidationError  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402

from fazhi.core.demo import DemoContext, _load_jurisdictions  # noqa: E402
from fazhi.legal.services import catalogue_files, catalogue_load  # noqa: E402


def main(argv: list[str]) -> int:
    call_command("migrate", verbosity=0, interactive=False)
    with transaction.atomic():  # the 行政区划 tree the benchmarks may name
        _load_jurisdictions(DemoContext())
    files = {p.resolve() for p in catalogue_files()} | {Path(a).resolve() for a in argv}
    try:
        result = catalogue_load(actor=None, files=sorted(files))
    except ValidationError as exc:
        for message in exc.messages:
            print(message)
        print(f"FAILED: {len(exc.messages)} problem(s)")
        return 1
    for law, count in result.items_per_law.items():
        print(f"{law}: {count}")
    print(f"OK: {result.items_in_files} items, {result.benchmarks_in_files} benchmarks, "
          f"{result.provisions_created} provisions ({result.provisions_updated} texts "
          f"updated) in {len(files)} files")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
