"""Completion as of a day, overdue, and the rate, at their edges."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from fazhi.tasks.rules.completion import Completion, done_on, overdue_on

D = datetime.date


def test_done_on_counts_the_completion_day_but_not_earlier_days():
    assert done_on(D(2024, 12, 31), D(2024, 12, 31))
    assert not done_on(D(2025, 1, 1), D(2024, 12, 31))  # completed later: not yet done
    assert not done_on(None, D(2030, 1, 1))


def test_overdue_only_after_the_due_day():
    assert not overdue_on(D(2024, 6, 30), None, D(2024, 6, 30))
    assert overdue_on(D(2024, 6, 30), None, D(2024, 7, 1))
    assert not overdue_on(D(2024, 6, 30), D(2024, 7, 5), D(2024, 7, 10))
    assert overdue_on(D(2024, 6, 30), D(2024, 7, 5), D(2024, 7, 2))  # done only later


def test_rate_one_decimal_half_up_and_empty_lists():
    assert Completion(68, 30).rate == Decimal("44.1")
    assert Completion(1021, 682).rate == Decimal("66.8")
    assert Completion(8, 1).rate == Decimal("12.5")
    assert Completion(0, 0).rate == Decimal("0.0")
    assert Completion(3, 3).rate == Decimal("100.0") and Completion(3, 3).open == 0


def test_impossible_completion_is_refused():
    with pytest.raises(ValueError):
        Completion(2, 3)
