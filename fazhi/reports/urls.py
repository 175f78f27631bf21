from django.urls import path

from fazhi.reports import views
from fazhi.reports.views_dashboard import dashboard_view

app_name = "reports"

urlpatterns = [
    path("indicators/", views.indicator_list, name="indicator_list"),
    path("annual/", views.annual_report, name="annual_report"),
    path("annual/template/", views.annual_template_save, name="annual_template_save"),
    path("annual/download/<str:fmt>/", views.annual_report_download,
         name="annual_report_download"),
    path("dashboard/", dashboard_view, name="dashboard"),
]
