"""The Excel import: a good file goes in whole with its events; a file with bad rows
reports each (line, column, Chinese reason) and changes nothing; whole-file problems
are refused; the downloaded template round-trips."""

from __future__ import annotations

import io
import json

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import Workbook, load_workbook

from fazhi.core.models import Event, Role
from fazhi.core.services.events import verify_record
from fazhi.core.tests.factories import make_id_number, make_uscc
from fazhi.subjects import imports
from fazhi.subjects.imports import (
    HEADERS,
    ImportRejected,
    enterprise_import,
    enterprise_template,
)
from fazhi.subjects.models import Enterprise, ResponsiblePerson, RiskLevel, SupervisionCategory
from fazhi.subjects.rules.masking import mask_id_number

pytestmark = pytest.mark.django_db

HAZCHEM = str(SupervisionCategory.HAZCHEM_PRODUCTION.label)
TRADE = str(SupervisionCategory.INDUSTRY_TRADE.label)
GENERAL = str(RiskLevel.GENERAL.label)


def row(n: int, **kw) -> list:
    """A good row for enterprise number n, in template column order."""
    cells = {
        "单位名称": f"嘉兴导入测试有限公司{n}", "统一社会信用代码": make_uscc(5000 + n),
        "地址": f"南湖区导入路{n}号", "属地区划代码": "330402001", "国民经济行业代码": "C2614",
        "监管类别": HAZCHEM, "安全风险等级": GENERAL, "所在化工园区": "",
        "主要负责人": f"负责人{n}", "主要负责人身份证号": make_id_number(n),
        "联系电话": "0573-82000000",
    }
    cells.update(kw)
    return [cells[h] for h in HEADERS]


def workbook(rows: list[list], headers: list | tuple = HEADERS) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "生产经营单位"
    ws.append(list(headers))
    for values in rows:
        ws.append(values)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def upload(data: bytes, name: str = "企业.xlsx") -> io.BytesIO:
    f = io.BytesIO(data)
    f.name = name
    return f


@pytest.fixture
def officer(users):
    return users[Role.OFFICER]  # 南湖区


# --- a good file -------------------------------------------------------------------------

def test_good_file_creates_every_row_with_its_principal_and_event(officer, parks, jurisdictions):
    rows = [row(n) for n in range(1, 6)]
    rows[2][HEADERS.index("所在化工园区")] = parks["nanhu"].name
    rows[4][HEADERS.index("主要负责人")] = ""
    rows[4][HEADERS.index("主要负责人身份证号")] = ""
    before = Enterprise.objects.count()

    result = enterprise_import(actor=officer, file=upload(workbook(rows)))

    assert result.ok and result.created == 5 and result.rows == 5
    assert Enterprise.objects.count() == before + 5
    imported = Enterprise.objects.filter(name__startswith="嘉兴导入测试有限公司")
    assert {e.jurisdiction_path for e in imported} == {jurisdictions["nanhu_town"].path}
    assert imported.get(name="嘉兴导入测试有限公司3").park == parks["nanhu"]
    assert ResponsiblePerson.objects.filter(enterprise__in=imported).count() == 4
    events = Event.objects.filter(action="enterprise.created",
                                  object_id__in=[str(e.pk) for e in imported])
    assert events.count() == 5
    assert all(e.actor_id == officer.pk and e.payload["source"] == "import" for e in events)
    # The record keeps the principal masked, never whole.
    payloads = json.dumps([e.payload for e in events], ensure_ascii=False)
    assert make_id_number(1) not in payloads and mask_id_number(make_id_number(1)) in payloads
    assert verify_record() == []


def test_codes_and_labels_are_normalised(officer):
    data = workbook([row(1, 统一社会信用代码=make_uscc(5001).lower(), 国民经济行业代码="c2614",
                         监管类别=f" {TRADE} ")])
    assert enterprise_import(actor=officer, file=upload(data)).created == 1
    enterprise = Enterprise.objects.get(name="嘉兴导入测试有限公司1")
    assert enterprise.uscc == make_uscc(5001)
    assert enterprise.industry_code == "C2614"
    assert enterprise.supervision_category == SupervisionCategory.INDUSTRY_TRADE


# --- bad rows ------------------------------------------------------------------------------

def _errors(result) -> set[tuple[int, str]]:
    return {(e.line, e.column) for e in result.errors}


