from django.urls import path

from fazhi.legal import views

app_name = "legal"
urlpatterns = [
    path("calculator/", views.calculator, name="calculator"),
]
