from django.contrib import admin
from django.urls import include, path

from cchc.web.auth import RateLimitedAdminAuthenticationForm

admin.site.site_header = "cchc – Quản trị"
admin.site.site_title = "cchc"
# The limits themselves are in the authentication backend; this form only words a refusal with its waiting time.
admin.site.login_form = RateLimitedAdminAuthenticationForm

urlpatterns = [
    path("admin/", admin.site.urls),
    path("ho-so/", include("cchc.dossiers.urls")),
    path("bieu-mau/", include("cchc.dossierforms.urls")),
    path("viec-cua-toi/", include("cchc.dossiers.urls_worklists")),
    path("thu-tuc/", include("cchc.procedures.urls")),
    path("ke-hoach/", include("cchc.plans.urls")),
    path("van-ban/", include("cchc.documents.urls")),
    path("bao-cao/", include("cchc.reports.urls")),
    path("tong-hop/", include("cchc.aggregation.urls")),
    path("thong-bao/", include("cchc.notifications.urls")),
    path("cong-viec/", include("cchc.jobs.urls")),
    path("", include("cchc.web.urls")),
]
