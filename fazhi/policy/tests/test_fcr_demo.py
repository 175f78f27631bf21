"""The fair-competition slice of the demo and its indicators: the figures come from the
records (report_2024.yaml: 7,251 screened, 48 reviewed, 0 violations at full size)."""

from __future__ import annotations

import pytest

from fazhi.core import demo as core_demo
from fazhi.core.demo import DemoContext
from fazhi.core.models import Jurisdiction
from fazhi.policy import demo, demo_fcr
from fazhi.policy.models_fcr import (
    EXCEPTION_PURPOSES,
    ArchivedDocument,
    FcrReview,
    ScreeningRun,
)
from fazhi.reports.registry import Period, all_indicators, get_indicator


def _figures(year: int) -> dict[str, int]:
    city = Jurisdiction.objects.get(code="330400")
    return {i: get_indicator(i).evaluate(Period.for_year(year), city)
            for i in ("fcr.screened", "fcr.reviewed", "fcr.violations")}


def test_the_full_demo_keeps_the_whole_archive_of_7251_documents():
    full = DemoContext()
    assert demo_fcr.archive_size(full) == 7251
    assert sum(demo_fcr._year_counts(7251).values()) == 7251
    assert demo_fcr.archive_size(DemoContext(enterprises=200)) == 480
    assert demo.ORDER == 72


@pytest.mark.django_db(transaction=False)
def test_the_demo_screens_the_archive_and_reviews_48_documents_without_violation():
    ctx = DemoContext(enterprises=200)
    core_demo.load(ctx)
    demo_fcr.load(ctx)
    assert _figures(2024) == {"fcr.screened": 480, "fcr.reviewed": 48,
                              "fcr.violations": 0}
    assert _figures(2023) == {"fcr.screened": 0, "fcr.reviewed": 0, "fcr.violations": 0}
    run = ScreeningRun.objects.get()
    assert run.flagged == 48 and run.documents == ArchivedDocument.objects.count() == 480
    reviews = FcrReview.objects.filter(run=run)
    assert reviews.count() == 48
    assert set(reviews.values_list("conclusion", flat=True)) == {"compliant", "exception"}
    assert not reviews.filter(conclusion="exception", exception_until__isnull=True).exists()
    assert not reviews.filter(flags__decision="").exists()
    # what fcr_review_conclude requires of each conclusion
    assert not reviews.filter(conclusion="compliant", flags__decision="confirmed").exists()
    for review in reviews.filter(conclusion="exception"):
        assert review.exception_purpose in EXCEPTION_PURPOSES and review.justification
        assert review.exception_until > review.concluded_at.date()
        assert review.flags.filter(decision="confirmed").exists()
    assert all(r.concluded_at.year == 2024 for r in reviews)
    assert ArchivedDocument.objects.filter(issued_on__year=2009).exists()
    assert ArchivedDocument.objects.filter(number__startswith="嘉安监").exists()
    # idempotent: a second load creates nothing
    before = FcrReview.objects.count(), ArchivedDocument.objects.count()
    demo_fcr.load(DemoContext(enterprises=200))
    assert (FcrReview.objects.count(), ArchivedDocument.objects.count()) == before


def test_the_indicators_are_registered_in_the_policy_module_with_definitions():
    from fazhi.reports.annual import module_of

    found = {i.id: i for i in all_indicators() if i.id.startswith("fcr.")}
    assert set(found) == {"fcr.screened", "fcr.reviewed", "fcr.violations"}
    for indicator in found.values():
        assert module_of(indicator) == "policy" and indicator.scope == "bureau"
        assert any("\u4e00" <= ch <= "\u9fff" for ch in str(indicator.definition))
