"""API representations of the portfolio. Related records are named by slug, code or id.

Figures (USD equivalent, progress, overdue tasks, behind schedule) come from the database
annotations of Project.objects.with_figures(), never computed here.
"""

from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from partnership.models import Agreement, Country, Directive, Sector, WorkingGroup
from partnership.permissions import scoped
from partnership.serializers import (
    ModelValidatingSerializer,
    SectorRefSerializer,
    WorkingGroupRefSerializer,
    slug_of,
)

from .models import (
    Document,
    ExchangeRate,
    Organisation,
    ProgressUpdate,
    Project,
    ProjectLocation,
    ProjectParticipant,
    Publication,
    Task,
)

MONEY = {"max_digits": 20, "decimal_places": 2}
WORKFLOW_HELP = (
    "Draft, submitted, returned or published; changed only through the submit, publish, return and unpublish actions."
)


class WorkflowStateSerializer(ModelValidatingSerializer):
    """The publication state is shown but moves only through projects.services (the admin's workflow)."""

    publication = serializers.ChoiceField(choices=Publication.choices, read_only=True, help_text=WORKFLOW_HELP)

    def validate(self, attrs):
        if "publication" in getattr(self, "initial_data", {}):
            raise serializers.ValidationError(
                {"publication": ["Use the submit, publish, return or unpublish action to change it."]}
            )
        return super().validate(attrs)


class ReturnSerializer(serializers.Serializer):
    comment = serializers.CharField(help_text="Why it goes back to its editors.", allow_blank=True)


class OrganisationSerializer(ModelValidatingSerializer):
    country = slug_of(Country, allow_null=True, field="code")

    class Meta:
        model = Organisation
        fields = ["id", "name", "country", "kind", "website", "demo", "updated"]


class ExchangeRateSerializer(ModelValidatingSerializer):
    class Meta:
        model = ExchangeRate
        fields = ["id", "currency", "date", "units_per_usd", "source", "source_url", "demo", "updated"]


# --- projects -------------------------------------------------------------------------------------


class ProjectListSerializer(serializers.ModelSerializer):
    """One row of the directory: what a table of projects needs."""

    working_group = WorkingGroupRefSerializer(read_only=True, allow_null=True)
    sectors = SectorRefSerializer(many=True, read_only=True)
    investment_usd = serializers.DecimalField(
        **MONEY, read_only=True, allow_null=True, help_text="The investment in US dollars; null when no rate is known."
    )
    progress = serializers.FloatField(
        read_only=True, allow_null=True, help_text="Done task weight as a share of all task weight, 0–100."
    )
    overdue_tasks = serializers.IntegerField(read_only=True, help_text="Tasks past their due date and not done.")
    behind_schedule = serializers.BooleanField(
        read_only=True, help_text="More of the planned time has passed than the progress shows."
    )
    url = serializers.HyperlinkedIdentityField(view_name="api:project-detail", lookup_field="slug")
    page_url = serializers.SerializerMethodField(help_text="The project's public page.")

    class Meta:
        model = Project
        fields = [
            "code",
            "slug",
            "title",
            "status",
            "confidence",
            "working_group",
            "sectors",
            "investment_amount",
            "investment_currency",
            "investment_usd",
            "progress",
            "overdue_tasks",
            "behind_schedule",
            "jobs_planned",
            "jobs_created",
            "planned_start",
            "planned_start_precision",
            "planned_end",
            "planned_end_precision",
            "actual_start",
            "actual_start_precision",
            "actual_end",
            "actual_end_precision",
            "publication",
            "demo",
            "updated",
            "url",
            "page_url",
        ]

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_page_url(self, obj):
        path = obj.get_absolute_url()
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class ProjectTaskSerializer(serializers.ModelSerializer):
    responsible_organisation = serializers.CharField(
        source="responsible_organisation.name", read_only=True, allow_null=True
    )

    class Meta:
        model = Task
        fields = [
            "id",
            "title",
            "status",
            "is_milestone",
            "responsible_organisation",
            "responsible",
            "due_date",
            "completed_date",
            "weight",
        ]


class ProjectUpdateSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgressUpdate
        fields = ["id", "reported_on", "title", "body", "confidence", "physical_progress", "financial_progress"]


class ParticipantSerializer(serializers.ModelSerializer):
    organisation = serializers.PrimaryKeyRelatedField(read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = ProjectParticipant
        fields = ["organisation", "organisation_name", "role", "share"]


class LocationSerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="country.code", read_only=True)

    class Meta:
        model = ProjectLocation
        fields = ["country", "region", "place", "latitude", "longitude"]


class AgreementRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Agreement
        fields = ["slug", "title", "kind", "signed_date"]


class DirectiveRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Directive
        fields = ["id", "text", "status", "due_date"]


class DocumentRefSerializer(serializers.ModelSerializer):
    href = serializers.CharField(read_only=True)

    class Meta:
        model = Document
        fields = ["id", "title", "kind", "href"]


class ProjectDetailSerializer(ProjectListSerializer):
    """A project with its tasks, published updates and documents, participants and places."""

    tasks = ProjectTaskSerializer(many=True, read_only=True)
    updates = ProjectUpdateSerializer(many=True, read_only=True, source="public_updates")
    documents = DocumentRefSerializer(many=True, read_only=True, source="public_documents")
    participants = ParticipantSerializer(many=True, read_only=True)
    locations = LocationSerializer(many=True, read_only=True)
    agreements = AgreementRefSerializer(many=True, read_only=True)
    directives = DirectiveRefSerializer(many=True, read_only=True)

    class Meta(ProjectListSerializer.Meta):
        fields = [
            *ProjectListSerializer.Meta.fields,
            "summary",
            "description",
            "confidence_commentary",
            "rate_date",
            "source",
            "source_url",
            "tasks",
            "updates",
            "documents",
            "participants",
            "locations",
            "agreements",
            "directives",
        ]


class ProjectWriteSerializer(WorkflowStateSerializer):
    """What staff send to add or change a project (the answer is the full project)."""

    working_group = slug_of(WorkingGroup, allow_null=True)
    sectors = slug_of(Sector, many=True)
    agreements = slug_of(Agreement, many=True)
    directives = serializers.PrimaryKeyRelatedField(queryset=Directive.objects.all(), many=True, required=False)

    class Meta:
        model = Project
        fields = [
            "code",
            "slug",
            "title",
            "summary",
            "description",
            "working_group",
            "sectors",
            "status",
            "confidence",
            "confidence_commentary",
            "investment_amount",
            "investment_currency",
            "rate_date",
            "jobs_planned",
            "jobs_created",
            "planned_start",
            "planned_start_precision",
            "planned_end",
            "planned_end_precision",
            "actual_start",
            "actual_start_precision",
            "actual_end",
            "actual_end_precision",
            "agreements",
            "directives",
            "publication",
            "source",
            "source_url",
            "demo",
        ]


# --- records of a project -------------------------------------------------------------------------


def project_ref():
    return serializers.SlugRelatedField(slug_field="slug", queryset=Project.objects.all())


class VisibleOrganisationField(serializers.PrimaryKeyRelatedField):
    """An organisation the writer may see (partnership.permissions.scoped): an editor cannot name,
    and so learn of, one that only other groups' drafts name; such an id is "does not exist"."""

    def get_queryset(self):
        request = self.context.get("request")
        organisations = Organisation.objects.all()
        return scoped(request.user, organisations) if request is not None else organisations.none()


class TaskSerializer(ModelValidatingSerializer):
    project = project_ref()
    project_code = serializers.CharField(source="project.code", read_only=True)
    responsible_organisation = VisibleOrganisationField(allow_null=True, required=False)
    responsible_organisation_name = serializers.CharField(
        source="responsible_organisation.name", read_only=True, allow_null=True
    )
    overdue = serializers.BooleanField(source="is_late", read_only=True, help_text="Past its due date and not done.")

    class Meta:
        model = Task
        fields = [
            "id",
            "project",
            "project_code",
            "title",
            "status",
            "is_milestone",
            "responsible_organisation",
            "responsible_organisation_name",
            "responsible",
            "due_date",
            "completed_date",
            "overdue",
            "weight",
            "order",
            "updated",
        ]


class ProgressUpdateSerializer(WorkflowStateSerializer):
    project = project_ref()
    project_code = serializers.CharField(source="project.code", read_only=True)

    class Meta:
        model = ProgressUpdate
        fields = [
            "id",
            "project",
            "project_code",
            "reported_on",
            "title",
            "body",
            "confidence",
            "physical_progress",
            "financial_progress",
            "publication",
            "updated",
        ]

    def prepare(self, candidate):
        request = self.context.get("request")
        if candidate.pk is None and request is not None:
            candidate.author = request.user


class DocumentSerializer(ModelValidatingSerializer):
    project = project_ref()
    project_code = serializers.CharField(source="project.code", read_only=True)
    file = serializers.FileField(
        required=False, help_text="The attached file (upload it in a multipart body), served at `href`."
    )
    href = serializers.CharField(read_only=True, help_text="The attached file's address, or the link.")

    class Meta:
        model = Document
        fields = ["id", "project", "project_code", "title", "kind", "url", "file", "href", "published", "updated"]


