"""Writes of the legal knowledge base: laws and provisions, enforcement items and their
statutory stages, discretion benchmarks, the exemption list and the per-jurisdiction
configuration.

Each function runs in one transaction, validates with `full_clean()` and writes its
event into the record (执法全过程记录) in the same transaction. Only administrators (role
管理员, or a superuser) maintain the knowledge base (DESIGN.md: the administrator owns
"legal knowledge base"); anyone else gets a Chinese PermissionDenied and nothing changes.

A discretion benchmark can only subdivide its item's statutory range
(应急管理行政裁量权基准暂行规定 第三条; issue 3 §3): `benchmark_save` refuses one that
does more, with every reason in Chinese, and saves nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model, Q
from django.utils.translation import gettext as _

from fazhi.core.models import Jurisdiction, Role, User
from fazhi.core.rules.money import parse_yuan
from fazhi.core.services.events import record_event
from fazhi.legal.catalogue import statutory_penalty, tier_rule
from fazhi.legal.models import (
    BenchmarkTierRow,
    DiscretionBenchmark,
    EnforcementItem,
    ExemptionEntry,
    ItemStagePenalty,
    JurisdictionLegalConfig,
    Law,
    Provision,
    Stage,
)
from fazhi.legal.rules.discretion import BenchmarkTier, FineRange, validate_benchmark

LAW_FIELDS = ("name", "short_name", "level", "issuer", "document_number", "version",
              "promulgated", "effective", "repealed")
PROVISION_FIELDS = ("article", "paragraph", "item", "text", "effective", "repealed")
ITEM_FIELDS = ("code", "name", "kind", "party_unit", "party_principal",
               "party_responsible_persons", "dual_penalty", "agency_level", "valid_from",
               "valid_to")
STAGE_FIELDS = ("unit_min", "unit_max", "individual_min", "individual_max", "responsible_min",
                "responsible_max", "measures", "mandatory", "confiscation_multiple_min",
                "confiscation_multiple_max", "gains_threshold", "daily_penalty", "provision")


# --- helpers ----------------------------------------------------------------------------

def can_write_legal(user: Any) -> bool:
    """True when the user may maintain the legal knowledge base."""
    return bool(
        user is not None and getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
        and (getattr(user, "role", None) == Role.ADMIN or getattr(user, "is_superuser", False)))


def _require_admin(actor: User | None) -> None:
    if not can_write_legal(actor):
        raise PermissionDenied(_("只有管理员可以维护法律知识库"))


def _check_fields(fields: Mapping[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"unknown field(s): {', '.join(sorted(unknown))}")


def _plain(value: Any) -> Any:
    """A field value as it goes into an event payload."""
    if isinstance(value, Jurisdiction):
        return value.code
    if isinstance(value, Provision):
        return str(value)
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, datetime.date | Decimal):
        return str(value)
    return value


def _apply(obj: Model, fields: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Set `fields` on `obj`; return what really changed as {field: {from, to}}."""
    changes: dict[str, dict[str, Any]] = {}
    for field, new in fields.items():
        try:
            old_value = _plain(getattr(obj, field))
        except ObjectDoesNotExist:  # a new row's foreign key not set yet
            old_value = None
        setattr(obj, field, new)
        new_value = _plain(getattr(obj, field))
        if old_value != new_value:
            changes[field] = {"from": old_value, "to": new_value}
    return changes


def _snapshot(obj: Model, fields: Iterable[str]) -> dict[str, Any]:
    return {field: _plain(getattr(obj, field)) for field in fields}


def _provisions(values: Iterable[Provision | int]) -> list[Provision]:
    values = list(values)
    ids = [v.pk if isinstance(v, Provision) else v for v in values]
    found = {p.pk: p for p in Provision.objects.select_related("law").filter(pk__in=ids)}
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise ValidationError(_("条款不存在：%(ids)s") % {"ids": "、".join(missing)})
    return [found[i] for i in ids]


# --- laws and provisions ----------------------------------------------------------------

def law_create(*, actor: User, **fields: Any) -> Law:
    """Add one version of a law (a new amendment is a new row with the same name)."""
    _require_admin(actor)
    _check_fields(fields, LAW_FIELDS)
    with transaction.atomic():
        law = Law(**fields)
        law.full_clean()
        law.save()
        record_event(actor=actor, obj=law, action="law.created",
                     payload=_snapshot(law, LAW_FIELDS))
    return law


def law_update(*, actor: User, law: Law, **fields: Any) -> Law:
    """Change a law version's fields (e.g. set `repealed` when an amendment takes
    effect). No change: no save, no event."""
    _require_admin(actor)
    _check_fields(fields, LAW_FIELDS)
    with transaction.atomic():
        law = Law.objects.select_for_update().get(pk=law.pk)
        changes = _apply(law, fields)
        if not changes:
            return law
        law.full_clean()
        law.save()
        record_event(actor=actor, obj=law, action="law.updated", payload={"changes": changes})
    return law


