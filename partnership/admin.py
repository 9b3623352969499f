"""Data entry for the commission side: bodies, people, meetings, decisions, agreements, trade, events.

Every admin keeps a history with values (django-simple-history) and, for translated models, one
field per site language (django-modeltranslation). The base classes here are shared with
projects/admin/. Roles come from Django model permissions granted by `manage.py setup_roles`:
the secretariat has them all, working-group editors read the reference data only.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ExportActionMixin, ImportMixin
from import_export.formats.base_formats import XLSX
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline, TranslationTabularInline
from simple_history.admin import SimpleHistoryAdmin

from . import workflow
from .models import (
    Agreement,
    CoChair,
    Commission,
    Country,
    Directive,
    Event,
    Meeting,
    Person,
    Sector,
    TradeFigure,
    WorkingGroup,
)
from .resources import SpreadsheetSafeCSV, TradeFigureResource
from .selectors import with_counts

admin.site.site_header = _("Intergovernmental commission · partnership tracker")
admin.site.site_title = _("Partnership tracker admin")
admin.site.index_title = _("Data entry")

FILE_FORMATS = [SpreadsheetSafeCSV, XLSX]


class ExportSelectedMixin(ExportActionMixin):
    """Export of the list or of the selected rows, as CSV or XLSX, to whoever may see them."""

    export_formats = FILE_FORMATS

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def get_valid_export_item_pks(self, request):
        # Selected rows can only be rows the user sees in the list.
        return self.get_queryset(request).values_list("pk", flat=True)


class CheckedHistoryMixin:
    """History pages answer 404, not a server error, to an id that is not a number."""

    def _check_ids(self, object_id, version_id=None):
        try:
            self.opts.pk.to_python(unquote(object_id))
            if version_id is not None:
                int(version_id)
        except (ValidationError, ValueError):
            raise Http404 from None

    def history_view(self, request, object_id, extra_context=None):
        self._check_ids(object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._check_ids(object_id, version_id)
        return super().history_form_view(request, object_id, version_id, extra_context)


class HistoryAdmin(ExportSelectedMixin, CheckedHistoryMixin, SimpleHistoryAdmin):
    """A model admin whose history page lists each change with old and new values."""

    list_per_page = 50


class TranslatedHistoryAdmin(ExportSelectedMixin, CheckedHistoryMixin, SimpleHistoryAdmin, TranslationAdmin):
    """History with values, and one field per site language for translated fields."""

    list_per_page = 50


class FileTransferMixin(ImportMixin, ExportSelectedMixin):
    """CSV and XLSX import: a dry run first, then all rows or none."""

    import_formats = FILE_FORMATS

    def has_import_permission(self, request):
        # Bulk loading bypasses the per-group checks of the forms, so only the secretariat,
        # who may write every record, imports.
        return request.user.has_perm(f"{self.opts.app_label}.add_{self.opts.model_name}") and request.user.has_perm(
            f"{self.opts.app_label}.change_{self.opts.model_name}"
        )


def badge(text, kind):
    """A coloured label for a list column; the colour is never the only signal (the text is)."""
    return format_html('<span class="pt-badge pt-badge--{}">{}</span>', kind, text)


def demo_badge(obj):
    return badge(_("demo"), "demo") if obj.demo else ""


class DemoListFilter(admin.SimpleListFilter):
    title = _("demo data")
    parameter_name = "demo"

    def lookups(self, request, model_admin):
        return [("yes", _("Demo only")), ("no", _("Real only"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(demo=True)
        if self.value() == "no":
            return queryset.filter(demo=False)
        return queryset


# --- reference data -------------------------------------------------------------------------------


@admin.register(Country)
class CountryAdmin(TranslatedHistoryAdmin):
    list_display = ["code", "name"]
    list_display_links = ["code", "name"]
    list_filter = ["commissions"]
    search_fields = ["code", "name", "name_en"]
    ordering = ["name"]


@admin.register(Sector)
class SectorAdmin(TranslatedHistoryAdmin):
    list_display = ["name", "slug", "order", "project_count"]
    list_filter = ["working_groups"]
    search_fields = ["name", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return with_counts(super().get_queryset(request), n_projects="projects")

    @admin.display(description=_("projects"), ordering="n_projects")
    def project_count(self, obj):
        return obj.n_projects


class CoChairInline(TranslationTabularInline):
    model = CoChair
    extra = 0
    fields = ["person", "position", "start_date", "end_date", "source"]
    autocomplete_fields = ["person"]
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person", "country")


class CommissionCoChairInline(CoChairInline):
    fk_name = "commission"
    verbose_name = _("co-chair of the commission")
    verbose_name_plural = _("co-chairs of the commission (terms of office)")


class WorkingGroupCoChairInline(CoChairInline):
    fk_name = "working_group"
    verbose_name = _("co-chair of the working group")
    verbose_name_plural = _("co-chairs of the working group (terms of office)")


@admin.register(Commission)
class CommissionAdmin(TranslatedHistoryAdmin):
    list_display = ["name", "short_name", "slug", "established", "trade_target_usd", "trade_target_year", "group_count"]
    list_filter = ["countries"]
    search_fields = ["name", "name_en", "short_name", "slug"]
    autocomplete_fields = ["countries"]
    prepopulated_fields = {"slug": ["short_name"]}
    date_hierarchy = "established"
    inlines = [CommissionCoChairInline]

    def get_queryset(self, request):
        return with_counts(super().get_queryset(request), n_groups="working_groups")

    @admin.display(description=_("working groups"), ordering="n_groups")
    def group_count(self, obj):
        return obj.n_groups


@admin.register(WorkingGroup)
class WorkingGroupAdmin(TranslatedHistoryAdmin):
    list_display = ["name", "commission", "active", "order", "project_count", "editor_count"]
    list_filter = ["active", "commission", "sectors"]
    list_select_related = ["commission"]
    search_fields = ["name", "name_en", "slug"]
    autocomplete_fields = ["commission", "sectors"]
    # A plain chooser, not autocomplete: the secretariat assigns editors without being allowed to
    # manage user accounts, which autocomplete would require.
    filter_horizontal = ["editors"]
    prepopulated_fields = {"slug": ["name"]}
    date_hierarchy = "established"
    inlines = [WorkingGroupCoChairInline]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "editors":
            kwargs["queryset"] = get_user_model().objects.filter(is_staff=True, is_active=True).order_by("username")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_queryset(self, request):
        return with_counts(super().get_queryset(request), n_projects="projects", n_editors="editors")

    @admin.display(description=_("projects"), ordering="n_projects")
    def project_count(self, obj):
        return obj.n_projects

    @admin.display(description=_("editors"), ordering="n_editors")
    def editor_count(self, obj):
        return obj.n_editors


@admin.register(Person)
class PersonAdmin(TranslatedHistoryAdmin):
    list_display = ["full_name", "country", "term_count"]
    list_filter = ["country"]
    list_select_related = ["country"]
    search_fields = ["full_name", "full_name_en"]
    autocomplete_fields = ["country"]

    def get_queryset(self, request):
        return with_counts(super().get_queryset(request), n_terms="terms")

    @admin.display(description=_("terms"), ordering="n_terms")
    def term_count(self, obj):
        return obj.n_terms


class CurrentTermFilter(admin.SimpleListFilter):
    title = _("term")
    parameter_name = "term"

    def lookups(self, request, model_admin):
        return [("current", _("Current")), ("past", _("Past"))]

    def queryset(self, request, queryset):
        if self.value() == "current":
            return queryset.current()
        if self.value() == "past":
            return queryset.past()
        return queryset


@admin.register(CoChair)
class CoChairAdmin(TranslatedHistoryAdmin):
    list_display = ["person", "position", "body_display", "country", "start_date", "end_date"]
    list_filter = [CurrentTermFilter, "country", "commission", "working_group"]
    list_select_related = ["person", "country", "commission", "working_group"]
    search_fields = ["person__full_name", "person__full_name_en", "position", "position_en"]
    autocomplete_fields = ["person", "commission", "working_group"]
    date_hierarchy = "start_date"

    @admin.display(description=_("co-chair of"))
    def body_display(self, obj):
        return obj.body


class DirectiveInline(TranslationStackedInline):
    model = Directive
    extra = 0
    fields = [("text",), ("working_groups", "due_date", "status", "order")]
    autocomplete_fields = ["working_groups"]
    show_change_link = True


@admin.register(Meeting)
class MeetingAdmin(TranslatedHistoryAdmin):
    list_display = ["title", "kind", "date", "place", "commission", "directive_count"]
    list_filter = ["kind", "commission", "working_groups"]
    list_select_related = ["commission"]
    search_fields = ["title", "title_en", "place", "slug"]
    autocomplete_fields = ["commission", "working_groups"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "date"
    inlines = [DirectiveInline]

    def get_queryset(self, request):
        return with_counts(super().get_queryset(request), n_directives="directives")

    @admin.display(description=_("directives"), ordering="n_directives")
    def directive_count(self, obj):
        return obj.n_directives


class DirectiveStateFilter(admin.SimpleListFilter):
    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Overdue")), ("no", _("Not overdue"))]

    def queryset(self, request, queryset):
        overdue = Directive.objects.overdue().values("pk")
        if self.value() == "yes":
            return queryset.filter(pk__in=overdue)
        if self.value() == "no":
            return queryset.exclude(pk__in=overdue)
        return queryset


@admin.register(Directive)
class DirectiveAdmin(TranslatedHistoryAdmin):
    list_display = ["__str__", "meeting", "due_date", "status", "overdue_badge"]
    list_filter = ["status", DirectiveStateFilter, "working_groups", "meeting__commission"]
    list_select_related = ["meeting"]
    search_fields = ["text", "text_en", "meeting__title"]
    autocomplete_fields = ["meeting", "working_groups"]
    date_hierarchy = "due_date"

    def get_queryset(self, request):
        return super().get_queryset(request).with_overdue()

    @admin.display(description=_("overdue"), ordering="is_late")
    def overdue_badge(self, obj):
        return badge(_("overdue"), "late") if obj.is_late else ""


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

    @admin.display(description=_("estimate"), ordering="estimate")
    def estimate_badge(self, obj):
        return badge(_("estimate"), "estimate") if obj.estimate else ""


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

    @admin.display(description=_("demo"), ordering="demo")
    def demo_display(self, obj):
        return demo_badge(obj)

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
