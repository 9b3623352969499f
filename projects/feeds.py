"""Atom feeds of published progress updates: all, per project and per working group.

`?demo=real` (or `demo`) keeps the updates of that kind of project only; an entry about a demo
project says so in its title and categories.
"""

import copy

from django.contrib.syndication.views import Feed
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from partnership.filters import DemoFilter
from partnership.lists import filter_errors
from partnership.models import WorkingGroup

from .filters import PortfolioFilter
from .models import ProgressUpdate, Project

ITEMS = 50


class UpdatesFeed(Feed):
    feed_type = Atom1Feed
    # The request's `demo` choice, set on a copy of the feed for each request.
    demo = ""

    def __call__(self, request, *args, **kwargs):
        portfolio = PortfolioFilter(request.GET, queryset=Project.objects.none())
        if not portfolio.is_valid():
            lines = [f"{label}: {' '.join(messages)}" for label, messages in filter_errors(portfolio)]
            return HttpResponseBadRequest("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
        feed = copy.copy(self)
        feed.demo = portfolio.form.cleaned_data.get("demo", "")
        return Feed.__call__(feed, request, *args, **kwargs)

    def title(self, obj=None):
        return _("Progress updates")

    def subtitle(self, obj=None):
        return _("The latest published progress reports on the commission's joint projects.")

    def link(self, obj=None):
        return reverse("projects:home")

    def updates(self, obj):
        return (
            DemoFilter("project__demo").filter(ProgressUpdate.objects.published(), self.demo).select_related("project")
        )

    def items(self, obj=None):
        return self.updates(obj).order_by("-reported_on", "-pk")[:ITEMS]

    def item_title(self, item):
        title = f"{item.project.code}: {item.title}"
        return f"{title} ({_('Demo data')})" if item.project.demo else title

    def item_description(self, item):
        return item.body

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.created

    def item_updateddate(self, item):
        return item.updated

    def item_categories(self, item):
        return [item.get_confidence_display(), *([_("Demo data")] if item.project.demo else [])]


class SubjectUpdatesFeed(UpdatesFeed):
    """The updates about one subject, found by its slug and linking to its page."""

    def subjects(self):
        raise NotImplementedError

    def get_object(self, request, slug):
        return get_object_or_404(self.subjects(), slug=slug)

    def link(self, obj=None):
        return obj.get_absolute_url()


class ProjectUpdatesFeed(SubjectUpdatesFeed):
    def subjects(self):
        return Project.objects.published()

    def title(self, obj=None):
        return _("Progress updates: %(project)s") % {"project": obj.title}

    def updates(self, obj):
        return super().updates(obj).filter(project=obj)


class WorkingGroupUpdatesFeed(SubjectUpdatesFeed):
    def subjects(self):
        return WorkingGroup.objects.all()

    def title(self, obj=None):
        return _("Progress updates: %(group)s") % {"group": obj.name}

    def updates(self, obj):
        return super().updates(obj).filter(project__working_group=obj)
