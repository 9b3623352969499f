"""The progress report's long lists, each its own page: overdue tasks, projects behind schedule,
projects without a recent update. For the commission, a working group or a sector, as of a date,
with the directory's filters (the same ProjectFilter, `demo` included), paginated, and as CSV.

The report itself shows each list's count and a link here (`list_links`).
"""

from django import forms
from django.conf import settings
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.urls import re_path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partnership.exports import csv_lines
from partnership.lists import FilteredListView, PageNotInList
from partnership.models import Sector, WorkingGroup
from partnership.views import commission_or_404

from .. import selectors
from ..filters import ProjectFilter
from ..models import Project
from ..validators import validate_as_of

STREAM_CHUNK = 1000

# Each list: its title and what it holds (the report links to it with the same words).
LISTS = {
    "overdue-tasks": (
        gettext_lazy("Overdue tasks"),
        gettext_lazy("Tasks whose due date had passed on the report date without being done."),
    ),
    "behind-schedule": (
        gettext_lazy("Projects behind schedule"),
        gettext_lazy("More of the planned duration has passed than the share of work done, by a wide margin."),
    ),
    "stale-projects": (
        gettext_lazy("Projects without a recent update"),
        gettext_lazy("Active projects with no published progress update in the %(days)s days before the report date."),
    ),
}
KINDS = "|".join(LISTS)


class AsOfForm(forms.Form):
    """The report's date (as the report's own form reads it): today or earlier, from 1991."""

    as_of = forms.DateField(required=False, input_formats=["%Y-%m-%d"], validators=[validate_as_of])


def describe(kind):
    title, text = LISTS[kind]
    return str(title), str(text) % {"days": settings.STALE_UPDATE_DAYS} if "%(days)s" in str(text) else str(text)


def list_url(kind, scope, subject, commission_slug=None):
    """The address of one list of the report of `subject` (a commission, working group or sector)."""
    if scope == "working_group":
        return reverse("projects:report-workinggroup-list", kwargs={"slug": subject.slug, "kind": kind})
    if scope == "sector":
        return reverse("projects:report-sector-list", kwargs={"slug": subject.slug, "kind": kind})
    if commission_slug:
        return reverse("projects:report-list", kwargs={"slug": commission_slug, "kind": kind})
    return reverse("projects:report-list", kwargs={"kind": kind})


def list_links(scope, subject, counts, *, as_of=None, demo="", commission_slug=None):
    """The report's links to its lists: kind, title, description, count and address (with the
    report's date, when not today, and its demo choice)."""
    query = {}
    if as_of and as_of != timezone.localdate():
        query["as_of"] = as_of.isoformat()
    if demo:
        query["demo"] = demo
    suffix = f"?{urlencode(query)}" if query else ""
    links = []
    for kind in LISTS:
        title, text = describe(kind)
        url = list_url(kind, scope, subject, commission_slug) + suffix
        links.append({"kind": kind, "title": title, "text": text, "count": counts[kind], "url": url})
    return links


