"""Pages of permits, 三同时 reviews, consultations and upgrade projects, added to
`fazhi.licensing.urls` (app_name "licensing")."""

from django.urls import path

from fazhi.licensing import views_permits as vp
from fazhi.licensing import views_projects as vj

urlpatterns_permits = [
    path("permits/", vp.permit_list, name="permit_list"),
    path("permits/ledger.xlsx", vp.permit_ledger_xlsx, name="permit_ledger_xlsx"),
    path("permits/<int:pk>/", vp.permit_detail, name="permit_detail"),
    path("permits/<int:pk>/<slug:what>/", vp.permit_action, name="permit_action"),
    path("permits/applications/", vp.permit_application_list,
         name="permit_application_list"),
    path("permits/applications/new/", vp.permit_application_create,
         name="permit_application_create"),
    path("permits/applications/<int:pk>/", vp.permit_application_detail,
         name="permit_application_detail"),
    path("permits/applications/<int:pk>/<slug:what>/", vp.permit_application_step,
         name="permit_application_step"),
    path("projects/", vj.project_list, name="project_list"),
    path("projects/new/", vj.project_create, name="project_create"),
    path("projects/<int:pk>/", vj.project_detail, name="project_detail"),
    path("projects/<int:pk>/<slug:what>/", vj.project_step, name="project_step"),
    path("projects/reviews/", vj.safety_review_list, name="safety_review_list"),
    path("projects/consultations/", vj.consultation_list, name="consultation_list"),
    path("projects/consultations/new/", vj.consultation_create, name="consultation_create"),
    path("projects/consultations/<int:pk>/", vj.consultation_detail,
         name="consultation_detail"),
    path("projects/consultations/<int:pk>/conclude/", vj.consultation_conclude,
         name="consultation_conclude"),
    path("projects/restrictions/", vj.restriction_list, name="restriction_list"),
    path("projects/upgrades/", vj.upgrade_list, name="upgrade_list"),
    path("projects/upgrades/new/", vj.upgrade_create, name="upgrade_create"),
    path("projects/upgrades/<int:pk>/", vj.upgrade_detail, name="upgrade_detail"),
    path("projects/upgrades/<int:pk>/<slug:what>/", vj.upgrade_step, name="upgrade_step"),
]
