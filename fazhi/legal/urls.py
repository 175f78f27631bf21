from django.urls import path

from fazhi.legal import views, views_import

app_name = "legal"
urlpatterns = [
    path("calculator/", views.calculator, name="calculator"),
    path("laws/", views.law_list, name="law_list"),
    path("laws/<int:pk>/", views.law_detail, name="law_detail"),
    path("items/", views.item_list, name="item_list"),
    path("items/<str:code>/", views.item_detail, name="item_detail"),
    path("catalogue/export/", views_import.catalogue_export_view, name="catalogue_export"),
    path("catalogue/template/", views_import.catalogue_template_view,
         name="catalogue_template"),
    path("catalogue/import/", views_import.catalogue_import_view, name="catalogue_import"),
]
