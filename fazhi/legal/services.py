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
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Model, Q
from django.utils.translation import gettext as _

from fazhi.core.models import Jurisdiction, Role, User
from fazhi.core.rules.money import parse_yuan
from fazhi.core.services.events import record_event, record_events
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
    provision_label,
)
from fazhi.legal.rules.discretion import (
    MEASURE_CODES,
    BenchmarkTier,
    FineRange,
    StatutoryPenalty,
    Tier,
    validate_benchmark,
)

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


M = TypeVar("M", bound=models.Model)


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
    return _create_or_update(actor=actor, model=ExemptionEntry, instance=entry,
                             fields=fields, snapshot_fields=EXEMPTION_FIELDS,
                             action="exemption")


def _create_or_update(*, actor: User, model: type[M], instance: M | None,
                      fields: dict[str, Any], snapshot_fields: tuple[str, ...],
                      action: str) -> M:
    """Create a row (instance None) or change the locked row; no change: no save, no
    event. Writes `<action>.created` with a snapshot or `<action>.updated` with the diff."""
    with transaction.atomic():
        created = instance is None
        row = model() if created else model.objects.select_for_update().get(pk=instance.pk)
        changes = _apply(row, fields)
        if not created and not changes:
            return row
        row.full_clean()
        row.save()
        record_event(actor=actor, obj=row,
                     action=f"{action}.created" if created else f"{action}.updated",
                     payload=_snapshot(row, snapshot_fields) if created
                     else {"changes": changes})
    return row


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
    return _create_or_update(actor=actor, model=JurisdictionLegalConfig, instance=config,
                             fields=fields, snapshot_fields=CONFIG_FIELDS,
                             action="legal_config")


# --- catalogue loading (执法事项目录 data files) -----------------------------------------
#
# The files under fazhi/legal/data/catalogue/ (format: the header of
# work_safety_law_2021.yaml) are the source of the catalogue. `catalogue_load` reads them
# and hands the parsed documents to `catalogue_load_documents`, the data-level loader the
# Excel import (fazhi.legal.imports) uses too, so both go through the same checks and
# writes. Every entry of every document is checked before anything is written; then the
# tables are brought in line with the documents in one transaction, matching rows on
# their natural keys (law: name + version; provision: law + 条款项; item: code; stage
# penalty: item + stage; benchmark: item + stage + jurisdiction + version). Rows the
# documents do not mention (items entered in the admin, a stage no longer listed, a
# provision not listed under `provisions:`) are left as they are.

CATALOGUE_DIR = Path(__file__).resolve().parent / "data" / "catalogue"
_CODE_RE = re.compile(r"[A-Z][A-Z0-9]*-[0-9]{3}(-[A-Z0-9]+)*")
_CENT = Decimal("0.01")
_PARTY_FLAGS = {"unit": "party_unit", "principal": "party_principal",
                "responsible_persons": "party_responsible_persons"}
_LAW_KEYS = {"name", "short_name", "level", "issuer", "document_number", "version",
             "promulgated", "effective", "repealed"}
_ITEM_KEYS = {"code", "name", "kind", "violated", "penalty", "parties", "dual_penalty",
              "valid_from", "valid_to", "stages", "note"}
_STAGE_KEYS = {"stage", "provision", "unit", "individual", "responsible_persons",
               "gains_multiple", "gains_threshold", "measures", "mandatory", "daily_penalty",
               "note"}
_CITATION_KEYS = {"law", "version", "article", "paragraph", "item"}
_PROVISION_KEYS = {"article", "paragraph", "item", "text", "note"}
_BENCHMARK_KEYS = {"item", "stage", "jurisdiction", "name", "source_document", "version",
                   "valid_from", "valid_to", "is_local", "tiers", "note"}
_TIER_KEYS = {"tier", "circumstances", "unit", "individual", "measures", "note"}
# A stage's fine range → the party that must be listed for it.
_RANGE_PARTY = {"unit": ("unit",), "individual": ("principal", "responsible_persons"),
                "responsible_persons": ("responsible_persons",)}
# Model field → the document key it comes from (to point a model error at its source).
_ITEM_MODEL_KEYS = {"party_unit": "parties", "party_principal": "parties",
                    "party_responsible_persons": "parties"}
_STAGE_MODEL_KEYS = {"unit_min": "unit", "unit_max": "unit", "individual_min": "individual",
                     "individual_max": "individual", "responsible_min": "responsible_persons",
                     "responsible_max": "responsible_persons",
                     "confiscation_multiple_min": "gains_multiple",
                     "confiscation_multiple_max": "gains_multiple"}

ProvisionKey = tuple[tuple[str, str], int, int | None, int | None]  # (law key), 条, 款, 项
BenchmarkKey = tuple[str, str, str | None, str]  # item code, stage, jurisdiction code, version
CatalogueDocument = tuple[str, Mapping[str, Any]]  # (name shown in problems, parsed data)


@dataclass
class CatalogueLoadResult:
    """What a load did. `items_per_law` counts the items in the documents, per law
    version (“安全生产法（2021）”); the other counts are the rows created or changed."""

    files: list[str] = dataclass_field(default_factory=list)
    items_per_law: dict[str, int] = dataclass_field(default_factory=dict)
    laws_created: int = 0
    laws_updated: int = 0
    provisions_created: int = 0
    provisions_updated: int = 0
    items_created: int = 0
    items_updated: int = 0
    stages_created: int = 0
    stages_updated: int = 0
    benchmarks_in_files: int = 0
    benchmarks_created: int = 0
    benchmarks_updated: int = 0
    events: int = 0

    @property
    def items_in_files(self) -> int:
        return sum(self.items_per_law.values())

    @property
    def changed(self) -> bool:
        return bool(self.laws_created or self.laws_updated or self.provisions_created
                    or self.provisions_updated or self.items_created or self.items_updated
                    or self.stages_created or self.stages_updated
                    or self.benchmarks_created or self.benchmarks_updated)


class CatalogueProblems:
    """The problems of a load, as Chinese messages. `add` gets the document name, the
    entry in words (`where`), the reason and, so that a caller can point at the source
    (the Excel import names sheet, line and column), the raw mapping the problem is in
    (`at`) and its key there (`field`). This class writes “文件X，where：reason”;
    `format` may return None to leave out a problem already reported in another form
    (it still counts: `failed` stays true)."""

    def __init__(self) -> None:
        self.messages: list[str] = []
        self.count = 0

    @property
    def failed(self) -> bool:
        return bool(self.count or self.messages)

    def add(self, file: str, where: str, message: str, *, at: Any = None,
            field: str | None = None) -> None:
        self.count += 1
        text = self.format(file, where, str(message), at, field)
        if text is not None:
            self.messages.append(text)

    def format(self, file: str, where: str, message: str, at: Any,
               field: str | None) -> str | None:
        return _("文件%(file)s，%(where)s：%(message)s") % {"file": file, "where": where,
                                                          "message": message}


