"""Public pages of the portfolio: home, project directory and pages, map, progress reports.

Only published projects, updates and documents appear here (staff with the right permission may
preview a draft project's own page). Every figure comes from the querysets, computed by the
database; each page runs a fixed number of queries whatever the size of the portfolio.
"""

import csv

from django import forms
from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Avg, Count, Prefetch, Q, Sum
from django.db.models.functions import ExtractYear
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.generic import DetailView, TemplateView

from partnership import charts
from partnership.models import Country, Directive, Event, Sector, TradeFigure, WorkingGroup
from partnership.templatetags.site_tags import money, percent
from partnership.views import filter_errors, main_commission

from .filters import ProjectFilter
from .models import (
    Confidence,
    Document,
    ProgressUpdate,
    Project,
    ProjectLocation,
    ProjectParticipant,
    Publication,
    Task,
)

PAGE_SIZE = 20
MILLION = 1_000_000
# Investment ranges offered as one-click filters (USD); the bounds are those of the filters.
INVESTMENT_RANGES = [
    (None, 10 * MILLION - 0.01, gettext_lazy("under 10 million")),
    (10 * MILLION, 100 * MILLION - 0.01, gettext_lazy("10 to 100 million")),
    (100 * MILLION, 1000 * MILLION - 0.01, gettext_lazy("100 million to 1 billion")),
    (1000 * MILLION, None, gettext_lazy("1 billion and more")),
]
PROGRESS_BANDS = [
    ("none", gettext_lazy("no tasks yet"), Q(progress__isnull=True)),
    ("0", gettext_lazy("not started (0%)"), Q(progress=0)),
    ("1-25", gettext_lazy("1–25%"), Q(progress__gt=0, progress__lte=25)),
    ("26-50", gettext_lazy("26–50%"), Q(progress__gt=25, progress__lte=50)),
    ("51-75", gettext_lazy("51–75%"), Q(progress__gt=50, progress__lte=75)),
    ("76-99", gettext_lazy("76–99%"), Q(progress__gt=75, progress__lt=100)),
    ("100", gettext_lazy("complete (100%)"), Q(progress__gte=100)),
]


def api_url(slug):
    """The project's JSON in the API (the API app may not be mounted yet in every checkout)."""
    try:
        return reverse("api:project-detail", kwargs={"slug": slug})
    except NoReverseMatch:
        return f"/api/v1/projects/{slug}/"


def label_rows(rows, labels, *, css_prefix="", text=money):
    """Turn totals_by() rows into chart rows with readable labels."""
    return [
        {
            "key": row["key"],
            "label": str(labels.get(row["key"], _("not given"))),
            "value": row["usd"] if text is money else row["count"],
            "count": row["count"],
            "usd": row["usd"],
            "unpriced": row["unpriced"],
            "text": text(row["usd"]) if text is money else str(row["count"]),
            "css": f"{css_prefix}{row['key']}" if css_prefix else "",
        }
        for row in rows
    ]


def sector_rows(queryset):
    names = {s.pk: s.name for s in Sector.objects.all()}
    return label_rows(queryset.totals_by("sectors"), names)


def status_rows(queryset):
    rows = {row["key"]: row for row in queryset.totals_by("status")}
    ordered = [rows[value] for value in Project.Status.values if value in rows]
    return label_rows(ordered, dict(Project.Status.choices), css_prefix="bar--", text=lambda v: v)


def confidence_rows(queryset):
    rows = {row["key"]: row for row in queryset.totals_by("confidence")}
    ordered = [rows[value] for value in Confidence.values if value in rows]
    return label_rows(ordered, dict(Confidence.choices), css_prefix="bar--", text=lambda v: v)


def spreadsheet_safe(value):
    """A CSV cell that a spreadsheet will not run as a formula (CSV injection)."""
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


