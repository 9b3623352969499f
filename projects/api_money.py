"""API of budgets and transactions, one row each, with their USD equivalents.

The public reads the budgets of published projects and the published transactions of published
projects; staff also see what they may edit, and write within partnership.permissions (editors of
the project's working group). Transactions move through the publication workflow (submit,
publish, return, unpublish) like progress updates; a budget is part of its project and is public
with it. The totals are at `/api/v1/money/summary/`.
"""

import django_filters
from django import forms
from drf_spectacular.utils import extend_schema_view
from rest_framework import serializers

from partnership.api import ID, documented
from partnership.rest.pending import PendingActions
from partnership.rest.viewsets import StaffWriteViewSet
from partnership.serializers import ModelValidatingSerializer

from .api import WorkflowActions, workflow_schema
from .models import Budget, Transaction
from .querysets import PUBLISHED
from .serializers import MONEY, VisibleOrganisationField, WorkflowStateSerializer, project_ref

USD_HELP = "In US dollars at the rate of the value date; empty when no rate is known."


class MoneyFields(serializers.Serializer):
    """What budgets and transactions share: the project, and the stored USD figures (read-only)."""

    project = project_ref()
    project_code = serializers.CharField(source="project.code", read_only=True)
    usd_rate = serializers.DecimalField(
        max_digits=20, decimal_places=6, read_only=True, allow_null=True, help_text="Units of the currency per USD."
    )
    amount_usd = serializers.DecimalField(**MONEY, read_only=True, allow_null=True, help_text=USD_HELP)


class BudgetSerializer(MoneyFields, ModelValidatingSerializer):
    class Meta:
        model = Budget
        fields = [
            "id",
            "project",
            "project_code",
            "kind",
            "status",
            "period_start",
            "period_end",
            "amount",
            "currency",
            "value_date",
            "usd_rate",
            "amount_usd",
            "description",
            "updated",
        ]


class TransactionSerializer(MoneyFields, WorkflowStateSerializer):
    provider = VisibleOrganisationField(allow_null=True, required=False)
    receiver = VisibleOrganisationField(allow_null=True, required=False)

    class Meta:
        model = Transaction
        fields = [
            "id",
            "project",
            "project_code",
            "kind",
            "date",
            "amount",
            "currency",
            "value_date",
            "usd_rate",
            "amount_usd",
            "provider",
            "provider_name",
            "receiver",
            "receiver_name",
            "description",
            "publication",
            "updated",
        ]


class YearFilter(django_filters.NumberFilter):
    """A calendar year, a whole number: "2025.5" is a 400, not an empty list."""

    field_class = forms.IntegerField


class BudgetFilter(django_filters.FilterSet):
    project = django_filters.CharFilter(field_name="project__slug", label="Project (slug)")
    kind = django_filters.ChoiceFilter(choices=Budget.Kind.choices)
    currency = django_filters.CharFilter(field_name="currency", label="Currency (ISO 4217)")
    year = YearFilter(field_name="period_start", lookup_expr="year", label="Year the period starts in")

    class Meta:
        model = Budget
        fields = []


class TransactionFilter(django_filters.FilterSet):
    project = django_filters.CharFilter(field_name="project__slug", label="Project (slug)")
    kind = django_filters.ChoiceFilter(choices=Transaction.Kind.choices)
    currency = django_filters.CharFilter(field_name="currency", label="Currency (ISO 4217)")
    year = YearFilter(field_name="date", lookup_expr="year", label="Year of the transaction")
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label="On or after (YYYY-MM-DD)")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label="On or before (YYYY-MM-DD)")

    class Meta:
        model = Transaction
        fields = []


@documented("budget", "budgets")
class BudgetViewSet(StaffWriteViewSet):
    """Budgets of published projects, per period, with their USD equivalents."""

    queryset = Budget.objects.select_related("project")
    serializer_class = BudgetSerializer
    filterset_class = BudgetFilter
    lookup_value_regex = ID
    ordering_fields = ("period_start", "amount_usd")

    def public(self, queryset):
        return queryset.filter(project__publication=PUBLISHED)


@documented("transaction", "transactions")
@extend_schema_view(**workflow_schema("transaction", TransactionSerializer))
class TransactionViewSet(WorkflowActions, PendingActions, StaffWriteViewSet):
    """Published commitments, disbursements, expenditures and incoming funds of published projects."""

    queryset = Transaction.objects.select_related("project")
    serializer_class = TransactionSerializer
    filterset_class = TransactionFilter
    lookup_value_regex = ID
    ordering_fields = ("date", "amount_usd")

    def public(self, queryset):
        return queryset.published()
