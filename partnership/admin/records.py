"""Data entry for what the commission decides and records: meetings, directives, agreements, trade, events."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationStackedInline

from .. import services, workflow
from ..filters import in_or_out
from ..models import (
    Agreement,
    Directive,
    DirectiveFollowUp,
    Event,
    Meeting,
    PortfolioFigure,
    TradeFigure,
)
from ..resources import TradeFigureResource
from .base import (
    CountsMixin,
    DemoListFilter,
    FileTransferMixin,
    HistoryAdmin,
    TranslatedHistoryAdmin,
    count_column,
    demo_column,
    flag_column,
    yes_no_filter,
)


class DirectiveInline(TranslationStackedInline):
    model = Directive
    extra = 0
    fields = [("text",), ("working_groups", "due_date", "status", "order"), ("source", "source_url")]
    autocomplete_fields = ["working_groups"]
    show_change_link = True


class DirectiveFollowUpInline(TranslationStackedInline):
    """Follow-up entries, oldest first; saving them sets the directive's status (partnership.services)."""

    model = DirectiveFollowUp
    extra = 0
    fields = [("date", "status_after"), ("text",), ("evidence_url", "evidence_title"), ("source", "source_url")]


@admin.register(Meeting)
class MeetingAdmin(CountsMixin, TranslatedHistoryAdmin):
    list_display = ["title", "kind", "date", "place", "commission", "directive_count"]
    list_filter = ["kind", "commission", "working_groups"]
    list_select_related = ["commission"]
    search_fields = ["title", "title_en", "place", "slug"]
    autocomplete_fields = ["commission", "working_groups"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "date"
    inlines = [DirectiveInline]

    counts = {"n_directives": "directives"}
    directive_count = count_column("n_directives", _("directives"))


DirectiveStateFilter = yes_no_filter(
    _("overdue"),
    "overdue",
    (_("Overdue"), _("Not overdue")),
    lambda queryset, yes: in_or_out(queryset, Directive.objects.overdue(), yes),
)


@admin.register(Directive)
class DirectiveAdmin(TranslatedHistoryAdmin):
    list_display = ["__str__", "meeting", "due_date", "status", "overdue_badge"]
    list_filter = ["status", DirectiveStateFilter, "working_groups", "meeting__commission"]
    list_select_related = ["meeting"]
    search_fields = ["text", "text_en", "meeting__title"]
    autocomplete_fields = ["meeting", "working_groups"]
    date_hierarchy = "due_date"
    inlines = [DirectiveFollowUpInline]

    def get_queryset(self, request):
        return super().get_queryset(request).with_overdue()

    def save_formset(self, request, form, formset, change):
        if formset.model is not DirectiveFollowUp:
            return super().save_formset(request, form, formset, change)
        # Through the one service the API uses too, so that the latest entry sets the status.
        saved = formset.save(commit=False)
        services.save_follow_ups(
            directive=form.instance, saved=saved, deleted=formset.deleted_objects, user=request.user
        )
        formset.save_m2m()

    overdue_badge = flag_column("is_late", _("overdue"), "late")


@admin.register(DirectiveFollowUp)
class DirectiveFollowUpAdmin(TranslatedHistoryAdmin):
    """Every follow-up entry in one list; entries are usually added on their directive's page."""

    list_display = ["date", "__str__", "directive", "status_after", "evidence_link"]
    list_filter = ["status_after", "directive__meeting"]
    list_select_related = ["directive"]
    search_fields = ["text", "text_en", "directive__text", "source"]
    autocomplete_fields = ["directive"]
    date_hierarchy = "date"

    @admin.display(description=_("evidence link"), boolean=True)
    def evidence_link(self, obj):
        return bool(obj.evidence_url)

    def get_readonly_fields(self, request, obj=None):
        # An entry stays with its directive (whose status it may have set); add a new one instead.
        fields = super().get_readonly_fields(request, obj)
        return [*fields, "directive"] if obj is not None else fields

    def save_model(self, request, obj, form, change):
        # Through the one service the inline and the API use, so that the latest entry sets the status.
        services.save_follow_ups(directive=obj.directive, saved=[obj], user=request.user)

    def delete_model(self, request, obj):
        services.save_follow_ups(directive=obj.directive, deleted=[obj], user=request.user)

    def delete_queryset(self, request, queryset):
        for entry in queryset.select_related("directive"):
            self.delete_model(request, entry)


@admin.register(Agreement)
class AgreementAdmin(TranslatedHistoryAdmin):
    list_display = ["title", "kind", "status", "signed_date", "in_force_from", "in_force_until", "commission"]
    list_filter = ["kind", "status", "commission"]
    list_select_related = ["commission"]
    search_fields = ["title", "title_en", "signed_place", "slug"]
    autocomplete_fields = ["commission"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "signed_date"


@admin.register(TradeFigure)
class TradeFigureAdmin(FileTransferMixin, HistoryAdmin):
    resource_classes = [TradeFigureResource]
    list_display = [
        "commission",
        "year",
        "turnover_usd",
        "reporting_country",
        "exports_usd",
        "imports_usd",
        "estimate_badge",
        "source",
    ]
    list_filter = ["commission", "estimate", "reporting_country"]
    list_select_related = ["commission", "reporting_country"]
    search_fields = ["source", "source_note", "=year"]
    autocomplete_fields = ["commission", "reporting_country"]
    ordering = ["commission", "-year"]

    estimate_badge = flag_column("estimate", _("estimate"), "estimate")


@admin.register(PortfolioFigure)
class PortfolioFigureAdmin(HistoryAdmin):
    list_display = ["commission", "date", "date_precision", "project_count", "investment_usd", "over_badge", "source"]
    list_filter = ["commission", "date_precision"]
    list_select_related = ["commission"]
    search_fields = ["source", "source_url"]
    autocomplete_fields = ["commission"]
    ordering = ["commission", "-date"]
    date_hierarchy = "date"

    over_badge = flag_column("investment_over", _("more than"), "estimate")


@admin.register(Event)
class EventAdmin(TranslatedHistoryAdmin):
    list_display = ["title", "kind", "start_date", "end_date", "place", "published", "demo_display"]
    list_filter = ["kind", "published", DemoListFilter, "commission"]
    list_select_related = ["commission"]
    search_fields = ["title", "title_en", "place", "slug"]
    autocomplete_fields = ["commission"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "start_date"
    actions = ["publish", "unpublish"]
    demo_display = demo_column

    @admin.action(description=_("Publish selected events"), permissions=["change"])
    def publish(self, request, queryset):
        changed = self._set_published(request, queryset, "publish")
        self.message_user(
            request, ngettext("%d event published.", "%d events published.", changed) % changed, messages.SUCCESS
        )

    @admin.action(description=_("Unpublish selected events"), permissions=["change"])
    def unpublish(self, request, queryset):
        changed = self._set_published(request, queryset, "unpublish")
        self.message_user(
            request,
            ngettext("%d event unpublished.", "%d events unpublished.", changed) % changed,
            messages.SUCCESS,
        )

    def _set_published(self, request, queryset, action):
        # One by one through the workflow, so that each change is kept in the history.
        done, refused = workflow.apply_to_each(workflow.startable(queryset, action), action, user=request.user)
        for event, reason in refused:
            self.message_user(request, f"{event}: {reason}", messages.ERROR)
        return len(done)
