"""Excel import of enterprises (生产经营单位名录导入).

`enterprise_template()` gives the .xlsx to fill (Chinese headers, an example row,
dropdowns for the choice columns, text format for the code columns).
`enterprise_import()` checks every row before writing anything and reports every
problem as (Excel line, column, Chinese reason); one bad row and nothing is written
(a half-imported registry is worse than none: the officer could not tell which rows
went in). A good file is created in one transaction, with one event per enterprise.

Whole-file problems (not an .xlsx, wrong headers, no rows, too many rows, too big)
raise `ImportRejected` (a ValidationError) with a Chinese message.
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from fazhi.core.models import Jurisdiction, User
from fazhi.core.services.events import record_events
from fazhi.core.xlsx import ImportRejected, cell_text, read_xlsx_upload
from fazhi.subjects.models import (
    ChemicalPark,
    Enterprise,
    ResponsiblePerson,
    RiskLevel,
    SupervisionCategory,
)
from fazhi.subjects.rules.access import can_edit_subjects, path_contains
from fazhi.subjects.rules.identifiers import (
    IdentifierError,
    build_id_number,
    build_uscc,
    normalize_id_number,
    normalize_industry_code,
    normalize_uscc,
)
from fazhi.subjects.rules.masking import mask_id_number
from fazhi.subjects.services import enterprise_payload

# Column headers, in template order.
NAME, USCC, ADDRESS, JURISDICTION, INDUSTRY, CATEGORY, RISK, PARK, PRINCIPAL, \
    PRINCIPAL_ID, PHONE = HEADERS = (
        "单位名称", "统一社会信用代码", "地址", "属地区划代码", "国民经济行业代码", "监管类别",
        "安全风险等级", "所在化工园区", "主要负责人", "主要负责人身份证号", "联系电话",
    )
REQUIRED = (NAME, USCC, ADDRESS, JURISDICTION, INDUSTRY, CATEGORY, RISK)
# Columns Excel must keep as text: long digit strings lose digits as numbers (15
# significant digits), and leading zeros vanish.
TEXT_COLUMNS = (USCC, JURISDICTION, PRINCIPAL_ID, PHONE)
# Model field -> column, to put a model validation error on the right column.
FIELD_COLUMNS = {
    "name": NAME, "uscc": USCC, "address": ADDRESS, "jurisdiction": JURISDICTION,
    "industry_code": INDUSTRY, "supervision_category": CATEGORY, "risk_level": RISK,
    "park": PARK,
}
PERSON_FIELD_COLUMNS = {"name": PRINCIPAL, "id_number": PRINCIPAL_ID, "phone": PHONE}

SHEET_TITLE = "生产经营单位"
OPTIONS_SHEET = "选项"
EXAMPLE_MARK = "【示例】"  # rows whose name starts with this are the template's example
MAX_ROWS = 20_000
_PHONE_RE = re.compile(r"^[0-9+\-()（） ]{5,20}$")


@dataclass(frozen=True)
class RowError:
    line: int  # Excel row number (the header is line 1)
    column: str  # column header
    reason: str  # Chinese


@dataclass
class ImportResult:
    rows: int = 0  # data rows read (the example row not counted)
    created: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


# --- template --------------------------------------------------------------------------

def _example_uscc() -> str:
    return build_uscc("330402", 12345678)


def _example_id() -> str:
    return build_id_number("330402", datetime.date(1980, 1, 1), 123)


def enterprise_template(*, parks: Iterable[str] = ()) -> bytes:
    """The import template as .xlsx bytes. `parks`: park names for the dropdown
    (the parks the user may choose); the column stays free text either way."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_TITLE
    ws.append(list(HEADERS))
    bold, red = Font(bold=True), Font(bold=True, color="C00000")
    fill = PatternFill("solid", fgColor="DDEBF7")
    for col, header in enumerate(HEADERS, start=1):
        cell = ws.cell(row=1, column=col)
        cell.font = red if header in REQUIRED else bold
        cell.fill = fill
        cell.alignment = Alignment(horizontal="center", vertical="center")
        letter = get_column_letter(col)
        ws.column_dimensions[letter].width = 30 if header in (NAME, ADDRESS, PARK) else 20
        if header in TEXT_COLUMNS:
            ws.column_dimensions[letter].number_format = "@"
    ws.cell(row=1, column=1).comment = Comment(
        _("红色表头为必填项。以“【示例】”开头的行不会导入，可删除。"), "法治")
    ws.cell(row=1, column=HEADERS.index(JURISDICTION) + 1).comment = Comment(
        _("填写区（县）或镇（街道）的行政区划代码，如 330402（南湖区）、330402001；"
          "须在您的辖区内。"), "法治")
    ws.cell(row=1, column=HEADERS.index(INDUSTRY) + 1).comment = Comment(
        _("GB/T 4754-2017：门类字母加2至4位数字，如 C2614（有机化学原料制造）。"), "法治")
    example = [
        f"{EXAMPLE_MARK}嘉兴某某化工有限公司", _example_uscc(), "嘉兴市南湖区示例路1号", "330402",
        "C2614", str(SupervisionCategory.HAZCHEM_PRODUCTION.label),
        str(RiskLevel.GENERAL.label), "", "张三", _example_id(), "0573-82000000",
    ]
    ws.append(example)
    for col in range(1, len(HEADERS) + 1):
        cell = ws.cell(row=2, column=col)
        cell.font = Font(italic=True, color="808080")
        if HEADERS[col - 1] in TEXT_COLUMNS:
            cell.number_format = "@"
    ws.freeze_panes = "A2"

    # Choice lists live on a hidden sheet: an inline list is limited to 255 characters.
    options = wb.create_sheet(OPTIONS_SHEET)
    lists = {
        CATEGORY: [str(label) for label in SupervisionCategory.labels],
        RISK: [str(label) for label in RiskLevel.labels],
        PARK: sorted(set(parks)),
    }
    last = MAX_ROWS + 1
    for col, (header, values) in enumerate(lists.items(), start=1):
        options.cell(row=1, column=col, value=header)
        for row, value in enumerate(values, start=2):
            options.cell(row=row, column=col, value=value)
        if not values:
            continue
        letter = get_column_letter(col)
        target = get_column_letter(HEADERS.index(header) + 1)
        validation = DataValidation(
            type="list", formula1=f"='{OPTIONS_SHEET}'!${letter}$2:${letter}${len(values) + 1}",
            allow_blank=header not in REQUIRED,
            # A park outside the list is reported by the import, not blocked here.
            showErrorMessage=header != PARK,
            errorTitle=_("请从下拉列表选择"),
            error=_("请从下拉列表中选择%(col)s") % {"col": header},
        )
        validation.add(f"{target}2:{target}{last}")
        ws.add_data_validation(validation)
    options.sheet_state = "hidden"

    notes = wb.create_sheet("填写说明")
    for line in (
        _("1. 每行一个生产经营单位；红色表头为必填项。"),
        _("2. 统一社会信用代码（18位）、身份证号（18位）、区划代码请按文本填写，"
          "不要让 Excel 转成数字。"),
        _("3. 监管类别、安全风险等级请从下拉列表选择；化工园区填写系统中已有的园区全称，"
          "不在园区的留空。"),
        _("4. 主要负责人与其身份证号须同时填写或同时留空。"),
        _("5. 任何一行有误，整个文件都不会导入；请按错误提示逐条修改后重新上传。"),
        _("6. 每次最多导入 %(n)s 行。") % {"n": f"{MAX_ROWS:,}"},
    ):
        notes.append([line])
    notes.column_dimensions["A"].width = 100

    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# --- reading -----------------------------------------------------------------------------


