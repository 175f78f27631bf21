"""Reads of the capacity app. Lists and details for a user go through
`fazhi.core.selectors.scope` (a county user sees its county's agencies, people, sessions
and outreach; out of scope is None → 404). The figure reads (`agency_facts`,
`staff_rates`, counts) take a jurisdiction and a day and serve the indicators, the
overview page and the API alike."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import Avg, Count, F, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from fazhi.capacity.models import (
    AgencyProfile,
    BaseVisitCount,
    Campaign,
    Exam,
    LegalAdviser,
    LegalUnit,
    OutreachBase,
    OutreachWork,
    PublicLawyerLicence,
    StaffMember,
    StaffRole,
    StudySession,
    WorkAward,
    active_on,
)
from fazhi.capacity.rules import rates
from fazhi.core.models import Agency, Jurisdiction, User
from fazhi.core.selectors import internal_scope, path_filter, scope

# --- scoped lists --------------------------------------------------------------------------


def agency_list(*, user: User) -> QuerySet[Agency]:
    return scope(Agency.objects.select_related("jurisdiction", "capacity_profile"), user,
                 path_field="jurisdiction__path").order_by("jurisdiction__code", "name")


def agency_get(*, user: User, pk: int) -> Agency | None:
    return agency_list(user=user).filter(pk=pk).first()


def person_list(*, user: User, agency: Agency | None = None, role: str = "",
                q: str = "", day: datetime.date | None = None) -> QuerySet[StaffMember]:
    """People in the user's area (only those in post on `day` when given); `role`:
    a StaffRole kind held on `day` (today when no day), or "public_lawyer"."""
    # Social supervisors see no personnel records (internal_scope); enterprises none.
    rows = internal_scope(StaffMember.objects.select_related(
        "agency", "department", "qualification"), user, path_field="jurisdiction_path")
    if agency is not None:
        rows = rows.filter(agency=agency)
    if q:
        rows = rows.filter(Q(name__contains=q) | Q(position__contains=q))
    when = day or timezone.localdate()
    if day is not None:
        rows = rows.filter(active_on(day, "joined_on", "left_on"))
    if role == "public_lawyer":
        rows = rows.filter(id__in=PublicLawyerLicence.objects.filter(
            active_on(when, "issued_on", "revoked_on")).values("person_id"))
    elif role:
        rows = rows.filter(id__in=StaffRole.objects.filter(
            active_on(when), kind=role).values("person_id"))
    return rows.prefetch_related(
        Prefetch("roles", queryset=StaffRole.objects.order_by("start")),
        Prefetch("lawyer_licences", queryset=PublicLawyerLicence.objects.order_by("issued_on")))


def person_get(*, user: User, pk: int) -> StaffMember | None:
    return person_list(user=user).filter(pk=pk).first()


def study_list(*, user: User, year: int | None = None,
               agency: Agency | None = None) -> QuerySet[StudySession]:
    rows = scope(StudySession.objects.select_related("agency"), user,
                 path_field="jurisdiction_path")
    if year:
        rows = rows.filter(date__year=year)
    if agency is not None:
        rows = rows.filter(agency=agency)
    return rows.annotate(
        attendees=Count("attendances", filter=Q(attendances__present=True), distinct=True),
        leaders_present=Count("attendances", distinct=True, filter=Q(
            attendances__present=True, attendances__person__is_leader=True)))


def study_get(*, user: User, pk: int) -> StudySession | None:
    return study_list(user=user).filter(pk=pk).prefetch_related(
        "laws", "materials", "attendances__person").first()


def exam_list(*, user: User, year: int | None = None) -> QuerySet[Exam]:
    rows = scope(Exam.objects.select_related("agency"), user, path_field="jurisdiction_path")
    if year:
        rows = rows.filter(date__year=year)
    return rows.annotate(
        sat=Count("results", distinct=True),
        passed=Count("results", distinct=True,
                     filter=Q(results__score__gte=F("pass_mark"))),
        average=Avg("results__score"))


def base_list(*, user: User) -> QuerySet[OutreachBase]:
    return scope(OutreachBase.objects.select_related("jurisdiction", "agency"), user,
                 path_field="jurisdiction_path").annotate(total_visitors=Sum("visits__visitors"))


def base_get(*, user: User, pk: int) -> OutreachBase | None:
    return base_list(user=user).filter(pk=pk).first()


def work_list(*, user: User, year: int | None = None) -> QuerySet[OutreachWork]:
    rows = scope(OutreachWork.objects.select_related("agency"), user,
                 path_field="jurisdiction_path")
    if year:
        rows = rows.filter(published_on__year=year)
    return rows.prefetch_related("awards")


def campaign_list(*, user: User, year: int | None = None) -> QuerySet[Campaign]:
    rows = scope(Campaign.objects.select_related("agency"), user,
                 path_field="jurisdiction_path")
    if year:
        rows = rows.filter(start__year=year)
    return rows


def adviser_list(*, user: User) -> QuerySet[LegalAdviser]:
    return scope(LegalAdviser.objects.select_related("agency"), user,
                 path_field="agency__jurisdiction__path")


# --- figures ---------------------------------------------------------------------------------


def _people_in_post(day: datetime.date) -> Q:
    return active_on(day, "person__joined_on", "person__left_on")


def agency_facts(jurisdiction: Jurisdiction, day: datetime.date) -> list[rates.AgencyFacts]:
    """Each agency in the area and what it has on `day` (a few grouped queries)."""
    agencies = list(Agency.objects.filter(path_filter(jurisdiction.path))
                    .order_by("jurisdiction__code", "name"))
    ids = [a.pk for a in agencies]
    exempt = set(AgencyProfile.objects.filter(agency_id__in=ids, lawyer_coverage_exempt=True)
                 .values_list("agency_id", flat=True))
    units = set(LegalUnit.objects.filter(
        active_on(day, "established_on", "dissolved_on"), agency_id__in=ids)
        .values_list("agency_id", flat=True))
    reviewers: Counter[int] = Counter()
    qualified: Counter[int] = Counter()
    seen: set[int] = set()
    for person_id, agency_id, granted_on in (
            StaffRole.objects.filter(active_on(day), _people_in_post(day),
                                     kind=StaffRole.Kind.REVIEWER, person__agency_id__in=ids)
            .values_list("person_id", "person__agency_id", "person__qualification__granted_on")):
        if person_id in seen:  # two overlapping reviewer rows: one reviewer
            continue
        seen.add(person_id)
        reviewers[agency_id] += 1
        if granted_on is not None and granted_on <= day:
            qualified[agency_id] += 1
    lawyers: Counter[int] = Counter(dict(
        PublicLawyerLicence.objects.filter(
            active_on(day, "issued_on", "revoked_on"), _people_in_post(day),
            person__agency_id__in=ids)
        .values("person__agency_id").annotate(n=Count("person_id", distinct=True))
        .values_list("person__agency_id", "n")))
    return [rates.AgencyFacts(
        agency_id=a.pk, name=a.name, kind=a.kind, coverage_exempt=a.pk in exempt,
        has_legal_unit=a.pk in units, reviewers=reviewers[a.pk],
        qualified_reviewers=qualified[a.pk], public_lawyers=lawyers[a.pk]) for a in agencies]


@dataclass(frozen=True)
class StaffRates:
    day: datetime.date
    facts: list[rates.AgencyFacts]
    legal_units: rates.Rate
    reviewers: rates.Rate
    qualified_reviewers: rates.Rate
    lawyer_coverage: rates.Rate
    public_lawyers: int  # in the whole area
    public_lawyers_bureau: int  # at the agency of the jurisdiction's own level
    advisers_bureau: int


def public_lawyers(jurisdiction: Jurisdiction, day: datetime.date, *,
                   bureau: bool = False) -> int:
    rows = PublicLawyerLicence.objects.filter(
        active_on(day, "issued_on", "revoked_on"), _people_in_post(day))
    rows = (rows.filter(person__agency__jurisdiction=jurisdiction) if bureau
            else rows.filter(path_filter(jurisdiction.path, "person__jurisdiction_path")))
    return rows.values("person_id").distinct().count()


def advisers(jurisdiction: Jurisdiction, start: datetime.date, end: datetime.date) -> int:
    """常年法律顾问 retained by the jurisdiction's own agency at some time in [start, end]."""
    return LegalAdviser.objects.filter(agency__jurisdiction=jurisdiction,
                                       contract_start__lte=end, contract_end__gte=start).count()


