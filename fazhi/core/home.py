"""Read helpers behind the role home pages (首页). Every figure is counted from the
records through the scoped selectors; nothing here writes."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count
from django.utils import timezone

from fazhi.cases.deadlines import ENDED_STATES, case_deadlines
from fazhi.cases.selectors import case_list, cases_with_overdue_deadlines
from fazhi.core.models import Agency, CalendarYear, EnforcementCertificate, Role, User
from fazhi.inspection.models import Hazard
from fazhi.inspection.selectors import (
    hazard_list,
    hazards_overdue_orders,
    hazards_overdue_reinspections,
)
from fazhi.subjects.models import ChemicalPark, Enterprise, SupervisionCategory
from fazhi.subjects.selectors import enterprise_get, enterprise_list, park_list

# An officer is warned this many days before the certificate runs out, so renewal
# (换证) can be arranged before they must be taken off enforcement work.
CERTIFICATE_WARNING_DAYS = 90
# Rows of each hazard panel on a home page; the full list is one link away.
HAZARDS_SHOWN = 10
# Rows of the overdue-cases panel (each row reads its deadlines: a few queries a row).
CASES_SHOWN = 10


def local_today() -> datetime.date:
    """Today in Asia/Shanghai (TIME_ZONE), not in UTC."""
    return timezone.localdate()


@dataclass(frozen=True)
class CertificateStatus:
    certificate: EnforcementCertificate
    state: str  # "valid" | "expiring" | "expired" | "revoked" | "not_yet_valid"
    days_left: int  # days until valid_to (negative once expired)

    @property
    def usable(self) -> bool:
        return self.state in {"valid", "expiring"}


def certificate_statuses(user: User, *, today: datetime.date) -> list[CertificateStatus]:
    """The user's own enforcement certificates, newest first, each with its state."""
    result = []
    for cert in user.certificates.order_by("-valid_to", "number"):
        days_left = (cert.valid_to - today).days
        if cert.revoked_at is not None:
            state = "revoked"
        elif today < cert.valid_from:
            state = "not_yet_valid"
        elif days_left < 0:
            state = "expired"
        elif days_left <= CERTIFICATE_WARNING_DAYS:
            state = "expiring"
        else:
            state = "valid"
        result.append(CertificateStatus(cert, state, days_left))
    return result


def certificate_notice(statuses: list[CertificateStatus]) -> dict[str, Any] | None:
    """The one warning an officer needs: no usable certificate (expired, or none at all),
    or the best usable one runs out within CERTIFICATE_WARNING_DAYS. None: all is well."""
    usable = [s for s in statuses if s.usable]
    if not usable:
        if any(s.state == "expired" for s in statuses):
            return {"kind": "expired"}
        return {"kind": "none"}
    best = max(usable, key=lambda s: s.days_left)
    if best.state == "expiring":
        return {"kind": "expiring", "days": best.days_left,
                "valid_to": best.certificate.valid_to}
    return None


def _category_counts(user: User) -> dict[str, int]:
    return dict(
        enterprise_list(user=user)
        .order_by()
        .values_list("supervision_category")
        .annotate(n=Count("id"))
    )


def enterprises_by_category(
    user: User, *, counts: dict[str, int] | None = None
) -> list[dict[str, Any]]:
    """Enterprises the user may see, counted per supervision category (监管类别), in the
    category order of SupervisionCategory; categories with none are left out."""
    counts = _category_counts(user) if counts is None else counts
    return [
        {"code": code, "label": str(label), "count": counts[code]}
        for code, label in SupervisionCategory.choices
        if counts.get(code)
    ]


def staff_overview(user: User) -> dict[str, Any]:
    """What every staff role and a supervisor see of their jurisdiction."""
    counts = _category_counts(user)
    by_category = enterprises_by_category(user, counts=counts)
    parks: list[ChemicalPark] = list(park_list(user=user).order_by("jurisdiction__code", "name"))
    return {
        # The grouped counts cover every row (any category), so their sum is the total:
        # one query fewer than a separate COUNT.
        "enterprise_count": sum(counts.values()),
        "by_category": by_category,
        # Labels and counts for the ECharts bar chart, passed through json_script.
        "category_chart": {
            "labels": [row["label"] for row in by_category],
            "counts": [row["count"] for row in by_category],
        },
        "parks": parks,
    }


