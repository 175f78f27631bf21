"""Reads of normative documents (行政规范性文件) and cleanup campaigns (清理).

Staff read the documents of their jurisdiction and below (`internal_scope` on the
drafting agency's jurisdiction path: the bureau's own documents; social supervisors and
enterprise users none — what the public may read is on the portal, through
`public_normative_documents` and `public_cleanup_results`, which need no user)."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from fazhi.core.models import User
from fazhi.core.selectors import internal_scope
from fazhi.policy.models_normdocs import (
    CleanupCampaign,
    CleanupResult,
    DocStatus,
    NormativeDocument,
)
from fazhi.policy.rules.normdocs import WAS_PUBLISHED


def normdoc_list(
    *, user: User, status: str | None = None, issuer: str | None = None,
    year: int | None = None, q: str | None = None, current_only: bool = False,
) -> QuerySet[NormativeDocument]:
    """The documents (every version) the user may see; filters: status, issuer, year of
    publication (or of drafting while unpublished), title/number words."""
    qs = internal_scope(
        NormativeDocument.objects.select_related("agency", "fcr_review"), user,
        path_field="jurisdiction_path")
    if status:
        qs = qs.filter(status=status)
    if issuer:
        qs = qs.filter(issuer=issuer)
    if year:
        qs = qs.filter(Q(published_on__year=year)
                       | Q(published_on__isnull=True, drafted_on__year=year))
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(number__icontains=q))
    if current_only:
        qs = qs.exclude(status=DocStatus.SUPERSEDED)
    return qs.order_by("-drafted_on", "-pk")


def normdoc_get(*, user: User, pk: int) -> NormativeDocument | None:
    return (normdoc_list(user=user)
            .prefetch_related("legality_reviews__opinions", "cleanup_results__campaign")
            .filter(pk=pk).first())


def normdoc_versions(document: NormativeDocument) -> QuerySet[NormativeDocument]:
    """Every version of the document's lineage, oldest first (the caller has checked
    that the user may see the document; versions share its agency)."""
    root = document.lineage_id or document.pk
    return NormativeDocument.objects.filter(
        Q(pk=root) | Q(lineage_id=root)).order_by("version_no", "pk")


def cleanup_list(*, user: User) -> QuerySet[CleanupCampaign]:
    return internal_scope(CleanupCampaign.objects.select_related("agency"), user,
                          path_field="jurisdiction_path")


def cleanup_get(*, user: User, pk: int) -> CleanupCampaign | None:
    return cleanup_list(user=user).prefetch_related(
        Prefetch("results", CleanupResult.objects.select_related("document"))
    ).filter(pk=pk).first()


# --- public portal (no login; H-over's pages call these) -------------------------------------

def public_normative_documents() -> QuerySet[NormativeDocument]:
    """The published documents (公布 at some point, whatever their validity now: the
    portal shows 有效 / 失效 / 废止 / 已修改 beside each), newest first."""
    return (NormativeDocument.objects.filter(status__in=WAS_PUBLISHED,
                                             published_on__isnull=False)
            .select_related("agency").order_by("-published_on", "-pk"))


def public_normative_document(pk: int) -> NormativeDocument | None:
    return public_normative_documents().filter(pk=pk).first()


def public_cleanup_results() -> QuerySet[CleanupCampaign]:
    """The published cleanup campaigns, newest first, each with its results
    (`campaign.results.all()`: document and result)."""
    return (CleanupCampaign.objects.filter(published_on__isnull=False)
            .select_related("agency")
            .prefetch_related(Prefetch(
                "results", CleanupResult.objects.select_related("document").order_by("pk")))
            .order_by("-published_on", "-pk"))
