"""The tips ledger (举报台账) as an Excel workbook: one row per tip, in the order received —
tracking code, received date, channel, named or anonymous, area and agency, kind, the
matter (subject and a short summary of the tipster's words), the acceptance and handling
deadlines, status and whether it is overdue, the verification outcome, the inspection or
case it led to and the reward. Money as numbers (yuan, `#,##0.00`), dates as Excel dates.

The informant's identity is never in it, not even for the tip desk: the encrypted
identity column is not read at all (deferred) and the summary is the tipster's text
masked as every non-desk page shows it (`selectors.masked_text`: ID and telephone
numbers hidden). The caller passes the tips already scoped to the user
(`fazhi.oversight.selectors.tip_list`); the header style is the project's
(`fazhi.core.xlsx.ledger_workbook`)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment

from fazhi.core.xlsx import DATE_FORMAT, MONEY_FORMAT, Column, ledger_bytes, ledger_workbook
from fazhi.oversight.models import Tip
from fazhi.oversight.selectors import masked_text

COLUMNS: tuple[Column, ...] = (
    Column("序号", 6, "int"),
    Column("查询码（编号）", 14),
    Column("收到日期", 12, "date"),
    Column("举报渠道", 14),
    Column("实名/匿名", 9),
    Column("属地", 14),
    Column("承办机关", 26, "wrap"),
    Column("举报类别", 24, "wrap"),
    Column("被举报单位或场所", 28, "wrap"),
    Column("举报事项摘要", 44, "wrap"),
    Column("受理期限", 12, "date"),
    Column("受理日期", 12, "date"),
    Column("办结期限", 12, "date"),
    Column("办结日期", 12, "date"),
    Column("办理状态", 10),
    Column("是否超期", 8),
    Column("核查结论", 12),
    Column("核查检查", 20),
    Column("立案查处案件", 24),
    Column("奖励金额（元）", 14, "money"),
    Column("奖励状态", 14),
)
HEADERS = tuple(c.header for c in COLUMNS)
FORMATS = {"date": DATE_FORMAT, "money": MONEY_FORMAT}
SUMMARY_CHARS = 120
# Never read for the ledger: the identity (encrypted) and the tracking secret's hash.
_NOT_READ = ("identity_token", "secret_hash")


def _summary(tip: Tip) -> str:
    text = " ".join(masked_text(tip.content).split())
    return text if len(text) <= SUMMARY_CHARS else text[:SUMMARY_CHARS] + "…"


def _overdue(tip: Tip, today: datetime.date) -> bool:
    """As `selectors.tips_overdue`: not accepted by the acceptance deadline, or accepted
    and not concluded by the handling deadline."""
    if tip.status == Tip.Status.RECEIVED:
        return tip.accept_due < today
    if tip.status == Tip.Status.ACCEPTED:
        return tip.handling_due is not None and tip.handling_due < today
    return False


def _row(number: int, tip: Tip, today: datetime.date) -> list[Any]:
    reward = getattr(tip, "reward", None)
    inspection = tip.inspection
    case = tip.case
    return [
        number,
        tip.code,
        tip.received_on,
        tip.get_channel_display(),
        _("匿名") if tip.anonymous else _("实名"),
        tip.jurisdiction.name,
        tip.agency.name,
        tip.get_kind_display(),
        tip.subject_name,
        _summary(tip),
        tip.accept_due,
        tip.accepted_on,
        tip.handling_due,
        tip.concluded_on,
        tip.get_status_display(),
        _("是") if _overdue(tip, today) else "",
        tip.get_outcome_display() if tip.outcome else "",
        (_("#%(pk)s（%(day)s）") % {"pk": inspection.pk, "day": inspection.date.isoformat()}
         if inspection is not None else ""),
        (case.number or _("线索%(pk)s") % {"pk": case.pk}) if case is not None else "",
        reward.amount if reward is not None else None,
        reward.get_status_display() if reward is not None else "",
    ]


def tip_ledger_workbook(tips: QuerySet[Tip]) -> bytes:
    """The ledger of `tips` as .xlsx bytes: the project's header row (bold, frozen), set
    column widths, dates as Excel dates, money as numbers; overdue as of today
    (Asia/Shanghai). A fixed number of queries whatever the number of tips."""
    today = timezone.localdate()
    rows = (tips.select_related("jurisdiction", "agency", "reward", "inspection", "case")
            .defer(*_NOT_READ)
            .order_by("received_at", "id"))

    wb, ws = ledger_workbook(_("举报台账"), HEADERS, [c.width for c in COLUMNS])
    wrap = Alignment(wrap_text=True, vertical="top")
    for number, tip in enumerate(rows.iterator(chunk_size=500), start=1):
        ws.append(_row(number, tip, today))
        for col, column in enumerate(COLUMNS, start=1):
            cell = ws.cell(row=number + 1, column=col)
            if column.kind in FORMATS:
                cell.number_format = FORMATS[column.kind]
            elif column.kind == "wrap":
                cell.alignment = wrap
    return ledger_bytes(wb, ws, HEADERS, text_columns=("查询码（编号）",))
