from django.urls import path

from fazhi.capacity import views

app_name = "capacity"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("people/", views.person_list, name="person_list"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/<slug:action>/", views.person_action, name="person_action"),
    path("study/", views.study_list, name="study_list"),
    path("study/new/", views.study_create, name="study_create"),
    path("study/<int:pk>/", views.study_detail, name="study_detail"),
    path("outreach/", views.outreach, name="outreach"),
]