class HomeView(TemplateView):
    template_name = "projects/home.html"

    def get_context_data(self, **kwargs):
        published = Project.objects.published()
        commission = main_commission()
        trade = TradeFigure.objects.filter(commission=commission).order_by("-year").first() if commission else None
        by_sector = sector_rows(published)
        by_status = status_rows(published)
        return super().get_context_data(
            commission=commission,
            totals=published.totals(),
            demo_count=published.filter(demo=True).count(),
            tasks_done=Task.objects.published().done_share(),
            trade=trade,
            updates=ProgressUpdate.objects.published().select_related("project")[:6],
            events=Event.objects.published().upcoming().order_by("start_date")[:4],
            by_sector=by_sector,
            by_status=by_status,
            sector_chart=charts.bar_chart(
                by_sector,
                title=_("Investment by sector"),
                desc=_("Total investment of published projects in each sector, in US dollars."),
            ),
            status_chart=charts.bar_chart(
                by_status,
                title=_("Projects by status"),
                desc=_("Number of published projects at each stage."),
            ),
            **kwargs,
        )


# --- directory ----------------------------------------------------------------------------------


class ProjectListView(TemplateView):
    """The directory: filters with counts, search, sorting, pagination and downloads."""

    template_name = "projects/project_list.html"
    formats = ("csv", "json")

    def get(self, request, *args, **kwargs):
        published = Project.objects.published()
        base = published.with_figures()
        data = request.GET.copy()
        download = data.pop("format", [None])[-1]
        data.pop("page", None)
        filterset = ProjectFilter(data, queryset=published.for_directory(), request=request)
        context = self.get_context_data(filterset=filterset, query=data)
        errors = []
        if download and download not in self.formats:
            errors.append((_("Download format"), [_("Choose csv or json.")]))
        if not filterset.is_valid():
            errors += filter_errors(filterset)
        if errors:
            context.update(errors=errors, facets=[])
            return self.render_to_response(context, status=400)
        queryset = filterset.qs
        if not filterset.form.cleaned_data.get("ordering"):
            queryset = queryset.order_by("code")
        if download:
            return getattr(self, f"download_{download}")(queryset)
        paginator = Paginator(queryset, PAGE_SIZE)
        try:
            page = paginator.page(request.GET.get("page", 1))
        except (PageNotAnInteger, EmptyPage):
            context.update(
                page_error=_("There is no page “%(page)s” in this list; it has %(pages)s page(s).")
                % {"page": request.GET.get("page"), "pages": paginator.num_pages},
                count=paginator.count,
                facets=[],
            )
            return self.render_to_response(context, status=404)
        context.update(
            page=page,
            projects=page.object_list,
            count=paginator.count,
            facets=self.facets(filterset, base),
        )
        return self.render_to_response(context)

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
        writer = None
        for row in self.rows(queryset):
            row["sectors"] = "; ".join(row["sectors"])
            if writer is None:
                writer = csv.DictWriter(response, fieldnames=list(row))
                writer.writeheader()
            writer.writerow({key: spreadsheet_safe(value) for key, value in row.items()})
        if writer is None:
            response.write("code,title,url\r\n")
        return response

    def download_json(self, queryset):
        results = list(self.rows(queryset))
        response = JsonResponse(
            {"count": len(results), "results": results}, json_dumps_params={"ensure_ascii": False, "indent": 1}
        )
        response["Content-Disposition"] = 'attachment; filename="projects.json"'
        return response


# --- project page -------------------------------------------------------------------------------


class ProjectDetailView(DetailView):
    template_name = "projects/project_detail.html"
    context_object_name = "project"

    def get_queryset(self):
        published_updates = ProgressUpdate.objects.filter(publication=Publication.PUBLISHED).select_related("author")
        return (
            Project.objects.visible_to(self.request.user)
            .select_related("working_group", "working_group__commission")
            .prefetch_related(
                "sectors",
                Prefetch(
                    "participants",
                    queryset=ProjectParticipant.objects.select_related("organisation", "organisation__country"),
                ),
                Prefetch("locations", queryset=ProjectLocation.objects.select_related("country")),
                Prefetch(
                    "tasks",
                    queryset=Task.objects.with_overdue().select_related("responsible_organisation"),
                ),
                Prefetch("updates", queryset=published_updates, to_attr="public_updates"),
                Prefetch("documents", queryset=Document.objects.filter(published=True), to_attr="public_documents"),
                "agreements",
                Prefetch("directives", queryset=Directive.objects.select_related("meeting")),
            )
            .with_figures()
        )

    def get_context_data(self, **kwargs):
        project = self.object
        tasks = list(project.tasks.all())
        points = [
            {
                "lat": loc.latitude,
                "lon": loc.longitude,
                "label": str(loc),
                "place": loc.place or loc.region,
                "url": f"#location-{loc.pk}",
            }
            for loc in project.locations.all()
            if loc.latitude is not None
        ]
        return super().get_context_data(
            tasks=tasks,
            milestones=[task for task in tasks if task.is_milestone],
            api_url=api_url(project.slug),
            map=charts.map_chart(
                points,
                title=_("Where the project is"),
                desc=_("Locations of %(project)s by latitude and longitude.") % {"project": project.title},
                tile_url=settings.MAP_TILE_URL,
                min_span=6,
                width=320,
            )
            if points
            else None,
            last_updated=max(
                [project.updated.date()] + [update.reported_on for update in project.public_updates],
            ),
            **kwargs,
        )


