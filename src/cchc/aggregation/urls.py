from django.urls import path

from . import views, views_deadlines, views_imports

app_name = "rollup"

urlpatterns = [
    path("", views.table, name="table"),
    path("nhap-bao-cao/", views_imports.upload, name="upload"),
    path("nhap-bao-cao/<int:pk>/", views_imports.review, name="review"),
    path("gui/<int:pk>/", views.submit, name="submit"),
    path("han-gui/", views_deadlines.deadline_list, name="deadlines"),
    path("han-gui/mac-dinh/", views_deadlines.deadline_defaults, name="deadline_defaults"),
    path("han-gui/<int:pk>/", views_deadlines.deadline_edit, name="deadline_edit"),
    path("han-gui/<int:pk>/xoa/", views_deadlines.deadline_delete, name="deadline_delete"),
]
