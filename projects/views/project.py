"""A project's public page, and the map of all projects' locations."""

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import DetailView, TemplateView

from partnership import charts
from partnership.models import Directive

from .. import selectors
from ..models import Document, ProgressUpdate, Project, ProjectLocation, ProjectParticipant, Publication, Task


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
        areas = selectors.country_centres(Project.objects.published())
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
