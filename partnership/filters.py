"""FilterSets of the commission side, shared by the HTML lists and the API.

Explicit filters only: each query-string parameter maps to one declared filter.
"""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from .models import (
    Agreement,
    CoChair,
    Directive,
    DirectiveFollowUp,
    Event,
    Meeting,
    Person,
    PortfolioFigure,
    TradeFigure,
    WorkingGroup,
)


def search_filter(*fields):
    """A `q` filter: every word must appear in one of `fields` (case-insensitive)."""

    def method(queryset, name, value):
        for word in value.split()[:10]:
            condition = Q()
            for field in fields:
                condition |= Q(**{f"{field}__icontains": word})
            queryset = queryset.filter(condition)
        return queryset

    return django_filters.CharFilter(label=_("Search"), method=method)


def in_or_out(queryset, subset, inside):
    """The records of `queryset` that are in `subset` (a queryset of the same model), or the others."""
    ids = subset.values("pk")
    return queryset.filter(pk__in=ids) if inside else queryset.exclude(pk__in=ids)


def subset_filter(label, subset):
    """A yes/no filter: yes keeps the records in `subset()`, no the others (read when filtering)."""

    def method(queryset, name, value):
        return in_or_out(queryset, subset(), value)

    return django_filters.BooleanFilter(label=label, method=method)


# A choice of words, though the model's flag it filters is a boolean.
@extend_schema_field({"type": "string", "enum": ["", "real", "demo"]})
class DemoFilter(django_filters.ChoiceFilter):
    """All records, real ones only (`real`) or demo ones only (`demo`), by a boolean demo flag.

    An empty value means all, in the site's forms and in the API alike.
    """

    empty_means_all = True

    def __init__(self, field_name="demo", **kwargs):
        kwargs.setdefault("label", _("Real or demo data"))
        kwargs.setdefault("empty_label", _("All projects"))
        kwargs.setdefault(
            "error_messages",
            {"invalid_choice": _("“%(value)s” is not a choice here: use “real”, “demo”, or leave it empty for all.")},
        )
        super().__init__(
            field_name=field_name,
            choices=[("real", _("Real projects only")), ("demo", _("Demo projects only"))],
            **kwargs,
        )

    def filter(self, qs, value):
        if value not in ("real", "demo"):
            return qs
        return qs.filter(**{self.field_name: value == "demo"})


class DemoOnlyFilter(django_filters.FilterSet):
    """Just the `demo` choice, for a page that lists or adds up a body's projects (a working group's)."""

    demo = DemoFilter()


class WorkingGroupFilter(django_filters.FilterSet):
    q = search_filter("name", "name_en", "mandate")
    active = django_filters.BooleanFilter(label=_("Active"))
    sector = django_filters.CharFilter(field_name="sectors__slug", label=_("Sector"), distinct=True)

    class Meta:
        model = WorkingGroup
        fields = []


class CoChairFilter(django_filters.FilterSet):
    country = django_filters.CharFilter(field_name="country__code", label=_("Country code"))
    working_group = django_filters.CharFilter(field_name="working_group__slug", label=_("Working group"))
    body = django_filters.ChoiceFilter(
        choices=[("commission", _("Commission")), ("working_group", _("Working group"))],
        method="filter_body",
        label=_("Body"),
    )
    current = subset_filter(_("Current"), lambda: CoChair.objects.current())

    class Meta:
        model = CoChair
        fields = []

    def filter_body(self, queryset, name, value):
        return queryset.filter(**{f"{value}__isnull": False})


class PersonFilter(django_filters.FilterSet):
    q = search_filter("full_name", "full_name_en")
    country = django_filters.CharFilter(field_name="country__code", label=_("Country code"))

    class Meta:
        model = Person
        fields = []


class MeetingFilter(django_filters.FilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=Meeting.Kind.choices, label=_("Kind"))
    year = django_filters.NumberFilter(field_name="date__year", min_value=1990, max_value=2100, label=_("Year"))
    working_group = django_filters.CharFilter(
        field_name="working_groups__slug", label=_("Working group"), distinct=True
    )

    class Meta:
        model = Meeting
        fields = []


class DirectiveFilter(django_filters.FilterSet):
    q = search_filter("text", "text_en")
    status = django_filters.MultipleChoiceFilter(choices=Directive.Status.choices, label=_("Status"))
    overdue = subset_filter(_("Overdue"), lambda: Directive.objects.overdue())
    working_group = django_filters.CharFilter(
        field_name="working_groups__slug", label=_("Working group"), distinct=True
    )
    meeting = django_filters.CharFilter(field_name="meeting__slug", label=_("Meeting"))
    commission = django_filters.CharFilter(field_name="meeting__commission__slug", label=_("Commission"))
    sector = django_filters.CharFilter(field_name="working_groups__sectors__slug", label=_("Sector"), distinct=True)

    class Meta:
        model = Directive
        fields = []


class DirectiveFollowUpFilter(django_filters.FilterSet):
    directive = django_filters.NumberFilter(field_name="directive", min_value=1, label=_("Directive"))
    status_after = django_filters.ChoiceFilter(choices=Directive.Status.choices, label=_("Status after"))

    class Meta:
        model = DirectiveFollowUp
        fields = []


class AgreementFilter(django_filters.FilterSet):
    q = search_filter("title", "title_en", "summary")
    kind = django_filters.MultipleChoiceFilter(choices=Agreement.Kind.choices, label=_("Kind"))
    status = django_filters.MultipleChoiceFilter(choices=Agreement.Status.choices, label=_("Status"))
    signed_after = django_filters.DateFilter(field_name="signed_date", lookup_expr="gte", label=_("Signed on or after"))
    signed_before = django_filters.DateFilter(
        field_name="signed_date", lookup_expr="lte", label=_("Signed on or before")
    )

    class Meta:
        model = Agreement
        fields = []


class TradeFigureFilter(django_filters.FilterSet):
    year_from = django_filters.NumberFilter(field_name="year", lookup_expr="gte", min_value=1990, label=_("From year"))
    year_to = django_filters.NumberFilter(field_name="year", lookup_expr="lte", max_value=2100, label=_("To year"))
    commission = django_filters.CharFilter(field_name="commission__slug", label=_("Commission"))

    class Meta:
        model = TradeFigure
        fields = []


class PortfolioFigureFilter(django_filters.FilterSet):
    commission = django_filters.CharFilter(field_name="commission__slug", label=_("Commission"))

    class Meta:
        model = PortfolioFigure
        fields = []


class EventFilter(django_filters.FilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=Event.Kind.choices, label=_("Kind"))
    upcoming = subset_filter(_("Upcoming"), lambda: Event.objects.upcoming(timezone.localdate()))
    year = django_filters.NumberFilter(field_name="start_date__year", min_value=1990, max_value=2100, label=_("Year"))
    demo = DemoFilter()

    class Meta:
        model = Event
        fields = []
