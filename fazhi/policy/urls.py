from django.urls import path  # noqa: F401

app_name = "policy"
urlpatterns: list = []

from fazhi.policy.urls_normdocs import urlpatterns_normdocs  # noqa: E402

urlpatterns += urlpatterns_normdocs

from fazhi.policy.urls_fcr import urlpatterns_fcr  # noqa: E402

urlpatterns += urlpatterns_fcr
