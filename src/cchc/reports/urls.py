from django.urls import path

from . import views, views_templates, views_workflow

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("tao-moi/", views.report_create, name="create"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/thong-tin/", views.report_details, name="details"),
    path("<int:pk>/gui-duyet/", views_workflow.report_submit, name="submit"),
    path("<int:pk>/duyet/", views_workflow.report_approve, name="approve"),
    path("<int:pk>/tra-lai/", views_workflow.report_return, name="return"),
    path("<int:pk>/luu-phien-ban/", views_workflow.report_save_version, name="save_version"),
    path("<int:pk>/tai-ve/<str:fmt>/", views_workflow.report_download, name="download"),
    path("muc/<int:pk>/", views.section_save, name="section"),
    path("mau/", views_templates.template_list, name="templates"),
    path("mau/<int:pk>/sao-chep/", views_templates.template_copy, name="template_copy"),
    path("mau/<int:pk>/dan-y/", views_templates.template_outline, name="outline"),
]
