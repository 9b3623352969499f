"""FilterSets of the portfolio, shared by the HTML lists and the API.

Explicit filters only: each query-string parameter maps to one declared filter, never to an ORM
lookup chosen by the client. Invalid values make the form invalid (the API answers 400 naming
the parameter; the HTML list says what was wrong).
"""

import django_filters
from django.db.models import DecimalField, Exists, F, FloatField, OuterRef, Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from partnership.filters import DemoFilter, search_filter, subset_filter
from partnership.models import Country, Sector, WorkingGroup

from .models import Confidence, Document, ExchangeRate, Organisation, ProgressUpdate, Project, ProjectLocation, Task
from .querysets import Divide
from .search import search


class EmptyLastOrdering(django_filters.OrderingFilter):
    """Sorting that puts projects without the value (no investment, no tasks, no dates) last in
    either direction, with the code breaking ties so that pages never overlap."""

    def get_ordering_value(self, param):
        value = super().get_ordering_value(param)
        field = F(value.removeprefix("-"))
        return field.desc(nulls_last=True) if value.startswith("-") else field.asc(nulls_last=True)

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        return qs.order_by(*qs.query.order_by, "code") if value else qs


# Where PostgreSQL's text search is not available (SQLite), `q` matches these fields as text.
SEARCH_FALLBACK = ("code", "title", "summary", "title_en", "summary_en")


class PortfolioFilter(django_filters.FilterSet):
    """Real projects, demo ones or both: the one filter of every page and feed that adds projects up.

    The directory, the reports, the home page's figures, the map and the feeds read it (through
    this FilterSet or the ProjectFilter that extends it); the API's lists of projects' children
    filter on their project's flag with the same DemoFilter.
    """

    demo = DemoFilter()

    class Meta:
        model = Project
        fields = []


