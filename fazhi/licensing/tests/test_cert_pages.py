"""Certificate pages over HTTP: the list scoped and masked, the detail with its QR code,
review and revocation through the forms, the reminders; the indicators and their drill."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from fazhi.core.models import Event, Role
from fazhi.licensing.models_certificates import CertificateKind
from fazhi.licensing.tests.test_cert_helpers import (  # noqa: F401 - fixtures
    _issuer,
    _make_certificate,
    _signing_key,
    login,
)
from fazhi.reports.registry import Period, get_indicator


@pytest.mark.django_db
def test_list_is_scoped_and_masks_ids_for_roles_that_do_not_need_them(make_user,
                                                                      make_certificate):
    mine = make_certificate(name="周建华")
    other = make_certificate(name="李明", jurisdiction="xiuzhou")
    officer = login(Client(), make_user(Role.OFFICER))
    page = officer.get("/licensing/certificates/").content.decode()
    assert "周建华" in page and "李明" not in page
    assert mine.holder.id_number in page
    assert officer.get(f"/licensing/certificates/{other.pk}/").status_code == 404
    leader = login(Client(), make_user(Role.LEADER))
    shown = leader.get(f"/licensing/certificates/{mine.pk}/").content.decode()
    assert mine.holder.id_number not in shown and "330402********" in shown
    assert "<svg" in shown  # the QR code
    supervisor = login(Client(), make_user(Role.SUPERVISOR))
    assert supervisor.get(f"/licensing/certificates/{mine.pk}/").status_code in (403, 404)
    filtered = officer.get("/licensing/certificates/?kind=managers").content.decode()
    assert "周建华" not in filtered


@pytest.mark.django_db
def test_review_and_revoke_through_the_page(issuer, make_certificate):
    cert = make_certificate(name="周建华", issued_on=datetime.date(2021, 2, 1))
    client = login(Client(), issuer)
    refused = client.post(f"/licensing/certificates/{cert.pk}/review/", {
        "renewal": "0", "reviewed_on": "2024-03-01", "passed": "1"})
    assert refused.status_code == 400 and "第二十六条" in refused.content.decode()
    done = client.post(f"/licensing/certificates/{cert.pk}/review/", {
        "renewal": "0", "reviewed_on": "2024-01-10", "passed": "1", "training_hours": "8"})
    assert done.status_code == 302
    cert.refresh_from_db()
    assert cert.review_due == datetime.date(2027, 2, 1)
    client.post(f"/licensing/certificates/{cert.pk}/revoke/", {
        "ground": "accident", "reason": "对事故负有责任", "revoked_on": "2024-05-01"})
    cert.refresh_from_db()
    assert cert.status == "revoked" and cert.revocation_ground == "accident"
    actions = list(Event.objects.filter(object_type="licensing.certificate",
                                        object_id=str(cert.pk)).values_list("action", flat=True))
    assert actions == ["certificate.issued", "certificate.reviewed", "certificate.revoked"]
    page = client.get(f"/licensing/certificates/{cert.pk}/").content.decode()
    assert "已撤销" in page and "第三十条" in page


@pytest.mark.django_db
def test_reminder_page(make_user, make_certificate):
    today = datetime.date.today()
    make_certificate(name="赵强", issued_on=today.replace(year=today.year - 3)
                     + datetime.timedelta(days=10))
    make_certificate(name="钱伟", issued_on=datetime.date(2017, 1, 5))
    client = login(Client(), make_user(Role.OFFICER))
    due = client.get("/licensing/certificates/reminders/?within_days=30").content.decode()
    assert "赵强" in due and "钱伟" not in due
    expired = client.get("/licensing/certificates/reminders/?what=expired").content.decode()
    assert "钱伟" in expired and "赵强" not in expired


@pytest.mark.django_db
def test_indicators_count_by_issue_date_and_drill_to_exactly_those(make_user, agencies,
                                                                   jurisdictions,
                                                                   make_certificate):
    make_certificate(name="甲", issued_on=datetime.date(2024, 1, 1))
    make_certificate(name="乙", issued_on=datetime.date(2024, 12, 31), jurisdiction="xiuzhou")
    make_certificate(name="丙", issued_on=datetime.date(2023, 12, 31))
    make_certificate(CertificateKind.PRINCIPAL, name="丁", issued_on=datetime.date(2024, 6, 1))
    make_certificate(CertificateKind.SAFETY_MANAGER, name="戊",
                     issued_on=datetime.date(2025, 1, 1))
    year, city = Period.for_year(2024), jurisdictions["city"]
    special, managers = get_indicator("certs.special_ops"), get_indicator("certs.managers")
    assert special.evaluate(year, city) == 2
    assert special.evaluate(year, jurisdictions["nanhu"]) == 1
    assert managers.evaluate(year, city) == 1
    client = login(Client(), make_user(Role.OFFICER, agency=agencies["city"]))
    page = client.get(special.drill_url(year, city)).content.decode()
    assert 'data-testid="certificate-count">2<' in page
    assert "甲" in page and "乙" in page and "丙" not in page
    page = client.get(managers.drill_url(year, city)).content.decode()
    assert 'data-testid="certificate-count">1<' in page and "丁" in page
