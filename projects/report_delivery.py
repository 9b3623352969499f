"""How a report download (`?format=xlsx|pdf`) reaches the client: from the cache when it was made
before, else made afresh, within a rate for visitors who are not signed in.

A PDF of a large report takes seconds to make, so each file is kept in the cache under the same
ingredients as a cached page (partnership/caching.py): the full address (path and query string:
the format, `as_of`, `from`/`to`, `demo`), the language and the content version, which every
committed write replaces; and today's date, which a report without `as_of` depends on. A file does
not depend on who asks (reports show published content only), so one entry serves visitors and
staff alike, for EXPORT_CACHE_SECONDS (0: never kept).

A visitor who is not signed in may have EXPORT_ANON_RATE files made afresh per client address
(DRF's throttle, the rule the API uses for anonymous clients); one more in the window gets a page
saying when to try again (429 with Retry-After). A file served from the cache does not count, and
signed-in users are never limited.
"""

import hashlib
import math

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from rest_framework.throttling import AnonRateThrottle

from partnership.caching import content_version, page_cache

from . import report_files
from .report_exports import FORMATS, page_url

# Only these headers are kept with a cached file; the middleware adds the rest to every answer.
KEPT_HEADERS = ("Content-Type", "Content-Disposition")


def download(request, fmt, export, *, template_name, context):
    """The report as an XLSX or PDF attachment."""
    if fmt == "xlsx":
        body = report_files.xlsx_bytes(export)
    else:
        body = report_files.pdf_bytes(request, template_name, context | {"pdf": True, "export": export})
    response = HttpResponse(body, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{export.stem}.{fmt}"'
    return response


class ExportThrottle(AnonRateThrottle):
    """Downloads made afresh for one anonymous client address (EXPORT_ANON_RATE; empty: no limit)."""

    scope = "report-export"

    def get_rate(self):
        return settings.EXPORT_ANON_RATE or None


def cache_key(request):
    parts = [get_language() or "", timezone.localdate().isoformat(), request.build_absolute_uri()]
    digest = hashlib.md5("\n".join(parts).encode(), usedforsecurity=False).hexdigest()
    return f"report-export:{content_version()}:{digest}"


class ExportDelivery:
    """A report view's downloads: served from the cache, else made (and kept) within the anonymous rate.

    Only a request for a known format goes this way; the page itself, and a bad `format` (which
    the view answers with 400), pass straight to the view.
    """

    def dispatch(self, request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or request.GET.get("format") not in FORMATS:
            return super().dispatch(request, *args, **kwargs)
        seconds = settings.EXPORT_CACHE_SECONDS
        key = cache_key(request) if seconds > 0 else None
        stored = page_cache().get(key) if key else None
        if stored is not None:
            return kept_response(stored)
        throttle = ExportThrottle()
        if not throttle.allow_request(request, self):
            return too_many(request, throttle.wait())
        response = super().dispatch(request, *args, **kwargs)
        if key and response.status_code == 200 and not response.streaming:
            headers = [(name, response[name]) for name in KEPT_HEADERS if response.has_header(name)]
            page_cache().set(key, (response.content, headers), seconds)
            # Kept here for everyone already: the page cache need not store a second copy.
            response.kept_by_view = True
        return response


def kept_response(stored):
    content, headers = stored
    response = HttpResponse(content)
    for name, value in headers:
        response[name] = value
    response.kept_by_view = True
    return response


def too_many(request, wait):
    """429: a page that says when to try again, with Retry-After in seconds."""
    seconds = max(math.ceil(wait or 1), 1)
    context = {"minutes": math.ceil(seconds / 60), "report_url": page_url(request)}
    response = HttpResponse(render_to_string("429.html", context, request=request), status=429)
    response["Retry-After"] = str(seconds)
    response["Cache-Control"] = "no-store"
    return response
