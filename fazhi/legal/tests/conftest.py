"""Fixtures of the legal tests: the shipped catalogue of 安全生产法(2021), loaded once per
module inside a transaction that is rolled back when the module ends."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import transaction

from fazhi.legal.services import CATALOGUE_DIR, catalogue_load

WSL_FILE = CATALOGUE_DIR / "work_safety_law_2021.yaml"


class _Rollback(Exception):
    pass


@pytest.fixture(scope="module")
def wsl_catalogue(django_db_setup, django_db_blocker) -> Iterator[None]:
    """The 51 items of 安全生产法(2021) 第六章 from the shipped file, as the tests of a
    module see them; each test still runs in its own (nested) transaction."""
    with django_db_blocker.unblock():
        try:
            with transaction.atomic():
                catalogue_load(actor=None, files=[WSL_FILE])
                yield
                raise _Rollback
        except _Rollback:
            pass
