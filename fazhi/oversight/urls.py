from django.urls import path

from fazhi.oversight import views

app_name = "oversight"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("tips/", views.tip_list, name="tip_list"),
    path("tips/new/", views.tip_create, name="tip_create"),
    path("tips/ledger.xlsx", views.tip_ledger_xlsx, name="tip_ledger_xlsx"),
    path("tips/<int:pk>/", views.tip_detail, name="tip_detail"),
    path("tips/<int:pk>/identity/", views.tip_identity, name="tip_identity"),
    path("tips/<int:pk>/<slug:action>/", views.tip_action, name="tip_action"),
    path("supervisors/", views.supervisor_list, name="supervisor_list"),
    path("supervisor/", views.supervisor_desk, name="supervisor_desk"),
    path("remarks/<int:pk>/", views.remark_detail, name="remark_detail"),
    path("disclosure/", views.disclosure_list, name="disclosure_list"),
    path("disclosure/<int:pk>/", views.disclosure_detail, name="disclosure_detail"),
    path("posts/", views.post_list, name="post_list"),
    path("posts/<int:pk>/withdraw/", views.post_withdraw, name="post_withdraw"),
]
