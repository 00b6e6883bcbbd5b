from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("da-doc-tat-ca/", views.notification_mark_all, name="mark_all"),
    path("<int:pk>/", views.notification_open, name="open"),
    path("<int:pk>/danh-dau/", views.notification_mark, name="mark"),
    path("hop-thu-di/", views.outbox_list, name="outbox"),
    path("hop-thu-di/<int:pk>/gui-lai/", views.outbox_retry, name="outbox_retry"),
]
