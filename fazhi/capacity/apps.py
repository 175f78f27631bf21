from django.apps import AppConfig


class CapacityConfig(AppConfig):
    name = "fazhi.capacity"
    label = "capacity"
    verbose_name = "法治能力建设"
