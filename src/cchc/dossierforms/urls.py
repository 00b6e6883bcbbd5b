from django.urls import path

from . import views

app_name = "dossierforms"

urlpatterns = [
    path("ho-so/<int:pk>/<slug:form>.<str:fmt>", views.dossier_form, name="dossier_form"),
    path("so-theo-doi/", views.register, name="register"),
    path("mau/", views.template_list, name="templates"),
    path("mau/<str:regime>/<slug:form>/", views.template_edit, name="template_edit"),
]
