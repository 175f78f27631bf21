from django.urls import path

from fazhi.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("<int:pk>/", views.case_detail, name="case_detail"),
    path("<int:pk>/transition/", views.case_transition, name="case_transition"),
    path("<int:pk>/details/", views.case_details, name="case_details"),
    path("<int:pk>/parties/", views.party_add, name="party_add"),
    path("<int:pk>/evidence/", views.evidence_add, name="evidence_add"),
    path("<int:pk>/report/", views.report_save, name="report_save"),
]