def calendar_status(*, today: datetime.date) -> dict[str, Any]:
    """Holiday-schedule years loaded, and whether next year's is still missing."""
    years = list(CalendarYear.objects.order_by("year"))
    next_year = today.year + 1
    return {
        "years": years,
        "next_year": next_year,
        "next_year_missing": not any(y.year == next_year for y in years),
        "this_year_missing": not any(y.year == today.year for y in years),
    }


def _first_rows(qs: Any) -> dict[str, Any]:
    """Up to HAZARDS_SHOWN rows and whether there are more, in one query."""
    rows = list(qs.select_related(None).select_related("enterprise")[:HAZARDS_SHOWN + 1])
    return {"rows": rows[:HAZARDS_SHOWN], "more": len(rows) > HAZARDS_SHOWN}


def overdue_hazards(user: User, *, today: datetime.date) -> dict[str, Any]:
    """An officer's late work: rectification orders past their deadline with no report
    (the enterprise is late) and re-inspections past due (the officers are late)."""
    return {
        "orders": _first_rows(hazards_overdue_orders(user=user, today=today)),
        "reinspections": _first_rows(hazards_overdue_reinspections(user=user, today=today)),
    }


def overdue_cases(user: User, *, today: datetime.date) -> dict[str, Any]:
    """逾期案件: the cases the user may see with an agency deadline past due and not met
    (`cases_with_overdue_deadlines`), oldest decision deadline first, each with the
    deadlines that need action. One query when no case is open at all."""
    if not case_list(user=user).exclude(status__in=ENDED_STATES).exists():
        return {"rows": [], "more": False}
    qs = (cases_with_overdue_deadlines(user=user, today=today)
          .select_related("enterprise").order_by("decision_due", "id"))
    cases = list(qs[:CASES_SHOWN + 1])
    rows = [{"case": case,
             "late": [d for d in case_deadlines(case, today) if d.needs_action]}
            for case in cases[:CASES_SHOWN]]
    return {"rows": rows, "more": len(cases) > CASES_SHOWN}


def open_hazards(user: User) -> dict[str, Any]:
    """An enterprise's hazards not yet closed, nearest deadline first."""
    qs = (hazard_list(user=user).exclude(status=Hazard.Status.CLOSED)
          .order_by("deadline", "id"))
    return _first_rows(qs)


def own_enterprise(user: User) -> Enterprise | None:
    """An enterprise user's own enterprise, read through the scoped selector."""
    if user.enterprise_id is None:
        return None
    return enterprise_get(user=user, pk=user.enterprise_id)


def _load_agency(user: User) -> None:
    """The user's agency with its jurisdiction in one query (the page and the nav read
    both), instead of two lazy loads."""
    if user.agency_id and not User._meta.get_field("agency").is_cached(user):
        user.agency = Agency.objects.select_related("jurisdiction").get(pk=user.agency_id)


def home_context(user: User, *, today: datetime.date | None = None) -> dict[str, Any]:
    """Everything the home page of `user.role` shows."""
    today = today or local_today()
    _load_agency(user)
    context: dict[str, Any] = {
        "today": today,
        "jurisdiction": user.jurisdiction,
        "agency": user.agency if user.agency_id else None,
    }
    if user.is_staff_role or user.role == Role.SUPERVISOR:
        context.update(staff_overview(user))
    if user.role == Role.OFFICER:
        statuses = certificate_statuses(user, today=today)
        context["certificates"] = statuses
        context["has_usable_certificate"] = any(s.usable for s in statuses)
        context["certificate_notice"] = certificate_notice(statuses)
        context["certificate_warning_days"] = CERTIFICATE_WARNING_DAYS
        context["overdue"] = overdue_hazards(user, today=today)
    if user.role in {Role.OFFICER, Role.LEADER}:
        context["overdue_cases"] = overdue_cases(user, today=today)
    if user.role == Role.ADMIN:
        context["calendar"] = calendar_status(today=today)
    if user.role == Role.ENTERPRISE:
        context["enterprise"] = own_enterprise(user)
        context["open_hazards"] = open_hazards(user)
    return context
