"""Reads of enterprises and parks, always scoped to what the user may see."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from fazhi.core.models import User
from fazhi.core.selectors import scope
from fazhi.subjects.models import ChemicalPark, Enterprise


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
    if q := q.strip():
        qs = qs.filter(Q(name__icontains=q) | Q(uscc__iexact=q) | Q(address__icontains=q))
    if jurisdiction:
        qs = qs.filter(jurisdiction_path__contains=f"{jurisdiction}/")
    if category:
        qs = qs.filter(supervision_category=category)
    if risk_level:
        qs = qs.filter(risk_level=risk_level)
    if park_id:
        qs = qs.filter(park_id=park_id)
    return qs


def enterprise_get(*, user: User, pk: int) -> Enterprise | None:
    """One enterprise if the user may see it, else None (callers answer 404)."""
    return enterprise_list(user=user).filter(pk=pk).first()


def park_list(*, user: User) -> QuerySet[ChemicalPark]:
    return scope(
        ChemicalPark.objects.select_related("jurisdiction"), user,
        path_field="jurisdiction__path",
    )
