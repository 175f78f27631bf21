"""The indicator registry, the rounding of percentages, and the `indicators` command."""

from __future__ import annotations

import datetime
import io
import json
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command

from fazhi.core.models import Jurisdiction
from fazhi.reports.registry import (
    Indicator,
    Period,
    all_indicators,
    change_percent,
    get_indicator,
    isolated_registry,
    percent,
    ratio,
    register,
)


@pytest.fixture
def registry():
    with isolated_registry() as entries:
        yield entries


@pytest.fixture
def city(db) -> Jurisdiction:
    province = Jurisdiction.objects.create(code="330000", name="浙江省", level="province")
    city = Jurisdiction.objects.create(code="330400", name="嘉兴市", level="city",
                                       parent=province)
    Jurisdiction.objects.create(code="330402", name="南湖区", level="county", parent=city)
    Jurisdiction.objects.create(code="330411", name="秀洲区", level="county", parent=city)
    return city


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("indicators", *args, stdout=out)
    return out.getvalue()


# --- registration ----------------------------------------------------------------------------

def test_register_adds_the_indicator_and_keeps_the_function(registry):
    @register("test.children", label="下级区划", unit="个", kind="count", scope="city")
    def children(period: Period, jurisdiction: Jurisdiction) -> int:
        return 3

    indicator = get_indicator("test.children")
    assert indicator.compute is children and children(None, None) == 3
    assert (indicator.label, indicator.unit, indicator.kind, indicator.scope) == (
        "下级区划", "个", "count", "city")
    assert all_indicators()[-1] is indicator


def test_duplicate_id_is_rejected_and_the_first_one_kept(registry):
    register("test.dup", label="甲", unit="个", kind="count", scope="city")(lambda p, j: 1)
    with pytest.raises(ValueError, match=r"test\.dup"):
        register("test.dup", label="乙", unit="个", kind="count", scope="bureau")(
            lambda p, j: 2)
    assert get_indicator("test.dup").label == "甲"


@pytest.mark.parametrize("kind, scope", [("number", "city"), ("count", "county")])
def test_unknown_kind_or_scope_is_rejected(registry, kind, scope):
    with pytest.raises(ValueError):
        register("test.bad", label="坏", unit="个", kind=kind, scope=scope)(lambda p, j: 1)
    with pytest.raises(KeyError):
        get_indicator("test.bad")


def test_isolated_registry_forgets_what_was_registered_inside():
    with isolated_registry():
        register("test.temporary", label="临时", unit="个", kind="count", scope="city")(
            lambda p, j: 1)
        assert get_indicator("test.temporary")
    with pytest.raises(KeyError):
        get_indicator("test.temporary")


def test_apps_indicators_modules_are_discovered():
    # fazhi/subjects/indicators.py registers the chemical-park figures
    assert {"parks.total", "parks.risk.lower", "parks.risk.general"} <= {
        i.id for i in all_indicators()}


# --- values ----------------------------------------------------------------------------------

@pytest.mark.parametrize("numerator, denominator, decimals, expected", [
    (30, 68, 1, "44.1"),     # 总方案完成率
    (682, 1021, 1, "66.8"),  # 子方案完成率
    (7, 9, 2, "77.78"),
    (6, 7, 2, "85.71"),
    (1, 16, 1, "6.3"),       # 6.25: half up, not half to even (6.2)
    (1, 8, 0, "13"),         # 12.5 → 13
    (5, 5, 1, "100.0"),
    (0, 0, 1, "0.0"),
])
def test_percent_rounds_half_up(numerator, denominator, decimals, expected):
    assert percent(numerator, denominator, decimals) == Decimal(expected)
    assert str(percent(numerator, denominator, decimals)) == expected


def test_year_on_year_change_and_ratio():
    assert change_percent(69, 76) == Decimal("-9.2")
    assert change_percent(47, 51) == Decimal("-7.8")
    assert ratio(2, 3) == Decimal("0.67")