def test_every_bad_row_is_reported_and_nothing_changes(officer, make_enterprise, jurisdictions):
    existing = make_enterprise(jurisdictions["nanhu"])
    bad_uscc = make_uscc(5003)[:-1] + ("0" if make_uscc(5003)[-1] != "0" else "1")
    rows = [
        row(1),                                                   # line 2: good
        row(2, 单位名称=""),                                        # line 3
        row(3, 统一社会信用代码=bad_uscc),                           # line 4
        row(4, 属地区划代码="330411101"),                            # line 5: 秀洲区
        row(5, 属地区划代码="339999"),                               # line 6: no such code
        row(6, 监管类别="化工厂", 安全风险等级="很高"),                 # line 7: two errors
        row(7, 国民经济行业代码="2614"),                             # line 8
        row(8, 所在化工园区="不存在的园区"),                           # line 9
        row(9, 主要负责人身份证号=make_id_number(9)[:17]),           # line 10
        row(10, 统一社会信用代码=existing.uscc),                      # line 11: in database
        row(11, 主要负责人=""),                                      # line 12: ID without name
        row(12, 联系电话="电话号码"),                                 # line 13
    ]
    before = (Enterprise.objects.count(), ResponsiblePerson.objects.count(),
              Event.objects.count())

    result = enterprise_import(actor=officer, file=upload(workbook(rows)))

    assert not result.ok and result.created == 0
    assert _errors(result) == {
        (3, "单位名称"), (4, "统一社会信用代码"), (5, "属地区划代码"), (6, "属地区划代码"),
        (7, "监管类别"), (7, "安全风险等级"), (8, "国民经济行业代码"), (9, "所在化工园区"),
        (10, "主要负责人身份证号"), (11, "统一社会信用代码"), (12, "主要负责人"),
        (13, "联系电话"),
    }
    reasons = {(e.line, e.column): e.reason for e in result.errors}
    assert "必填" in reasons[(3, "单位名称")]
    assert "校验码" in reasons[(4, "统一社会信用代码")]
    assert "王江泾镇" in reasons[(5, "属地区划代码")] and "辖区" in reasons[(5, "属地区划代码")]
    assert "不存在" in reasons[(6, "属地区划代码")]
    assert "化工厂" in reasons[(7, "监管类别")]
    assert "18位" in reasons[(10, "主要负责人身份证号")]
    assert "已在系统中登记" in reasons[(11, "统一社会信用代码")]
    # Nothing was written: not even the good row on line 2.
    assert (Enterprise.objects.count(), ResponsiblePerson.objects.count(),
            Event.objects.count()) == before
    assert not Enterprise.objects.filter(name="嘉兴导入测试有限公司1").exists()


def test_duplicates_inside_the_file_point_at_the_first_line(officer):
    same = make_uscc(5100)
    rows = [row(1, 统一社会信用代码=same), row(2), row(3, 统一社会信用代码=same.lower())]
    result = enterprise_import(actor=officer, file=upload(workbook(rows)))
    assert [(e.line, e.column) for e in result.errors] == [(4, "统一社会信用代码")]
    assert "与第2行重复" in result.errors[0].reason
    assert not Enterprise.objects.filter(name__startswith="嘉兴导入测试").exists()


def test_ids_stored_by_excel_as_numbers_are_explained(officer):
    result = enterprise_import(actor=officer, file=upload(workbook(
        [row(1, 主要负责人身份证号=int(make_id_number(2)[:17] + "0"))])))
    assert [e.column for e in result.errors] == ["主要负责人身份证号"]
    assert "文本格式" in result.errors[0].reason


def test_blank_rows_are_skipped_and_line_numbers_stay_excel_lines(officer):
    rows = [row(1), [None] * len(HEADERS), row(2, 国民经济行业代码="X99")]
    result = enterprise_import(actor=officer, file=upload(workbook(rows)))
    assert [(e.line, e.column) for e in result.errors] == [(4, "国民经济行业代码")]
    assert result.rows == 2


# --- whole-file problems -------------------------------------------------------------------

def test_wrong_headers_are_refused(officer):
    headers = list(HEADERS)
    headers[1] = "信用代码"
    with pytest.raises(ImportRejected) as err:
        enterprise_import(actor=officer, file=upload(workbook([row(1)], headers=headers)))
    assert "第2列应为“统一社会信用代码”" in " ".join(err.value.messages)
    assert not Enterprise.objects.filter(name__startswith="嘉兴导入测试").exists()


