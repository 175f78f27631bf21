from django.apps import AppConfig


class LicensingConfig(AppConfig):
    name = "fazhi.licensing"
    label = "licensing"
    verbose_name = "行政许可与资格证书"
