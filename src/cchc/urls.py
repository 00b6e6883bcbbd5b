from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "cchc – Quản trị"
admin.site.site_title = "cchc"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("ho-so/", include("cchc.dossiers.urls")),
    path("thu-tuc/", include("cchc.procedures.urls")),
    path("ke-hoach/", include("cchc.plans.urls")),
    path("van-ban/", include("cchc.documents.urls")),
    path("bao-cao/", include("cchc.reports.urls")),
    path("tong-hop/", include("cchc.reports.urls_rollup")),
    path("", include("cchc.web.urls")),
]
