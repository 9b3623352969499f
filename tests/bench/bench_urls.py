"""The site's URLs and /bench-floor/: a bare view through the full middleware stack, the bench's floor."""

from django.http import HttpResponse
from django.urls import path

from partnership.urls import urlpatterns as site_urlpatterns


def floor(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench-floor/", floor), *site_urlpatterns]
