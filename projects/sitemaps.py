"""Sitemap sections of the portfolio: published projects, and the open-data files."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from partnership.sitemaps import (
    AgreementSitemap,
    CommissionSitemap,
    DirectiveSitemap,
    EventSitemap,
    MeetingSitemap,
    RecordSitemap,
    StaticSitemap,
    WorkingGroupSitemap,
)

from .models import Project
from .opendata import codes, iati
from .opendata.records import for_export


class ProjectSitemap(RecordSitemap):
    def records(self):
        return Project.objects.published()


class DatasetSitemap(Sitemap):
    """The open-data exports of real projects (IATI, OC4IDS), every page of each; no language prefix."""

    exports = {
        "api:iati-activities": lambda: for_export().filter(iati.dated_q()),
        "api:oc4ids-projects": for_export,
    }

    def items(self):
        items = []
        for name, projects in self.exports.items():
            count = projects().filter(demo=False).count()
            pages = max(1, -(-count // codes.PAGE_SIZE))
            items += [(name, page) for page in range(1, pages + 1)]
        return items

    def location(self, item):
        name, page = item
        return reverse(name) + (f"?page={page}" if page > 1 else "")

    def lastmod(self, item):
        return self.latest()

    def latest(self):
        if not hasattr(self, "_latest"):
            self._latest = Project.objects.published().filter(demo=False).aggregate(latest=Max("updated"))["latest"]
        return self._latest


SITEMAPS = {
    "pages": StaticSitemap,
    "projects": ProjectSitemap,
    "commissions": CommissionSitemap,
    "working-groups": WorkingGroupSitemap,
    "meetings": MeetingSitemap,
    "directives": DirectiveSitemap,
    "agreements": AgreementSitemap,
    "events": EventSitemap,
    "datasets": DatasetSitemap,
}
