"""Budgets and transactions: inlines under a project, and their own lists with CSV/XLSX import."""

from django.contrib import admin
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationTabularInline

from partnership.admin import TranslatedHistoryAdmin

from ..models import Budget, Transaction
from ..resources import BudgetResource, TransactionResource
from .base import (
    ScopedAdminMixin,
    ScopedFileTransferMixin,
    ScopedInlineMixin,
    WorkflowAdminMixin,
    main_language,
    publication_badge,
    translation_fieldsets,
    working_group_filter,
)


class UsdColumnMixin:
    """The list column of a budget's or transaction's stored USD equivalent."""

    # A method, not a module function assigned to the class: Django calls list columns named
    # on the admin as bound methods (the function form was a 500 on every list with a row).
    @admin.display(description=_("amount (USD)"), ordering="amount_usd")
    def usd_column(self, obj):
        if obj.amount_usd is None:
            return _("no rate")
        return intcomma(f"{obj.amount_usd:.0f}")


class BudgetInline(ScopedInlineMixin, TranslationTabularInline):
    model = Budget
    fields = [
        "kind",
        "status",
        "period_start",
        "period_end",
        "amount",
        "currency",
        "value_date",
        main_language("description"),
        "amount_usd",
    ]
    readonly_fields = ["amount_usd"]
    classes = ["collapse"]


class TransactionInline(ScopedInlineMixin, TranslationTabularInline):
    model = Transaction
    fields = [
        "kind",
        "date",
        "amount",
        "currency",
        "value_date",
        "provider",
        "provider_name",
        "receiver",
        "receiver_name",
        main_language("description"),
        "publication",
        "amount_usd",
    ]
    readonly_fields = ["publication", "amount_usd"]
    autocomplete_fields = ["provider", "receiver"]
    classes = ["collapse"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("provider", "receiver")


@admin.register(Budget)
class BudgetAdmin(UsdColumnMixin, ScopedAdminMixin, ScopedFileTransferMixin, TranslatedHistoryAdmin):
    resource_classes = [BudgetResource]
    list_display = ["__str__", "project", "kind", "status", "period_start", "amount", "currency", "usd_column"]
    list_filter = ["kind", "status", "currency", working_group_filter("project__working_group")]
    list_select_related = ["project"]
    search_fields = ["project__code", "description", "description_en"]
    autocomplete_fields = ["project"]
    date_hierarchy = "period_start"
    readonly_fields = ["usd_rate", "amount_usd"]


@admin.register(Transaction)
class TransactionAdmin(
    UsdColumnMixin, ScopedAdminMixin, WorkflowAdminMixin, ScopedFileTransferMixin, TranslatedHistoryAdmin
):
    resource_classes = [TransactionResource]
    workflow_fields = ["publication"]
    list_display = [
        "date",
        "kind",
        "project",
        "amount",
        "currency",
        "usd_column",
        "provider_or_name",
        "receiver_or_name",
        "publication_column",
    ]
    list_display_links = ["date", "kind"]
    list_filter = ["publication", "kind", "currency", working_group_filter("project__working_group")]
    list_select_related = ["project", "provider", "receiver"]
    search_fields = ["project__code", "provider_name", "receiver_name", "description", "description_en"]
    autocomplete_fields = ["project", "provider", "receiver"]
    date_hierarchy = "date"
    actions = ["submit_selected", "publish_selected", "unpublish_selected"]
    readonly_fields = ["publication_column", "usd_rate", "amount_usd"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "project",
                    ("kind", "date"),
                    ("amount", "currency", "value_date"),
                    ("usd_rate", "amount_usd"),
                    ("provider", "provider_name"),
                    ("receiver", "receiver_name"),
                    main_language("description"),
                    "publication_column",
                    "review_comment",
                ]
            },
        ),
        *translation_fieldsets("description"),
    ]

    @admin.display(description=_("provider"))
    def provider_or_name(self, obj):
        return obj.provider_label or "—"

    @admin.display(description=_("receiver"))
    def receiver_or_name(self, obj):
        return obj.receiver_label or "—"

    @admin.display(description=_("publication"), ordering="publication")
    def publication_column(self, obj):
        return publication_badge(obj)
