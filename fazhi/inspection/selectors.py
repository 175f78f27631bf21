"""Reads of plans, draws, recusals and inspections, always scoped to what the user may
see (`fazhi.core.selectors.scope`): a county user sees its county, an enterprise user
only the inspections of its own enterprise (and no plans, draws or recusals)."""

from __future__ import annotations

from django.db.models import QuerySet

from fazhi.core.models import Event, User
from fazhi.core.selectors import object_events, scope
from fazhi.inspection.models import (
    ChecklistItem,
    Inspection,
    InspectionPlan,
    RandomDraw,
    Recusal,
)


def plan_list(*, user: User, year: int | None = None) -> QuerySet[InspectionPlan]:
    qs = scope(InspectionPlan.objects.select_related("agency"), user,
               path_field="agency__jurisdiction__path")
    if year:
        qs = qs.filter(year=year)
    return qs


def draw_list(*, user: User) -> QuerySet[RandomDraw]:
    return scope(RandomDraw.objects.select_related("plan", "plan__agency"), user,
                 path_field="plan__agency__jurisdiction__path")


def draw_get(*, user: User, pk: int) -> RandomDraw | None:
    return draw_list(user=user).filter(pk=pk).first()


def recusal_list(*, user: User) -> QuerySet[Recusal]:
    return scope(Recusal.objects.select_related("officer", "enterprise"), user,
                 path_field="enterprise__jurisdiction_path")


def inspection_list(
    *,
    user: User,
    status: str | None = None,
    enterprise_id: int | None = None,
    year: int | None = None,
) -> QuerySet[Inspection]:
    qs = scope(
        Inspection.objects.select_related("enterprise", "agency", "jurisdiction"),
        user, path_field="jurisdiction_path", enterprise_field="enterprise_id",
    )
    if status:
        qs = qs.filter(status=status)
    if enterprise_id:
        qs = qs.filter(enterprise_id=enterprise_id)
    if year:
        qs = qs.filter(date__year=year)
    return qs


def inspection_get(*, user: User, pk: int) -> Inspection | None:
    """One inspection if the user may see it, else None (callers answer 404)."""
    return (inspection_list(user=user)
            .prefetch_related("officers", "results__item", "findings__evidence")
            .filter(pk=pk).first())


def inspection_events(*, user: User, inspection: Inspection) -> QuerySet[Event]:
    if not inspection_list(user=user).filter(pk=inspection.pk).exists():
        return Event.objects.none()
    return object_events(inspection)


def checklist_items(*, standard: str | None = None) -> QuerySet[ChecklistItem]:
    """The checklist (public: the criteria are published regulations)."""
    qs = ChecklistItem.objects.filter(active=True)
    if standard:
        qs = qs.filter(standard=standard)
    return qs
