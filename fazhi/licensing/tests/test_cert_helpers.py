"""Fixtures shared by the certificate tests: each test_cert_* module imports the `_name`
functions, which pytest registers under their fixture names (a fixed signing key, a clean
cache for the rate-limit counters, certificate factories)."""

from __future__ import annotations

import base64
import datetime
import itertools
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache

from fazhi.core.models import Role, User
from fazhi.core.tests.factories import make_id_number
from fazhi.licensing.models_certificates import Certificate, CertificateKind
from fazhi.licensing.services_certificates import certificate_issue

TEST_KEY = base64.b64encode(bytes(range(32))).decode()
OTHER_KEY = base64.b64encode(bytes(range(1, 33))).decode()


@pytest.fixture(autouse=True, name="signing_key")
def _signing_key(settings: Any) -> str:
    settings.FAZHI_CERT_SIGNING_KEY = TEST_KEY
    cache.clear()
    yield TEST_KEY
    cache.clear()


@pytest.fixture(name="issuer")
def _issuer(make_user, agencies) -> User:
    """An officer of the city bureau (考核发证机关)."""
    return make_user(Role.OFFICER, agency=agencies["city"])


@pytest.fixture(name="make_certificate")
def _make_certificate(issuer, jurisdictions) -> Callable[..., Certificate]:
    serials = itertools.count(100)

    def make(kind: str = CertificateKind.SPECIAL_OPERATION, *, name: str = "周建华",
             jurisdiction: str = "nanhu", issued_on: datetime.date | None = None,
             **kw: Any) -> Certificate:
        fields: dict[str, Any] = {
            "actor": issuer, "kind": kind, "holder_name": name,
            "id_number": make_id_number(next(serials)),
            "operation": "低压电工作业" if kind == CertificateKind.SPECIAL_OPERATION
            else "危险化学品生产单位",
            "category": "electrical" if kind == CertificateKind.SPECIAL_OPERATION else "",
            "jurisdiction": jurisdictions[jurisdiction],
            "issued_on": issued_on or datetime.date(2024, 3, 15),
        }
        fields.update(kw)
        return certificate_issue(**fields)

    return make


def login(client: Any, user: User) -> Any:
    client.force_login(user)
    return client
