"""The overview page: headline figures, recent updates, upcoming events, charts."""

from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from partnership import charts
from partnership.models import Event, TradeFigure
from partnership.views import main_commission

from .. import selectors
from ..models import ProgressUpdate, Project
from .demo import DemoScope
from .figures import sector_rows, status_rows


class HomeView(DemoScope, TemplateView):
    """The overview; `?demo=real` (or `demo`) limits its figures and lists to that kind of project."""

    template_name = "projects/home.html"

    def get(self, request, *args, **kwargs):
        self.demo_filter(Project.objects.published())
        errors = self.demo_errors()
        context = self.get_context_data(errors=errors, **kwargs)
        return self.render_to_response(context, status=400 if errors else 200)

    def get_context_data(self, **kwargs):
        published = self.demo_scoped(Project.objects.published())
        totals = published.totals()
        commission = main_commission()
        trade = TradeFigure.objects.filter(commission=commission).order_by("-year").first() if commission else None
        by_sector = sector_rows(selectors.totals_by(published, "sectors"))
        by_status = status_rows(selectors.totals_by(published, "status"))
        return super().get_context_data(
            commission=commission,
            totals=totals,
            demo_count=totals["demo_count"],
            demo_choice=self.demo_choice(),
            tasks_done=selectors.progress_figures(published)["progress"],
            trade=trade,
            updates=self.demo_scoped(ProgressUpdate.objects.published(), "project__demo").select_related("project")[:6],
            events=self.demo_scoped(Event.objects.published().upcoming()).order_by("start_date")[:4],
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
