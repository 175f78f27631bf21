"""What a party owes on a decision on a given day (pure): the fine and confiscation
(罚没款) by instalment, and the surcharge (加处罚款) each late instalment has run up.

- 行政处罚法(2021) 第六十六条: payment within the decision's period; with economic
  hardship, deferral or instalments on application and approval — each instalment's
  own due date then replaces the payment deadline for its amount.
- 第七十二条第一款第（一）项: 3 % of the fine a day after the due date, capped at the fine
  (`fazhi.legal.rules.deadlines.late_payment_surcharge`, which also leaves out the days
  of reconsideration and litigation, 第七十三条第三款).

The surcharge of an instalment runs from the day after its due date to the day the
payments first cover it (or to `as_of` while unpaid), on that instalment's amount: a
reading (the law speaks of "罚款数额"; for an instalment the amount in arrears is the
one overdue), applied the same way to a single payment deadline.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from fazhi.legal.rules.citations import Citation
from fazhi.legal.rules.deadlines import late_payment_surcharge


@dataclass(frozen=True)
class Instalment:
    due: datetime.date
    amount: Decimal


@dataclass(frozen=True)
class InstalmentState:
    instalment: Instalment
    covered_on: datetime.date | None  # the day the payments first covered it
    surcharge: Decimal
    overdue_days: int


@dataclass(frozen=True)
class Owed:
    principal: Decimal
    principal_paid: Decimal
    surcharge: Decimal  # run up to `as_of` (or to each instalment's covering day)
    surcharge_paid: Decimal
    instalments: tuple[InstalmentState, ...]
    citations: tuple[Citation, ...]

    @property
    def principal_outstanding(self) -> Decimal:
        return max(self.principal - self.principal_paid, Decimal(0))

    @property
    def surcharge_outstanding(self) -> Decimal:
        return max(self.surcharge - self.surcharge_paid, Decimal(0))

    @property
    def settled(self) -> bool:
        return not self.principal_outstanding and not self.surcharge_outstanding


def owed(
    instalments: Sequence[Instalment],
    principal_payments: Iterable[tuple[datetime.date, Decimal]],
    surcharge_paid: Decimal,
    as_of: datetime.date,
    suspended_periods: Iterable[tuple[datetime.date, datetime.date]] = (),
) -> Owed:
    """The state on `as_of`. Payments go to the instalments in due order."""
    periods = tuple(suspended_periods)
    payments = sorted(p for p in principal_payments if p[0] <= as_of)
    remaining = [(day, amount) for day, amount in payments]
    states: list[InstalmentState] = []
    citations: list[Citation] = []
    for inst in sorted(instalments, key=lambda i: i.due):
        need = inst.amount
        covered_on = None
        while need > 0 and remaining:
            day, amount = remaining[0]
            used = min(amount, need)
            need -= used
            if used == amount:
                remaining.pop(0)
            else:
                remaining[0] = (day, amount - used)
            if need == 0:
                covered_on = day
        until = covered_on or as_of
        result = late_payment_surcharge(inst.amount, inst.due, until, periods)
        citations.extend(c for c in result.citations if c not in citations)
        states.append(InstalmentState(inst, covered_on, result.amount, result.overdue_days))
    principal = sum((i.amount for i in instalments), Decimal(0))
    return Owed(principal=principal,
                principal_paid=sum((a for _, a in payments), Decimal(0)),
                surcharge=sum((s.surcharge for s in states), Decimal(0)),
                surcharge_paid=surcharge_paid, instalments=tuple(states),
                citations=tuple(citations))
