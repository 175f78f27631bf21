from django.contrib import admin
from django.urls import include, path

from fazhi.api import api
from fazhi.core.views import favicon, healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("enterprises/", include("fazhi.subjects.urls")),
    path("legal/", include("fazhi.legal.urls")),
    path("cases/", include("fazhi.cases.urls")),
    path("inspection/", include("fazhi.inspection.urls")),
    path("accidents/", include("fazhi.accidents.urls")),
    path("reports/", include("fazhi.reports.urls")),
    path("", include("fazhi.core.urls")),
]
