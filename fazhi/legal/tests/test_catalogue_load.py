"""Loading the enforcement-item catalogue files (fazhi/legal/data/catalogue/*.yaml) with
`services.catalogue_load`: every shipped file loads, the tables hold what the files say
(expected figures are read from the files here, never typed in), a second load changes
nothing and records nothing, and a file with bad entries is refused whole, in Chinese."""

from __future__ import annotations

import datetime
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from fazhi.core.models import Event
from fazhi.legal import demo as legal_demo
from fazhi.legal import services
from fazhi.legal.catalogue import item_lookup
from fazhi.legal.models import EnforcementItem, ItemStagePenalty, Law, Provision
from fazhi.reports.registry import Period, get_indicator

FILES = services.catalogue_files()
PREFIXES = ("unit", "individual", "responsible")


def _file_data(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count()
            for model in (Law, Provision, EnforcementItem, ItemStagePenalty, Event)}


@pytest.fixture
def loaded(jurisdictions) -> services.CatalogueLoadResult:
    # The jurisdictions: benchmarks in the files may name 嘉兴市 (330400) or a district.
    return services.catalogue_load(actor=None, files=FILES)


def test_there_are_shipped_files():
    names = {path.name for path in FILES}
    assert "work_safety_law_2021.yaml" in names
    assert len(FILES) >= 2


def test_every_shipped_file_loads_and_items_per_law_match_the_files(loaded):
    for path in FILES:
        data = _file_data(path)
        law = Law.objects.get(name=data["law"]["name"], version=str(data["law"]["version"]))
        codes = [entry["code"] for entry in data["items"]]
        assert len(codes) == len(set(codes))
        # An item belongs to the law of its file: its penalty provisions are that law's
        # (or, for a provision applied "依照第十九条", still that law).
        in_db = set(EnforcementItem.objects.filter(code__in=codes)
                    .values_list("code", flat=True))
        assert in_db == set(codes), path.name
        assert loaded.items_per_law[f"{law.display_name}（{law.version}）"] == len(codes)
    assert EnforcementItem.objects.count() == loaded.items_in_files == sum(
        len(_file_data(p)["items"]) for p in FILES)


def test_items_are_stored_as_the_files_say(loaded):
    for path in FILES:
        for entry in _file_data(path)["items"]:
            item = EnforcementItem.objects.get(code=entry["code"])
            assert item.name == entry["name"]
            assert item.kind == entry["kind"]
            assert item.dual_penalty is entry["dual_penalty"]
            assert item.party_unit is ("unit" in entry["parties"])
            assert item.party_principal is ("principal" in entry["parties"])
            assert item.valid_from == entry["valid_from"]
            assert item.valid_to == entry.get("valid_to")
            penalty = {(p.law.short_name, p.article, p.paragraph, p.item)
                       for p in item.penalty.select_related("law")}
            assert penalty == {(c["law"], c["article"], c.get("paragraph"), c.get("item"))
                               for c in entry["penalty"]}
            rows = {row.stage: row for row in item.stage_penalties.all()}
            assert set(rows) == {s["stage"] for s in entry["stages"]}
            for stage in entry["stages"]:
                row = rows[stage["stage"]]
                assert row.measures == stage["measures"]
                assert row.mandatory is stage["mandatory"]
                for key, prefix in (("unit", "unit"), ("individual", "individual"),
                                    ("responsible_persons", "responsible")):
                    expected = stage.get(key)
                    got = (getattr(row, f"{prefix}_min"), getattr(row, f"{prefix}_max"))
                    if expected is None:
                        assert got == (None, None)
                    else:
                        assert got == (Decimal(expected[0]), Decimal(expected[1]))


def test_every_item_cites_a_penalty_provision(loaded):
    assert not EnforcementItem.objects.filter(penalty__isnull=True).exists()
    for item in EnforcementItem.objects.all():
        assert item.penalty.count() >= 1, item.code


def test_stage_ranges_are_ordered(loaded):
    rows = list(ItemStagePenalty.objects.all())
    assert rows
    for row in rows:
        for prefix in PREFIXES:
            low, high = getattr(row, f"{prefix}_min"), getattr(row, f"{prefix}_max")
            assert (low is None) == (high is None), row
            if low is not None:
                assert Decimal(0) <= low <= high, row
        assert row.provision_id is not None, row


def test_an_item_is_found_by_the_citation_of_its_penalty_provision(loaded):
    # 安全生产法(2021) 第九十七条第（三）项, as an officer types it.
    found = item_lookup("安全生产法 第97条第3项")
    assert found is not None and found.code == "WSL2021-097-03"


def test_the_load_is_on_the_record(loaded):
    assert loaded.events == Event.objects.count()
    created = Counter(Event.objects.values_list("action", flat=True))
    assert created["item.created"] == EnforcementItem.objects.count()
    assert created["law.created"] == Law.objects.count()
    assert created["provision.created"] == Provision.objects.count()


def test_a_second_load_changes_nothing_and_records_nothing(loaded):
    before = _row_counts()
    again = services.catalogue_load(actor=None, files=FILES)
    assert not again.changed
    assert again.events == 0
    assert _row_counts() == before


