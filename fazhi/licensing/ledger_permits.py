"""许可证台账.xlsx: the permits of the list page (same filters) in the user's scope."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone

from fazhi.core.xlsx import DATE_FORMAT, Column, ledger_bytes, ledger_workbook
from fazhi.licensing.models_permits import Permit

COLUMNS = (
    Column("许可证编号", 30), Column("许可证种类", 24), Column("单位名称", 36),
    Column("统一社会信用代码", 22), Column("许可范围", 40, "wrap"), Column("发证机关", 24),
    Column("发证日期", 12, "date"), Column("有效期自", 12, "date"),
    Column("有效期至", 12, "date"), Column("状态", 10), Column("暂扣至", 12, "date"),
)


def permit_ledger_workbook(permits: Iterable[Permit]) -> bytes:
    headers = [c.header for c in COLUMNS]
    wb, ws = ledger_workbook("许可证台账", headers, [c.width for c in COLUMNS])
    today = timezone.localdate()
    for p in permits:
        code = p.current_status(today)
        status = "已过期" if code == "expired" else str(Permit.Status(code).label)
        ws.append([p.number, p.get_permit_type_display(), p.holder_name, p.enterprise.uscc,
                   p.scope, p.agency.name, p.issued_on, p.valid_from, p.valid_until, status,
                   p.suspended_until])
    for index, column in enumerate(COLUMNS, start=1):
        if column.kind == "date":
            for (cell,) in ws.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = DATE_FORMAT
    return ledger_bytes(wb, ws, headers, text_columns=["统一社会信用代码"])
