"""The optional `provisions:` and `benchmarks:` parts of a catalogue file, loaded by
`services.catalogue_load`: texts set and provisions created, benchmarks created or
replaced with their tiers under the rules of `benchmark_save`, a second load changing
nothing and recording nothing, and a bad entry refusing the whole load in Chinese (file
and item named, nothing written). Ranges are taken from the shipped 安全生产法 file."""

from __future__ import annotations

import copy
import datetime
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.exceptions import ValidationError
from django.core.management import call_command

from fazhi.core.models import Event
from fazhi.legal import services
from fazhi.legal.models import (
    BenchmarkTierRow,
    DiscretionBenchmark,
    EnforcementItem,
    ItemStagePenalty,
    Law,
    Provision,
    Stage,
)

WSL_FILE = services.CATALOGUE_DIR / "work_safety_law_2021.yaml"
REPO = Path(__file__).resolve().parents[3]
MODELS = (Law, Provision, EnforcementItem, ItemStagePenalty, DiscretionBenchmark,
          BenchmarkTierRow, Event)
PLACEHOLDER = "（测试用条文，非法律原文）"


def _row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def _wsl() -> dict[str, Any]:
    return yaml.safe_load(WSL_FILE.read_text(encoding="utf-8"))


def _fined_item(data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The first item whose first-finding stage fines the unit over a real range."""
    for entry in data["items"]:
        for stage in entry["stages"]:
            if stage["stage"] == Stage.FIRST and "unit" in stage \
                    and stage["unit"][0] < stage["unit"][1]:
                return entry, stage
    raise AssertionError("no fined item in the 安全生产法 file")


def _document(**extra: Any) -> dict[str, Any]:
    """The 安全生产法 law with its first fined item only, plus `extra` parts."""
    data = _wsl()
    entry, _stage = _fined_item(data)
    return {"law": data["law"], "items": [entry], **extra}


def _tiers(stage: dict[str, Any], top: Decimal | None = None) -> list[dict[str, Any]]:
    """Two tiers splitting the stage's unit range (the second reaching `top`, default the
    statutory maximum)."""
    low, high = Decimal(stage["unit"][0]), Decimal(stage["unit"][1])
    middle = ((low + high) / 2).quantize(Decimal("0.01"))
    return [{"tier": "minor", "circumstances": "初次违法且及时改正", "unit": [str(low),
                                                                     str(middle)]},
            {"tier": "general", "circumstances": "其他情形",
             "unit": [str(middle), str(top if top is not None else high)]}]


def _benchmark(entry: dict[str, Any], stage: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {"item": entry["code"], "stage": stage["stage"], "jurisdiction": "330400",
            "name": "测试裁量基准", "source_document": "测试文件", "version": "2023",
            "valid_from": datetime.date(2023, 1, 1), "tiers": _tiers(stage), **fields}


def _write(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")
    return path


def _load(*paths: Path) -> services.CatalogueLoadResult:
    return services.catalogue_load(actor=None, files=list(paths))


# --- provisions -----------------------------------------------------------------------------

def test_provision_texts_are_set_missing_provisions_created_and_a_reload_changes_nothing(
        db, tmp_path):
    data = _wsl()
    stage = _fined_item(data)[1]
    cited = stage["provision"]
    uncited = max(c["article"] for e in data["items"] for c in e["penalty"]) + 1
    path = _write(tmp_path / "wsl.yaml", _document(provisions=[
        {k: v for k, v in cited.items() if k in ("article", "paragraph", "item")}
        | {"text": PLACEHOLDER},
        {"article": uncited, "text": PLACEHOLDER + "2"},
    ]))
    result = _load(path)
    law = Law.objects.get(name=data["law"]["name"], version=data["law"]["version"])
    got = Provision.objects.get(law=law, article=cited["article"],
                                paragraph=cited.get("paragraph"), item=cited.get("item"))
    assert got.text == PLACEHOLDER
    assert Provision.objects.get(law=law, article=uncited, paragraph=None).text == \
        PLACEHOLDER + "2"
    assert result.provisions_created == Provision.objects.count()
    created = Event.objects.filter(action="provision.created", payload__text=PLACEHOLDER)
    assert created.count() == 1

    before = _row_counts()
    again = _load(path)
    assert not again.changed and again.events == 0
    assert _row_counts() == before


def test_a_changed_text_is_updated_and_recorded(db, tmp_path):
    stage = _fined_item(_wsl())[1]
    number = {k: v for k, v in stage["provision"].items()
              if k in ("article", "paragraph", "item")}
    _load(_write(tmp_path / "wsl.yaml", _document(provisions=[number | {"text": "旧"}])))
    result = _load(_write(tmp_path / "wsl.yaml",
                          _document(provisions=[number | {"text": "新"}])))
    assert (result.provisions_updated, result.provisions_created, result.events) == (1, 0, 1)
    event = Event.objects.get(action="provision.updated")
    assert event.payload["changes"]["text"] == {"from": "旧", "to": "新"}
    assert Provision.objects.get(pk=event.object_id).text == "新"


# --- benchmarks -------------------------------------------------------------------------------

def test_benchmarks_are_created_with_their_tiers_and_a_reload_changes_nothing(
        jurisdictions, tmp_path):
    data = _wsl()
    entry, stage = _fined_item(data)
    national = _benchmark(entry, stage, jurisdiction=None, version="2022",
                          valid_from=datetime.date(2022, 1, 1))
    local = _benchmark(entry, stage, is_local=True, valid_to=datetime.date(2025, 12, 31))
    path = _write(tmp_path / "wsl.yaml", _document(benchmarks=[national, local]))
    result = _load(path)
    assert (result.benchmarks_created, result.benchmarks_in_files) == (2, 2)
    saved = DiscretionBenchmark.objects.get(item__code=entry["code"],
                                            jurisdiction=jurisdictions["city"])
    assert (saved.version, saved.is_local, saved.valid_to) == ("2023", True,
                                                               datetime.date(2025, 12, 31))
    tiers = list(saved.tiers.order_by("id"))
    assert [t.tier for t in tiers] == [t["tier"] for t in local["tiers"]]
    assert [(t.unit_min, t.unit_max) for t in tiers] == [
        (Decimal(t["unit"][0]), Decimal(t["unit"][1])) for t in local["tiers"]]
    assert DiscretionBenchmark.objects.get(jurisdiction=None).version == "2022"
    assert Event.objects.filter(action="benchmark.created").count() == 2

    before = _row_counts()
    again = _load(path)
    assert not again.changed and again.events == 0
    assert _row_counts() == before


def test_a_changed_benchmark_replaces_its_tiers_and_is_recorded(jurisdictions, tmp_path):
    entry, stage = _fined_item(_wsl())
    _load(_write(tmp_path / "wsl.yaml", _document(benchmarks=[_benchmark(entry, stage)])))
    changed = _benchmark(entry, stage, name="测试裁量基准（修订）")
    changed["tiers"] = changed["tiers"][:1]
    result = _load(_write(tmp_path / "wsl.yaml", _document(benchmarks=[changed])))
    assert (result.benchmarks_updated, result.benchmarks_created) == (1, 0)
    saved = DiscretionBenchmark.objects.get()
    assert saved.name == "测试裁量基准（修订）"
    assert [t.tier for t in saved.tiers.all()] == ["minor"]
    event = Event.objects.get(action="benchmark.updated")
    assert len(event.payload["old_tiers"]) == 2 and len(event.payload["tiers"]) == 1


def test_a_file_of_benchmarks_alone_names_items_already_loaded(jurisdictions, tmp_path):
    entry, stage = _fined_item(_wsl())
    _load(WSL_FILE)
    result = _load(_write(tmp_path / "jx.yaml", {"benchmarks": [_benchmark(entry, stage)]}))
    assert result.benchmarks_created == 1 and result.items_in_files == 0


def _bad(kind: str, entry: dict[str, Any], stage: dict[str, Any],
         data: dict[str, Any]) -> tuple[dict[str, Any], str, str]:
    """A benchmark with one fault, the item code its message must name, and a Chinese
    phrase of the reason."""
    benchmark = _benchmark(entry, stage)
    if kind == "unknown item":
        benchmark["item"] = "NOPE2021-999-01"
        return benchmark, "NOPE2021-999-01", "不存在"
    if kind == "stage the item does not have":
        missing = next(s for s in Stage.values
                       if s not in {x["stage"] for x in entry["stages"]})
        benchmark["stage"] = missing
        return benchmark, entry["code"], "未设定"
    if kind == "unknown jurisdiction":
        benchmark["jurisdiction"] = "999999"
        return benchmark, entry["code"], "999999"
    if kind == "tier beyond the statute":
        benchmark["tiers"] = _tiers(stage, top=Decimal(stage["unit"][1]) + 1)
        return benchmark, entry["code"], "超出法定幅度"
    if kind == "tier twice":
        benchmark["tiers"] = [benchmark["tiers"][0], copy.deepcopy(benchmark["tiers"][0])]
        return benchmark, entry["code"], "重复"
    raise AssertionError(kind)


@pytest.mark.parametrize("kind", ["unknown item", "stage the item does not have",
                                  "unknown jurisdiction", "tier beyond the statute",
                                  "tier twice"])
def test_a_bad_benchmark_refuses_the_whole_load_in_chinese(jurisdictions, tmp_path, kind):
    data = _wsl()
    entry, stage = _fined_item(data)
    benchmark, code, phrase = _bad(kind, entry, stage, data)
    path = _write(tmp_path / "bad.yaml", _document(
        provisions=[{"article": 1, "text": PLACEHOLDER}], benchmarks=[benchmark]))
    before = _row_counts()
    with pytest.raises(ValidationError) as caught:
        _load(path)
    messages = [m for m in caught.value.messages if code in m]
    assert messages, caught.value.messages
    assert "bad.yaml" in messages[0] and phrase in messages[0]
    assert _row_counts() == before  # the law, item and provision were not written either


def test_overlapping_validity_is_refused_as_benchmark_save_refuses_it(jurisdictions,
                                                                     tmp_path):
    entry, stage = _fined_item(_wsl())
    first = _benchmark(entry, stage)
    second = _benchmark(entry, stage, version="2024", valid_from=datetime.date(2024, 1, 1))
    before = _row_counts()
    with pytest.raises(ValidationError) as caught:
        _load(_write(tmp_path / "two.yaml", _document(benchmarks=[first, second])))
    assert any("two.yaml" in m and entry["code"] in m and "有效期重叠" in m
               for m in caught.value.messages), caught.value.messages
    assert _row_counts() == before


def test_a_narrowed_statute_needs_its_benchmarks_replaced_in_the_same_load(jurisdictions,
                                                                          tmp_path):
    data = _wsl()
    entry, stage = _fined_item(data)
    _load(_write(tmp_path / "wsl.yaml", _document(benchmarks=[_benchmark(entry, stage)])))
    low, high = Decimal(stage["unit"][0]), Decimal(stage["unit"][1])
    narrowed = copy.deepcopy(entry)
    narrowed_stage = next(s for s in narrowed["stages"] if s["stage"] == stage["stage"])
    narrowed_stage["unit"] = [int(low), int(high) - 1]
    document = {"law": data["law"], "items": [narrowed]}
    # The stored benchmark reaches the old maximum: the narrower statute is refused.
    with pytest.raises(ValidationError) as caught:
        _load(_write(tmp_path / "wsl.yaml", document))
    assert any(entry["code"] in m and "超出法定幅度" in m for m in caught.value.messages)
    assert ItemStagePenalty.objects.get(item__code=entry["code"],
                                        stage=stage["stage"]).unit_max == high
    # Replaced in the same load by a benchmark inside the new range: accepted.
    replaced = _benchmark(entry, stage)
    replaced["tiers"] = _tiers(narrowed_stage)
    result = _load(_write(tmp_path / "wsl.yaml", document | {"benchmarks": [replaced]}))
    assert (result.stages_updated, result.benchmarks_updated) == (1, 1)
    assert max(t.unit_max for t in BenchmarkTierRow.objects.all()) == high - 1


def test_the_command_summary_counts_benchmarks(jurisdictions, tmp_path, capsys):
    entry, stage = _fined_item(_wsl())
    path = _write(tmp_path / "wsl.yaml", _document(benchmarks=[_benchmark(entry, stage)]))
    call_command("load_catalogue", "--file", str(path))
    out = capsys.readouterr().out
    assert "新建裁量基准1个" in out and "裁量基准1个" in out


def test_check_catalogue_script_knows_the_jurisdiction_tree(tmp_path):
    """scripts/check_catalogue.py creates the demo jurisdictions first, so a benchmark
    naming 嘉兴市 (330400) validates; one naming an unknown code is reported."""
    entry, stage = _fined_item(_wsl())
    good = _write(tmp_path / "jx.yaml", {"benchmarks": [_benchmark(entry, stage)]})
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    run = subprocess.run([sys.executable, "scripts/check_catalogue.py", str(good)], cwd=REPO,
                         env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 benchmarks" in run.stdout
    bad = _write(tmp_path / "bad.yaml", {"benchmarks": [
        _benchmark(entry, stage, jurisdiction="999999")]})
    run = subprocess.run([sys.executable, "scripts/check_catalogue.py", str(bad)], cwd=REPO,
                         env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 1 and "999999" in run.stdout
