"""The legal knowledge base: laws (one row per version) and their provisions, the
enforcement-item catalogue (执法事项) with the statutory penalty of each stage, the
discretion benchmarks (裁量基准) and their tiers, the exemption list (不罚清单) and the
per-jurisdiction legal configuration (较大数额罚款 thresholds).

Date conventions:
- Law / Provision: `effective` is the first day in force, `repealed` the first day no
  longer in force (as `rules.citations.LawVersion`); a provision's own dates default to
  its law's.
- Items, benchmarks, exemption entries: `valid_from` / `valid_to` are the first and the
  LAST day in force (inclusive, as on a published list: 有效期至2025年12月31日); an empty
  `valid_to` means open-ended.

Money is Decimal yuan (max_digits=14, decimal_places=2); a fine range is a min/max pair,
both empty when the stage or tier imposes no fine on that party. The pure rules never
see these models: `fazhi.legal.catalogue.item_rule` turns them into `ItemRule`s.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from fazhi.core.models import Jurisdiction, yuan_field
from fazhi.legal.rules.citations import Citation, LawVersion
from fazhi.legal.rules.discretion import MEASURE_CODES

_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 15 → 十五, 97 → 九十七, 101 → 一百零一, 110 → 一百一十, 114 →
    一百一十四 (the way article numbers are written in Chinese statutes; up to 9999)."""
    if not 0 < n < 10000:
        raise ValueError(f"条款项序号应在1至9999之间，收到{n}")
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n % 10] if n % 10 else "")
    out = ""
    zero = False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = (n // value) % 10
        if digit:
            if zero and out:
                out += "零"
            out += _DIGITS[digit] + unit
            zero = False
        elif out:
            zero = True
    return out


def provision_label(article: int, paragraph: int | None = None, item: int | None = None) -> str:
    """第九十七条 / 第九十四条第一款 / 第九十七条第（一）项 / 第六十三条第一款第（一）项."""
    label = f"第{chinese_number(article)}条"
    if paragraph:
        label += f"第{chinese_number(paragraph)}款"
    if item:
        label += f"第（{chinese_number(item)}）项"
    return label


def _range_constraints(prefix: str, name: str) -> list[models.CheckConstraint]:
    """Both ends of a fine range set or both empty; 0 <= min <= max."""
    low, high = f"{prefix}_min", f"{prefix}_max"
    return [
        models.CheckConstraint(
            name=f"{name}_{prefix}_both_or_none",
            condition=(Q(**{f"{low}__isnull": True}, **{f"{high}__isnull": True})
                       | Q(**{f"{low}__isnull": False}, **{f"{high}__isnull": False})),
        ),
        models.CheckConstraint(
            name=f"{name}_{prefix}_min_le_max",
            condition=Q(**{f"{low}__isnull": True}) | Q(**{f"{low}__lte": F(high)}),
        ),
        models.CheckConstraint(
            name=f"{name}_{prefix}_min_nonneg",
            condition=Q(**{f"{low}__isnull": True}) | Q(**{f"{low}__gte": 0}),
        ),
    ]


def _clean_range(obj: models.Model, prefix: str, label: str, errors: dict[str, str]) -> None:
    low, high = getattr(obj, f"{prefix}_min"), getattr(obj, f"{prefix}_max")
    if (low is None) != (high is None):
        errors[f"{prefix}_max" if high is None else f"{prefix}_min"] = str(
            _("%(label)s罚款的下限和上限应当同时填写或者同时不填") % {"label": label})
    elif low is not None and high is not None:
        if low < 0:
            errors[f"{prefix}_min"] = str(_("%(label)s罚款下限不能为负数") % {"label": label})
        elif low > high:
            errors[f"{prefix}_min"] = str(
                _("%(label)s罚款下限（%(low)s元）不能高于上限（%(high)s元）")
                % {"label": label, "low": low, "high": high})


def _clean_measures(value: object, errors: dict[str, str]) -> None:
    if not isinstance(value, list) or not all(isinstance(m, str) for m in value):
        errors["measures"] = str(_("处罚种类应为代码列表"))
        return
    unknown = sorted(set(value) - MEASURE_CODES)
    if unknown:
        errors["measures"] = str(_("未知的处罚种类代码：%(codes)s；可用代码：%(known)s")
                                 % {"codes": "、".join(unknown),
                                    "known": "、".join(sorted(MEASURE_CODES))})


def _clean_validity(obj: models.Model, errors: dict[str, str]) -> None:
    if obj.valid_from and obj.valid_to and obj.valid_to < obj.valid_from:
        errors["valid_to"] = str(_("有效期止不能早于有效期起"))


def in_force_q(on: datetime.date, prefix: str = "") -> Q:
    """Rows whose inclusive validity [valid_from, valid_to] contains `on`."""
    return (Q(**{f"{prefix}valid_from__lte": on})
            & (Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": on})))


# --- laws and provisions ----------------------------------------------------------------

class Law(models.Model):
    """One version of a law, regulation, rule or normative document (e.g. 中华人民共和国
    安全生产法, version "2021": the 2021 amendment, in force 2021-09-01). A new amendment
    is a new row with the same name; the older row gets its `repealed` date."""

    class Level(models.TextChoices):
        LAW = "law", _("法律")
        ADMINISTRATIVE_REGULATION = "administrative_regulation", _("行政法规")
        DEPARTMENT_RULE = "department_rule", _("部门规章")
        LOCAL_REGULATION = "local_regulation", _("地方性法规")
        LOCAL_RULE = "local_rule", _("地方政府规章")
        NORMATIVE_DOCUMENT = "normative_document", _("规范性文件")

    name = models.CharField(_("名称"), max_length=200)
    short_name = models.CharField(_("简称"), max_length=100, blank=True,
                                  help_text=_("如“安全生产法”，用于按引用查找"))
    level = models.CharField(_("效力层级"), max_length=30, choices=Level.choices)
    issuer = models.CharField(_("制定机关"), max_length=200, blank=True)
    document_number = models.CharField(_("文号"), max_length=100, blank=True,
                                       help_text=_("如 主席令第八十八号"))
    version = models.CharField(_("版本"), max_length=20,
                               help_text=_("该文本修订或公布的年份，如 2021"))
    promulgated = models.DateField(_("公布日期"), null=True, blank=True)
    effective = models.DateField(_("施行日期"))
    repealed = models.DateField(_("失效日期"), null=True, blank=True,
                                help_text=_("不再适用的第一天（被修订或废止之日）"))

    class Meta:
        verbose_name = _("法律法规")
        verbose_name_plural = _("法律法规")
        ordering = ["name", "-effective"]
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="law_unique_version"),
            models.CheckConstraint(
                name="law_repealed_after_effective",
                condition=Q(repealed__isnull=True) | Q(repealed__gt=F("effective"))),
            models.CheckConstraint(
                name="law_promulgated_not_after_effective",
                condition=Q(promulgated__isnull=True) | Q(promulgated__lte=F("effective"))),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.version}）"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.effective and self.repealed and self.repealed <= self.effective:
            errors["repealed"] = str(_("失效日期应当晚于施行日期"))
        if self.effective and self.promulgated and self.promulgated > self.effective:
            errors["promulgated"] = str(_("公布日期不能晚于施行日期"))
        if errors:
            raise ValidationError(errors)

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def in_force_on(self, day: datetime.date) -> bool:
        return self.effective <= day and (self.repealed is None or day < self.repealed)

    def as_law_version(self) -> LawVersion:
        return LawVersion(key=self.short_name or self.name, name=self.name,
                          version=self.version, effective=self.effective,
                          repealed=self.repealed)


class Provision(models.Model):
    """An article (条), paragraph (款) or item (项) of one law version, with its text."""

    law = models.ForeignKey(Law, verbose_name=_("法律法规（版本）"), on_delete=models.PROTECT,
                            related_name="provisions")
    article = models.PositiveSmallIntegerField(_("条"))
    paragraph = models.PositiveSmallIntegerField(_("款"), null=True, blank=True)
    item = models.PositiveSmallIntegerField(_("项"), null=True, blank=True)
    label = models.CharField(_("条款项"), max_length=60, editable=False,
                             help_text=_("如 第九十七条第一款第（一）项，由条款项序号生成"))
    text = models.TextField(_("条文"), blank=True)
    effective = models.DateField(_("施行日期"), null=True, blank=True,
                                 help_text=_("不填则与所属法律法规版本相同"))
    repealed = models.DateField(_("失效日期"), null=True, blank=True,
                                help_text=_("不填则与所属法律法规版本相同"))

    class Meta:
        verbose_name = _("条款")
        verbose_name_plural = _("条款")
        ordering = ["law", "article", "paragraph", "item"]
        constraints = [
            # The label is derived from the numbers, so this is unique (article,
            # paragraph, item) per law version with "none" counted as a value.
            models.UniqueConstraint(fields=["law", "label"], name="provision_unique_label"),
            models.CheckConstraint(name="provision_article_positive", condition=Q(article__gte=1)),
            models.CheckConstraint(
                name="provision_paragraph_positive",
                condition=Q(paragraph__isnull=True) | Q(paragraph__gte=1)),
            models.CheckConstraint(
                name="provision_item_positive", condition=Q(item__isnull=True) | Q(item__gte=1)),
            models.CheckConstraint(
                name="provision_repealed_after_effective",
                condition=(Q(repealed__isnull=True) | Q(effective__isnull=True)
                           | Q(repealed__gt=F("effective")))),
        ]

    def __str__(self) -> str:
        return f"{self.law.display_name} {self.label}" if self.law_id else self.label

    def save(self, *args, **kwargs) -> None:
        self.label = provision_label(self.article, self.paragraph, self.item)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        for field in ("article", "paragraph", "item"):
            value = getattr(self, field)
            if value is not None and not 0 < value < 10000:
                errors[field] = str(_("序号应在1至9999之间"))
        if self.effective and self.repealed and self.repealed <= self.effective:
            errors["repealed"] = str(_("失效日期应当晚于施行日期"))
        if errors:
            raise ValidationError(errors)
        if self.article:
            # Before the constraints are checked: (law, label) is the unique key.
            self.label = provision_label(self.article, self.paragraph, self.item)

    @property
    def effective_from(self) -> datetime.date:
        return self.effective or self.law.effective

    @property
    def effective_until(self) -> datetime.date | None:
        """The first day no longer in force (None: still in force)."""
        return self.repealed or self.law.repealed

    def in_force_on(self, day: datetime.date) -> bool:
        until = self.effective_until
        return self.effective_from <= day and (until is None or day < until)

    def citation(self, applies_to: str) -> Citation:
        return Citation(law=self.law.name, version=self.law.version, article=self.label,
                        applies_to=applies_to)


# --- the enforcement-item catalogue -----------------------------------------------------

class EnforcementItem(models.Model):
    """An enforcement item (执法事项) of the bureau's catalogue: what is violated, what
    punishes it, whom it can punish, and (in `stage_penalties`) the statutory penalty of
    each stage."""

    class Kind(models.TextChoices):
        # Values are the Chinese names: `ItemRule.kind` carries them as they are.
        PENALTY = "行政处罚", _("行政处罚")
        INSPECTION = "行政检查", _("行政检查")
        COERCION = "行政强制", _("行政强制")
        LICENSING = "行政许可", _("行政许可")
        CONFIRMATION = "行政确认", _("行政确认")
        REWARD = "行政奖励", _("行政奖励")
        ADJUDICATION = "行政裁决", _("行政裁决")
        OTHER = "其他行政权力", _("其他行政权力")

    code = models.CharField(_("事项编码"), max_length=40, unique=True)
    name = models.CharField(_("事项名称"), max_length=500)
    kind = models.CharField(_("事项类型"), max_length=20, choices=Kind.choices,
                            default=Kind.PENALTY)
    violated = models.ManyToManyField(Provision, verbose_name=_("违法依据"), blank=True,
                                      related_name="violated_by_items")
    penalty = models.ManyToManyField(Provision, verbose_name=_("处罚依据"), blank=True,
                                     related_name="penalising_items")
    party_unit = models.BooleanField(_("可处罚单位"), default=True)
    party_principal = models.BooleanField(_("可处罚主要负责人"), default=False)
    party_responsible_persons = models.BooleanField(
        _("可处罚直接负责的主管人员和其他直接责任人员"), default=False)
    dual_penalty = models.BooleanField(_("一案双罚"), default=False)
    agency_level = models.CharField(
        _("行使层级"), max_length=10, choices=Jurisdiction.Level.choices, blank=True,
        help_text=_("由哪一级执法机关行使；不填为各级均可"))
    valid_from = models.DateField(_("有效期起"))
    valid_to = models.DateField(_("有效期止"), null=True, blank=True,
                                help_text=_("最后一天有效的日期；不填为长期有效"))

    class Meta:
        verbose_name = _("执法事项")
        verbose_name_plural = _("执法事项")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                name="item_valid_range",
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from"))),
            # 一案双罚 fines the unit and natural persons in the same case.
            models.CheckConstraint(
                name="item_dual_penalty_parties",
                condition=Q(dual_penalty=False) | (
                    Q(party_unit=True)
                    & (Q(party_principal=True) | Q(party_responsible_persons=True)))),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        _clean_validity(self, errors)
        if self.dual_penalty and not (self.party_unit and (
                self.party_principal or self.party_responsible_persons)):
            errors["dual_penalty"] = str(_("一案双罚的事项应当同时可处罚单位和个人"))
        if not (self.party_unit or self.party_principal or self.party_responsible_persons):
            errors["party_unit"] = str(_("至少应当列明一类可处罚的当事人"))
        if errors:
            raise ValidationError(errors)

    def in_force_on(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class Stage(models.TextChoices):
    FIRST = "first", _("首次发现")
    OVERDUE = "overdue", _("逾期未改正")
    ACCIDENT = "accident", _("导致事故")


class ItemStagePenalty(models.Model):
    """The statutory penalty of one stage of an item (e.g. 安全生产法 第九十七条: at first
    finding 处十万元以下的罚款; 逾期未改正 十万元以上二十万元以下 for the unit and
    二万元以上五万元以下 for the responsible persons)."""

    item = models.ForeignKey(EnforcementItem, verbose_name=_("执法事项"),
                             on_delete=models.CASCADE, related_name="stage_penalties")
    stage = models.CharField(_("阶段"), max_length=10, choices=Stage.choices)
    unit_min = yuan_field(_("单位罚款下限（元）"), null=True, blank=True)
    unit_max = yuan_field(_("单位罚款上限（元）"), null=True, blank=True)
    individual_min = yuan_field(_("个人罚款下限（元）"), null=True, blank=True)
    individual_max = yuan_field(_("个人罚款上限（元）"), null=True, blank=True)
    responsible_min = yuan_field(_("责任人员罚款下限（元）"), null=True, blank=True)
    responsible_max = yuan_field(_("责任人员罚款上限（元）"), null=True, blank=True)
    measures = models.JSONField(_("处罚种类"), default=list, blank=True,
                                help_text=_("代码列表，如 [\"order_correct_within_deadline\", "
                                            "\"fine\"]"))
    mandatory = models.BooleanField(_("应当处罚"), default=True,
                                    help_text=_("“处”为是，“可以处”为否"))
    # 倍数罚: e.g. 安全生产法 第九十二条第二款 没收违法所得，违法所得十万元以上的，并处违法
    # 所得二倍以上五倍以下的罚款.
    confiscation_multiple_min = models.DecimalField(
        _("违法所得倍数下限"), max_digits=6, decimal_places=2, null=True, blank=True)
    confiscation_multiple_max = models.DecimalField(
        _("违法所得倍数上限"), max_digits=6, decimal_places=2, null=True, blank=True)
    gains_threshold = yuan_field(_("按倍数处罚的违法所得起点（元）"), null=True, blank=True)
    daily_penalty = models.BooleanField(_("可按日连续处罚"), default=False)
    provision = models.ForeignKey(Provision, verbose_name=_("处罚条款"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="stage_penalties")

    class Meta:
        verbose_name = _("分阶段法定处罚")
        verbose_name_plural = _("分阶段法定处罚")
        ordering = ["item", "stage"]
        constraints = [
            models.UniqueConstraint(fields=["item", "stage"], name="stage_penalty_unique_stage"),
            *_range_constraints("unit", "stage_penalty"),
            *_range_constraints("individual", "stage_penalty"),
            *_range_constraints("responsible", "stage_penalty"),
            *_range_constraints("confiscation_multiple", "stage_penalty"),
        ]

    def __str__(self) -> str:
        return f"{self.item.code} {self.get_stage_display()}" if self.item_id else self.stage

    def clean(self) -> None:
        errors: dict[str, str] = {}
        _clean_range(self, "unit", str(_("单位")), errors)
        _clean_range(self, "individual", str(_("个人")), errors)
        _clean_range(self, "responsible", str(_("责任人员")), errors)
        _clean_range(self, "confiscation_multiple", str(_("违法所得倍数")), errors)
        _clean_measures(self.measures, errors)
        if errors:
            raise ValidationError(errors)


# --- discretion benchmarks --------------------------------------------------------------

class TierLevel(models.TextChoices):
    MINOR = "minor", _("轻微")
    GENERAL = "general", _("一般")
    SERIOUS = "serious", _("较重")
    SEVERE = "severe", _("严重")


class DiscretionBenchmark(models.Model):
    """A discretion benchmark (自由裁量基准) of one item and stage, published for a
    jurisdiction (empty: the national benchmark), in one version with its validity. It
    can only subdivide the statutory range: `services.benchmark_save` refuses more."""

    item = models.ForeignKey(EnforcementItem, verbose_name=_("执法事项"),
                             on_delete=models.CASCADE, related_name="benchmarks")
    stage = models.CharField(_("阶段"), max_length=10, choices=Stage.choices,
                             default=Stage.FIRST)
    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("适用区域"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="discretion_benchmarks",
        help_text=_("不填为全国"))
    name = models.CharField(_("基准名称"), max_length=200)
    source_document = models.CharField(_("制定依据文件"), max_length=300, blank=True)
    version = models.CharField(_("版本"), max_length=30)
    valid_from = models.DateField(_("有效期起"))
    valid_to = models.DateField(_("有效期止"), null=True, blank=True,
                                help_text=_("最后一天有效的日期；不填为长期有效"))
    is_local = models.BooleanField(
        _("地方性法规基准"), default=False,
        help_text=_("依地方性法规制定，如《嘉兴市危险化学品安全管理条例》"))

    class Meta:
        verbose_name = _("自由裁量基准")
        verbose_name_plural = _("自由裁量基准")
        ordering = ["item", "stage", "jurisdiction", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["item", "stage", "jurisdiction", "version"],
                                    name="benchmark_unique_version"),
            models.UniqueConstraint(fields=["item", "stage", "version"],
                                    condition=Q(jurisdiction__isnull=True),
                                    name="benchmark_unique_national_version"),
            models.CheckConstraint(
                name="benchmark_valid_range",
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from"))),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.version}）"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        _clean_validity(self, errors)
        if errors:
            raise ValidationError(errors)


class BenchmarkTierRow(models.Model):
    """One tier (裁量阶次) of a benchmark: its circumstances (情形), fine ranges and
    other measures."""

    benchmark = models.ForeignKey(DiscretionBenchmark, verbose_name=_("裁量基准"),
                                  on_delete=models.CASCADE, related_name="tiers")
    tier = models.CharField(_("裁量阶次"), max_length=10, choices=TierLevel.choices)
    circumstances = models.TextField(_("适用情形"), blank=True)
    unit_min = yuan_field(_("单位罚款下限（元）"), null=True, blank=True)
    unit_max = yuan_field(_("单位罚款上限（元）"), null=True, blank=True)
    individual_min = yuan_field(_("个人罚款下限（元）"), null=True, blank=True)
    individual_max = yuan_field(_("个人罚款上限（元）"), null=True, blank=True)
    measures = models.JSONField(_("其他处罚种类"), default=list, blank=True)

    class Meta:
        verbose_name = _("裁量阶次")
        verbose_name_plural = _("裁量阶次")
        ordering = ["benchmark", "id"]
        constraints = [
            models.UniqueConstraint(fields=["benchmark", "tier"], name="tier_unique_per_benchmark"),
            *_range_constraints("unit", "tier"),
            *_range_constraints("individual", "tier"),
        ]

    def __str__(self) -> str:
        return self.get_tier_display()

    def clean(self) -> None:
        errors: dict[str, str] = {}
        _clean_range(self, "unit", str(_("单位")), errors)
        _clean_range(self, "individual", str(_("个人")), errors)
        _clean_measures(self.measures, errors)
        if errors:
            raise ValidationError(errors)


# --- exemption list ---------------------------------------------------------------------

class ExemptionEntry(models.Model):
    """An entry of the exemption list (不予处罚清单 / 首违不罚清单) for an item."""

    class Kind(models.TextChoices):
        # 行政处罚法(2021) 第三十三条第一款前段 / 后段, 第二款.
        MANDATORY = "mandatory", _("不予处罚（违法行为轻微并及时改正，没有造成危害后果）")
        FIRST_VIOLATION = "first_violation", _("首违不罚（初次违法且危害后果轻微并及时改正）")
        NO_FAULT = "no_fault", _("无主观过错不予处罚")

    item = models.ForeignKey(EnforcementItem, verbose_name=_("执法事项"),
                             on_delete=models.CASCADE, related_name="exemptions")
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("适用区域"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="exemption_entries", help_text=_("不填为全国"))
    conditions = models.TextField(_("适用条件"))
    guidance_measures = models.TextField(_("配套措施"), blank=True,
                                         help_text=_("如 批评教育、指导改正、责令限期改正"))
    source_document = models.CharField(_("清单文件"), max_length=300, blank=True)
    valid_from = models.DateField(_("有效期起"))
    valid_to = models.DateField(_("有效期止"), null=True, blank=True)

    class Meta:
        verbose_name = _("不罚清单事项")
        verbose_name_plural = _("不罚清单")
        ordering = ["item", "kind", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                name="exemption_valid_range",
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from"))),
        ]

    def __str__(self) -> str:
        return f"{self.item.code} {self.get_kind_display()}" if self.item_id else self.kind

    def clean(self) -> None:
        errors: dict[str, str] = {}
        _clean_validity(self, errors)
        if not (self.conditions or "").strip():
            errors["conditions"] = str(_("请填写适用条件"))
        if errors:
            raise ValidationError(errors)


# --- per-jurisdiction configuration -----------------------------------------------------

class JurisdictionLegalConfig(models.Model):
    """What a province (or a city, where it is delegated) sets itself: the 较大数额罚款
    of 行政处罚法 第六十三条 (hearing rights). In force from `valid_from` until the next
    row of the same jurisdiction; where no jurisdiction up the tree has one, the national
    default applies (`rules.procedure.DEFAULT_LARGE_FINE_THRESHOLD`)."""

    jurisdiction = models.ForeignKey(Jurisdiction, verbose_name=_("区域"),
                                     on_delete=models.PROTECT, related_name="legal_configs")
    large_fine_individual_min = models.DecimalField(
        _("较大数额罚款（个人，元）"), max_digits=14, decimal_places=2)
    large_fine_unit_min = models.DecimalField(
        _("较大数额罚款（单位，元）"), max_digits=14, decimal_places=2)
    valid_from = models.DateField(_("施行日期"))
    source_law = models.CharField(_("依据名称"), max_length=200)
    source_version = models.CharField(_("依据版本"), max_length=20, blank=True)
    source_article = models.CharField(_("依据条款"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("区域法制配置")
        verbose_name_plural = _("区域法制配置")
        ordering = ["jurisdiction", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "valid_from"],
                                    name="legal_config_unique_start"),
            models.CheckConstraint(name="legal_config_individual_positive",
                                   condition=Q(large_fine_individual_min__gt=0)),
            models.CheckConstraint(name="legal_config_unit_positive",
                                   condition=Q(large_fine_unit_min__gt=0)),
        ]

    def __str__(self) -> str:
        return f"{self.jurisdiction} {self.valid_from}" if self.jurisdiction_id else str(
            self.valid_from)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        for field in ("large_fine_individual_min", "large_fine_unit_min"):
            value = getattr(self, field)
            if value is not None and value <= Decimal(0):
                errors[field] = str(_("较大数额罚款标准应为正数"))
        if errors:
            raise ValidationError(errors)
