"""API endpoints of the portfolio, and the summaries behind the progress reports."""

import datetime

from django import forms
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django_filters.utils import translate_validation
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from partnership.api import ID, BySlug, PublishedOnly, WithOverdue, documented
from partnership.rest.filtering import FilterBackend
from partnership.rest.pending import PendingActions
from partnership.rest.viewsets import FORMAT_PARAMETER, PublicViewSet, SharedRecordDeletes, StaffWriteViewSet
from partnership.workflow import transition

from . import asof, filters, selectors, serializers
from .models import (
    Document,
    ExchangeRate,
    Organisation,
    ProgressUpdate,
    Project,
    ProjectLocation,
    ProjectParticipant,
    Task,
)
from .validators import validate_as_of

AS_OF_PARAMETER = OpenApiParameter(
    "as_of",
    datetime.date,
    description="Measure progress, overdue tasks and schedules on this day (YYYY-MM-DD; default today).",
)
STATE_AS_OF_PARAMETER = OpenApiParameter(
    "as_of",
    datetime.date,
    description="The day to report on (YYYY-MM-DD; default today): a past day gives the portfolio as it was "
    "then, read from the change history.",
)


def parse_as_of(request):
    """The `as_of` date of the query string (today when absent); a bad date is a 400 naming it."""
    raw = request.query_params.get("as_of")
    if raw in (None, ""):
        return timezone.localdate()
    try:
        day = forms.DateField(input_formats=["%Y-%m-%d"]).clean(raw)
        validate_as_of(day)
    except forms.ValidationError as exc:
        raise exceptions.ValidationError({"as_of": exc.messages}) from None
    return day


@documented("organisation", "organisations")
class OrganisationViewSet(SharedRecordDeletes, StaffWriteViewSet):
    """Organisations that take part in, or answer for a task of, a published project.

    One named only in draft projects stays private until the project is published: the names
    of investors can be sensitive before the secretariat publishes.
    """

    queryset = Organisation.objects.select_related("country")
    serializer_class = serializers.OrganisationSerializer
    filterset_class = filters.OrganisationFilter
    lookup_value_regex = ID
    ordering_fields = ("name",)

    def public(self, queryset):
        published = Project.objects.published()
        return queryset.filter(
            Q(pk__in=ProjectParticipant.objects.filter(project__in=published).values("organisation"))
            | Q(pk__in=Task.objects.filter(project__in=published).values("responsible_organisation"))
        )


@documented("exchange rate", "exchange rates")
class ExchangeRateViewSet(StaffWriteViewSet):
    queryset = ExchangeRate.objects.all()
    serializer_class = serializers.ExchangeRateSerializer
    filterset_class = filters.ExchangeRateFilter
    lookup_value_regex = ID
    ordering_fields = ("date", "currency")


class WorkflowActions:
    """POST …/submit/, …/publish/, …/return/ and …/unpublish/: the admin's publication workflow.

    Each calls partnership.workflow.transition, which checks permission and state before it
    writes and keeps the history; the answer is the record as it now stands.
    """

    def run_workflow(self, step, **extra):
        self.check_model_permission("change")
        record = self.get_object()
        transition(record, step, user=self.request.user, **extra)
        return self.respond(record, 200)

    @action(detail=True, methods=["post"])
    def submit(self, request, *args, **kwargs):
        return self.run_workflow("submit")

    @action(detail=True, methods=["post"])
    def publish(self, request, *args, **kwargs):
        return self.run_workflow("publish")

    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def send_back(self, request, *args, **kwargs):
        serializer = serializers.ReturnSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self.run_workflow("return", comment=serializer.validated_data["comment"])

    @action(detail=True, methods=["post"])
    def unpublish(self, request, *args, **kwargs):
        return self.run_workflow("unpublish")


