"""The changes report: what changed between two dates, for the commission, a working group or a sector."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from partnership.models import Commission, Directive, Sector, WorkingGroup
from partnership.views import commission_or_404

from .. import changes, report_delivery, report_exports
from ..models import Project
from ..models.base import Confidence
from ..validators import validate_as_of

# Without a commission session or summit on record, the report looks back this many days.
FALLBACK_DAYS = 90
# Each section lists at most this many lines (its count is always the whole number).
LINE_LIMIT = 500


class ChangesForm(forms.Form):
    """The window (`from`, `to`) and the demo filter, from a query string."""

    demo = forms.ChoiceField(
        label=gettext_lazy("Data"),
        required=False,
        choices=[
            ("", gettext_lazy("All projects")),
            ("real", gettext_lazy("Real projects only")),
            ("demo", gettext_lazy("Demo projects only")),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # "from" is a Python keyword, so the fields are added by name.
        for name, label in (("from", gettext_lazy("From")), ("to", gettext_lazy("To"))):
            self.fields[name] = forms.DateField(
                label=label,
                required=False,
                input_formats=["%Y-%m-%d"],
                widget=forms.DateInput(attrs={"type": "date"}),
                error_messages={"invalid": gettext_lazy("Enter a date as YYYY-MM-DD.")},
            )
        self.order_fields(["from", "to", "demo"])

    def clean(self):
        cleaned = super().clean()
        for name in ("from", "to"):
            day = cleaned.get(name)
            if day:
                try:
                    validate_as_of(day)
                except ValidationError as exc:
                    self.add_error(name, exc)
        start, end = cleaned.get("from"), cleaned.get("to")
        if start and end and start > end and not self.errors:
            self.add_error("from", _("The start date must be on or before the end date."))
        return cleaned

    def window(self, commission=None):
        """(start, end): the dates given, else since the last commission session or summit, to today."""
        end = self.cleaned_data.get("to") or timezone.localdate()
        start = self.cleaned_data.get("from")
        if start is None:
            start = changes.last_meeting_date(commission, before=end + datetime.timedelta(days=1))
            start = start or end - datetime.timedelta(days=FALLBACK_DAYS)
        return start, end


def scope_of(scope, subject):
    """(a Q on historical project rows, the directives in scope) for the commission, a group or a sector."""
    if scope == "working_group":
        return Q(working_group=subject), Directive.objects.filter(working_groups=subject)
    if scope == "sector":
        return (
            Q(id__in=Project.sectors.through.objects.filter(sector=subject).values("project")),
            Directive.objects.filter(pk__in=Directive.objects.filter(working_groups__sectors=subject).values("pk")),
        )
    if subject is None:  # the API before any commission is recorded
        return None, Directive.objects.all()
    return Q(working_group__commission=subject), Directive.objects.filter(meeting__commission=subject)


def commission_of(scope, subject):
    if scope == "working_group":
        return subject.commission
    return subject if isinstance(subject, Commission) else None


def report_for(scope, subject, start, end, demo=""):
    """The changes selector for a report's subject, with a link on every line."""
    where, directives = scope_of(scope, subject)
    report = changes.changes(start, end, where, directives, demo)
    project_url = {}
    for rows in report["sections"].values():
        for row in rows:
            if "slug" in row:
                row["url"] = project_url.setdefault(row["slug"], _project_url(row["slug"]))
            elif "project_slug" in row:
                row["url"] = project_url.setdefault(row["project_slug"], _project_url(row["project_slug"]))
            else:
                row["url"] = reverse("partnership:meeting-detail", kwargs={"slug": row["meeting_slug"]})
    return report


def _project_url(slug):
    return reverse("projects:project-detail", kwargs={"slug": slug})


