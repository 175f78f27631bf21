"""The normative-document and decision slice of the demo: loaded on the core demo city,
its figures are the report's (computed from the records), and a second load creates
nothing."""

from __future__ import annotations

import pytest

from fazhi.core import demo as core_demo
from fazhi.core.demo import DemoContext
from fazhi.core.models import Jurisdiction
from fazhi.core.services.events import verify_record
from fazhi.policy import demo_normdocs
from fazhi.policy.models_decisions import MajorDecision
from fazhi.policy.models_normdocs import CleanupCampaign, DocStatus, NormativeDocument
from fazhi.policy.selectors_normdocs import public_cleanup_results, public_normative_documents
from fazhi.reports.registry import Period, all_indicators

# The demo's own intent (report_2024.yaml: 制发3件, 清理局机关6件、市府办名义5件; one
# major decision through the statutory procedure).
INTENDED_2024 = {"normdocs.issued": 3, "normdocs.cleaned.own": 6, "normdocs.cleaned.gov": 5,
                 "decisions.catalogued": 1, "decisions.adopted": 1}


@pytest.fixture
def demo(db):
    ctx = DemoContext()
    core_demo.load(ctx)
    demo_normdocs.load(ctx)
    return ctx


def _figures(year: int) -> dict[str, int]:
    city = Jurisdiction.objects.get(code="330400")
    period = Period.for_year(year)
    return {i.id: i.compute(period, city) for i in all_indicators()
            if i.id.startswith(("normdocs.", "decisions."))}


def test_demo_figures_are_the_report_s(demo):
    figures = _figures(2024)
    assert {k: figures[k] for k in INTENDED_2024} == INTENDED_2024
    assert _figures(2023)["normdocs.issued"] == 2
    # a county asks for its own bureau's figures: none here
    nanhu = Jurisdiction.objects.get(code="330402")
    assert all(i.compute(Period.for_year(2024), nanhu) == 0 for i in all_indicators()
               if i.id.startswith("normdocs."))
    _check_records()


def _check_records() -> None:
    issued = NormativeDocument.objects.filter(published_on__year=2024)
    assert sorted(issued.values_list("number", flat=True)) == [
        "嘉应急规〔2024〕1号", "嘉应急规〔2024〕2号", "嘉应急规〔2024〕3号"]
    assert all(d.status == DocStatus.IN_FORCE for d in issued)
    # the three reviews carry no flag (they stay out of fcr.reviewed)
    assert all(d.fcr_review.flags.count() == 0 and d.fcr_review.conclusion == "compliant"
               for d in issued)
    assert NormativeDocument.objects.filter(status=DocStatus.IN_FORCE).count() >= 8
    assert NormativeDocument.objects.filter(status=DocStatus.DRAFTING,
                                            previous__isnull=False).count() == 2
    assert [len(c.results.all()) for c in public_cleanup_results()] in ([6, 5], [5, 6])
    assert public_normative_documents().count() == NormativeDocument.objects.filter(
        published_on__isnull=False).count()
    decision = MajorDecision.objects.get()
    assert decision.status == "published" and decision.steps.count() == 5
    assert not verify_record()


def test_demo_is_idempotent(demo):
    counts = (NormativeDocument.objects.count(), CleanupCampaign.objects.count(),
              MajorDecision.objects.count())
    ctx = DemoContext()
    demo_normdocs.load(ctx)
    assert ctx.total_created == 0
    assert counts == (NormativeDocument.objects.count(), CleanupCampaign.objects.count(),
                      MajorDecision.objects.count())
