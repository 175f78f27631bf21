"""Issuing certificates from a year's exam results (考试成绩批量导入发证).

`certificate_template()` gives the .xlsx to fill. An upload becomes a `CertificateImport`
row and a background job (`fazhi.core.jobs`) runs `run_import`: every row is checked
before anything is written, and every problem is reported as 第N行「列」：reason; one bad
row and nothing is issued. Rows whose exam scores are below the pass mark (80) are not
errors: no certificate is issued for them and they are counted as 考试不合格. A good file
issues every passed row's certificate in one transaction (dates from
`rules.certificates`, numbers, Ed25519 signatures), with one event per certificate.
"""

from __future__ import annotations

import contextlib
import datetime
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import DateField, DateTimeField, Model
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from fazhi.core.models import Jurisdiction, User
from fazhi.core.services.events import record_events
from fazhi.core.xlsx import ImportRejected, cell_text, read_xlsx_upload
from fazhi.licensing import signing
from fazhi.licensing.models_certificates import (
    Certificate,
    CertificateHolder,
    CertificateImport,
    CertificateKind,
    rule_kind,
)
from fazhi.licensing.rules import certificates as rules
from fazhi.licensing.services_certificates import (
    can_write_certificates,
    certificate_payload,
    manager_number_prefix,
    next_manager_serial,
    special_number,
)
from fazhi.subjects.models import Enterprise
from fazhi.subjects.rules.access import path_contains
from fazhi.subjects.rules.identifiers import (
    IdentifierError,
    build_id_number,
    normalize_id_number,
    normalize_uscc,
)

NAME, ID_NUMBER, KIND, CATEGORY, OPERATION, AREA, USCC, EMPLOYER, EXAM_DATE, THEORY, \
    PRACTICAL, ISSUED = HEADERS = (
        "姓名", "身份证号", "证书类别", "作业类别", "操作项目/行业类别", "属地区划代码",
        "用人单位统一社会信用代码", "用人单位名称", "考试日期", "理论成绩", "实操成绩", "发证日期",
    )
REQUIRED = (NAME, ID_NUMBER, KIND, OPERATION, EXAM_DATE, THEORY, PRACTICAL, ISSUED)
TEXT_COLUMNS = (ID_NUMBER, AREA, USCC)
SHEET_TITLE = "考试成绩"
OPTIONS_SHEET = "选项"
EXAMPLE_MARK = "【示例】"
MAX_ROWS = 50_000
BATCH = 2_000
KIND_BY_LABEL: dict[str, str] = {
    **{str(label): value for value, label in CertificateKind.choices},
    "特种作业": CertificateKind.SPECIAL_OPERATION, "主要负责人": CertificateKind.PRINCIPAL,
    "安全生产管理人员": CertificateKind.SAFETY_MANAGER,
    "安全管理人员": CertificateKind.SAFETY_MANAGER,
    **{value: value for value in CertificateKind.values},
}
CATEGORY_BY_LABEL = {**{v: k for k, v in rules.OPERATION_CATEGORIES.items()},
                     **{k: k for k in rules.OPERATION_CATEGORIES}}


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"第{self.line}行「{self.column}」：{self.reason}"


# --- template ---------------------------------------------------------------------------

