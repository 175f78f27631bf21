"""Money is Decimal yuan: exact input, half-up rounding to the fen, Chinese errors."""

from decimal import Decimal

import pytest

from fazhi.core.rules.money import parse_yuan, round_yuan, yuan_str


@pytest.mark.parametrize("value", [Decimal("1200.50"), "1200.50", " 1200.5 "])
def test_exact_inputs_are_accepted(value):
    assert parse_yuan(value) == Decimal("1200.5")
    assert parse_yuan(1200) == Decimal(1200)


@pytest.mark.parametrize(("value", "message"), [
    (0.1, "不接受浮点数"), (True, "不接受浮点数"), ("abc", "不是有效的金额"),
    ("NaN", "不是有效的金额"), (-1, "不能为负数"), ("1000000000000.01", "过大"), (None, "应为金额"),
])
def test_bad_amounts_are_refused_in_chinese(value, message):
    with pytest.raises(ValueError, match=message):
        parse_yuan(value, "罚款金额")


def test_fractions_of_a_fen_only_when_asked():
    assert parse_yuan("0.005") == Decimal("0.005")
    with pytest.raises(ValueError, match="两位小数"):
        parse_yuan("0.005", whole_cents=True)


def test_rounding_is_half_up_to_the_fen():
    assert round_yuan(Decimal("0.005")) == Decimal("0.01")
    assert round_yuan(Decimal("40000.004")) == Decimal("40000.00")
    assert yuan_str(Decimal("100000.00")) == "100000"
    assert yuan_str(Decimal("1234.5")) == "1234.50"
