"""The project form: the project itself with its tasks, participants, places, updates and documents."""

from decimal import Decimal

from django.contrib import admin
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationStackedInline, TranslationTabularInline

from partnership.admin import DemoListFilter, TranslatedHistoryAdmin, badge, demo_column

from .. import workflow
from ..models import Document, ProgressUpdate, Project, ProjectLocation, ProjectParticipant, Task
from ..models.portfolio import check_share_total
from ..resources import ProjectResource
from .base import (
    ScopedAdminMixin,
    ScopedFileTransferMixin,
    ScopedInlineMixin,
    StaleFilter,
    WorkflowAdminMixin,
    confidence_badge,
    main_language,
    publication_badge,
    translation_fieldsets,
    working_group_filter,
)
from .money import BudgetInline, TransactionInline
from .pending import LiveRowsFormSet
from .results import indicator_links

# --- inlines under a project -------------------------------------------------------------------


# Tabular inlines show the main language only (a row per language would not fit a screen); each
# row's change link opens the record with every language.


class TaskInline(ScopedInlineMixin, TranslationTabularInline):
    model = Task
    fields = [
        main_language("title"),
        "responsible_organisation",
        "responsible",
        "is_milestone",
        "due_date",
        "status",
        "completed_date",
        "weight",
        "order",
    ]
    autocomplete_fields = ["responsible_organisation"]


class ParticipantFormSet(LiveRowsFormSet):
    """The participants of one project, whose shares together may not pass 100%."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        # This formset checks the shares together, with the values being saved (see clean()).
        form.instance.shares_checked_together = True
        return form

    def clean(self):
        super().clean()
        deleted = self.deleted_forms
        shares = [form.cleaned_data.get("share") for form in self.forms if form not in deleted]
        total = sum((share for share in shares if share is not None), Decimal(0))
        try:
            check_share_total(total)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["share"]) from None


class ParticipantInline(ScopedInlineMixin, admin.TabularInline):
    model = ProjectParticipant
    formset = ParticipantFormSet
    fields = ["organisation", "role", "share"]
    autocomplete_fields = ["organisation"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organisation")


class LocationInline(ScopedInlineMixin, TranslationTabularInline):
    model = ProjectLocation
    fields = ["country", main_language("region"), main_language("place"), "latitude", "longitude"]
    autocomplete_fields = ["country"]


class ProgressUpdateInline(ScopedInlineMixin, TranslationStackedInline):
    model = ProgressUpdate
    fields = [
        ("reported_on", "confidence", "physical_progress", "financial_progress"),
        "title",
        "body",
        ("publication", "review_comment"),
    ]
    readonly_fields = ["publication", "review_comment"]
    classes = ["collapse"]


class DocumentInline(ScopedInlineMixin, TranslationTabularInline):
    model = Document
    fields = [main_language("title"), "kind", "file", "url", "published"]


# --- projects ----------------------------------------------------------------------------------


@admin.register(Project)
class ProjectAdmin(ScopedAdminMixin, WorkflowAdminMixin, ScopedFileTransferMixin, TranslatedHistoryAdmin):
    resource_classes = [ProjectResource]
    workflow_fields = ["publication"]
    list_display = [
        "code",
        "demo_column",
        "title",
        "publication_column",
        "progress_column",
        "overdue_column",
        "confidence_column",
        "usd_column",
        "status",
        "working_group",
    ]
    list_display_links = ["code", "title"]
    list_filter = [
        "publication",
        "status",
        "confidence",
        working_group_filter("working_group"),
        "sectors",
        StaleFilter,
        DemoListFilter,
    ]
    list_select_related = ["working_group"]
    search_fields = ["code", "title", "title_en", "slug"]
    autocomplete_fields = ["sectors", "agreements", "directives"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "planned_start"
    show_full_result_count = False
    actions = ["submit_selected", "publish_selected", "unpublish_selected"]
    inlines = [
        TaskInline,
        ParticipantInline,
        LocationInline,
        ProgressUpdateInline,
        DocumentInline,
        BudgetInline,
        TransactionInline,
    ]
    readonly_fields = [
        "publication_column",
        "missing_column",
        "progress_column",
        "overdue_column",
        "usd_column",
        "results_column",
        "created",
        "updated",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "code",
                    main_language("title"),
                    "slug",
                    "working_group",
                    "sectors",
                    "status",
                    main_language("summary"),
                    main_language("description"),
                ]
            },
        ),
        (
            _("Publication"),
            {"fields": ["publication_column", "missing_column", "review_comment", "demo"]},
        ),
        (
            _("Delivery"),
            {"fields": ["progress_column", "overdue_column", "confidence", main_language("confidence_commentary")]},
        ),
        (
            _("Investment"),
            {"fields": ["investment_amount", "investment_currency", "rate_date", "usd_column"]},
        ),
        (_("Results"), {"fields": ["results_column"]}),
        (
            _("Dates and jobs"),
            {
                "fields": [
                    ("planned_start", "planned_start_precision"),
                    ("planned_end", "planned_end_precision"),
                    ("actual_start", "actual_start_precision"),
                    ("actual_end", "actual_end_precision"),
                    ("jobs_planned", "jobs_created"),
                ]
            },
        ),
        (_("Links and source"), {"fields": ["agreements", "directives", "source", "source_url", "created", "updated"]}),
        *translation_fieldsets("title", "summary", "description", "confidence_commentary"),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_figures()

    def get_export_queryset(self, request):
        # A file row names the project's sectors: fetch them all at once, not per row.
        return super().get_export_queryset(request).prefetch_related("sectors")

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for instance in instances:
            if isinstance(instance, ProgressUpdate) and instance.author_id is None:
                instance.author = request.user
        formset.save_m2m()
        for obj in formset.deleted_objects:
            obj.delete()
        for instance in instances:
            self.save_or_hold(request, instance)

    @admin.display(description=_("delivery confidence"), ordering="confidence")
    def confidence_column(self, obj):
        return confidence_badge(obj)

    @admin.display(description=_("progress"), ordering="progress")
    def progress_column(self, obj):
        progress = getattr(obj, "progress", None)
        if progress is None:
            return _("no tasks")
        return f"{progress:.0f}%"

    @admin.display(description=_("overdue tasks"), ordering="overdue_tasks")
    def overdue_column(self, obj):
        late = getattr(obj, "overdue_tasks", 0)
        return badge(ngettext("%d overdue", "%d overdue", late) % late, "late") if late else "0"

    @admin.display(description=_("investment (USD)"), ordering="investment_usd")
    def usd_column(self, obj):
        usd = getattr(obj, "investment_usd", None)
        if usd is None:
            return _("no rate") if obj.investment_amount is not None else "—"
        return intcomma(f"{usd:.0f}")

    @admin.display(description=_("publication"), ordering="publication")
    def publication_column(self, obj):
        return publication_badge(obj)

    demo_column = demo_column

    @admin.display(description=_("indicators"))
    def results_column(self, obj):
        return indicator_links(obj)

    @admin.display(description=_("missing for publication"))
    def missing_column(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        missing = obj.missing_for_publication()
        return workflow.missing_sentence(missing) if missing else _("Nothing: ready to publish.")
