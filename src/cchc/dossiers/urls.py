from django.urls import path

from . import views
from .workflow import urls as workflow_urls

app_name = "dossiers"

urlpatterns = [
    path("", views.dossier_list, name="list"),
    path("tiep-nhan/", views.receive, name="receive"),
    path("nhap-tu-tep/", views.import_file, name="import"),
    path("nhap-tu-tep/tep-mau/<str:name>", views.import_sample, name="import_sample"),
    *workflow_urls.urlpatterns,
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/<str:kind>/", views.action, name="action"),
]
