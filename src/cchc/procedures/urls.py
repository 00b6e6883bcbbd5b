from django.urls import path

from . import views, views_parts

app_name = "procedures"

urlpatterns = [
    path("", views.procedure_list, name="list"),
    path("them-moi/", views.procedure_create, name="create"),
    path("xuat/<str:fmt>/", views.procedure_export, name="export"),
    path("<int:pk>/", views.procedure_detail, name="detail"),
    path("<int:pk>/sua/", views.procedure_edit, name="edit"),
    path("<int:pk>/thanh-phan-ho-so/", views_parts.edit_part, {"part": "components"}, name="components"),
    path("<int:pk>/phi-le-phi/", views_parts.edit_part, {"part": "fees"}, name="fees"),
    path("<int:pk>/quy-trinh-noi-bo/", views_parts.edit_part, {"part": "steps"}, name="steps"),
    path("thanh-phan/<int:pk>/tep-mau/", views_parts.component_file, name="component_file"),
]
