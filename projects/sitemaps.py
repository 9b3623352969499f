"""Sitemap section of the portfolio: published projects only."""

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


class ProjectSitemap(RecordSitemap):
    def records(self):
        return Project.objects.published()


SITEMAPS = {
    "pages": StaticSitemap,
    "projects": ProjectSitemap,
    "commissions": CommissionSitemap,
    "working-groups": WorkingGroupSitemap,
    "meetings": MeetingSitemap,
    "directives": DirectiveSitemap,
    "agreements": AgreementSitemap,
    "events": EventSitemap,
}
