"""The page cache: public pages and anonymous API answers, kept until the content changes.

A response is stored under its absolute URL (scheme, host, path and full query string), the
active language, the Accept header (the API negotiates JSON or CSV on it) and the content
version. The version is a random token in the same cache; every committed write to a model of
the `partnership` or `projects` app replaces it, so the next request misses and renders afresh,
and entries of older versions expire on their own after PAGE_CACHE_SECONDS.

Only what every visitor would see is stored: 200 answers to GET or HEAD from a visitor who is
not logged in and sends no API token, that set no cookie and do not opt out with
`Cache-Control: private`, `no-cache` or `no-store`. Staff previews, the admin and every
non-200 answer (a draft is a 404 to the public) go straight to the view.

The middleware sits last in MIDDLEWARE, next to the view: it runs after authentication and
language selection, and a cached answer still passes out through the security, CSP, language
and conditional-GET middleware like a fresh one, so headers and 304 answers stay the same.
"""

import hashlib
import uuid

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils.cache import set_response_etag
from django.utils.translation import get_language
from simple_history.models import HistoricalChanges

VERSION_KEY = "partnership:content-version"
CONTENT_APPS = {"partnership", "projects"}
NOT_SHARED = ("private", "no-cache", "no-store")


def page_cache():
    return caches["default"]


def content_version():
    """The current content version; a new one when the cache has none (first start, eviction)."""
    cache = page_cache()
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def bump_content_version():
    """Leave every cached page behind. A random token, not a counter, so that a version lost
    from the cache and started again can never meet a page stored under an old one."""
    page_cache().set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def bump_on_commit(using=None):
    """Bump the version when the current transaction commits (at once outside a transaction).

    Call it after writes that send no model signals (`bulk_create`, `QuerySet.update`). One bump
    per transaction is enough, however many rows it writes."""
    connection = transaction.get_connection(using)
    if connection.in_atomic_block and any(entry[1] is bump_content_version for entry in connection.run_on_commit):
        return
    transaction.on_commit(bump_content_version, using=using)


def _content_changed(sender, using=None, **kwargs):
    # m2m_changed also fires before the change ("pre_add"); saves and deletes have no action.
    if (
        kwargs.get("action", "post_").startswith("post_")
        and sender._meta.app_label in CONTENT_APPS
        and not issubclass(sender, HistoricalChanges)
    ):
        bump_on_commit(using)


def watch_content_changes():
    """Connect the bump to every save, delete and many-to-many change (called once, at start-up)."""
    for name, signal in {"save": post_save, "delete": post_delete, "m2m": m2m_changed}.items():
        signal.connect(_content_changed, dispatch_uid=f"page-cache-{name}")


class PageCacheMiddleware:
    """Serve public answers from the cache; PAGE_CACHE_SECONDS = 0 turns it off."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = settings.PAGE_CACHE_SECONDS
        if seconds <= 0 or not self.is_public_request(request):
            return self.get_response(request)
        key = self.cache_key(request)
        stored = page_cache().get(key)
        if stored is not None:
            content, headers = stored
            response = HttpResponse(content)
            for name, value in headers:
                response[name] = value
            return response
        response = self.get_response(request)
        if self.is_public_response(request, response):
            if not response.has_header("ETag"):
                set_response_etag(response)
            page_cache().set(key, (response.content, list(response.items())), seconds)
        return response

    @staticmethod
    def is_public_request(request):
        return (
            request.method in ("GET", "HEAD")
            and "HTTP_AUTHORIZATION" not in request.META
            and not request.user.is_authenticated
        )

    @staticmethod
    def is_public_response(request, response):
        session = getattr(request, "session", None)
        cache_control = response.get("Cache-Control", "")
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            # A form with a CSRF token, or a session written: the outer middleware will set a cookie.
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and not (session is not None and session.modified)
            and not any(word in cache_control for word in NOT_SHARED)
            # A view that keeps its answer in the cache itself (report downloads) is not stored twice.
            and not getattr(response, "kept_by_view", False)
        )

    @staticmethod
    def cache_key(request):
        # HEAD shares GET's entry: the server drops the body of a HEAD answer.
        parts = [get_language() or "", request.META.get("HTTP_ACCEPT", ""), request.build_absolute_uri()]
        digest = hashlib.md5("\n".join(parts).encode(), usedforsecurity=False).hexdigest()
        return f"page:{content_version()}:{digest}"
