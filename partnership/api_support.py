"""What every endpoint of the API shares.

- Pagination with a bounded page size: `page_size` above the maximum is a 400 naming it, not
  silently clamped, so a client never believes it has every row when it has not.
- Filtering through the site's own FilterSets; the API adds only `q` and `ordering` where a
  FilterSet has none, booleans that refuse anything but true/false, and bounds on numbers.
- Strict query strings: a parameter the endpoint does not know is a 400 naming it (a typo such
  as `?staus=closed` would otherwise return every row).
- Reads: published content for everyone; staff also see the drafts they may edit.
- Writes: staff only, checked with partnership.permissions before anything is saved.
- ETags on every successful read, answering If-None-Match with 304.
"""

import copy
import functools
import re

import django_filters
from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils.cache import get_conditional_response, patch_vary_headers, set_response_etag
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.filters import BaseCSVFilter
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, mixins, permissions, viewsets
from rest_framework.pagination import PageNumberPagination
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle

# The OpenAPI description of the filters and errors (a drf-spectacular extension registers on import).
from . import api_schema  # noqa: F401
from .filters import search_filter
from .permissions import can_publish, can_write, scoped
from .renderers import CSVRenderer

MAX_PAGE_SIZE = 500
WHOLE_NUMBER = re.compile(r"^[0-9]{1,9}$")
PAGE_NUMBER = re.compile(r"^[0-9]{1,100}$")
# Bounds on numeric filters, so that no value can overflow a database column.
NUMBER_LIMIT = 10**16


# --- pagination -----------------------------------------------------------------------------------


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not WHOLE_NUMBER.match(raw) or not 1 <= int(raw) <= self.max_page_size:
            raise exceptions.ValidationError(
                {self.page_size_query_param: [_("A whole number from 1 to %(max)d.") % {"max": self.max_page_size}]}
            )
        return int(raw)

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param, "1")
        if not PAGE_NUMBER.match(raw) or int(raw) < 1:
            raise exceptions.ValidationError({self.page_query_param: [_("A whole number from 1.")]})
        return int(raw)

    def paginate_queryset(self, queryset, request, view=None):
        try:
            return super().paginate_queryset(queryset, request, view)
        except exceptions.NotFound:
            pages = self.django_paginator_class(queryset, self.get_page_size(request)).num_pages
            raise exceptions.NotFound(
                {self.page_query_param: [_("Past the end: the last page is %(pages)d.") % {"pages": pages}]}
            ) from None

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response["X-Total-Count"] = str(self.page.paginator.count)
        links = [f'<{url}>; rel="{rel}"' for rel, url in (("next", response.data["next"]),) if url]
        links += [f'<{url}>; rel="{rel}"' for rel, url in (("prev", response.data["previous"]),) if url]
        if links:
            response["Link"] = ", ".join(links)
        return response

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
                parameter["description"] = _(
                    "Rows per page, 1 to %(max)d (default %(default)d); more is a 400, not a silent cut."
                ) % {"max": self.max_page_size, "default": self.page_size}
        return parameters


# --- filtering ------------------------------------------------------------------------------------


class StrictBooleanField(forms.Field):
    """true/false (or 1/0); anything else is an error rather than "no filter"."""

    widget = forms.TextInput

    def to_python(self, value):
        if value in (None, ""):
            return None
        text = str(value).strip().lower()
        if text in ("true", "1"):
            return True
        if text in ("false", "0"):
            return False
        raise DjangoValidationError(_("Use true or false."), code="invalid")


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


def strict_copy(filter_):
    """A copy of a site filter with the API's stricter parsing; the site's own is unchanged."""
    strict = copy.deepcopy(filter_)
    strict.__dict__.pop("_field", None)
    if isinstance(strict, django_filters.BooleanFilter):
        strict.__class__ = StrictBooleanFilter
    elif isinstance(strict, django_filters.NumberFilter):
        if "year" in strict.field_name:
            strict.field_class = forms.IntegerField
        strict.extra.setdefault("min_value", -NUMBER_LIMIT)
        strict.extra.setdefault("max_value", NUMBER_LIMIT)
    return strict