SECTIONS = [
    ("added", gettext_lazy("Projects added"), gettext_lazy("Published for the first time.")),
    ("republished", gettext_lazy("Projects published again"), gettext_lazy("Back on the public site.")),
    ("closed", gettext_lazy("Projects closed or cancelled"), ""),
    ("status_moves", gettext_lazy("Status changes"), ""),
    ("confidence_moves", gettext_lazy("Delivery confidence changes"), ""),
    ("investment", gettext_lazy("Investment added or withdrawn"), gettext_lazy("Change of the US-dollar equivalent.")),
    ("tasks_completed", gettext_lazy("Tasks completed"), ""),
    ("tasks_overdue", gettext_lazy("Tasks newly overdue"), gettext_lazy("Due in this period and not done.")),
    ("directives_opened", gettext_lazy("Directives given"), gettext_lazy("At meetings in this period.")),
    ("directives_closed", gettext_lazy("Directives closed"), gettext_lazy("Done or dropped.")),
]


def labels(report):
    """Display names of the statuses and ratings in the report's rows."""
    names = {
        "status": dict(Project.Status.choices),
        "confidence": dict(Confidence.choices),
        "directive": dict(Directive.Status.choices),
    }
    for key in ("status_moves", "closed", "added", "republished", "investment"):
        for row in report["sections"][key]:
            row["status_label"] = names["status"].get(row["status"], row["status"])
            row["old_status_label"] = names["status"].get(row["old_status"], "")
            row["confidence_label"] = names["confidence"].get(row["confidence"], row["confidence"])
            row["old_confidence_label"] = names["confidence"].get(row["old_confidence"], "")
    for row in report["sections"]["confidence_moves"]:
        row["confidence_label"] = names["confidence"].get(row["confidence"], row["confidence"])
        row["old_confidence_label"] = names["confidence"].get(row["old_confidence"], "")
    for key in ("directives_opened", "directives_closed"):
        for row in report["sections"][key]:
            row["status_label"] = names["directive"].get(row["status"], row["status"])
            row["old_status_label"] = names["directive"].get(row.get("old_status"), "")


class ChangesPageForm(ChangesForm):
    """The page's form: the window, the demo filter and a download format (the API has its own `format`)."""

    format = report_exports.format_field()


class ChangesView(report_delivery.ExportDelivery, TemplateView):
    """What changed between two dates, each line linked to its page."""

    template_name = "projects/changes.html"
    scope = "commission"

    def get(self, request, *args, **kwargs):
        subject = self.get_subject()
        form = ChangesPageForm(request.GET or None)
        if form.is_bound and not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form, subject=subject, invalid=True), status=400)
        if not form.is_bound:
            form.cleaned_data = {}
        start, end = form.window(commission_of(self.scope, subject))
        report = report_for(self.scope, subject, start, end, form.cleaned_data.get("demo") or "")
        labels(report)
        sections = [
            {
                "key": key,
                "title": title,
                "note": note,
                "rows": report["sections"][key][:LINE_LIMIT],
                "count": report["counts"][key],
            }
            for key, title, note in SECTIONS
        ]
        context = self.get_context_data(
            form=form,
            subject=subject,
            start=start,
            end=end,
            report=report,
            sections=sections,
            line_limit=LINE_LIMIT,
            window_query=f"from={start.isoformat()}&to={end.isoformat()}",
            demo_choice=form.cleaned_data.get("demo") or "",
        )
        if fmt := form.cleaned_data.get("format"):
            export = report_exports.changes_report(request, self, context)
            return report_delivery.download(request, fmt, export, template_name=self.template_name, context=context)
        return self.render_to_response(context)

    def get_context_data(self, **kwargs):
        return super().get_context_data(groups=WorkingGroup.objects.all(), sectors=Sector.objects.all(), **kwargs)

    def get_subject(self):
        if self.scope == "working_group":
            return get_object_or_404(WorkingGroup.objects.select_related("commission"), slug=self.kwargs["slug"])
        if self.scope == "sector":
            return get_object_or_404(Sector, slug=self.kwargs["slug"])
        return commission_or_404(self.kwargs.get("slug"))


urlpatterns = [
    path("reports/changes/", ChangesView.as_view(), name="report-changes"),
    path(
        "reports/working-groups/<slug:slug>/changes/",
        ChangesView.as_view(scope="working_group"),
        name="report-workinggroup-changes",
    ),
    path("reports/sectors/<slug:slug>/changes/", ChangesView.as_view(scope="sector"), name="report-sector-changes"),
]
