"""Reads of penalty cases, scoped to what the user may see: a county user its county,
an enterprise user only its own enterprise's cases once filed (a lead is the agency's
internal work until 立案), a social supervisor the filed cases of the area they
oversee, read-only."""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from fazhi.cases.deadlines import CaseDeadline, case_deadlines, overdue_cases
from fazhi.cases.models import PartyDecision, PenaltyCase
from fazhi.core.models import Role, User
from fazhi.core.selectors import scope


def case_list(*, user: User, status: str | None = None) -> QuerySet[PenaltyCase]:
    qs = scope(
        PenaltyCase.objects.select_related("enterprise", "agency", "finding"), user,
        path_field="jurisdiction_path", enterprise_field="enterprise_id")
    if user.is_authenticated and user.role in {Role.ENTERPRISE, Role.SUPERVISOR}:
        qs = qs.filter(filed_on__isnull=False)
    if status:
        qs = qs.filter(status=status)
    return qs


def filter_cases(
    cases: QuerySet[PenaltyCase],
    *,
    source: str | None = None,
    year: int | None = None,
    enterprise: int | None = None,
    agency: int | None = None,
    q: str | None = None,
    overdue: bool | None = None,
    decided_from: datetime.date | None = None,
    decided_to: datetime.date | None = None,
    today: datetime.date | None = None,
) -> QuerySet[PenaltyCase]:
    """`cases` (already scoped to the user) narrowed by the list's filters; a None
    filter is not applied. `overdue` as `deadlines.overdue_cases` answers it on
    `today` (default: today in Asia/Shanghai)."""
    if source:
        cases = cases.filter(source=source)
    if year is not None:
        cases = cases.filter(filed_on__year=year)
    if enterprise is not None:
        cases = cases.filter(enterprise_id=enterprise)
    if agency is not None:
        cases = cases.filter(agency_id=agency)
    if q and q.strip():
        text = q.strip()
        cases = cases.filter(Q(number__icontains=text) | Q(enterprise__name__icontains=text))
    if decided_from is not None or decided_to is not None:
        decisions = PartyDecision.objects.filter(party__case=OuterRef("pk"),
                                                 decided_on__isnull=False)
        if decided_from is not None:
            decisions = decisions.filter(decided_on__gte=decided_from)
        if decided_to is not None:
            decisions = decisions.filter(decided_on__lte=decided_to)
        cases = cases.filter(Exists(decisions))
    if overdue is not None:
        late = overdue_cases(cases, today or timezone.localdate()).values("pk")
        cases = cases.filter(pk__in=late) if overdue else cases.exclude(pk__in=late)
    return cases


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
