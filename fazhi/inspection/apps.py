from django.apps import AppConfig


class InspectionConfig(AppConfig):
    name = "fazhi.inspection"
    label = "inspection"
    verbose_name = "执法检查"
