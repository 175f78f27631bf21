"""Plain factories for tests of every app (the fixtures live in fazhi/conftest.py)."""

from __future__ import annotations

import datetime

from fazhi.subjects.rules.identifiers import build_id_number, build_uscc

TEST_PASSWORD = "Fz-test-pass-2024"


def make_uscc(serial: int, division: str = "330402") -> str:
    """A valid 统一社会信用代码 registered in `division`."""
    return build_uscc(division, serial)


def make_id_number(serial: int, area: str = "330402",
                   birth: datetime.date = datetime.date(1980, 1, 1)) -> str:
    """A valid 居民身份证号."""
    return build_id_number(area, birth, serial)
