"""Reads of enterprises and parks, always scoped to what the user may see."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from fazhi.core.models import Event, Jurisdiction, User
from fazhi.core.selectors import object_events, scope
from fazhi.subjects.models import ChemicalPark, Enterprise

# The columns a list page shows (Open Zaak's lesson: keep list queries lean).
LIST_COLUMNS = (
    "id", "name", "uscc", "address", "supervision_category", "risk_level",
    "jurisdiction__id", "jurisdiction__code", "jurisdiction__name",
    "park__id", "park__name",
)


def enterprise_list(
    *,
    user: User,
    q: str = "",
    jurisdiction: str | None = None,
    category: str | None = None,
    risk_level: str | None = None,
    park_id: int | None = None,
) -> QuerySet[Enterprise]:
    """Enterprises visible to `user`, filtered. `jurisdiction` is a code: that area and
    everything below it (never wider than the user's own scope)."""
    qs = scope(
        Enterprise.objects.select_related("jurisdiction", "park"),
        user,
        path_field="jurisdiction_path",
        enterprise_field="id",
    )
    if q := (q or "").strip():
        qs = qs.filter(Q(name__icontains=q) | Q(uscc__iexact=q) | Q(address__icontains=q))
    if jurisdiction:
        # A prefix match on the denormalised path uses its index; an unknown code
        # matches nothing.
        path = Jurisdiction.objects.filter(code=jurisdiction).values_list("path", flat=True)
        path = path.first()
        if path is None:
            return qs.none()
        qs = qs.filter(jurisdiction_path__startswith=path)
    if category:
        qs = qs.filter(supervision_category=category)
    if risk_level:
        qs = qs.filter(risk_level=risk_level)
    if park_id:
        qs = qs.filter(park_id=park_id)
    return qs


def enterprise_get(*, user: User, pk: int) -> Enterprise | None:
    """One enterprise if the user may see it, else None (callers answer 404)."""
    return enterprise_list(user=user).prefetch_related("people").filter(pk=pk).first()


def enterprise_events(*, user: User, enterprise: Enterprise) -> QuerySet[Event]:
    """The enterprise's event record, oldest first; nothing when the user may not see
    the enterprise."""
    if not enterprise_list(user=user).filter(pk=enterprise.pk).exists():
        return Event.objects.none()
    return object_events(enterprise)


def park_list(*, user: User) -> QuerySet[ChemicalPark]:
    return scope(
        ChemicalPark.objects.select_related("jurisdiction"), user,
        path_field="jurisdiction__path",
    )
