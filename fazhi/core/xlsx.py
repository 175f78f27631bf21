"""What every Excel import and export shares: the size limit, the whole-file refusal,
reading an uploaded .xlsx and the text of a cell (the enterprise, catalogue, certificate
and task-list imports); the ledger sheet with the project's header style (the ledgers)."""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

MAX_BYTES = 10 * 1024 * 1024
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Cell formats of the ledgers.
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
MONEY_FORMAT = "#,##0.00"


@dataclass(frozen=True)
class Column:
    """A ledger column: its header, its width and how its cells are formatted
    (text | int | date | datetime | money | wrap)."""

    header: str
    width: int
    kind: str = "text"


class ImportRejected(ValidationError):
    """The whole file is refused (the message says why, in Chinese)."""


def cell_text(value: Any) -> str:
    """A cell as the text an officer typed: numbers Excel stored as floats without their
    ".0", a date-time at midnight as the date, surrounding spaces removed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        value = value.date()
    return str(value).strip()


def read_xlsx_upload(file: Any) -> bytes:
    """The uploaded file's bytes (an UploadedFile, a file object, bytes or a path),
    refused unless it is a non-empty .xlsx of at most MAX_BYTES."""
    name = str(getattr(file, "name", "") or "")
    if name and not name.lower().endswith(".xlsx"):
        if name.lower().endswith(".xls"):
            raise ImportRejected(_("不支持旧版 .xls 文件，请在 Excel 中另存为 .xlsx 后上传"))
        raise ImportRejected(_("请上传 Excel .xlsx 文件（可先下载导入模板）"))
    if isinstance(file, bytes | bytearray):
        data = bytes(file)
    elif isinstance(file, str):
        with open(file, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    else:
        if hasattr(file, "seek"):
            file.seek(0)
        data = file.read(MAX_BYTES + 1)
    if not data:
        raise ImportRejected(_("上传的文件是空的"))
    if len(data) > MAX_BYTES:
        raise ImportRejected(_("文件超过 %(mb)s MB，请分批导入")
                             % {"mb": MAX_BYTES // 1024 // 1024})
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ImportRejected(_("文件不是有效的 Excel .xlsx 文件，请使用导入模板填写"))
    return data


def ledger_workbook(title: str, headers: Sequence[str], widths: Sequence[int]
                    ) -> tuple[Workbook, Worksheet]:
    """A workbook whose one sheet `title` starts with the header row in the style of the
    project's other workbooks (bold on light blue, centred, wrapped), the column widths
    and the header frozen."""
    wb = Workbook()
    ws = wb.active
    ws.title = title
    ws.append(list(headers))
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for col, width in enumerate(widths, start=1):
        cell = ws.cell(row=1, column=col)
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A2"
    return wb, ws


def ledger_bytes(wb: Workbook, ws: Worksheet, headers: Sequence[str], *,
                 text_columns: Sequence[str] = ()) -> bytes:
    """The finished ledger as .xlsx bytes: the `text_columns` kept as text (a 统一社会信用
    代码 would otherwise be read as a number by Excel), an auto-filter over the rows."""
    for header in text_columns:
        col = list(headers).index(header) + 1
        for (cell,) in ws.iter_rows(min_row=2, min_col=col, max_col=col):
            cell.number_format = "@"
    if ws.max_row > 1:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{ws.max_row}"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def xlsx_response(content: bytes, file_name: str) -> HttpResponse:
    """The workbook as a download named `file_name` (RFC 5987 for Chinese names)."""
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, file_name)
    return response
