from django.urls import path

from fazhi.subjects import views

app_name = "subjects"
urlpatterns = [
    path("", views.enterprise_list, name="enterprise_list"),
    path("<int:pk>/", views.enterprise_detail, name="enterprise_detail"),
    path("import/", views.enterprise_import, name="enterprise_import"),
    path("import/template.xlsx", views.enterprise_template, name="enterprise_template"),
]