def workflow_schema(name, response):
    """Schema of the four workflow actions of one resource."""
    common = {"responses": response, "parameters": [FORMAT_PARAMETER]}
    return {
        "submit": extend_schema(summary=f"Submit a {name} for publication (its editors)", request=None, **common),
        "publish": extend_schema(summary=f"Publish a {name} (secretariat)", request=None, **common),
        "send_back": extend_schema(
            summary=f"Return a submitted {name} to its editors with a comment (secretariat)",
            request=serializers.ReturnSerializer,
            **common,
        ),
        "unpublish": extend_schema(summary=f"Take a {name} off the public site (secretariat)", request=None, **common),
    }


@extend_schema_view(
    list=extend_schema(summary="List projects", parameters=[FORMAT_PARAMETER, AS_OF_PARAMETER]),
    retrieve=extend_schema(
        summary="One project, with its tasks, updates, participants and places",
        parameters=[FORMAT_PARAMETER, AS_OF_PARAMETER],
    ),
    create=extend_schema(
        summary="Add a project (staff)",
        request=serializers.ProjectWriteSerializer,
        responses={201: serializers.ProjectDetailSerializer},
    ),
    update=extend_schema(
        summary="Replace a project (staff)",
        request=serializers.ProjectWriteSerializer,
        responses=serializers.ProjectDetailSerializer,
    ),
    partial_update=extend_schema(
        summary="Change a project (staff)",
        request=serializers.ProjectWriteSerializer,
        responses=serializers.ProjectDetailSerializer,
    ),
    **workflow_schema("project", serializers.ProjectDetailSerializer),
)
class ProjectViewSet(PublishedOnly, BySlug, WorkflowActions, PendingActions, StaffWriteViewSet):
    """Published projects, with the figures the directory shows."""

    queryset = Project.objects.all()
    filterset_class = filters.ProjectFilter
    extra_query_params = ("as_of",)

    def base_queryset(self):
        queryset = Project.objects.for_directory(parse_as_of(self.request))
        if self.action == "list":
            return queryset
        return queryset.prefetch_related(
            Prefetch("tasks", queryset=Task.objects.select_related("responsible_organisation")),
            Prefetch(
                "updates", queryset=ProgressUpdate.objects.filter(publication="published"), to_attr="public_updates"
            ),
            Prefetch("documents", queryset=Document.objects.filter(published=True), to_attr="public_documents"),
            Prefetch("participants", queryset=ProjectParticipant.objects.select_related("organisation")),
            Prefetch("locations", queryset=ProjectLocation.objects.select_related("country")),
            "agreements",
            "directives",
        )

    def get_serializer_class(self):
        if self.action == "list":
            return serializers.ProjectListSerializer
        if self.action in ("create", "update", "partial_update"):
            return serializers.ProjectWriteSerializer
        return serializers.ProjectDetailSerializer

    def get_response_serializer(self, instance):
        return serializers.ProjectDetailSerializer(instance, context=self.get_serializer_context())


@documented("task", "tasks")
class TaskViewSet(PublishedOnly, WithOverdue, StaffWriteViewSet):
    """Tasks of published projects."""

    queryset = Task.objects.select_related("project", "responsible_organisation")
    serializer_class = serializers.TaskSerializer
    filterset_class = filters.TaskFilter
    lookup_value_regex = ID
    ordering_fields = ("due_date", "title", "order", "status")


@documented("progress update", "progress updates")
@extend_schema_view(**workflow_schema("progress update", serializers.ProgressUpdateSerializer))
class ProgressUpdateViewSet(PublishedOnly, WorkflowActions, PendingActions, StaffWriteViewSet):
    """Published updates of published projects."""

    queryset = ProgressUpdate.objects.select_related("project")
    serializer_class = serializers.ProgressUpdateSerializer
    filterset_class = filters.ProgressUpdateFilter
    lookup_value_regex = ID
    search_fields = ("title", "title_en", "body", "body_en")
    ordering_fields = ("reported_on",)


