"""Data entry for the commission's bodies: countries, sectors, the commission, working groups, people, co-chairs."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationTabularInline

from ..models import (
    CoChair,
    Commission,
    Country,
    Person,
    Sector,
    WorkingGroup,
)
from ..permissions import is_secretariat
from .base import CountsMixin, TranslatedHistoryAdmin, choice_filter, count_column


class SecretariatColumnsMixin:
    """Columns and fields only the secretariat sees: counts that include other groups' drafts,
    and the editors' user names."""

    secretariat_columns: tuple = ()
    secretariat_fields: tuple = ()

    def get_list_display(self, request):
        shown = super().get_list_display(request)
        return shown if is_secretariat(request.user) else [c for c in shown if c not in self.secretariat_columns]

    def get_exclude(self, request, obj=None):
        exclude = list(super().get_exclude(request, obj) or [])
        return exclude if is_secretariat(request.user) else [*exclude, *self.secretariat_fields]


@admin.register(Country)
class CountryAdmin(TranslatedHistoryAdmin):
    list_display = ["code", "name"]
    list_display_links = ["code", "name"]
    list_filter = ["commissions"]
    search_fields = ["code", "name", "name_en"]
    ordering = ["name"]


@admin.register(Sector)
class SectorAdmin(SecretariatColumnsMixin, CountsMixin, TranslatedHistoryAdmin):
    list_display = ["name", "slug", "order", "project_count"]
    list_filter = ["working_groups"]
    search_fields = ["name", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    counts = {"n_projects": "projects"}
    project_count = count_column("n_projects", _("projects"))
    secretariat_columns = ("project_count",)


class CoChairInline(TranslationTabularInline):
    model = CoChair
    extra = 0
    fields = [
        "person",
        "position",
        "start_date",
        "start_date_precision",
        "end_date",
        "end_date_precision",
        "source",
        "source_url",
    ]
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
class CommissionAdmin(CountsMixin, TranslatedHistoryAdmin):
    list_display = ["name", "short_name", "slug", "established", "trade_target_usd", "trade_target_year", "group_count"]
    list_filter = ["countries"]
    search_fields = ["name", "name_en", "short_name", "slug"]
    autocomplete_fields = ["countries"]
    prepopulated_fields = {"slug": ["short_name"]}
    date_hierarchy = "established"
    inlines = [CommissionCoChairInline]

    counts = {"n_groups": "working_groups"}
    group_count = count_column("n_groups", _("working groups"))


@admin.register(WorkingGroup)
class WorkingGroupAdmin(SecretariatColumnsMixin, CountsMixin, TranslatedHistoryAdmin):
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

    counts = {"n_projects": "projects", "n_editors": "editors"}
    project_count = count_column("n_projects", _("projects"))
    editor_count = count_column("n_editors", _("editors"))
    secretariat_columns = ("project_count", "editor_count")
    secretariat_fields = ("editors",)


@admin.register(Person)
class PersonAdmin(CountsMixin, TranslatedHistoryAdmin):
    list_display = ["full_name", "country", "term_count"]
    list_filter = ["country"]
    list_select_related = ["country"]
    search_fields = ["full_name", "full_name_en"]
    autocomplete_fields = ["country"]

    counts = {"n_terms": "terms"}
    term_count = count_column("n_terms", _("terms"))


CurrentTermFilter = choice_filter(
    _("term"),
    "term",
    current=(_("Current"), lambda queryset: queryset.current()),
    past=(_("Past"), lambda queryset: queryset.past()),
)


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
