from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "fazhi.oversight"
    label = "oversight"
    verbose_name = "政务公开与执法监督"