def provision_create(*, actor: User, law: Law, **fields: Any) -> Provision:
    _require_admin(actor)
    _check_fields(fields, PROVISION_FIELDS)
    with transaction.atomic():
        provision = Provision(law=law, **fields)
        provision.full_clean()
        provision.save()
        record_event(actor=actor, obj=provision, action="provision.created",
                     payload={"law": str(law), "label": provision.label,
                              **_snapshot(provision, PROVISION_FIELDS)})
    return provision


def provision_update(*, actor: User, provision: Provision, **fields: Any) -> Provision:
    _require_admin(actor)
    _check_fields(fields, PROVISION_FIELDS)
    with transaction.atomic():
        provision = Provision.objects.select_for_update().get(pk=provision.pk)
        changes = _apply(provision, fields)
        if not changes:
            return provision
        provision.full_clean()
        provision.save()
        record_event(actor=actor, obj=provision, action="provision.updated",
                     payload={"label": provision.label, "changes": changes})
    return provision


# --- enforcement items ------------------------------------------------------------------

def item_create(
    *,
    actor: User,
    violated: Iterable[Provision | int] = (),
    penalty: Iterable[Provision | int] = (),
    **fields: Any,
) -> EnforcementItem:
    """Add an enforcement item with its violated and penalty provisions."""
    _require_admin(actor)
    _check_fields(fields, ITEM_FIELDS)
    violated_rows, penalty_rows = _provisions(violated), _provisions(penalty)
    with transaction.atomic():
        item = EnforcementItem(**fields)
        item.full_clean()
        item.save()
        item.violated.set(violated_rows)
        item.penalty.set(penalty_rows)
        record_event(actor=actor, obj=item, action="item.created", payload={
            **_snapshot(item, ITEM_FIELDS),
            "violated": [str(p) for p in violated_rows],
            "penalty": [str(p) for p in penalty_rows]})
    return item


def item_update(
    *,
    actor: User,
    item: EnforcementItem,
    violated: Iterable[Provision | int] | None = None,
    penalty: Iterable[Provision | int] | None = None,
    **fields: Any,
) -> EnforcementItem:
    """Change an item; `violated` / `penalty` (when given) replace its provisions."""
    _require_admin(actor)
    _check_fields(fields, ITEM_FIELDS)
    new_violated = _provisions(violated) if violated is not None else None
    new_penalty = _provisions(penalty) if penalty is not None else None
    with transaction.atomic():
        item = EnforcementItem.objects.select_for_update().get(pk=item.pk)
        changes = _apply(item, fields)
        for name, rows in (("violated", new_violated), ("penalty", new_penalty)):
            if rows is None:
                continue
            relation = getattr(item, name)
            old = sorted(str(p) for p in relation.select_related("law"))
            if old != sorted(str(p) for p in rows):
                relation.set(rows)
                changes[name] = {"from": old, "to": [str(p) for p in rows]}
        if not changes:
            return item
        item.full_clean()
        item.save()
        record_event(actor=actor, obj=item, action="item.updated", payload={"changes": changes})
    return item


def item_stage_penalty_set(
    *, actor: User, item: EnforcementItem, stage: str, **fields: Any,
) -> ItemStagePenalty:
    """Create or replace the statutory penalty of one stage of an item. The benchmarks
    of that stage must still fit inside the new range, else nothing changes."""
    _require_admin(actor)
    _check_fields(fields, STAGE_FIELDS)
    with transaction.atomic():
        row = (ItemStagePenalty.objects.select_for_update().filter(item=item, stage=stage)
               .first()) or ItemStagePenalty(item=item, stage=stage)
        created = row.pk is None
        changes = _apply(row, fields)
        if not created and not changes:
            return row
        row.full_clean()
        # A statute narrowed under existing benchmarks would leave them out of range.
        reasons = []
        for benchmark in item.benchmarks.filter(stage=stage).prefetch_related("tiers"):
            check = validate_benchmark(statutory_penalty(row),
                                       [tier_rule(t) for t in benchmark.tiers.all()])
            reasons += [f"{benchmark}：{reason}" for reason in check.reasons]
        if reasons:
            raise ValidationError(reasons)
        row.save()
        record_event(actor=actor, obj=item, action="item.stage_penalty_set", payload={
            "stage": stage,
            **({"values": _snapshot(row, STAGE_FIELDS)} if created else {"changes": changes})})
    return row


# --- discretion benchmarks --------------------------------------------------------------

TierInput = BenchmarkTier | Mapping[str, Any]


