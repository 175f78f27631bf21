"""The certificates demo slice: the figures it intends, signed, idempotent."""

from __future__ import annotations

import pytest

from fazhi.core import demo as core_demo
from fazhi.core.demo import DemoContext
from fazhi.core.models import Jurisdiction
from fazhi.licensing import demo_certificates, signing
from fazhi.licensing.models_certificates import Certificate, CertificateReview, SuspectedFake
from fazhi.licensing.tests.test_cert_helpers import _signing_key  # noqa: F401 - fixture
from fazhi.reports.registry import Period, get_indicator
from fazhi.subjects import demo as subjects_demo


@pytest.mark.django_db
def test_demo_reproduces_its_figures_signed_and_idempotent():
    ctx = DemoContext(enterprises=150)
    core_demo.load(ctx)
    subjects_demo.load(ctx)
    demo_certificates.load(ctx)
    intent = demo_certificates.counts_for(150)
    city = Jurisdiction.objects.get(code="330400")
    for year in (2023, 2024):
        managers, special = intent[year]
        assert get_indicator("certs.managers").evaluate(Period.for_year(year), city) == managers
        assert get_indicator("certs.special_ops").evaluate(Period.for_year(year),
                                                           city) == special
    assert demo_certificates.counts_for(12_000)[2024] == (3_343, 34_768)
    total = Certificate.objects.count()
    assert total == sum(m + s for m, s in intent.values())
    assert CertificateReview.objects.exists() and SuspectedFake.objects.exists()
    assert Certificate.objects.filter(status="revoked").exists()
    for cert in Certificate.objects.select_related("holder").order_by("?")[:20]:
        assert signing.verify_payload(signing.certificate_payload(cert),
                                      signing.public_key()).ok
    again = DemoContext(enterprises=150)
    demo_certificates.load(again)
    assert Certificate.objects.count() == total and again.total_created == 0
