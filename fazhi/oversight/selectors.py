"""Reads of the oversight app, and the public reads of the portal.

Staff reads go through `fazhi.core.selectors.scope` (a county sees its county and the
towns below it; out of scope = missing). Tips are the tip desk's internal records: social
supervisors and enterprise users see none (`internal_scope`). A supervisor reads the
enforcement records of the area they oversee (through the inspection, cases and accidents
selectors), their own remarks and the answers.

Portal reads (`public_*`) need no user: they return only what is published — posts
whose publishing time has passed, penalty decisions inside their publicity period and
not taken down (credit repair, a decision set aside), permits and normative documents
as their apps publish them, officers with a valid enforcement certificate (name and
number only), the enforcement item catalogue, inspection plans in force and published
random draws."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from fazhi.cases.models import Publicity
from fazhi.core.models import Agency, EnforcementCertificate, Jurisdiction, Role, User
from fazhi.core.permissions import valid_certificate_q
from fazhi.core.selectors import internal_scope, scope
from fazhi.inspection.models import InspectionPlan, RandomDraw
from fazhi.oversight.models import (
    DisclosureRequest,
    Post,
    PostColumn,
    Supervisor,
    SupervisorRemark,
    Tip,
)
from fazhi.oversight.rules import portal as portal_rules
from fazhi.subjects.rules.masking import mask_id_numbers_in, mask_phone_numbers_in


def masked_text(text: str) -> str:
    """`text` with ID numbers and telephone numbers masked (a tip's own words may name
    the tipster's number: shown like this to everyone but the tip desk)."""
    return mask_phone_numbers_in(mask_id_numbers_in(text))


# --- tips ------------------------------------------------------------------------------

def tip_list(*, user: User, status: str | None = None, kind: str | None = None,
             year: int | None = None, q: str = "") -> QuerySet[Tip]:
    qs = internal_scope(Tip.objects.select_related("jurisdiction", "agency", "reward"),
                        user, path_field="jurisdiction_path")
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if year:
        qs = qs.filter(received_on__year=year)
    if q := (q or "").strip():
        qs = qs.filter(Q(code__iexact=q) | Q(subject_name__icontains=q))
    return qs


def tip_get(*, user: User, pk: int) -> Tip | None:
    return (tip_list(user=user).select_related("inspection", "case", "enterprise", "entered_by")
            .filter(pk=pk).first())


def tip_by_code(code: str) -> Tip | None:
    """The tip with this tracking code (the portal then checks the secret)."""
    code = (code or "").strip().upper()
    return Tip.objects.select_related("reward").filter(code=code).first() if code else None


def tips_overdue(*, user: User, today: datetime.date) -> QuerySet[Tip]:
    return tip_list(user=user).filter(
        Q(status=Tip.Status.RECEIVED, accept_due__lt=today)
        | Q(status=Tip.Status.ACCEPTED, handling_due__lt=today))


# --- supervisors -------------------------------------------------------------------------

def supervisor_list(*, user: User) -> QuerySet[Supervisor]:
    return scope(Supervisor.objects.select_related("jurisdiction", "agency", "user"), user,
                 path_field="jurisdiction_path")


def serving_supervisors(on: datetime.date) -> QuerySet[Supervisor]:
    return Supervisor.objects.filter(term_start__lte=on, term_end__gte=on).filter(
        Q(dismissed_on__isnull=True) | Q(dismissed_on__gt=on))


def remark_list(*, user: User) -> QuerySet[SupervisorRemark]:
    """Staff: the remarks addressed to agencies in their area; a supervisor: their own."""
    qs = SupervisorRemark.objects.select_related("supervisor", "agency", "answered_by")
    if user.is_authenticated and user.role == Role.SUPERVISOR:
        return qs.filter(supervisor__user=user) if user.is_active else qs.none()
    if not user.is_authenticated or user.role == Role.ENTERPRISE:
        return qs.none()
    return scope(qs, user, path_field="jurisdiction_path")


def remark_get(*, user: User, pk: int) -> SupervisorRemark | None:
    return remark_list(user=user).filter(pk=pk).first()


# --- disclosure --------------------------------------------------------------------------

def disclosure_list(*, user: User, year: int | None = None) -> QuerySet[DisclosureRequest]:
    qs = internal_scope(DisclosureRequest.objects.select_related("agency"), user,
                        path_field="jurisdiction_path")
    return qs.filter(received_on__year=year) if year else qs


def disclosure_get(*, user: User, pk: int) -> DisclosureRequest | None:
    return disclosure_list(user=user).filter(pk=pk).first()


# --- posts -------------------------------------------------------------------------------

def post_list(*, user: User, column: str | None = None) -> QuerySet[Post]:
    qs = scope(Post.objects.select_related("agency"), user,
               path_field="agency__jurisdiction__path")
    if user.is_authenticated and user.role == Role.SUPERVISOR:
        return qs.none()
    return qs.filter(column=column) if column else qs


@dataclass(frozen=True)
class ColumnStatus:
    column: str
    label: str
    latest: datetime.date | None
    days: int | None
    stale: bool


def column_statuses(*, agency: Agency, today: datetime.date) -> list[ColumnStatus]:
    """Each column of the agency's portal with its newest published post and whether it
    is overdue for its half-monthly refresh."""
    now = timezone.now()
    latest = dict(Post.objects.filter(agency=agency, publish_at__lte=now,
                                      withdrawn_at__isnull=True)
                  .values("column").annotate(last=Max("publish_at"))
                  .values_list("column", "last"))
    found = []
    for value, label in PostColumn.choices:
        day = timezone.localtime(latest[value]).date() if value in latest else None
        found.append(ColumnStatus(value, str(label), day, portal_rules.days_since(day, today),
                                  portal_rules.column_stale(day, today)))
    return found


def public_posts(*, column: str | None = None, q: str = "") -> QuerySet[Post]:
    qs = Post.objects.filter(publish_at__lte=timezone.now(), withdrawn_at__isnull=True)
    if column:
        qs = qs.filter(column=column)
    for term in (q or "").split()[:5]:
        qs = qs.filter(Q(title__icontains=term) | Q(body__icontains=term))
    return qs.select_related("agency").order_by("-publish_at", "-id")


def public_post_get(pk: int) -> Post | None:
    return public_posts().filter(pk=pk).first()


# --- publicity of penalty decisions ----------------------------------------------------------

def portal_today() -> datetime.date:
    """The portal's day (one place, so a test can set the day the portal is read)."""
    return timezone.localdate()


def public_decisions(*, today: datetime.date | None = None, q: str = "",
                     jurisdiction: Jurisdiction | None = None) -> QuerySet[Publicity]:
    """Penalty decisions on the portal: published, not taken down (credit repair or the
    decision set aside end it, `ended_on`), inside the publicity period (`ends_on`), the
    credit record not repaired."""
    today = today or portal_today()
    qs = (Publicity.objects.filter(published_on__isnull=False, published_on__lte=today,
                                   ended_on__isnull=True)
          .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
          .exclude(decision__credit__repaired_on__isnull=False)
          .select_related("decision__party__case__agency", "decision__party__case__enterprise")
          .order_by("-published_on", "-id"))
    if jurisdiction is not None:
        qs = qs.filter(decision__party__case__jurisdiction_path__startswith=jurisdiction.path)
    for term in (q or "").split()[:5]:
        qs = qs.filter(content__icontains=term)
    return qs


def public_decision_get(pk: int) -> Publicity | None:
    return public_decisions().filter(pk=pk).first()


# --- 事前公开 --------------------------------------------------------------------------------

@dataclass(frozen=True)
class PublicOfficer:
    name: str
    agency: str
    numbers: tuple[str, ...]


def public_officers(*, today: datetime.date | None = None) -> list[PublicOfficer]:
    """Officers holding a valid enforcement certificate (执法人员公示): name, agency and
    certificate number only."""
    today = today or timezone.localdate()
    rows = (EnforcementCertificate.objects.filter(valid_certificate_q(today),
                                                  holder__role=Role.OFFICER,
                                                  holder__is_active=True)
            .select_related("holder__agency").order_by("holder__agency__id", "holder__id",
                                                       "number"))
    people: dict[int, PublicOfficer] = {}
    for cert in rows:
        holder = cert.holder
        seen = people.get(holder.pk)
        numbers = (*seen.numbers, cert.number) if seen else (cert.number,)
        people[holder.pk] = PublicOfficer(holder.display_name,
                                          holder.agency.name if holder.agency else "", numbers)
    return list(people.values())


def public_plans() -> QuerySet[InspectionPlan]:
    return (InspectionPlan.objects.exclude(status=InspectionPlan.Status.DRAFT)
            .select_related("agency").order_by("-year", "agency_id"))


def public_draws() -> QuerySet[RandomDraw]:
    return (RandomDraw.objects.filter(published=True).select_related("plan__agency")
            .prefetch_related("picks__enterprise").order_by("-published_at", "-id"))


def public_supervisors(*, today: datetime.date | None = None) -> QuerySet[Supervisor]:
    """社会监督员名单 (names, work units and certificate numbers: appointed publicly)."""
    return serving_supervisors(today or timezone.localdate()).select_related(
        "jurisdiction", "agency").order_by("certificate_number")
