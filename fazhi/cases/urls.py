from django.urls import path

from fazhi.cases import views, views_ledger, views_records

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("ledger.xlsx", views_ledger.case_ledger_xlsx, name="case_ledger_xlsx"),
    path("<int:pk>/", views.case_detail, name="case_detail"),
    path("<int:pk>/transition/", views.case_transition, name="case_transition"),
    path("<int:pk>/details/", views.case_details, name="case_details"),
    path("<int:pk>/parties/", views.party_add, name="party_add"),
    path("<int:pk>/evidence/", views.evidence_add, name="evidence_add"),
    path("<int:pk>/report/", views.report_save, name="report_save"),
    # the records of the later stages, one URL each (views_records.RECORDS)
    path("<int:pk>/records/<slug:what>/", views_records.case_record, name="case_record"),
    path("<int:pk>/documents/<slug:kind>/", views.case_document, name="case_document"),
]
