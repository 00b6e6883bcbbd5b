from django.urls import path

from . import views, views_imports

app_name = "rollup"

urlpatterns = [
    path("", views.table, name="table"),
    path("nhap-bao-cao/", views_imports.upload, name="upload"),
    path("nhap-bao-cao/<int:pk>/", views_imports.review, name="review"),
    path("gui/<int:pk>/", views.submit, name="submit"),
]