@documented("document", "documents")
class DocumentViewSet(PublishedOnly, PendingActions, StaffWriteViewSet):
    """Published documents of published projects.

    Staff attach a file with a `multipart/form-data` body (the `file` part); accepted types are
    checked by content, up to the size limit. `href` is the address to fetch the file from.
    """

    queryset = Document.objects.select_related("project")
    parser_classes = [JSONParser, MultiPartParser]
    serializer_class = serializers.DocumentSerializer
    filterset_class = filters.DocumentFilter
    lookup_value_regex = ID
    search_fields = ("title", "title_en")
    ordering_fields = ("title", "updated")


# --- summaries ------------------------------------------------------------------------------------

# Path name of a breakdown → the field Project.objects.totals_by() groups on.
DIMENSIONS = {
    "status": "status",
    "confidence": "confidence",
    "sector": "sectors",
    "working-group": "working_group",
    "location-country": "country",
}


class AsOfSelection:
    """For the summaries that take the directory's filters and `as_of`."""

    # On a past day these select by the projects' state then, as the reports' scopes do.
    FILTERS_THEN = ("working_group", "sector", "status", "confidence", "demo")

    def selected(self, as_of):
        """The projects summed: published today, or (a past day) as they were when published then.

        On a past day `working_group`, `sector`, `status`, `confidence` and `demo` select by the
        group, sectors, status, confidence and demo flag each project had then (so a past report
        and its files hold the same projects); the other filters select among the projects
        published today, by their present attributes. The figures are those of their state then.
        """
        if not asof.is_past(as_of):
            return Project.objects.filter(pk__in=self.filter_queryset(self.get_queryset()).values("pk"))
        given = [name for name in self.filterset_class.base_filters if name in self.request.query_params]
        if not given:
            return asof.projects_on(as_of)
        filterset = FilterBackend().get_filterset(self.request, self.get_queryset(), self)
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        # Taken out of what selects today's projects, and applied to the state then.
        cleaned = filterset.form.cleaned_data
        then = {name: cleaned.pop(name, None) for name in self.FILTERS_THEN}
        if any(selects(value) for name, value in cleaned.items() if name != "ordering"):
            states = asof.projects_on(as_of, Project.objects.filter(pk__in=filterset.qs.values("pk")))
        else:
            states = asof.projects_on(as_of)  # the whole portfolio's day: kept once computed
        return states.chosen_then(**then)


def selects(value):
    """Whether a filter's cleaned value narrows anything (an empty one means all)."""
    if value is None or value == "":
        return False
    return not isinstance(value, (list, tuple, QuerySet)) or bool(value)


