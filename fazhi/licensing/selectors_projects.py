"""Reads of construction projects and 三同时 reviews, consultations, upgrade projects
(scoped through `fazhi.core.selectors.scope`), and the restriction-list check."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet, Sum

from fazhi.core.models import User
from fazhi.core.selectors import scope
from fazhi.licensing.models_projects import (
    ConstructionProject,
    ConsultationRequest,
    RestrictedChemical,
    ThreeSimultaneityReview,
    UpgradeProject,
)
from fazhi.licensing.rules import permits as law
from fazhi.licensing.selectors_permits import _in_area


def project_list(*, user: User, q: str | None = None, jurisdiction: Any = None
                 ) -> QuerySet[ConstructionProject]:
    qs = scope(ConstructionProject.objects.select_related("enterprise", "agency"), user,
               path_field="jurisdiction_path", enterprise_field="enterprise_id")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(enterprise__name__icontains=q))
    return _in_area(qs, jurisdiction)


def project_get(*, user: User, pk: int) -> ConstructionProject | None:
    return project_list(user=user).prefetch_related("reviews").filter(pk=pk).first()


def review_list(*, user: User, stage: str | None = None, outcome: str | None = None,
                year: int | None = None, jurisdiction: Any = None
                ) -> QuerySet[ThreeSimultaneityReview]:
    """三同时 reviews; `year` is the year concluded."""
    qs = scope(ThreeSimultaneityReview.objects.select_related("project__enterprise"), user,
               path_field="project__jurisdiction_path",
               enterprise_field="project__enterprise_id")
    if stage:
        qs = qs.filter(stage=stage)
    if outcome:
        qs = qs.filter(outcome=outcome)
    if year:
        qs = qs.filter(concluded_on__year=year)
    if jurisdiction:
        qs = qs.filter(project__jurisdiction_path__startswith=_path(jurisdiction))
    return qs


def _path(jurisdiction: Any) -> str:
    from fazhi.core.models import Jurisdiction

    if isinstance(jurisdiction, Jurisdiction):
        return jurisdiction.path
    found = Jurisdiction.objects.filter(code=jurisdiction).first()
    return found.path if found else "\x00none"


def consultation_list(*, user: User, outcome: str | None = None, year: int | None = None,
                      jurisdiction: Any = None) -> QuerySet[ConsultationRequest]:
    """Consultations; `year` is the year concluded. Enterprise users see those naming
    their enterprise."""
    qs = scope(ConsultationRequest.objects.select_related("jurisdiction", "agency"), user,
               path_field="jurisdiction_path", enterprise_field="enterprise_id")
    if outcome:
        qs = qs.filter(outcome=outcome)
    if year:
        qs = qs.filter(concluded_on__year=year)
    return _in_area(qs, jurisdiction)


def consultation_get(*, user: User, pk: int) -> ConsultationRequest | None:
    return consultation_list(user=user).filter(pk=pk).first()


def upgrade_list(*, user: User, year: int | None = None, jurisdiction: Any = None
                 ) -> QuerySet[UpgradeProject]:
    """Upgrade projects with their equipment total; `year` is the year completed."""
    qs = scope(UpgradeProject.objects.select_related("enterprise", "agency"), user,
               path_field="jurisdiction_path", enterprise_field="enterprise_id")
    if year:
        qs = qs.filter(completed_on__year=year)
    return (_in_area(qs, jurisdiction).annotate(equipment_total=Sum("equipment__quantity"))
            .order_by("-started_on", "-id"))


def upgrade_get(*, user: User, pk: int) -> UpgradeProject | None:
    return upgrade_list(user=user).prefetch_related("equipment").filter(pk=pk).first()


def restriction_entries() -> list[law.RestrictionEntry]:
    """The active rows of the city's restriction list as the rule reads them."""
    return [law.RestrictionEntry(r.pk, r.name, r.cas, r.restriction, r.basis)
            for r in RestrictedChemical.objects.filter(active=True)]


def restriction_check(chemicals: str) -> tuple[list[dict[str, str]], list[str]]:
    """The project's chemicals (one a line, "名称 CAS号") against the list: the matches
    with their restriction and basis, and the problems of the text (bad CAS numbers)."""
    lines, problems = law.parse_chemicals(chemicals)
    matches = law.match_restrictions(lines, restriction_entries())
    labels = dict(RestrictedChemical.Restriction.choices)
    return ([{"chemical": m.chemical.name or m.chemical.cas, "name": m.entry.name,
              "cas": m.entry.cas, "restriction": m.entry.restriction,
              "restriction_label": str(labels[m.entry.restriction]), "basis": m.entry.basis,
              "by": m.by} for m in matches], problems)
