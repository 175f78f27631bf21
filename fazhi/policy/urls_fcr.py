"""Pages of fair-competition review (under /policy/fcr/)."""

from django.urls import path

from fazhi.policy import views_fcr

urlpatterns_fcr = [
    path("fcr/", views_fcr.fcr_index, name="fcr_index"),
    path("fcr/archive/", views_fcr.fcr_archive, name="fcr_archive"),
    path("fcr/runs/start/", views_fcr.fcr_run_start, name="fcr_run_start"),
    path("fcr/runs/<int:pk>/", views_fcr.fcr_run_detail, name="fcr_run_detail"),
    path("fcr/runs/<int:pk>/ledger.xlsx", views_fcr.fcr_run_ledger, name="fcr_run_ledger"),
    path("fcr/results/<int:pk>/review/", views_fcr.fcr_result_review,
         name="fcr_result_review"),
    path("fcr/reviews/", views_fcr.fcr_review_list, name="fcr_review_list"),
    path("fcr/reviews/<int:pk>/", views_fcr.fcr_review_detail, name="fcr_review_detail"),
]