class ReportListView(FilteredListView):
    """One long list of a progress report, filtered like the directory, paginated, and as CSV."""

    template_name = "projects/report_list.html"
    filterset_class = ProjectFilter
    paginate_by = 50
    scope = "commission"
    formats = ("csv",)

    def get(self, request, *args, **kwargs):
        self.kind = kwargs["kind"]
        self.subject = self.get_subject()
        query = request.GET.copy()
        download = query.pop("format", [None])[-1]
        query.pop("page", None)
        date_form = AsOfForm({"as_of": query.get("as_of", "")})
        as_of = (date_form.cleaned_data.get("as_of") if date_form.is_valid() else None) or timezone.localdate()
        self.as_of = as_of
        published = self.scoped(Project.objects.published()).with_figures(as_of)
        self.filterset = ProjectFilter(query, queryset=published, request=request)
        errors = self.input_errors()
        if not date_form.is_valid():
            errors.insert(0, (_("As of"), date_form.errors["as_of"]))
        if download and download not in self.formats:
            errors.insert(0, (_("Download format"), [_("Choose csv.")]))
        if errors:
            return self.explain(400, errors=errors, query=query)
        projects = Project.objects.filter(pk__in=self.filterset.qs.values("pk"))
        rows = selectors.report_list(self.kind, projects, as_of)
        if download:
            return self.download_csv(rows)
        self.object_list = rows
        try:
            context = self.get_context_data(query=query)
        except PageNotInList as exc:
            return self.page_not_found(exc, query=query)
        # The rows shown carry a demo mark each; the page says so above them.
        context["demo_included"] = any(
            (row.project if self.kind == "overdue-tasks" else row).demo for row in context["page"].object_list
        )
        return self.render_to_response(context)

    def get_subject(self):
        if self.scope == "working_group":
            return get_object_or_404(WorkingGroup.objects.select_related("commission"), slug=self.kwargs["slug"])
        if self.scope == "sector":
            return get_object_or_404(Sector, slug=self.kwargs["slug"])
        return commission_or_404(self.kwargs.get("slug"))

    def scoped(self, projects):
        if self.scope == "working_group":
            return projects.filter(working_group=self.subject)
        if self.scope == "sector":
            return projects.filter(sectors=self.subject)
        return projects.filter(working_group__commission=self.subject)

    def report_url(self):
        if self.scope == "working_group":
            return reverse("projects:report-workinggroup", kwargs={"slug": self.subject.slug})
        if self.scope == "sector":
            return reverse("projects:report-sector", kwargs={"slug": self.subject.slug})
        if self.kwargs.get("slug"):
            return reverse("projects:report", kwargs={"slug": self.kwargs["slug"]})
        return reverse("projects:report")

    def get_context_data(self, **kwargs):
        title, text = describe(self.kind)
        others = [
            {"title": describe(kind)[0], "url": list_url(kind, self.scope, self.subject, self.kwargs.get("slug"))}
            for kind in LISTS
            if kind != self.kind
        ]
        return super().get_context_data(
            kind=self.kind,
            title=title,
            description=text,
            subject=self.subject,
            as_of=self.as_of,
            is_today=self.as_of == timezone.localdate(),
            report_url=self.report_url(),
            others=others,
            **kwargs,
        )

    # --- CSV -----------------------------------------------------------------------------------

    COLUMNS = {
        "overdue-tasks": (
            "project_code", "project_title", "project_url", "task", "due_date", "days_overdue", "responsible", "demo",
        ),
        "behind-schedule": (
            "code", "title", "url", "working_group", "status", "planned_start", "planned_end", "elapsed", "progress",
            "demo",
        ),
        "stale-projects": ("code", "title", "url", "working_group", "status", "last_update", "demo"),
    }  # fmt: skip

    def csv_rows(self, records):
        build = self.request.build_absolute_uri
        for record in records:
            if self.kind == "overdue-tasks":
                project = record.project
                responsible = record.responsible_organisation.name if record.responsible_organisation else ""
                yield (
                    project.code,
                    project.title,
                    build(project.get_absolute_url()),
                    record.title,
                    record.due_date.isoformat(),
                    (self.as_of - record.due_date).days,
                    responsible or record.responsible,
                    project.demo,
                )
                continue
            common = (
                record.code,
                record.title,
                build(record.get_absolute_url()),
                record.working_group.name if record.working_group else "",
                record.status,
            )
            if self.kind == "behind-schedule":
                yield (
                    *common,
                    record.planned_start.isoformat() if record.planned_start else None,
                    record.planned_end.isoformat() if record.planned_end else None,
                    None if record.elapsed is None else round(record.elapsed, 1),
                    None if record.progress is None else round(record.progress, 1),
                    record.demo,
                )
            else:
                yield (*common, record.last_update.isoformat() if record.last_update else None, record.demo)

    def download_csv(self, rows):
        lines = csv_lines(self.COLUMNS[self.kind], self.csv_rows(rows.iterator(chunk_size=STREAM_CHUNK)))
        response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.kind}-{self.as_of.isoformat()}.csv"'
        return response


urlpatterns = [
    re_path(rf"^reports/(?P<kind>{KINDS})/$", ReportListView.as_view(), name="report-list"),
    re_path(
        rf"^commissions/(?P<slug>[-\w]+)/reports/(?P<kind>{KINDS})/$", ReportListView.as_view(), name="report-list"
    ),
    re_path(
        rf"^reports/working-groups/(?P<slug>[-\w]+)/(?P<kind>{KINDS})/$",
        ReportListView.as_view(scope="working_group"),
        name="report-workinggroup-list",
    ),
    re_path(
        rf"^reports/sectors/(?P<slug>[-\w]+)/(?P<kind>{KINDS})/$",
        ReportListView.as_view(scope="sector"),
        name="report-sector-list",
    ),
]
