"""Admin of the legal knowledge base. Only administrators (role 管理员 or a superuser,
`services.can_write_legal`) may change anything here; others may look.

Edits of laws, provisions, items and their stage penalties, exemption entries and
configurations are recorded by `EventRecordingAdmin`. Benchmarks are saved through
`services.benchmark_save`, so a benchmark exceeding the statutory range is refused with
the Chinese reasons shown on the form, exactly as the service refuses it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from fazhi.core.admin_events import EventRecordingAdmin
from fazhi.legal import models
from fazhi.legal.catalogue import statutory_penalty, tier_rule
from fazhi.legal.rules.discretion import validate_benchmark
from fazhi.legal.services import benchmark_problems, benchmark_save, can_write_legal

# Chinese names of the spec's measure codes (rules.discretion.MEASURE_CODES).
MEASURE_CHOICES = [
    ("warning", _("警告")),
    ("fine", _("罚款")),
    ("confiscate_gains", _("没收违法所得")),
    ("confiscate_property", _("没收非法财物")),
    ("order_correct_within_deadline", _("责令限期改正")),
    ("suspend_business", _("责令停产停业（整顿）")),
    ("revoke_permit", _("暂扣或者吊销许可证件")),
    ("close", _("责令关闭")),
    ("restrict_practice", _("限制从业")),
]


class _MeasuresForm(forms.ModelForm):
    # The JSON list of measure codes as checkboxes with their Chinese names.
    measures = forms.MultipleChoiceField(label=_("处罚种类"), choices=MEASURE_CHOICES,
                                         required=False, widget=forms.CheckboxSelectMultiple)


class AdminOnly:
    """Writes only for administrators; the knowledge base is readable by staff."""

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return can_write_legal(request.user) and super().has_add_permission(request, *args)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can_write_legal(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can_write_legal(request.user) and super().has_delete_permission(request, obj)


# --- laws --------------------------------------------------------------------------------

class ProvisionInline(AdminOnly, admin.TabularInline):
    model = models.Provision
    extra = 0
    fields = ["article", "paragraph", "item", "label", "text", "effective", "repealed"]
    readonly_fields = ["label"]


@admin.register(models.Law)
class LawAdmin(AdminOnly, EventRecordingAdmin):
    list_display = ["name", "version", "level", "issuer", "effective", "repealed"]
    list_filter = ["level"]
    search_fields = ["name", "short_name", "document_number"]
    inlines = [ProvisionInline]


@admin.register(models.Provision)
class ProvisionAdmin(AdminOnly, EventRecordingAdmin):
    list_display = ["__str__", "law", "label"]
    list_filter = ["law__level"]
    search_fields = ["law__name", "law__short_name", "label", "text"]
    list_select_related = ["law"]
    readonly_fields = ["label"]


# --- items -------------------------------------------------------------------------------

class StagePenaltyForm(_MeasuresForm):
    class Meta:
        model = models.ItemStagePenalty
        fields = ["stage", "provision", "unit_min", "unit_max", "individual_min",
                  "individual_max", "responsible_min", "responsible_max", "measures",
                  "mandatory", "confiscation_multiple_min", "confiscation_multiple_max",
                  "gains_threshold", "daily_penalty"]


class StagePenaltyFormSet(forms.BaseInlineFormSet):
    """A statute narrowed under existing benchmarks would leave them out of range: refuse
    it here as `services.item_stage_penalty_set` does."""

    def clean(self) -> None:
        super().clean()
        if any(self.errors) or self.instance.pk is None:
            return
        reasons: list[str] = []
        for form in self.forms:
            if not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            row = form.instance  # already holds the cleaned values
            for benchmark in self.instance.benchmarks.filter(stage=row.stage):
                check = validate_benchmark(statutory_penalty(row),
                                           [tier_rule(t) for t in benchmark.tiers.all()])
                reasons += [f"{benchmark}：{reason}" for reason in check.reasons]
        if reasons:
            raise ValidationError(reasons)


class StagePenaltyInline(AdminOnly, admin.StackedInline):
    model = models.ItemStagePenalty
    form = StagePenaltyForm
    formset = StagePenaltyFormSet
    extra = 0
    autocomplete_fields = ["provision"]


@admin.register(models.EnforcementItem)
class EnforcementItemAdmin(AdminOnly, EventRecordingAdmin):
    list_display = ["code", "name", "kind", "dual_penalty", "valid_from", "valid_to"]
    list_filter = ["kind", "dual_penalty", "agency_level"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["violated", "penalty"]
    inlines = [StagePenaltyInline]


# --- benchmarks --------------------------------------------------------------------------

class TierRowForm(_MeasuresForm):
    class Meta:
        model = models.BenchmarkTierRow
        fields = ["tier", "circumstances", "unit_min", "unit_max", "individual_min",
                  "individual_max", "measures"]


class TierFormSet(forms.BaseInlineFormSet):
    """Validates the tiers together with the benchmark's own fields through
    `services.benchmark_problems`, so the reasons appear on the form before anything is
    saved (the parent form has been cleaned first: `self.instance` holds its values)."""

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        benchmark = self.instance
        if not benchmark.item_id or not benchmark.valid_from:
            return  # the parent form reports its own missing fields
        self.tiers = [
            {key: form.cleaned_data.get(key) for key in TierRowForm.Meta.fields}
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        reasons = benchmark_problems(
            item=benchmark.item, tiers=self.tiers, stage=benchmark.stage,
            jurisdiction=benchmark.jurisdiction, valid_from=benchmark.valid_from,
            valid_to=benchmark.valid_to, exclude=benchmark if benchmark.pk else None)
        if reasons:
            raise ValidationError(reasons)


class TierInline(AdminOnly, admin.TabularInline):
    model = models.BenchmarkTierRow
    form = TierRowForm
    formset = TierFormSet
    extra = 4
    max_num = 4


@admin.register(models.DiscretionBenchmark)
class DiscretionBenchmarkAdmin(AdminOnly, EventRecordingAdmin):
    """Saved through `services.benchmark_save` (which writes the event), not by the
    ModelAdmin: the benchmark and its tiers are one write. Deletion is recorded by
    EventRecordingAdmin."""

    list_display = ["name", "item", "stage", "jurisdiction", "version", "valid_from",
                    "valid_to", "is_local"]
    list_filter = ["is_local", "stage"]
    search_fields = ["name", "item__code", "item__name", "source_document"]
    autocomplete_fields = ["item"]
    list_select_related = ["item", "jurisdiction"]
    inlines = [TierInline]

    def save_model(self, request, obj, form, change) -> None:
        pass  # saved with its tiers in save_related

    def save_related(self, request, form, formsets, change) -> None:
        for formset in formsets:
            # The tiers are saved by the service; the admin's change message reads these.
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        tiers_formset = next(f for f in formsets if isinstance(f, TierFormSet))
        obj = form.instance
        data = form.cleaned_data
        saved = benchmark_save(
            actor=request.user, item=data["item"], tiers=tiers_formset.tiers,
            name=data["name"], version=data["version"], valid_from=data["valid_from"],
            stage=data["stage"], jurisdiction=data.get("jurisdiction"),
            source_document=data.get("source_document") or "",
            valid_to=data.get("valid_to"), is_local=data.get("is_local", False),
            benchmark=obj if change else None)
        # The admin redirects to and logs `obj`: give it the saved row's identity.
        obj.pk = saved.pk
        obj._state.adding = False


# --- exemptions and configuration --------------------------------------------------------

@admin.register(models.ExemptionEntry)
class ExemptionEntryAdmin(AdminOnly, EventRecordingAdmin):
    list_display = ["item", "kind", "jurisdiction", "source_document", "valid_from",
                    "valid_to"]
    list_filter = ["kind"]
    search_fields = ["item__code", "item__name", "conditions", "source_document"]
    autocomplete_fields = ["item"]
    list_select_related = ["item", "jurisdiction"]


@admin.register(models.JurisdictionLegalConfig)
class JurisdictionLegalConfigAdmin(AdminOnly, EventRecordingAdmin):
    list_display = ["jurisdiction", "large_fine_individual_min", "large_fine_unit_min",
                    "valid_from", "source_law"]
    list_select_related = ["jurisdiction"]
