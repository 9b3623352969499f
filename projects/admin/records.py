"""The records of a project on their own lists, and the portfolio's reference data."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from partnership.admin import (
    DemoListFilter,
    HistoryAdmin,
    TranslatedHistoryAdmin,
    demo_column,
    flag_column,
    yes_no_filter,
)
from partnership.permissions import can_publish
from partnership.workflow import apply_to_each, reason_of, startable

from .. import services
from ..models import Document, ExchangeRate, Organisation, ProgressUpdate, ProjectLocation, ProjectParticipant, Task
from ..resources import ExchangeRateResource, TaskResource
from .base import (
    ScopedAdminMixin,
    ScopedFileTransferMixin,
    WorkflowAdminMixin,
    confidence_badge,
    publication_badge,
    working_group_filter,
)

# --- records of a project ----------------------------------------------------------------------


OverdueTaskFilter = yes_no_filter(
    _("overdue"), "overdue", (_("Overdue"), _("Not overdue")), lambda queryset, yes: queryset.filter(is_late=yes)
)


@admin.register(Task)
class TaskAdmin(ScopedAdminMixin, ScopedFileTransferMixin, TranslatedHistoryAdmin):
    resource_classes = [TaskResource]
    list_display = ["title", "project", "status", "due_date", "late_column", "completed_date", "weight"]
    list_filter = ["status", OverdueTaskFilter, working_group_filter("project__working_group"), "is_milestone"]
    list_select_related = ["project"]
    search_fields = ["title", "title_en", "responsible", "project__code"]
    autocomplete_fields = ["project", "responsible_organisation"]
    date_hierarchy = "due_date"
    actions = ["mark_done"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_overdue()

    def get_export_queryset(self, request):
        return super().get_export_queryset(request).select_related("responsible_organisation")

    late_column = flag_column("is_late", _("overdue"), "late")

    @admin.action(description=_("Mark selected tasks done (completed today)"), permissions=["change"])
    def mark_done(self, request, queryset):
        try:
            changed = services.mark_tasks_done(user=request.user, tasks=queryset)
        except (PermissionDenied, ValidationError) as exc:
            messages.error(request, reason_of(exc))
            return
        messages.success(request, ngettext("%d task marked done.", "%d tasks marked done.", changed) % changed)


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(ScopedAdminMixin, WorkflowAdminMixin, TranslatedHistoryAdmin):
    workflow_fields = ["publication"]
    list_display = [
        "reported_on",
        "title",
        "project",
        "confidence_column",
        "physical_progress",
        "financial_progress",
        "publication_column",
        "author",
    ]
    list_display_links = ["reported_on", "title"]
    list_filter = ["publication", "confidence", working_group_filter("project__working_group")]
    list_select_related = ["project", "author"]
    search_fields = ["title", "title_en", "project__code"]
    autocomplete_fields = ["project"]
    date_hierarchy = "reported_on"
    actions = ["submit_selected", "publish_selected", "unpublish_selected"]
    readonly_fields = ["publication_column", "author"]
    fields = [
        "project",
        ("reported_on", "confidence"),
        ("physical_progress", "financial_progress"),
        "title",
        "body",
        "publication_column",
        "review_comment",
        "author",
    ]

    def save_model(self, request, obj, form, change):
        if obj.author_id is None:
            obj.author = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("delivery confidence"), ordering="confidence")
    def confidence_column(self, obj):
        return confidence_badge(obj)

    @admin.display(description=_("publication"), ordering="publication")
    def publication_column(self, obj):
        return publication_badge(obj)


@admin.register(Document)
class DocumentAdmin(ScopedAdminMixin, TranslatedHistoryAdmin):
    list_display = ["title", "project", "kind", "published", "link"]
    list_filter = ["kind", "published", working_group_filter("project__working_group")]
    list_select_related = ["project"]
    search_fields = ["title", "title_en", "url", "project__code"]
    autocomplete_fields = ["project"]
    actions = ["publish", "unpublish"]

    def has_publish_permission(self, request):
        return can_publish(request.user)

    @admin.display(description=_("link"))
    def link(self, obj):
        return obj.href

    @admin.action(description=_("Publish selected documents"), permissions=["publish"])
    def publish(self, request, queryset):
        self._set_published(request, queryset, "publish")

    @admin.action(description=_("Unpublish selected documents"), permissions=["publish"])
    def unpublish(self, request, queryset):
        self._set_published(request, queryset, "unpublish")

    def _set_published(self, request, queryset, action):
        # Documents already in the state asked for are left alone, as before the workflow.
        done, refused = apply_to_each(startable(queryset, action), action, user=request.user)
        changed = len(done)
        messages.success(request, ngettext("%d document changed.", "%d documents changed.", changed) % changed)
        for document, reason in refused:
            messages.error(request, f"{document}: {reason}")


@admin.register(ProjectParticipant)
class ParticipantAdmin(ScopedAdminMixin, HistoryAdmin):
    list_display = ["organisation", "role", "project", "share"]
    list_filter = ["role", working_group_filter("project__working_group")]
    list_select_related = ["organisation", "project"]
    search_fields = ["organisation__name", "organisation__name_en", "project__code", "project__title"]
    autocomplete_fields = ["project", "organisation"]


@admin.register(ProjectLocation)
class LocationAdmin(ScopedAdminMixin, TranslatedHistoryAdmin):
    list_display = ["__str__", "project", "country", "region", "latitude", "longitude"]
    list_filter = ["country", working_group_filter("project__working_group")]
    list_select_related = ["project", "country"]
    search_fields = ["place", "place_en", "region", "region_en", "project__code"]
    autocomplete_fields = ["project", "country"]


# --- reference data of the portfolio -----------------------------------------------------------


@admin.register(Organisation)
class OrganisationAdmin(ScopedAdminMixin, TranslatedHistoryAdmin):
    list_display = ["name", "country", "kind", "website", "demo_column"]
    list_filter = ["kind", "country", DemoListFilter]
    list_select_related = ["country"]
    search_fields = ["name", "name_en"]
    autocomplete_fields = ["country"]
    demo_column = demo_column


@admin.register(ExchangeRate)
class ExchangeRateAdmin(ScopedAdminMixin, ScopedFileTransferMixin, HistoryAdmin):
    resource_classes = [ExchangeRateResource]
    list_display = ["currency", "date", "units_per_usd", "source", "demo_column"]
    list_filter = ["currency", DemoListFilter]
    search_fields = ["currency", "source"]
    date_hierarchy = "date"
    demo_column = demo_column
