"""Reads of core data, and the one jurisdiction-scoping layer every list and detail read
in Fazhi goes through.

A county user sees its county and the towns below it, a city user the whole city, an
enterprise user only its own enterprise's records, a social supervisor the area they
oversee. A user bound to nothing sees nothing.
"""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, Q, QuerySet

from fazhi.core.models import Event, Jurisdiction, Role, User

M = TypeVar("M", bound=Model)


def visible_path(user: User) -> str | None:
    """The jurisdiction path prefix this user may read, or None for no area at all."""
    if not user.is_authenticated or not user.is_active:
        return None
    jurisdiction = user.jurisdiction
    return jurisdiction.path if jurisdiction else None


def scope(
    queryset: QuerySet[M],
    user: User,
    *,
    path_field: str,
    enterprise_field: str | None = None,
) -> QuerySet[M]:
    """Restrict `queryset` to what `user` may see.

    `path_field` names the jurisdiction path of each row (e.g. "jurisdiction__path",
    or a denormalised "jurisdiction_path"); `enterprise_field` names the enterprise id
    the row belongs to, for enterprise users (None: enterprise users see no rows).
    """
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.role == Role.ENTERPRISE:
        if enterprise_field is None or user.enterprise_id is None:
            return queryset.none()
        return queryset.filter(**{enterprise_field: user.enterprise_id})
    path = visible_path(user)
    if path is None:
        return queryset.none()
    return queryset.filter(**{f"{path_field}__startswith": path})


def internal_scope(
    queryset: QuerySet[M],
    user: User,
    *,
    path_field: str,
    enterprise_field: str | None = None,
) -> QuerySet[M]:
    """`scope` for the bureau's internal records (tips, personnel files, policy drafts and
    reviews, certificate registers, disclosure requests): social supervisors (社会监督员)
    see none of them. Enforcement records (inspections, hazards, cases, accidents) use
    `scope` itself: supervisors read those of the area they oversee."""
    if user.is_authenticated and user.role == Role.SUPERVISOR:
        return queryset.none()
    return scope(queryset, user, path_field=path_field, enterprise_field=enterprise_field)


def jurisdiction_list(*, user: User) -> QuerySet[Jurisdiction]:
    """Jurisdictions the user may see: its own and every one below it."""
    if user.is_authenticated and user.role == Role.ENTERPRISE and user.enterprise_id:
        return Jurisdiction.objects.filter(enterprises__id=user.enterprise_id)
    return scope(Jurisdiction.objects.select_related("parent"), user, path_field="path")


def jurisdiction_get(*, user: User, code: str) -> Jurisdiction | None:
    return jurisdiction_list(user=user).filter(code=code).first()




def path_filter(path: str, field: str = "jurisdiction__path") -> Q:
    """A Q selecting rows at or below the jurisdiction with this path."""
    return Q(**{f"{field}__startswith": path})


def object_events(obj: Model | tuple[str, str]) -> QuerySet[Event]:
    """The events of one object, oldest first: its 执法全过程记录. The caller must
    already have checked that the user may see `obj`."""
    if isinstance(obj, tuple):
        object_type, object_id = obj
    else:
        object_type, object_id = obj._meta.label_lower, str(obj.pk)
    return (Event.objects.filter(object_type=object_type, object_id=object_id)
            .select_related("actor").order_by("seq"))
