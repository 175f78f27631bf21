"""Reads of certificates. Staff see the certificates of their jurisdiction and below, an
enterprise user those of its own employees, social supervisors none (personal data of
workers: `core.selectors.internal_scope`). The public verification reads one number
unscoped and answers only masked data.

"Expired" is not stored (see models_certificates): `status_filter` turns the rule of
`rules.certificates.certificate_status` into a query, so a list filtered by status
and a certificate's own page always agree."""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from fazhi.core.models import Jurisdiction, User
from fazhi.core.selectors import internal_scope
from fazhi.licensing.models_certificates import (
    MANAGER_KINDS,
    Certificate,
    CertificateKind,
    CertificateStatus,
    SuspectedFake,
    rule_kind,
)
from fazhi.licensing.rules import certificates as rules
from fazhi.licensing.rules.certificates import mask_certificate_number
from fazhi.subjects.rules.masking import mask_id_number, mask_person_name

SPECIAL = CertificateKind.SPECIAL_OPERATION
# Kind filter values of the list: the three kinds and "managers" (both qualification kinds).
MANAGERS = "managers"


def status_filter(status: str, today: datetime.date) -> Q:
    """Rows whose status on `today` is `status` (valid / expired / revoked)."""
    lapsed = Q(expires_on__lt=today) | Q(kind=SPECIAL, review_due__lt=today)
    if status == CertificateStatus.REVOKED:
        return Q(status=CertificateStatus.REVOKED)
    if status == CertificateStatus.EXPIRED:
        return Q(status=CertificateStatus.VALID) & lapsed
    if status == CertificateStatus.VALID:
        return Q(status=CertificateStatus.VALID) & ~lapsed
    raise ValueError(f"unknown status {status!r}")


def kind_filter(kind: str) -> Q:
    if kind == MANAGERS:
        return Q(kind__in=MANAGER_KINDS)
    return Q(kind=kind)


def certificate_list(
    *,
    user: User,
    kind: str | None = None,
    status: str | None = None,
    year: int | None = None,
    issued_from: datetime.date | None = None,
    issued_to: datetime.date | None = None,
    jurisdiction: Jurisdiction | str | None = None,
    category: str | None = None,
    q: str | None = None,
    today: datetime.date | None = None,
) -> QuerySet[Certificate]:
    """The certificates the user may see; a None filter is not applied. `year` is the
    issue year; `jurisdiction` includes the areas below it; `q` matches the number, the
    holder's name or the employer."""
    qs = internal_scope(
        Certificate.objects.select_related("holder", "jurisdiction", "agency"), user,
        path_field="jurisdiction_path", enterprise_field="enterprise_id")
    if kind:
        qs = qs.filter(kind_filter(kind))
    if status:
        qs = qs.filter(status_filter(status, today or timezone.localdate()))
    if year is not None:
        qs = qs.filter(issued_on__gte=datetime.date(year, 1, 1),
                       issued_on__lte=datetime.date(year, 12, 31))
    if issued_from is not None:
        qs = qs.filter(issued_on__gte=issued_from)
    if issued_to is not None:
        qs = qs.filter(issued_on__lte=issued_to)
    if category:
        qs = qs.filter(category=category)
    if jurisdiction is not None:
        if isinstance(jurisdiction, str):
            found = Jurisdiction.objects.filter(code=jurisdiction).first()
            if found is None:
                return qs.none()
            jurisdiction = found
        qs = qs.filter(jurisdiction_path__startswith=jurisdiction.path)
    if q:
        q = q.strip()
        qs = qs.filter(Q(number__icontains=q) | Q(holder_name__icontains=q)
                       | Q(employer_name__icontains=q))
    return qs


def certificate_get(*, user: User, pk: int) -> Certificate | None:
    return (certificate_list(user=user).select_related("enterprise", "source")
            .prefetch_related("reviews__recorded_by").filter(pk=pk).first())


def certificates_due(*, user: User, within_days: int,
                     today: datetime.date | None = None) -> QuerySet[Certificate]:
    """Valid certificates whose review (复审) or expiry falls within `within_days` days
    from today (today included): the reminder list, soonest first."""
    today = today or timezone.localdate()
    last = today + datetime.timedelta(days=within_days)
    due = (Q(kind=SPECIAL, review_due__gte=today, review_due__lte=last)
           | Q(expires_on__gte=today, expires_on__lte=last))
    return (certificate_list(user=user, status=CertificateStatus.VALID, today=today)
            .filter(due).order_by("review_due", "expires_on", "id"))


def certificates_expired(*, user: User, today: datetime.date | None = None
                         ) -> QuerySet[Certificate]:
    return (certificate_list(user=user, status=CertificateStatus.EXPIRED, today=today)
            .order_by("-expires_on", "-id"))


def due_date(cert: Certificate, today: datetime.date) -> tuple[str, datetime.date]:
    """What falls due next on a valid certificate: ("复审", day) or ("有效期届满", day)."""
    if cert.kind == SPECIAL and cert.review_due and today <= cert.review_due < cert.expires_on:
        return "复审", cert.review_due
    return ("延期复审" if cert.kind == SPECIAL else "延期"), cert.expires_on


