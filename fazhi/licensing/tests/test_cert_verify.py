"""Public verification over HTTP (no login): statuses, masking, the rate limit, the
suspected-fake log; the QR signature verified offline, a forged field or a wrong key
rejected."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from fazhi.core.models import Event, Role
from fazhi.licensing import signing
from fazhi.licensing.models_certificates import CertificateKind, SuspectedFake
from fazhi.licensing.services_certificates import certificate_revoke
from fazhi.licensing.tests.test_cert_helpers import (  # noqa: F401 - fixtures
    OTHER_KEY,
    TEST_KEY,
    _issuer,
    _make_certificate,
    _signing_key,
    login,
)

API = "/api/v1/licensing/verify"


def check(number: str, name: str, client: Client | None = None):
    return (client or Client()).post(API, {"number": number, "name": name},
                                     content_type="application/json")


@pytest.mark.django_db
def test_valid_certificate_found_with_masked_holder(make_certificate):
    cert = make_certificate(name="周建华")
    response = check(cert.number, "周建华")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "valid" and body["status_label"] == "有效"
    (found,) = body["certificates"]
    assert found["holder_name"] == "周**"
    ident = cert.holder.id_number
    assert found["id_number"] == ident[:6] + "********" + ident[-4:]
    assert ident not in response.content.decode()
    # also by GET, spaces and lower case tolerated
    got = Client().get(API, {"number": " " + cert.number.lower(), "name": "周建华"})
    assert got.json()["status"] == "valid"


@pytest.mark.django_db
def test_expired_lapsed_and_revoked(make_certificate, issuer):
    old = make_certificate(name="李明", issued_on=datetime.date(2017, 5, 2))
    assert check(old.number, "李明").json()["status"] == "expired"
    lapsed = make_certificate(name="王芳", issued_on=datetime.date(2021, 1, 4))
    body = check(lapsed.number, "王芳").json()  # review due 2024-01-04, never reviewed
    assert body["status"] == "expired"
    assert "未按期复审" in body["certificates"][0]["status_reason"]
    revoked = make_certificate(name="赵强")
    certificate_revoke(actor=issuer, certificate=revoked, ground="fraud",
                       reason="以欺骗手段取得", revoked_on=datetime.date(2024, 6, 1))
    assert check(revoked.number, "赵强").json()["status"] == "revoked"


@pytest.mark.django_db
def test_unknown_number_and_wrong_name_are_not_found_and_logged(make_certificate):
    cert = make_certificate(name="周建华")
    wrong = check(cert.number, "周建国").json()
    assert wrong == {"status": "not_found", "status_label": "未查到", "certificates": []}
    for _ in range(3):
        assert check("T330402199901011230", "张三").json()["status"] == "not_found"
    fake = SuspectedFake.objects.get(number="T330402199901011230")
    assert fake.lookups == 3 and fake.reason == "unknown_number" and fake.name_masked == "张*"
    assert SuspectedFake.objects.get(number=cert.number).reason == "name_mismatch"
    # a log of the public's lookups: it writes nothing into the event record
    assert not Event.objects.filter(object_type="licensing.suspectedfake").exists()


@pytest.mark.django_db
def test_suspected_fakes_listed_for_officers_only(make_user, make_certificate):
    for _ in range(2):
        check("T330402199901011230", "张三")
    check("T330402199901021236", "李四")  # once: not "repeated"
    officer = make_user(Role.OFFICER)
    page = login(Client(), officer).get("/licensing/certificates/suspected-fakes/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "T330402199901011230" in text and "T330402199901021236" not in text
    enterprise = make_user(Role.ENTERPRISE)
    assert login(Client(), enterprise).get(
        "/licensing/certificates/suspected-fakes/").status_code == 403
    from fazhi.core.services.tokens import token_issue
    raw, _ = token_issue(user=officer)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get(
        "/api/v1/licensing/certificates/suspected-fakes").json()
    assert [f["number"] for f in api["items"]] == ["T330402199901011230"]
    assert api["items"][0]["lookups"] == 2


@pytest.mark.django_db
def test_rate_limited_per_client_address(settings, make_certificate):
    settings.FAZHI_VERIFY_RATE_LIMIT = 3
    cert = make_certificate(name="周建华")
    for _ in range(3):
        assert check(cert.number, "周建华").status_code == 200
    refused = check(cert.number, "周建华")
    assert refused.status_code == 429
    assert "查询过于频繁" in refused.json()["detail"]
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert check(cert.number, "周建华", other).status_code == 200
    page = Client().post("/licensing/verify/", {"number": cert.number, "name": "周建华"})
    assert page.status_code == 429 and "查询过于频繁" in page.content.decode()


@pytest.mark.django_db
def test_bad_input_is_422():
    response = check("", "周建华")
    assert response.status_code == 422
    assert Client().get(API).status_code == 422


@pytest.mark.django_db
def test_public_page_without_login(make_certificate):
    cert = make_certificate(name="周建华")
    client = Client()
    assert client.get("/licensing/verify/").status_code == 200
    page = client.post("/licensing/verify/", {"number": cert.number, "name": "周建华"})
    text = page.content.decode()
    assert page.status_code == 200
    assert 'data-status="valid"' in text and "周**" in text
    assert cert.holder.id_number not in text
    missing = client.post("/licensing/verify/", {"number": "T1", "name": "周建华"})
    assert 'data-status="not_found"' in missing.content.decode()


@pytest.mark.django_db
def test_public_key_page_and_api_publish_the_key():
    page = Client().get("/licensing/verify/public-key")
    assert page.status_code == 200
    assert signing.public_key_pem().strip().splitlines()[1] in page.content.decode()
    body = Client().get("/api/v1/licensing/verify/public-key").json()
    assert body["algorithm"] == "Ed25519" and body["key_id"] == signing.current_key_id()
    pem = Client().get("/licensing/verify/public-key?format=pem")
    assert pem.content.decode() == signing.public_key_pem()


# --- offline verification of the QR payload ---------------------------------------------------

@pytest.mark.django_db
def test_genuine_payload_verifies_offline_with_the_published_key(make_certificate):
    cert = make_certificate(CertificateKind.PRINCIPAL, name="王芳")
    payload = signing.certificate_payload(cert)
    pem = Client().get("/licensing/verify/public-key?format=pem").content.decode()
    result = signing.verify_payload(payload, pem)
    assert result.ok, result.reason
    assert result.fields["name"] == "王芳" and result.fields["kind"] == "P"
    assert result.fields["expires"] == "20270315"
    assert cert.holder.id_number not in payload  # masked in the QR
    assert signing.qr_svg(payload).lstrip().startswith("<svg")


@pytest.mark.django_db
@pytest.mark.parametrize("field, forged", [
    (5, "王芳芳"), (8, "20271231"), (7, "20240101"), (4, "高压电工作业"), (2, "S")])
def test_a_forged_field_is_rejected(make_certificate, field, forged):
    cert = make_certificate(CertificateKind.PRINCIPAL, name="王芳")
    parts = signing.certificate_payload(cert).split("|")
    parts[field] = forged
    result = signing.verify_payload("|".join(parts), signing.public_key())
    assert not result.ok and "签名无效" in result.reason


@pytest.mark.django_db
def test_a_wrong_key_or_garbage_is_rejected(make_certificate, settings):
    cert = make_certificate(name="周建华")
    payload = signing.certificate_payload(cert)
    settings.FAZHI_CERT_SIGNING_KEY = OTHER_KEY
    other_public = signing.public_key()
    settings.FAZHI_CERT_SIGNING_KEY = TEST_KEY
    assert not signing.verify_payload(payload, other_public).ok
    # a payload re-signed with another key (right format, wrong signer)
    forged_body = payload.rpartition("|")[0].replace(signing.current_key_id(),
                                                     signing.key_id_of(other_public))
    assert not signing.verify_payload(forged_body + "|" + "A" * 86, other_public).ok
    assert not signing.verify_payload("hello", signing.public_key()).ok
    assert not signing.verify_payload(payload[:-3], signing.public_key()).ok


@pytest.mark.django_db
def test_review_re_signs_the_new_expiry(make_certificate, issuer):
    from fazhi.licensing.services_certificates import certificate_review

    cert = make_certificate(name="周建华", issued_on=datetime.date(2020, 12, 10))
    before = signing.certificate_payload(cert)
    certificate_review(actor=issuer, certificate=cert, reviewed_on=datetime.date(2023, 11, 1),
                       passed=True)
    cert.refresh_from_db()
    assert cert.review_due == cert.expires_on == datetime.date(2026, 12, 10)
    certificate_review(actor=issuer, certificate=cert, reviewed_on=datetime.date(2026, 11, 1),
                       passed=True, renewal=True)
    cert.refresh_from_db()
    assert cert.expires_on == datetime.date(2032, 12, 10)
    assert cert.review_due == datetime.date(2029, 12, 10)
    after = signing.certificate_payload(cert)
    assert after != before and signing.verify_payload(after, signing.public_key()).ok
    assert not signing.verify_payload(before.replace("20261210", "20321210"),
                                      signing.public_key()).ok
