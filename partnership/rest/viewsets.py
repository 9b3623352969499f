"""The API's base views: what every endpoint shares, read-only endpoints and staff writes.

- Reads: published content for everyone; staff also see the drafts they may edit.
- Writes: staff only, checked with partnership.permissions before anything is saved.
- ETags on every successful read, answering If-None-Match with 304.
- Strict query strings, a 400 for an unknown `format`, errors always in JSON.
"""

import copy

from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils.cache import get_conditional_response, patch_vary_headers, set_response_etag
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, mixins, routers, viewsets
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response

from .. import pending
from ..permissions import scoped
from .filtering import FilterBackend, StrictQueryString
from .pagination import Pagination
from .pending import pending_response
from .permissions import AnonThrottle, StaffWrites, check_delete, check_model_permission, check_write
from .renderers import CSVRenderer

FORMAT_PARAMETER = OpenApiParameter(
    "format",
    str,
    enum=["json", "csv"],
    description="Response format; the same as `Accept: application/json` or `Accept: text/csv`.",
)


class APIBehaviour(StrictQueryString):
    """A view mixin for every API view: strict query strings, JSON errors, ETags and 304s."""

    permission_classes = [StaffWrites]
    throttle_classes = [AnonThrottle]

    def perform_content_negotiation(self, request, force=False):
        try:
            return super().perform_content_negotiation(request, force)
        except Http404:
            # An unknown ?format= is a bad parameter, not a missing page.
            formats = " or ".join(renderer.format for renderer in self.get_renderers())
            raise exceptions.ValidationError({"format": [_("Use %(formats)s.") % {"formats": formats}]}) from None

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if getattr(response, "exception", False) and not isinstance(
            getattr(response, "accepted_renderer", None), JSONRenderer
        ):
            # Errors are always JSON, whatever format was asked for.
            response.accepted_renderer = JSONRenderer()
            response.accepted_media_type = JSONRenderer.media_type
        patch_vary_headers(response, ["Authorization", "Accept-Language"])
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            response.render()
            set_response_etag(response)
            response = get_conditional_response(request, etag=response.get("ETag"), response=response)
        return response


class APIRoot(APIBehaviour, routers.APIRootView):
    """Every resource of the API, each a link to its list.

    Lists answer in JSON or CSV (`?format=csv`), filtered like the site and paginated; the
    OpenAPI schema is at /api/schema/ and its documentation at /api/docs/.
    """

    # JSON, or the browsable page (?format=api, or a browser's Accept: text/html).
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer]


class Router(routers.DefaultRouter):
    """DRF's router, with the API root (/api/v1/) answering like every other endpoint."""

    APIRootView = APIRoot


class PublicViewSet(APIBehaviour, viewsets.GenericViewSet):
    """A read-only endpoint over public content, with the API's shared behaviour."""

    renderer_classes = [JSONRenderer, CSVRenderer]
    pagination_class = Pagination
    filter_backends = [FilterBackend]
    search_fields: tuple = ()
    ordering_fields: tuple = ()

    def public(self, queryset):
        """What anonymous clients may see; models with a publication state override it."""
        return queryset

    def base_queryset(self):
        return self.queryset.all()

    def get_queryset(self):
        queryset = self.base_queryset()
        visible = self.public(queryset)
        if visible is queryset or not self.request.user.is_authenticated or not self.request.user.is_staff:
            return visible
        # Staff also see the unpublished records they may edit (as in the admin).

        model = queryset.model
        editable = scoped(self.request.user, model._default_manager.all()).values("pk")
        public = self.public(model._default_manager.all()).values("pk")
        return queryset.filter(Q(pk__in=public) | Q(pk__in=editable))


class PublicReadOnlyViewSet(PublicViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    pass


class StaffWriteViewSet(PublicReadOnlyViewSet, mixins.CreateModelMixin, mixins.UpdateModelMixin):
    """Reads for everyone; create and change for staff within partnership.permissions.

    An editor's change to a live record waits for the secretariat (partnership/pending.py).

    Deleting is left to the admin, which shows what else a deletion would take with it, except for
    shared reference data (SharedRecordDeletes): refused while a published project uses the record.
    """

    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def check_write(self, old, new):
        """Refuse (403) before saving unless the user may write both the stored and the new record."""
        check_write(self.request.user, old, new)

    def check_model_permission(self, action):
        """The model permission the admin also requires (add_… or change_…), before reading the body."""
        check_model_permission(self.request.user, self.queryset.model, action)

    def write(self, serializer, old):
        candidate = serializer.candidate
        self.check_write(old, candidate)
        candidate._history_user = self.request.user
        candidate._change_reason = "API"
        with transaction.atomic():
            return serializer.save()

    def respond(self, instance, status_code):
        fresh = self.get_queryset().get(pk=instance.pk)
        return Response(self.get_response_serializer(fresh).data, status=status_code)

    def get_response_serializer(self, instance):
        return self.get_serializer(instance)

    def create(self, request, *args, **kwargs):
        self.check_model_permission("add")
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        instance = self.write(serializer, None)
        return self.respond(instance, 201)

    def update(self, request, *args, **kwargs):
        self.check_model_permission("change")
        instance = self.get_object()
        stored = copy.copy(instance)
        # Refuse a record the user may not write before looking at what they sent.
        self.check_write(stored, stored)
        held = pending.held(request.user, stored)
        if held:
            # An editor's change to a live record goes on from what they already proposed.
            pending.overlay(instance, pending.current(stored))
        serializer = self.get_serializer(instance, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        if held:
            return self.hold(serializer, stored)
        self.write(serializer, stored)
        return self.respond(instance, 200)

    def hold(self, serializer, stored):
        """Keep the change as the record's pending change (partnership/pending.py): 202, or 200 if none."""
        self.check_write(stored, serializer.candidate)
        change = pending.propose(
            record=stored, candidate=serializer.candidate, user=self.request.user, m2m=serializer.candidate_m2m
        )
        if change is None:
            return self.respond(stored, 200)
        return pending_response(self.request, stored, change, 202)

    def destroy(self, request, *args, **kwargs):
        # Only for viewsets that add "delete" to http_method_names (SharedRecordDeletes).
        self.check_model_permission("delete")
        instance = self.get_object()
        check_delete(request.user, instance)
        instance._history_user = request.user
        with transaction.atomic():
            instance.delete()
        return Response(status=204)


class SharedRecordDeletes:
    # Shared reference data may be deleted through the API, unless a published project uses it.

    http_method_names = [*StaffWriteViewSet.http_method_names, "delete"]
