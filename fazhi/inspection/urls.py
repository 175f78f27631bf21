from django.urls import path

from fazhi.inspection import views, views_documents, views_ledger

app_name = "inspection"
urlpatterns = [
    path("", views.inspection_list, name="inspection_list"),
    path("new/", views.inspection_create, name="inspection_create"),
    path("enterprises/search/", views.enterprise_search, name="enterprise_search"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection_detail"),
    path("inspections/<int:pk>/edit/", views.inspection_edit, name="inspection_edit"),
    path("inspections/<int:pk>/results/", views.results_record, name="results_record"),
    path("inspections/<int:pk>/findings/", views.finding_create, name="finding_create"),
    path("inspections/<int:pk>/finish/", views.inspection_finish, name="inspection_finish"),
    path("inspections/<int:pk>/record.docx", views_documents.inspection_record_docx,
         name="inspection_record_docx"),
    path("findings/<int:pk>/evidence/", views.evidence_upload, name="evidence_upload"),
    path("findings/<int:pk>/hazard/", views.hazard_create, name="hazard_create"),
    path("findings/<int:pk>/case/", views.case_lead_create, name="case_lead_create"),
    path("evidence/<int:pk>/", views.evidence_file, name="evidence_file"),
    path("hazards/", views.hazard_list, name="hazard_list"),
    path("hazards/ledger.xlsx", views_ledger.hazard_ledger_xlsx, name="hazard_ledger_xlsx"),
    path("hazards/<int:pk>/", views.hazard_detail, name="hazard_detail"),
    path("hazards/<int:pk>/report/", views.hazard_report, name="hazard_report"),
    path("hazards/<int:pk>/reinspection/", views.hazard_reinspect, name="hazard_reinspect"),
    path("hazards/<int:pk>/supervision/", views.hazard_supervise, name="hazard_supervise"),
    path("orders/<int:pk>/order.docx", views_documents.order_docx, name="order_docx"),
    path("reinspections/<int:pk>/opinion.docx", views_documents.reinspection_docx,
         name="reinspection_docx"),
    path("assistance/", views.assistance_visits, name="assistance_visits"),
    path("assistance/key/", views.key_assisted, name="key_assisted"),
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("draws/<int:pk>/check/", views.draw_check, name="draw_check"),
]
