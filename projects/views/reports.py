"""Progress reports for the commission, a working group or a sector, as of a date."""

from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from partnership import charts
from partnership.models import Directive, Sector, WorkingGroup
from partnership.selectors import directive_follow_up
from partnership.templatetags.site_tags import money, percent
from partnership.views import commission_or_404

from .. import asof, report_delivery, report_exports, selectors
from ..models import Project
from ..validators import validate_as_of
from . import report_lists
from .demo import DemoScope
from .figures import confidence_rows, sector_rows, status_rows

# The report's charts: the context name of each, the rows it draws, its title and description.
CHARTS = [
    (
        "status_chart",
        "by_status",
        gettext_lazy("Projects by status"),
        gettext_lazy("Number of projects at each stage."),
        {},
    ),
    (
        "confidence_chart",
        "by_confidence",
        gettext_lazy("Projects by delivery confidence"),
        gettext_lazy("Number of projects at each delivery-confidence rating."),
        {},
    ),
    (
        "sector_chart",
        "by_sector",
        gettext_lazy("Investment by sector"),
        gettext_lazy("Total investment in each sector, in US dollars."),
        {},
    ),
    (
        "distribution_chart",
        "distribution",
        gettext_lazy("Progress distribution"),
        gettext_lazy("Number of projects in each band of progress (share of task weight done)."),
        {},
    ),
    (
        "group_chart",
        "by_group",
        gettext_lazy("Progress by working group"),
        gettext_lazy("Share of task weight done in each working group's projects."),
        {"max_value": 100},
    ),
]


