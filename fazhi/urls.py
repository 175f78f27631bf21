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
    path("licensing/", include("fazhi.licensing.urls")),
    path("policy/", include("fazhi.policy.urls")),
    path("capacity/", include("fazhi.capacity.urls")),
    path("tasks/", include("fazhi.tasks.urls")),
    path("oversight/", include("fazhi.oversight.urls")),
    path("public/", include("fazhi.oversight.urls_public")),
    path("reports/", include("fazhi.reports.urls")),
    path("", include("fazhi.core.urls")),
]