def certificate_template() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_TITLE
    ws.append(list(HEADERS))
    bold, red = Font(bold=True), Font(bold=True, color="C00000")
    fill = PatternFill("solid", fgColor="DDEBF7")
    for col, header in enumerate(HEADERS, start=1):
        cell = ws.cell(row=1, column=col)
        cell.font = red if header in REQUIRED else bold
        cell.fill, cell.alignment = fill, Alignment(horizontal="center", vertical="center")
        letter = get_column_letter(col)
        ws.column_dimensions[letter].width = 26 if header in (EMPLOYER, OPERATION, USCC) else 16
        if header in TEXT_COLUMNS:
            ws.column_dimensions[letter].number_format = "@"
    example = [f"{EXAMPLE_MARK}张三", build_id_number("330402", datetime.date(1985, 6, 1), 12),
               "特种作业操作证", "电工作业", "低压电工作业", "330402", "", "嘉兴某某化工有限公司",
               "2024-03-15", 86, 90, "2024-03-28"]
    ws.append(example)
    for col in range(1, len(HEADERS) + 1):
        ws.cell(row=2, column=col).font = Font(italic=True, color="808080")
    ws.freeze_panes = "A2"
    options = wb.create_sheet(OPTIONS_SHEET)
    lists = {KIND: [str(label) for label in CertificateKind.labels],
             CATEGORY: list(rules.OPERATION_CATEGORIES.values())}
    for col, (header, values) in enumerate(lists.items(), start=1):
        options.cell(row=1, column=col, value=header)
        for row, value in enumerate(values, start=2):
            options.cell(row=row, column=col, value=value)
        letter = get_column_letter(col)
        target = get_column_letter(HEADERS.index(header) + 1)
        validation = DataValidation(
            type="list", formula1=f"='{OPTIONS_SHEET}'!${letter}$2:${letter}${len(values) + 1}",
            allow_blank=header != KIND, showErrorMessage=True,
            error=_("请从下拉列表中选择%(col)s") % {"col": header})
        validation.add(f"{target}2:{target}{MAX_ROWS + 1}")
        ws.add_data_validation(validation)
    options.sheet_state = "hidden"
    notes = wb.create_sheet("填写说明")
    for line in (
        _("1. 每行一名考生的一个证书类别（操作项目）的考试成绩；红色表头为必填项。"),
        _("2. 身份证号、区划代码、统一社会信用代码请按文本填写，不要让 Excel 转成数字。"),
        _("3. 特种作业操作证须填写作业类别（下拉选择）和操作项目（如 低压电工作业）；"
          "安全合格证的“操作项目/行业类别”填写单位行业（如 危险化学品生产单位），作业类别留空。"),
        _("4. 理论成绩和实操成绩均达到%(score)s分的发证；不足%(score)s分的不发证，"
          "也不算错误（计入考试不合格）。") % {"score": rules.PASS_SCORE},
        _("5. 属地区划代码与用人单位统一社会信用代码至少填写一项；填写了用人单位的，属地默认为"
          "该单位所在区划。须在您的辖区内。"),
        _("6. 复审日期和有效期由系统按规定计算：特种作业操作证有效期6年、每3年复审；"
          "安全合格证有效期3年。"),
        _("7. 任何一行有误，整个文件都不会导入；请按错误提示逐条修改后重新上传。"),
        _("8. 每次最多导入 %(n)s 行。") % {"n": f"{MAX_ROWS:,}"},
    ):
        notes.append([line])
    notes.column_dimensions["A"].width = 110
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# --- reading --------------------------------------------------------------------------


def _rows(data: bytes) -> Iterator[tuple[int, tuple[Any, ...]]]:
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
    found = [cell_text(v).rstrip("*＊") for v in values]
    while found and not found[-1]:
        found.pop()
    if found == list(HEADERS):
        return
    for i, expected in enumerate(HEADERS):
        actual = found[i] if i < len(found) else ""
        if actual != expected:
            raise ImportRejected(
                _("表头与导入模板不一致：第%(n)s列应为“%(e)s”，实际为“%(a)s”。请下载最新模板填写。")
                % {"n": i + 1, "e": expected, "a": actual or _("（空）")})
    raise ImportRejected(_("表头与导入模板不一致：模板只有%(n)s列。请下载最新模板填写。")
                         % {"n": len(HEADERS)})


@dataclass
class _Row:
    line: int
    raw: dict[str, Any]
    cells: dict[str, str]


