from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "fazhi.policy"
    label = "policy"
    verbose_name = "规范性文件与重大行政决策"
