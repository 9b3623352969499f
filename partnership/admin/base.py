"""What the admins of both apps share: history with values, file import and export, badges, the demo filter."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportActionMixin, ImportMixin
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from ..permissions import deletion_refused, locked_fields
from ..resources import SpreadsheetSafeCSV, SpreadsheetSafeXLSX
from ..selectors import with_counts

FILE_FORMATS = [SpreadsheetSafeCSV, SpreadsheetSafeXLSX]


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


class FieldRulesMixin:
    """Fields the user's role may not write (partnership.permissions.FIELD_RULES) are read-only."""

    def get_readonly_fields(self, request, obj=None):
        fields = [*super().get_readonly_fields(request, obj), *locked_fields(request.user, self.model)]
        return list(dict.fromkeys(fields))


class ProtectedDeleteMixin:
    """Records a published project uses cannot be deleted, alone or with 'delete selected'.

    The confirmation page lists them as protected, as Django does for protected relations, and
    refuses the deletion; the message says why.
    """

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        for obj in objs:
            reason = deletion_refused(obj)
            if reason:
                protected = [*protected, reason]
                messages.error(request, reason)
        return deleted, counts, perms_needed, protected


class HistoryAdmin(FieldRulesMixin, ProtectedDeleteMixin, ExportSelectedMixin, CheckedHistoryMixin, SimpleHistoryAdmin):
    """A model admin whose history page lists each change with old and new values."""

    list_per_page = 50


class TranslatedHistoryAdmin(
    FieldRulesMixin,
    ProtectedDeleteMixin,
    ExportSelectedMixin,
    CheckedHistoryMixin,
    SimpleHistoryAdmin,
    TranslationAdmin,
):
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


def flag_column(attribute, label, kind):
    """A list column showing a badge where the record's yes/no `attribute` is true, sortable by it."""

    @admin.display(description=label, ordering=attribute)
    def column(self, obj):
        return badge(label, kind) if getattr(obj, attribute) else ""

    return column


class CountsMixin:
    """Annotates the list with counts of related records, `counts = {"n_terms": "terms"}`."""

    counts: dict = {}

    def get_queryset(self, request):
        return with_counts(super().get_queryset(request), **self.counts)


def count_column(name, label):
    """A sortable list column showing the count `name` that CountsMixin annotates."""

    @admin.display(description=label, ordering=name)
    def column(self, obj):
        return getattr(obj, name)

    return column


class ChoiceListFilter(admin.SimpleListFilter):
    """A list filter whose `options` map each value to its label and to how it narrows the list."""

    options: dict = {}

    def lookups(self, request, model_admin):
        return [(value, label) for value, (label, _narrow) in self.options.items()]

    def queryset(self, request, queryset):
        if self.value() in self.options:
            return self.options[self.value()][1](queryset)
        return queryset


def choice_filter(title, parameter_name, **options):
    """A ChoiceListFilter: choice_filter(_("term"), "term", current=(_("Current"), narrow), …)."""
    attributes = {"title": title, "parameter_name": parameter_name, "options": options}
    return type("ChoiceFilter", (ChoiceListFilter,), attributes)


def yes_no_filter(title, parameter_name, labels, narrow):
    """A filter with a yes and a no choice; `narrow(queryset, yes)` keeps the matching records."""
    yes, no = labels
    return choice_filter(
        title,
        parameter_name,
        yes=(yes, lambda queryset: narrow(queryset, True)),
        no=(no, lambda queryset: narrow(queryset, False)),
    )


DemoListFilter = yes_no_filter(
    _("demo data"), "demo", (_("Demo only"), _("Real only")), lambda queryset, yes: queryset.filter(demo=yes)
)
demo_column = flag_column("demo", _("demo"), "demo")


# --- reference data -------------------------------------------------------------------------------