def suspected_fakes(*, user: User, min_lookups: int = 2) -> QuerySet[SuspectedFake]:
    """Numbers looked up repeatedly without a certificate behind them, for staff."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_staff_role",
                                                                   False):
        return SuspectedFake.objects.none()
    return SuspectedFake.objects.filter(lookups__gte=min_lookups).order_by("-last_at")


# --- public verification ------------------------------------------------------------------

MAX_NUMBER = 40
MAX_NAME = 50
_SPACES = re.compile(r"\s+")
NOT_FOUND = "not_found"
RESULT_LABELS = {**rules.STATUS_LABELS, NOT_FOUND: "未查到"}


def normalize_number(value: str) -> str:
    return _SPACES.sub("", unicodedata.normalize("NFKC", value or "")).upper()[:MAX_NUMBER]


def normalize_name(value: str) -> str:
    return _SPACES.sub("", unicodedata.normalize("NFKC", value or ""))[:MAX_NAME]


@dataclass(frozen=True)
class VerifiedCertificate:
    number: str  # masked where it embeds an ID number
    kind: str
    kind_label: str
    operation: str
    holder_name: str  # masked
    id_number: str  # masked
    agency: str
    issued_on: datetime.date
    review_due: datetime.date | None
    expires_on: datetime.date
    status: str
    status_label: str
    status_reason: str


@dataclass(frozen=True)
class Verification:
    status: str  # valid / expired / revoked / not_found
    certificates: tuple[VerifiedCertificate, ...] = field(default=())
    # why nothing was found, for the fake log: "" / unknown_number / name_mismatch
    miss: str = ""

    @property
    def status_label(self) -> str:
        return RESULT_LABELS[self.status]

    def as_dict(self) -> dict[str, Any]:
        return {"status": self.status, "status_label": self.status_label,
                "certificates": [c.__dict__ for c in self.certificates]}


_KEYS = ("number", "kind", "operation", "holder_name", "holder__id_number", "agency__name",
         "issued_on", "review_due", "expires_on", "status")


def _sql() -> str:
    """One indexed read by number, written out once: the public lookup is the hot path
    (≥ 1,000 a second), and compiling the ORM query each time costs more than running it."""
    cert, holder = Certificate._meta, Certificate.holder.field.related_model._meta
    agency = Certificate.agency.field.related_model._meta
    return (f"SELECT c.number, c.kind, c.operation, c.holder_name, h.id_number, a.name, "
            f"c.issued_on, c.review_due, c.expires_on, c.status "
            f"FROM {cert.db_table} c JOIN {holder.db_table} h ON h.id = c.holder_id "
            f"JOIN {agency.db_table} a ON a.id = c.agency_id WHERE c.number = %s")


_LOOKUP_SQL = ""


def _rows_for(number: str) -> list[dict[str, Any]]:
    global _LOOKUP_SQL
    if not _LOOKUP_SQL:
        _LOOKUP_SQL = _sql()
    with connection.cursor() as cursor:
        cursor.execute(_LOOKUP_SQL, [number])
        found = cursor.fetchall()
    out = []
    for row in found:
        r = dict(zip(_KEYS, row, strict=True))
        for key in ("issued_on", "review_due", "expires_on"):  # SQLite answers text
            if isinstance(r[key], str):
                r[key] = datetime.date.fromisoformat(r[key])
        out.append(r)
    return out


def verification_lookup(number: str, name: str, *, today: datetime.date | None = None
                        ) -> Verification:
    """Certificate number + holder's name → the status of each certificate under that
    number (a special-operation number covers every operation item of its holder).
    A number found under another name answers not_found, like a missing one: the
    lookup must not reveal whose number it is."""
    number, name = normalize_number(number), normalize_name(name)
    rows = _rows_for(number)
    if not rows:
        return Verification(NOT_FOUND, miss=SuspectedFake.Reason.UNKNOWN_NUMBER)
    rows = [r for r in rows if normalize_name(r["holder_name"]) == name]
    if not rows:
        return Verification(NOT_FOUND, miss=SuspectedFake.Reason.NAME_MISMATCH)
    today = today or timezone.localdate()
    found = []
    for r in sorted(rows, key=lambda r: r["issued_on"], reverse=True):
        status = rules.certificate_status(
            kind=rule_kind(r["kind"]), expires=r["expires_on"], review_due=r["review_due"],
            revoked=r["status"] == CertificateStatus.REVOKED, today=today)
        found.append(VerifiedCertificate(
            number=mask_certificate_number(r["number"]), kind=r["kind"],
            kind_label=str(CertificateKind(r["kind"]).label), operation=r["operation"],
            holder_name=mask_person_name(r["holder_name"]),
            id_number=mask_id_number(r["holder__id_number"]), agency=r["agency__name"],
            issued_on=r["issued_on"], review_due=r["review_due"], expires_on=r["expires_on"],
            status=status.code, status_label=status.label, status_reason=status.reason))
    overall = (rules.VALID if any(c.status == rules.VALID for c in found)
               else found[0].status)
    return Verification(overall, tuple(found))
