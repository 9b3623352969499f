"""API endpoints of the commission side: read for everyone, write for the secretariat."""

from drf_spectacular.utils import extend_schema, extend_schema_view

from . import filters, serializers
from .models import (
    Agreement,
    CoChair,
    Commission,
    Country,
    Directive,
    DirectiveFollowUp,
    Event,
    Meeting,
    Person,
    PortfolioFigure,
    Sector,
    TradeFigure,
    WorkingGroup,
)
from .rest.viewsets import FORMAT_PARAMETER, PublicReadOnlyViewSet, SharedRecordDeletes, StaffWriteViewSet

SLUG = r"[-a-zA-Z0-9_]+"
ID = r"[0-9]{1,18}"


# The mixins carry no docstring: the API schema describes each endpoint by the first docstring
# of its class's bases, which must stay the viewset's own.


class BySlug:
    # Records addressed by their slug in URLs.

    lookup_field = "slug"
    lookup_value_regex = SLUG


class PublishedOnly:
    # Anonymous clients see published records only, as on the site.

    def public(self, queryset):
        return queryset.published()


class WithOverdue:
    # Each record annotated `is_late` (overdue today), which its serializer and filters read.

    def base_queryset(self):
        return self.queryset.with_overdue()


def documented(name, plural):
    """Summaries and the `format` parameter for the read and write actions of one resource."""
    return extend_schema_view(
        list=extend_schema(summary=f"List {plural}", parameters=[FORMAT_PARAMETER]),
        retrieve=extend_schema(summary=f"One {name}", parameters=[FORMAT_PARAMETER]),
        create=extend_schema(summary=f"Add a {name} (staff)"),
        update=extend_schema(summary=f"Replace a {name} (staff)"),
        partial_update=extend_schema(summary=f"Change a {name} (staff)"),
        destroy=extend_schema(summary=f"Delete a {name} unless a published project uses it (secretariat)"),
    )


@documented("country", "countries")
class CountryViewSet(SharedRecordDeletes, StaffWriteViewSet):
    queryset = Country.objects.all()
    serializer_class = serializers.CountrySerializer
    lookup_field = "code"
    lookup_value_regex = "[A-Z]{2}"
    search_fields = ("code", "name", "name_en")
    ordering_fields = ("code", "name")


@documented("commission", "commissions")
class CommissionViewSet(BySlug, StaffWriteViewSet):
    queryset = Commission.objects.prefetch_related("countries")
    serializer_class = serializers.CommissionSerializer
    search_fields = ("name", "name_en", "short_name", "short_name_en")
    ordering_fields = ("name", "established")


@documented("sector", "sectors")
class SectorViewSet(SharedRecordDeletes, BySlug, StaffWriteViewSet):
    queryset = Sector.objects.all()
    serializer_class = serializers.SectorSerializer
    search_fields = ("name", "name_en")
    ordering_fields = ("order", "name")


@documented("working group", "working groups")
class WorkingGroupViewSet(SharedRecordDeletes, BySlug, StaffWriteViewSet):
    queryset = WorkingGroup.objects.select_related("commission").prefetch_related("sectors")
    serializer_class = serializers.WorkingGroupSerializer
    filterset_class = filters.WorkingGroupFilter
    ordering_fields = ("order", "name", "established")


@documented("co-chair term", "co-chair terms")
class CoChairViewSet(StaffWriteViewSet):
    queryset = CoChair.objects.select_related("person", "country", "commission", "working_group")
    serializer_class = serializers.CoChairSerializer
    filterset_class = filters.CoChairFilter
    lookup_value_regex = ID
    ordering_fields = ("start_date", "end_date")


@documented("person", "people")
class PersonViewSet(StaffWriteViewSet):
    queryset = Person.objects.select_related("country")
    serializer_class = serializers.PersonSerializer
    filterset_class = filters.PersonFilter
    lookup_value_regex = ID
    ordering_fields = ("full_name",)


@documented("meeting", "meetings")
class MeetingViewSet(BySlug, StaffWriteViewSet):
    queryset = Meeting.objects.select_related("commission").prefetch_related("working_groups")
    serializer_class = serializers.MeetingSerializer
    filterset_class = filters.MeetingFilter
    search_fields = ("title", "title_en", "summary", "summary_en", "place", "place_en")
    ordering_fields = ("date", "title")


@documented("directive", "directives")
class DirectiveViewSet(SharedRecordDeletes, WithOverdue, StaffWriteViewSet):
    queryset = Directive.objects.select_related("meeting").prefetch_related("working_groups", "follow_ups")
    serializer_class = serializers.DirectiveSerializer
    filterset_class = filters.DirectiveFilter
    lookup_value_regex = ID
    ordering_fields = ("due_date", "status", "order")


@documented("directive follow-up entry", "directive follow-up entries")
class DirectiveFollowUpViewSet(StaffWriteViewSet):
    """Follow-up entries of directives; an entry with `status_after` sets its directive's status
    (the latest entry by date wins), in the same transaction."""

    queryset = DirectiveFollowUp.objects.select_related("directive")
    serializer_class = serializers.DirectiveFollowUpSerializer
    filterset_class = filters.DirectiveFollowUpFilter
    lookup_value_regex = ID
    search_fields = ("text", "text_en")
    ordering_fields = ("date",)


@documented("agreement", "agreements")
class AgreementViewSet(SharedRecordDeletes, BySlug, StaffWriteViewSet):
    queryset = Agreement.objects.select_related("commission")
    serializer_class = serializers.AgreementSerializer
    filterset_class = filters.AgreementFilter
    ordering_fields = ("signed_date", "title", "in_force_from")


@documented("trade figure", "trade figures")
class TradeFigureViewSet(StaffWriteViewSet):
    queryset = TradeFigure.objects.select_related("commission", "reporting_country")
    serializer_class = serializers.TradeFigureSerializer
    filterset_class = filters.TradeFigureFilter
    lookup_value_regex = ID
    ordering_fields = ("year", "turnover_usd")


@extend_schema_view(
    list=extend_schema(summary="List portfolio figures", parameters=[FORMAT_PARAMETER]),
    retrieve=extend_schema(summary="One portfolio figure", parameters=[FORMAT_PARAMETER]),
)
class PortfolioFigureViewSet(PublicReadOnlyViewSet):
    """The size of the joint portfolio as officially reported over time, each figure with its source."""

    queryset = PortfolioFigure.objects.select_related("commission")
    serializer_class = serializers.PortfolioFigureSerializer
    filterset_class = filters.PortfolioFigureFilter
    lookup_value_regex = ID
    ordering_fields = ("date", "project_count", "investment_usd")


@documented("event", "events")
class EventViewSet(PublishedOnly, BySlug, StaffWriteViewSet):
    """Published events only, as on the site."""

    queryset = Event.objects.select_related("commission")
    serializer_class = serializers.EventSerializer
    filterset_class = filters.EventFilter
    search_fields = ("title", "title_en", "description", "description_en", "place", "place_en")
    ordering_fields = ("start_date", "title")