# --- summaries ------------------------------------------------------------------------------------


class TotalsSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Projects.")
    usd = serializers.DecimalField(**MONEY, help_text="Investment in US dollars, of the priced projects.")
    unpriced = serializers.IntegerField(help_text="Projects with an amount but no exchange rate (not in `usd`).")
    jobs_planned = serializers.IntegerField()
    jobs_created = serializers.IntegerField()
    real_count = serializers.IntegerField(help_text="Real projects (not demo data).")
    real_usd = serializers.DecimalField(**MONEY, help_text="Investment of the real projects in US dollars.")
    demo_count = serializers.IntegerField(help_text="Demo projects (fictional, for demonstration).")
    demo_usd = serializers.DecimalField(**MONEY, help_text="Investment of the demo projects in US dollars.")
    progress = serializers.FloatField(
        allow_null=True,
        help_text="Share of all task weight done (0–100), as the site's progress report shows it.",
    )
    mean_progress = serializers.FloatField(
        allow_null=True, help_text="Average of the projects' progress (0–100), over projects with tasks."
    )
    overdue_tasks = serializers.IntegerField(help_text="Tasks overdue on the `as_of` date.")
    behind_schedule = serializers.IntegerField(help_text="Projects behind schedule on the `as_of` date.")


class TotalsRowSerializer(serializers.Serializer):
    key = serializers.CharField(allow_null=True, help_text="Status or confidence value, slug, or country code.")
    name = serializers.CharField(help_text="What the key stands for, in the request's language.")
    count = serializers.IntegerField()
    usd = serializers.DecimalField(**MONEY)
    unpriced = serializers.IntegerField()
    real_count = serializers.IntegerField(help_text="Real projects (not demo data).")
    real_usd = serializers.DecimalField(**MONEY)
    demo_count = serializers.IntegerField(help_text="Demo projects (fictional, for demonstration).")
    demo_usd = serializers.DecimalField(**MONEY)
    progress = serializers.FloatField(allow_null=True, help_text="Share of all task weight done (0–100).")
    mean_progress = serializers.FloatField(allow_null=True, help_text="Average of the projects' progress (0–100).")
    overdue_tasks = serializers.IntegerField()
    behind_schedule = serializers.IntegerField()


class CountryShareRowSerializer(serializers.Serializer):
    key = serializers.CharField(
        allow_null=True, help_text="Country code of the participants; null for the unallocated part."
    )
    name = serializers.CharField(help_text="The country's name in the request's language, or “Unallocated”.")
    usd = serializers.DecimalField(
        **MONEY,
        help_text="US dollars: each priced project's investment times the shares of this country's participants. "
        "The rows add up to the total.",
    )
    count = serializers.IntegerField(
        help_text="Projects with a part in this row (for the unallocated row: those whose shares leave some out)."
    )
    percent = serializers.FloatField(allow_null=True, help_text="Share of the total (0–100); null when it is zero.")


@extend_schema_serializer(many=False)
class SummarySerializer(serializers.Serializer):
    as_of = serializers.DateField(help_text="The day progress, overdue tasks and schedules are measured on.")
    totals = TotalsSerializer()
    by_status = TotalsRowSerializer(many=True)
    by_confidence = TotalsRowSerializer(many=True)
    by_sector = TotalsRowSerializer(many=True)
    by_working_group = TotalsRowSerializer(many=True)
    by_country = CountryShareRowSerializer(
        many=True,
        help_text="Investment split by the shares of the participants' countries, with an unallocated row; "
        "adds up to `totals.usd`.",
    )
    by_location_country = TotalsRowSerializer(
        many=True, help_text="Projects and their investment by the countries of their places: a project counts in each."
    )


class MoneyTotalsRowSerializer(serializers.Serializer):
    key = serializers.CharField(allow_null=True, help_text="Working-group or sector slug, country code, or year.")
    name = serializers.CharField(help_text="What the key stands for, in the request's language.")
    count = serializers.IntegerField(allow_null=True, help_text="Projects (none for years).")
    with_money = serializers.IntegerField(
        allow_null=True, help_text="Projects with a budget or a published commitment (none for years)."
    )
    budget_usd = serializers.DecimalField(
        **MONEY, allow_null=True, help_text="Budgets in force (a revised budget replaces the original), USD."
    )
    committed_usd = serializers.DecimalField(**MONEY, allow_null=True, help_text="Published commitments, USD.")
    disbursed_usd = serializers.DecimalField(**MONEY, allow_null=True, help_text="Published disbursements, USD.")
