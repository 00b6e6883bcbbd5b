"""Added to dossiers/urls.py (names dossiers:workflow_*)."""

from django.urls import path

from . import views

urlpatterns = [
    path("lien-thong/", views.incoming, name="workflow_incoming"),
    path("buoc/<int:step_pk>/", views.step_page, name="workflow_step"),
    path("buoc/<int:step_pk>/<str:move>/", views.move, name="workflow_move"),
    path("<int:pk>/tra-ket-qua/", views.return_result, name="workflow_return"),
]
