"""Excel import of a plan's task list (任务清单导入).

`task_template(units)` gives the .xlsx to fill (Chinese headers, an example row, the
owner units the user may name on a second sheet). `task_import(actor, plan, file)` reads
every row and checks it before writing anything; every problem is reported as (Excel
line, column, Chinese reason) and one bad row means nothing is written. A good file is
written in one transaction (`services.tasks_bulk_create`), one event per task.
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from openpyxl import load_workbook

from fazhi.core.models import User
from fazhi.core.xlsx import (
    ImportRejected,
    cell_text,
    ledger_bytes,
    ledger_workbook,
    read_xlsx_upload,
)
from fazhi.tasks import services
from fazhi.tasks.models import ActionPlan, OwnerUnit, Task

NUMBER, TITLE, OWNERS, DUE, ASSIGNED, NOTE = HEADERS = (
    "序号", "任务内容", "责任单位", "完成时限", "下达日期", "备注")
REQUIRED = (NUMBER, TITLE, OWNERS, DUE)
WIDTHS = (8, 60, 40, 14, 14, 30)
SHEET_TITLE = "任务清单"
UNITS_SHEET = "责任单位"
EXAMPLE_MARK = "【示例】"
MAX_ROWS = 5_000
SEPARATORS = re.compile(r"[、，,;；\n]+")
DATE_PATTERNS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日")


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    reason: str


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def task_template(units: Iterable[OwnerUnit]) -> bytes:
    wb, ws = ledger_workbook(SHEET_TITLE, [f"{h}*" if h in REQUIRED else h for h in HEADERS],
                             WIDTHS)
    ws.append(["1", f"{EXAMPLE_MARK}全面排查重大事故隐患并建立台账（导入时忽略本行）",
               "市应急管理局执法支队、嘉兴市住房和城乡建设局", "2025-06-30", "", ""])
    names = wb.create_sheet(UNITS_SHEET)
    names.append(["可填写的责任单位名称（多个单位用顿号“、”分隔）"])
    names.column_dimensions["A"].width = 50
    for unit in units:
        names.append([unit.name])
    return ledger_bytes(wb, ws, HEADERS, text_columns=(NUMBER,))


def _date(value: Any) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = cell_text(value)
    for pattern in DATE_PATTERNS:
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(f"“{text}”不是有效日期，请填写如 2025-06-30")


def _rows(data: bytes) -> list[tuple[int, dict[str, Any]]]:
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ImportRejected("无法读取该 Excel 文件，文件可能已损坏或不是 .xlsx 格式") from exc
    try:
        ws = wb[SHEET_TITLE] if SHEET_TITLE in wb.sheetnames else wb.worksheets[0]
        reader = ws.iter_rows(values_only=True)
        header = next(reader, None)
        if header is None:
            raise ImportRejected("文件是空的：没有表头，也没有数据行。请使用导入模板填写。")
        found = [cell_text(v).rstrip("*＊") for v in header][:len(HEADERS)]
        if found != list(HEADERS):
            raise ImportRejected("表头与导入模板不一致，应为：" + "、".join(HEADERS)
                                 + "。请下载导入模板填写。")
        rows = []
        for line, values in enumerate(reader, start=2):
            values = tuple(values[:len(HEADERS)]) + (None,) * (len(HEADERS) - len(values))
            cells = dict(zip(HEADERS, values, strict=True))
            if (not any(cell_text(v) for v in values)
                    or cell_text(cells[TITLE]).startswith(EXAMPLE_MARK)):
                continue
            if len(rows) >= MAX_ROWS:
                raise ImportRejected(f"数据超过 {MAX_ROWS:,} 行，请拆分为多个文件导入")
            rows.append((line, cells))
        return rows
    finally:
        wb.close()


def task_import(*, actor: User, plan: ActionPlan, file: Any,
                units: Iterable[OwnerUnit]) -> ImportResult:
    """Check every row, then write all of them or none. `units`: the units the actor
    may name (by exact name)."""
    if not services.can_manage(actor, plan.jurisdiction_path):
        raise ImportRejected("只有本辖区的负责人或管理员可以导入任务清单。")
    rows = _rows(read_xlsx_upload(file))
    if not rows:
        raise ImportRejected("文件中没有任务数据行（示例行不计）。")
    by_name = {u.name: u for u in units}
    taken = set(Task.objects.filter(plan=plan).values_list("number", flat=True))
    result = ImportResult(rows=len(rows))
    seen: dict[str, int] = {}
    good: list[tuple[Task, list[OwnerUnit]]] = []
    for line, cells in rows:
        errors = []

        def fail(column: str, reason: str, errors: list = errors, line: int = line) -> None:
            errors.append(RowError(line, column, reason))

        for column in REQUIRED:
            if not cell_text(cells[column]):
                fail(column, "必填项为空")
        number, title = cell_text(cells[NUMBER]), cell_text(cells[TITLE])
        if number in taken:
            fail(NUMBER, f"序号“{number}”在该方案中已存在")
        elif number and number in seen:
            fail(NUMBER, f"序号“{number}”与第{seen[number]}行重复")
        seen.setdefault(number, line)
        owners = []
        for name in (n.strip() for n in SEPARATORS.split(cell_text(cells[OWNERS])) if n.strip()):
            if name in by_name:
                owners.append(by_name[name])
            else:
                fail(OWNERS, f"责任单位“{name}”不存在或不可选（见模板“{UNITS_SHEET}”表）")
        dates: dict[str, datetime.date | None] = {DUE: None, ASSIGNED: None}
        for column in (DUE, ASSIGNED):
            if cell_text(cells[column]):
                try:
                    dates[column] = _date(cells[column])
                except ValueError as exc:
                    fail(column, str(exc))
        if not errors:
            task = Task(plan=plan, number=number, title=title, due_on=dates[DUE],
                        assigned_on=dates[ASSIGNED] or plan.issued_on,
                        note=cell_text(cells[NOTE])[:300])
            try:
                task.full_clean(exclude=["owners", "jurisdiction_path"],
                                validate_unique=False)
            except ValidationError as exc:
                labels = {"due_on": DUE, "completed_on": DUE, "assigned_on": ASSIGNED,
                          "title": TITLE, "number": NUMBER, "note": NOTE}
                for key, messages in exc.message_dict.items():
                    for message in messages:
                        fail(labels.get(key, TITLE), message)
            else:
                good.append((task, list(dict.fromkeys(owners))))
        result.errors.extend(errors)
    if result.errors:
        return result
    with transaction.atomic():
        services.tasks_bulk_create(actor=actor, plan=plan, rows=good)
    result.created = len(good)
    return result
