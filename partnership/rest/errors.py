"""Every API error as one JSON shape, so that no client ever gets an HTML error page.

    {"detail": "Invalid input: page_size.", "code": "invalid", "errors": {"page_size": ["…"]}}

`errors` names each query parameter or body field that was wrong (dotted for nested fields);
it is empty when the error is about the request as a whole (not found, throttled, …).
"""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, InterfaceError, OperationalError
from django.db.models import ProtectedError
from django.http import Http404, HttpResponsePermanentRedirect, JsonResponse
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.fields import get_error_detail
from rest_framework.response import Response
from rest_framework.views import exception_handler, set_rollback

logger = logging.getLogger("partnership.api")

NON_FIELD = "non_field_errors"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("The change conflicts with the stored records.")
    default_code = "conflict"


class ServiceUnavailable(exceptions.APIException):
    """The database does not answer; DRF adds Retry-After from `wait`."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = gettext_lazy(
        "The service is briefly unavailable: the database does not answer. Please try again shortly."
    )
    default_code = "service_unavailable"

    def __init__(self):
        super().__init__()
        self.wait = settings.OUTAGE_RETRY_AFTER


def flatten_errors(detail, prefix=""):
    """{"a": {"b": ["x"]}, "c": [{"d": ["y"]}]} → {"a.b": ["x"], "c.0.d": ["y"]}."""
    flat = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = NON_FIELD if key in ("__all__", NON_FIELD) and not prefix else f"{prefix}{key}"
            flat.update(flatten_errors(value, f"{name}."))
        return flat
    if isinstance(detail, list) and any(isinstance(item, dict | list) for item in detail):
        for index, item in enumerate(detail):
            flat.update(flatten_errors(item, f"{prefix}{index}."))
        return flat
    messages = detail if isinstance(detail, list) else [detail]
    messages = [str(message) for message in messages if message]
    if messages:
        flat[prefix.rstrip(".") or NON_FIELD] = messages
    return flat


def error_body(detail, code, summary=None):
    """The JSON body of an error: a sentence, a machine code and the named errors."""
    if isinstance(detail, dict | list):
        errors = flatten_errors(detail)
        names = ", ".join(errors)
        if code != "invalid" and errors:
            # Not found, forbidden: the first message says it best.
            summary = summary or next(iter(errors.values()))[0]
        summary = summary or (_("Invalid input: %(names)s.") % {"names": names} if names else _("Invalid input."))
    else:
        errors = {}
        summary = summary or str(detail)
    return {"detail": summary, "code": code, "errors": errors}


def api_exception_handler(exc, context):
    """DRF's handler, then the one error shape; unexpected errors become a logged JSON 500."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(get_error_detail(exc))
    elif isinstance(exc, ProtectedError | IntegrityError):
        exc = Conflict()
    elif isinstance(exc, OperationalError | InterfaceError):
        logger.error("Database unreachable in %s: %s", context.get("view"), exc)
        exc = ServiceUnavailable()
    response = exception_handler(exc, context)
    if response is None:
        logger.error("API error in %s", context.get("view"), exc_info=exc)
        set_rollback()
        return Response(error_body(_("Server error."), "server_error"), status=status.HTTP_500_INTERNAL_SERVER_ERROR)
    if isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else exc.default_code
        response.data = error_body(exc.detail, code)
    return response


@csrf_exempt
def api_not_found(request, *args, **kwargs):
    """A JSON 404 for any /api/ address that names no endpoint (and the slash, when forgotten)."""
    if not request.path.endswith("/") and request.method in ("GET", "HEAD"):
        try:
            match = resolve(request.path_info + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not api_not_found:
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(request.path + "/" + (f"?{query}" if query else ""))
    return JsonResponse(error_body(_("No API endpoint at this address."), "not_found"), status=404)
