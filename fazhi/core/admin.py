from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from fazhi.core import models


@admin.register(models.Jurisdiction)
class JurisdictionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]


class DepartmentInline(admin.TabularInline):
    model = models.Department
    extra = 0


@admin.register(models.Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "jurisdiction", "doc_prefix", "delegated"]
    list_filter = ["kind"]
    search_fields = ["name"]
    inlines = [DepartmentInline]


class CertificateInline(admin.TabularInline):
    model = models.EnforcementCertificate
    fk_name = "holder"
    extra = 0


@admin.register(models.User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "full_name", "role", "agency", "is_active"]
    list_filter = ["role", "agency"]
    search_fields = ["username", "full_name"]
    autocomplete_fields = ["enterprise"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (_("平台身份"), {"fields": ["role", "full_name", "phone", "agency", "department",
                                    "enterprise", "supervised_jurisdiction"]}),
    ]
    add_fieldsets = [
        *DjangoUserAdmin.add_fieldsets,
        (_("平台身份"), {"fields": ["role", "full_name", "agency", "department", "enterprise",
                                    "supervised_jurisdiction"]}),
    ]
    inlines = [CertificateInline]


@admin.register(models.Event)
class EventAdmin(admin.ModelAdmin):
    """Read-only: the event record is append-only."""

    list_display = ["seq", "at", "actor_name", "object_type", "object_id", "action"]
    list_filter = ["object_type", "action"]
    search_fields = ["object_id", "actor_name"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
