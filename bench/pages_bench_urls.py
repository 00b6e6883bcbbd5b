"""cchc's URLs plus /__bench__/bare/: a constant answer through the same server and middleware (session, user,
security headers), the floor that every page of bench/pages_bench.py is compared with."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from cchc.urls import urlpatterns as cchc_urlpatterns

BARE_PATH = "/__bench__/bare/"


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path(BARE_PATH.strip("/") + "/", bare), *cchc_urlpatterns]