def test_extra_column_is_refused(officer):
    with pytest.raises(ImportRejected, match="多余"):
        enterprise_import(actor=officer,
                          file=upload(workbook([row(1)], headers=[*HEADERS, "备注"])))


def test_headers_only_is_an_empty_file(officer):
    with pytest.raises(ImportRejected, match="没有数据行"):
        enterprise_import(actor=officer, file=upload(workbook([])))


def test_empty_workbook_is_refused(officer):
    buffer = io.BytesIO()
    Workbook().save(buffer)
    with pytest.raises(ImportRejected, match="空"):
        enterprise_import(actor=officer, file=upload(buffer.getvalue()))


@pytest.mark.parametrize("data, name, fragment", [
    (b"name,uscc\n", "企业.csv", ".xlsx"),
    (b"\xd0\xcf\x11\xe0 old excel", "企业.xls", ".xls"),
    (b"not a zip at all", "企业.xlsx", "不是有效的"),
    (b"", "企业.xlsx", "空"),
])
def test_non_xlsx_files_are_refused(officer, data, name, fragment):
    with pytest.raises(ImportRejected) as err:
        enterprise_import(actor=officer, file=upload(data, name))
    assert fragment in " ".join(err.value.messages)


def test_too_many_rows_are_refused(officer, monkeypatch):
    monkeypatch.setattr(imports, "MAX_ROWS", 3)
    with pytest.raises(ImportRejected, match="分批导入"):
        enterprise_import(actor=officer, file=upload(workbook([row(n) for n in range(1, 5)])))


@pytest.mark.parametrize("role", [Role.LEADER, Role.REVIEWER, Role.ENTERPRISE, Role.SUPERVISOR])
def test_only_officers_and_administrators_import(users, role):
    with pytest.raises(PermissionDenied):
        enterprise_import(actor=users[role], file=upload(workbook([row(1)])))


# --- the template --------------------------------------------------------------------------

def test_template_has_the_headers_an_example_and_dropdowns(parks):
    wb = load_workbook(io.BytesIO(enterprise_template(parks=[parks["nanhu"].name])))
    ws = wb["生产经营单位"]
    assert [c.value for c in ws[1]] == list(HEADERS)
    assert ws["A2"].value.startswith(imports.EXAMPLE_MARK)
    ranges = {str(dv.sqref).split(":")[0]: dv for dv in ws.data_validations.dataValidation}
    category_col = "F"  # 监管类别
    assert HEADERS.index("监管类别") == ord(category_col) - ord("A")
    assert {"F2", "G2", "H2"} <= set(ranges)
    options = wb["选项"]
    assert options.sheet_state == "hidden"
    listed = [c.value for c in options["A"][1:] if c.value]
    assert listed == [str(label) for label in SupervisionCategory.labels]
    assert parks["nanhu"].name in [c.value for c in options["C"] if c.value]


def test_template_round_trip(officer, parks):
    """Fill the downloaded template (keeping its example row) and import it."""
    wb = load_workbook(io.BytesIO(enterprise_template(parks=[parks["nanhu"].name])))
    ws = wb["生产经营单位"]
    for n in range(1, 4):
        ws.append(row(n, 所在化工园区=parks["nanhu"].name if n == 1 else ""))
    buffer = io.BytesIO()
    wb.save(buffer)

    result = enterprise_import(actor=officer, file=upload(buffer.getvalue()))

    assert result.ok, result.errors
    assert result.created == 3  # the example row is not imported
    assert not Enterprise.objects.filter(name__startswith=imports.EXAMPLE_MARK).exists()
    assert Enterprise.objects.get(name="嘉兴导入测试有限公司1").park == parks["nanhu"]


def test_template_example_row_is_itself_valid(officer):
    """The example shows a correct row: with the mark removed it imports."""
    wb = load_workbook(io.BytesIO(enterprise_template()))
    ws = wb["生产经营单位"]
    ws["A2"] = ws["A2"].value.removeprefix(imports.EXAMPLE_MARK)
    ws["D2"] = "330402001"
    buffer = io.BytesIO()
    wb.save(buffer)
    result = enterprise_import(actor=officer, file=upload(buffer.getvalue()))
    assert result.ok, result.errors