def staff_rates(jurisdiction: Jurisdiction, day: datetime.date) -> StaffRates:
    facts = agency_facts(jurisdiction, day)
    return StaffRates(
        day=day, facts=facts,
        legal_units=rates.legal_units_rate(facts),
        reviewers=rates.reviewers_rate(facts),
        qualified_reviewers=rates.qualified_reviewers_rate(facts),
        lawyer_coverage=rates.lawyer_coverage(facts),
        public_lawyers=public_lawyers(jurisdiction, day),
        public_lawyers_bureau=public_lawyers(jurisdiction, day, bureau=True),
        advisers_bureau=advisers(jurisdiction, day, day),
    )


def study_sessions_count(jurisdiction: Jurisdiction, start: datetime.date,
                         end: datetime.date) -> int:
    """集中学法: sessions held by the jurisdiction's own agency (局机关) in [start, end]."""
    return StudySession.objects.filter(agency__jurisdiction=jurisdiction,
                                       date__gte=start, date__lte=end).count()


def bases_count(jurisdiction: Jurisdiction, day: datetime.date, level: str) -> int:
    """Bases of `level` in the area, named on or before `day` and not revoked by then."""
    return OutreachBase.objects.filter(
        path_filter(jurisdiction.path, "jurisdiction_path"),
        active_on(day, "opened_on", "closed_on"), level=level).count()


def visitors(jurisdiction: Jurisdiction, start: datetime.date, end: datetime.date) -> int:
    """Visitors of the area's bases in the months that lie in [start, end]."""
    return BaseVisitCount.objects.filter(
        path_filter(jurisdiction.path, "base__jurisdiction_path"),
        month__gte=start, month__lte=end).aggregate(n=Sum("visitors"))["n"] or 0


def works(jurisdiction: Jurisdiction, start: datetime.date, end: datetime.date,
          *, awarded_level: str | None = None) -> int:
    rows = OutreachWork.objects.filter(path_filter(jurisdiction.path, "jurisdiction_path"),
                                       published_on__gte=start, published_on__lte=end)
    if awarded_level:
        rows = rows.filter(id__in=WorkAward.objects.filter(level=awarded_level)
                           .values("work_id"))
    return rows.count()