def _bad_file(tmp_path: Path) -> Path:
    """A copy of two real entries of the 2021 law file, one with its range inverted and
    one with a measure code the spec does not have."""
    data = _file_data(services.CATALOGUE_DIR / "work_safety_law_2021.yaml")
    law = dict(data["law"], name="测试法", short_name="测试法")

    def own(citation: dict[str, Any]) -> dict[str, Any]:
        return dict(citation, law="测试法")

    first, second = (
        dict(e, violated=[own(c) for c in e["violated"]],
             penalty=[own(c) for c in e["penalty"]],
             stages=[dict(s, provision=own(s["provision"])) for s in e["stages"]])
        for e in data["items"][:2])
    first["code"], second["code"] = "TST2021-001-01", "TST2021-002-01"
    first["stages"] = [dict(first["stages"][0], unit=[100000, 50000])]
    second["stages"] = [dict(second["stages"][0], measures=["fine", "flog"])]
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump({"law": law, "items": [first, second]},
                                   allow_unicode=True), encoding="utf-8")
    return path


def test_a_file_with_bad_entries_reports_every_problem_in_chinese_and_writes_nothing(
        db, tmp_path):
    before = _row_counts()
    with pytest.raises(ValidationError) as caught:
        services.catalogue_load(actor=None, files=[*FILES, _bad_file(tmp_path)])
    messages = caught.value.messages
    inverted = [m for m in messages if "TST2021-001-01" in m]
    unknown = [m for m in messages if "TST2021-002-01" in m]
    assert inverted and "bad.yaml" in inverted[0] and "不能高于上限" in inverted[0]
    assert unknown and "bad.yaml" in unknown[0] and "flog" in unknown[0]
    assert "未知的处罚种类代码" in unknown[0]
    # The good files were not loaded either: all or nothing.
    assert _row_counts() == before


def test_the_same_law_declared_twice_is_refused(db, tmp_path):
    copy = tmp_path / "copy.yaml"
    copy.write_text((services.CATALOGUE_DIR / "work_safety_law_2021.yaml")
                    .read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        services.catalogue_load(actor=None, files=[*FILES, copy])
    assert any("copy.yaml" in m and "已由文件" in m for m in caught.value.messages)
    assert not EnforcementItem.objects.exists()


def test_a_changed_file_updates_only_what_changed(loaded, tmp_path):
    path = services.CATALOGUE_DIR / "work_safety_law_2021.yaml"
    data = _file_data(path)
    entry = data["items"][0]
    stage = entry["stages"][0]
    low, high = stage["unit"]
    stage["unit"] = [low, high + 1]
    entry["name"] = entry["name"] + "（改）"
    changed = tmp_path / path.name
    changed.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    events_before = Event.objects.count()
    result = services.catalogue_load(actor=None, files=[changed])
    assert (result.items_updated, result.stages_updated) == (1, 1)
    assert (result.items_created, result.laws_created, result.provisions_created) == (0, 0, 0)
    row = ItemStagePenalty.objects.get(item__code=entry["code"], stage=stage["stage"])
    assert row.unit_max == Decimal(high + 1)
    actions = list(Event.objects.filter(seq__gt=events_before)
                   .values_list("action", flat=True))
    assert sorted(actions) == ["item.stage_penalty_set", "item.updated"]


def test_only_an_administrator_or_the_system_may_load(db, make_user):
    with pytest.raises(PermissionDenied):
        services.catalogue_load(actor=make_user("officer"), files=FILES)
    assert not EnforcementItem.objects.exists()
    result = services.catalogue_load(actor=make_user("admin"), files=FILES[:1])
    assert result.items_created == len(_file_data(FILES[0])["items"])


def test_the_command_loads_all_files_by_default_and_one_with_file(jurisdictions, capsys):
    call_command("load_catalogue", "--file", str(FILES[0]))
    assert EnforcementItem.objects.count() == len(_file_data(FILES[0])["items"])
    call_command("load_catalogue")
    assert EnforcementItem.objects.count() == sum(len(_file_data(p)["items"]) for p in FILES)
    assert "共" in capsys.readouterr().out


def test_the_demo_loads_the_catalogue_and_the_indicator_counts_it(db, jurisdictions):
    from fazhi.core.demo import DemoContext

    ctx = DemoContext()
    legal_demo.load(ctx)
    year_end = datetime.date(2024, 12, 31)

    def in_force(entry: dict[str, Any]) -> bool:
        return entry["valid_from"] <= year_end and (
            entry.get("valid_to") is None or year_end <= entry["valid_to"])

    expected = sum(in_force(e) for p in FILES for e in _file_data(p)["items"])
    value = get_indicator("legal.items").evaluate(Period.for_year(2024),
                                                  jurisdictions["city"])
    assert value == expected
    assert ctx.events > 0
    legal_demo.load(ctx := DemoContext())  # idempotent: the second run creates nothing
    assert ctx.events == 0 and ctx.total_created == 0
