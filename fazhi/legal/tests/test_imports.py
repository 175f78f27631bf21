"""The catalogue workbook (fazhi.legal.imports and its pages): the template opens with
its documentation and dropdowns, an export imported again changes nothing, an export
loads an empty database, one bad row among good ones writes nothing and is named by
sheet, line and column, a tier beyond the statute is refused, and only administrators
import. Figures are read from the database or the workbook, never typed in."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from fazhi.core.models import Event, Role
from fazhi.core.xlsx import XLSX
from fazhi.legal import imports, services
from fazhi.legal.models import (
    BenchmarkTierRow,
    DiscretionBenchmark,
    EnforcementItem,
    ItemStagePenalty,
    Law,
    Provision,
    Stage,
    TierLevel,
)
from fazhi.legal.rules.discretion import BenchmarkTier, FineRange

MODELS = (Law, Provision, EnforcementItem, ItemStagePenalty, DiscretionBenchmark,
          BenchmarkTierRow, Event)
PLACEHOLDER = "（测试用条文，非法律原文）"


def _row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def _fined_stage() -> ItemStagePenalty:
    """A first-finding stage fining the unit over a real range."""
    for row in ItemStagePenalty.objects.filter(stage=Stage.FIRST, unit_min__isnull=False) \
            .select_related("item", "provision").order_by("item__code"):
        if row.unit_min < row.unit_max:
            return row
    raise AssertionError("no fined stage in the catalogue")


def _split(row: ItemStagePenalty) -> list[BenchmarkTier]:
    middle = ((row.unit_min + row.unit_max) / 2).quantize(Decimal("0.01"))
    return [BenchmarkTier("minor", fine_unit=FineRange(row.unit_min, middle),
                          circumstances="初次违法"),
            BenchmarkTier("general", fine_unit=FineRange(middle, row.unit_max),
                          circumstances="其他情形\n（第二行）")]


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMIN)


@pytest.fixture
def catalogue(jurisdictions, admin) -> ItemStagePenalty:
    """Every shipped file, a provision text, a national and a 嘉兴市 benchmark."""
    services.catalogue_load(actor=None, files=services.catalogue_files())
    row = _fined_stage()
    services.provision_update(actor=admin, provision=row.provision, text=PLACEHOLDER)
    services.benchmark_save(actor=admin, item=row.item, stage=row.stage, tiers=_split(row),
                            name="测试全国基准", version="2022",
                            valid_from=datetime.date(2022, 1, 1))
    services.benchmark_save(actor=admin, item=row.item, stage=row.stage, tiers=_split(row),
                            name="测试嘉兴基准", version="2023", is_local=True,
                            jurisdiction=jurisdictions["city"], source_document="测试文件",
                            valid_from=datetime.date(2023, 1, 1))
    return row


def _book(data: bytes):
    return load_workbook(io.BytesIO(data))


def _save(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _rows(ws) -> list[dict[str, Any]]:
    """Data rows as {header: cell} (the cell, to edit it), with "_line"."""
    headers = [c.value for c in ws[1]]
    return [{"_line": cells[0].row, **dict(zip(headers, cells, strict=False))}
            for cells in ws.iter_rows(min_row=2) if any(c.value is not None for c in cells)]


def _edited(data: bytes, edit: Callable[[Any], None]) -> bytes:
    wb = _book(data)
    edit(wb)
    return _save(wb)


def _tier_row(wb, row: ItemStagePenalty, version: str, top: bool = False) -> dict[str, Any]:
    """The first (or, `top`, the last) tier row of that stage's benchmark version."""
    stage_label = str(Stage(row.stage).label)
    found = [r for r in _rows(wb[imports.TIERS.title])
             if r["事项编码"].value == row.item.code and r["阶段"].value == stage_label
             and str(r["基准版本"].value) == version]
    return found[-1] if top else found[0]


# --- template ----------------------------------------------------------------------------------

