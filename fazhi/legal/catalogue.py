"""Reads of the catalogue tables for the engine: an item as the pure `ItemRule` the
engine understands, an item found by code or by citation, and the 较大数额罚款 threshold
in force for a jurisdiction.

No jurisdiction scoping here, on purpose: the law, the catalogue, the published
benchmarks and thresholds are public (行政处罚法(2021) 第三十四条: 裁量基准应当向社会
公布), every role and the assess API may read all of them. The `jurisdiction` arguments
choose which local rules apply, they do not restrict what may be read.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

from django.db.models import Q

from fazhi.core.models import Jurisdiction
from fazhi.legal.models import (
    BenchmarkTierRow,
    DiscretionBenchmark,
    EnforcementItem,
    ItemStagePenalty,
    JurisdictionLegalConfig,
    Law,
    Provision,
    Stage,
    TierLevel,
    chinese_number,
    in_force_q,
)
from fazhi.legal.rules.catalogue import ItemRule, StagePenalty
from fazhi.legal.rules.citations import Citation
from fazhi.legal.rules.discretion import BenchmarkTier, FineRange, StatutoryPenalty
from fazhi.legal.rules.procedure import DEFAULT_LARGE_FINE_THRESHOLD, LargeFineThreshold

PROVISION_APPLIES_TO = "provision_applied"  # the spec's element a penalty provision supports


# --- building blocks --------------------------------------------------------------------

def fine_range(low: Decimal | None, high: Decimal | None) -> FineRange | None:
    """A stored min/max pair as a FineRange (None when the pair is empty)."""
    if low is None or high is None:
        return None
    return FineRange(low, high)


def stage_penalty_rule(row: ItemStagePenalty) -> StagePenalty:
    return StagePenalty(
        stage=row.stage,
        unit=fine_range(row.unit_min, row.unit_max),
        individual=fine_range(row.individual_min, row.individual_max),
        responsible_persons=fine_range(row.responsible_min, row.responsible_max),
        measures=frozenset(row.measures or ()),
        mandatory=row.mandatory,
        provision=row.provision.citation(PROVISION_APPLIES_TO) if row.provision_id else None,
    )


def statutory_penalty(row: ItemStagePenalty) -> StatutoryPenalty:
    """What a benchmark of this stage must stay within. A benchmark tier's "individual"
    fine is the fine on a natural person (party_type individual): the stage's own
    individual range, else the responsible persons' one. An empty measure list means the
    measures were not entered, so they are not checked (None)."""
    individual = fine_range(row.individual_min, row.individual_max) or fine_range(
        row.responsible_min, row.responsible_max)
    return StatutoryPenalty(
        unit=fine_range(row.unit_min, row.unit_max),
        individual=individual,
        measures=frozenset(row.measures) if row.measures else None,
    )


def tier_rule(row: BenchmarkTierRow) -> BenchmarkTier:
    return BenchmarkTier(
        tier=row.tier,
        fine_unit=fine_range(row.unit_min, row.unit_max),
        fine_individual=fine_range(row.individual_min, row.individual_max),
        measures=tuple(row.measures or ()),
        circumstances=row.circumstances,
    )


def ancestor_codes(jurisdiction: Jurisdiction | None) -> list[str]:
    """The codes from the jurisdiction up to the root, nearest first ("330402/…" path
    → ["330402", "330400", "330000"])."""
    if jurisdiction is None:
        return []
    return list(reversed([code for code in jurisdiction.path.split("/") if code]))


# --- item_rule --------------------------------------------------------------------------

def benchmark_in_force(
    item: EnforcementItem,
    *,
    jurisdiction: Jurisdiction | None,
    on: datetime.date,
    stage: str = Stage.FIRST,
) -> DiscretionBenchmark | None:
    """The benchmark of `item` and `stage` in force on `on` for the nearest jurisdiction
    up the tree that has one, else the national one (no jurisdiction). Where one
    jurisdiction has two in force on the same day (the service refuses that, the admin's
    raw data might not), the later `valid_from` wins."""
    codes = ancestor_codes(jurisdiction)
    candidates = list(
        DiscretionBenchmark.objects.filter(in_force_q(on), item=item, stage=stage)
        .filter(Q(jurisdiction__code__in=codes) | Q(jurisdiction__isnull=True))
        .select_related("jurisdiction").order_by("-valid_from", "-pk"))
    if not candidates:
        return None
    depth = {code: i for i, code in enumerate(codes)}

    def nearness(benchmark: DiscretionBenchmark) -> int:
        if benchmark.jurisdiction is None:
            return len(codes)  # national: after every local level
        return depth[benchmark.jurisdiction.code]

    return min(candidates, key=nearness)  # min is stable: latest valid_from among equals


def item_rule(
    item: EnforcementItem,
    *,
    jurisdiction: Jurisdiction | None,
    on: datetime.date,
    stage: str = Stage.FIRST,
) -> ItemRule:
    """The item as the engine sees it: provisions, statutory stages, and the tiers of
    the benchmark of `stage` (default the first finding) in force on `on` for the
    nearest jurisdiction up the tree that has one (`benchmark_in_force`). A benchmark
    subdivides one stage's statutory range, so ask for the stage being assessed."""
    provisions = Provision.objects.select_related("law").order_by("law__name", "article",
                                                                  "paragraph", "item")
    violated = tuple(p.citation(PROVISION_APPLIES_TO)
                     for p in provisions.filter(violated_by_items=item))
    penalty = tuple(p.citation(PROVISION_APPLIES_TO)
                    for p in provisions.filter(penalising_items=item))
    order = {value: i for i, value in enumerate(Stage.values)}
    rows = sorted(item.stage_penalties.select_related("provision__law"),
                  key=lambda row: order[row.stage])
    benchmark = benchmark_in_force(item, jurisdiction=jurisdiction, on=on, stage=stage)
    tiers: tuple[BenchmarkTier, ...] = ()
    benchmark_name = ""
    if benchmark is not None:
        tier_order = {tier: i for i, tier in enumerate(TierLevel.values)}  # 轻微 → 严重
        tiers = tuple(tier_rule(row) for row in sorted(benchmark.tiers.all(),
                                                       key=lambda r: tier_order[r.tier]))
        benchmark_name = f"{benchmark.name}（{benchmark.version}）"
    law_names = {c.law for c in penalty} or {row.provision.law.name for row in rows
                                             if row.provision is not None}
    law_versions = tuple(law.as_law_version() for law in Law.objects.filter(
        name__in=law_names).order_by("effective"))
    return ItemRule(
        code=item.code, name=item.name, kind=item.kind, violated=violated, penalty=penalty,
        stages=tuple(stage_penalty_rule(row) for row in rows), benchmark=tiers,
        benchmark_name=benchmark_name, valid_from=item.valid_from, valid_to=item.valid_to,
        law_versions=law_versions)


