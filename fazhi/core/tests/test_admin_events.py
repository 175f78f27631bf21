"""Edits made in Django admin are state changes too: each one lands in the event record."""

from __future__ import annotations

import datetime

from django.urls import reverse

from fazhi.core.models import EnforcementCertificate, Event, Jurisdiction, Role
from fazhi.core.services.events import verify_record


def _admin_client(client, make_user, agencies):
    admin = make_user(Role.ADMIN, agency=agencies["city"], is_staff=True, is_superuser=True)
    client.force_login(admin)
    return admin


def test_changing_a_jurisdiction_in_admin_records_who_changed_what(client, make_user, agencies,
                                                                   jurisdictions):
    admin = _admin_client(client, make_user, agencies)
    town = jurisdictions["nanhu_town"]
    response = client.post(
        reverse("admin:core_jurisdiction_change", args=[town.pk]),
        {"code": town.code, "name": "解放街道（新）", "level": town.level,
         "parent": town.parent_id},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Jurisdiction.objects.get(pk=town.pk).name == "解放街道（新）"
    event = Event.objects.get(object_type="core.jurisdiction", object_id=str(town.pk))
    assert event.action == "admin.changed" and event.actor == admin
    assert event.payload["fields"] == ["name"]
    assert event.payload["values"] == {"name": "解放街道（新）"}
    assert verify_record() == []


def test_inline_certificate_added_in_admin_is_recorded(client, make_user, agencies):
    _admin_client(client, make_user, agencies)
    officer = make_user(Role.OFFICER)
    url = reverse("admin:core_user_change", args=[officer.pk])
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update({
        "username": officer.username, "role": officer.role, "agency": officer.agency_id,
        "date_joined_0": "2024-01-01", "date_joined_1": "08:00:00",
        "certificates-TOTAL_FORMS": "1", "certificates-INITIAL_FORMS": "0",
        "certificates-0-number": "33040099999", "certificates-0-valid_from": "2024-01-01",
        "certificates-0-valid_to": "2029-12-31", "certificates-0-issuer": "浙江省人民政府",
    })
    for key in ("groups", "user_permissions", "last_login", "date_joined", "password"):
        data.pop(key, None)
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    certificate = EnforcementCertificate.objects.get(number="33040099999")
    assert certificate.valid_to == datetime.date(2029, 12, 31)
    assert Event.objects.filter(object_type="core.enforcementcertificate",
                                object_id=str(certificate.pk), action="admin.created").exists()
    assert not any("password" in e.payload.get("values", {}) for e in Event.objects.all())
