"""The project directory: filters with counts, search, sorting, pagination and downloads."""

import itertools

from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from django.http import HttpResponse, JsonResponse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from partnership.exports import write_csv
from partnership.lists import FilteredListView, PageNotInList
from partnership.models import Country, Sector, WorkingGroup

from ..filters import ProjectFilter
from ..models import Confidence, Project, ProjectLocation

PAGE_SIZE = 20
MILLION = 1_000_000
# Investment ranges offered as one-click filters (USD); the bounds are those of the filters.
INVESTMENT_RANGES = [
    (None, 10 * MILLION - 0.01, gettext_lazy("under 10 million")),
    (10 * MILLION, 100 * MILLION - 0.01, gettext_lazy("10 to 100 million")),
    (100 * MILLION, 1000 * MILLION - 0.01, gettext_lazy("100 million to 1 billion")),
    (1000 * MILLION, None, gettext_lazy("1 billion and more")),
]


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
        queryset = self.filterset.qs
        if not self.filterset.form.cleaned_data.get("ordering"):
            queryset = queryset.order_by("code")
        if download:
            return getattr(self, f"download_{download}")(queryset)
        self.object_list = queryset
        try:
            context = self.get_context_data(query=query)
        except PageNotInList as exc:
            return self.page_not_found(exc, query=query, facets=[])
        facets = self.facets(self.filterset, published.with_figures())
        context.update(projects=context["page"].object_list, facets=facets, active=self.active_filters(facets, query))
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
        """Each filter's options with the number of projects each would give.

        A facet's counts apply every other filter but not its own, so that choosing a second
        sector shows how many more projects it adds. One query per facet.
        """
        cleaned = filterset.form.cleaned_data
        selected = filterset.form.data

        def others(*own):
            queryset = base
            for name, value in cleaned.items():
                if name not in own and name != "ordering":
                    queryset = filterset.filters[name].filter(queryset, value)
            return queryset.order_by().values("pk")

        def chosen(name):
            return selected.getlist(name)

        facets = []
        sectors = Sector.objects.annotate(
            n=Count("projects", filter=Q(projects__pk__in=others("sector")), distinct=True)
        )
        facets.append(self.facet("sector", _("Sector"), [(s.slug, s.name, s.n) for s in sectors], chosen("sector")))
        groups = WorkingGroup.objects.annotate(
            n=Count("projects", filter=Q(projects__pk__in=others("working_group")), distinct=True)
        )
        facets.append(
            self.facet(
                "working_group", _("Working group"), [(g.slug, g.name, g.n) for g in groups], chosen("working_group")
            )
        )
        counts = dict(
            Project.objects.filter(pk__in=others("status")).order_by().values_list("status").annotate(n=Count("pk"))
        )
        options = [(value, label, counts.get(value, 0)) for value, label in Project.Status.choices]
        facets.append(self.facet("status", _("Status"), options, chosen("status")))
        counts = dict(
            Project.objects.filter(pk__in=others("confidence"))
            .order_by()
            .values_list("confidence")
            .annotate(n=Count("pk"))
        )
        options = [(value, label, counts.get(value, 0)) for value, label in Confidence.choices]
        facets.append(self.facet("confidence", _("Delivery confidence"), options, chosen("confidence")))
        countries = Country.objects.annotate(
            n=Count(
                "project_locations__project",
                filter=Q(project_locations__project__in=others("country")),
                distinct=True,
            )
        )
        facets.append(
            self.facet("country", _("Country"), [(c.code, c.name, c.n) for c in countries], chosen("country"))
        )
        language = (get_language() or "en").split("-")[0]
        # Grouped by the English name (what the region filter matches), shown in this language.
        own = f"region_{language}"
        fields = ["region_en"] if language == "en" else ["region_en", own]
        regions = (
            ProjectLocation.objects.filter(project__in=others("region"))
            .exclude(region_en="")
            .order_by()
            .values(*fields)
            .annotate(n=Count("project", distinct=True))
            .order_by("region_en")
        )
        options = [(row["region_en"], row.get(own) or row["region_en"], row["n"]) for row in regions]
        facets.append(self.facet("region", _("Region"), options, chosen("region"), single=True))
        priced = Project.objects.with_usd().filter(pk__in=others("investment_min", "investment_max"))
        buckets = priced.aggregate(
            **{
                f"b{i}": Count(
                    "pk",
                    filter=(Q(investment_usd__gte=low) if low is not None else Q(investment_usd__isnull=False))
                    & (Q(investment_usd__lte=high) if high is not None else Q()),
                )
                for i, (low, high, _label) in enumerate(INVESTMENT_RANGES)
            }
        )
        facets.append(
            {
                "name": "investment",
                "label": _("Investment (USD)"),
                "ranges": [
                    {
                        "label": label,
                        "count": buckets[f"b{i}"],
                        "min": "" if low is None else f"{low:.0f}",
                        "max": "" if high is None else f"{high:.2f}",
                        "selected": selected.get("investment_min", "") == ("" if low is None else f"{low:.0f}")
                        and selected.get("investment_max", "") == ("" if high is None else f"{high:.2f}"),
                    }
                    for i, (low, high, label) in enumerate(INVESTMENT_RANGES)
                ],
            }
        )
        years = (
            Project.objects.filter(pk__in=others("start_year"), planned_start__isnull=False)
            .annotate(year=ExtractYear("planned_start"))
            .order_by()
            .values_list("year")
            .annotate(n=Count("pk"))
            .order_by("year")
        )
        facets.append(
            self.facet(
                "start_year",
                _("Planned start year"),
                [(str(y), str(y), n) for y, n in years],
                chosen("start_year"),
                single=True,
            )
        )
        return facets

    @staticmethod
    def facet(name, label, options, chosen, single=False):
        return {
            "name": name,
            "label": label,
            "single": single,
            "options": [
                {"value": value, "label": text, "count": n, "selected": value in chosen}
                for value, text, n in options
                if n or value in chosen
            ],
        }

    def rows(self, queryset):
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
                "planned_start": project.planned_start.isoformat() if project.planned_start else None,
                "planned_end": project.planned_end.isoformat() if project.planned_end else None,
                "actual_start": project.actual_start.isoformat() if project.actual_start else None,
                "actual_end": project.actual_end.isoformat() if project.actual_end else None,
                "demo": project.demo,
            }

    def download_csv(self, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="projects.csv"'
        rows = ({**row, "sectors": "; ".join(row["sectors"])} for row in self.rows(queryset))
        first = next(rows, None)
        header = list(first) if first else ["code", "title", "url"]
        records = itertools.chain([first] if first else [], rows)
        write_csv(response, header, (list(row.values()) for row in records))
        return response

    def download_json(self, queryset):
        results = list(self.rows(queryset))
        response = JsonResponse(
            {"count": len(results), "results": results}, json_dumps_params={"ensure_ascii": False, "indent": 1}
        )
        response["Content-Disposition"] = 'attachment; filename="projects.json"'
        return response
