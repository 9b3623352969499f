"""Sitemap sections of the commission side; every page in every language (i18n).

/sitemap.xml is an index of the sections; a section is split into pages of at most `limit`
URLs, each a URL in one language with its alternates, so no file grows with the portfolio.
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from .models import Agreement, Commission, Directive, Event, Meeting, WorkingGroup


class I18nSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    # URLs a page: each comes with its language alternates, each reversed in its language, so a
    # page of 1,000 was about 750 kB and took 0.36–0.64 s at the bench (5,000 took over a second;
    # Google takes up to 50,000). 500 keeps a page well within the half-second budget.
    limit = 500


class StaticSitemap(I18nSitemap):
    """Pages that are not one record."""

    names = [
        "projects:home",
        "projects:project-list",
        "projects:project-map",
        "projects:report",
        "partnership:commission-detail",
        "partnership:commission-list",
        "partnership:workinggroup-list",
        "partnership:meeting-list",
        "partnership:directive-list",
        "partnership:agreement-list",
        "partnership:trade",
        "partnership:event-list",
    ]

    def items(self):
        return self.names

    def location(self, item):
        return reverse(item)


class CommissionSitemap(I18nSitemap):
    """Each commission's page, progress report and trade page."""

    names = ["partnership:commission-detail", "projects:report", "partnership:trade"]

    def items(self):
        return [(commission, name) for commission in Commission.objects.order_by("pk") for name in self.names]

    def location(self, item):
        commission, name = item
        return reverse(name, kwargs={"slug": commission.slug})

    def lastmod(self, item):
        return item[0].updated


class RecordSitemap(I18nSitemap):
    """Records with a page of their own: only the columns their address and date need."""

    model = None

    def records(self):
        return self.model.objects.all()

    def items(self):
        return self.records().only("pk", "slug", "updated").order_by("pk")

    def lastmod(self, obj):
        return obj.updated

    def get_latest_lastmod(self):
        # For the index: one aggregate instead of reading every record.
        return self.records().aggregate(latest=Max("updated"))["latest"]


class WorkingGroupSitemap(RecordSitemap):
    model = WorkingGroup


class MeetingSitemap(RecordSitemap):
    model = Meeting


class AgreementSitemap(RecordSitemap):
    model = Agreement


class EventSitemap(RecordSitemap):
    def records(self):
        return Event.objects.published()


class DirectiveSitemap(RecordSitemap):
    """Every directive: meetings, and so their directives, are public records."""

    model = Directive

    def items(self):
        return self.records().only("pk", "updated").order_by("pk")
