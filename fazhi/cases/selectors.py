"""Reads of penalty cases, scoped to what the user may see: a county user its county,
an enterprise user only its own enterprise's cases once filed (a lead is the agency's
internal work until 立案), a social supervisor none."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet

from fazhi.cases.deadlines import CaseDeadline, case_deadlines, overdue_cases
from fazhi.cases.models import PenaltyCase
from fazhi.core.models import Role, User
from fazhi.core.selectors import enforcement_scope


def case_list(*, user: User, status: str | None = None) -> QuerySet[PenaltyCase]:
    qs = enforcement_scope(
        PenaltyCase.objects.select_related("enterprise", "agency", "finding"), user,
        path_field="jurisdiction_path", enterprise_field="enterprise_id")
    if user.is_authenticated and user.role == Role.ENTERPRISE:
        qs = qs.filter(filed_on__isnull=False)
    if status:
        qs = qs.filter(status=status)
    return qs


def case_get(*, user: User, pk: int) -> PenaltyCase | None:
    return (case_list(user=user).prefetch_related("items", "inspection_evidence")
            .filter(pk=pk).first())


def cases_with_overdue_deadlines(*, user: User, today: datetime.date) -> QuerySet[PenaltyCase]:
    """The cases the user may see with a deadline past due and not met (home page)."""
    return overdue_cases(case_list(user=user), today)


def case_deadlines_for(*, user: User, pk: int, today: datetime.date) -> list[CaseDeadline] | None:
    """The deadlines of one case the user may see; None when it may not (or is missing)."""
    case = case_list(user=user).filter(pk=pk).first()
    return None if case is None else case_deadlines(case, today)
