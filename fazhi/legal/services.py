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
# work_safety_law_2021.yaml) are the source of the catalogue. `catalogue_load` checks
# every entry of every file before writing anything, then brings the tables in line with
# the files in one transaction, matching rows on their natural keys (law: name + version;
# provision: law + 条款项; item: code; stage penalty: item + stage). Rows the files do not
# mention (items entered in the admin, a stage no longer listed, a provision's text) are
# left as they are.

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
               "gains_multiple", "gains_threshold", "measures", "mandatory", "note"}
_CITATION_KEYS = {"law", "version", "article", "paragraph", "item"}
# A stage's fine range → the party that must be listed for it.
_RANGE_PARTY = {"unit": ("unit",), "individual": ("principal", "responsible_persons"),
                "responsible_persons": ("responsible_persons",)}

ProvisionKey = tuple[tuple[str, str], int, int | None, int | None]  # (law key), 条, 款, 项


@dataclass
class CatalogueLoadResult:
    """What a load did. `items_per_law` counts the items in the files, per law version
    (“安全生产法（2021）”); the other counts are the rows created or changed."""

    files: list[str] = dataclass_field(default_factory=list)
    items_per_law: dict[str, int] = dataclass_field(default_factory=dict)
    laws_created: int = 0
    laws_updated: int = 0
    provisions_created: int = 0
    items_created: int = 0
    items_updated: int = 0
    stages_created: int = 0
    stages_updated: int = 0
    events: int = 0

    @property
    def items_in_files(self) -> int:
        return sum(self.items_per_law.values())

    @property
    def changed(self) -> bool:
        return bool(self.laws_created or self.laws_updated or self.provisions_created
                    or self.items_created or self.items_updated or self.stages_created
                    or self.stages_updated)


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
    """An amount from a file: an integer or a decimal string (never a float)."""
    if isinstance(value, bool | float):
        return None
    try:
        amount = Decimal(str(value)) if isinstance(value, int | str) else None
    except ArithmeticError:
        return None
    if amount is None or not amount.is_finite():
        return None
    return amount.quantize(_CENT)


@dataclass
class _ParsedStage:
    stage: str
    provision: ProvisionKey
    fields: dict[str, Any]


@dataclass
class _ParsedItem:
    law_key: tuple[str, str]
    fields: dict[str, Any]
    violated: list[ProvisionKey]
    penalty: list[ProvisionKey]
    stages: list[_ParsedStage]


@dataclass
class _ParsedFile:
    name: str
    law_fields: dict[str, Any]
    items: list[_ParsedItem]


def _law_key_of(fields: Mapping[str, Any]) -> tuple[str, str]:
    return (fields.get("short_name") or fields["name"], fields["version"])


