"""Pages of certificates (资格证书), included by `licensing/urls.py`."""

from django.urls import path

from fazhi.licensing import views_certificates as views

urlpatterns_certificates = [
    path("certificates/", views.certificate_list, name="certificate_list"),
    path("certificates/reminders/", views.certificate_reminders, name="certificate_reminders"),
    path("certificates/suspected-fakes/", views.suspected_fakes, name="certificate_fakes"),
    path("certificates/import/", views.certificate_import, name="certificate_import"),
    path("certificates/import/template.xlsx", views.certificate_import_template,
         name="certificate_import_template"),
    path("certificates/import/<int:pk>/", views.certificate_import_detail,
         name="certificate_import_detail"),
    path("certificates/<int:pk>/", views.certificate_detail, name="certificate_detail"),
    path("certificates/<int:pk>/qr.svg", views.certificate_qr, name="certificate_qr"),
    path("certificates/<int:pk>/review/", views.certificate_review, name="certificate_review"),
    path("certificates/<int:pk>/revoke/", views.certificate_revoke, name="certificate_revoke"),
    # public, no login
    path("verify/", views.verify, name="verify"),
    path("verify/public-key", views.public_key, name="verify_public_key"),
]