# --- map ----------------------------------------------------------------------------------------


class ProjectMapView(TemplateView):
    template_name = "projects/project_map.html"

    def get_context_data(self, **kwargs):
        locations = (
            ProjectLocation.objects.filter(project__publication=Publication.PUBLISHED)
            .select_related("project", "country")
            .order_by("country__name", "region", "place", "project__code")
        )
        with_coordinates = [loc for loc in locations if loc.latitude is not None]
        points = [
            {
                "lat": loc.latitude,
                "lon": loc.longitude,
                "label": f"{loc.project.code} {loc.project.title} — {loc}",
                "place": loc.place or loc.region,
                "url": loc.project.get_absolute_url(),
            }
            for loc in with_coordinates
        ]
        # Each country's name at the middle of its plotted locations, to orient the reader.
        areas = (
            Country.objects.filter(
                project_locations__project__publication=Publication.PUBLISHED,
                project_locations__latitude__isnull=False,
            )
            .annotate(lat=Avg("project_locations__latitude"), lon=Avg("project_locations__longitude"))
            .order_by("name")
        )
        return super().get_context_data(
            locations=locations,
            map=charts.map_chart(
                points,
                title=_("Map of project locations"),
                desc=_("%(count)s locations of published projects, plotted by latitude and longitude.")
                % {"count": len(points)},
                tile_url=settings.MAP_TILE_URL,
                areas=[(country.name, country.lat, country.lon) for country in areas],
            ),
            **kwargs,
        )


# --- progress reports ---------------------------------------------------------------------------


