from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("tao-moi/", views.report_create, name="create"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/thong-tin/", views.report_details, name="details"),
    path("<int:pk>/gui-duyet/", views.report_submit, name="submit"),
    path("<int:pk>/duyet/", views.report_approve, name="approve"),
    path("<int:pk>/tra-lai/", views.report_return, name="return"),
    path("<int:pk>/luu-phien-ban/", views.report_save_version, name="save_version"),
    path("<int:pk>/tai-ve/<str:fmt>/", views.report_download, name="download"),
    path("muc/<int:pk>/", views.section_save, name="section"),
    path("mau/", views.template_list, name="templates"),
    path("mau/<int:pk>/sao-chep/", views.template_copy, name="template_copy"),
    path("mau/<int:pk>/dan-y/", views.template_outline, name="outline"),
]
