"""API of results: results, indicators (with progress and on-track status) and indicator values.

The public reads the results and indicators of published projects and the published values of
published projects; staff also see what they may edit, and write within partnership.permissions
(editors of the project's working group). Values move through the publication workflow
(submit, publish, return, unpublish) like progress updates. `indicators-on-track` counts
indicators on track, off track and without data per working group and sector.
"""

import django_filters
from django import forms
from drf_spectacular.utils import extend_schema, extend_schema_serializer, extend_schema_view
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from partnership.api import ID, documented
from partnership.permissions import scoped
from partnership.rest.pending import PendingActions
from partnership.rest.viewsets import PublicViewSet, StaffWriteViewSet
from partnership.serializers import ModelValidatingSerializer

from . import filters, selectors
from .api import AS_OF_PARAMETER, AsOfSelection, WorkflowActions, parse_as_of, workflow_schema
from .models import Document, Indicator, IndicatorValue, Project, Result
from .querysets import NO_DATA, OFF_TRACK, ON_TRACK, PUBLISHED
from .serializers import WorkflowStateSerializer, project_ref

# --- serializers ----------------------------------------------------------------------------------


class ScopedRelatedField(serializers.PrimaryKeyRelatedField):
    """A record the writer may see (partnership.permissions.scoped); others are "does not exist"."""

    def __init__(self, model, **kwargs):
        self.model = model
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        records = self.model._default_manager.all()
        return scoped(request.user, records) if request is not None else records.none()


class ResultSerializer(ModelValidatingSerializer):
    project = project_ref()
    project_code = serializers.CharField(source="project.code", read_only=True)

    class Meta:
        model = Result
        fields = ["id", "project", "project_code", "kind", "title", "description", "order", "updated"]


class IndicatorSerializer(ModelValidatingSerializer):
    result = ScopedRelatedField(Result)
    actual = serializers.DecimalField(
        max_digits=20, decimal_places=4, read_only=True, allow_null=True, help_text="The latest published value."
    )
    progress = serializers.FloatField(
        read_only=True, allow_null=True, help_text="(actual − baseline) / (target − baseline), 0–100."
    )
    elapsed = serializers.FloatField(
        read_only=True, allow_null=True, help_text="Share of the time from baseline date to target date passed, 0–100."
    )
    track = serializers.ChoiceField(
        choices=[ON_TRACK, OFF_TRACK, NO_DATA],
        read_only=True,
        help_text="On track when progress is at least the elapsed share of time.",
    )

    class Meta:
        model = Indicator
        fields = [
            "id",
            "result",
            "title",
            "measure",
            "unit",
            "ascending",
            "baseline_value",
            "baseline_date",
            "baseline_comment",
            "target_value",
            "target_date",
            "order",
            "actual",
            "progress",
            "elapsed",
            "track",
            "updated",
        ]


class IndicatorValueSerializer(WorkflowStateSerializer):
    indicator = ScopedRelatedField(Indicator)
    evidence = ScopedRelatedField(Document, allow_null=True, required=False)

    class Meta:
        model = IndicatorValue
        fields = [
            "id",
            "indicator",
            "period_start",
            "period_end",
            "value",
            "narrative",
            "comment",
            "evidence",
            "publication",
            "updated",
        ]

    def prepare(self, candidate):
        request = self.context.get("request")
        if candidate.pk is None and request is not None:
            candidate.author = request.user


class TrackRowSerializer(serializers.Serializer):
    key = serializers.CharField(allow_null=True, help_text="Working group or sector slug.")
    name = serializers.CharField()
    on_track = serializers.IntegerField()
    off_track = serializers.IntegerField()
    no_data = serializers.IntegerField(help_text="No published value yet, no target, or qualitative.")
    count = serializers.IntegerField()


class TrackTotalsSerializer(serializers.Serializer):
    on_track = serializers.IntegerField()
    off_track = serializers.IntegerField()
    no_data = serializers.IntegerField()
    count = serializers.IntegerField()