# --- item_lookup ------------------------------------------------------------------------

_CODE = re.compile(r"[A-Za-z][A-Za-z0-9]*(-[0-9A-Za-z]+)+")
_LAW_PREFIX = "中华人民共和国"
_VERSION = re.compile(r"[（(]\d{4}年?(修正|修订|版)?[）)]")
_ARTICLE_START = re.compile(r"第[零一二三四五六七八九十百千]+条")


def normalise_citation(text: str) -> str:
    """A comparable form of a citation: no spaces, no 《》, no 中华人民共和国, no version
    in brackets, arabic numbers in Chinese, 第（一）项 / 第(一)项 / 第1项 as 第一项.
    "《中华人民共和国安全生产法》(2021) 第97条第1项" → "安全生产法第九十七条第一项"."""
    key = re.sub(r"\s+", "", text)
    key = key.replace("《", "").replace("》", "").replace(_LAW_PREFIX, "")
    key = _VERSION.sub("", key)
    key = re.sub(r"\d{1,4}", lambda m: chinese_number(int(m.group())) if int(m.group())
                 else m.group(), key)
    return re.sub(r"[（(]([零一二三四五六七八九十百千]+)[）)]", r"\1", key)


def _label_variants(label: str) -> list[str]:
    """The normalised article part and the forms people write for the same provision:
    "第X条第一款第Y项" for "第X条第Y项" (an article of one paragraph) and back."""
    variants = [label]
    if re.search(r"条第一款第[零一二三四五六七八九十]+项$", label):
        variants.append(label.replace("条第一款第", "条第", 1))
    elif re.search(r"条第[零一二三四五六七八九十]+项$", label):
        variants.append(label.replace("条第", "条第一款第", 1))
    return variants


