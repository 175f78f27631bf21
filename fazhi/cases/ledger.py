"""The case ledger (案件台账) as an Excel workbook: one row per party's decision (处理
决定), in filing order — 一案双罚 gives the unit and its principal a row each; a case
with no decision yet has one row. Money as numbers (yuan, `#,##0.00`), dates as Excel
dates. The caller passes the cases already scoped to the user
(fazhi.cases.selectors.case_list); the header style is the hazard ledger's
(fazhi.inspection.ledger)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment

from fazhi.cases.models import (
    CaseParty,
    LegalReview,
    Outcome,
    PartyDecision,
    PenaltyCase,
)
from fazhi.cases.services.workflow import execution_state
from fazhi.core.xlsx import DATE_FORMAT, MONEY_FORMAT, Column, ledger_bytes, ledger_workbook
from fazhi.legal.labels import MEASURE_LABELS

COLUMNS: tuple[Column, ...] = (
    Column("序号", 6),
    Column("立案编号", 24),
    Column("案件来源", 10),
    Column("当事单位", 30),
    Column("当事人", 20),
    Column("当事人类别", 14),
    Column("执法事项", 40, "wrap"),
    Column("立案日期", 12, "date"),
    Column("办理阶段", 16),
    Column("处理结果", 14),
    Column("处罚种类", 24, "wrap"),
    Column("罚款（元）", 14, "money"),
    Column("没收（元）", 14, "money"),
    Column("决定书文号", 26),
    Column("决定日期", 12, "date"),
    Column("送达日期", 12, "date"),
    Column("缴款情况", 30, "wrap"),
    Column("公示日期", 12, "date"),
    Column("法制审核", 18),
    Column("集体讨论", 18),
    Column("移送", 30, "wrap"),
    Column("结案日期", 12, "date"),
)
HEADERS = tuple(c.header for c in COLUMNS)


def _yuan(amount: Decimal) -> str:
    return f"{amount:,.2f}"


def _payment_text(decision: PartyDecision, today: datetime.date) -> str:
    """How the fine and confiscation stand: paid, owed (with the surcharge), or not due
    yet; the arrangement and the court's enforcement when there are any."""
    if decision.outcome != Outcome.PENALTY or not decision.amount_due:
        return ""
    court = getattr(decision, "court_enforcement", None)
    if court is not None and court.concluded_on is not None:
        return _("经人民法院强制执行终结")
    state = execution_state(decision, today)
    if state is None:
        return _("未送达，缴款期限未起算")
    if state.settled:
        text = _("已缴清")
        if state.surcharge:
            text += _("（含加处罚款%(s)s元）") % {"s": _yuan(state.surcharge)}
    else:
        text = _("未缴清：尚欠罚没款%(p)s元") % {"p": _yuan(state.principal_outstanding)}
        if state.surcharge_outstanding:
            text += _("，加处罚款%(s)s元") % {"s": _yuan(state.surcharge_outstanding)}
    arrangement = getattr(decision, "arrangement", None)
    if arrangement is not None:
        text += f"（{arrangement.get_kind_display()}）"
    if court is not None:
        text += _("；已申请人民法院强制执行")
    return text


def _review_text(case: PenaltyCase) -> str:
    reviews: list[LegalReview] = list(case.legal_reviews.all())  # prefetched, by round
    if reviews:
        last = reviews[-1]
        conclusion = last.get_conclusion_display() if last.conclusion else _("审核中")
        return _("%(conclusion)s（第%(round)s轮）") % {"conclusion": conclusion,
                                                     "round": last.round}
    if case.review_required:
        return _("应审核，尚未提交")
    return _("不需要") if case.review_required is False else ""


def _collective_text(case: PenaltyCase) -> str:
    discussions = list(case.discussions.all())
    if discussions:
        return "；".join(f"{d.date:%Y-%m-%d}" for d in discussions)
    if case.collective_required:
        return _("应讨论，尚未讨论")
    return _("不需要") if case.collective_required is False else ""


def _items_text(case: PenaltyCase, decision: PartyDecision | None) -> str:
    items = [decision.item] if decision is not None and decision.item is not None else list(
        case.items.all())
    return "；".join(f"{i.code} {i.name}" for i in items)


def _rows(number: int, case: PenaltyCase, today: datetime.date) -> list[list[Any]]:
    parties: list[CaseParty] = list(case.parties.all())
    decided = [(p, p.decision) for p in parties if hasattr(p, "decision")]
    common = {
        "review": _review_text(case),
        "collective": _collective_text(case),
        "transfers": "；".join(f"{t.get_kind_display()}（{t.number}）"
                              for t in case.transfers.all()),
    }
    if not decided:
        return [[
            number, case.number, case.get_source_display(), case.enterprise.name,
            "、".join(p.name for p in parties), "、".join(p.get_kind_display() for p in parties),
            _items_text(case, None), case.filed_on, case.get_status_display(),
            "", "", None, None, "", None, None, "", None,
            common["review"], common["collective"], common["transfers"], case.closed_on,
        ]]
    rows = []
    for offset, (party, decision) in enumerate(decided):
        publicity = getattr(decision, "publicity", None)
        rows.append([
            number + offset, case.number, case.get_source_display(), case.enterprise.name,
            party.name, party.get_kind_display(), _items_text(case, decision), case.filed_on,
            case.get_status_display(), decision.get_outcome_display(),
            "、".join(str(MEASURE_LABELS.get(m, m)) for m in decision.measures),
            decision.fine, decision.confiscation, decision.number, decision.decided_on,
            decision.served_on, _payment_text(decision, today),
            publicity.published_on if publicity is not None else None,
            common["review"], common["collective"], common["transfers"], case.closed_on,
        ])
    return rows


def case_ledger_workbook(cases: QuerySet[PenaltyCase]) -> bytes:
    """The ledger of `cases` as .xlsx bytes: a bold, frozen header row, set column
    widths, dates as Excel dates and money as numbers; payment as of today
    (Asia/Shanghai). A fixed number of queries whatever the number of cases."""
    today = timezone.localdate()
    parties = (CaseParty.objects.order_by("id")
               .select_related("decision__item", "decision__arrangement",
                               "decision__publicity", "decision__court_enforcement")
               .prefetch_related("decision__payments", "decision__remedies"))
    rows = (cases.select_related("enterprise")
            .prefetch_related(Prefetch("parties", queryset=parties), "items",
                              Prefetch("legal_reviews",
                                       queryset=LegalReview.objects.order_by("round")),
                              "discussions", "transfers")
            .order_by("filed_on", "created_at", "id"))

    wb, ws = ledger_workbook(_("案件台账"), HEADERS, [c.width for c in COLUMNS])

    wrap = Alignment(wrap_text=True, vertical="top")
    formats = {"date": DATE_FORMAT, "money": MONEY_FORMAT}
    number = 1
    for case in rows.iterator(chunk_size=500):
        for row in _rows(number, case, today):
            ws.append(row)
            for col, column in enumerate(COLUMNS, start=1):
                cell = ws.cell(row=ws.max_row, column=col)
                if column.kind in formats:
                    cell.number_format = formats[column.kind]
                elif column.kind == "wrap":
                    cell.alignment = wrap
            number += 1
    return ledger_bytes(wb, ws, HEADERS)
