"""Administrators keep the reference records of the capacity app here (the agencies'
coverage flag, legal units, advisers, outreach); every edit is recorded
(EventRecordingAdmin). People are kept on the pages (their ID numbers must not reach
the event record)."""

from django.contrib import admin

from fazhi.capacity import models
from fazhi.core.admin_events import EventRecordingAdmin


@admin.register(models.AgencyProfile)
class AgencyProfileAdmin(EventRecordingAdmin):
    list_display = ["agency", "lawyer_coverage_exempt", "note"]
    list_filter = ["lawyer_coverage_exempt"]


@admin.register(models.LegalUnit)
class LegalUnitAdmin(EventRecordingAdmin):
    list_display = ["agency", "name", "form", "established_on", "dissolved_on"]
    raw_id_fields = ["agency", "department"]


@admin.register(models.LegalAdviser)
class LegalAdviserAdmin(EventRecordingAdmin):
    list_display = ["agency", "name", "law_firm", "contract_start", "contract_end"]


class VisitInline(admin.TabularInline):
    model = models.BaseVisitCount
    extra = 0


@admin.register(models.OutreachBase)
class OutreachBaseAdmin(EventRecordingAdmin):
    list_display = ["name", "level", "jurisdiction", "opened_on", "closed_on"]
    list_filter = ["level"]
    inlines = [VisitInline]


class AwardInline(admin.TabularInline):
    model = models.WorkAward
    extra = 0


@admin.register(models.OutreachWork)
class OutreachWorkAdmin(EventRecordingAdmin):
    list_display = ["title", "kind", "agency", "published_on"]
    inlines = [AwardInline]


@admin.register(models.Campaign)
class CampaignAdmin(EventRecordingAdmin):
    list_display = ["title", "kind", "agency", "start", "end", "reach"]
    list_filter = ["kind"]


@admin.register(models.Exam)
class ExamAdmin(EventRecordingAdmin):
    list_display = ["title", "agency", "date", "pass_mark"]
