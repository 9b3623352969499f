"""A project's public page, and the map of all projects' locations."""

from django.conf import settings
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import DetailView, TemplateView

from partnership import charts
from partnership.models import Directive

from .. import asof, maps, selectors
from ..models import Document, ProgressUpdate, Project, ProjectLocation, ProjectParticipant, Publication, Task
from .demo import DemoScope
from .reports import AsOfForm


def api_url(slug):
    """The project's JSON in the API."""
    return reverse("api:project-detail", kwargs={"slug": slug})


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

    def get(self, request, *args, **kwargs):
        if request.GET.get("as_of"):
            return self.as_of(request)
        return super().get(request, *args, **kwargs)

    def as_of(self, request):
        """`?as_of=`: the project as it was at the end of a past day, read from its history.

        A project public now that was not published then says so (200); a bad date is a 400.
        """
        project = get_object_or_404(Project.objects.visible_to(request.user), slug=self.kwargs["slug"])
        form = AsOfForm(request.GET)
        if not form.is_valid():
            return render(request, "projects/project_as_of.html", {"project": project, "form": form}, status=400)
        day = form.cleaned_data["as_of"]
        if not asof.is_past(day):
            return redirect(project.get_absolute_url())
        state = asof.project_on(project, day)
        context = {"project": project, "form": form, "as_of": day, "state": state}
        if state is not None:
            context.update(
                sectors=asof.sectors_of(state),
                tasks=list(asof.tasks_on(project, day)),
            )
        response = render(request, "projects/project_as_of.html", context)
        if not project.is_published:
            patch_cache_control(response, private=True)
        return response

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if not self.object.is_published:
            # A draft preview, for staff only: no shared cache may keep it.
            patch_cache_control(response, private=True)
        return response

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
                [timezone.localdate(project.updated)] + [update.reported_on for update in project.public_updates],
            ),
            **kwargs,
        )


class ProjectMapView(DemoScope, TemplateView):
    """Every place where a published project is carried out, one dot and one table row per place.

    `?demo=real` (or `demo`) maps that kind of project only.
    """

    template_name = "projects/project_map.html"
    # The table lists the places with the most projects; the rest are a link away in the directory.
    table_rows = 200

    def get(self, request, *args, **kwargs):
        self.demo_filter(Project.objects.none())
        errors = self.demo_errors()
        if errors:
            context = super().get_context_data(errors=errors, places=[], demo_choice="", **kwargs)
            return self.render_to_response(context, status=400)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        projects = self.demo_scoped(Project.objects.published())
        demo_choice = self.demo_choice()
        places = selectors.map_places(projects)
        for place in places:
            place["url"] = directory_url(place["country"], place["region_en"], demo_choice)
            place["name"] = ", ".join(filter(None, [place["place"], place["region"], place["country"].name]))
        # Countries the outlines do not cover are named at the middle of their plotted locations.
        areas = [country for country in selectors.country_centres(projects) if country.code not in maps.NAMES]
        located = [place for place in places if place["lat"] is not None]
        countries = {place["country"].pk: place["country"] for place in places}.values()
        return super().get_context_data(
            demo_choice=demo_choice,
            demo_included=any(place["demo"] for place in places),
            places=places[: self.table_rows],
            more_places=len(places) - self.table_rows,
            countries=[(country, directory_url(country, "", demo_choice)) for country in sorted(countries, key=str)],
            # Map tiles (settings.MAP_TILE_URL) are Web Mercator images and cannot lie under this
            # equal-area projection; the outlines take their place here.
            map=maps.region_map(
                [map_point(place) for place in located],
                title=_("Map of project locations"),
                desc=_("%(count)s places where published projects are carried out, plotted by latitude and longitude.")
                % {"count": len(located)},
                links={country.code: directory_url(country, "", demo_choice) for country in countries},
                areas=[(country.name, country.lat, country.lon) for country in areas],
            ),
            **kwargs,
        )


def directory_url(country, region="", demo=""):
    """The project directory filtered to a country and, if given, a region of it and real or demo projects."""
    query = {"country": country.code, **({"region": region} if region else {}), **({"demo": demo} if demo else {})}
    return f"{reverse('projects:project-list')}?{urlencode(query)}"


def map_point(place):
    """A place of `selectors.map_places` as a point of `charts.map_chart`."""
    count = ngettext("%(count)s project", "%(count)s projects", place["projects"]) % {"count": place["projects"]}
    # A place is demo data only if all its projects are; a mixed place says how many of them are.
    if place["demo"] and place["demo"] == place["projects"]:
        count = f"{count} · {_('Demo data')}"
    elif place["demo"]:
        demo = ngettext("including %(count)s demo project", "including %(count)s demo projects", place["demo"]) % {
            "count": place["demo"]
        }
        count = f"{count}, {demo}"
    return {
        "lat": place["lat"],
        "lon": place["lon"],
        "key": (place["country"].pk, place["region_en"], place["place_en"]),
        "place": place["place"] or place["region"] or place["country"].name,
        "label": f"{place['name']}: {count}",
        "count": place["projects"],
        "url": place["url"],
    }