def _tier(value: TierInput) -> BenchmarkTier:
    """A tier from a BenchmarkTier or a mapping with tier, unit_min, unit_max,
    individual_min, individual_max, measures, circumstances (ValueError in Chinese)."""
    if isinstance(value, BenchmarkTier):
        return value

    def pair(prefix: str) -> FineRange | None:
        low, high = value.get(f"{prefix}_min"), value.get(f"{prefix}_max")
        if low in (None, "") and high in (None, ""):
            return None
        if low in (None, "") or high in (None, ""):
            raise ValueError(_("罚款的下限和上限应当同时填写或者同时不填"))
        return FineRange(low, high)

    return BenchmarkTier(tier=value.get("tier", ""), fine_unit=pair("unit"),
                         fine_individual=pair("individual"),
                         measures=tuple(value.get("measures") or ()),
                         circumstances=str(value.get("circumstances") or "").strip())


def benchmark_problems(
    *,
    item: EnforcementItem,
    tiers: Sequence[TierInput],
    stage: str = Stage.FIRST,
    jurisdiction: Jurisdiction | None = None,
    valid_from: datetime.date | None = None,
    valid_to: datetime.date | None = None,
    exclude: DiscretionBenchmark | None = None,
) -> list[str]:
    """Every reason (Chinese) this benchmark may not be saved; empty when it may. Used by
    `benchmark_save` and by the admin form, so both refuse the same things."""
    reasons: list[str] = []
    built: list[BenchmarkTier] = []
    for position, value in enumerate(tiers, start=1):
        try:
            built.append(_tier(value))
        except ValueError as exc:
            reasons.append(_("第%(n)d个裁量阶次：%(reason)s") % {"n": position, "reason": exc})
    row = item.stage_penalties.filter(stage=stage).first()
    if row is None:
        reasons.append(_("执法事项%(code)s未设定“%(stage)s”阶段的法定处罚，不能设定裁量基准")
                       % {"code": item.code, "stage": Stage(stage).label})
    elif not reasons:
        reasons += validate_benchmark(statutory_penalty(row), built).reasons
    if valid_from is not None:
        if valid_to is not None and valid_to < valid_from:
            reasons.append(_("有效期止不能早于有效期起"))
        overlapping = DiscretionBenchmark.objects.filter(
            item=item, stage=stage, jurisdiction=jurisdiction).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from))
        if valid_to is not None:
            overlapping = overlapping.filter(valid_from__lte=valid_to)
        if exclude is not None and exclude.pk is not None:
            overlapping = overlapping.exclude(pk=exclude.pk)
        for other in overlapping:
            reasons.append(_("与同一区域的裁量基准“%(other)s”（%(start)s起）有效期重叠")
                           % {"other": other, "start": other.valid_from})
    return reasons


def _tier_payload(tier: BenchmarkTier) -> dict[str, Any]:
    return {"tier": tier.tier.value,
            "unit": tier.fine_unit.as_dict() if tier.fine_unit else None,
            "individual": tier.fine_individual.as_dict() if tier.fine_individual else None,
            "measures": list(tier.measures), "circumstances": tier.circumstances}


def benchmark_save(
    *,
    actor: User,
    item: EnforcementItem,
    tiers: Sequence[TierInput],
    name: str,
    version: str,
    valid_from: datetime.date,
    stage: str = Stage.FIRST,
    jurisdiction: Jurisdiction | None = None,
    source_document: str = "",
    valid_to: datetime.date | None = None,
    is_local: bool = False,
    benchmark: DiscretionBenchmark | None = None,
) -> DiscretionBenchmark:
    """Create a benchmark, or replace `benchmark` (its fields and all its tiers).

    Refused (ValidationError with every reason in Chinese, nothing saved) when a tier
    exceeds the statutory range of the item's stage for a party, fines a party the
    provision does not fine, adds a measure the provision does not provide, or the tiers
    are repeated, out of order or overlapping (`rules.discretion.validate_benchmark`);
    also when the validity overlaps another benchmark of the same item, stage and
    jurisdiction (two in force on one day would make the choice arbitrary)."""
    _require_admin(actor)
    with transaction.atomic():
        if benchmark is not None:
            benchmark = DiscretionBenchmark.objects.select_for_update().get(pk=benchmark.pk)
        reasons = benchmark_problems(item=item, tiers=tiers, stage=stage,
                                     jurisdiction=jurisdiction, valid_from=valid_from,
                                     valid_to=valid_to, exclude=benchmark)
        if reasons:
            raise ValidationError(reasons)
        built = [_tier(t) for t in tiers]
        fields = {"item": item, "stage": stage, "jurisdiction": jurisdiction,
                  "name": name.strip(), "version": version.strip(),
                  "source_document": source_document.strip(), "valid_from": valid_from,
                  "valid_to": valid_to, "is_local": is_local}
        created = benchmark is None
        benchmark = benchmark or DiscretionBenchmark()
        changes = _apply(benchmark, fields)
        benchmark.full_clean()
        benchmark.save()
        old_tiers = [] if created else [_tier_payload(tier_rule(r)) for r in benchmark.tiers.all()]
        benchmark.tiers.all().delete()
        rows = [BenchmarkTierRow(
            benchmark=benchmark, tier=t.tier.value, circumstances=t.circumstances,
            unit_min=t.fine_unit.min if t.fine_unit else None,
            unit_max=t.fine_unit.max if t.fine_unit else None,
            individual_min=t.fine_individual.min if t.fine_individual else None,
            individual_max=t.fine_individual.max if t.fine_individual else None,
            measures=list(t.measures)) for t in built]
        for row in rows:
            row.full_clean(exclude=["benchmark"])
        BenchmarkTierRow.objects.bulk_create(rows)
        new_tiers = [_tier_payload(t) for t in built]
        payload: dict[str, Any] = {"item": item.code, "stage": stage, "tiers": new_tiers}
        if created:
            payload.update(_snapshot(benchmark, ("jurisdiction", "name", "version",
                                                 "source_document", "valid_from",
                                                 "valid_to", "is_local")))
        else:
            payload["changes"] = {k: v for k, v in changes.items() if k != "item"}
            payload["old_tiers"] = old_tiers
        record_event(actor=actor, obj=benchmark,
                     action="benchmark.created" if created else "benchmark.updated",
                     payload=payload)
    return benchmark


