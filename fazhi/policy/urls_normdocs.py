"""Pages of normative documents, cleanups and major decisions (under /policy/)."""

from django.urls import path

from fazhi.policy import views_decisions, views_normdocs

urlpatterns_normdocs = [
    path("normdocs/", views_normdocs.normdoc_list, name="normdoc_list"),
    path("normdocs/new/", views_normdocs.normdoc_create, name="normdoc_create"),
    path("normdocs/<int:pk>/", views_normdocs.normdoc_detail, name="normdoc_detail"),
    path("normdocs/<int:pk>/act/<slug:what>/", views_normdocs.normdoc_act, name="normdoc_act"),
    path("cleanups/", views_normdocs.cleanup_list, name="cleanup_list"),
    path("cleanups/<int:pk>/", views_normdocs.cleanup_detail, name="cleanup_detail"),
    path("cleanups/<int:pk>/act/<slug:what>/", views_normdocs.cleanup_act, name="cleanup_act"),
    path("decisions/", views_decisions.decision_list, name="decision_list"),
    path("decisions/catalogues/<int:pk>/add/", views_decisions.decision_add,
         name="decision_add"),
    path("decisions/<int:pk>/", views_decisions.decision_detail, name="decision_detail"),
    path("decisions/<int:pk>/act/<slug:what>/", views_decisions.decision_act,
         name="decision_act"),
]