def catalogue_files() -> list[Path]:
    """The shipped catalogue files, in name order."""
    return sorted(CATALOGUE_DIR.glob("*.yaml"))


def _as_date(value: Any) -> datetime.date | None:
    if value is None or isinstance(value, datetime.datetime):
        return None
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _as_number(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _as_yuan(value: Any) -> Decimal | None:
    """An amount from a document: an integer, a Decimal or a decimal string (never a
    float). Negative amounts pass: the callers say why they are refused."""
    if isinstance(value, bool | float) or not isinstance(value, int | str | Decimal):
        return None
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
        return amount.quantize(_CENT) if amount.is_finite() else None
    except ArithmeticError:
        return None


def _text(value: Any) -> str | None:
    """A stripped string, or None when the value is not a string."""
    return value.strip() if isinstance(value, str) else None


@dataclass
class _ParsedStage:
    stage: str
    provision: ProvisionKey
    fields: dict[str, Any]
    raw: Mapping[str, Any]


@dataclass
class _ParsedItem:
    law_key: tuple[str, str]
    fields: dict[str, Any]
    violated: list[ProvisionKey]
    penalty: list[ProvisionKey]
    stages: list[_ParsedStage]
    raw: Mapping[str, Any]


@dataclass
class _ParsedProvision:
    key: ProvisionKey
    text: str | None  # None: the entry only makes sure the provision exists
    source: str
    where: str
    raw: Mapping[str, Any]


@dataclass
class _ParsedBenchmark:
    key: BenchmarkKey
    jurisdiction: Jurisdiction | None
    fields: dict[str, Any]  # name, version, source_document, valid_from, valid_to, is_local
    tiers: list[BenchmarkTier]
    source: str
    where: str
    raw: Mapping[str, Any]


@dataclass
class _ParsedFile:
    name: str
    law_fields: dict[str, Any] | None  # None: a document of benchmarks only
    items: list[_ParsedItem]
    provisions: list[_ParsedProvision] = dataclass_field(default_factory=list)


@dataclass
class _Plan:
    files: list[_ParsedFile]
    benchmarks: list[_ParsedBenchmark]


def _law_key_of(fields: Mapping[str, Any]) -> tuple[str, str]:
    return (fields.get("short_name") or fields["name"], fields["version"])


def _model_errors(exc: ValidationError) -> list[tuple[str | None, str]]:
    """(model field or None, message) of a model validation error."""
    if hasattr(exc, "error_dict"):
        return [(None if name == "__all__" else name, str(m))
                for name, messages in exc.message_dict.items() for m in messages]
    return [(None, str(m)) for m in exc.messages]


def _unknown_keys(value: Mapping[str, Any], allowed: set[str]) -> str | None:
    unknown = set(value) - allowed
    if not unknown:
        return None
    return _("含未知字段：%(keys)s") % {"keys": "、".join(sorted(map(str, unknown)))}


def _parse_citation(value: Any, file: str, where: str, problems: CatalogueProblems,
                    known_laws: set[tuple[str, str]], at: Any = None,
                    field: str | None = None) -> ProvisionKey | None:
    def add(message: str) -> None:
        problems.add(file, where, message, at=at, field=field)

    if not isinstance(value, Mapping):
        add(_("条款引用应为包含 law、version、article 的映射"))
        return None
    unknown = set(value) - _CITATION_KEYS
    if unknown:
        add(_("条款引用含未知字段：%(keys)s") % {"keys": "、".join(sorted(map(str, unknown)))})
        return None
    law, version = value.get("law"), value.get("version")
    if not isinstance(law, str) or not law.strip() or not isinstance(version, str | int):
        add(_("条款引用应写明法律简称（law）和版本（version）"))
        return None
    key = (law.strip(), str(version))
    if key not in known_laws:
        add(_("引用的法律“%(law)s（%(version)s）”未在所载入的文件中声明，数据库中也没有")
            % {"law": key[0], "version": key[1]})
        return None
    numbers = _provision_numbers(value, lambda message, _key: add(message))
    if numbers is None:
        return None
    return (key, numbers[0], numbers[1], numbers[2])


def _provision_numbers(value: Mapping[str, Any],
                       add: Any) -> tuple[int, int | None, int | None] | None:
    """条, 款, 项 of a citation or a provision entry; None (and `add(message, key)` for
    each bad number) when one is not an integer from 1 to 9999."""
    numbers: list[int | None] = []
    for name, label, required in (("article", "条", True), ("paragraph", "款", False),
                                  ("item", "项", False)):
        raw = value.get(name)
        if raw is None and not required:
            numbers.append(None)
            continue
        number = _as_number(raw)
        if number is None or not 0 < number < 10000:
            add(_("%(label)s的序号应为1至9999的整数，收到“%(value)s”")
                % {"label": label, "value": raw}, name)
            return None
        numbers.append(number)
    return (numbers[0], numbers[1], numbers[2])  # type: ignore[return-value]


def _parse_range(value: Any) -> tuple[Decimal, Decimal] | str:
    """[min, max] yuan, or the Chinese reason it is not one."""
    if not isinstance(value, list | tuple) or len(value) != 2:
        return _("罚款幅度应写成 [下限, 上限]")
    low, high = _as_yuan(value[0]), _as_yuan(value[1])
    if low is None or high is None:
        return _("罚款金额应为整数或数字字符串（元），收到“%(value)s”") % {"value": value}
    if low < 0:
        return _("罚款下限不能为负数")
    if low > high:
        return _("罚款下限（%(low)s元）不能高于上限（%(high)s元）") % {"low": low, "high": high}
    return (low, high)


def _parse_stage(value: Any, file: str, where: str, problems: CatalogueProblems,
                 known_laws: set[tuple[str, str]], parties: set[str]) -> _ParsedStage | None:
    if not isinstance(value, Mapping):
        problems.add(file, where, _("阶段应为映射"))
        return None

    stage = value.get("stage")
    if stage not in Stage.values:
        problems.add(file, where, _("未知的阶段“%(stage)s”；可用：%(known)s")
                     % {"stage": stage, "known": "、".join(Stage.values)},
                     at=value, field="stage")
        return None
    where = f"{where}（{Stage(stage).label}）"

    def add(message: str, field: str | None = None) -> None:
        problems.add(file, where, message, at=value, field=field)

    before = problems.count
    unknown = _unknown_keys(value, _STAGE_KEYS)
    if unknown:
        add(unknown)
    if "provision" not in value:
        add(_("请写明该阶段适用的处罚条款（provision）"), "provision")
        provision = None
    else:
        provision = _parse_citation(value["provision"], file, where, problems, known_laws,
                                    at=value, field="provision")
    fields: dict[str, Any] = {"unit_min": None, "unit_max": None, "individual_min": None,
                              "individual_max": None, "responsible_min": None,
                              "responsible_max": None, "confiscation_multiple_min": None,
                              "confiscation_multiple_max": None, "gains_threshold": None,
                              "daily_penalty": False}
    labels = {"unit": _("单位"), "individual": _("个人"), "responsible_persons": _("责任人员")}
    for key, prefix in (("unit", "unit"), ("individual", "individual"),
                        ("responsible_persons", "responsible")):
        if key not in value:
            continue
        parsed = _parse_range(value[key])
        if isinstance(parsed, str):
            add(f"{labels[key]}{parsed}", key)
            continue
        if not parties.intersection(_RANGE_PARTY[key]):
            add(_("设定了%(label)s罚款，但当事人（parties）未列明%(who)s")
                % {"label": labels[key], "who": "或".join(_RANGE_PARTY[key])}, key)
        fields[f"{prefix}_min"], fields[f"{prefix}_max"] = parsed
    if ("gains_multiple" in value) != ("gains_threshold" in value):
        add(_("违法所得倍数（gains_multiple）和起点（gains_threshold）应当同时填写"),
            "gains_multiple" if "gains_multiple" not in value else "gains_threshold")
    elif "gains_multiple" in value:
        parsed = _parse_range(value["gains_multiple"])
        threshold = _as_yuan(value["gains_threshold"])
        if isinstance(parsed, str):
            add(_("违法所得倍数：%(reason)s") % {"reason": parsed}, "gains_multiple")
        elif threshold is None or threshold < 0:
            add(_("违法所得起点应为非负金额（元）"), "gains_threshold")
        else:
            fields["confiscation_multiple_min"], fields["confiscation_multiple_max"] = parsed
            fields["gains_threshold"] = threshold
    measures = value.get("measures")
    if not isinstance(measures, list) or not measures:
        add(_("请列明处罚种类代码（measures）"), "measures")
    else:
        fields["measures"] = list(measures)
        if "fine" not in measures and any(
                fields[f] is not None for f in ("unit_min", "individual_min",
                                                "responsible_min")):
            add(_("设定了罚款幅度，处罚种类中却没有 fine"), "measures")
    if not isinstance(value.get("mandatory"), bool):
        add(_("请写明是否应当处罚（mandatory: true/false）"), "mandatory")
    else:
        fields["mandatory"] = value["mandatory"]
    if "daily_penalty" in value:
        if isinstance(value["daily_penalty"], bool):
            fields["daily_penalty"] = value["daily_penalty"]
        else:
            add(_("是否可按日连续处罚（daily_penalty）应为 true 或 false"), "daily_penalty")
    if problems.count > before or provision is None:
        return None
    # The model's own checks (ranges, measure codes) on an unsaved row.
    try:
        ItemStagePenalty(stage=stage, **fields).clean()
    except ValidationError as exc:
        for name, message in _model_errors(exc):
            add(message, _STAGE_MODEL_KEYS.get(name or "", name))
        return None
    return _ParsedStage(stage=stage, provision=provision, fields=fields, raw=value)


def _parse_item(value: Any, index: int, file: str, law_key: tuple[str, str],
                problems: CatalogueProblems, known_laws: set[tuple[str, str]],
                seen_codes: dict[str, str]) -> _ParsedItem | None:
    code = value.get("code") if isinstance(value, Mapping) else None
    where = (_("事项%(code)s") % {"code": code} if isinstance(code, str) and code
             else _("第%(n)d个事项") % {"n": index})
    if not isinstance(value, Mapping):
        problems.add(file, where, _("事项应为映射"))
        return None

    def add(message: str, field: str | None = None) -> None:
        problems.add(file, where, message, at=value, field=field)

    before = problems.count
    unknown = _unknown_keys(value, _ITEM_KEYS)
    if unknown:
        add(unknown)
    if not isinstance(code, str) or not _CODE_RE.fullmatch(code):
        add(_("事项编码应形如 WSL2021-097-01，收到“%(code)s”") % {"code": code}, "code")
    elif code in seen_codes:
        add(_("事项编码与文件%(other)s中的事项重复") % {"other": seen_codes[code]}, "code")
    else:
        seen_codes[code] = file
    name = value.get("name")
    if not isinstance(name, str) or not name.strip():
        add(_("请填写事项名称（name）"), "name")
    kind = value.get("kind", EnforcementItem.Kind.PENALTY)
    if kind not in EnforcementItem.Kind.values:
        add(_("未知的事项类型“%(kind)s”") % {"kind": kind}, "kind")
    parties = value.get("parties")
    if (not isinstance(parties, list) or not parties
            or not set(parties) <= set(_PARTY_FLAGS)):
        add(_("当事人（parties）应为 unit、principal、responsible_persons 中的一项或多项"),
            "parties")
        parties = []
    dual = value.get("dual_penalty")
    if not isinstance(dual, bool):
        add(_("请写明是否一案双罚（dual_penalty: true/false）"), "dual_penalty")
    valid_from = _as_date(value.get("valid_from"))
    if valid_from is None:
        add(_("有效期起（valid_from）应为日期 YYYY-MM-DD"), "valid_from")
    valid_to = None
    if value.get("valid_to") is not None:
        valid_to = _as_date(value["valid_to"])
        if valid_to is None:
            add(_("有效期止（valid_to）应为日期 YYYY-MM-DD"), "valid_to")
    citations: dict[str, list[ProvisionKey]] = {}
    for relation, label in (("violated", _("违法依据")), ("penalty", _("处罚依据"))):
        raw = value.get(relation) or []
        if not isinstance(raw, list):
            add(_("%(label)s应为条款引用列表") % {"label": label}, relation)
            raw = []
        if relation == "penalty" and not raw:
            add(_("至少应当引用一个处罚依据条款（penalty）"), relation)
        parsed = [_parse_citation(c, file, f"{where}{label}", problems, known_laws,
                                  at=value, field=relation) for c in raw]
        citations[relation] = [p for p in parsed if p is not None]
    stages_raw = value.get("stages")
    stages: list[_ParsedStage] = []
    if not isinstance(stages_raw, list) or not stages_raw:
        add(_("请列明至少一个阶段的法定处罚（stages）"), "stages")
    else:
        seen: set[str] = set()
        for stage_value in stages_raw:
            parsed_stage = _parse_stage(stage_value, file, where, problems, known_laws,
                                        set(parties))
            if parsed_stage is None:
                continue
            if parsed_stage.stage in seen:
                problems.add(file, where, _("阶段“%(stage)s”重复")
                             % {"stage": Stage(parsed_stage.stage).label},
                             at=stage_value, field="stage")
            seen.add(parsed_stage.stage)
            stages.append(parsed_stage)
    if problems.count > before:
        return None
    fields = {"code": code, "name": name.strip(), "kind": kind,
              **{flag: party in parties for party, flag in _PARTY_FLAGS.items()},
              "dual_penalty": dual, "valid_from": valid_from, "valid_to": valid_to}
    try:  # the model's rules: validity order, 一案双罚 parties, at least one party
        EnforcementItem(**fields).full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        for field, message in _model_errors(exc):
            add(message, _ITEM_MODEL_KEYS.get(field or "", field))
        return None
    return _ParsedItem(law_key=law_key, fields=fields, violated=citations["violated"],
                       penalty=citations["penalty"], stages=stages, raw=value)


def _parse_provision(value: Any, index: int, file: str, law_key: tuple[str, str],
                     problems: CatalogueProblems,
                     seen: dict[ProvisionKey, int]) -> _ParsedProvision | None:
    where = _("第%(n)d个条文") % {"n": index}
    if not isinstance(value, Mapping):
        problems.add(file, where, _("条文应为包含 article、text 的映射"))
        return None
    numbers = [_as_number(value.get(k)) for k in ("article", "paragraph", "item")]
    if numbers[0] and all(n is None or 0 < n < 10000 for n in numbers):
        where = _("条文%(label)s") % {"label": provision_label(*numbers)}

    def add(message: str, field: str | None = None) -> None:
        problems.add(file, where, message, at=value, field=field)

    before = problems.count
    unknown = _unknown_keys(value, _PROVISION_KEYS)
    if unknown:
        add(unknown)
    numbers = _provision_numbers(value, add)
    text = None
    if "text" in value:
        text = _text(value["text"])
        if not text:
            add(_("条文（text）应为非空文字"), "text")
    if problems.count > before or numbers is None:
        return None
    key = (law_key, *numbers)
    if key in seen:
        add(_("与第%(n)d个条文是同一条款，重复") % {"n": seen[key]}, "article")
        return None
    seen[key] = index
    return _ParsedProvision(key=key, text=text, source=file, where=where, raw=value)


def _document_parts(name: str, data: Any, problems: CatalogueProblems) -> tuple[
        Any, list[Any], list[Any], list[Any]] | None:
    """(law, items, provisions, benchmarks) of a document, or None and a problem. A
    document without `law` and `items` may carry `benchmarks:` alone."""
    where = _("文件")
    if not isinstance(data, Mapping):
        problems.add(name, where, _("应当包含 law（法律版本）和 items（事项列表）两部分"))
        return None
    lists = {}
    for key in ("provisions", "benchmarks"):
        value = data.get(key)
        if value is not None and not isinstance(value, list):
            problems.add(name, where, _("%(key)s 应为列表") % {"key": key})
            return None
        lists[key] = value or []
    if "law" not in data and "items" not in data and lists["benchmarks"] \
            and not lists["provisions"]:
        return None, [], [], lists["benchmarks"]
    if not isinstance(data.get("law"), Mapping) or not isinstance(data.get("items"), list):
        problems.add(name, where, _("应当包含 law（法律版本）和 items（事项列表）两部分"))
        return None
    return data["law"], data["items"], lists["provisions"], lists["benchmarks"]


def _parse_law(raw: Mapping[str, Any], file: str,
               problems: CatalogueProblems) -> dict[str, Any] | None:
    where = _("法律版本")

    def add(message: str, field: str | None = None) -> None:
        problems.add(file, where, message, at=raw, field=field)

    before = problems.count
    unknown = _unknown_keys(raw, _LAW_KEYS)
    if unknown:
        add(unknown)
    fields: dict[str, Any] = {}
    for key in ("name", "short_name", "issuer", "document_number"):
        value = raw.get(key, "")
        if not isinstance(value, str):
            add(_("%(key)s应为文字") % {"key": key}, key)
            value = ""
        fields[key] = value.strip()
    version = raw.get("version")
    fields["version"] = str(version).strip() if isinstance(version, str | int) else ""
    fields["level"] = raw.get("level")
    for key in ("promulgated", "effective", "repealed"):
        fields[key] = _as_date(raw.get(key))
        if raw.get(key) is not None and fields[key] is None:
            add(_("%(key)s应为日期 YYYY-MM-DD") % {"key": key}, key)
    if problems.count > before:
        return None
    try:
        Law(**fields).full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        for field, message in _model_errors(exc):
            add(message, field)
        return None
    return fields


class _BenchmarkRefs:
    """What benchmark entries may name: the items of the documents (parsed, or present
    but refused: no second problem for those), the items and jurisdictions in the DB."""

    def __init__(self, items: dict[str, _ParsedItem], raw_codes: set[str],
                 benchmarks_raw: list[Any]) -> None:
        self.items = items
        self.raw_codes = raw_codes
        codes, places = set(), set()
        for value in benchmarks_raw:
            if isinstance(value, Mapping):
                if isinstance(value.get("item"), str):
                    codes.add(value["item"].strip())
                if isinstance(value.get("jurisdiction"), str | int) \
                        and not isinstance(value.get("jurisdiction"), bool):
                    places.add(str(value["jurisdiction"]).strip())
        codes -= set(items)
        self.db_items = {i.code: i for i in EnforcementItem.objects.filter(code__in=codes)
                         .prefetch_related("stage_penalties")}
        self.jurisdictions = {j.code: j for j in Jurisdiction.objects.filter(code__in=places)}

    def statute(self, code: str, stage: str) -> StatutoryPenalty | bool | None:
        """The statutory penalty of the item's stage; None: the item has no such stage;
        False: the item is unknown."""
        if code in self.items:
            for parsed_stage in self.items[code].stages:
                if parsed_stage.stage == stage:
                    return statutory_penalty(ItemStagePenalty(stage=stage,
                                                              **parsed_stage.fields))
            return None
        item = self.db_items.get(code)
        if item is None:
            return False
        for row in item.stage_penalties.all():
            if row.stage == stage:
                return statutory_penalty(row)
        return None


def _parse_benchmark(value: Any, index: int, file: str, problems: CatalogueProblems,
                     refs: _BenchmarkRefs,
                     seen: dict[BenchmarkKey, str]) -> _ParsedBenchmark | None:
    code = _text(value.get("item")) if isinstance(value, Mapping) else None
    where = _("第%(n)d个裁量基准") % {"n": index}
    if code:
        stage_raw, place_raw = value.get("stage"), value.get("jurisdiction")
        where = _("裁量基准（事项%(code)s，%(stage)s，%(place)s，版本%(version)s）") % {
            "code": code,
            "stage": Stage(stage_raw).label if stage_raw in Stage.values else stage_raw,
            "place": place_raw or _("全国"), "version": value.get("version")}
    if not isinstance(value, Mapping):
        problems.add(file, where, _("裁量基准应为映射"))
        return None

    def add(message: str, field: str | None = None, at: Any = value) -> None:
        problems.add(file, where, message, at=at, field=field)

    before = problems.count
    unknown = _unknown_keys(value, _BENCHMARK_KEYS)
    if unknown:
        add(unknown)
    stage = value.get("stage")
    if stage not in Stage.values:
        add(_("未知的阶段“%(stage)s”；可用：%(known)s")
            % {"stage": stage, "known": "、".join(Stage.values)}, "stage")
        stage = None
    statute: StatutoryPenalty | bool | None = None
    if not code:
        add(_("请填写执法事项编码（item）"), "item")
    elif code in refs.raw_codes and code not in refs.items:
        return None  # the item itself was refused: its problems say why
    elif stage is not None:
        statute = refs.statute(code, stage)
        if statute is False:
            add(_("执法事项%(code)s不存在：既不在所载入的文件中，数据库中也没有")
                % {"code": code}, "item")
        elif statute is None:
            add(_("执法事项%(code)s未设定“%(stage)s”阶段的法定处罚，不能设定裁量基准")
                % {"code": code, "stage": Stage(stage).label}, "stage")
    jurisdiction = None
    place = value.get("jurisdiction")
    if place is not None and place != "":
        if isinstance(place, bool) or not isinstance(place, str | int):
            add(_("适用区域（jurisdiction）应为行政区划代码"), "jurisdiction")
        else:
            jurisdiction = refs.jurisdictions.get(str(place).strip())
            if jurisdiction is None:
                add(_("适用区域代码“%(code)s”不存在") % {"code": place}, "jurisdiction")
    fields: dict[str, Any] = {}
    for key, label, required in (("name", _("基准名称（name）"), True),
                                 ("source_document", _("制定依据文件（source_document）"), False),
                                 ("version", _("版本（version）"), True)):
        raw = value.get(key)
        if key == "version" and isinstance(raw, int) and not isinstance(raw, bool):
            raw = str(raw)
        text = _text(raw) if raw is not None else ""
        if text is None or (required and not text):
            add(_("请填写%(label)s") % {"label": label}, key)
        fields[key] = text or ""
    fields["valid_from"] = _as_date(value.get("valid_from"))
    if fields["valid_from"] is None:
        add(_("有效期起（valid_from）应为日期 YYYY-MM-DD"), "valid_from")
    fields["valid_to"] = None
    if value.get("valid_to") is not None:
        fields["valid_to"] = _as_date(value["valid_to"])
        if fields["valid_to"] is None:
            add(_("有效期止（valid_to）应为日期 YYYY-MM-DD"), "valid_to")
    if fields["valid_from"] and fields["valid_to"] and fields["valid_to"] < fields["valid_from"]:
        add(_("有效期止不能早于有效期起"), "valid_to")
    is_local = value.get("is_local", False)
    if not isinstance(is_local, bool):
        add(_("是否地方性法规基准（is_local）应为 true 或 false"), "is_local")
    fields["is_local"] = is_local is True
    tiers_raw = value.get("tiers")
    tiers: list[tuple[Mapping[str, Any], BenchmarkTier]] = []
    if not isinstance(tiers_raw, list) or not tiers_raw:
        add(_("请列明裁量阶次（tiers），一至四个"), "tiers")
        tiers_raw = []
    for position, raw_tier in enumerate(tiers_raw, start=1):
        tier = _parse_tier(raw_tier, file, f"{where}第{position}个阶次", problems)
        if tier is not None:
            tiers.append((raw_tier, tier))
    if problems.count > before or not isinstance(statute, StatutoryPenalty):
        return None
    key: BenchmarkKey = (code, stage, jurisdiction.code if jurisdiction else None,
                         fields["version"])
    if key in seen:
        add(_("与文件%(other)s中的裁量基准重复（同一事项、阶段、区域和版本）")
            % {"other": seen[key]}, "version")
        return None
    seen[key] = file
    # The statute, as `benchmark_save` holds it (rules.discretion.validate_benchmark):
    # first each tier's ranges and measures on their own, to point at the tier, then the
    # tiers together (repeats, order, overlaps).
    reported: set[str] = set()
    for raw_tier, tier in tiers:
        parts = (("unit", BenchmarkTier(tier.tier, fine_unit=tier.fine_unit)),
                 ("individual", BenchmarkTier(tier.tier, fine_individual=tier.fine_individual)),
                 ("measures", BenchmarkTier(tier.tier, measures=tier.measures)))
        for field, part in parts:
            if part == BenchmarkTier(tier.tier):
                continue
            for reason in validate_benchmark(statute, [part]).reasons:
                add(reason, field, at=raw_tier)
                reported.add(reason)
    for reason in validate_benchmark(statute, [t for _r, t in tiers]).reasons:
        if reason not in reported:
            add(reason, "tiers")
    if problems.count > before:
        return None
    return _ParsedBenchmark(key=key, jurisdiction=jurisdiction, fields=fields,
                            tiers=[t for _r, t in tiers], source=file,
                            where=where, raw=value)


def _parse_tier(value: Any, file: str, where: str,
                problems: CatalogueProblems) -> BenchmarkTier | None:
    if not isinstance(value, Mapping):
        problems.add(file, where, _("裁量阶次应为映射"))
        return None

    def add(message: str, field: str | None = None) -> None:
        problems.add(file, where, message, at=value, field=field)

    before = problems.count
    unknown = _unknown_keys(value, _TIER_KEYS)
    if unknown:
        add(unknown)
    tier = value.get("tier")
    try:
        tier = Tier.parse(tier) if isinstance(tier, str) else Tier.parse("")
    except ValueError as exc:
        add(str(exc), "tier")
    circumstances = value.get("circumstances", "")
    if circumstances is None:
        circumstances = ""
    if not isinstance(circumstances, str):
        add(_("适用情形（circumstances）应为文字"), "circumstances")
    ranges: dict[str, FineRange | None] = {"unit": None, "individual": None}
    labels = {"unit": _("单位"), "individual": _("个人")}
    for key in ranges:
        if value.get(key) is None:
            continue
        parsed = _parse_range(value[key])
        if isinstance(parsed, str):
            add(f"{labels[key]}{parsed}", key)
        else:
            ranges[key] = FineRange(*parsed)
    measures = value.get("measures") or []
    if not isinstance(measures, list) or not all(isinstance(m, str) for m in measures):
        add(_("处罚种类（measures）应为代码列表"), "measures")
        measures = []
    unknown_codes = sorted(set(measures) - MEASURE_CODES)
    if unknown_codes:
        add(_("未知的处罚种类代码：%(codes)s；可用代码：%(known)s")
            % {"codes": "、".join(unknown_codes), "known": "、".join(sorted(MEASURE_CODES))},
            "measures")
    if problems.count > before:
        return None
    return BenchmarkTier(tier=tier, fine_unit=ranges["unit"],
                         fine_individual=ranges["individual"], measures=tuple(measures),
                         circumstances=circumstances.strip())


def _parse_documents(documents: Sequence[CatalogueDocument],
                     problems: CatalogueProblems) -> _Plan:
    """Every document parsed and checked; problems go to `problems`."""
    raw_files = []
    declared: dict[tuple[str, str], str] = {}
    for name, data in documents:
        parts = _document_parts(name, data, problems)
        if parts is None:
            continue
        law_raw, items_raw, provisions_raw, benchmarks_raw = parts
        law_fields = None
        if law_raw is not None:
            law_fields = _parse_law(law_raw, name, problems)
            if law_fields is None:
                continue
            key = _law_key_of(law_fields)
            if key in declared:
                problems.add(name, _("法律版本"),
                             _("“%(law)s（%(version)s）”已由文件%(other)s声明")
                             % {"law": key[0], "version": key[1], "other": declared[key]},
                             at=law_raw, field="name")
                continue
            declared[key] = name
        raw_files.append((name, law_fields, items_raw, provisions_raw, benchmarks_raw))
    known = set(declared)
    for law in Law.objects.only("name", "short_name", "version"):
        known.add((law.name, law.version))
        if law.short_name:
            known.add((law.short_name, law.version))
    parsed: list[_ParsedFile] = []
    seen_codes: dict[str, str] = {}
    for name, law_fields, raw_items, raw_provisions, _b in raw_files:
        if law_fields is None:
            parsed.append(_ParsedFile(name=name, law_fields=None, items=[]))
            continue
        law_key = _law_key_of(law_fields)
        items = [_parse_item(raw, index, name, law_key, problems, known, seen_codes)
                 for index, raw in enumerate(raw_items, start=1)]
        seen_provisions: dict[ProvisionKey, int] = {}
        provisions = [_parse_provision(raw, index, name, law_key, problems, seen_provisions)
                      for index, raw in enumerate(raw_provisions, start=1)]
        parsed.append(_ParsedFile(name=name, law_fields=law_fields,
                                  items=[i for i in items if i is not None],
                                  provisions=[p for p in provisions if p is not None]))
    raw_codes = {raw["code"].strip() for _n, _l, raw_items, _p, _b in raw_files
                 for raw in raw_items
                 if isinstance(raw, Mapping) and isinstance(raw.get("code"), str)}
    refs = _BenchmarkRefs({i.fields["code"]: i for f in parsed for i in f.items}, raw_codes,
                          [b for *_rest, benchmarks in raw_files for b in benchmarks])
    benchmarks: list[_ParsedBenchmark] = []
    seen_benchmarks: dict[BenchmarkKey, str] = {}
    for name, _l, _i, _p, raw_benchmarks in raw_files:
        for index, raw in enumerate(raw_benchmarks, start=1):
            parsed_benchmark = _parse_benchmark(raw, index, name, problems, refs,
                                                seen_benchmarks)
            if parsed_benchmark is not None:
                benchmarks.append(parsed_benchmark)
    return _Plan(files=parsed, benchmarks=benchmarks)


def _read_file(path: Path, problems: CatalogueProblems) -> Any:
    import yaml  # PyYAML (pyproject.toml)

    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        problems.add(path.name, _("文件"), _("无法读取：%(error)s") % {"error": exc})
    except yaml.YAMLError as exc:
        problems.add(path.name, _("文件"), _("YAML格式错误：%(error)s") % {"error": exc})
    return None


def catalogue_load(*, actor: User | None, files: Sequence[str | Path]) -> CatalogueLoadResult:
    """Load the catalogue files (`catalogue_files()` for the shipped ones): read each
    YAML file and hand them all to `catalogue_load_documents` (see there)."""
    if actor is not None:
        _require_admin(actor)
    paths = [Path(f) for f in files]
    if not paths:
        raise ValidationError(_("没有要载入的执法事项目录文件"))
    problems = CatalogueProblems()
    documents: list[CatalogueDocument] = []
    for path in paths:
        before = problems.count
        data = _read_file(path, problems)
        if problems.count == before:
            documents.append((path.name, data))
    return catalogue_load_documents(actor=actor, documents=documents, problems=problems)


def catalogue_load_documents(
    *,
    actor: User | None,
    documents: Sequence[CatalogueDocument],
    problems: CatalogueProblems | None = None,
) -> CatalogueLoadResult:
    """Load parsed catalogue documents: (name, mapping) pairs in the format of the
    catalogue files (the header of data/catalogue/work_safety_law_2021.yaml).

    Every entry of every document is checked first; any problem → ValidationError listing
    every problem in Chinese (document and entry named, or as `problems` formats them;
    problems already in `problems` count too), nothing written. Then, in one transaction:
    laws, provisions (with the text given under `provisions:`), items, stage penalties
    and discretion benchmarks with their tiers are created or updated to match, with
    their events written in bulk (law.created / law.updated, provision.created /
    provision.updated, item.created / item.updated, item.stage_penalty_set,
    benchmark.created / benchmark.updated). Loading the same documents again changes
    nothing and writes no event.

    A benchmark is held to the rules of `benchmark_save` (`benchmark_problems`: inside
    the statutory range of its item's stage, each tier once and in order, no overlapping
    validity with another benchmark of the same item, stage and jurisdiction); a changed
    stage must still contain the benchmarks made on it (as `item_stage_penalty_set`),
    except those the documents replace.

    `actor` None is the system (the `load_catalogue` command, the demo); a user must be
    an administrator."""
    if actor is not None:
        _require_admin(actor)
    problems = problems if problems is not None else CatalogueProblems()
    plan = _parse_documents(documents, problems)
    if problems.failed:
        raise ValidationError(problems.messages)
    result = CatalogueLoadResult(files=[name for name, _data in documents],
                                 benchmarks_in_files=len(plan.benchmarks))
    events: list[tuple[Model, str, dict[str, Any]]] = []
    with transaction.atomic():
        laws = _load_laws(plan.files, result, events)
        provisions = _load_provisions(plan.files, laws, result, events)
        _load_items(plan.files, provisions, result, events, problems,
                    {b.key for b in plan.benchmarks})
        if not problems.failed:
            _load_benchmarks(plan.benchmarks, result, events, problems)
        if problems.failed:  # raised inside the transaction: every write above is undone
            raise ValidationError(problems.messages)
        record_events(actor=actor, entries=events)
        result.events = len(events)
    return result


def _load_laws(parsed: list[_ParsedFile], result: CatalogueLoadResult,
               events: list) -> dict[tuple[str, str], Law]:
    """Create or update the declared laws; return every law a citation may name."""
    laws: dict[tuple[str, str], Law] = {}
    for parsed_file in parsed:
        fields = parsed_file.law_fields
        if fields is None:
            continue
        law = (Law.objects.select_for_update()
               .filter(name=fields["name"], version=fields["version"]).first())
        if law is None:
            law = Law(**fields)
            law.full_clean()
            law.save()
            result.laws_created += 1
            events.append((law, "law.created", {**_snapshot(law, LAW_FIELDS),
                                                "source": parsed_file.name}))
        else:
            changes = _apply(law, fields)
            if changes:
                law.full_clean()
                law.save()
                result.laws_updated += 1
                events.append((law, "law.updated", {"changes": changes,
                                                    "source": parsed_file.name}))
        label = f"{law.display_name}（{law.version}）"
        result.items_per_law[label] = len(parsed_file.items)
        laws[_law_key_of(fields)] = law
    for law in Law.objects.all():  # laws cited but declared by no document being loaded
        laws.setdefault((law.short_name or law.name, law.version), law)
        laws.setdefault((law.name, law.version), law)
    return laws


def _load_provisions(parsed: list[_ParsedFile], laws: dict[tuple[str, str], Law],
                     result: CatalogueLoadResult,
                     events: list) -> dict[ProvisionKey, Provision]:
    """Create the provisions the items cite and those listed under `provisions:`, and
    set the text of the listed ones."""
    wanted: set[ProvisionKey] = set()
    listed: dict[ProvisionKey, _ParsedProvision] = {}
    for parsed_file in parsed:
        for item in parsed_file.items:
            wanted.update(item.violated, item.penalty, (s.provision for s in item.stages))
        listed.update((p.key, p) for p in parsed_file.provisions)
    wanted.update(listed)
    law_ids = {laws[key[0]].pk for key in wanted}
    existing = {(p.law_id, p.label): p for p in
                Provision.objects.select_related("law").filter(law_id__in=law_ids)}
    found: dict[ProvisionKey, Provision] = {}
    new: list[Provision] = []
    sources: dict[int, str] = {}  # id(new provision) → the document listing its text
    # The listed ones first, so a provision both cited and listed gets its text.
    for key in sorted(wanted, key=lambda k: (k not in listed, k[0], k[1], k[2] or 0,
                                             k[3] or 0)):
        law = laws[key[0]]
        label = provision_label(key[1], key[2], key[3])
        provision = existing.get((law.pk, label))
        entry = listed.get(key)
        text = entry.text if entry is not None else None
        if provision is None:
            provision = Provision(law=law, article=key[1], paragraph=key[2], item=key[3],
                                  label=label, text=text or "")
            provision.full_clean(validate_unique=False, validate_constraints=False)
            new.append(provision)
            existing[(law.pk, label)] = provision
            if entry is not None:
                sources[id(provision)] = entry.source
        elif text is not None and provision.text.strip() != text:
            if provision.pk is None:  # created above for another form of the law key
                provision.text = text
            else:
                old = provision.text
                provision.text = text
                provision.full_clean(validate_unique=False, validate_constraints=False)
                provision.save(update_fields=["text"])
                result.provisions_updated += 1
                events.append((provision, "provision.updated", {
                    "label": provision.label, "changes": {"text": {"from": old, "to": text}},
                    "source": entry.source if entry else ""}))
        found[key] = provision
    if new:
        Provision.objects.bulk_create(new)  # save() is skipped: the label is set above
        if new[0].pk is None:  # a backend that cannot return ids from bulk inserts
            ids = {(p.law_id, p.label): p.pk for p in Provision.objects.filter(
                law_id__in=law_ids)}
            for provision in new:
                provision.pk = ids[(provision.law_id, provision.label)]
        result.provisions_created = len(new)
        for p in new:
            payload: dict[str, Any] = {"law": str(p.law), "label": p.label}
            if p.text:
                payload.update(text=p.text, source=sources.get(id(p), ""))
            events.append((p, "provision.created", payload))
    return found


def _stage_row_fields(stage: _ParsedStage,
                      provisions: dict[ProvisionKey, Provision]) -> dict[str, Any]:
    return {**stage.fields, "provision": provisions[stage.provision]}


def _benchmark_key(benchmark: DiscretionBenchmark, code: str) -> BenchmarkKey:
    return (code, benchmark.stage,
            benchmark.jurisdiction.code if benchmark.jurisdiction_id else None,
            benchmark.version)


def _load_items(parsed: list[_ParsedFile], provisions: dict[ProvisionKey, Provision],
                result: CatalogueLoadResult, events: list, problems: CatalogueProblems,
                replaced: set[BenchmarkKey]) -> None:
    entries = [(f.name, item) for f in parsed for item in f.items]
    codes = [item.fields["code"] for _name, item in entries]
    existing = {i.code: i for i in EnforcementItem.objects.select_for_update()
                .filter(code__in=codes)}
    current_provisions: dict[tuple[int, str], list[str]] = {}
    for relation in ("violated", "penalty"):
        through = getattr(EnforcementItem, relation).through
        for item_id, provision_id in through.objects.filter(
                enforcementitem__code__in=codes).values_list("enforcementitem_id",
                                                              "provision_id"):
            current_provisions.setdefault((item_id, relation), []).append(provision_id)
    stage_rows = {(row.item_id, row.stage): row for row in
                  ItemStagePenalty.objects.filter(item__code__in=codes)
                  .select_related("provision__law")}
    new_items: list[tuple[str, _ParsedItem, EnforcementItem]] = []
    for file_name, parsed_item in entries:
        item = existing.get(parsed_item.fields["code"])
        if item is None:
            item = EnforcementItem(**parsed_item.fields)
            new_items.append((file_name, parsed_item, item))
            continue
        changes = _apply(item, parsed_item.fields)
        for relation in ("violated", "penalty"):
            want = [provisions[k] for k in getattr(parsed_item, relation)]
            have = sorted(current_provisions.get((item.pk, relation), []))
            if have != sorted({p.pk for p in want}):
                by_pk = {p.pk: p for p in Provision.objects.select_related("law")
                         .filter(pk__in=have)}
                changes[relation] = {"from": sorted(str(by_pk[pk]) for pk in have),
                                     "to": sorted(str(p) for p in want)}
                getattr(item, relation).set(want)
        if changes:
            item.full_clean()
            item.save()
            result.items_updated += 1
            events.append((item, "item.updated", {"changes": changes, "source": file_name}))
        for stage in parsed_item.stages:
            row = stage_rows.get((item.pk, stage.stage))
            created = row is None
            row = row or ItemStagePenalty(item=item, stage=stage.stage)
            stage_changes = _apply(row, _stage_row_fields(stage, provisions))
            if not created and not stage_changes:
                continue
            row.full_clean()
            # A statute narrowed under existing benchmarks would leave them out of range
            # (those the documents replace are checked against it when they are saved).
            failed = False
            for benchmark in (item.benchmarks.filter(stage=stage.stage)
                              .select_related("jurisdiction").prefetch_related("tiers")):
                if _benchmark_key(benchmark, item.code) in replaced:
                    continue
                for reason in validate_benchmark(
                        statutory_penalty(row),
                        [tier_rule(t) for t in benchmark.tiers.all()]).reasons:
                    problems.add(file_name, _("事项%(code)s（%(stage)s）")
                                 % {"code": item.code, "stage": Stage(stage.stage).label},
                                 f"{benchmark}：{reason}", at=stage.raw)
                    failed = True
            if failed:
                continue
            row.save()
            if created:
                result.stages_created += 1
            else:
                result.stages_updated += 1
            events.append((item, "item.stage_penalty_set", {
                "stage": stage.stage, "source": file_name,
                **({"values": _snapshot(row, STAGE_FIELDS)} if created
                   else {"changes": stage_changes})}))
    if not new_items:
        return
    EnforcementItem.objects.bulk_create([item for _f, _p, item in new_items])
    if new_items[0][2].pk is None:
        ids = dict(EnforcementItem.objects.filter(
            code__in=[i.code for _f, _p, i in new_items]).values_list("code", "pk"))
        for _f, _p, item in new_items:
            item.pk = ids[item.code]
    links: dict[str, list[Model]] = {"violated": [], "penalty": []}
    rows: list[ItemStagePenalty] = []
    for file_name, parsed_item, item in new_items:
        for relation in ("violated", "penalty"):
            through = getattr(EnforcementItem, relation).through
            links[relation] += [through(enforcementitem_id=item.pk,
                                        provision_id=provisions[k].pk)
                                for k in dict.fromkeys(getattr(parsed_item, relation))]
        item_rows = [ItemStagePenalty(item=item, stage=s.stage,
                                      **_stage_row_fields(s, provisions))
                     for s in parsed_item.stages]
        rows += item_rows
        events.append((item, "item.created", {
            **_snapshot(item, ITEM_FIELDS), "source": file_name,
            "violated": [str(provisions[k]) for k in parsed_item.violated],
            "penalty": [str(provisions[k]) for k in parsed_item.penalty],
            "stages": {r.stage: _snapshot(r, STAGE_FIELDS) for r in item_rows}}))
    for relation, objs in links.items():
        getattr(EnforcementItem, relation).through.objects.bulk_create(objs)
    ItemStagePenalty.objects.bulk_create(rows)
    result.items_created = len(new_items)
    result.stages_created += len(rows)


_BENCHMARK_SNAPSHOT = ("jurisdiction", "name", "version", "source_document", "valid_from",
                       "valid_to", "is_local")


def _load_benchmarks(parsed: list[_ParsedBenchmark], result: CatalogueLoadResult,
                     events: list, problems: CatalogueProblems) -> None:
    """Create or replace the benchmarks (fields and tiers) as `benchmark_save` does, each
    checked by `benchmark_problems` against the tables as they now are; an unchanged one
    is not touched."""
    if not parsed:
        return
    codes = {b.key[0] for b in parsed}
    items = {i.code: i for i in EnforcementItem.objects.filter(code__in=codes)}
    existing = {_benchmark_key(b, b.item.code): b for b in
                DiscretionBenchmark.objects.select_for_update(of=("self",))
                .filter(item__code__in=codes).select_related("item", "jurisdiction")
                .prefetch_related("tiers")}
    # Replacements first: a new version may start where the replaced one now ends.
    for entry in sorted(parsed, key=lambda b: (b.key not in existing, b.fields["valid_from"])):
        item = items[entry.key[0]]
        stage = entry.key[1]
        benchmark = existing.get(entry.key)
        created = benchmark is None
        fields = {"item": item, "stage": stage, "jurisdiction": entry.jurisdiction,
                  **entry.fields}
        new_tiers = [_tier_payload(t) for t in entry.tiers]
        old_tiers = [] if created else [_tier_payload(tier_rule(r))
                                        for r in benchmark.tiers.all()]
        benchmark = benchmark or DiscretionBenchmark()
        changes = _apply(benchmark, fields)
        if not created and not changes and old_tiers == new_tiers:
            continue
        reasons = benchmark_problems(item=item, tiers=entry.tiers, stage=stage,
                                     jurisdiction=entry.jurisdiction,
                                     valid_from=entry.fields["valid_from"],
                                     valid_to=entry.fields["valid_to"],
                                     exclude=None if created else benchmark)
        for reason in reasons:
            problems.add(entry.source, entry.where, reason, at=entry.raw, field="valid_from")
        if reasons:
            continue
        benchmark.full_clean()
        benchmark.save()
        if old_tiers != new_tiers:
            benchmark.tiers.all().delete()
            rows = [BenchmarkTierRow(
                benchmark=benchmark, tier=t.tier.value, circumstances=t.circumstances,
                unit_min=t.fine_unit.min if t.fine_unit else None,
                unit_max=t.fine_unit.max if t.fine_unit else None,
                individual_min=t.fine_individual.min if t.fine_individual else None,
                individual_max=t.fine_individual.max if t.fine_individual else None,
                measures=list(t.measures)) for t in entry.tiers]
            for row in rows:
                row.full_clean(exclude=["benchmark"])
            BenchmarkTierRow.objects.bulk_create(rows)
        payload: dict[str, Any] = {"item": item.code, "stage": stage, "tiers": new_tiers,
                                   "source": entry.source}
        if created:
            payload.update(_snapshot(benchmark, _BENCHMARK_SNAPSHOT))
            result.benchmarks_created += 1
        else:
            payload["changes"] = {k: v for k, v in changes.items() if k != "item"}
            payload["old_tiers"] = old_tiers
            result.benchmarks_updated += 1
        events.append((benchmark, "benchmark.created" if created else "benchmark.updated",
                       payload))
