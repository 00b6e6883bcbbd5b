from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("", views.plan_list, name="list"),
    path("tao-moi/", views.plan_create, name="create"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/them-nhiem-vu/", views.task_create, name="task_create"),
    path("<int:pk>/nhap-tu-tep/", views.plan_import, name="import"),
    path("nhiem-vu/<int:pk>/", views.task_detail, name="task"),
    path("nhiem-vu/<int:pk>/sua/", views.task_edit, name="task_edit"),
    path("nhiem-vu/<int:pk>/tien-do/", views.task_progress, name="task_progress"),
    path("nhiem-vu/<int:pk>/danh-gia/", views.task_rating, name="task_rating"),
]
