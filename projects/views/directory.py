"""The project directory: filters with counts, search, sorting, pagination and downloads."""

from django.http import JsonResponse, StreamingHttpResponse
from django.utils.translation import gettext as _

from partnership.dates import precise_iso
from partnership.exports import csv_lines
from partnership.lists import FilteredListView, PageNotInList

from .. import selectors
from ..filters import ProjectFilter
from ..models import Project

PAGE_SIZE = 20
STREAM_CHUNK = 1000
# The columns of the CSV and JSON downloads, in order (`rows` yields them).
COLUMNS = (
    "code", "title", "url", "status", "confidence", "working_group", "sectors", "investment_amount",
    "investment_currency", "investment_usd", "progress", "jobs_planned", "jobs_created", "planned_start",
    "planned_end", "actual_start", "actual_end", "demo",
)  # fmt: skip


class ProjectListView(FilteredListView):
    """The directory: filters with counts, search, sorting, pagination and downloads."""

    template_name = "projects/project_list.html"
    filterset_class = ProjectFilter
    paginate_by = PAGE_SIZE
    formats = ("csv", "json")

    def get(self, request, *args, **kwargs):
        query = request.GET.copy()
        download = query.pop("format", [None])[-1]
        query.pop("page", None)
        published = Project.objects.published()
        self.filterset = ProjectFilter(query, queryset=published.for_directory(), request=request)
        errors = self.input_errors()
        if download and download not in self.formats:
            errors.insert(0, (_("Download format"), [_("Choose csv or json.")]))
        if errors:
            return self.explain(400, errors=errors, query=query, facets=[])
        queryset = self.filterset.qs  # ordered as asked, else by relevance to `q`, else by code
        if download:
            return getattr(self, f"download_{download}")(queryset)
        self.object_list = queryset
        try:
            context = self.get_context_data(query=query)
        except PageNotInList as exc:
            return self.page_not_found(exc, query=query, facets=[])
        facets = self.facets(self.filterset, published.with_figures())
        context.update(
            projects=context["page"].object_list,
            facets=facets,
            active=self.active_filters(facets, query),
            demo_count=selectors.demo_in(facets),
        )
        return self.render_to_response(context)

    @staticmethod
    def active_filters(facets, query):
        """The filters in force, each with the address of this list without it."""

        def without(name, value=None):
            remaining = query.copy()
            remaining.pop("page", None)
            if value is None:
                remaining.pop(name, None)
            else:
                remaining.setlist(name, [v for v in remaining.getlist(name) if v != value])
            return "?" + remaining.urlencode()

        active = []
        if query.get("q"):
            active.append({"label": _("Search: “%(q)s”") % {"q": query["q"]}, "url": without("q")})
        for facet in facets:
            for option in facet.get("options", []):
                if option["selected"]:
                    label = f"{facet['label']}: {option['label']}"
                    active.append({"label": label, "url": without(facet["name"], option["value"])})
        for name in ("investment_min", "investment_max"):
            if query.get(name):
                label = (
                    _("Investment from %(usd)s USD") if name == "investment_min" else _("Investment up to %(usd)s USD")
                )
                active.append({"label": label % {"usd": query[name]}, "url": without(name)})
        return active

    def facets(self, filterset, base):
        return selectors.directory_facets(base, filterset)

    def rows(self, queryset):
        """Dates as precisely as they are known: ISO 8601's "2023-11" or "2019" for a month or a year."""
        build = self.request.build_absolute_uri
        for project in queryset:
            yield {
                "code": project.code,
                "title": project.title,
                "url": build(project.get_absolute_url()),
                "status": project.status,
                "confidence": project.confidence,
                "working_group": project.working_group.name if project.working_group else "",
                "sectors": [sector.name for sector in project.sectors.all()],
                "investment_amount": None if project.investment_amount is None else str(project.investment_amount),
                "investment_currency": project.investment_currency,
                "investment_usd": None if project.investment_usd is None else str(round(project.investment_usd, 2)),
                "progress": None if project.progress is None else round(project.progress, 1),
                "jobs_planned": project.jobs_planned,
                "jobs_created": project.jobs_created,
                "planned_start": precise_iso(project.planned_start, project.planned_start_precision) or None,
                "planned_end": precise_iso(project.planned_end, project.planned_end_precision) or None,
                "actual_start": precise_iso(project.actual_start, project.actual_start_precision) or None,
                "actual_end": precise_iso(project.actual_end, project.actual_end_precision) or None,
                "demo": project.demo,
            }

    def download_csv(self, queryset):
        # Streamed in chunks (each with its sectors prefetched), so the whole list never sits in memory.
        records = self.rows(queryset.iterator(chunk_size=STREAM_CHUNK))
        rows = ([row[name] if name != "sectors" else "; ".join(row[name]) for name in COLUMNS] for row in records)
        response = StreamingHttpResponse(csv_lines(COLUMNS, rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="projects.csv"'
        return response

    def download_json(self, queryset):
        results = list(self.rows(queryset))
        response = JsonResponse(
            {"count": len(results), "results": results}, json_dumps_params={"ensure_ascii": False, "indent": 1}
        )
        response["Content-Disposition"] = 'attachment; filename="projects.json"'
        return response
