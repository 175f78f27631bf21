"""Reads of major administrative decisions (重大行政决策): catalogues and decisions,
scoped like the other working records of the bureau (`internal_scope` on the
deciding agency's jurisdiction path)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from fazhi.core.models import User
from fazhi.core.selectors import internal_scope
from fazhi.policy.models_decisions import DecisionCatalogue, DecisionStep, MajorDecision


def catalogue_list(*, user: User) -> QuerySet[DecisionCatalogue]:
    return internal_scope(DecisionCatalogue.objects.select_related("agency"), user,
                          path_field="jurisdiction_path")


def catalogue_get(*, user: User, pk: int) -> DecisionCatalogue | None:
    return catalogue_list(user=user).prefetch_related("decisions").filter(pk=pk).first()


def decision_list(*, user: User, year: int | None = None,
                  status: str | None = None) -> QuerySet[MajorDecision]:
    qs = internal_scope(MajorDecision.objects.select_related("catalogue__agency"), user,
                        path_field="jurisdiction_path")
    if year:
        qs = qs.filter(catalogue__year=year)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-catalogue__year", "pk")


def decision_get(*, user: User, pk: int) -> MajorDecision | None:
    return decision_list(user=user).prefetch_related(
        Prefetch("steps", DecisionStep.objects.prefetch_related("comments", "files")),
        "files", "evaluations").filter(pk=pk).first()
