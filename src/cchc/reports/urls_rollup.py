from django.urls import path

from . import views_rollup as views

app_name = "rollup"

urlpatterns = [
    path("", views.table, name="table"),
    path("nhap-bao-cao/", views.upload, name="upload"),
    path("nhap-bao-cao/<int:pk>/", views.review, name="review"),
    path("gui/<int:pk>/", views.submit, name="submit"),
]
