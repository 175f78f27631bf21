"""The public portal at /public/ (no login)."""

from django.urls import path

from fazhi.oversight import views_public as v

app_name = "public"
urlpatterns = [
    path("", v.index, name="index"),
    path("posts/", v.post_list, name="post_list"),
    path("posts/<int:pk>/", v.post_detail, name="post_detail"),
    path("search/", v.search, name="search"),
    path("before/", v.before, name="before"),
    path("items/", v.items, name="items"),
    path("officers/", v.officers, name="officers"),
    path("decisions/", v.decision_list, name="decision_list"),
    path("decisions/<int:pk>/", v.decision_detail, name="decision_detail"),
    path("permits/", v.permits, name="permits"),
    path("normative-documents/", v.normdoc_list, name="normdoc_list"),
    path("normative-documents/<int:pk>/", v.normdoc_detail, name="normdoc_detail"),
    path("supervisors/", v.supervisors, name="supervisors"),
    path("disclosure/", v.disclosure_guide, name="disclosure"),
    path("tips/new/", v.tip_new, name="tip_new"),
    path("tips/track/", v.tip_track, name="tip_track"),
]
