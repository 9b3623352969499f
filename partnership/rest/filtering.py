"""Filtering and strict query strings, shared by every endpoint of the API.

- Filtering through the site's own FilterSets; the API adds only `q` and `ordering` where a
  FilterSet has none, booleans that refuse anything but true/false, and bounds on numbers.
- Strict query strings: a parameter the endpoint does not know is a 400 naming it (a typo such
  as `?staus=closed` would otherwise return every row).
"""

import copy
import functools

import django_filters
from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.forms.utils import pretty_name
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.filters import BaseCSVFilter
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions

from ..filters import search_filter

# The OpenAPI description of these filters (a drf-spectacular extension registers on import).
from . import schema  # noqa: F401

# Bounds on numeric filters, so that no value can overflow a database column.
NUMBER_LIMIT = 10**16


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


def ordering_labels(model, fields):
    """Sort labels in the reader's language, "Date (ascending)" and "Date (descending)", from each
    field's verbose name; lazy, because the FilterSet is built once for every language."""
    labels = {}
    for name in fields:
        try:
            field = capfirst(model._meta.get_field(name).verbose_name)
        except FieldDoesNotExist:
            field = pretty_name(name)
        labels[name] = format_lazy(gettext_lazy("{field} (ascending)"), field=field)
        labels[f"-{name}"] = format_lazy(gettext_lazy("{field} (descending)"), field=field)
    return labels


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
        attrs["ordering"] = django_filters.OrderingFilter(
            fields=ordering, field_labels=ordering_labels(model, ordering), label=gettext_lazy("Sort by")
        )
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


class StrictQueryString:
    """A view mixin: every query parameter must be one this action knows, given once, with a value."""

    # Query parameters an endpoint accepts beyond its filters and pagination.
    extra_query_params: tuple = ()
    # Actions the FilterSet applies to (and whose query strings it may fill).
    filter_actions: tuple = ("list",)

    def allowed_query_params(self):
        allowed = {"format", *self.extra_query_params}
        if getattr(self, "action", None) in self.filter_actions:
            allowed |= set(self.query_filters())
            pagination = getattr(self, "pagination_class", None)
            if pagination is not None:
                allowed |= {pagination.page_query_param, pagination.page_size_query_param}
        return allowed

    def query_filters(self):
        """The filters of this action's query string (none for a single record or a write)."""
        if getattr(self, "action", None) not in self.filter_actions:
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
        return {
            name
            for name, filter_ in self.query_filters().items()
            if type(filter_) in text or getattr(filter_, "empty_means_all", False)
        }

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
