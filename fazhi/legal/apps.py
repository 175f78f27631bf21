from django.apps import AppConfig


class LegalConfig(AppConfig):
    name = "fazhi.legal"
    label = "legal"
    verbose_name = "法律知识库"
