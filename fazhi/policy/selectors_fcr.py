"""Reads of fair-competition review, every one scoped through `core.selectors.scope`
(by the row's denormalised jurisdiction path): a county user never sees the city
bureau's archive, runs or reviews; out of scope = missing (404)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from fazhi.core.models import User
from fazhi.core.selectors import internal_scope
from fazhi.policy.models_fcr import (
    ArchivedDocument,
    FcrReview,
    ScreeningResult,
    ScreeningRun,
)


def archive_list(*, user: User, q: str = "", year: int | None = None
                 ) -> QuerySet[ArchivedDocument]:
    qs = internal_scope(ArchivedDocument.objects.select_related("agency"), user,
                        path_field="jurisdiction_path")
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(number__icontains=q))
    if year:
        qs = qs.filter(issued_on__year=year)
    return qs.order_by("-issued_on", "-pk")


def run_list(*, user: User) -> QuerySet[ScreeningRun]:
    return internal_scope(ScreeningRun.objects.select_related("agency", "job",
                                                              "started_by"),
                          user, path_field="jurisdiction_path").order_by("-created_at")


def run_get(*, user: User, pk: int) -> ScreeningRun | None:
    return run_list(user=user).filter(pk=pk).first()


def run_results(*, run: ScreeningRun, flagged_only: bool = True) -> QuerySet[ScreeningResult]:
    """The run's results (the caller has checked the run is in scope), flagged first."""
    qs = run.results.select_related("document")
    if flagged_only:
        qs = qs.filter(flag_count__gt=0)
    return qs.order_by("-flag_count", "-document__issued_on", "document__number")


def result_get(*, user: User, pk: int) -> ScreeningResult | None:
    visible = run_list(user=user).values("pk")
    return (ScreeningResult.objects.select_related("run", "document")
            .filter(run__in=visible, pk=pk).first())


def reviews_by_document(run: ScreeningRun) -> dict[int, FcrReview]:
    return {r.document_id: r for r in FcrReview.objects.filter(run=run)}


def review_list(*, user: User, source: str = "", state: str = "") -> QuerySet[FcrReview]:
    qs = internal_scope(FcrReview.objects.select_related("agency", "document",
                                                         "reviewer"),
                        user, path_field="jurisdiction_path")
    if source:
        qs = qs.filter(source=source)
    if state == "open":
        qs = qs.filter(conclusion="")
    elif state == "concluded":
        qs = qs.exclude(conclusion="")
    return qs.order_by("-created_at", "-pk")


def review_get(*, user: User, pk: int) -> FcrReview | None:
    return review_list(user=user).filter(pk=pk).first()