class ProjectFilter(PortfolioFilter):
    """The project directory's filters. Investment filters need `Project.objects.with_usd()`."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    sector = django_filters.ModelMultipleChoiceFilter(
        field_name="sectors__slug",
        to_field_name="slug",
        queryset=Sector.objects.all(),
        label=_("Sector"),
        method="filter_sector",
    )
    working_group = django_filters.ModelMultipleChoiceFilter(
        field_name="working_group__slug",
        to_field_name="slug",
        queryset=WorkingGroup.objects.all(),
        label=_("Working group"),
    )
    status = django_filters.MultipleChoiceFilter(choices=Project.Status.choices, label=_("Status"))
    confidence = django_filters.MultipleChoiceFilter(choices=Confidence.choices, label=_("Delivery confidence"))
    country = django_filters.ModelMultipleChoiceFilter(
        field_name="locations__country__code",
        to_field_name="code",
        queryset=Country.objects.all(),
        label=_("Country"),
        method="filter_country",
    )
    region = django_filters.CharFilter(method="filter_region", label=_("Region"))
    investment_min = django_filters.NumberFilter(
        field_name="investment_usd", lookup_expr="gte", min_value=0, label=_("Investment from (USD)")
    )
    investment_max = django_filters.NumberFilter(
        field_name="investment_usd", lookup_expr="lte", min_value=0, label=_("Investment up to (USD)")
    )
    disbursed_min = django_filters.NumberFilter(
        method="filter_disbursed",
        min_value=0,
        label=_("Disbursed from (% of committed)"),
        help_text=_("Projects with commitments whose disbursements reach at least this share of them."),
    )
    disbursed_max = django_filters.NumberFilter(
        method="filter_disbursed",
        min_value=0,
        label=_("Disbursed up to (% of committed)"),
        help_text=_("Projects with commitments whose disbursements are at most this share of them."),
    )
    start_year = django_filters.NumberFilter(
        field_name="planned_start__year", min_value=1990, max_value=2100, label=_("Planned start year")
    )
    behind_schedule = django_filters.BooleanFilter(
        field_name="behind_schedule", label=_("Behind schedule"), method="filter_annotated"
    )
    ordering = EmptyLastOrdering(
        fields=(
            ("code", "code"),
            ("title", "title"),
            ("investment_usd", "investment"),
            ("progress", "progress"),
            ("planned_start", "planned_start"),
            ("planned_end", "planned_end"),
            ("updated", "updated"),
        ),
        # django-filter keys an ascending label by the field and a descending one by "-" + parameter.
        field_labels={
            "code": _("Code (A–Z)"),
            "-code": _("Code (Z–A)"),
            "title": _("Title (A–Z)"),
            "-title": _("Title (Z–A)"),
            "investment_usd": _("Investment (smallest first)"),
            "-investment": _("Investment (largest first)"),
            "progress": _("Progress (least first)"),
            "-progress": _("Progress (most first)"),
            "planned_start": _("Planned start (earliest first)"),
            "-planned_start": _("Planned start (latest first)"),
            "planned_end": _("Planned end (earliest first)"),
            "-planned_end": _("Planned end (latest first)"),
            "updated": _("Last updated (oldest first)"),
            "-updated": _("Last updated (newest first)"),
        },
        label=_("Sort by"),
    )

    class Meta:
        model = Project
        fields = []

    def filter_queryset(self, queryset):
        """Filtered, then ranked by relevance when searching, else by code, unless an order is asked."""
        queryset = super().filter_queryset(queryset)
        if self.form.cleaned_data.get("ordering"):
            return queryset
        ranked = ["-search_rank"] if "search_rank" in queryset.query.annotations else []
        return queryset.order_by(*ranked, "code")

    def filter_search(self, queryset, name, value):
        return search(queryset, value, fallback_fields=SEARCH_FALLBACK)

    # Filters over many-to-many relations test for a matching row (EXISTS) instead of joining and
    # de-duplicating every column with DISTINCT, which PostgreSQL must sort for each page and count.
    def filter_sector(self, queryset, name, value):
        if not value:
            return queryset
        links = Project.sectors.through.objects.filter(project=OuterRef("pk"), sector__in=value)
        return queryset.filter(Exists(links))

    def filter_country(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(Exists(ProjectLocation.objects.filter(project=OuterRef("pk"), country__in=value)))

    def filter_region(self, queryset, name, value):
        places = ProjectLocation.objects.filter(project=OuterRef("pk")).filter(
            Q(region__iexact=value) | Q(region_en__iexact=value)
        )
        return queryset.filter(Exists(places))

    def filter_disbursed(self, queryset, name, value):
        # From the stored per-project totals (ProjectFigures): no transaction is summed per request.
        # Only projects with commitments have a ratio; none disbursed is 0%.
        money = DecimalField(max_digits=20, decimal_places=2)
        disbursed = Coalesce(F("figures__disbursed_usd"), Value(0), output_field=money)
        share = Divide(
            disbursed * Value(100, output_field=money), F("figures__committed_usd"), output_field=FloatField()
        )
        lookup = "gte" if name == "disbursed_min" else "lte"
        return queryset.alias(disbursed_pct=share).filter(
            figures__committed_usd__gt=0, **{f"disbursed_pct__{lookup}": value}
        )

    def filter_annotated(self, queryset, name, value):
        # Needs the annotations of Project.objects.with_figures().
        return queryset.filter(**{name: value})


class TaskFilter(django_filters.FilterSet):
    q = search_filter("title", "responsible")
    project = django_filters.CharFilter(field_name="project__slug", label=_("Project (slug)"))
    working_group = django_filters.CharFilter(field_name="project__working_group__slug", label=_("Working group"))
    status = django_filters.MultipleChoiceFilter(choices=Task.Status.choices, label=_("Status"))
    overdue = subset_filter(_("Overdue"), lambda: Task.objects.overdue())
    due_before = django_filters.DateFilter(field_name="due_date", lookup_expr="lt", label=_("Due before"))
    due_after = django_filters.DateFilter(field_name="due_date", lookup_expr="gte", label=_("Due on or after"))
    demo = DemoFilter("project__demo")

    class Meta:
        model = Task
        fields = []


class ProgressUpdateFilter(django_filters.FilterSet):
    project = django_filters.CharFilter(field_name="project__slug", label=_("Project (slug)"))
    working_group = django_filters.CharFilter(field_name="project__working_group__slug", label=_("Working group"))
    confidence = django_filters.MultipleChoiceFilter(choices=Confidence.choices, label=_("Delivery confidence"))
    reported_after = django_filters.DateFilter(
        field_name="reported_on", lookup_expr="gte", label=_("Reported on or after")
    )
    reported_before = django_filters.DateFilter(
        field_name="reported_on", lookup_expr="lte", label=_("Reported on or before")
    )
    demo = DemoFilter("project__demo")

    class Meta:
        model = ProgressUpdate
        fields = []


class DocumentFilter(django_filters.FilterSet):
    project = django_filters.CharFilter(field_name="project__slug", label=_("Project (slug)"))
    kind = django_filters.MultipleChoiceFilter(choices=Document.Kind.choices, label=_("Kind"))
    demo = DemoFilter("project__demo")

    class Meta:
        model = Document
        fields = []


class OrganisationFilter(django_filters.FilterSet):
    q = search_filter("name", "name_en")
    country = django_filters.CharFilter(field_name="country__code", label=_("Country code"))
    kind = django_filters.MultipleChoiceFilter(choices=Organisation.Kind.choices, label=_("Kind"))
    demo = DemoFilter()

    class Meta:
        model = Organisation
        fields = []


class ExchangeRateFilter(django_filters.FilterSet):
    currency = django_filters.CharFilter(field_name="currency", label=_("Currency"))
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("From"))
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("To"))
    demo = DemoFilter()

    class Meta:
        model = ExchangeRate
        fields = []