def _norm_header(value: Any) -> str:
    return cell_text(value).rstrip("*＊").strip()


def _rows(data: bytes) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(Excel line, cell values) of the data sheet, header first."""
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ImportRejected(_("无法读取该 Excel 文件，文件可能已损坏或不是 .xlsx 格式")) from exc
    try:
        ws = wb[SHEET_TITLE] if SHEET_TITLE in wb.sheetnames else wb.worksheets[0]
        yield from enumerate(ws.iter_rows(values_only=True), start=1)
    finally:
        wb.close()


def _check_headers(values: tuple[Any, ...]) -> None:
    found = [_norm_header(v) for v in values]
    while found and not found[-1]:
        found.pop()
    if found == list(HEADERS):
        return
    for i, expected in enumerate(HEADERS):
        actual = found[i] if i < len(found) else ""
        if actual != expected:
            raise ImportRejected(
                _("表头与导入模板不一致：第%(n)s列应为“%(expected)s”，实际为“%(actual)s”。"
                  "请下载最新模板填写。")
                % {"n": i + 1, "expected": expected, "actual": actual or _("（空）")})
    raise ImportRejected(
        _("表头与导入模板不一致：模板只有%(n)s列，第%(extra)s列“%(actual)s”多余。请下载最新模板填写。")
        % {"n": len(HEADERS), "extra": len(HEADERS) + 1, "actual": found[len(HEADERS)]})


def _data_rows(data: bytes) -> list[_Row]:
    """The filled rows under a correct header (blank rows and the example skipped)."""
    reader = _rows(data)
    try:
        header = next(reader, None)
        if header is None:
            raise ImportRejected(_("文件是空的：没有表头，也没有数据行。请使用导入模板填写。"))
        _check_headers(header[1])
        rows: list[_Row] = []
        width = len(HEADERS)
        for line, values in reader:
            values = tuple(values[:width]) + (None,) * (width - len(values[:width]))
            cells = {h: cell_text(v) for h, v in zip(HEADERS, values, strict=True)}
            if not any(cells.values()) or cells[NAME].startswith(EXAMPLE_MARK):
                continue  # blank rows and the template's example row
            if len(rows) >= MAX_ROWS:
                raise ImportRejected(_("数据超过 %(n)s 行，请拆分为多个文件分批导入")
                                     % {"n": f"{MAX_ROWS:,}"})
            rows.append(_Row(line=line, cells=cells,
                             raw=dict(zip(HEADERS, values, strict=True))))
        return rows
    finally:
        reader.close()  # closes the workbook even when a check above raised


# --- validation ----------------------------------------------------------------------------

@dataclass
class _Row:
    line: int
    cells: dict[str, str]
    raw: dict[str, Any]
    uscc: str = ""  # compact, once valid
    enterprise: Enterprise | None = None
    principal: ResponsiblePerson | None = None


def _label_map(choices: Any) -> dict[str, str]:
    # Chinese labels as shown in the dropdown; the stored codes are accepted too.
    out = {str(label): value for value, label in choices.choices}
    out.update({value: value for value in choices.values})
    return out


def _validate_row(row: _Row, report: Any, refs: dict[str, Any]) -> None:
    c = row.cells
    for header in REQUIRED:
        if not c[header]:
            report(header, _("必填项不能为空"))
    lengths = {NAME: 200, ADDRESS: 255, PRINCIPAL: 50}
    for header, limit in lengths.items():
        if len(c[header]) > limit:
            report(header, _("不能超过%(n)s个字") % {"n": limit})

    uscc = ""
    if c[USCC]:
        if isinstance(row.raw[USCC], int | float):
            report(USCC, _("被 Excel 存成了数字（可能已丢失位数），请把该列设为文本格式后重新填写"))
        else:
            try:
                uscc = row.uscc = normalize_uscc(c[USCC])
            except IdentifierError as exc:
                report(USCC, str(exc))

    industry = ""
    if c[INDUSTRY]:
        try:
            industry = normalize_industry_code(c[INDUSTRY])
        except IdentifierError as exc:
            report(INDUSTRY, str(exc))

    jurisdiction = None
    if c[JURISDICTION]:
        jurisdiction = refs["jurisdictions"].get(c[JURISDICTION])
        if jurisdiction is None:
            report(JURISDICTION, _("区划代码“%(code)s”不存在") % {"code": c[JURISDICTION]})
        elif not path_contains(refs["actor_path"], jurisdiction.path):
            report(JURISDICTION, _("%(name)s（%(code)s）不在您的辖区内")
                   % {"name": jurisdiction.name, "code": jurisdiction.code})
            jurisdiction = None

    category = ""
    if c[CATEGORY]:
        category = refs["categories"].get(c[CATEGORY], "")
        if not category:
            report(CATEGORY, _("“%(v)s”不是有效的监管类别，请从下拉列表选择（%(all)s）")
                   % {"v": c[CATEGORY], "all": "、".join(map(str, SupervisionCategory.labels))})
    risk = ""
    if c[RISK]:
        risk = refs["risks"].get(c[RISK], "")
        if not risk:
            report(RISK, _("“%(v)s”不是有效的安全风险等级，请从下拉列表选择（%(all)s）")
                   % {"v": c[RISK], "all": "、".join(map(str, RiskLevel.labels))})

    park = None
    if c[PARK]:
        park = refs["parks"].get(c[PARK])
        if park is None:
            report(PARK, _("化工园区“%(v)s”不存在，请填写系统中已有园区的全称，不在园区的留空")
                   % {"v": c[PARK]})

    id_number = ""
    if c[PRINCIPAL_ID]:
        if isinstance(row.raw[PRINCIPAL_ID], int | float):
            report(PRINCIPAL_ID, _("被 Excel 存成了数字（超过15位的数字会被截断），"
                                   "请把该列设为文本格式后重新填写"))
        else:
            try:
                id_number = normalize_id_number(c[PRINCIPAL_ID])
            except IdentifierError as exc:
                report(PRINCIPAL_ID, str(exc))
    if c[PRINCIPAL] and not c[PRINCIPAL_ID]:
        report(PRINCIPAL_ID, _("填写了主要负责人，须同时填写其身份证号"))
    if c[PRINCIPAL_ID] and not c[PRINCIPAL]:
        report(PRINCIPAL, _("填写了身份证号，须同时填写主要负责人姓名"))
    if c[PHONE] and not _PHONE_RE.match(c[PHONE]):
        report(PHONE, _("联系电话格式不正确（只能含数字、+、-、括号，5至20位）"))

    if uscc and industry and jurisdiction and category and risk and c[NAME] and c[ADDRESS]:
        enterprise = Enterprise(
            name=c[NAME], uscc=uscc, address=c[ADDRESS], jurisdiction=jurisdiction,
            jurisdiction_path=jurisdiction.path, industry_code=industry,
            supervision_category=category, risk_level=risk, park=park,
        )
        try:
            # References were resolved above and uniqueness is checked for the whole
            # file at once: skip the per-row queries full_clean would make for them.
            enterprise.full_clean(exclude=["jurisdiction", "park"], validate_unique=False,
                                  validate_constraints=False)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                for message in messages:
                    report(FIELD_COLUMNS.get(name, NAME), message)
        row.enterprise = enterprise
        if c[PRINCIPAL] and id_number:
            person = ResponsiblePerson(
                kind=ResponsiblePerson.Kind.PRINCIPAL, name=c[PRINCIPAL],
                id_number=id_number, phone=c[PHONE],
            )
            try:
                person.full_clean(exclude=["enterprise"], validate_unique=False,
                                  validate_constraints=False)
            except ValidationError as exc:
                for name, messages in exc.message_dict.items():
                    for message in messages:
                        report(PERSON_FIELD_COLUMNS.get(name, PRINCIPAL), message)
            row.principal = person


def _references(rows: list[_Row], actor: User) -> dict[str, Any]:
    codes = {r.cells[JURISDICTION] for r in rows if r.cells[JURISDICTION]}
    park_names = {r.cells[PARK] for r in rows if r.cells[PARK]}
    jurisdictions: dict[str, Jurisdiction] = {}
    parks: dict[str, ChemicalPark] = {}
    for chunk in _chunks(sorted(codes)):
        jurisdictions.update(
            (j.code, j) for j in Jurisdiction.objects.filter(code__in=chunk)
            .only("id", "code", "name", "path"))
    for chunk in _chunks(sorted(park_names)):
        parks.update((p.name, p) for p in ChemicalPark.objects.filter(name__in=chunk))
    own = actor.jurisdiction
    return {
        "jurisdictions": jurisdictions, "parks": parks,
        "actor_path": own.path if own else None,
        "categories": _label_map(SupervisionCategory), "risks": _label_map(RiskLevel),
    }


def _chunks(items: list[str], size: int = 1000) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _check_duplicates(rows: list[_Row], errors: list[RowError]) -> None:
    first_line: dict[str, int] = {}
    for row in rows:
        uscc = row.uscc
        if not uscc:
            continue
        if uscc in first_line:
            errors.append(RowError(row.line, USCC, _("统一社会信用代码%(uscc)s与第%(line)s行重复")
                                   % {"uscc": uscc, "line": first_line[uscc]}))
        else:
            first_line[uscc] = row.line
    taken: set[str] = set()
    for chunk in _chunks(sorted(first_line)):
        taken.update(Enterprise.objects.filter(uscc__in=chunk).values_list("uscc", flat=True))
    for uscc in sorted(taken, key=first_line.__getitem__):
        errors.append(RowError(first_line[uscc], USCC,
                               _("统一社会信用代码%(uscc)s已在系统中登记，不能重复导入")
                               % {"uscc": uscc}))


# --- import --------------------------------------------------------------------------------

def enterprise_import(*, actor: User, file: IO[bytes] | bytes | str) -> ImportResult:
    """Validate every row of an enterprise workbook and, when all are good, create
    them (with their principals) in one transaction. See the module docstring."""
    if not can_edit_subjects(actor) or actor.jurisdiction is None:
        raise PermissionDenied(_("只有执法人员和管理员可以导入生产经营单位"))
    data = read_xlsx_upload(file)
    rows = _data_rows(data)
    if not rows:
        raise ImportRejected(_("文件中没有数据行：请在表头下方逐行填写生产经营单位"))

    result = ImportResult(rows=len(rows))
    refs = _references(rows, actor)
    for row in rows:
        def report(column: str, reason: str, _line: int = row.line) -> None:
            result.errors.append(RowError(_line, column, str(reason)))
        _validate_row(row, report, refs)
    _check_duplicates(rows, result.errors)
    if result.errors:
        result.errors.sort(key=lambda e: (e.line, HEADERS.index(e.column)))
        return result

    try:
        with transaction.atomic():
            enterprises = [row.enterprise for row in rows]
            Enterprise.objects.bulk_create(enterprises, batch_size=1000)
            if any(e.pk is None for e in enterprises):  # a backend without RETURNING
                ids = dict(Enterprise.objects.filter(uscc__in=[e.uscc for e in enterprises])
                           .values_list("uscc", "pk"))
                for e in enterprises:
                    e.pk = ids[e.uscc]
            people = []
            for row in rows:
                if row.principal is not None:
                    row.principal.enterprise = row.enterprise
                    people.append(row.principal)
            ResponsiblePerson.objects.bulk_create(people, batch_size=1000)
            entries = []
            for row in rows:
                payload = {**enterprise_payload(row.enterprise), "source": "import"}
                if row.principal is not None:
                    payload["principal"] = {"name": row.principal.name,
                                            "id_number": mask_id_number(row.principal.id_number)}
                entries.append((row.enterprise, "enterprise.created", payload))
            record_events(actor=actor, entries=entries)
    except IntegrityError as exc:
        # Someone registered one of these codes between the check and the write.
        raise ImportRejected(
            _("导入期间有其他用户登记了文件中的统一社会信用代码，本次未导入任何数据，请重新上传")
        ) from exc
    result.created = len(rows)
    return result
