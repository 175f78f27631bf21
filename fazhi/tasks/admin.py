"""Administrators keep the owner units (责任单位) and plans here; every edit is recorded
(EventRecordingAdmin). Tasks are kept on the pages and through the import."""

from django.contrib import admin

from fazhi.core.admin_events import EventRecordingAdmin
from fazhi.tasks import models


@admin.register(models.OwnerUnit)
class OwnerUnitAdmin(EventRecordingAdmin):
    list_display = ["name", "kind", "jurisdiction", "agency", "department"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(models.ActionPlan)
class ActionPlanAdmin(EventRecordingAdmin):
    list_display = ["title", "category", "parent", "agency", "issued_on", "start_year",
                    "end_year"]
    list_filter = ["category"]
