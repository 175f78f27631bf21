"""Reads of the legal app.

`resolve_items` turns the `item` / `items` of an assess request (catalogue codes or
citation strings) into the `ItemRule`s the engine prices, from the catalogue tables."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q

from fazhi.core.models import Jurisdiction
from fazhi.legal.catalogue import (
    citation_parts,
    item_lookup,
    item_rule,
    items_in_force,
    normalise_citation,
)
from fazhi.legal.models import (
    DiscretionBenchmark,
    EnforcementItem,
    ExemptionEntry,
    ItemStagePenalty,
    Law,
    Provision,
    Stage,
    in_force_q,
)
from fazhi.legal.rules.catalogue import ItemRule


class UnknownItem(ValueError):
    """An item reference that names no known item; the message is Chinese and names the
    request field."""

    def __init__(self, field: str, reference: str) -> None:
        self.field = field
        self.reference = reference
        super().__init__(
            f"执法事项（{field}）“{reference}”未找到：请填写事项编码（如 WSL2021-097-01）或处罚"
            f"依据（如“安全生产法 第九十七条第（一）项”）")


def resolve_items(
    codes: Sequence[str],
    *,
    field: str = "items",
    on: datetime.date,
    decided: datetime.date | None = None,
    stage: str | None = None,
    jurisdiction: str | None = None,
) -> list[ItemRule]:
    """The items named by `codes` (catalogue code or penalty citation), in order,
    duplicates dropped (the same item named by code and by citation is one provision).
    A citation names the item in force on `on` (the day the violation ended, when known).
    The tiers are those of the benchmark of `stage` (default the first finding) in force
    on `decided` (default `on`) for `jurisdiction` (a region code) or the nearest region
    above it that has one. Raises `UnknownItem` for the first reference that names
    nothing; `field` is the request field it came from."""
    region = (Jurisdiction.objects.filter(code=jurisdiction).first()
              if jurisdiction else None)
    found: list[ItemRule] = []
    seen: set[str] = set()
    for position, reference in enumerate(codes):
        item = item_lookup(reference, on=on)
        if item is None:
            name = field if field == "item" else f"{field}[{position}]"
            raise UnknownItem(name, reference)
        if item.code not in seen:
            seen.add(item.code)
            found.append(item_rule(item, jurisdiction=region, on=decided or on,
                                   stage=stage or Stage.FIRST))
    return found


def catalogue_choices(on: datetime.date) -> list[tuple[str, list[tuple[str, str]]]]:
    """The items in force on `on` as grouped choices, one group per law (the law of each
    item's first penalty provision), laws and items in code order: for pickers."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for item in items_in_force(on).order_by("code").prefetch_related(
            Prefetch("penalty", queryset=Provision.objects.select_related("law")
                     .order_by("article", "paragraph", "item"))):
        first = next(iter(item.penalty.all()), None)
        law = first.law.display_name if first is not None else ""
        label = f"{item.code} {first.label if first else ''} {item.name}"
        groups.setdefault(law, []).append((item.code, label))
    return list(groups.items())


# --- browsing: the law library (法律法规库) and the item catalogue (执法事项目录) --------
#
# Everything here is public to every logged-in user (see fazhi.legal.catalogue): no
# scoping by jurisdiction. Imports are local to keep this section apart from the engine's
# reads above.

LAW_STATUSES = ("in_force", "repealed", "pending", "all")
ITEM_PARTIES = {"unit": "party_unit", "principal": "party_principal",
                "responsible_persons": "party_responsible_persons"}


def _provision_order() -> list:
    # An article's own row first, then its paragraphs, then their items (NULLs first on
    # every backend: PostgreSQL puts them last by default).
    return ["article", F("paragraph").asc(nulls_first=True), F("item").asc(nulls_first=True)]


def law_list(*, on: datetime.date, status: str = "in_force", level: str | None = None,
             q: str = "") -> list:
    """The law versions matching the filters, by level (法律 → 规范性文件) then name and
    newest version first, each with `provision_count` and `item_count` (the items resting
    on one of its provisions, as violated or penalty basis). `status` is read on `on`:
    in_force (effective on or before, not yet repealed), repealed (repealed on or
    before), pending (effective after), all. Two queries."""
    laws = Law.objects.annotate(provision_count=Count("provisions"))
    if level:
        laws = laws.filter(level=level)
    for term in (q or "").split():
        laws = laws.filter(Q(name__icontains=term) | Q(short_name__icontains=term)
                           | Q(issuer__icontains=term) | Q(document_number__icontains=term))
    if status == "in_force":
        laws = laws.filter(Q(effective__lte=on) & (Q(repealed__isnull=True) | Q(repealed__gt=on)))
    elif status == "repealed":
        laws = laws.filter(repealed__lte=on)
    elif status == "pending":
        laws = laws.filter(effective__gt=on)
    rank = {value: i for i, value in enumerate(Law.Level.values)}
    found = sorted(laws.order_by("name", "-effective"), key=lambda law: rank.get(law.level, 99))
    ids = [law.pk for law in found]
    pairs = (EnforcementItem.penalty.through.objects
             .filter(provision__law_id__in=ids)
             .values_list("provision__law_id", "enforcementitem_id")
             .union(EnforcementItem.violated.through.objects
                    .filter(provision__law_id__in=ids)
                    .values_list("provision__law_id", "enforcementitem_id")))
    items: dict[int, set[int]] = {}
    for law_id, item_id in pairs:
        items.setdefault(law_id, set()).add(item_id)
    for law in found:
        law.item_count = len(items.get(law.pk, ()))
    return found


def law_get(pk: int):
    """One law version with its provision count, or None."""
    return Law.objects.annotate(provision_count=Count("provisions")).filter(pk=pk).first()


