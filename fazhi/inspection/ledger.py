"""The hazard ledger (隐患台账) as an Excel workbook: one row per hazard, in the order
found, with its rectification orders, re-inspection, supervision listing and closure.

A hazard may go through several orders (a failed re-inspection orders it again): the
ledger lists every order number, the deadline and report date of the current (last)
order, and the latest re-inspection. The caller passes the hazards already scoped to
the user (fazhi.inspection.selectors.hazard_list)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment

from fazhi.core.xlsx import DATE_FORMAT, Column, ledger_bytes, ledger_workbook
from fazhi.inspection.models import Hazard, RectificationOrder

YES, NO = "是", "否"


COLUMNS: tuple[Column, ...] = (
    Column("序号", 6),
    Column("单位名称", 30),
    Column("统一社会信用代码", 22),
    Column("属地", 12),
    Column("发现日期", 12, "date"),
    Column("隐患等级", 14),
    Column("判定依据", 40, "wrap"),
    Column("隐患描述", 40, "wrap"),
    Column("整改指令文号", 26, "wrap"),
    Column("整改期限", 12, "date"),
    Column("整改报告日期", 12, "date"),
    Column("复查日期", 12, "date"),
    Column("复查结论", 10),
    Column("挂牌督办级别", 14),
    Column("督办机关", 24),
    Column("销号日期", 12, "date"),
    Column("状态", 20),
    Column("是否逾期", 10),
)
HEADERS = tuple(c.header for c in COLUMNS)


def _criterion_text(hazard: Hazard) -> str:
    criterion = hazard.criterion
    if criterion is None:
        return ""
    return f"{criterion.get_standard_display()}（{criterion.code}）{criterion.text}"


def _row(number: int, hazard: Hazard, today: datetime.date) -> list[Any]:
    orders: list[RectificationOrder] = list(hazard.orders.all())  # prefetched, in issue order
    current = orders[-1] if orders else None
    reinspections = [o.reinspection for o in orders if hasattr(o, "reinspection")]
    latest = max(reinspections, key=lambda r: (r.date, r.pk)) if reinspections else None
    supervision = getattr(hazard, "supervision", None)
    status = str(hazard.get_status_display())
    if hazard.rectified_on_site:
        status = _("%(status)s（当场整改）") % {"status": status}
    return [
        number,
        hazard.enterprise.name,
        hazard.enterprise.uscc,
        hazard.jurisdiction.name,
        hazard.found_on,
        str(hazard.get_level_display()),
        _criterion_text(hazard),
        hazard.description,
        "；".join(o.number for o in orders),
        current.deadline if current else None,
        current.report_date if current else None,
        latest.date if latest else None,
        (_("合格") if latest.passed else _("不合格")) if latest else "",
        str(supervision.get_level_display()) if supervision else "",
        supervision.agency.name if supervision else "",
        hazard.closed_on,
        status,
        YES if hazard.overdue(today) else NO,
    ]


def hazard_ledger_workbook(hazards: QuerySet[Hazard]) -> bytes:
    """The ledger of `hazards` as .xlsx bytes: a bold, frozen header row, set column
    widths, dates as Excel dates; overdue as of today (Asia/Shanghai)."""
    today = timezone.localdate()
    orders = RectificationOrder.objects.select_related("reinspection").order_by("issued_on", "id")
    rows = (hazards.select_related("enterprise", "jurisdiction", "criterion",
                                   "supervision__agency")
            .prefetch_related(Prefetch("orders", queryset=orders))
            .order_by("found_on", "id"))

    wb, ws = ledger_workbook(_("隐患台账"), HEADERS, [c.width for c in COLUMNS])

    wrap = Alignment(wrap_text=True, vertical="top")
    for number, hazard in enumerate(rows.iterator(chunk_size=500), start=1):
        ws.append(_row(number, hazard, today))
        for col, column in enumerate(COLUMNS, start=1):
            if column.kind == "date":
                ws.cell(row=number + 1, column=col).number_format = DATE_FORMAT
            elif column.kind == "wrap":
                ws.cell(row=number + 1, column=col).alignment = wrap
    return ledger_bytes(wb, ws, HEADERS, text_columns=("统一社会信用代码",))