def test_the_template_opens_with_documentation_headers_and_dropdowns(jurisdictions):
    wb = _book(imports.catalogue_template())
    assert wb.sheetnames[0] == imports.DOC_SHEET
    assert [s.title for s in imports.SHEETS] == [n for n in wb.sheetnames
                                                 if n in {s.title for s in imports.SHEETS}]
    documentation = "\n".join(str(c.value) for row in wb[imports.DOC_SHEET].iter_rows()
                              for c in row if c.value is not None)
    for sheet in imports.SHEETS:
        ws = wb[sheet.title]
        assert [c.value for c in ws[1]] == sheet.headers
        assert ws.max_row == 1  # empty
        assert f"「{sheet.title}」" in documentation
        for column in sheet.columns:
            assert column.header in documentation
        dropdowns = {str(dv.sqref).split(":")[0].rstrip("0123456789")
                     for dv in ws.data_validations.dataValidation}
        for index, column in enumerate(sheet.columns, start=1):
            if column.options:
                assert ws.cell(row=1, column=index).column_letter in dropdowns, column.header
    for code in imports.MEASURE_CODES:
        assert code in documentation
    assert jurisdictions["city"].code in documentation  # the codes allowed, from the DB
    assert wb[imports.OPTIONS_SHEET].sheet_state == "hidden"


def test_chinese_article_numbers_read_back_as_written():
    from fazhi.legal.models import chinese_number

    for n in range(1, 10000):
        assert imports.chinese_to_int(chinese_number(n)) == n


# --- export and round trip ----------------------------------------------------------------------

def test_the_export_holds_the_whole_catalogue(catalogue):
    wb = _book(imports.catalogue_export())
    assert len(_rows(wb[imports.LAWS.title])) == Law.objects.count()
    assert len(_rows(wb[imports.PROVISIONS.title])) == Provision.objects.count()
    assert len(_rows(wb[imports.ITEMS.title])) == EnforcementItem.objects.count()
    assert len(_rows(wb[imports.STAGES.title])) == ItemStagePenalty.objects.count()
    assert len(_rows(wb[imports.BENCHMARKS.title])) == DiscretionBenchmark.objects.count()
    assert len(_rows(wb[imports.TIERS.title])) == BenchmarkTierRow.objects.count()
    local = DiscretionBenchmark.objects.get(jurisdiction__isnull=False)
    stored = [(t.unit_min, t.unit_max) for t in local.tiers.order_by("id")]
    exported = [(Decimal(str(r["单位罚款下限（元）"].value)),
                 Decimal(str(r["单位罚款上限（元）"].value)))
                for r in _rows(wb[imports.TIERS.title])
                if str(r["适用区域代码"].value) == local.jurisdiction.code]
    assert exported == stored
    assert any(r["条文"].value == PLACEHOLDER for r in _rows(wb[imports.PROVISIONS.title]))


def test_importing_an_export_changes_nothing(catalogue, admin):
    before = _row_counts()
    result = imports.catalogue_import(actor=admin, file=imports.catalogue_export())
    assert not result.changed and result.load.events == 0
    assert result.rows[imports.ITEMS.title] == EnforcementItem.objects.count()
    assert _row_counts() == before


def test_an_export_loads_an_empty_database(catalogue, admin):
    data = imports.catalogue_export()
    expected = {m.__name__: m.objects.count() for m in MODELS if m is not Event}
    local_tiers = sorted((t.tier, t.unit_min, t.unit_max, t.circumstances)
                         for t in BenchmarkTierRow.objects.filter(
                             benchmark__jurisdiction__isnull=False))
    DiscretionBenchmark.objects.all().delete()
    EnforcementItem.objects.all().delete()
    Provision.objects.all().delete()
    Law.objects.all().delete()
    result = imports.catalogue_import(actor=admin, file=data)
    assert {m.__name__: m.objects.count() for m in MODELS if m is not Event} == expected
    assert result.load.benchmarks_created == expected["DiscretionBenchmark"]
    assert sorted((t.tier, t.unit_min, t.unit_max, t.circumstances)
                  for t in BenchmarkTierRow.objects.filter(
                      benchmark__jurisdiction__isnull=False)) == local_tiers
    assert Provision.objects.filter(text=PLACEHOLDER).count() == 1
    # And imported again: nothing more.
    again = imports.catalogue_import(actor=admin, file=data)
    assert not again.changed


def test_an_edited_export_updates_what_changed(catalogue, admin):
    def edit(wb):
        _tier_row(wb, catalogue, "2023")["适用情形"].value = "改过的情形"
        for r in _rows(wb[imports.PROVISIONS.title]):
            if r["条文"].value == PLACEHOLDER:
                r["条文"].value = PLACEHOLDER + "（改）"

    result = imports.catalogue_import(actor=admin,
                                      file=_edited(imports.catalogue_export(), edit))
    assert (result.load.benchmarks_updated, result.load.provisions_updated) == (1, 1)
    assert Provision.objects.filter(text=PLACEHOLDER + "（改）").exists()
    local = DiscretionBenchmark.objects.get(jurisdiction__isnull=False)
    assert "改过的情形" in [t.circumstances for t in local.tiers.all()]
    assert Event.objects.filter(action="benchmark.updated", actor=admin).count() == 1


