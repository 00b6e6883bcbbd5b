from django.urls import path

from . import views_worklists

app_name = "worklists"

urlpatterns = [
    path("", views_worklists.my_work, name="my_work"),
]
