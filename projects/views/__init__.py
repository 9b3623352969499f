"""Public pages of the portfolio: home, project directory and pages, map, progress reports.

Only published projects, updates and documents appear here (staff with the right permission may
preview a draft project's own page). Every figure comes from the querysets, computed by the
database; each page runs a fixed number of queries whatever the size of the portfolio.
"""

from .changes import ChangesView
from .directory import ProjectListView
from .home import HomeView
from .project import ProjectDetailView, ProjectMapView
from .report_lists import ReportListView
from .reports import ReportView

__all__ = [
    "ChangesView",
    "HomeView",
    "ProjectDetailView",
    "ProjectListView",
    "ProjectMapView",
    "ReportListView",
    "ReportView",
]
