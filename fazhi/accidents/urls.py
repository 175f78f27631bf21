from django.urls import path

from fazhi.accidents import views

app_name = "accidents"
urlpatterns = [
    path("", views.accident_list, name="accident_list"),
    path("new/", views.accident_create, name="accident_create"),
    path("stats/", views.accident_stats, name="accident_stats"),
    path("ledger.xlsx", views.accident_ledger_xlsx, name="accident_ledger_xlsx"),
    path("<int:pk>/", views.accident_detail, name="accident_detail"),
    # the forms of the accident page, one URL each (views.RECORDS)
    path("<int:pk>/records/<slug:what>/", views.accident_record, name="accident_record"),
]
