"""Sitemap sections of the commission side; every page in every language (i18n)."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Agreement, Commission, Event, Meeting, WorkingGroup


class I18nSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True


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


class WorkingGroupSitemap(I18nSitemap):
    def items(self):
        return WorkingGroup.objects.order_by("pk")

    def lastmod(self, obj):
        return obj.updated


class MeetingSitemap(WorkingGroupSitemap):
    def items(self):
        return Meeting.objects.order_by("pk")


class AgreementSitemap(WorkingGroupSitemap):
    def items(self):
        return Agreement.objects.order_by("pk")


class EventSitemap(WorkingGroupSitemap):
    def items(self):
        return Event.objects.published().order_by("pk")