@extend_schema_view(
    list=extend_schema(
        summary="Portfolio totals and their breakdowns",
        description="Published projects only. With a past `as_of`: the projects published at the end "
        "of that day, with the status, confidence, amounts, working group, sectors and tasks they had "
        "then (read from the change history) and the exchange rates recorded by then; `working_group`, "
        "`sector`, `status`, `confidence` and `demo` select by the group, sectors, status, confidence and "
        "demo flag then (as the reports do), the other filters among the projects published now, by "
        "their present attributes. A project in two sectors, or with places in two countries "
        "(`by_location_country`), counts once in each; `by_country` splits each project's investment "
        "by its participants' shares instead, so it adds up to the total (today's shares; on a past "
        "day, each project's US-dollar figure then).",
        parameters=[STATE_AS_OF_PARAMETER],
    ),
    dimension=extend_schema(
        summary="Totals by one dimension, one row per value",
        parameters=[
            FORMAT_PARAMETER,
            STATE_AS_OF_PARAMETER,
            OpenApiParameter("dimension", str, OpenApiParameter.PATH, enum=list(DIMENSIONS)),
        ],
        responses=serializers.TotalsRowSerializer(many=True),
    ),
    by_country=extend_schema(
        summary="Investment by participant country: each project's USD split by its participants' shares",
        description="One row per country of the participants, then one unallocated row (no share recorded, "
        "or shares under 100%); the rows add up to the total of the selected projects.",
        parameters=[FORMAT_PARAMETER, AS_OF_PARAMETER],
        responses=serializers.CountryShareRowSerializer(many=True),
    ),
)
class SummaryViewSet(AsOfSelection, PublishedOnly, PublicViewSet):
    """Totals behind the progress reports, over the projects the directory's filters select."""

    queryset = Project.objects.all()
    filterset_class = filters.ProjectFilter
    serializer_class = serializers.SummarySerializer
    pagination_class = None
    filter_actions = ("list", "dimension", "by_country")
    extra_query_params = ("as_of",)

    def get_renderers(self):
        if getattr(self, "action", None) == "list":
            return [JSONRenderer()]
        return super().get_renderers()

    def get_queryset(self):
        # Reports are of published projects, whoever asks; the figures serve the filters.
        return self.public(self.queryset.all()).with_figures(parse_as_of(self.request))

    def get_serializer_class(self):
        if self.action == "dimension":
            return serializers.TotalsRowSerializer
        if self.action == "by_country":
            return serializers.CountryShareRowSerializer
        return serializers.SummarySerializer

    def list(self, request, *args, **kwargs):
        as_of = parse_as_of(request)
        selected = self.selected(as_of)
        data = selectors.summary(selected, DIMENSIONS, as_of)
        data["by_country"] = self.country_split(selected)
        return Response(self.get_serializer(data).data)

    @staticmethod
    def country_split(selected):
        """The participant-country split of the selected projects (on a past day: of those published
        then, with their US-dollar figures then), by today's shares."""
        return selectors.investment_by_participant_country(selected)

    @action(detail=False, url_path="by-country")
    def by_country(self, request, *args, **kwargs):
        rows = self.country_split(self.selected(parse_as_of(request)))
        return Response(self.get_serializer(rows, many=True).data)

    @action(detail=False, url_path=r"by-(?P<dimension>status|confidence|sector|working-group|location-country)")
    def dimension(self, request, dimension, *args, **kwargs):
        as_of = parse_as_of(request)
        rows = selectors.breakdown(self.selected(as_of), DIMENSIONS[dimension], as_of)
        return Response(self.get_serializer(rows, many=True).data)


@extend_schema_view(
    list=extend_schema(
        summary="Budgets, commitments and disbursements in USD by one dimension",
        description="Published projects only (the directory's filters apply). US-dollar equivalents "
        "at the exchange rate of each value date; amounts whose currency has no rate are left out. "
        "Budgets in force count (a revised budget replaces the original of the same period); "
        "commitments and disbursements count when published. A project in two sectors or countries "
        "counts once in each; by year, budgets count in the year their period starts and "
        "transactions in the year of their date.",
        parameters=[
            FORMAT_PARAMETER,
            OpenApiParameter(
                "by",
                str,
                enum=list(selectors.MONEY_DIMENSIONS),
                default="working_group",
                description="The dimension (default: working_group).",
            ),
        ],
        responses=serializers.MoneyTotalsRowSerializer(many=True),
    ),
)
class MoneySummaryViewSet(PublishedOnly, PublicViewSet):
    """Money totals behind the reports, over the projects the directory's filters select."""

    queryset = Project.objects.all()
    filterset_class = filters.ProjectFilter
    serializer_class = serializers.MoneyTotalsRowSerializer
    pagination_class = None
    extra_query_params = ("by",)

    def get_queryset(self):
        return self.public(self.queryset.all()).with_figures()

    def list(self, request, *args, **kwargs):
        by = request.query_params.get("by") or "working_group"
        if by not in selectors.MONEY_DIMENSIONS:
            raise exceptions.ValidationError(
                {"by": [f"Choose one of: {', '.join(selectors.MONEY_DIMENSIONS)} (got “{by}”)."]}
            )
        ids = self.filter_queryset(self.get_queryset()).values("pk")
        rows = selectors.money_totals(Project.objects.filter(pk__in=ids), by)
        return Response(self.get_serializer(rows, many=True).data)