# --- refused -------------------------------------------------------------------------------------

def test_one_bad_row_among_good_rows_writes_nothing_and_is_named(catalogue, admin):
    bad_line = {}

    def edit(wb):
        rows = _rows(wb[imports.STAGES.title])
        target = rows[len(rows) // 2]
        target["单位罚款上限（元）"].value = "十万"
        target["单位罚款下限（元）"].value = 0
        bad_line["line"] = target["_line"]
        # A good change elsewhere, which must not be written either.
        for r in _rows(wb[imports.PROVISIONS.title]):
            if r["条文"].value == PLACEHOLDER:
                r["条文"].value = "不应写入"

    before = _row_counts()
    with pytest.raises(ValidationError) as caught:
        imports.catalogue_import(actor=admin, file=_edited(imports.catalogue_export(), edit))
    messages = caught.value.messages
    expected = f"工作表「阶段处罚」第{bad_line['line']}行「单位罚款上限（元）」："
    assert len(messages) == 1 and messages[0].startswith(expected), messages
    assert _row_counts() == before
    assert not Provision.objects.filter(text="不应写入").exists()


def test_every_bad_row_is_listed(catalogue, admin):
    def edit(wb):
        items = _rows(wb[imports.ITEMS.title])
        items[0]["有效期起"].value = "明年"
        items[1]["事项类型"].value = "行政罚款"
        tiers = _rows(wb[imports.TIERS.title])
        tiers[0]["裁量阶次"].value = "特别轻微"

    with pytest.raises(ValidationError) as caught:
        imports.catalogue_import(actor=admin, file=_edited(imports.catalogue_export(), edit))
    messages = caught.value.messages
    assert len(messages) == 3, messages
    assert messages[0].startswith("工作表「执法事项」第2行「有效期起」：")
    assert messages[1].startswith("工作表「执法事项」第3行「事项类型」：")
    assert messages[2].startswith("工作表「裁量阶次」第2行「裁量阶次」：")


def test_a_tier_beyond_the_statute_is_refused(catalogue, admin):
    line = {}

    def edit(wb):
        row = _tier_row(wb, catalogue, "2023", top=True)  # its maximum is the statute's
        row["单位罚款上限（元）"].value = int(catalogue.unit_max) + 1
        line["n"] = row["_line"]

    before = _row_counts()
    with pytest.raises(ValidationError) as caught:
        imports.catalogue_import(actor=admin, file=_edited(imports.catalogue_export(), edit))
    messages = caught.value.messages
    assert len(messages) == 1, messages
    assert messages[0].startswith(f"工作表「裁量阶次」第{line['n']}行「单位罚款")
    assert "超出法定幅度" in messages[0]
    assert _row_counts() == before


def test_a_tier_naming_no_benchmark_is_refused(catalogue, admin):
    def edit(wb):
        _tier_row(wb, catalogue, "2023")["基准版本"].value = "1999"

    with pytest.raises(ValidationError) as caught:
        imports.catalogue_import(actor=admin, file=_edited(imports.catalogue_export(), edit))
    assert any("「裁量阶次」" in m and "1999" in m for m in caught.value.messages)


@pytest.mark.parametrize("role", [Role.OFFICER, Role.REVIEWER, Role.LEADER])
def test_only_an_administrator_imports(catalogue, make_user, role):
    data = _edited(imports.catalogue_export(), lambda wb: _tier_row(
        wb, catalogue, "2023")["适用情形"].__setattr__("value", "改"))
    before = _row_counts()
    with pytest.raises(PermissionDenied):
        imports.catalogue_import(actor=make_user(role), file=data)
    assert _row_counts() == before


def test_a_file_that_is_not_the_template_is_refused(jurisdictions, admin):
    with pytest.raises(imports.ImportRejected):
        imports.catalogue_import(actor=admin, file=b"not a workbook")

    def drop(wb):
        del wb[imports.TIERS.title]

    with pytest.raises(imports.ImportRejected) as caught:
        imports.catalogue_import(actor=admin, file=_edited(imports.catalogue_template(), drop))
    assert "裁量阶次" in caught.value.messages[0]
    with pytest.raises(imports.ImportRejected):  # headers only: nothing to import
        imports.catalogue_import(actor=admin, file=imports.catalogue_template())


def test_the_template_filled_by_hand_loads(jurisdictions, admin):
    """A user's own workbook: a law, a provision, an item with its stage, a benchmark
    with one tier, written with Chinese labels as the dropdowns offer them."""
    def fill(wb):
        wb[imports.LAWS.title].append(["测试条例", "测试条例", "地方性法规", "测试人大常委会", "",
                                       "2024", "2024-01-01", "2024-03-01", None])
        wb[imports.PROVISIONS.title].append(["测试条例", "2024", 10, None, None, PLACEHOLDER])
        wb[imports.ITEMS.title].append([
            "TST2024-010-00", "测试违法行为", "行政处罚", "测试条例", "2024",
            "测试条例（2024）第十条", "测试条例（2024）第10条", "是", "否", "否", "否",
            "2024-03-01", None])
        wb[imports.STAGES.title].append([
            "TST2024-010-00", "首次发现", "测试条例（2024）第十条", 1000, 10000, None, None,
            None, None, None, None, None, "罚款、order_correct_within_deadline", "是", None])
        wb[imports.BENCHMARKS.title].append([
            "TST2024-010-00", "首次发现", "330400", "2024", "测试基准", "测试文件",
            "2024-03-01", None, "是"])
        wb[imports.TIERS.title].append([
            "TST2024-010-00", "首次发现", "330400", "2024", "一般", "情形", 1000, 5000.5,
            None, None, "order_correct_within_deadline"])

    result = imports.catalogue_import(actor=admin,
                                      file=_edited(imports.catalogue_template(), fill))
    assert (result.load.laws_created, result.load.items_created,
            result.load.benchmarks_created) == (1, 1, 1)
    stage = ItemStagePenalty.objects.get(item__code="TST2024-010-00")
    assert stage.measures == ["fine", "order_correct_within_deadline"]
    assert stage.provision.text == PLACEHOLDER
    tier = BenchmarkTierRow.objects.get()
    assert (tier.tier, tier.unit_max) == (TierLevel.GENERAL, Decimal("5000.50"))


# --- pages -----------------------------------------------------------------------------------

def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_staff_download_the_export_and_the_template(catalogue, make_user):
    client = _client(make_user(Role.OFFICER))
    for name in ("legal:catalogue_export", "legal:catalogue_template"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert response["Content-Type"] == XLSX
        assert "attachment" in response["Content-Disposition"]
        assert imports.DOC_SHEET in _book(response.content).sheetnames
    enterprise = _client(make_user(Role.ENTERPRISE))
    assert enterprise.get(reverse("legal:catalogue_export")).status_code == 403


def test_the_import_page_is_for_administrators(catalogue, admin, make_user):
    assert _client(admin).get(reverse("legal:catalogue_import")).status_code == 200
    officer = _client(make_user(Role.OFFICER))
    assert officer.get(reverse("legal:catalogue_import")).status_code == 403
    upload = io.BytesIO(imports.catalogue_export())
    upload.name = "目录.xlsx"
    assert officer.post(reverse("legal:catalogue_import"),
                        {"file": upload}).status_code == 403


def test_the_import_page_lists_every_bad_row_or_the_counts(catalogue, admin):
    client = _client(admin)

    def edit(wb):
        items = _rows(wb[imports.ITEMS.title])
        items[0]["有效期起"].value = "明年"
        items[1]["有效期起"].value = "后年"

    bad = io.BytesIO(_edited(imports.catalogue_export(), edit))
    bad.name = "目录.xlsx"
    response = client.post(reverse("legal:catalogue_import"), {"file": bad})
    assert response.status_code == 422
    html = response.content.decode()
    assert html.count('data-testid="import-error"') == 2
    assert "工作表「执法事项」第2行「有效期起」" in html

    def more(wb):
        _tier_row(wb, catalogue, "2023")["适用情形"].value = "改过的情形"

    good = io.BytesIO(_edited(imports.catalogue_export(), more))
    good.name = "目录.xlsx"
    response = client.post(reverse("legal:catalogue_import"), {"file": good})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="import-success"' in html
    assert 'data-testid="benchmarks-updated">1<' in html
