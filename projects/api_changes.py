"""/api/v1/changes/: the changes report (what changed between two dates) as JSON or CSV."""

import datetime

import django_filters
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer
from rest_framework import exceptions, serializers, viewsets
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from partnership.models import Commission, Sector, WorkingGroup
from partnership.rest.renderers import CSVRenderer
from partnership.rest.viewsets import FORMAT_PARAMETER, APIBehaviour

from .models import Project
from .serializers import MONEY
from .views.changes import SECTIONS, ChangesForm, commission_of, report_for

SECTION_KEYS = [key for key, _title, _note in SECTIONS]


class ChangeLineSerializer(serializers.Serializer):
    """One line of the changes report; a CSV row."""

    section = serializers.ChoiceField(choices=SECTION_KEYS, help_text="Which list of the report the line is in.")
    project_code = serializers.CharField(allow_null=True, help_text="The project (empty for a directive).")
    title = serializers.CharField(help_text="The project's, task's or directive's text, in the request's language.")
    before = serializers.CharField(allow_null=True, help_text="Status or confidence before (a move's start).")
    after = serializers.CharField(allow_null=True, help_text="Status or confidence after.")
    date = serializers.DateField(allow_null=True, help_text="Due or completed date (tasks), meeting date (directives).")
    usd_before = serializers.DecimalField(allow_null=True, **MONEY)
    usd_after = serializers.DecimalField(allow_null=True, **MONEY)
    usd_change = serializers.DecimalField(allow_null=True, **MONEY)
    url = serializers.URLField(help_text="The page of the project or of the directive's meeting.")


class CountsSerializer(serializers.Serializer):
    def get_fields(self):
        return {key: serializers.IntegerField() for key in SECTION_KEYS}


@extend_schema_serializer(many=False)
class ChangesSerializer(serializers.Serializer):
    date_from = serializers.DateField(help_text="First day of the period (included).")
    to = serializers.DateField(help_text="Last day of the period (included).")
    counts = CountsSerializer(help_text="Number of lines in each section.")
    usd_added = serializers.DecimalField(**MONEY)
    usd_withdrawn = serializers.DecimalField(**MONEY)
    changes = ChangeLineSerializer(many=True)

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = fields.pop("date_from")  # a Python keyword, so renamed here
        return {name: fields[name] for name in ("from", "to", "counts", "usd_added", "usd_withdrawn", "changes")}


DATE_PARAMETERS = [
    OpenApiParameter(
        "from",
        datetime.date,
        description="First day (YYYY-MM-DD); default: the day of the last commission session or summit recorded.",
    ),
    OpenApiParameter("to", datetime.date, description="Last day (YYYY-MM-DD); default today."),
    OpenApiParameter("working_group", str, description="Only this working group's projects and directives (slug)."),
    OpenApiParameter("sector", str, description="Only this sector's projects and directives (slug)."),
    OpenApiParameter("demo", str, enum=["real", "demo"], description="Only real, or only demo, projects."),
]


def lines(report, request):
    """The report's sections as flat lines, in section order."""
    out = []
    for key in SECTION_KEYS:
        for row in report["sections"][key]:
            line = {
                "section": key,
                "project_code": row.get("code") or row.get("project_code"),
                "title": row["label"],
                "before": None,
                "after": None,
                "date": None,
                "usd_before": None,
                "usd_after": None,
                "usd_change": None,
                "url": request.build_absolute_uri(row["url"]),
            }
            if key in ("status_moves", "closed"):
                line.update(before=row["old_status"], after=row["status"])
            elif key == "confidence_moves":
                line.update(before=row["old_confidence"], after=row["confidence"])
            elif key in ("added", "republished"):
                line.update(after=row["status"], usd_after=row["usd"])
            elif key == "investment":
                line.update(usd_before=row["old_usd"], usd_after=row["usd"], usd_change=row["usd_change"])
            elif key.startswith("tasks_"):
                line.update(after=row["status"], date=row["completed_date"] or row["due_date"])
            else:
                line.update(before=row.get("old_status"), after=row["status"], date=row["meeting_date"])
            out.append(line)
    return out


class NoFilters(django_filters.FilterSet):
    class Meta:
        model = Project
        fields: list = []


class ChangesViewSet(APIBehaviour, viewsets.ViewSet):
    """What changed between two dates: projects added, published again, closed or cancelled; status and
    confidence moves; investment added or withdrawn; tasks completed and newly overdue; directives
    given and closed. Only published projects count, with the values they had while published."""

    renderer_classes = [JSONRenderer, CSVRenderer]
    # No FilterSet and no pages: the parameters below are the whole query string.
    queryset = Project.objects.none()
    filterset_class = NoFilters
    pagination_class = None
    filter_actions = ()
    extra_query_params = ("from", "to", "working_group", "sector", "demo")

    def get_serializer(self, *args, **kwargs):
        # CSV columns: one row a line of the report.
        return ChangeLineSerializer(*args, **kwargs)

    @extend_schema(
        summary="What changed between two dates",
        parameters=[FORMAT_PARAMETER, *DATE_PARAMETERS],
        responses=ChangesSerializer,
    )
    def list(self, request, *args, **kwargs):
        form = ChangesForm(request.query_params)
        if not form.is_valid():
            raise exceptions.ValidationError({name: list(errors) for name, errors in form.errors.items()})
        params = request.query_params
        if params.get("working_group") and params.get("sector"):
            raise exceptions.ValidationError({"sector": [_("Give a working group or a sector, not both.")]})
        scope = "commission"
        if params.get("working_group"):
            scope = "working_group"
            subject = WorkingGroup.objects.select_related("commission").filter(slug=params["working_group"]).first()
        elif params.get("sector"):
            scope, subject = "sector", Sector.objects.filter(slug=params["sector"]).first()
        if scope == "working_group" and subject is None:
            raise exceptions.ValidationError({scope: [_("No working group has this slug.")]})
        if scope == "sector" and subject is None:
            raise exceptions.ValidationError({scope: [_("No sector has this slug.")]})
        if scope == "commission":
            subject = Commission.objects.default()  # none recorded yet: every project, an empty report
        start, end = form.window(commission_of(scope, subject))
        report = report_for(scope, subject, start, end, form.cleaned_data.get("demo") or "")
        rows = lines(report, request)
        if request.accepted_renderer.format == "csv":
            return Response(ChangeLineSerializer(rows, many=True).data)
        data = {
            "from": start,
            "to": end,
            "counts": report["counts"],
            "usd_added": report["usd_added"],
            "usd_withdrawn": report["usd_withdrawn"],
            "changes": rows,
        }
        return Response(ChangesSerializer(data).data)