def _law_matches(law_part: str, provision: Provision) -> bool:
    names = {normalise_citation(provision.law.name)}
    if provision.law.short_name:
        names.add(normalise_citation(provision.law.short_name))
    return law_part in names


def item_lookup(
    code_or_citation: str, *, on: datetime.date | None = None,
) -> EnforcementItem | None:
    """The item named by its catalogue code (any case, spaces ignored) or by the
    citation of its penalty provision, e.g. "安全生产法 第九十七条第一项", "《中华人民共和国
    安全生产法》第97条第（一）项"; failing a penalty provision, by its violated
    provision. Where several items share the provision, the one in force on `on` (default
    any) with the lowest code. None when nothing matches."""
    text = (code_or_citation or "").strip()
    if not text:
        return None
    compact = re.sub(r"\s+", "", text)
    if _CODE.fullmatch(compact):
        found = EnforcementItem.objects.filter(code__iexact=compact).first()
        if found is not None:
            return found
    parts = citation_parts(text)
    if parts is None or not parts[0]:
        return None  # no law name or no article: not a citation we can resolve
    law_part, labels = parts
    provisions = [p for p in Provision.objects.select_related("law")
                  .filter(label__in=labels) if _law_matches(law_part, p)]
    if not provisions:
        return None
    items = EnforcementItem.objects.order_by("code")
    if on is not None:
        items = items.filter(in_force_q(on))
    for relation in ("penalty", "violated"):
        found = items.filter(**{f"{relation}__in": provisions}).distinct().first()
        if found is not None:
            return found
    return None


def citation_parts(text: str) -> tuple[str, list[str]] | None:
    """A citation split into its normalised law part ("" when it names no law) and the
    stored labels its article part may have ("第97条第1项" → ["第九十七条第（一）项",
    "第九十七条第一款第（一）项"]). None when the text names no article (no 第…条)."""
    key = normalise_citation(text or "")
    match = _ARTICLE_START.search(key)
    if match is None:
        return None
    law_part, article_part = key[:match.start()], key[match.start():]
    return law_part, _stored_labels({normalise_citation(v)
                                     for v in _label_variants(article_part)})


def _stored_labels(normalised: set[str]) -> list[str]:
    """Provision labels are stored with 第（一）项 brackets: the stored forms of the
    normalised article parts ("第九十七条第一项" → "第九十七条第（一）项")."""
    return [re.sub(r"第([零一二三四五六七八九十百千]+)项$", r"第（\1）项", label)
            for label in normalised]


# --- thresholds -------------------------------------------------------------------------

def legal_config_in_force(jurisdiction: Jurisdiction | None,
                          on: datetime.date) -> JurisdictionLegalConfig | None:
    """The configuration of the nearest jurisdiction up the tree that has one in force
    on `on` (a row is in force from its `valid_from` until the next row of the same
    jurisdiction starts)."""
    for code in ancestor_codes(jurisdiction):
        found = (JurisdictionLegalConfig.objects.filter(jurisdiction__code=code,
                                                        valid_from__lte=on)
                 .order_by("-valid_from").first())
        if found is not None:
            return found
    return None


def large_fine_threshold(jurisdiction: Jurisdiction | None,
                         on: datetime.date) -> LargeFineThreshold:
    """The 较大数额罚款 of 行政处罚法(2021) 第六十三条第一款第（一）项 for `jurisdiction` on
    `on`: the nearest configured one up the tree, else the national default of
    安全生产违法行为行政处罚办法 第三十三条 (`DEFAULT_LARGE_FINE_THRESHOLD`)."""
    config = legal_config_in_force(jurisdiction, on)
    if config is None:
        return DEFAULT_LARGE_FINE_THRESHOLD
    citation = Citation(law=config.source_law, version=config.source_version,
                        article=config.source_article, applies_to="threshold_used")
    return LargeFineThreshold(individual_min=config.large_fine_individual_min,
                              unit_min=config.large_fine_unit_min, citation=citation)


def items_in_force(on: datetime.date):
    """The catalogue as it stands on `on` (the `legal.items` indicator)."""
    return EnforcementItem.objects.filter(in_force_q(on))