def law_versions(law) -> list:
    """The other versions of the same law (same name), newest first."""
    return list(Law.objects.filter(name=law.name).exclude(pk=law.pk).order_by("-effective"))


def law_provisions(law, *, q: str = "") -> list:
    """The provisions of `law` in article order, each with the items resting on it
    prefetched (`penalising_items`, `violated_by_items`, in code order). `q` keeps the
    provisions whose text contains every word of it. Three queries."""
    items = EnforcementItem.objects.order_by("code").only("code", "name")
    provisions = (law.provisions.order_by(*_provision_order())
                  .prefetch_related(Prefetch("penalising_items", queryset=items),
                                    Prefetch("violated_by_items", queryset=items)))
    for term in (q or "").split():
        provisions = provisions.filter(text__icontains=term)
    return list(provisions)


def provisions_cited(text: str):
    """The provisions a citation names, with everything under it: "安全生产法第九十七条"
    → that article and its paragraphs and items; "第97条第1项" → 第九十七条第（一）项 (or
    第一款第（一）项) of every law. The law part, when given, is matched on the name or the
    short name (as `catalogue.item_lookup` does), else on a name containing it. None when
    the text is no citation (no 第…条)."""
    parts = citation_parts(text)
    if parts is None:
        return None
    law_part, labels = parts
    wanted = Q()
    for label in labels:
        wanted |= Q(label__startswith=label)  # an article or paragraph: all that is in it
    provisions = Provision.objects.filter(wanted)
    if law_part:
        names = [(law.pk, {normalise_citation(law.name)}
                  | ({normalise_citation(law.short_name)} if law.short_name else set()))
                 for law in Law.objects.only("pk", "name", "short_name")]
        exact = [pk for pk, keys in names if law_part in keys]
        laws = exact or [pk for pk, keys in names if any(law_part in k for k in keys)]
        provisions = provisions.filter(law_id__in=laws)
    return provisions


def _rests_on(provisions):
    """Items with one of `provisions` as violated or penalty basis (no duplicate rows)."""
    penalty = EnforcementItem.penalty.through.objects.filter(
        enforcementitem_id=OuterRef("pk"), provision__in=provisions)
    violated = EnforcementItem.violated.through.objects.filter(
        enforcementitem_id=OuterRef("pk"), provision__in=provisions)
    return Q(Exists(penalty)) | Q(Exists(violated))


def item_list(*, q: str = "", law_id: int | None = None, kind: str | None = None,
              party: str | None = None, dual_penalty: bool | None = None,
              on: datetime.date | None = None):
    """The catalogue filtered, in code order, the penalty provisions (with their law)
    prefetched. `q` is a citation ("安全生产法第九十七条", "第97条第1项": the items resting
    on what it names, see `provisions_cited`) or keywords, each found in the item's code
    or name, or the text or law name of one of its provisions. `party`: unit, principal
    or responsible_persons (the items that can punish it); `on`: in force that day."""
    items = EnforcementItem.objects.all()
    q = (q or "").strip()
    cited = provisions_cited(q) if q else None
    if cited is not None:
        items = items.filter(_rests_on(cited))
    else:
        for term in q.split():
            matching = Provision.objects.filter(
                Q(text__icontains=term) | Q(law__name__icontains=term)
                | Q(law__short_name__icontains=term))
            items = items.filter(Q(code__icontains=term) | Q(name__icontains=term)
                                 | _rests_on(matching))
    if law_id:
        items = items.filter(_rests_on(Provision.objects.filter(law_id=law_id)))
    if kind:
        items = items.filter(kind=kind)
    if party in ITEM_PARTIES:
        items = items.filter(**{ITEM_PARTIES[party]: True})
    if dual_penalty is not None:
        items = items.filter(dual_penalty=dual_penalty)
    if on is not None:
        items = items.filter(in_force_q(on))
    return items.order_by("code").prefetch_related(
        Prefetch("penalty", queryset=Provision.objects.select_related("law")
                 .order_by("law__name", *_provision_order())))


def law_choices() -> list:
    """Every law version as (pk, "简称（版本）"), by level then name: for filters."""
    rank = {value: i for i, value in enumerate(Law.Level.values)}
    laws = sorted(Law.objects.only("pk", "name", "short_name", "version", "level")
                  .order_by("name", "-effective"), key=lambda law: rank.get(law.level, 99))
    return [(law.pk, f"{law.display_name}（{law.version}）") for law in laws]


def item_detail_get(code: str):
    """One item by code (any case) with all it shows prefetched: violated and penalty
    provisions with their law, stage penalties with their provision, benchmarks with
    jurisdiction and tiers, exemption entries. None when there is no such item."""
    provisions = Provision.objects.select_related("law").order_by("law__name",
                                                                  *_provision_order())
    return (EnforcementItem.objects.filter(code__iexact=(code or "").strip())
            .prefetch_related(
                Prefetch("violated", queryset=provisions),
                Prefetch("penalty", queryset=provisions),
                Prefetch("stage_penalties",
                         queryset=ItemStagePenalty.objects.select_related("provision__law")),
                Prefetch("benchmarks", queryset=DiscretionBenchmark.objects
                         .select_related("jurisdiction").prefetch_related("tiers")
                         .order_by("stage", "jurisdiction__path", "-valid_from", "-pk")),
                Prefetch("exemptions", queryset=ExemptionEntry.objects
                         .select_related("jurisdiction")
                         .order_by("kind", "jurisdiction__path", "-valid_from")))
            .first())


def law_item_count(law) -> int:
    """How many items rest on a provision of `law` (violated or penalty basis)."""
    return EnforcementItem.objects.filter(
        _rests_on(Provision.objects.filter(law=law))).count()
