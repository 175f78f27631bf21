"""Who may do enforcement work.

《行政处罚法》第四十二条: administrative penalties are carried out by enforcement
personnel holding enforcement certificates (具有行政执法资格), at least two of them.
An officer without a certificate valid on the day cannot be assigned enforcement work.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet

from fazhi.core.models import EnforcementCertificate, Role, User


def valid_certificate_q(on: datetime.date) -> Q:
    return Q(revoked_at__isnull=True, valid_from__lte=on, valid_to__gte=on)


def has_valid_certificate(officer: User, on: datetime.date) -> bool:
    return officer.certificates.filter(valid_certificate_q(on)).exists()


def require_enforcement_certificate(officer: User, on: datetime.date) -> None:
    """Raise a Chinese ValidationError unless `officer` may do enforcement work `on`."""
    if officer.role != Role.OFFICER or not officer.is_active:
        raise ValidationError(f"{officer}不是在岗执法人员，不能承担执法工作")
    if not has_valid_certificate(officer, on):
        raise ValidationError(
            f"{officer}于{on:%Y年%m月%d日}无有效执法证，不能承担执法工作（《行政处罚法》第四十二条）"
        )


def eligible_officers(officers: QuerySet[User], on: datetime.date) -> QuerySet[User]:
    """The officers among `officers` holding a certificate valid on `on`."""
    valid = EnforcementCertificate.objects.filter(valid_certificate_q(on), holder=OuterRef("pk"))
    return officers.filter(role=Role.OFFICER, is_active=True).filter(Exists(valid))
