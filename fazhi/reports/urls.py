from django.urls import path

from fazhi.reports import views

app_name = "reports"

urlpatterns = [
    path("indicators/", views.indicator_list, name="indicator_list"),
]