class AsOfForm(forms.Form):
    as_of = forms.DateField(
        label=gettext_lazy("As of"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("A past date (YYYY-MM-DD); empty for today."),
    )

    def clean_as_of(self):
        day = self.cleaned_data["as_of"]
        if day and day > timezone.localdate():
            raise forms.ValidationError(_("A report can only look back: choose today or an earlier date."))
        if day and day.year < 1991:
            raise forms.ValidationError(_("Choose a date from 1991 on."))
        return day


class ReportView(TemplateView):
    """A progress report for the commission, one working group or one sector, as of a date."""

    template_name = "projects/report.html"
    scope = "commission"

    def get(self, request, *args, **kwargs):
        form = AsOfForm(request.GET or None)
        subject = self.get_subject()
        if form.is_bound and not form.is_valid():
            context = self.get_context_data(form=form, subject=subject, invalid=True)
            return self.render_to_response(context, status=400)
        as_of = (form.cleaned_data.get("as_of") if form.is_bound else None) or timezone.localdate()
        context = self.get_context_data(form=form, subject=subject, **self.report(subject, as_of))
        return self.render_to_response(context)

    def get_context_data(self, **kwargs):
        return super().get_context_data(groups=WorkingGroup.objects.all(), sectors=Sector.objects.all(), **kwargs)

    def get_subject(self):
        if self.scope == "working_group":
            return get_object_or_404(WorkingGroup.objects.select_related("commission"), slug=self.kwargs["slug"])
        if self.scope == "sector":
            return get_object_or_404(Sector, slug=self.kwargs["slug"])
        commission = main_commission()
        if commission is None:
            raise Http404(_("No commission has been recorded yet."))
        return commission

    def projects(self, subject):
        published = Project.objects.published()
        if self.scope == "working_group":
            return published.filter(working_group=subject)
        if self.scope == "sector":
            return published.filter(sectors=subject)
        return published.filter(working_group__commission=subject)

    def directives(self, subject):
        if self.scope == "working_group":
            return Directive.objects.filter(working_groups=subject)
        if self.scope == "sector":
            return Directive.objects.filter(working_groups__sectors=subject).distinct()
        return Directive.objects.filter(meeting__commission=subject)

    def report(self, subject, as_of):
        projects = self.projects(subject)
        totals = projects.totals()
        by_status = status_rows(projects)
        by_confidence = confidence_rows(projects)
        by_sector = sector_rows(projects)
        for rows in (by_status, by_confidence):
            for row in rows:
                row["text"] = f"{row['count']} · {money(row['usd'])}"
        figures = projects.with_progress(as_of)
        bands = figures.aggregate(**{key: Count("pk", filter=q) for key, _label, q in PROGRESS_BANDS})
        distribution = [
            {"key": key, "label": str(label), "value": bands[key], "count": bands[key], "text": str(bands[key])}
            for key, label, _q in PROGRESS_BANDS
        ]
        by_group = self.progress_by_group(projects, as_of)
        overdue = (
            Task.objects.filter(project__in=projects.values("pk"), due_date__lt=as_of)
            .exclude(status=Task.Status.CANCELLED)
            .filter(~Q(status=Task.Status.DONE) | Q(completed_date__gt=as_of))
            .select_related("project", "responsible_organisation")
            .order_by("due_date", "project__code")
        )
        behind = projects.behind_schedule(as_of).order_by("code")
        stale = projects.without_recent_update(as_of).order_by("code")
        directives = self.directives(subject).state_counts(as_of)
        directive_rows = [
            {"label": str(label), "count": directives[value]} for value, label in Directive.Status.choices
        ]
        return {
            "demo_count": projects.filter(demo=True).count(),
            "as_of": as_of,
            "is_today": as_of == timezone.localdate(),
            "totals": totals,
            "by_status": by_status,
            "by_confidence": by_confidence,
            "by_sector": by_sector,
            "distribution": distribution,
            "by_group": by_group,
            "overdue_tasks": list(overdue),
            "behind": list(behind),
            "stale": list(stale),
            "stale_days": settings.STALE_UPDATE_DAYS,
            "directives": directives,
            "directive_rows": directive_rows,
            "status_chart": charts.bar_chart(
                by_status, title=_("Projects by status"), desc=_("Number of projects at each stage.")
            ),
            "confidence_chart": charts.bar_chart(
                by_confidence,
                title=_("Projects by delivery confidence"),
                desc=_("Number of projects at each delivery-confidence rating."),
            ),
            "sector_chart": charts.bar_chart(
                by_sector, title=_("Investment by sector"), desc=_("Total investment in each sector, in US dollars.")
            ),
            "distribution_chart": charts.bar_chart(
                distribution,
                title=_("Progress distribution"),
                desc=_("Number of projects in each band of progress (share of task weight done)."),
            ),
            "group_chart": charts.bar_chart(
                by_group,
                title=_("Progress by working group"),
                desc=_("Share of task weight done in each working group's projects."),
                max_value=100,
            ),
        }

    @staticmethod
    def progress_by_group(projects, as_of):
        """Share of the non-cancelled task weight done by `as_of`, per working group."""
        rows = (
            Task.objects.filter(project__in=projects.values("pk"))
            .exclude(status=Task.Status.CANCELLED)
            .order_by()
            .values("project__working_group", "project__working_group__name")
            .annotate(
                total=Sum("weight"),
                done=Sum("weight", filter=Q(status=Task.Status.DONE, completed_date__lte=as_of)),
            )
            .order_by("project__working_group__name")
        )
        result = []
        for row in rows:
            share = 100.0 * (row["done"] or 0) / row["total"] if row["total"] else 0.0
            result.append(
                {
                    "label": row["project__working_group__name"] or _("no working group"),
                    "value": share,
                    "text": percent(share),
                    "done": row["done"] or 0,
                    "total": row["total"],
                }
            )
        return result