@functools.cache
def api_filterset(base, model, search=(), ordering=()):
    """The FilterSet an endpoint uses: the site's `base` (or an empty one) plus API extras.

    `search` adds a `q` filter over those fields and `ordering` an explicit sort, each only
    where the base FilterSet has none.
    """
    base = base or django_filters.FilterSet
    attrs = {name: strict_copy(f) for name, f in base.base_filters.items()}
    if search and "q" not in attrs:
        attrs["q"] = search_filter(*search)
    if ordering and "ordering" not in attrs:
        attrs["ordering"] = django_filters.OrderingFilter(fields=ordering, label=gettext_lazy("Sort by"))
    attrs["Meta"] = type("Meta", (), {"model": model, "fields": []})
    name = base.__name__ if base is not django_filters.FilterSet else f"{model.__name__}Filter"
    return type(f"API{name}", (base,), attrs)


class FilterBackend(DjangoFilterBackend):
    def get_filterset_kwargs(self, request, queryset, view):
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        data = kwargs["data"].copy()
        for name, filter_ in self.get_filterset_class(view, queryset).base_filters.items():
            if isinstance(filter_, django_filters.ModelMultipleChoiceFilter) and name in data:
                # ?sector= (empty) means no sector filter, as in the site's form.
                data.setlist(name, [value for value in data.getlist(name) if value])
        kwargs["data"] = data
        return kwargs

    def get_filterset_class(self, view, queryset=None):
        model = queryset.model if queryset is not None else view.queryset.model
        return api_filterset(
            getattr(view, "filterset_class", None),
            model,
            tuple(getattr(view, "search_fields", ())),
            tuple(getattr(view, "ordering_fields", ())),
        )

    def filter_queryset(self, request, queryset, view):
        if getattr(view, "action", None) not in getattr(view, "filter_actions", ("list",)):
            return queryset
        return super().filter_queryset(request, queryset, view)


# --- permissions and throttling -------------------------------------------------------------------


class StaffWrites(permissions.BasePermission):
    """Anyone reads; only active staff write (and partnership.permissions decides what)."""

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        user = request.user
        return bool(user and user.is_authenticated and user.is_active and user.is_staff)


class AnonThrottle(AnonRateThrottle):
    """The anonymous rate (API_ANON_RATE), read when asked so that settings can change it."""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


# --- viewsets -------------------------------------------------------------------------------------

FORMAT_PARAMETER = OpenApiParameter(
    "format",
    str,
    enum=["json", "csv"],
    description="Response format; the same as `Accept: application/json` or `Accept: text/csv`.",
)