def read_rows(data: bytes) -> list[_Row]:
    reader = _rows(data)
    try:
        header = next(reader, None)
        if header is None:
            raise ImportRejected(_("文件是空的：没有表头，也没有数据行。请使用导入模板填写。"))
        _check_headers(header[1])
        width = len(HEADERS)
        rows: list[_Row] = []
        for line, values in reader:
            values = tuple(values[:width]) + (None,) * (width - len(values[:width]))
            if all(v is None or v == "" for v in values):
                continue
            raw = dict(zip(HEADERS, values, strict=True))
            cells = {h: cell_text(v) for h, v in raw.items()}
            if cells[NAME].startswith(EXAMPLE_MARK):
                continue
            if len(rows) >= MAX_ROWS:
                raise ImportRejected(_("数据超过 %(n)s 行，请拆分为多个文件分批导入")
                                     % {"n": f"{MAX_ROWS:,}"})
            rows.append(_Row(line, raw, cells))
        return rows
    finally:
        reader.close()


# --- validation ----------------------------------------------------------------------

@dataclass
class _Checked:
    line: int
    passed: bool
    kind: str = ""
    name: str = ""
    id_number: str = ""
    category: str = ""
    operation: str = ""
    jurisdiction: Jurisdiction | None = None
    enterprise: Enterprise | None = None
    employer: str = ""
    theory: int = 0
    practical: int = 0
    issued: datetime.date | None = None


def _date(raw: Any, text: str) -> datetime.date | None:
    if isinstance(raw, datetime.datetime):
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _score(raw: Any, text: str) -> int | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float) and float(raw).is_integer():
        value = int(raw)
    elif text.isdigit():
        value = int(text)
    else:
        return None
    return value if 0 <= value <= 100 else None


def _references(rows: list[_Row]) -> tuple[dict[str, Jurisdiction], dict[str, Enterprise]]:
    codes = sorted({r.cells[AREA] for r in rows if r.cells[AREA]})
    usccs = set()
    for r in rows:
        if r.cells[USCC]:
            with contextlib.suppress(IdentifierError):
                usccs.add(normalize_uscc(r.cells[USCC]))
    jurisdictions = {j.code: j for j in Jurisdiction.objects.filter(code__in=codes)
                     .only("id", "code", "name", "path")}
    enterprises: dict[str, Enterprise] = {}
    ordered = sorted(usccs)
    for start in range(0, len(ordered), 1000):
        enterprises.update((e.uscc, e) for e in Enterprise.objects.filter(
            uscc__in=ordered[start:start + 1000]).select_related("jurisdiction")
            .only("id", "uscc", "name", "jurisdiction__id", "jurisdiction__code",
                  "jurisdiction__name", "jurisdiction__path"))
    return jurisdictions, enterprises


