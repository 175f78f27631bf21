"""Excel import and export of the enforcement-item catalogue and the discretion
benchmarks (执法事项目录与自由裁量基准): one documented template.

Sheets: 说明 (what each sheet and column means, the codes allowed), 法律法规, 条款 (with
the text), 执法事项, 阶段处罚, 裁量基准, 裁量阶次, and a hidden 选项 sheet feeding the
dropdowns. They hold the data of the catalogue files (the header of
data/catalogue/work_safety_law_2021.yaml), one part a sheet:

- `catalogue_template()`: the empty template (headers, dropdowns, documentation);
- `catalogue_export()`: the whole catalogue in that template;
- `catalogue_import(actor=, file=)`: administrators only. The rows become catalogue
  documents and go through the same loader as the YAML files
  (`services.catalogue_load_documents`): same checks, same writes, same events. All or
  nothing: any bad row → ValidationError listing every problem as
  “工作表「X」第N行「列」：原因”, nothing written. Rows are matched on their natural keys
  and created or updated; nothing is deleted. Importing an export changes nothing.

Money columns are yuan numbers, read as Decimal through `core.rules.money.parse_yuan`
(a cell holding a float is turned into its decimal string first, never computed with).
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from fazhi.core.models import Jurisdiction, User
from fazhi.core.rules.money import parse_yuan
from fazhi.core.xlsx import ImportRejected, cell_text, read_xlsx_upload
from fazhi.legal import services
from fazhi.legal.models import (
    DiscretionBenchmark,
    EnforcementItem,
    Law,
    Provision,
    Stage,
    TierLevel,
)
from fazhi.legal.rules.discretion import MEASURE_CODES

MAX_ROWS = 20_000  # per sheet

DOC_SHEET = "说明"
OPTIONS_SHEET = "选项"
YES, NO = "是", "否"
# Chinese names of the measure codes (as the admin shows them).
MEASURE_NAMES = {
    "warning": "警告", "fine": "罚款", "confiscate_gains": "没收违法所得",
    "confiscate_property": "没收非法财物", "order_correct_within_deadline": "责令限期改正",
    "suspend_business": "责令停产停业（整顿）", "revoke_permit": "暂扣或者吊销许可证件",
    "close": "责令关闭", "restrict_practice": "限制从业",
}
assert set(MEASURE_NAMES) == MEASURE_CODES


# --- the template's sheets and columns ----------------------------------------------------

@dataclass(frozen=True)
class Column:
    header: str
    key: str
    kind: str = "text"  # text | int | date | yuan | multiple | bool | choice | citations |
    #                     citation | measures
    required: bool = False
    width: int = 16
    doc: str = ""
    options: str = ""  # the name of a dropdown list (choice and bool columns)


@dataclass(frozen=True)
class Sheet:
    title: str
    doc: str
    columns: tuple[Column, ...]
    # document key (as in the YAML format) → column key, to point a loader problem at
    # its cell; a key not listed points at the first column.
    fields: Mapping[str, str] = field(default_factory=dict)

    def header(self, key: str | None) -> str:
        """The header of the column a loader problem on document key `key` is about."""
        return self.column_header(self.fields.get(key or "", key))

    def column_header(self, column_key: str | None) -> str:
        for column in self.columns:
            if column.key == column_key:
                return column.header
        return self.columns[0].header

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]


_CITATION_DOC = ("条款引用：法律简称（版本）第N条[第N款][第N项]，数字可用阿拉伯数字或汉字，如"
                 "“安全生产法（2021）第九十七条第（三）项”或“安全生产法（2021）第97条第3项”；"
                 "法律须在“法律法规”表中或系统中已有；多个引用用“；”或换行分隔")
_MEASURES_DOC = "处罚种类代码或名称，多个用“、”或逗号分隔（见下方代码表）"

LAWS = Sheet("法律法规", "每行一部法律法规的一个版本（名称+版本唯一）；已有的按名称+版本更新。", (
    Column("名称", "name", required=True, width=36, doc="全称，如 中华人民共和国安全生产法"),
    Column("简称", "short_name", width=20,
           doc="如 安全生产法；条款引用、事项的“所属法律”用简称（无简称用名称）"),
    Column("效力层级", "level", "choice", required=True, options="level"),
    Column("制定机关", "issuer", width=24),
    Column("文号", "document_number", width=20, doc="如 主席令第八十八号"),
    Column("版本", "version", required=True, width=10, doc="修订或公布年份，如 2021（按文本填写）"),
    Column("公布日期", "promulgated", "date", width=12, doc="YYYY-MM-DD"),
    Column("施行日期", "effective", "date", required=True, width=12, doc="YYYY-MM-DD"),
    Column("失效日期", "repealed", "date", width=12, doc="不再适用的第一天；现行有效的留空"),
))
PROVISIONS = Sheet("条款", "条款的条文。每行一条（款、项），按法律+版本+条款项匹配；没有的新建，"
                   "条文与系统中不同的更新；条文留空则只确保该条款存在。", (
    Column("法律", "law", required=True, width=20, doc="“法律法规”表或系统中法律的简称（或名称）"),
    Column("版本", "version", required=True, width=10),
    Column("条", "article", "int", required=True, width=6, doc="阿拉伯数字，如 97"),
    Column("款", "paragraph", "int", width=6, doc="不分款的留空"),
    Column("项", "item", "int", width=6, doc="不分项的留空"),
    Column("条文", "text", width=80, doc="该条（款、项）的原文"),
), {"article": "article", "paragraph": "paragraph", "item": "item", "text": "text"})
ITEMS = Sheet("执法事项", "每行一个执法事项，按事项编码匹配；其法定处罚在“阶段处罚”表。", (
    Column("事项编码", "code", required=True, width=18, doc="如 WSL2021-097-01，全表唯一"),
    Column("事项名称", "name", required=True, width=40),
    Column("事项类型", "kind", "choice", required=True, width=12, options="kind"),
    Column("所属法律", "law", width=20, doc="事项所依据法律的简称；留空取第一个处罚依据的法律"),
    Column("所属版本", "law_version", width=10),
    Column("违法依据", "violated", "citations", width=36, doc=_CITATION_DOC),
    Column("处罚依据", "penalty", "citations", required=True, width=36, doc=_CITATION_DOC),
    Column("可处罚单位", "party_unit", "bool", width=10, options="bool", doc="是/否，留空为否"),
    Column("可处罚主要负责人", "party_principal", "bool", width=10, options="bool",
           doc="含个人经营的投资人；是/否"),
    Column("可处罚责任人员", "party_responsible", "bool", width=10, options="bool",
           doc="直接负责的主管人员和其他直接责任人员；是/否"),
    Column("一案双罚", "dual_penalty", "bool", width=10, options="bool",
           doc="同一案件既罚单位又罚个人；是/否，留空为否"),
    Column("有效期起", "valid_from", "date", required=True, width=12),
    Column("有效期止", "valid_to", "date", width=12, doc="最后一天有效的日期；长期有效的留空"),
), {"parties": "party_unit", "stages": "code"})
STAGES = Sheet("阶段处罚", "每个事项每个阶段一行（首次发现、逾期未改正、导致事故），"
               "按事项编码+阶段匹配。罚款幅度含本数（“X元以下”填 0 和 X）；"
               "不罚款的当事人留空。", (
    Column("事项编码", "code", required=True, width=18, doc="须在“执法事项”表中"),
    Column("阶段", "stage", "choice", required=True, width=12, options="stage"),
    Column("处罚条款", "provision", "citation", required=True, width=32,
           doc="该阶段适用的处罚条款（一个）"),
    Column("单位罚款下限（元）", "unit_min", "yuan", width=14),
    Column("单位罚款上限（元）", "unit_max", "yuan", width=14),
    Column("个人罚款下限（元）", "individual_min", "yuan", width=14, doc="对主要负责人等个人"),
    Column("个人罚款上限（元）", "individual_max", "yuan", width=14),
    Column("责任人员罚款下限（元）", "responsible_min", "yuan", width=14,
           doc="对直接负责的主管人员和其他直接责任人员"),
    Column("责任人员罚款上限（元）", "responsible_max", "yuan", width=14),
    Column("违法所得倍数下限", "gains_min", "multiple", width=10,
           doc="倍数罚：违法所得达到起点时处违法所得若干倍的罚款"),
    Column("违法所得倍数上限", "gains_max", "multiple", width=10),
    Column("违法所得起点（元）", "gains_threshold", "yuan", width=14),
    Column("处罚种类", "measures", "measures", required=True, width=36, doc=_MEASURES_DOC),
    Column("应当处罚", "mandatory", "bool", required=True, width=10, options="bool",
           doc="“处”为是，“可以处”为否"),
    Column("可按日连续处罚", "daily_penalty", "bool", width=10, options="bool", doc="留空为否"),
), {"stage": "stage", "provision": "provision", "unit": "unit_min",
    "individual": "individual_min", "responsible_persons": "responsible_min",
    "gains_multiple": "gains_min", "gains_threshold": "gains_threshold",
    "measures": "measures", "mandatory": "mandatory", "daily_penalty": "daily_penalty"})
BENCHMARKS = Sheet("裁量基准", "每行一个自由裁量基准，按事项编码+阶段+适用区域+版本匹配；其阶次在"
                   "“裁量阶次”表。阶次只能细分法定幅度，不得超出。", (
    Column("事项编码", "item", required=True, width=18, doc="“执法事项”表或系统中已有的事项"),
    Column("阶段", "stage", "choice", required=True, width=12, options="stage",
           doc="该事项须设定了这一阶段的法定处罚"),
    Column("适用区域代码", "jurisdiction", width=12,
           doc="行政区划代码，如 330400（嘉兴市）；全国通用的留空（按文本填写）"),
    Column("版本", "version", required=True, width=10, doc="如 2023（按文本填写）"),
    Column("基准名称", "name", required=True, width=36),
    Column("制定依据文件", "source_document", width=40),
    Column("有效期起", "valid_from", "date", required=True, width=12),
    Column("有效期止", "valid_to", "date", width=12,
           doc="最后一天有效的日期；不得与同一事项、阶段、区域的其他基准重叠"),
    Column("地方性法规基准", "is_local", "bool", width=10, options="bool",
           doc="依地方性法规制定的为是；留空为否"),
), {"tiers": "item"})
TIERS = Sheet("裁量阶次", "每个基准的每个阶次一行（一至四个，各阶次只能出现一次），用前四列指明所属"
              "基准。幅度须在法定幅度以内，且不低于前一阶次（可共用边界金额）。", (
    Column("事项编码", "item", required=True, width=18),
    Column("阶段", "stage", "choice", required=True, width=12, options="stage"),
    Column("适用区域代码", "jurisdiction", width=12, doc="与“裁量基准”表该基准相同"),
    Column("基准版本", "version", required=True, width=10),
    Column("裁量阶次", "tier", "choice", required=True, width=10, options="tier",
           doc="轻微、一般、较重、严重"),
    Column("适用情形", "circumstances", width=48),
    Column("单位罚款下限（元）", "unit_min", "yuan", width=14),
    Column("单位罚款上限（元）", "unit_max", "yuan", width=14),
    Column("个人罚款下限（元）", "individual_min", "yuan", width=14),
    Column("个人罚款上限（元）", "individual_max", "yuan", width=14),
    Column("处罚种类", "measures", "measures", width=30,
           doc="罚款以外的其他处罚种类，只能是该阶段法定的种类"),
), {"tier": "tier", "circumstances": "circumstances", "unit": "unit_min",
    "individual": "individual_min", "measures": "measures"})

SHEETS: tuple[Sheet, ...] = (LAWS, PROVISIONS, ITEMS, STAGES, BENCHMARKS, TIERS)


def _options() -> dict[str, list[tuple[str, str]]]:
    """Dropdown lists: (Chinese label shown, stored code)."""
    return {
        "level": [(str(label), value) for value, label in Law.Level.choices],
        "kind": [(value, value) for value in EnforcementItem.Kind.values],
        "stage": [(str(label), value) for value, label in Stage.choices],
        "tier": [(str(label), value) for value, label in TierLevel.choices],
        "bool": [(YES, "true"), (NO, "false")],
    }


# --- writing -------------------------------------------------------------------------------

def _yuan_cell(value: Decimal | None) -> int | Decimal | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else value


def _bool_cell(value: bool) -> str:
    return YES if value else NO


def _citation_text(provision: Provision) -> str:
    law = provision.law
    return f"{law.short_name or law.name}（{law.version}）{provision.label}"


def _workbook(rows: Mapping[str, list[list[Any]]]) -> bytes:
    wb = Workbook()
    doc = wb.active
    doc.title = DOC_SHEET
    options = _options()
    red, bold = Font(bold=True, color="C00000"), Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    option_sheet = wb.create_sheet(OPTIONS_SHEET)
    option_ranges: dict[str, str] = {}
    for col, (name, values) in enumerate(options.items(), start=1):
        letter = get_column_letter(col)
        option_sheet.cell(row=1, column=col, value=name)
        for row, (label, _code) in enumerate(values, start=2):
            option_sheet.cell(row=row, column=col, value=label)
        option_ranges[name] = f"='{OPTIONS_SHEET}'!${letter}$2:${letter}${len(values) + 1}"
    for sheet in SHEETS:
        ws = wb.create_sheet(sheet.title)
        ws.append(sheet.headers)
        for col, column in enumerate(sheet.columns, start=1):
            cell = ws.cell(row=1, column=col)
            cell.font = red if column.required else bold
            cell.fill = fill
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            if column.doc:
                cell.comment = Comment(column.doc, "法治")
            letter = get_column_letter(col)
            ws.column_dimensions[letter].width = column.width
            if column.kind in ("text", "citations", "citation"):
                ws.column_dimensions[letter].number_format = "@"
            if column.options:
                validation = DataValidation(
                    type="list", formula1=option_ranges[column.options],
                    allow_blank=not column.required, showErrorMessage=True,
                    errorTitle=_("请从下拉列表选择"),
                    error=_("请从下拉列表中选择%(col)s") % {"col": column.header})
                validation.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
                ws.add_data_validation(validation)
        for values in rows.get(sheet.title, []):
            ws.append(values)
        for col, column in enumerate(sheet.columns, start=1):
            number_format = {"text": "@", "citations": "@", "citation": "@", "yuan": "0.00",
                             "date": "yyyy-mm-dd", "int": "0"}.get(column.kind)
            wrap = column.kind in ("citations",) or column.key in ("text", "circumstances")
            if number_format is None and not wrap:
                continue
            for (cell,) in ws.iter_rows(min_row=2, min_col=col, max_col=col):
                if number_format is not None:
                    cell.number_format = number_format
                if wrap:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.freeze_panes = "B2"
    option_sheet.sheet_state = "hidden"
    _write_documentation(doc, options)
    wb.move_sheet(OPTIONS_SHEET, offset=len(SHEETS))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _write_documentation(ws: Any, options: Mapping[str, list[tuple[str, str]]]) -> None:
    title, heading = Font(bold=True, size=14), Font(bold=True, size=12)
    ws.append([_("执法事项目录与自由裁量基准 导入模板")])
    ws["A1"].font = title
    for line in (
        _("1. 本模板各表对应执法事项目录数据文件（fazhi/legal/data/catalogue/*.yaml）的各部分，"
          "导入与数据文件载入经过同一套校验。只有管理员可以导入。"),
        _("2. 各行按自然键匹配系统中已有的数据：有则更新，无则新建；不会删除任何数据。"
          "导出的文件原样导入不会产生任何修改。"),
        _("3. 任何一行有误，整个文件都不会导入；错误提示写明工作表、行号、列和原因，"
          "请逐条修改后重新上传。"),
        _("4. 红色表头为必填项；把鼠标停在表头上可看到该列说明。金额以元为单位填写数字，"
          "最多两位小数；日期填写为 YYYY-MM-DD；版本、区划代码请按文本填写。"),
        _("5. 每张工作表最多 %(n)s 行。") % {"n": f"{MAX_ROWS:,}"},
    ):
        ws.append([line])
    for sheet in SHEETS:
        ws.append([])
        ws.append([_("工作表「%(title)s」") % {"title": sheet.title}])
        ws.cell(row=ws.max_row, column=1).font = heading
        ws.append([sheet.doc])
        ws.append([_("列"), _("必填"), _("说明")])
        for cell in ws[ws.max_row]:
            cell.font = Font(bold=True)
        for column in sheet.columns:
            allowed = ""
            if column.options:
                allowed = _("可选：%(values)s") % {
                    "values": "、".join(label for label, _code in options[column.options])}
            ws.append([column.header, YES if column.required else "",
                       "；".join(part for part in (column.doc, allowed) if part)])
    ws.append([])
    ws.append([_("处罚种类代码")])
    ws.cell(row=ws.max_row, column=1).font = heading
    for code, name in MEASURE_NAMES.items():
        ws.append([code, "", name])
    ws.append([])
    ws.append([_("适用区域代码（系统中已有的区划，镇街从略）")])
    ws.cell(row=ws.max_row, column=1).font = heading
    places = list(Jurisdiction.objects.exclude(level=Jurisdiction.Level.TOWN)
                  .order_by("path").values_list("code", "name"))
    for code, name in places:
        ws.append([code, "", name])
    if not places:
        ws.append([_("（系统中尚无行政区划）")])
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 6
    ws.column_dimensions["C"].width = 100
    for (cell,) in ws.iter_rows(min_row=2, min_col=3, max_col=3):
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def catalogue_template() -> bytes:
    """The empty template (.xlsx bytes): the documentation sheet, the six data sheets
    with their headers, comments and dropdowns."""
    return _workbook({})


def _item_law(item: EnforcementItem) -> Law | None:
    for row in sorted(item.stage_penalties.all(), key=lambda r: Stage.values.index(r.stage)):
        if row.provision is not None:
            return row.provision.law
    penalty = sorted(item.penalty.all(), key=lambda p: (p.law_id, p.article, p.paragraph or 0,
                                                        p.item or 0))
    return penalty[0].law if penalty else None


def _citations(provisions: Iterable[Provision]) -> str:
    ordered = sorted(provisions, key=lambda p: (p.law_id, p.article, p.paragraph or 0,
                                                p.item or 0))
    return "；".join(_citation_text(p) for p in ordered)


def catalogue_export() -> bytes:
    """The whole catalogue (laws, provisions with their text, items, stage penalties,
    benchmarks and their tiers) in the template, as .xlsx bytes."""
    rows: dict[str, list[list[Any]]] = {sheet.title: [] for sheet in SHEETS}
    levels = dict(Law.Level.choices)
    for law in Law.objects.order_by("name", "version"):
        rows[LAWS.title].append([
            law.name, law.short_name, str(levels[law.level]), law.issuer,
            law.document_number, law.version, law.promulgated, law.effective, law.repealed])
    provisions = sorted(Provision.objects.select_related("law"),
                        key=lambda p: (p.law.name, p.law.version, p.article, p.paragraph or 0,
                                       p.item or 0))
    for p in provisions:
        rows[PROVISIONS.title].append([p.law.short_name or p.law.name, p.law.version,
                                       p.article, p.paragraph, p.item, p.text])
    stage_labels = dict(Stage.choices)
    items = (EnforcementItem.objects.order_by("code").prefetch_related(
        "violated__law", "penalty__law", "stage_penalties__provision__law"))
    for item in items:
        law = _item_law(item)
        rows[ITEMS.title].append([
            item.code, item.name, item.kind, (law.short_name or law.name) if law else "",
            law.version if law else "", _citations(item.violated.all()),
            _citations(item.penalty.all()), _bool_cell(item.party_unit),
            _bool_cell(item.party_principal), _bool_cell(item.party_responsible_persons),
            _bool_cell(item.dual_penalty), item.valid_from, item.valid_to])
        for row in sorted(item.stage_penalties.all(), key=lambda r: Stage.values.index(r.stage)):
            rows[STAGES.title].append([
                item.code, str(stage_labels[row.stage]),
                _citation_text(row.provision) if row.provision else "",
                *(_yuan_cell(getattr(row, name)) for name in (
                    "unit_min", "unit_max", "individual_min", "individual_max",
                    "responsible_min", "responsible_max", "confiscation_multiple_min",
                    "confiscation_multiple_max", "gains_threshold")),
                "、".join(row.measures), _bool_cell(row.mandatory),
                _bool_cell(row.daily_penalty)])
    tier_labels = dict(TierLevel.choices)
    tier_order = list(TierLevel.values)
    benchmarks = sorted(DiscretionBenchmark.objects.select_related("item", "jurisdiction")
                        .prefetch_related("tiers"),
                        key=lambda b: (b.item.code, Stage.values.index(b.stage),
                                       b.jurisdiction.code if b.jurisdiction else "",
                                       b.valid_from, b.version))
    for b in benchmarks:
        key = [b.item.code, str(stage_labels[b.stage]),
               b.jurisdiction.code if b.jurisdiction else ""]
        rows[BENCHMARKS.title].append([
            *key, b.version, b.name, b.source_document, b.valid_from, b.valid_to,
            _bool_cell(b.is_local)])
        for tier in sorted(b.tiers.all(), key=lambda t: tier_order.index(t.tier)):
            rows[TIERS.title].append([
                *key, b.version, str(tier_labels[tier.tier]), tier.circumstances,
                *(_yuan_cell(getattr(tier, name)) for name in (
                    "unit_min", "unit_max", "individual_min", "individual_max")),
                "、".join(tier.measures)])
    return _workbook(rows)


# --- reading -------------------------------------------------------------------------------


@dataclass
class _Row:
    sheet: Sheet
    line: int
    raw: dict[str, Any]  # column key → cell value

    def text(self, key: str) -> str:
        return cell_text(self.raw.get(key))


def _read_book(data: bytes) -> dict[str, list[_Row]]:
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ImportRejected(_("无法读取该 Excel 文件，文件可能已损坏或不是 .xlsx 格式")) from exc
    try:
        missing = [s.title for s in SHEETS if s.title not in wb.sheetnames]
        if missing:
            raise ImportRejected(_("缺少工作表：%(sheets)s。请下载最新模板填写。")
                                 % {"sheets": "、".join(f"「{t}」" for t in missing)})
        return {sheet.title: _sheet_rows(wb[sheet.title], sheet) for sheet in SHEETS}
    finally:
        wb.close()


def _sheet_rows(ws: Any, sheet: Sheet) -> list[_Row]:
    reader: Iterator[tuple[Any, ...]] = ws.iter_rows(values_only=True)
    header = next(reader, None) or ()
    found = [cell_text(v).rstrip("*＊").strip() for v in header]
    while found and not found[-1]:
        found.pop()
    if found != sheet.headers:
        for i, expected in enumerate(sheet.headers):
            actual = found[i] if i < len(found) else ""
            if actual != expected:
                raise ImportRejected(
                    _("工作表「%(sheet)s」的表头与模板不一致：第%(n)s列应为“%(expected)s”，"
                      "实际为“%(actual)s”。请下载最新模板填写。")
                    % {"sheet": sheet.title, "n": i + 1, "expected": expected,
                       "actual": actual or _("（空）")})
        raise ImportRejected(
            _("工作表「%(sheet)s」的表头与模板不一致：第%(n)s列“%(actual)s”多余。")
            % {"sheet": sheet.title, "n": len(sheet.headers) + 1,
               "actual": found[len(sheet.headers)]})
    rows = []
    width = len(sheet.columns)
    for line, values in enumerate(reader, start=2):
        values = tuple(values[:width]) + (None,) * (width - len(values[:width]))
        if all(cell_text(v) == "" for v in values):
            continue
        if len(rows) >= MAX_ROWS:
            raise ImportRejected(_("工作表「%(sheet)s」超过 %(n)s 行，请分批导入")
                                 % {"sheet": sheet.title, "n": f"{MAX_ROWS:,}"})
        rows.append(_Row(sheet=sheet, line=line,
                         raw={c.key: v for c, v in zip(sheet.columns, values, strict=True)}))
    return rows


# --- problems: sheet, line, column ------------------------------------------------------------

def row_message(sheet: str, line: int, column: str, reason: str) -> str:
    return _("工作表「%(sheet)s」第%(line)s行「%(column)s」：%(reason)s") % {
        "sheet": sheet, "line": line, "column": column, "reason": reason}


class _SheetProblems(services.CatalogueProblems):
    """Problems as “工作表「X」第N行「列」：原因”: the cell checks of this module, and the
    loader's, pointed at the row each document entry came from. A loader problem in a
    cell this module already refused is left out (it would say the same)."""

    def __init__(self) -> None:
        super().__init__()
        self.origins: dict[int, _Row] = {}
        self._keep: list[Any] = []  # the mappings whose id() is in `origins`
        self.refused: set[tuple[str, int, str]] = set()
        self.sortable: list[tuple[tuple[int, int, int], str]] = []

    def origin(self, mapping: Any, row: _Row) -> Any:
        self.origins[id(mapping)] = row
        self._keep.append(mapping)
        return mapping

    def _record(self, row: _Row, header: str, reason: str) -> str:
        text = row_message(row.sheet.title, row.line, header, reason)
        position = (SHEETS.index(row.sheet), row.line, row.sheet.headers.index(header))
        self.sortable.append((position, text))
        return text

    def cell(self, row: _Row, key: str, reason: str) -> None:
        header = row.sheet.column_header(key)
        self.count += 1
        self.refused.add((row.sheet.title, row.line, header))
        self.messages.append(self._record(row, header, reason))

    def format(self, file: str, where: str, message: str, at: Any,
               field: str | None) -> str | None:
        row = self.origins.get(id(at)) if at is not None else None
        if row is None:
            text = _("%(where)s（%(file)s）：%(message)s") % {"where": where, "file": file,
                                                           "message": message}
            self.sortable.append(((len(SHEETS), 0, 0), text))
            return text
        header = row.sheet.header(field)
        if (row.sheet.title, row.line, header) in self.refused:
            return None
        return self._record(row, header, message)

    def sorted_messages(self) -> list[str]:
        return [text for _position, text in sorted(self.sortable, key=lambda e: e[0])]


# --- cells → catalogue documents ----------------------------------------------------------------

_NUMBER = r"[0-9零一二两三四五六七八九十百千]+"
_CITATION_RE = re.compile(
    rf"^(?P<law>.+?)[（(](?P<version>[^（）()]+)[）)]第(?P<article>{_NUMBER})条"
    rf"(?:第(?P<paragraph>{_NUMBER})款)?(?:第[（(]?(?P<item>{_NUMBER})[）)]?项)?$")
_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
              "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}


def chinese_to_int(text: str) -> int | None:
    """"97" / "九十七" → 97; "一百零一" → 101; "十五" → 15 (the inverse of
    `models.chinese_number`); None when it is not a number."""
    if text.isdigit():
        return int(text)
    total, digit = 0, None
    for char in text:
        if char in _CN_DIGITS:
            if digit:  # two digits in a row ("一二") is not a number
                return None
            digit = _CN_DIGITS[char]
        elif char in _CN_UNITS:
            total += (1 if digit is None else digit) * _CN_UNITS[char]
            digit = None
        else:
            return None
    total += digit or 0
    return total or None


def _parse_citation(text: str) -> dict[str, Any] | str:
    """A citation mapping of the catalogue format, or the Chinese reason it is not one."""
    compact = re.sub(r"\s+", "", text).replace("《", "").replace("》", "")
    match = _CITATION_RE.match(compact)
    if match is None:
        return _("“%(text)s”不是有效的条款引用，应写成“法律简称（版本）第N条[第N款][第N项]”，"
                 "如“安全生产法（2021）第九十七条第（三）项”") % {"text": text}
    citation: dict[str, Any] = {"law": match["law"], "version": match["version"]}
    for name in ("article", "paragraph", "item"):
        if match[name] is not None:
            number = chinese_to_int(match[name])
            if number is None:
                return _("“%(text)s”中的“%(number)s”不是有效的序号") % {"text": text,
                                                                    "number": match[name]}
            citation[name] = number
    return citation


class _Cells:
    """Reads typed values out of a row; a bad cell is reported (and None returned)."""

    def __init__(self, problems: _SheetProblems) -> None:
        self.problems = problems
        self.options = {name: {**{label: code for label, code in values},
                               **{code: code for _label, code in values}}
                        for name, values in _options().items()}

    def get(self, row: _Row, key: str) -> Any:
        column = next(c for c in row.sheet.columns if c.key == key)
        raw = row.raw.get(key)
        text = cell_text(raw)
        if not text:
            if column.required:
                self.problems.cell(row, key, _("必填项不能为空"))
            return None
        try:
            return getattr(self, f"_{column.kind}")(raw, text, column)
        except ValueError as exc:
            self.problems.cell(row, key, str(exc))
            return None

    @staticmethod
    def _text(raw: Any, text: str, column: Column) -> str:
        return text

    @staticmethod
    def _int(raw: Any, text: str, column: Column) -> int:
        if isinstance(raw, bool) or not re.fullmatch(r"[0-9]+", text):
            raise ValueError(_("应为正整数，收到“%(v)s”") % {"v": text})
        return int(text)

    @staticmethod
    def _date(raw: Any, text: str, column: Column) -> datetime.date:
        if isinstance(raw, datetime.datetime):
            if raw.time() != datetime.time():
                raise ValueError(_("应为日期（不含时间），收到“%(v)s”") % {"v": text})
            return raw.date()
        if isinstance(raw, datetime.date):
            return raw
        try:
            return datetime.date.fromisoformat(text.replace("/", "-").replace(".", "-"))
        except ValueError:
            raise ValueError(_("应为日期 YYYY-MM-DD，收到“%(v)s”") % {"v": text}) from None

    @staticmethod
    def _decimal(raw: Any, text: str, column: Column) -> Decimal:
        # A number cell arrives as int or float: its decimal string goes to parse_yuan,
        # which refuses floats; the float is never computed with.
        value = repr(raw) if isinstance(raw, float) else text.replace(",", "")
        try:
            return parse_yuan(value, column.header, whole_cents=True)
        except ValueError as exc:
            raise ValueError(str(exc)) from None

    _yuan = _decimal
    _multiple = _decimal

    def _bool(self, raw: Any, text: str, column: Column) -> bool:
        if isinstance(raw, bool):
            return raw
        value = self.options["bool"].get(text, self.options["bool"].get(text.lower()))
        if value is None:
            raise ValueError(_("应填写“是”或“否”，收到“%(v)s”") % {"v": text})
        return value == "true"

    def _choice(self, raw: Any, text: str, column: Column) -> str:
        value = self.options[column.options].get(text)
        if value is None:
            raise ValueError(_("“%(v)s”不是有效的%(col)s，可选：%(all)s") % {
                "v": text, "col": column.header,
                "all": "、".join(label for label, _code in _options()[column.options])})
        return value

    @staticmethod
    def _citations(raw: Any, text: str, column: Column) -> list[dict[str, Any]]:
        out = []
        for part in re.split(r"[；;\n]+", text):
            if not part.strip():
                continue
            parsed = _parse_citation(part.strip())
            if isinstance(parsed, str):
                raise ValueError(parsed)
            out.append(parsed)
        return out

    @classmethod
    def _citation(cls, raw: Any, text: str, column: Column) -> dict[str, Any]:
        citations = cls._citations(raw, text, column)
        if len(citations) != 1:
            raise ValueError(_("只能填写一个条款引用"))
        return citations[0]

    @staticmethod
    def _measures(raw: Any, text: str, column: Column) -> list[str]:
        by_name = {name: code for code, name in MEASURE_NAMES.items()}
        out = []
        for part in re.split(r"[、，,;；\s]+", text):
            if not part:
                continue
            code = part if part in MEASURE_CODES else by_name.get(part)
            if code is None:
                raise ValueError(_("未知的处罚种类“%(v)s”；可用代码：%(known)s")
                                 % {"v": part, "known": "、".join(MEASURE_NAMES)})
            out.append(code)
        return out

    def pair(self, row: _Row, low_key: str, high_key: str) -> list[Decimal] | None:
        """A [min, max] pair of two columns; both empty → None."""
        low, high = self.get(row, low_key), self.get(row, high_key)
        low_blank, high_blank = not row.text(low_key), not row.text(high_key)
        if low_blank and high_blank:
            return None
        if low_blank or high_blank:
            self.problems.cell(row, high_key if high_blank else low_key,
                               _("下限和上限应当同时填写或者同时不填"))
            return None
        if low is None or high is None:
            return None
        return [low, high]


def _put(mapping: dict[str, Any], key: str, value: Any) -> None:
    if value is not None:
        mapping[key] = value


@dataclass
class _Documents:
    """The workbook as catalogue documents: one per law (its items and provisions),
    and one for the benchmarks."""

    problems: _SheetProblems
    documents: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    by_law: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)

    def add_law(self, law: dict[str, Any]) -> None:
        name = law.get("short_name") or law.get("name") or ""
        document = {"law": law, "items": [], "provisions": []}
        self.documents.append((f"{name}（{law.get('version', '')}）", document))
        for key in (law.get("name"), law.get("short_name")):
            if key:
                self.by_law.setdefault((key, law.get("version", "")), document)

    def for_law(self, name: str, version: str) -> dict[str, Any] | None:
        """The document of that law: from the 法律法规 sheet, else from the database."""
        found = self.by_law.get((name, version))
        if found is not None:
            return found
        law = (Law.objects.filter(version=version, short_name=name).first()
               or Law.objects.filter(version=version, name=name).first())
        if law is None:
            return None
        self.add_law({key: getattr(law, key) or "" for key in (
            "name", "short_name", "level", "issuer", "document_number", "version")}
            | {key: getattr(law, key) for key in ("promulgated", "effective", "repealed")
               if getattr(law, key) is not None})
        return self.by_law[(name, version)]


def _documents(book: Mapping[str, list[_Row]],
               problems: _SheetProblems) -> list[tuple[str, dict[str, Any]]]:
    cells = _Cells(problems)
    docs = _Documents(problems)
    for row in book[LAWS.title]:
        law: dict[str, Any] = {}
        for key in ("name", "short_name", "issuer", "document_number", "version"):
            law[key] = cells.get(row, key) or ""
        _put(law, "level", cells.get(row, "level"))
        for key in ("promulgated", "effective", "repealed"):
            _put(law, key, cells.get(row, key))
        docs.add_law(problems.origin(law, row))

    def law_document(row: _Row, name: str, version: str, key: str) -> dict[str, Any] | None:
        document = docs.for_law(name, version)
        if document is None:
            problems.cell(row, key, _("法律“%(law)s（%(version)s）”既不在工作表「%(sheet)s」中，"
                                      "系统中也没有") % {"law": name, "version": version,
                                                     "sheet": LAWS.title})
        return document

    for row in book[PROVISIONS.title]:
        name, version = cells.get(row, "law"), cells.get(row, "version")
        entry: dict[str, Any] = {}
        for key in ("article", "paragraph", "item"):
            _put(entry, key, cells.get(row, key))
        _put(entry, "text", cells.get(row, "text"))
        if "article" not in entry or not name or not version:
            continue
        document = law_document(row, name, version, "law")
        if document is not None:
            document["provisions"].append(problems.origin(entry, row))

    items: dict[str, dict[str, Any]] = {}
    for row in book[ITEMS.title]:
        item: dict[str, Any] = {"stages": []}
        for key in ("code", "name", "kind", "valid_from", "valid_to"):
            _put(item, key, cells.get(row, key))
        item["dual_penalty"] = bool(cells.get(row, "dual_penalty"))
        for key in ("violated", "penalty"):
            item[key] = cells.get(row, key) or []
        item["parties"] = [party for party, key in (
            ("unit", "party_unit"), ("principal", "party_principal"),
            ("responsible_persons", "party_responsible")) if cells.get(row, key)]
        if isinstance(item.get("code"), str):
            items.setdefault(item["code"], item)  # its stages attach even if it is refused
        name, version = row.text("law"), row.text("law_version")
        if bool(name) != bool(version):
            problems.cell(row, "law_version" if name else "law",
                          _("所属法律和所属版本应当同时填写或者同时留空"))
            continue
        if not name and item["penalty"]:
            name, version = item["penalty"][0]["law"], item["penalty"][0]["version"]
        if not name:
            continue  # no 处罚依据 either: reported as a required cell
        document = law_document(row, name, version, "law" if row.text("law") else "penalty")
        if document is not None:
            document["items"].append(problems.origin(item, row))

    for row in book[STAGES.title]:
        code = cells.get(row, "code")
        stage: dict[str, Any] = {}
        for key in ("stage", "provision", "measures", "mandatory", "daily_penalty",
                    "gains_threshold"):
            _put(stage, key, cells.get(row, key))
        for key, low, high in (("unit", "unit_min", "unit_max"),
                               ("individual", "individual_min", "individual_max"),
                               ("responsible_persons", "responsible_min", "responsible_max"),
                               ("gains_multiple", "gains_min", "gains_max")):
            _put(stage, key, cells.pair(row, low, high))
        if code is None:
            continue
        item = items.get(code)
        if item is None:
            problems.cell(row, "code", _("事项“%(code)s”不在工作表「%(sheet)s」中")
                          % {"code": code, "sheet": ITEMS.title})
            continue
        item["stages"].append(problems.origin(stage, row))

    benchmarks: dict[tuple[str, str, str, str], dict[str, Any]] = {}
    ordered: list[dict[str, Any]] = []
    for row in book[BENCHMARKS.title]:
        benchmark: dict[str, Any] = {"tiers": []}
        for key in ("item", "stage", "jurisdiction", "version", "name", "source_document",
                    "valid_from", "valid_to", "is_local"):
            _put(benchmark, key, cells.get(row, key))
        ordered.append(problems.origin(benchmark, row))
        key = (benchmark.get("item"), benchmark.get("stage"),
               benchmark.get("jurisdiction", ""), benchmark.get("version"))
        if None not in key:
            benchmarks.setdefault(key, benchmark)
    for row in book[TIERS.title]:
        key = (cells.get(row, "item"), cells.get(row, "stage"), row.text("jurisdiction"),
               cells.get(row, "version"))
        tier: dict[str, Any] = {}
        for name in ("tier", "circumstances", "measures"):
            _put(tier, name, cells.get(row, name))
        for name, low, high in (("unit", "unit_min", "unit_max"),
                                ("individual", "individual_min", "individual_max")):
            _put(tier, name, cells.pair(row, low, high))
        if None in key:
            continue
        benchmark = benchmarks.get(key)
        if benchmark is None:
            problems.cell(row, "item", _("工作表「%(sheet)s」中没有事项%(code)s、%(stage)s、"
                                         "%(place)s、版本%(version)s的裁量基准") % {
                "sheet": BENCHMARKS.title, "code": key[0],
                "stage": Stage(key[1]).label, "place": key[2] or _("全国"),
                "version": key[3]})
            continue
        benchmark["tiers"].append(problems.origin(tier, row))
    documents: list[tuple[str, dict[str, Any]]] = list(docs.documents)
    if ordered:
        documents.append((BENCHMARKS.title, {"benchmarks": ordered}))
    return documents


# --- import ------------------------------------------------------------------------------------

@dataclass
class CatalogueImportResult:
    rows: dict[str, int]  # data rows read, per sheet
    load: services.CatalogueLoadResult

    @property
    def changed(self) -> bool:
        return self.load.changed


def catalogue_import(*, actor: User, file: IO[bytes] | bytes | str) -> CatalogueImportResult:
    """Import a filled template (see the module docstring). PermissionDenied for anyone
    but an administrator; ImportRejected for a file that is not the template;
    ValidationError listing every bad row otherwise; nothing written unless every row
    is good."""
    if not services.can_write_legal(actor):
        raise PermissionDenied(_("只有管理员可以导入执法事项目录和裁量基准"))
    book = _read_book(read_xlsx_upload(file))
    rows = {title: len(found) for title, found in book.items()}
    if not any(rows.values()):
        raise ImportRejected(_("文件中没有数据行：请在各工作表的表头下方逐行填写"))
    problems = _SheetProblems()
    documents = _documents(book, problems)
    try:
        load = services.catalogue_load_documents(actor=actor, documents=documents,
                                                 problems=problems)
    except ValidationError as exc:
        if problems.sortable:
            raise ValidationError(problems.sorted_messages()) from None
        raise exc from None
    except IntegrityError as exc:
        raise ImportRejected(_("导入期间有其他用户修改了相同的数据，本次未导入任何数据，请重新上传")
                             ) from exc
    return CatalogueImportResult(rows=rows, load=load)

