"""Reads of accidents, scoped like penalty cases: staff see their jurisdiction and
below, an enterprise user its own enterprise's accidents, a social supervisor those of
the area they oversee, read-only (`fazhi.core.selectors.scope`); and the reporting timeliness of one
accident (迟报 computed, 漏报 / 谎报 / 瞒报 as found) with its legal consequences; and
how the personal data in an accident's records is shown to one viewer (`Privacy`)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from fazhi.accidents.models import Accident, Accountability
from fazhi.core.models import Jurisdiction, Role, User
from fazhi.core.selectors import scope
from fazhi.legal.rules import accidents as law
from fazhi.subjects.models import ResponsiblePerson
from fazhi.subjects.rules.masking import (
    can_see_id_numbers,
    mask_id_numbers_in,
    mask_person_name,
)


def accident_list(
    *,
    user: User,
    year: int | None = None,
    industry: str | None = None,
    accident_class: str | None = None,
    jurisdiction: Jurisdiction | str | None = None,
    highway: bool | None = None,
) -> QuerySet[Accident]:
    """The accidents the user may see; a None filter is not applied. `year` is the year
    it happened (Asia/Shanghai); `jurisdiction` (a Jurisdiction or its code) includes
    the areas below it."""
    qs = scope(
        Accident.objects.select_related("jurisdiction", "enterprise", "agency"), user,
        path_field="jurisdiction_path", enterprise_field="enterprise_id")
    if year is not None:
        qs = qs.filter(occurred_at__year=year)
    if industry:
        qs = qs.filter(industry=industry)
    if accident_class:
        qs = qs.filter(accident_class=accident_class)
    if jurisdiction is not None:
        if isinstance(jurisdiction, str):
            found = Jurisdiction.objects.filter(code=jurisdiction).first()
            if found is None:
                return qs.none()
            jurisdiction = found
        qs = qs.filter(jurisdiction_path__startswith=jurisdiction.path)
    if highway is not None:
        qs = qs.filter(on_highway=highway)
    return qs


def stats_reader(user: User) -> bool:
    """Who reads the accident statistics: staff, and social supervisors for the area they
    oversee (aggregates of records they may read one by one anyway)."""
    return user.is_authenticated and (user.is_staff_role or user.role == Role.SUPERVISOR)


def accident_get(*, user: User, pk: int) -> Accident | None:
    """One accident the user may see, with its revisions, investigation, accountability
    and reviews; None when it may not (or is missing)."""
    return (accident_list(user=user)
            .prefetch_related("revisions", "investigation__accountability__case",
                              "investigation__reviews", "investigation__opinions__items")
            .filter(pk=pk).first())


# --- personal data ---------------------------------------------------------------------

@dataclass(frozen=True)
class Privacy:
    """How the texts of an accident's records are shown to one viewer (display only:
    never applied to what a form posts back). Resident ID numbers typed into a text are
    masked unless the role needs them (`can_see_id_numbers`); for a social supervisor,
    who reads from outside the bureau and the unit, the natural persons the report holds
    responsible are named with the surname only (个人信息保护法 第六条: the unit, the
    person's role and the measures are what oversight needs)."""

    whole_ids: bool
    names: tuple[str, ...] = ()  # longest first, so a longer name is masked whole

    def text(self, value: object) -> str:
        text = "" if value is None else str(value)
        for name in self.names:
            text = text.replace(name, mask_person_name(name))
        return text if self.whole_ids else mask_id_numbers_in(text)


def accident_privacy(user: User, accident: Accident) -> Privacy:
    """The `Privacy` of `accident`'s texts for `user` (who may already see it)."""
    names: set[str] = set()
    if user.is_authenticated and user.role == Role.SUPERVISOR:
        items = Accountability.objects.filter(investigation__accident=accident).exclude(
            subject=Accountability.Subject.UNIT)
        names.update(items.values_list("name", flat=True))
        names.update(ResponsiblePerson.objects.filter(
            pk__in=items.exclude(person=None).values("person")).values_list("name", flat=True))
    # A one-character "name" would star that character all through the texts.
    kept = sorted({n.strip() for n in names if len(n.strip()) > 1}, key=len, reverse=True)
    return Privacy(whole_ids=can_see_id_numbers(user), names=tuple(kept))


# --- reporting timeliness --------------------------------------------------------------

@dataclass(frozen=True)
class ReportingStatus:
    """How an accident was reported. `unit_deadline` / `upward_deadline` once the head /
    this bureau was informed; `unit_late` / `upward_late` once both times are known."""

    unit_deadline: datetime.datetime | None
    unit_late: law.LateReport | None
    upward_deadline: datetime.datetime | None
    upward_late: law.LateReport | None
    omitted: bool
    false_report: bool
    concealed: bool
    consequences: tuple[law.ReportingConsequence, ...]
    notes: tuple[str, ...] = field(default=())

    @property
    def acts(self) -> tuple[str, ...]:
        """The reporting failures, in Chinese (迟报 of the unit, and those found)."""
        flags = (("迟报", bool(self.unit_late and self.unit_late.late)),
                 ("漏报", self.omitted), ("谎报", self.false_report), ("瞒报", self.concealed))
        return tuple(label for label, on in flags if on)


def _occurred_on(accident: Accident) -> datetime.date:
    return timezone.localtime(accident.occurred_at).date()


def accident_reporting(accident: Accident) -> ReportingStatus:
    """迟报 from the times — the unit within 1 hour of its head being informed (条例
    第九条), this bureau upward within 2 hours (第十一条) — with the findings of 漏报 /
    谎报 / 瞒报 and the consequences of the unit's failures (第三十五、三十六条; 安全生产法
    第一百一十条). The bureau's own lateness has no fine on the unit: flagged only."""
    unit_deadline = upward_deadline = unit_late = upward_late = None
    if accident.head_informed_at:
        unit_deadline = law.report_deadline(accident.head_informed_at).deadline
        if accident.unit_reported_at:
            unit_late = law.late_report(accident.head_informed_at, accident.unit_reported_at)
    if accident.bureau_informed_at:
        upward_deadline = law.upward_report_deadline(accident.bureau_informed_at).deadline
        if accident.reported_up_at:
            upward_late = law.late_upward_report(accident.bureau_informed_at,
                                                 accident.reported_up_at)
    notes: tuple[str, ...] = ()
    try:
        consequences = law.reporting_consequences(
            occurred_on=_occurred_on(accident), late=bool(unit_late and unit_late.late),
            omitted=accident.omitted_report, false_report=accident.false_report,
            concealed=accident.concealed)
    except ValueError as exc:  # an accident before the texts the engine covers
        consequences, notes = (), (str(exc),)
    return ReportingStatus(unit_deadline, unit_late, upward_deadline, upward_late,
                           accident.omitted_report, accident.false_report, accident.concealed,
                           consequences, notes)
