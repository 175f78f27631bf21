"""The accident ledger (事故台账) as an Excel workbook: one row per accident in the order
they happened — place, unit, industry, figures (latest known) and class (the engine's,
with the article), how the figures changed, reporting (迟报 computed, 漏报 / 谎报 / 瞒报
as found), the investigation with its deadlines, the accountability and the penalty
cases opened from it, legal guidance and written opinions. Money as numbers (yuan,
`#,##0.00`), dates as Excel dates. The caller passes the accidents already scoped to
the user (`fazhi.accidents.selectors.accident_list`); the header style is the project's
(`fazhi.core.xlsx.ledger_workbook`)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment

from fazhi.accidents.models import Accident, AccidentRevision, Accountability, Investigation
from fazhi.accidents.selectors import accident_reporting
from fazhi.core.xlsx import (
    DATE_FORMAT,
    DATETIME_FORMAT,
    MONEY_FORMAT,
    Column,
    ledger_bytes,
    ledger_workbook,
)

COLUMNS: tuple[Column, ...] = (
    Column("序号", 6, "int"),
    Column("事故编号", 24),
    Column("发生时间", 17, "datetime"),
    Column("发生地（行政区划）", 14),
    Column("发生地点", 26, "wrap"),
    Column("事故单位", 28, "wrap"),
    Column("统一社会信用代码", 21),
    Column("行业领域", 10),
    Column("高速公路", 8),
    Column("死亡人数", 8, "int"),
    Column("下落不明人数", 8, "int"),
    Column("重伤人数", 8, "int"),
    Column("直接经济损失（元）", 16, "money"),
    Column("事故等级", 12),
    Column("定级依据", 30, "wrap"),
    Column("数据变更", 36, "wrap"),
    Column("报告情况", 30, "wrap"),
    Column("负责调查", 22, "wrap"),
    Column("调查组成立日期", 12, "date"),
    Column("调查报告期限", 12, "date"),
    Column("报告提交日期", 12, "date"),
    Column("批复日期", 12, "date"),
    Column("批复机关", 18, "wrap"),
    Column("责任追究", 36, "wrap"),
    Column("行政处罚案件", 26, "wrap"),
    Column("法律指导", 10, "int"),
    Column("书面合法性审查意见", 10, "int"),
)
HEADERS = tuple(c.header for c in COLUMNS)
FORMATS = {"date": DATE_FORMAT, "datetime": DATETIME_FORMAT, "money": MONEY_FORMAT}


def _citations(items: Any) -> str:
    return "；".join(f"《{c.get('law', '')}》{c.get('article', '')}"
                    for c in items or () if isinstance(c, dict))


def _revisions_text(revisions: list[AccidentRevision]) -> str:
    """Each change after registration: the day it was known, deaths and class, why."""
    return "；".join(
        _("%(day)s 死亡%(d)s人 重伤%(s)s人 %(c)s（%(r)s）") % {
            "day": r.known_on.isoformat(), "d": r.deaths, "s": r.serious_injuries,
            "c": r.get_accident_class_display(), "r": r.reason}
        for r in revisions[1:])


def _reporting_text(accident: Accident) -> str:
    status = accident_reporting(accident)
    parts = []
    if status.unit_late is not None:
        parts.append(_("单位报告：%(s)s") % {"s": _("迟报") if status.unit_late.late
                                                else _("按时")})
    elif accident.head_informed_at is None:
        parts.append(_("单位报告时间未记录"))
    if status.upward_late is not None:
        parts.append(_("向上级报告：%(s)s") % {"s": _("迟报") if status.upward_late.late
                                                  else _("按时")})
    found = [label for label, on in ((_("漏报"), status.omitted),
                                     (_("谎报"), status.false_report),
                                     (_("瞒报"), status.concealed)) if on]
    if found:
        parts.append(_("认定：%(acts)s") % {"acts": "、".join(found)})
    return "；".join(parts)


def _accountability_text(items: list[Accountability]) -> str:
    return "；".join(f"{a.name}（{a.get_subject_display()}）：{a.measures}" for a in items)


def _row(number: int, accident: Accident) -> list[Any]:
    inv: Investigation | None = getattr(accident, "investigation", None)
    items = list(inv.accountability.all()) if inv else []
    enterprise = accident.enterprise
    return [
        number,
        accident.number,
        # openpyxl writes naive datetimes: the Shanghai wall-clock time
        timezone.localtime(accident.occurred_at).replace(tzinfo=None),
        accident.jurisdiction.name,
        accident.place,
        enterprise.name if enterprise else "",
        enterprise.uscc if enterprise else "",
        accident.get_industry_display(),
        _("是") if accident.on_highway else _("否"),
        accident.deaths,
        accident.missing,
        accident.serious_injuries,
        accident.direct_loss,
        accident.get_accident_class_display(),
        _citations(accident.class_citations),
        _revisions_text(list(accident.revisions.all())),
        _reporting_text(accident),
        inv.led_by if inv else "",
        inv.started_on if inv else None,
        inv.report_due if inv else None,
        inv.report_submitted_on if inv else None,
        inv.approved_on if inv else None,
        inv.approved_by if inv else "",
        _accountability_text(items),
        "；".join(a.case.number or _("线索%(pk)s") % {"pk": a.case_id}
                 for a in items if a.case_id),
        len(inv.reviews.all()) if inv else 0,
        len(inv.opinions.all()) if inv else 0,
    ]


def accident_ledger_workbook(accidents: QuerySet[Accident]) -> bytes:
    """The ledger of `accidents` as .xlsx bytes: the project's header row (bold, frozen),
    set column widths, dates as Excel dates and money as numbers. A fixed number of
    queries whatever the number of accidents."""
    rows = (accidents.select_related("jurisdiction", "enterprise", "investigation")
            .prefetch_related(
                Prefetch("revisions", queryset=AccidentRevision.objects.order_by(
                    "known_on", "id")),
                Prefetch("investigation__accountability",
                         queryset=Accountability.objects.select_related("case")
                         .order_by("id")),
                "investigation__reviews", "investigation__opinions")
            .order_by("occurred_at", "id"))

    wb, ws = ledger_workbook(_("事故台账"), HEADERS, [c.width for c in COLUMNS])
    wrap = Alignment(wrap_text=True, vertical="top")
    for number, accident in enumerate(rows, start=1):
        ws.append(_row(number, accident))
        for col, column in enumerate(COLUMNS, start=1):
            cell = ws.cell(row=number + 1, column=col)
            if column.kind in FORMATS:
                cell.number_format = FORMATS[column.kind]
            elif column.kind == "wrap":
                cell.alignment = wrap
    return ledger_bytes(wb, ws, HEADERS, text_columns=("统一社会信用代码",))

