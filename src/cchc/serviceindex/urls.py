from django.urls import path

from . import views

app_name = "serviceindex"

urlpatterns = [
    path("", views.index, name="index"),
    path("the/", views.card, name="card"),
    path("<str:code>/", views.lost_list, name="lost"),
]