class PublicViewSet(viewsets.GenericViewSet):
    """A read-only endpoint over public content, with the API's shared behaviour."""

    renderer_classes = [JSONRenderer, CSVRenderer]
    pagination_class = Pagination
    filter_backends = [FilterBackend]
    permission_classes = [StaffWrites]
    throttle_classes = [AnonThrottle]
    # Query parameters an endpoint accepts beyond its filters and pagination.
    extra_query_params: tuple = ()
    # Actions the FilterSet applies to (and whose query strings it may fill).
    filter_actions: tuple = ("list",)
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

    def allowed_query_params(self):
        allowed = {"format", *self.extra_query_params}
        if self.action in self.filter_actions:
            allowed |= set(self.query_filters())
            if self.pagination_class is not None:
                allowed |= {Pagination.page_query_param, Pagination.page_size_query_param}
        return allowed

    def query_filters(self):
        """The filters of this action's query string (none for a single record or a write)."""
        if self.action not in self.filter_actions:
            return {}
        return FilterBackend().get_filterset_class(self, self.queryset).base_filters

    def list_query_params(self):
        """Comma-separated parameters (?ordering=-date,title)."""
        return {name for name, filter_ in self.query_filters().items() if isinstance(filter_, BaseCSVFilter)}

    def repeatable_query_params(self):
        """Parameters that may be given more than once (?status=a&status=b)."""
        return {
            name
            for name, filter_ in self.query_filters().items()
            if isinstance(filter_, django_filters.MultipleChoiceFilter)
        }

    def text_query_params(self):
        """Parameters where an empty value means "no filter" (free text, slugs, codes)."""
        text = (django_filters.CharFilter, django_filters.ModelMultipleChoiceFilter)
        return {name for name, filter_ in self.query_filters().items() if type(filter_) in text}

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.check_query(request, kwargs)

    def check_query(self, request, kwargs):
        errors = {}
        for name, values in request.query_params.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                errors[name.replace("\x00", "")] = [_("A null character is not allowed.")]
        if any("\x00" in str(value) for value in kwargs.values()):
            raise exceptions.NotFound()
        allowed = self.allowed_query_params()
        text_params = self.text_query_params()
        repeatable = self.repeatable_query_params()
        comma_lists = self.list_query_params()
        for name, values in request.query_params.lists():
            if name not in allowed or name in errors:
                continue
            if name not in text_params and "" in values:
                errors[name] = [_("Give a value, or leave the parameter out.")]
            elif name in comma_lists and any("" in value.split(",") for value in values):
                errors[name] = [_("An empty item in the comma-separated list.")]
            elif len(values) > 1 and name not in repeatable:
                errors[name] = [_("Give this parameter once.")]
        for name in request.query_params:
            if name not in allowed and name not in errors:
                errors[name] = [
                    _("Unknown parameter; this endpoint accepts: %(names)s.") % {"names": ", ".join(sorted(allowed))}
                ]
        if errors:
            raise exceptions.ValidationError(errors)

    def perform_content_negotiation(self, request, force=False):
        try:
            return super().perform_content_negotiation(request, force)
        except Http404:
            # An unknown ?format= is a bad parameter, not a missing page.
            formats = " or ".join(renderer.format for renderer in self.get_renderers())
            raise exceptions.ValidationError({"format": [_("Use %(formats)s.") % {"formats": formats}]}) from None

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if getattr(response, "exception", False) and isinstance(
            getattr(response, "accepted_renderer", None), CSVRenderer
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


class PublicReadOnlyViewSet(PublicViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    pass


class StaffWriteViewSet(PublicReadOnlyViewSet, mixins.CreateModelMixin, mixins.UpdateModelMixin):
    """Reads for everyone; create and change for staff within partnership.permissions.

    Deleting is left to the admin, which shows what else a deletion would take with it.
    """

    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def check_write(self, old, new):
        """Refuse (403) before saving unless the user may write both the stored and the new record."""

        user = self.request.user
        for state in (old, new):
            if state is not None and not can_write(user, state):
                raise exceptions.PermissionDenied(_("You may not change this record."))
        # A publication state moves only through the workflow actions (a body setting it is a 400);
        # a `published` flag (documents, events) is the secretariat's to change.
        if hasattr(new, "published"):
            before = old.published if old is not None else new._meta.get_field("published").get_default()
            if before != new.published and not can_publish(user):
                message = _("Only the secretariat publishes, returns or unpublishes.")
                raise exceptions.PermissionDenied({"published": [message]})

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

    def check_model_permission(self, action):
        """The model permission the admin also requires (add_… or change_…), before reading the body."""
        opts = self.queryset.model._meta
        if not self.request.user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}"):
            raise exceptions.PermissionDenied(
                _("You may not %(action)s %(things)s.") % {"action": action, "things": opts.verbose_name_plural}
            )

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
        serializer = self.get_serializer(instance, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        self.write(serializer, stored)
        return self.respond(instance, 200)