def check_row(row: _Row, refs: tuple[dict[str, Jurisdiction], dict[str, Enterprise]],
              actor_path: str, today: datetime.date, errors: list[RowError]) -> _Checked:
    c, raw = row.cells, row.raw
    jurisdictions, enterprises = refs
    before = len(errors)

    def report(column: str, reason: str) -> None:
        errors.append(RowError(row.line, column, str(reason)))

    for header in REQUIRED:
        if not c[header]:
            report(header, _("必填项不能为空"))
    out = _Checked(row.line, passed=False, name=c[NAME], operation=c[OPERATION],
                   employer=c[EMPLOYER])
    if len(c[NAME]) > 50:
        report(NAME, _("不能超过50个字"))
    if len(c[OPERATION]) > 60:
        report(OPERATION, _("不能超过60个字"))
    if len(c[EMPLOYER]) > 200:
        report(EMPLOYER, _("不能超过200个字"))
    if c[ID_NUMBER]:
        if isinstance(raw[ID_NUMBER], int | float):
            report(ID_NUMBER, _("被 Excel 存成了数字（超过15位的数字会被截断），"
                                "请把该列设为文本格式后重新填写"))
        else:
            try:
                out.id_number = normalize_id_number(c[ID_NUMBER], today=today)
            except IdentifierError as exc:
                report(ID_NUMBER, str(exc))
    if c[KIND]:
        out.kind = KIND_BY_LABEL.get(c[KIND], "")
        if not out.kind:
            report(KIND, _("“%(v)s”不是有效的证书类别，请从下拉列表选择") % {"v": c[KIND]})
    if out.kind == CertificateKind.SPECIAL_OPERATION:
        out.category = CATEGORY_BY_LABEL.get(c[CATEGORY], "")
        if not c[CATEGORY]:
            report(CATEGORY, _("特种作业操作证须填写作业类别"))
        elif not out.category:
            report(CATEGORY, _("“%(v)s”不是《特种作业目录》中的作业类别，请从下拉列表选择")
                   % {"v": c[CATEGORY]})
    elif out.kind and c[CATEGORY]:
        report(CATEGORY, _("安全合格证不填写作业类别"))
    if c[USCC]:
        try:
            uscc = normalize_uscc(c[USCC])
        except IdentifierError as exc:
            report(USCC, str(exc))
        else:
            out.enterprise = enterprises.get(uscc)
            if out.enterprise is None:
                report(USCC, _("统一社会信用代码%(u)s未在系统中登记") % {"u": uscc})
            elif not out.employer:
                out.employer = out.enterprise.name
    if c[AREA]:
        out.jurisdiction = jurisdictions.get(c[AREA])
        if out.jurisdiction is None:
            report(AREA, _("区划代码“%(code)s”不存在") % {"code": c[AREA]})
    elif out.enterprise is not None:
        out.jurisdiction = out.enterprise.jurisdiction
    elif not c[USCC]:
        report(AREA, _("属地区划代码与用人单位统一社会信用代码至少填写一项"))
    if out.jurisdiction is not None and not path_contains(actor_path, out.jurisdiction.path):
        report(AREA, _("%(name)s（%(code)s）不在您的辖区内")
               % {"name": out.jurisdiction.name, "code": out.jurisdiction.code})
    exam = _date(raw[EXAM_DATE], c[EXAM_DATE]) if c[EXAM_DATE] else None
    if c[EXAM_DATE] and exam is None:
        report(EXAM_DATE, _("日期格式不正确，请填写如 2024-03-15"))
    out.issued = _date(raw[ISSUED], c[ISSUED]) if c[ISSUED] else None
    if c[ISSUED] and out.issued is None:
        report(ISSUED, _("日期格式不正确，请填写如 2024-03-28"))
    if out.issued and out.issued > today:
        report(ISSUED, _("发证日期不能晚于今天"))
    if exam and out.issued and out.issued < exam:
        report(ISSUED, _("发证日期不能早于考试日期"))
    for header, attr in ((THEORY, "theory"), (PRACTICAL, "practical")):
        if c[header]:
            value = _score(raw[header], c[header])
            if value is None:
                report(header, _("成绩应为0至100的整数"))
            else:
                setattr(out, attr, value)
    if out.kind and out.issued and len(errors) == before:
        try:
            rules.certificate_dates(rule_kind(out.kind), out.issued)
        except rules.CertificateRuleError as exc:
            report(ISSUED, str(exc))
    out.passed = rules.exam_passed(out.theory, out.practical)
    return out


# --- writing ------------------------------------------------------------------------------

def existing_keys(model: type[Model], key: str, values: list[str]) -> dict[str, int]:
    """{natural key: pk} of the rows already there."""
    found: dict[str, int] = {}
    for start in range(0, len(values), 5000):
        found.update(model.objects.filter(**{f"{key}__in": values[start:start + 5000]})
                     .values_list(key, "pk"))
    return found


