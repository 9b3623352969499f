"""Results and indicators (definitions editors keep) and indicator values (reviewed like progress updates)."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationTabularInline

from partnership.admin import TranslatedHistoryAdmin

from ..models import Indicator, IndicatorValue, Result
from .base import (
    ScopedAdminMixin,
    ScopedInlineMixin,
    WorkflowAdminMixin,
    main_language,
    publication_badge,
    translation_fieldsets,
    working_group_filter,
)


def indicator_links(project):
    """A project's indicators, each with a link that opens a new actual value for it (the project
    form has no room for values: they are reviewed one by one, each on its own page)."""
    if project is None or project.pk is None:
        return "—"
    indicators = Indicator.objects.filter(result__project=project).select_related("result")
    add_result = format_html(
        '<a href="{}?project={}">{}</a>', reverse("admin:projects_result_add"), project.pk, _("Add a result")
    )
    if not indicators:
        return format_html("{} {}", _("No results or indicators yet."), add_result)
    add_value = reverse("admin:projects_indicatorvalue_add")
    rows = format_html_join(
        "",
        '<li>{}: <a href="{}">{}</a> · <a href="{}?indicator={}">{}</a></li>',
        (
            (
                indicator.result,
                reverse("admin:projects_indicator_change", args=[indicator.pk]),
                indicator,
                add_value,
                indicator.pk,
                _("Add an actual value"),
            )
            for indicator in indicators
        ),
    )
    return format_html('<ul class="pt-indicators">{}</ul><p>{}</p>', rows, add_result)


class IndicatorInline(ScopedInlineMixin, TranslationTabularInline):
    model = Indicator
    fields = [
        main_language("title"),
        "measure",
        main_language("unit"),
        "ascending",
        "baseline_value",
        "baseline_date",
        "target_value",
        "target_date",
        "order",
    ]


@admin.register(Result)
class ResultAdmin(ScopedAdminMixin, TranslatedHistoryAdmin):
    list_display = ["title", "project", "kind", "order"]
    list_filter = ["kind", working_group_filter("project__working_group")]
    list_select_related = ["project"]
    search_fields = ["title", "title_en", "project__code", "project__title"]
    autocomplete_fields = ["project"]
    inlines = [IndicatorInline]


@admin.register(Indicator)
class IndicatorAdmin(ScopedAdminMixin, TranslatedHistoryAdmin):
    list_display = ["title", "result", "project_column", "measure", "baseline_value", "target_value", "target_date"]
    list_filter = ["measure", working_group_filter("result__project__working_group")]
    list_select_related = ["result", "result__project"]
    search_fields = ["title", "title_en", "result__title", "result__project__code"]
    autocomplete_fields = ["result"]

    @admin.display(description=_("project"), ordering="result__project__code")
    def project_column(self, obj):
        return obj.result.project.code


@admin.register(IndicatorValue)
class IndicatorValueAdmin(ScopedAdminMixin, WorkflowAdminMixin, TranslatedHistoryAdmin):
    workflow_fields = ["publication"]
    list_display = ["__str__", "project_column", "value", "period_end", "publication_column", "author"]
    list_filter = ["publication", working_group_filter("indicator__result__project__working_group")]
    list_select_related = ["indicator", "indicator__result__project", "author"]
    search_fields = ["indicator__title", "indicator__title_en", "indicator__result__project__code"]
    autocomplete_fields = ["indicator", "evidence"]
    date_hierarchy = "period_end"
    actions = ["submit_selected", "publish_selected", "unpublish_selected"]
    readonly_fields = ["publication_column", "author"]
    # The main language first; the other languages folded below (a form of eight text boxes before).
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "indicator",
                    ("period_start", "period_end"),
                    "value",
                    main_language("narrative"),
                    main_language("comment"),
                    "evidence",
                    "publication_column",
                    "review_comment",
                    "author",
                ]
            },
        ),
        *translation_fieldsets("narrative", "comment"),
    ]

    def save_model(self, request, obj, form, change):
        if obj.author_id is None:
            obj.author = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("project"), ordering="indicator__result__project__code")
    def project_column(self, obj):
        return obj.indicator.result.project.code

    @admin.display(description=_("publication"), ordering="publication")
    def publication_column(self, obj):
        return publication_badge(obj)
