"""Guards around every request: the Permissions-Policy header, the request size limit, answers
while the database is down, and the client's address (one rule for rate limits and lockouts).

Oversized bodies and a database outage are answered in the API's JSON error shape under /api/
and with a plain translated page elsewhere.
"""

import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework.throttling import BaseThrottle

from .rest.errors import ServiceUnavailable, error_body

logger = logging.getLogger("partnership.outage")

# The database did not answer (down, restarting, unreachable), as opposed to a bad query.
OUTAGE_ERRORS = (OperationalError, InterfaceError)


def client_ip(request):
    """The client's address: the connection's, or with NUM_PROXIES trusted proxies in front, the
    address the nearest of them saw in X-Forwarded-For (DRF's rule, used by its rate limits)."""
    return BaseThrottle().get_ident(request)


def is_api(request):
    return request.path.startswith("/api/")


def error_answer(request, status, detail, code, template):
    """JSON in the API's error shape under /api/, else the page `template`."""
    if is_api(request):
        return JsonResponse(error_body(detail, code), status=status)
    return HttpResponse(render_to_string(template, {"detail": detail}, request=request), status=status)


def outage_answer(request):
    detail = str(ServiceUnavailable.default_detail)
    response = error_answer(request, 503, detail, "service_unavailable", "503.html")
    response["Retry-After"] = str(settings.OUTAGE_RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


class PermissionsPolicyMiddleware:
    """Every answer refuses the browser features the site never uses (settings.PERMISSIONS_POLICY)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class RequestSizeLimitMiddleware:
    """A body other than a file upload larger than DATA_UPLOAD_MAX_MEMORY_SIZE is refused with 413
    before anything reads it. Multipart uploads are left to the upload limits."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and not request.content_type.startswith("multipart/"):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > limit:
                return too_large(request)
        return self.get_response(request)


def too_large(request):
    # Before LocaleMiddleware: the page's language from its address.
    translation.activate(translation.get_language_from_request(request, check_path=True))
    detail = _("The request body is too large (at most %(size)s kB).") % {
        "size": settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024
    }
    return error_answer(request, 413, detail, "too_large", "413.html")


class DatabaseOutageMiddleware:
    """A view that finds the database unreachable answers 503 with Retry-After instead of 500.

    Django closes a broken connection at the end of the request and opens a new one for the next,
    so pages answer again as soon as the database is back. Exceptions raised outside the views
    reach `server_error` (the 500 handler) and get the same answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OUTAGE_ERRORS):
            logger.error("Database unreachable: %s", exception)
            return outage_answer(request)
        return None


def server_error(request, template_name=defaults.ERROR_500_TEMPLATE_NAME):
    """handler500: 503 while the database is down, else Django's 500 page."""
    if isinstance(sys.exc_info()[1], OUTAGE_ERRORS):
        return outage_answer(request)
    return defaults.server_error(request, template_name)
