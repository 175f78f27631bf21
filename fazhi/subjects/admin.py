from django.contrib import admin

from fazhi.subjects import models


@admin.register(models.ChemicalPark)
class ChemicalParkAdmin(admin.ModelAdmin):
    list_display = ["name", "jurisdiction", "risk_level", "assessed_on"]
    list_filter = ["risk_level"]


@admin.register(models.Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ["name", "uscc", "jurisdiction", "supervision_category", "risk_level"]
    list_filter = ["supervision_category", "risk_level"]
    search_fields = ["name", "uscc"]
    raw_id_fields = ["jurisdiction", "park"]