class _Problems:
    """Chinese error messages naming the file and the entry."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def add(self, file: str, where: str, message: str) -> None:
        self.messages.append(_("文件%(file)s，%(where)s：%(message)s")
                             % {"file": file, "where": where, "message": message})


def _model_errors(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [str(m) for messages in exc.message_dict.values() for m in messages]
    return [str(m) for m in exc.messages]


def _parse_citation(value: Any, file: str, where: str, problems: _Problems,
                    known_laws: set[tuple[str, str]]) -> ProvisionKey | None:
    if not isinstance(value, Mapping):
        problems.add(file, where, _("条款引用应为包含 law、version、article 的映射"))
        return None
    unknown = set(value) - _CITATION_KEYS
    if unknown:
        problems.add(file, where, _("条款引用含未知字段：%(keys)s")
                     % {"keys": "、".join(sorted(map(str, unknown)))})
        return None
    law, version = value.get("law"), value.get("version")
    if not isinstance(law, str) or not law.strip() or not isinstance(version, str | int):
        problems.add(file, where, _("条款引用应写明法律简称（law）和版本（version）"))
        return None
    key = (law.strip(), str(version))
    if key not in known_laws:
        problems.add(file, where, _("引用的法律“%(law)s（%(version)s）”未在所载入的文件中声明，"
                                    "数据库中也没有") % {"law": key[0], "version": key[1]})
        return None
    numbers = []
    for name, label, required in (("article", "条", True), ("paragraph", "款", False),
                                  ("item", "项", False)):
        raw = value.get(name)
        if raw is None and not required:
            numbers.append(None)
            continue
        number = _as_number(raw)
        if number is None or not 0 < number < 10000:
            problems.add(file, where, _("%(label)s的序号应为1至9999的整数，收到“%(value)s”")
                         % {"label": label, "value": raw})
            return None
        numbers.append(number)
    return (key, numbers[0], numbers[1], numbers[2])


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


def _parse_stage(value: Any, file: str, where: str, problems: _Problems,
                 known_laws: set[tuple[str, str]], parties: set[str]) -> _ParsedStage | None:
    if not isinstance(value, Mapping):
        problems.add(file, where, _("阶段应为映射"))
        return None
    stage = value.get("stage")
    if stage not in Stage.values:
        problems.add(file, where, _("未知的阶段“%(stage)s”；可用：%(known)s")
                     % {"stage": stage, "known": "、".join(Stage.values)})
        return None
    where = f"{where}（{Stage(stage).label}）"
    before = len(problems.messages)
    unknown = set(value) - _STAGE_KEYS
    if unknown:
        problems.add(file, where, _("含未知字段：%(keys)s")
                     % {"keys": "、".join(sorted(map(str, unknown)))})
    if "provision" not in value:
        problems.add(file, where, _("请写明该阶段适用的处罚条款（provision）"))
        provision = None
    else:
        provision = _parse_citation(value["provision"], file, where, problems, known_laws)
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
            problems.add(file, where, f"{labels[key]}{parsed}")
            continue
        if not parties.intersection(_RANGE_PARTY[key]):
            problems.add(file, where, _("设定了%(label)s罚款，但当事人（parties）未列明%(who)s")
                         % {"label": labels[key], "who": "或".join(_RANGE_PARTY[key])})
        fields[f"{prefix}_min"], fields[f"{prefix}_max"] = parsed
    if ("gains_multiple" in value) != ("gains_threshold" in value):
        problems.add(file, where, _("违法所得倍数（gains_multiple）和起点（gains_threshold）"
                                    "应当同时填写"))
    elif "gains_multiple" in value:
        parsed = _parse_range(value["gains_multiple"])
        threshold = _as_yuan(value["gains_threshold"])
        if isinstance(parsed, str):
            problems.add(file, where, _("违法所得倍数：%(reason)s") % {"reason": parsed})
        elif threshold is None or threshold < 0:
            problems.add(file, where, _("违法所得起点应为非负金额（元）"))
        else:
            fields["confiscation_multiple_min"], fields["confiscation_multiple_max"] = parsed
            fields["gains_threshold"] = threshold
    measures = value.get("measures")
    if not isinstance(measures, list) or not measures:
        problems.add(file, where, _("请列明处罚种类代码（measures）"))
    else:
        fields["measures"] = list(measures)
        if "fine" not in measures and any(
                fields[f] is not None for f in ("unit_min", "individual_min",
                                                "responsible_min")):
            problems.add(file, where, _("设定了罚款幅度，处罚种类中却没有 fine"))
    if not isinstance(value.get("mandatory"), bool):
        problems.add(file, where, _("请写明是否应当处罚（mandatory: true/false）"))
    else:
        fields["mandatory"] = value["mandatory"]
    if len(problems.messages) > before or provision is None:
        return None
    # The model's own checks (ranges, measure codes) on an unsaved row.
    try:
        ItemStagePenalty(stage=stage, **fields).clean()
    except ValidationError as exc:
        for message in _model_errors(exc):
            problems.add(file, where, message)
        return None
    return _ParsedStage(stage=stage, provision=provision, fields=fields)


def _parse_item(value: Any, index: int, file: str, law_key: tuple[str, str],
                problems: _Problems, known_laws: set[tuple[str, str]],
                seen_codes: dict[str, str]) -> _ParsedItem | None:
    code = value.get("code") if isinstance(value, Mapping) else None
    where = (_("事项%(code)s") % {"code": code} if isinstance(code, str) and code
             else _("第%(n)d个事项") % {"n": index})
    if not isinstance(value, Mapping):
        problems.add(file, where, _("事项应为映射"))
        return None
    before = len(problems.messages)
    unknown = set(value) - _ITEM_KEYS
    if unknown:
        problems.add(file, where, _("含未知字段：%(keys)s")
                     % {"keys": "、".join(sorted(map(str, unknown)))})
    if not isinstance(code, str) or not _CODE_RE.fullmatch(code):
        problems.add(file, where, _("事项编码应形如 WSL2021-097-01，收到“%(code)s”")
                     % {"code": code})
    elif code in seen_codes:
        problems.add(file, where, _("事项编码与文件%(other)s中的事项重复")
                     % {"other": seen_codes[code]})
    else:
        seen_codes[code] = file
    name = value.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.add(file, where, _("请填写事项名称（name）"))
    kind = value.get("kind", EnforcementItem.Kind.PENALTY)
    if kind not in EnforcementItem.Kind.values:
        problems.add(file, where, _("未知的事项类型“%(kind)s”") % {"kind": kind})
    parties = value.get("parties")
    if (not isinstance(parties, list) or not parties
            or not set(parties) <= set(_PARTY_FLAGS)):
        problems.add(file, where, _("当事人（parties）应为 unit、principal、"
                                    "responsible_persons 中的一项或多项"))
        parties = []
    dual = value.get("dual_penalty")
    if not isinstance(dual, bool):
        problems.add(file, where, _("请写明是否一案双罚（dual_penalty: true/false）"))
    valid_from = _as_date(value.get("valid_from"))
    if valid_from is None:
        problems.add(file, where, _("有效期起（valid_from）应为日期 YYYY-MM-DD"))
    valid_to = None
    if value.get("valid_to") is not None:
        valid_to = _as_date(value["valid_to"])
        if valid_to is None:
            problems.add(file, where, _("有效期止（valid_to）应为日期 YYYY-MM-DD"))
    citations: dict[str, list[ProvisionKey]] = {}
    for relation, label in (("violated", _("违法依据")), ("penalty", _("处罚依据"))):
        raw = value.get(relation) or []
        if not isinstance(raw, list):
            problems.add(file, where, _("%(label)s应为条款引用列表") % {"label": label})
            raw = []
        if relation == "penalty" and not raw:
            problems.add(file, where, _("至少应当引用一个处罚依据条款（penalty）"))
        parsed = [_parse_citation(c, file, f"{where}{label}", problems, known_laws)
                  for c in raw]
        citations[relation] = [p for p in parsed if p is not None]
    stages_raw = value.get("stages")
    stages: list[_ParsedStage] = []
    if not isinstance(stages_raw, list) or not stages_raw:
        problems.add(file, where, _("请列明至少一个阶段的法定处罚（stages）"))
    else:
        seen: set[str] = set()
        for stage_value in stages_raw:
            parsed_stage = _parse_stage(stage_value, file, where, problems, known_laws,
                                        set(parties))
            if parsed_stage is None:
                continue
            if parsed_stage.stage in seen:
                problems.add(file, where, _("阶段“%(stage)s”重复")
                             % {"stage": Stage(parsed_stage.stage).label})
            seen.add(parsed_stage.stage)
            stages.append(parsed_stage)
    if len(problems.messages) > before:
        return None
    fields = {"code": code, "name": name.strip(), "kind": kind,
              **{flag: party in parties for party, flag in _PARTY_FLAGS.items()},
              "dual_penalty": dual, "valid_from": valid_from, "valid_to": valid_to}
    try:  # the model's rules: validity order, 一案双罚 parties, at least one party
        EnforcementItem(**fields).full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        for message in _model_errors(exc):
            problems.add(file, where, message)
        return None
    return _ParsedItem(law_key=law_key, fields=fields, violated=citations["violated"],
                       penalty=citations["penalty"], stages=stages)


def _read_file(path: Path, problems: _Problems) -> tuple[Any, Any] | None:
    import yaml  # PyYAML (pyproject.toml)

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        problems.add(path.name, _("文件"), _("无法读取：%(error)s") % {"error": exc})
        return None
    except yaml.YAMLError as exc:
        problems.add(path.name, _("文件"), _("YAML格式错误：%(error)s") % {"error": exc})
        return None
    if not isinstance(data, Mapping) or not isinstance(data.get("law"), Mapping) \
            or not isinstance(data.get("items"), list):
        problems.add(path.name, _("文件"), _("应当包含 law（法律版本）和 items（事项列表）两部分"))
        return None
    return data["law"], data["items"]


def _parse_law(raw: Mapping[str, Any], file: str, problems: _Problems) -> dict[str, Any] | None:
    where = _("法律版本")
    before = len(problems.messages)
    unknown = set(raw) - _LAW_KEYS
    if unknown:
        problems.add(file, where, _("含未知字段：%(keys)s")
                     % {"keys": "、".join(sorted(map(str, unknown)))})
    fields: dict[str, Any] = {}
    for key in ("name", "short_name", "issuer", "document_number"):
        value = raw.get(key, "")
        if not isinstance(value, str):
            problems.add(file, where, _("%(key)s应为文字") % {"key": key})
            value = ""
        fields[key] = value.strip()
    version = raw.get("version")
    fields["version"] = str(version).strip() if isinstance(version, str | int) else ""
    fields["level"] = raw.get("level")
    for key in ("promulgated", "effective", "repealed"):
        fields[key] = _as_date(raw.get(key))
        if raw.get(key) is not None and fields[key] is None:
            problems.add(file, where, _("%(key)s应为日期 YYYY-MM-DD") % {"key": key})
    if len(problems.messages) > before:
        return None
    try:
        Law(**fields).full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        for message in _model_errors(exc):
            problems.add(file, where, message)
        return None
    return fields


def _parse_files(paths: Sequence[Path]) -> tuple[list[_ParsedFile], list[str]]:
    """Every file parsed and checked; the second value lists every problem found."""
    problems = _Problems()
    raw_files = []
    declared: dict[tuple[str, str], str] = {}
    for path in paths:
        read = _read_file(path, problems)
        if read is None:
            continue
        law_fields = _parse_law(read[0], path.name, problems)
        if law_fields is None:
            continue
        key = _law_key_of(law_fields)
        if key in declared:
            problems.add(path.name, _("法律版本"),
                         _("“%(law)s（%(version)s）”已由文件%(other)s声明")
                         % {"law": key[0], "version": key[1], "other": declared[key]})
            continue
        declared[key] = path.name
        raw_files.append((path.name, law_fields, read[1]))
    known = set(declared)
    for law in Law.objects.only("name", "short_name", "version"):
        known.add((law.name, law.version))
        if law.short_name:
            known.add((law.short_name, law.version))
    parsed: list[_ParsedFile] = []
    seen_codes: dict[str, str] = {}
    for name, law_fields, raw_items in raw_files:
        items = [_parse_item(raw, index, name, _law_key_of(law_fields), problems, known,
                             seen_codes) for index, raw in enumerate(raw_items, start=1)]
        parsed.append(_ParsedFile(name=name, law_fields=law_fields,
                                  items=[i for i in items if i is not None]))
    return parsed, problems.messages


def catalogue_load(*, actor: User | None, files: Sequence[str | Path]) -> CatalogueLoadResult:
    """Load the catalogue files (`catalogue_files()` for the shipped ones).

    Every entry of every file is checked first; any problem → ValidationError listing
    every problem in Chinese (file and item code named), nothing written. Then, in one
    transaction: laws, provisions, items and stage penalties are created or updated to
    match the files, with their events written in bulk (law.created / law.updated,
    provision.created, item.created / item.updated, item.stage_penalty_set). Running it
    again over the same files changes nothing and writes no event.

    `actor` None is the system (the `load_catalogue` command, the demo); a user must be
    an administrator. A changed stage must still contain the benchmarks made on it
    (as `item_stage_penalty_set`)."""
    if actor is not None:
        _require_admin(actor)
    paths = [Path(f) for f in files]
    if not paths:
        raise ValidationError(_("没有要载入的执法事项目录文件"))
    parsed, problems = _parse_files(paths)
    if problems:
        raise ValidationError(problems)
    result = CatalogueLoadResult(files=[p.name for p in paths])
    events: list[tuple[Model, str, dict[str, Any]]] = []
    with transaction.atomic():
        laws = _load_laws(parsed, result, events)
        provisions = _load_provisions(parsed, laws, result, events)
        _load_items(parsed, laws, provisions, result, events)
        record_events(actor=actor, entries=events)
        result.events = len(events)
    return result


def _load_laws(parsed: list[_ParsedFile], result: CatalogueLoadResult,
               events: list) -> dict[tuple[str, str], Law]:
    """Create or update the declared laws; return every law a citation may name."""
    laws: dict[tuple[str, str], Law] = {}
    for parsed_file in parsed:
        fields = parsed_file.law_fields
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
    for law in Law.objects.all():  # laws cited but declared by no file being loaded
        laws.setdefault((law.short_name or law.name, law.version), law)
        laws.setdefault((law.name, law.version), law)
    return laws


def _load_provisions(parsed: list[_ParsedFile], laws: dict[tuple[str, str], Law],
                     result: CatalogueLoadResult,
                     events: list) -> dict[ProvisionKey, Provision]:
    wanted: set[ProvisionKey] = set()
    for parsed_file in parsed:
        for item in parsed_file.items:
            wanted.update(item.violated, item.penalty, (s.provision for s in item.stages))
    law_ids = {laws[key[0]].pk for key in wanted}
    existing = {(p.law_id, p.label): p for p in
                Provision.objects.select_related("law").filter(law_id__in=law_ids)}
    found: dict[ProvisionKey, Provision] = {}
    new: list[Provision] = []
    for key in sorted(wanted, key=lambda k: (k[0], k[1], k[2] or 0, k[3] or 0)):
        law = laws[key[0]]
        label = provision_label(key[1], key[2], key[3])
        provision = existing.get((law.pk, label))
        if provision is None:
            provision = Provision(law=law, article=key[1], paragraph=key[2], item=key[3],
                                  label=label)
            provision.full_clean(validate_unique=False, validate_constraints=False)
            new.append(provision)
            existing[(law.pk, label)] = provision
        found[key] = provision
    if new:
        Provision.objects.bulk_create(new)  # save() is skipped: the label is set above
        if new[0].pk is None:  # a backend that cannot return ids from bulk inserts
            ids = {(p.law_id, p.label): p.pk for p in Provision.objects.filter(
                law_id__in=law_ids)}
            for provision in new:
                provision.pk = ids[(provision.law_id, provision.label)]
        result.provisions_created = len(new)
        events.extend((p, "provision.created", {"law": str(p.law), "label": p.label})
                      for p in new)
    return found


def _stage_row_fields(stage: _ParsedStage,
                      provisions: dict[ProvisionKey, Provision]) -> dict[str, Any]:
    return {**stage.fields, "provision": provisions[stage.provision]}


def _load_items(parsed: list[_ParsedFile], laws: dict[tuple[str, str], Law],
                provisions: dict[ProvisionKey, Provision], result: CatalogueLoadResult,
                events: list) -> None:
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
            if have != sorted(p.pk for p in want):
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
            reasons = [f"{b}：{reason}" for b in item.benchmarks.filter(stage=stage.stage)
                       .prefetch_related("tiers")
                       for reason in validate_benchmark(
                           statutory_penalty(row),
                           [tier_rule(t) for t in b.tiers.all()]).reasons]
            if reasons:
                raise ValidationError(reasons)
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
