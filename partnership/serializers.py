"""API representations of the commission side. Related records are named by slug or code.

Text fields come in the language of the request's Accept-Language header (English when a
field has not been translated).
"""

import copy

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ManyToManyField
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from . import services
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
from .rest.errors import NON_FIELD
from .rest.permissions import check_fields


class ModelValidatingSerializer(serializers.ModelSerializer):
    """Runs the model's full_clean() on the record as it would be saved.

    So the API refuses exactly what the admin refuses (clean() and the database constraints),
    with the same messages, as a 400 naming the field. The checked record is kept as
    `candidate`, and that is what gets saved.
    """

    def validate(self, attrs):
        attrs = super().validate(attrs)
        model = self.Meta.model
        many = {name: attrs[name] for name in list(attrs) if isinstance(model._meta.get_field(name), ManyToManyField)}
        plain = {name: value for name, value in attrs.items() if name not in many}
        if self.instance is not None:
            candidate = copy.copy(self.instance)
            for name, value in plain.items():
                setattr(candidate, name, value)
        else:
            candidate = model(**plain)
        self.prepare(candidate)
        request = self.context.get("request")
        if request is not None:
            # Fields the user's role may not write (partnership.permissions.FIELD_RULES): 403.
            check_fields(request.user, self.instance, candidate)
        try:
            candidate.full_clean(validate_unique=True, validate_constraints=True)
        except DjangoValidationError as exc:
            errors = {NON_FIELD if key == "__all__" else key: value for key, value in exc.message_dict.items()}
            raise serializers.ValidationError(errors) from None
        self.candidate = candidate
        self.candidate_m2m = many
        return attrs

    def prepare(self, candidate):
        """Fill fields the client does not send (e.g. the author) before validation."""

    def create(self, validated_data):
        return self.save_candidate()

    def update(self, instance, validated_data):
        saved = self.save_candidate()
        instance.__dict__.update(saved.__dict__)
        return instance

    def save_candidate(self):
        candidate = self.candidate
        candidate.save()
        for name, values in self.candidate_m2m.items():
            getattr(candidate, name).set(values)
        return candidate


def slug_of(model, many=False, allow_null=False, field="slug"):
    """A writable reference to another record by its slug (or code)."""
    return serializers.SlugRelatedField(
        slug_field=field,
        queryset=model.objects.all(),
        many=many,
        allow_null=allow_null,
        required=not (many or allow_null),
    )


class SectorRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Sector
        fields = ["slug", "name"]


class WorkingGroupRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = WorkingGroup
        fields = ["slug", "name"]


class CountrySerializer(ModelValidatingSerializer):
    class Meta:
        model = Country
        fields = ["code", "name", "updated"]


class CommissionSerializer(ModelValidatingSerializer):
    countries = slug_of(Country, many=True, field="code")

    class Meta:
        model = Commission
        fields = [
            "slug",
            "name",
            "short_name",
            "countries",
            "established",
            "established_precision",
            "mandate",
            "trade_target_usd",
            "trade_target_year",
            "source",
            "source_url",
            "updated",
        ]


class SectorSerializer(ModelValidatingSerializer):
    class Meta:
        model = Sector
        fields = ["slug", "name", "order", "updated"]


class WorkingGroupSerializer(ModelValidatingSerializer):
    commission = slug_of(Commission)
    sectors = slug_of(Sector, many=True)

    class Meta:
        model = WorkingGroup
        fields = [
            "slug",
            "name",
            "commission",
            "sectors",
            "mandate",
            "established",
            "established_precision",
            "active",
            "order",
            "source",
            "source_url",
            "updated",
        ]


class CoChairSerializer(ModelValidatingSerializer):
    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all())
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    country = serializers.CharField(source="country.code", read_only=True, help_text="The person's country.")
    commission = slug_of(Commission, allow_null=True)
    working_group = slug_of(WorkingGroup, allow_null=True)
    current = serializers.SerializerMethodField(help_text="In office today.")

    class Meta:
        model = CoChair
        fields = [
            "id",
            "person",
            "person_name",
            "country",
            "position",
            "commission",
            "working_group",
            "start_date",
            "start_date_precision",
            "end_date",
            "end_date_precision",
            "current",
            "source",
            "source_url",
            "updated",
        ]

    @extend_schema_field(bool)
    def get_current(self, obj):
        today = timezone.localdate()
        return (obj.start_date is None or obj.start_date <= today) and (obj.end_date is None or obj.end_date >= today)


class PersonSerializer(ModelValidatingSerializer):
    country = slug_of(Country, field="code")
    photo = serializers.ImageField(read_only=True, allow_null=True)

    class Meta:
        model = Person
        fields = ["id", "full_name", "country", "bio", "photo", "updated"]