def test_evaluate_normalises_to_the_kind():
    def make(kind: str, value, decimals: int = 1) -> Indicator:
        return Indicator(id=f"t.{kind}", label="t", unit="", kind=kind, scope="city",
                         compute=lambda p, j: value, decimals=decimals)

    assert make("count", Decimal("12")).evaluate(None, None) == 12
    assert isinstance(make("count", Decimal("12")).evaluate(None, None), int)
    assert make("amount_yuan", 472600).evaluate(None, None) == Decimal("472600.00")
    assert make("percent", Decimal("44.117647")).evaluate(None, None) == Decimal("44.1")
    assert make("percent", Decimal("77.7777"), 2).evaluate(None, None) == Decimal("77.78")
    with pytest.raises(TypeError):
        make("percent", 44.1).evaluate(None, None)  # floats never carry figures
    with pytest.raises(TypeError):
        make("count", Decimal("1.5")).evaluate(None, None)


def test_a_year_period_runs_midnight_to_midnight_in_shanghai():
    period = Period.for_year(2024)
    shanghai = ZoneInfo("Asia/Shanghai")
    assert period.start_at == datetime.datetime(2024, 1, 1, tzinfo=shanghai)
    assert period.end_before == datetime.datetime(2025, 1, 1, tzinfo=shanghai)
    # 2023-12-31 16:30 UTC is already 2024 in Jiaxing
    assert period.start_at <= datetime.datetime(2023, 12, 31, 16, 30, tzinfo=datetime.UTC)
    assert period.previous_year() == Period.for_year(2023)
    assert str(period) == "2024年"
    with pytest.raises(ValueError):
        Period(datetime.date(2024, 2, 1), datetime.date(2024, 1, 1))


# --- the command -----------------------------------------------------------------------------

@pytest.fixture
def test_indicators(registry):
    @register("test.children", label="下级区划", unit="个", kind="count", scope="city")
    def children(period: Period, jurisdiction: Jurisdiction) -> int:
        return jurisdiction.children.count()

    @register("test.rate", label="测试完成率", unit="%", kind="percent", scope="city")
    def rate(period: Period, jurisdiction: Jurisdiction) -> Decimal:
        return percent(30, 68)

    @register("test.amount", label="测试金额", unit="元", kind="amount_yuan", scope="bureau")
    def amount(period: Period, jurisdiction: Jurisdiction) -> Decimal:
        return Decimal(period.start.year * 100)


def test_json_output_is_one_object_of_numbers(city, test_indicators):
    text = _run("--year", "2024", "--jurisdiction", "330400", "--format", "json",
                "--only", "test.")
    figures = json.loads(text)
    assert figures == {"test.children": 2, "test.rate": 44.1, "test.amount": 202400}
    assert isinstance(figures["test.children"], int)
    assert '"test.rate": 44.1' in text and '"test.amount": 202400.00' in text


def test_json_output_per_jurisdiction_and_year(city, test_indicators):
    figures = json.loads(_run("--year", "2023", "--jurisdiction", "330402",
                              "--format", "json", "--only", "test."))
    assert figures["test.children"] == 0 and figures["test.amount"] == 202300


def test_only_filters_by_prefix(city, test_indicators):
    figures = json.loads(_run("--year", "2024", "--jurisdiction", "330400", "--format",
                              "json", "--only", "test.rate"))
    assert list(figures) == ["test.rate"]


def test_table_output_has_chinese_labels_and_units(city, test_indicators):
    text = _run("--year", "2024", "--jurisdiction", "330400", "--only", "test.")
    assert "嘉兴市" in text and "2024年" in text
    line = next(line for line in text.splitlines() if line.startswith("test.rate"))
    assert "测试完成率" in line and "44.1" in line and line.rstrip().endswith("%")


def test_unknown_jurisdiction_is_a_clear_error(city):
    with pytest.raises(CommandError, match="行政区划代码不存在：999999"):
        _run("--year", "2024", "--jurisdiction", "999999")


def test_a_failing_indicator_is_named(city, registry):
    @register("test.broken", label="坏指标", unit="个", kind="count", scope="city")
    def broken(period: Period, jurisdiction: Jurisdiction) -> int:
        raise ZeroDivisionError("division by zero")

    with pytest.raises(CommandError, match=r"test\.broken"):
        _run("--year", "2024", "--jurisdiction", "330400", "--only", "test.")
