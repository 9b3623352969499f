"""Sitemap section of the portfolio: published projects only."""

from partnership.sitemaps import (
    AgreementSitemap,
    CommissionSitemap,
    EventSitemap,
    I18nSitemap,
    MeetingSitemap,
    StaticSitemap,
    WorkingGroupSitemap,
)

from .models import Project


class ProjectSitemap(I18nSitemap):
    def items(self):
        return Project.objects.published().order_by("pk")

    def lastmod(self, obj):
        return obj.updated


SITEMAPS = {
    "pages": StaticSitemap,
    "projects": ProjectSitemap,
    "commissions": CommissionSitemap,
    "working-groups": WorkingGroupSitemap,
    "meetings": MeetingSitemap,
    "agreements": AgreementSitemap,
    "events": EventSitemap,
}