class AsOfForm(forms.Form):
    as_of = forms.DateField(
        label=gettext_lazy("As of"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("A past date (YYYY-MM-DD); empty for today."),
    )
    format = report_exports.format_field()

    def clean_as_of(self):
        day = self.cleaned_data["as_of"]
        if day:
            validate_as_of(day)
        return day


class ReportView(report_delivery.ExportDelivery, DemoScope, TemplateView):
    """A progress report for the commission, one working group or one sector, as of a date.

    `?demo=real` (or `demo`) reports on that kind of project only; `?format=xlsx|pdf` downloads it
    (report_delivery: cached, and rate-limited for anonymous visitors).
    """

    template_name = "projects/report.html"
    scope = "commission"

    def get(self, request, *args, **kwargs):
        form = AsOfForm(request.GET or None)
        subject = self.get_subject()
        self.demo_filter(Project.objects.none())
        errors = self.demo_errors()
        if (form.is_bound and not form.is_valid()) or errors:
            context = self.get_context_data(form=form, subject=subject, invalid=True, errors=errors)
            return self.render_to_response(context, status=400)
        as_of = (form.cleaned_data.get("as_of") if form.is_bound else None) or timezone.localdate()
        context = self.get_context_data(form=form, subject=subject, **self.report(subject, as_of))
        if fmt := form.is_bound and form.cleaned_data["format"]:
            export = report_exports.progress_report(request, self, context)
            return report_delivery.download(request, fmt, export, template_name=self.template_name, context=context)
        return self.render_to_response(context)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("groups", WorkingGroup.objects.all())
        return super().get_context_data(
            sectors=Sector.objects.all(),
            portfolio=self.portfolio,
            demo_choice=self.demo_choice(),
            **kwargs,
        )

    def get_subject(self):
        if self.scope == "working_group":
            return get_object_or_404(WorkingGroup.objects.select_related("commission"), slug=self.kwargs["slug"])
        if self.scope == "sector":
            return get_object_or_404(Sector, slug=self.kwargs["slug"])
        # The commission named in the address, else the site's default one (/reports/).
        return commission_or_404(self.kwargs.get("slug"))

    def projects(self, subject, as_of=None):
        """The projects reported on: published today, or (a past day) as published then."""
        if asof.is_past(as_of):
            # Their working group and sectors then decide whether they belong to the report.
            states = self.demo_scoped(asof.projects_on(as_of))
            if self.scope == "sector":
                return states.with_sector(subject)
        else:
            states = self.demo_scoped(Project.objects.published())
            if self.scope == "sector":
                return states.filter(sectors=subject)
        if self.scope == "working_group":
            return states.filter(working_group=subject)
        return states.filter(working_group__commission=subject)

    def directives(self, subject):
        if self.scope == "working_group":
            return Directive.objects.filter(working_groups=subject)
        if self.scope == "sector":
            return Directive.objects.filter(working_groups__sectors=subject).distinct()
        return Directive.objects.filter(meeting__commission=subject)

    def report(self, subject, as_of):
        projects = self.projects(subject, as_of)
        reported = Project.objects.filter(pk__in=projects.values("id"))  # on a past day, those published then
        figures = selectors.report(projects, self.directives(subject), as_of)
        by_status = status_rows(figures["by_status"])
        by_confidence = confidence_rows(figures["by_confidence"])
        by_sector = sector_rows(figures["by_sector"])
        for rows in (by_status, by_confidence):
            for row in rows:
                row["text"] = f"{row['count']} · {money(row['usd'])}"
        distribution = [
            {"key": key, "label": str(label), "value": count, "count": count, "text": str(count)}
            for key, label, count in figures["bands"]
        ]
        groups = list(WorkingGroup.objects.all())  # also the page's links to their reports
        names = {group.pk: group.name for group in groups}  # in the page's language
        by_group = [
            {
                "label": names.get(key) or _("no working group"),
                "value": row["progress"],
                "text": percent(row["progress"]),
            }
            for key, row in figures["by_group"].items()
            if row["progress"] is not None
        ]
        directives = figures["directives"]
        directive_rows = [
            {"label": str(label), "count": directives[value]} for value, label in Directive.Status.choices
        ]
        # What the links to the other reports and to the API keep of this one: the day and the demo choice.
        carry = {"as_of": as_of.isoformat()} if asof.is_past(as_of) else {}
        if demo := self.demo_choice():
            carry["demo"] = demo
        context = {
            "groups": groups,
            "carry": urlencode(carry),
            "demo_count": figures["demo_count"],
            "as_of": as_of,
            "is_today": as_of == timezone.localdate(),
            "history_starts": asof.history_starts() if asof.is_past(as_of) else None,
            "totals": figures["totals"],
            "figures": figures["figures"],
            "by_status": by_status,
            "by_confidence": by_confidence,
            "by_sector": by_sector,
            "distribution": distribution,
            "by_group": by_group,
            # The long lists are pages of their own (report_lists); the report links to each with its
            # count. The querysets stay here, not evaluated, for the exports that list every row.
            "overdue_tasks": figures["overdue_tasks"],
            "behind": figures["behind"],
            "stale": figures["stale"],
            "lists": report_lists.list_links(
                self.scope,
                subject,
                {
                    "overdue-tasks": figures["figures"]["overdue_tasks"],
                    "behind-schedule": figures["figures"]["behind_schedule"],
                    "stale-projects": figures["stale"].count(),
                },
                as_of=as_of,
                demo=self.demo_choice(),
                commission_slug=self.kwargs.get("slug"),
            ),
            "by_participant_country": selectors.investment_by_participant_country(projects),
            "reported": reported,  # the money by year adds up theirs
            "stale_days": settings.STALE_UPDATE_DAYS,
            "directives": directives,
            "directive_rows": directive_rows,
            "indicator_track": selectors.indicators_on_track(projects, as_of),
            "directive_followup": directive_follow_up(
                self.directives(subject), as_of, scope={self.scope: getattr(subject, "slug", "")}
            ),
        }
        return context | self.chart_context(context)

    @staticmethod
    def chart_context(context):
        """The report's SVG charts (CHARTS), each beside a table of the same rows."""
        return {
            name: charts.bar_chart(context[rows], title=str(title), desc=str(desc), **options)
            for name, rows, title, desc, options in CHARTS
        }
