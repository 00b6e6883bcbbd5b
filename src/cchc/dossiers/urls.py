from django.urls import path

from . import views, views_reception, views_worklists
from .workflow import urls as workflow_urls

app_name = "dossiers"

urlpatterns = [
    path("", views.dossier_list, name="list"),
    path("tiep-nhan/", views_reception.receive, name="receive"),
    path("tiep-nhan/thanh-phan/", views_reception.checklist, name="reception_checklist"),
    path("tiep-nhan/tim-thu-tuc/", views_reception.procedure_search, name="reception_procedures"),
    path("tiep-nhan/chu-ho-so/", views_reception.applicant_lookup, name="reception_applicant"),
    path("xuat-excel/", views_worklists.export_list, name="export"),
    path("chuyen-don-vi/", views_worklists.bulk_assign, name="bulk_assign"),
    path("nhap-tu-tep/", views.import_file, name="import"),
    path("nhap-tu-tep/tep-mau/<str:name>", views.import_sample, name="import_sample"),
    *workflow_urls.urlpatterns,
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/<str:kind>/", views.action, name="action"),
]
