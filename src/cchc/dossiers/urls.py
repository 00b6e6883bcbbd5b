from django.urls import path

from . import views, views_worklists

app_name = "dossiers"

urlpatterns = [
    path("", views.dossier_list, name="list"),
    path("xuat-excel/", views_worklists.export_list, name="export"),
    path("chuyen-don-vi/", views_worklists.bulk_assign, name="bulk_assign"),
    path("tiep-nhan/", views.receive, name="receive"),
    path("nhap-tu-tep/", views.import_file, name="import"),
    path("nhap-tu-tep/tep-mau/<str:name>", views.import_sample, name="import_sample"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/<str:kind>/", views.action, name="action"),
]