# --- exemption list ---------------------------------------------------------------------

EXEMPTION_FIELDS = ("item", "kind", "jurisdiction", "conditions", "guidance_measures",
                    "source_document", "valid_from", "valid_to")


def exemption_entry_save(
    *,
    actor: User,
    item: EnforcementItem,
    kind: str,
    conditions: str,
    valid_from: datetime.date,
    guidance_measures: str = "",
    source_document: str = "",
    valid_to: datetime.date | None = None,
    jurisdiction: Jurisdiction | None = None,
    entry: ExemptionEntry | None = None,
) -> ExemptionEntry:
    """Create an exemption-list entry, or change `entry`."""
    _require_admin(actor)
    fields = {"item": item, "kind": kind, "jurisdiction": jurisdiction,
              "conditions": (conditions or "").strip(),
              "guidance_measures": (guidance_measures or "").strip(),
              "source_document": (source_document or "").strip(),
              "valid_from": valid_from, "valid_to": valid_to}
    with transaction.atomic():
        created = entry is None
        entry = (ExemptionEntry() if created
                 else ExemptionEntry.objects.select_for_update().get(pk=entry.pk))
        changes = _apply(entry, fields)
        if not created and not changes:
            return entry
        entry.full_clean()
        entry.save()
        record_event(actor=actor, obj=entry,
                     action="exemption.created" if created else "exemption.updated",
                     payload=_snapshot(entry, EXEMPTION_FIELDS) if created
                     else {"changes": changes})
    return entry


# --- per-jurisdiction configuration -----------------------------------------------------

CONFIG_FIELDS = ("jurisdiction", "large_fine_individual_min", "large_fine_unit_min",
                 "valid_from", "source_law", "source_version", "source_article")


def legal_config_save(
    *,
    actor: User,
    jurisdiction: Jurisdiction,
    individual_min: Decimal | int | str,
    unit_min: Decimal | int | str,
    valid_from: datetime.date,
    source_law: str,
    source_version: str = "",
    source_article: str = "",
    config: JurisdictionLegalConfig | None = None,
) -> JurisdictionLegalConfig:
    """Set a jurisdiction's 较大数额罚款 (行政处罚法 第六十三条) from `valid_from`, with the
    document that sets it. Amounts are Decimal yuan (a float is refused)."""
    _require_admin(actor)
    amounts = {}
    for key, value, label in (("large_fine_individual_min", individual_min, _("个人较大数额罚款")),
                              ("large_fine_unit_min", unit_min, _("单位较大数额罚款"))):
        try:
            amounts[key] = parse_yuan(value, str(label), whole_cents=True)
        except ValueError as exc:
            raise ValidationError({key: str(exc)}) from exc
    fields = {"jurisdiction": jurisdiction, **amounts, "valid_from": valid_from,
              "source_law": (source_law or "").strip(),
              "source_version": (source_version or "").strip(),
              "source_article": (source_article or "").strip()}
    with transaction.atomic():
        created = config is None
        config = (JurisdictionLegalConfig() if created
                  else JurisdictionLegalConfig.objects.select_for_update().get(pk=config.pk))
        changes = _apply(config, fields)
        if not created and not changes:
            return config
        config.full_clean()
        config.save()
        record_event(actor=actor, obj=config,
                     action="legal_config.created" if created else "legal_config.updated",
                     payload=_snapshot(config, CONFIG_FIELDS) if created
                     else {"changes": changes})
    return config
