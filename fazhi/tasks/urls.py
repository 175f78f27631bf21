from django.urls import path

from fazhi.tasks import views

app_name = "tasks"
urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/progress/", views.plan_progress, name="plan_progress"),
    path("plans/<int:pk>/tasks/new/", views.task_create, name="task_create"),
    path("plans/<int:pk>/import/", views.task_import, name="task_import"),
    path("import-template.xlsx", views.import_template, name="import_template"),
    path("tasks/", views.task_list, name="task_list"),
    path("tasks/<int:pk>/", views.task_detail, name="task_detail"),
    path("tasks/<int:pk>/<slug:action>/", views.task_action, name="task_action"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
]
