"""Reads of plans, draws, recusals, inspections, hazards and assistance, always scoped
to what the user may see: a county user sees its county, an enterprise user only the
inspections and hazards of its own enterprise (and no plans, draws or recusals). Social
supervisors (社会监督员) read all of these for the area they oversee; they write none
(the services refuse their role)."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet

from fazhi.core.models import Event, User
from fazhi.core.selectors import object_events, scope
from fazhi.inspection.models import (
    AssistanceVisit,
    ChecklistItem,
    Hazard,
    Inspection,
    InspectionPlan,
    KeyAssistedEnterprise,
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


# --- hazards and assistance ---------------------------------------------------------------

def hazard_list(
    *,
    user: User,
    level: str | None = None,
    status: str | None = None,
    year: int | None = None,
    enterprise_id: int | None = None,
) -> QuerySet[Hazard]:
    qs = scope(
        Hazard.objects.select_related("enterprise", "agency", "criterion", "supervision"),
        user, path_field="jurisdiction_path", enterprise_field="enterprise_id",
    )
    if level:
        qs = qs.filter(level=level)
    if status:
        qs = qs.filter(status=status)
    if year:
        qs = qs.filter(found_on__year=year)
    if enterprise_id:
        qs = qs.filter(enterprise_id=enterprise_id)
    return qs


def hazard_get(*, user: User, pk: int) -> Hazard | None:
    return (hazard_list(user=user)
            .select_related("inspection", "finding")
            .prefetch_related("orders__reinspection__officers", "finding__case_leads")
            .filter(pk=pk).first())


def hazards_overdue_orders(*, user: User, today: datetime.date) -> QuerySet[Hazard]:
    """Orders whose deadline passed with no rectification report (the enterprise is late)."""
    return hazard_list(user=user).filter(Hazard.order_overdue_q(today)).order_by(
        "deadline", "id")


def hazards_overdue_reinspections(*, user: User, today: datetime.date) -> QuerySet[Hazard]:
    """Hazards whose re-inspection is past due (the officers are late)."""
    return hazard_list(user=user).filter(Hazard.reinspection_overdue_q(today)).order_by(
        "reinspection_due", "id")


def hazard_events(*, user: User, hazard: Hazard) -> QuerySet[Event]:
    if not hazard_list(user=user).filter(pk=hazard.pk).exists():
        return Event.objects.none()
    return object_events(hazard)


def assistance_visit_list(*, user: User, year: int | None = None) -> QuerySet[AssistanceVisit]:
    qs = scope(
        AssistanceVisit.objects.select_related("enterprise", "agency"), user,
        path_field="jurisdiction_path", enterprise_field="enterprise_id")
    return qs.filter(date__year=year) if year else qs


def key_assisted_list(*, user: User, year: int | None = None) -> QuerySet[KeyAssistedEnterprise]:
    qs = scope(
        KeyAssistedEnterprise.objects.select_related("enterprise", "agency"), user,
        path_field="jurisdiction_path", enterprise_field="enterprise_id")
    return qs.filter(year=year) if year else qs