class MeetingSerializer(ModelValidatingSerializer):
    commission = slug_of(Commission)
    working_groups = slug_of(WorkingGroup, many=True)

    class Meta:
        model = Meeting
        fields = [
            "slug",
            "title",
            "kind",
            "commission",
            "date",
            "date_precision",
            "place",
            "summary",
            "working_groups",
            "source",
            "source_url",
            "updated",
        ]


FOLLOW_UP_FIELDS = [
    "id",
    "date",
    "text",
    "evidence_url",
    "evidence_title",
    "status_after",
    "source",
    "source_url",
]


class FollowUpRefSerializer(serializers.ModelSerializer):
    """A follow-up entry inside its directive (read only; written at /api/v1/directive-follow-ups/)."""

    class Meta:
        model = DirectiveFollowUp
        fields = FOLLOW_UP_FIELDS


class DirectiveSerializer(ModelValidatingSerializer):
    meeting = slug_of(Meeting)
    meeting_title = serializers.CharField(source="meeting.title", read_only=True)
    meeting_date = serializers.DateField(source="meeting.date", read_only=True)
    working_groups = slug_of(WorkingGroup, many=True)
    overdue = serializers.BooleanField(
        source="is_late", read_only=True, help_text="Open or in progress and past its due date."
    )
    follow_ups = FollowUpRefSerializer(many=True, read_only=True, help_text="Follow-up entries, oldest first.")

    class Meta:
        model = Directive
        fields = [
            "id",
            "meeting",
            "meeting_title",
            "meeting_date",
            "text",
            "working_groups",
            "due_date",
            "status",
            "overdue",
            "order",
            "source",
            "source_url",
            "follow_ups",
            "updated",
        ]


class DirectiveFollowUpSerializer(ModelValidatingSerializer):
    """A follow-up entry; saving one with `status_after` sets its directive's status (latest entry wins)."""

    directive = serializers.PrimaryKeyRelatedField(queryset=Directive.objects.select_related("meeting"))
    directive_status = serializers.CharField(
        source="directive.status", read_only=True, help_text="The directive's status after this entry was saved."
    )

    class Meta:
        model = DirectiveFollowUp
        fields = ["id", "directive", *FOLLOW_UP_FIELDS[1:], "directive_status", "updated"]

    def validate_directive(self, directive):
        if self.instance is not None and directive.pk != self.instance.directive_id:
            raise serializers.ValidationError(_("A follow-up entry cannot move to another directive; add a new one."))
        return directive

    def save_candidate(self):
        candidate = self.candidate
        request = self.context.get("request")
        services.save_follow_ups(
            directive=candidate.directive,
            saved=[candidate],
            user=getattr(request, "user", None),
            reason="API",
        )
        return candidate


class AgreementSerializer(ModelValidatingSerializer):
    commission = slug_of(Commission)
    file = serializers.FileField(read_only=True, allow_null=True)

    class Meta:
        model = Agreement
        fields = [
            "slug",
            "title",
            "kind",
            "status",
            "commission",
            "signed_date",
            "signed_date_precision",
            "signed_place",
            "in_force_from",
            "in_force_until",
            "url",
            "file",
            "summary",
            "source",
            "source_url",
            "updated",
        ]


class TradeFigureSerializer(ModelValidatingSerializer):
    commission = slug_of(Commission)
    reporting_country = slug_of(Country, allow_null=True, field="code")

    class Meta:
        model = TradeFigure
        fields = [
            "id",
            "commission",
            "year",
            "turnover_usd",
            "reporting_country",
            "exports_usd",
            "imports_usd",
            "estimate",
            "source",
            "source_url",
            "source_note",
            "updated",
        ]


class PortfolioFigureSerializer(serializers.ModelSerializer):
    commission = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    # A link or "" when none is recorded (a read-only URLField would promise a URI always).
    source_url = serializers.CharField(read_only=True, label=gettext_lazy("Source link"))

    class Meta:
        model = PortfolioFigure
        fields = [
            "id",
            "commission",
            "date",
            "date_precision",
            "project_count",
            "investment_usd",
            "investment_over",
            "source",
            "source_url",
            "updated",
        ]
        read_only_fields = fields


class EventSerializer(ModelValidatingSerializer):
    commission = slug_of(Commission)

    class Meta:
        model = Event
        fields = [
            "slug",
            "title",
            "kind",
            "commission",
            "start_date",
            "start_date_precision",
            "end_date",
            "place",
            "description",
            "published",
            "demo",
            "source",
            "source_url",
            "updated",
        ]
