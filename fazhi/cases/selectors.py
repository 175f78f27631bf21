"""Reads of penalty cases, scoped to what the user may see: a county user its county,
an enterprise user only its own enterprise's cases once filed (a lead is the agency's
internal work until 立案), a social supervisor none."""

from __future__ import annotations

from django.db.models import QuerySet

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
