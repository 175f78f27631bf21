"""Reads of permits and permit applications, scoped through `fazhi.core.selectors.scope`:
staff see their jurisdiction and below, an enterprise user its own enterprise's
applications and permits; and the public list of issued permits (公示) that the portal
(`fazhi.oversight`) shows."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from fazhi.core.models import Jurisdiction, User
from fazhi.core.selectors import scope
from fazhi.licensing.models_permits import Permit, PermitApplication

EXPIRED = "expired"


def _in_area(qs: QuerySet, jurisdiction: Jurisdiction | str | None) -> QuerySet:
    if jurisdiction is None or jurisdiction == "":
        return qs
    if isinstance(jurisdiction, str):
        found = Jurisdiction.objects.filter(code=jurisdiction).first()
        if found is None:
            return qs.none()
        jurisdiction = found
    return qs.filter(jurisdiction_path__startswith=jurisdiction.path)


def application_list(
    *,
    user: User,
    permit_type: str | None = None,
    kind: str | None = None,
    status: str | None = None,
    year: int | None = None,
    decided_year: int | None = None,
    jurisdiction: Jurisdiction | str | None = None,
    q: str | None = None,
) -> QuerySet[PermitApplication]:
    """Applications the user may see; `year` is the year of receipt, `decided_year`
    the year of the decision; `permit_type` and `kind` may list several values
    ("production,use"); `q` matches the enterprise's name or the acceptance number."""
    qs = scope(PermitApplication.objects.select_related("enterprise", "agency", "permit",
                                                        "issued_permit"),
               user, path_field="jurisdiction_path", enterprise_field="enterprise_id")
    if permit_type:
        qs = qs.filter(permit_type__in=permit_type.split(","))
    if kind:
        qs = qs.filter(kind__in=kind.split(","))
    if status:
        qs = qs.filter(status=status)
    if year:
        qs = qs.filter(received_on__year=year)
    if decided_year:
        qs = qs.filter(decided_on__year=decided_year)
    if q:
        qs = qs.filter(Q(enterprise__name__icontains=q) | Q(acceptance_number__icontains=q))
    return _in_area(qs, jurisdiction)


def application_get(*, user: User, pk: int) -> PermitApplication | None:
    return (application_list(user=user)
            .prefetch_related("verifications__verifiers", "pauses")
            .filter(pk=pk).first())


def applications_overdue(*, user: User, today: datetime.date | None = None
                         ) -> QuerySet[PermitApplication]:
    """Open applications past their acceptance or decision deadline."""
    today = today or timezone.localdate()
    return application_list(user=user).filter(
        Q(status=PermitApplication.Status.RECEIVED, acceptance_due__lt=today)
        | Q(status=PermitApplication.Status.ACCEPTED, decision_due__lt=today))


def permit_list(
    *,
    user: User,
    permit_type: str | None = None,
    status: str | None = None,
    expiring_within: int | None = None,
    jurisdiction: Jurisdiction | str | None = None,
    q: str | None = None,
    today: datetime.date | None = None,
) -> QuerySet[Permit]:
    """Permits the user may see. `status` "expired" means valid on paper but past its
    last day; "valid" means valid today. `expiring_within` (days): valid permits whose
    last day falls within that many days from today (到期提醒)."""
    today = today or timezone.localdate()
    qs = scope(Permit.objects.select_related("enterprise", "agency"), user,
               path_field="jurisdiction_path", enterprise_field="enterprise_id")
    if permit_type:
        qs = qs.filter(permit_type=permit_type)
    if status == EXPIRED:
        qs = qs.filter(status=Permit.Status.VALID, valid_until__lt=today)
    elif status == Permit.Status.VALID:
        qs = qs.filter(status=Permit.Status.VALID, valid_until__gte=today)
    elif status:
        qs = qs.filter(status=status)
    if expiring_within is not None:
        qs = qs.filter(status__in=[Permit.Status.VALID, Permit.Status.SUSPENDED],
                       valid_until__gte=today,
                       valid_until__lte=today + datetime.timedelta(days=expiring_within))
    if q:
        qs = qs.filter(Q(holder_name__icontains=q) | Q(number__icontains=q))
    return _in_area(qs, jurisdiction)


def permit_get(*, user: User, pk: int) -> Permit | None:
    return (permit_list(user=user).prefetch_related("actions__case", "applications")
            .filter(pk=pk).first())


def public_permits() -> QuerySet[Permit]:
    """Issued permits for the public portal (行政许可公示), newest first: number, holder's
    name, kind, scope, validity and status (有效 / 暂扣 / 吊销; `status_label` also shows
    已过期). Permits replaced by a renewal (已换证) are left out: the new one is listed."""
    return (Permit.objects.exclude(status=Permit.Status.SUPERSEDED)
            .only("id", "number", "holder_name", "permit_type", "scope", "valid_from",
                  "valid_until", "status", "issued_on")
            .order_by("-issued_on", "-id"))
