"""The overview page: headline figures, recent updates, upcoming events, charts."""

from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from partnership import charts
from partnership.models import Event, TradeFigure
from partnership.views import main_commission

from .. import selectors
from ..models import ProgressUpdate, Project
from .figures import sector_rows, status_rows


class HomeView(TemplateView):
    template_name = "projects/home.html"

    def get_context_data(self, **kwargs):
        published = Project.objects.published()
        commission = main_commission()
        trade = TradeFigure.objects.filter(commission=commission).order_by("-year").first() if commission else None
        by_sector = sector_rows(selectors.totals_by(published, "sectors"))
        by_status = status_rows(selectors.totals_by(published, "status"))
        return super().get_context_data(
            commission=commission,
            totals=published.totals(),
            demo_count=published.filter(demo=True).count(),
            tasks_done=selectors.progress_figures(published)["progress"],
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
