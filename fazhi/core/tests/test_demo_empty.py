"""`load_demo` and `demo_accounts` on a database without the demo (the module of
test_demo.py keeps the demo loaded for all of its tests)."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from fazhi.core.models import Jurisdiction
from fazhi.core.tests.test_demo import SMALL, _load
from fazhi.subjects.models import Enterprise

pytestmark = pytest.mark.django_db


def test_if_empty_loads_an_empty_database_only(db):
    assert "演示数据载入完成" in _load(if_empty=True)
    assert Enterprise.objects.count() == SMALL


def test_if_empty_leaves_a_database_with_jurisdictions_alone(db):
    Jurisdiction.objects.create(code="110000", name="北京市", level="province")
    output = _load(if_empty=True)
    assert "跳过" in output
    assert Jurisdiction.objects.count() == 1 and not Enterprise.objects.exists()


def test_a_bad_enterprise_count_is_refused(db):
    with pytest.raises(CommandError, match="正整数"):
        call_command("load_demo", enterprises=0, stdout=io.StringIO())
    assert not Jurisdiction.objects.exists()


def test_demo_accounts_needs_the_demo(db):
    with pytest.raises(CommandError, match="load_demo"):
        call_command("demo_accounts", stdout=io.StringIO())