def insert_rows(model: type[Model], objects: list[Model], *, key: str) -> dict[str, int]:
    """Insert new rows with one executemany per chunk, and set their primary keys.

    A year's import (and the demo) has tens of thousands of rows, and `bulk_create`
    spends most of its time preparing each value through its field; these rows were
    built from checked values, so the values go in as they are (dates and times through
    the backend's own adapters). `key` is the natural key that finds their ids after."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    ops = connection.ops
    convert = []
    for f in fields:
        if isinstance(f, DateTimeField):
            convert.append(ops.adapt_datetimefield_value)
        elif isinstance(f, DateField):
            convert.append(ops.adapt_datefield_value)
        else:
            convert.append(None)
    quote = ops.quote_name
    sql = (f"INSERT INTO {quote(model._meta.db_table)} "
           f"({', '.join(quote(f.column) for f in fields)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))})")
    with connection.cursor() as cursor:
        for start in range(0, len(objects), 2000):
            rows = []
            for obj in objects[start:start + 2000]:
                values = [getattr(obj, f.attname) for f in fields]
                rows.append([c(v) if c and v is not None else v
                             for c, v in zip(convert, values, strict=True)])
            cursor.executemany(sql, rows)
    ids = existing_keys(model, key, [getattr(o, key) for o in objects])
    for obj in objects:
        obj.pk = ids[getattr(obj, key)]
        obj._state.adding, obj._state.db = False, connection.alias
    return ids


# --- the job ------------------------------------------------------------------------------

def _duplicates(checked: list[_Checked], errors: list[RowError]) -> None:
    seen: dict[tuple[str, str, str], int] = {}
    names: dict[str, tuple[str, int]] = {}
    for row in checked:
        if not row.passed or not row.id_number:
            continue
        first = names.setdefault(row.id_number, (row.name, row.line))
        if first[0] != row.name:
            errors.append(RowError(row.line, NAME, _("与第%(l)s行身份证号相同但姓名不同（%(n)s）")
                                   % {"l": first[1], "n": first[0]}))
        if row.kind == CertificateKind.SPECIAL_OPERATION:
            key = (row.kind, row.id_number, row.operation)
            if key in seen:
                errors.append(RowError(row.line, OPERATION,
                                       _("与第%(l)s行重复（同一人同一操作项目）")
                                       % {"l": seen[key]}))
            seen[key] = row.line
    wanted = sorted({r.id_number for r in checked if r.passed and r.id_number
                     and r.kind == CertificateKind.SPECIAL_OPERATION})
    existing: set[tuple[str, str]] = set()
    for start in range(0, len(wanted), 1000):
        existing.update(Certificate.objects.filter(
            kind=CertificateKind.SPECIAL_OPERATION,
            number__in=[special_number(i) for i in wanted[start:start + 1000]])
            .values_list("number", "operation"))
    for row in checked:
        if (row.passed and row.kind == CertificateKind.SPECIAL_OPERATION
                and (special_number(row.id_number), row.operation) in existing):
            errors.append(RowError(row.line, OPERATION,
                                   _("该持证人已持有同一操作项目的特种作业操作证，不能重复发证")))


def import_certificates(*, actor: User, data: bytes, source: CertificateImport | None = None,
                        ctx: Any = None) -> dict[str, Any]:
    """Check every row, then issue all passed rows' certificates in one transaction.
    Raises ValidationError listing every row error (nothing written) or ImportRejected."""
    if not can_write_certificates(actor) or actor.jurisdiction is None:
        raise PermissionDenied(_("只有考核发证机关的执法人员和管理员可以导入考试成绩"))
    agency = actor.agency
    rows = read_rows(data)
    if not rows:
        raise ImportRejected(_("文件中没有数据行：请在表头下方逐行填写考试成绩"))
    if ctx is not None:
        ctx.set_total(len(rows) * 2)
        ctx.message(_("正在校验 %(n)s 行……") % {"n": f"{len(rows):,}"})
    today = timezone.localdate()
    refs = _references(rows)
    errors: list[RowError] = []
    checked = []
    for index, row in enumerate(rows, start=1):
        checked.append(check_row(row, refs, actor.jurisdiction.path, today, errors))
        if ctx is not None and index % 500 == 0:
            ctx.advance(500)
    if ctx is not None:
        ctx.advance(len(rows) % 500)
    _duplicates(checked, errors)
    if errors:
        order = {h: i for i, h in enumerate(HEADERS)}
        errors.sort(key=lambda e: (e.line, order.get(e.column, 99)))
        raise ValidationError([str(e) for e in errors])

    passed = [r for r in checked if r.passed]
    if ctx is not None:
        ctx.message(_("校验通过，正在发证 %(n)s 张……") % {"n": f"{len(passed):,}"})
    key = signing.private_key()
    try:
        with transaction.atomic():
            holders = _holders(passed)
            serials: dict[str, int] = {}
            certs: list[Certificate] = []
            for row in passed:
                dates = rules.certificate_dates(rule_kind(row.kind), row.issued)
                if row.kind == CertificateKind.SPECIAL_OPERATION:
                    number = special_number(row.id_number)
                else:
                    prefix = manager_number_prefix(agency, row.kind, row.issued.year)
                    if prefix not in serials:
                        serials[prefix] = next_manager_serial(prefix)
                    number = f"{prefix}{serials[prefix]:06d}"
                    serials[prefix] += 1
                cert = Certificate(
                    kind=row.kind, number=number, category=row.category,
                    operation=row.operation, holder=holders[row.id_number],
                    holder_name=row.name, enterprise=row.enterprise,
                    employer_name=row.employer, jurisdiction=row.jurisdiction,
                    jurisdiction_path=row.jurisdiction.path, agency=agency,
                    issued_on=row.issued, review_due=dates.review_due,
                    expires_on=dates.expires, review_interval_years=dates.review_interval_years,
                    exam_theory=row.theory, exam_practical=row.practical, source=source)
                signing.sign_certificate(cert, key)
                certs.append(cert)
            for start in range(0, len(certs), BATCH):
                chunk = certs[start:start + BATCH]
                insert_rows(Certificate, chunk, key="signature")
                record_events(actor=actor, entries=[
                    (c, "certificate.issued", {**certificate_payload(c), "source": "import"})
                    for c in chunk])
                if ctx is not None:
                    ctx.advance(round(len(chunk) * len(rows) / max(len(passed), 1)))
            if source is not None:
                source.rows, source.issued = len(rows), len(certs)
                source.failed_exam, source.finished_at = len(rows) - len(certs), timezone.now()
                source.save(update_fields=["rows", "issued", "failed_exam", "finished_at"])
    except IntegrityError as exc:
        raise ImportRejected(_("导入期间有其他用户办理了文件中的证书，本次未导入任何数据，"
                               "请重新上传")) from exc
    return {"rows": len(rows), "issued": len(certs), "failed_exam": len(rows) - len(certs)}


def _holders(rows: list[_Checked]) -> dict[str, CertificateHolder]:
    ids = sorted({r.id_number for r in rows})
    holders: dict[str, CertificateHolder] = {}
    for start in range(0, len(ids), 1000):
        holders.update((h.id_number, h) for h in CertificateHolder.objects.filter(
            id_number__in=ids[start:start + 1000]))
    names = {r.id_number: r.name for r in rows}
    new = [CertificateHolder(name=names[i], id_number=i) for i in ids if i not in holders]
    insert_rows(CertificateHolder, new, key="id_number")
    holders.update((h.id_number, h) for h in new)
    return holders


def run_import(ctx: Any, import_id: int) -> dict[str, Any]:
    """The background job's target (`core.jobs`): import the stored workbook."""
    source = CertificateImport.objects.select_related("created_by__agency__jurisdiction").get(
        pk=import_id)
    data = read_xlsx_upload(bytes(source.data))
    result = import_certificates(actor=source.created_by, data=data, source=source, ctx=ctx)
    from django.urls import reverse

    result["summary"] = _("共 %(rows)s 行，发证 %(issued)s 张，"
                          "考试不合格未发证 %(failed)s 人次。") % {
        "rows": f"{result['rows']:,}", "issued": f"{result['issued']:,}",
        "failed": f"{result['failed_exam']:,}"}
    result["url"] = reverse("licensing:certificate_import_detail", args=[source.pk])
    return result