@extend_schema_serializer(many=False)  # one object, though served by a list action
class TrackSummarySerializer(serializers.Serializer):
    as_of = serializers.DateField()
    totals = TrackTotalsSerializer()
    by_working_group = TrackRowSerializer(many=True)
    by_sector = TrackRowSerializer(many=True)


# --- filters --------------------------------------------------------------------------------------


class ResultFilter(django_filters.FilterSet):
    project = django_filters.CharFilter(field_name="project__slug", label="Project (slug)")

    class Meta:
        model = Result
        fields = []


class IdFilter(django_filters.NumberFilter):
    """A record's id: a whole number ("0.5" is refused with a 400, not matched against nothing)."""

    field_class = forms.IntegerField


class IndicatorFilter(django_filters.FilterSet):
    project = django_filters.CharFilter(field_name="result__project__slug", label="Project (slug)")
    result = IdFilter(field_name="result", label="Result (id)")

    class Meta:
        model = Indicator
        fields = []


class IndicatorValueFilter(django_filters.FilterSet):
    project = django_filters.CharFilter(field_name="indicator__result__project__slug", label="Project (slug)")
    indicator = IdFilter(field_name="indicator", label="Indicator (id)")

    class Meta:
        model = IndicatorValue
        fields = []


# --- viewsets -------------------------------------------------------------------------------------


@documented("result", "results")
class ResultViewSet(StaffWriteViewSet):
    """Results of published projects."""

    queryset = Result.objects.select_related("project")
    serializer_class = ResultSerializer
    filterset_class = ResultFilter
    lookup_value_regex = ID
    ordering_fields = ("order",)

    def public(self, queryset):
        return queryset.filter(project__publication=PUBLISHED)


@documented("indicator", "indicators")
class IndicatorViewSet(StaffWriteViewSet):
    """Indicators of published projects, with their latest published value and progress today."""

    queryset = Indicator.objects.all()
    serializer_class = IndicatorSerializer
    filterset_class = IndicatorFilter
    lookup_value_regex = ID
    ordering_fields = ("order", "target_date")

    def base_queryset(self):
        return self.queryset.with_status()

    def public(self, queryset):
        return queryset.filter(result__project__publication=PUBLISHED)


@documented("indicator value", "indicator values")
@extend_schema_view(**workflow_schema("indicator value", IndicatorValueSerializer))
class IndicatorValueViewSet(WorkflowActions, PendingActions, StaffWriteViewSet):
    """Published actual values of the indicators of published projects."""

    queryset = IndicatorValue.objects.all()
    serializer_class = IndicatorValueSerializer
    filterset_class = IndicatorValueFilter
    lookup_value_regex = ID
    ordering_fields = ("period_end",)

    def public(self, queryset):
        return queryset.published()


@extend_schema_view(
    list=extend_schema(
        summary="Indicators on track, off track and without data, per working group and sector",
        description="Over the indicators of published projects (the directory's filters apply). An indicator is "
        "on track when its latest published value's progress towards target is at least the share of time "
        "passed between its baseline and target dates, on `as_of`.",
        parameters=[AS_OF_PARAMETER],
    )
)
class IndicatorTrackViewSet(AsOfSelection, PublicViewSet):
    """Counts of indicators on track per working group and sector."""

    queryset = Project.objects.all()
    filterset_class = filters.ProjectFilter
    serializer_class = TrackSummarySerializer
    pagination_class = None
    filter_actions = ("list",)
    extra_query_params = ("as_of",)

    def get_renderers(self):
        return [JSONRenderer()]

    def get_queryset(self):
        # Of published projects, whoever asks, as the reports; annotated as the directory's filters need.
        return self.queryset.published().with_figures(parse_as_of(self.request))

    def list(self, request, *args, **kwargs):
        as_of = parse_as_of(request)
        return Response(self.get_serializer(selectors.indicators_on_track(self.selected(as_of), as_of)).data)
