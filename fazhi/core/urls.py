from django.urls import path

from fazhi.core import views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("jobs/<uuid:job_id>/", views.job_detail, name="job_detail"),
    path("", views.home, name="home"),
]
