"""Only an officer holding a certificate valid on the day may do enforcement work
(《行政处罚法》第四十二条)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from fazhi.core.models import EnforcementCertificate, Role, User
from fazhi.core.permissions import eligible_officers, require_enforcement_certificate

DAY = datetime.date(2024, 6, 30)


@pytest.fixture
def officer(make_user) -> User:
    officer = make_user(Role.OFFICER)
    EnforcementCertificate.objects.create(holder=officer, number="33040000001",
                                          valid_from=datetime.date(2021, 7, 1), valid_to=DAY)
    return officer


def test_certificate_counts_through_its_last_day_and_not_after(officer):
    require_enforcement_certificate(officer, DAY)  # the last valid day: allowed
    with pytest.raises(ValidationError, match="无有效执法证"):
        require_enforcement_certificate(officer, DAY + datetime.timedelta(days=1))


def test_certificate_not_yet_valid_or_revoked_does_not_count(officer):
    with pytest.raises(ValidationError):
        require_enforcement_certificate(officer, datetime.date(2021, 6, 30))
    officer.certificates.update(revoked_at=timezone.now())
    with pytest.raises(ValidationError):
        require_enforcement_certificate(officer, DAY)


def test_only_active_officers_can_be_assigned(officer, make_user):
    leader = make_user(Role.LEADER)
    EnforcementCertificate.objects.create(holder=leader, number="33040000002",
                                          valid_from=datetime.date(2021, 7, 1), valid_to=DAY)
    with pytest.raises(ValidationError, match="不是在岗执法人员"):
        require_enforcement_certificate(leader, DAY)
    officer.is_active = False
    officer.save()
    with pytest.raises(ValidationError):
        require_enforcement_certificate(officer, DAY)


def test_eligible_officers_lists_only_certificate_holders(officer, make_user):
    without = make_user(Role.OFFICER)
    pool = User.objects.filter(pk__in=[officer.pk, without.pk])
    assert list(eligible_officers(pool, DAY)) == [officer]
    assert list(eligible_officers(pool, DAY + datetime.timedelta(days=1))) == []
