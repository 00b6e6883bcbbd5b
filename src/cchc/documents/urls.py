from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("", views.document_list, name="list"),
    path("ban-hanh/", views.issue, name="issue"),
    path("vao-so-den/", views.incoming, name="incoming"),
    path("tim-trich-dan/", views.references, name="references"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/tep/", views.download, name="download"),
]
