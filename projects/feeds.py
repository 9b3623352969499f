"""Atom feeds of published progress updates: all, per project and per working group."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from partnership.models import WorkingGroup

from .models import ProgressUpdate, Project

ITEMS = 50


class UpdatesFeed(Feed):
    feed_type = Atom1Feed

    def title(self, obj=None):
        return _("Progress updates")

    def subtitle(self, obj=None):
        return _("The latest published progress reports on the commission's joint projects.")

    def link(self, obj=None):
        return reverse("projects:home")

    def updates(self, obj):
        return ProgressUpdate.objects.published().select_related("project")

    def items(self, obj=None):
        return self.updates(obj).order_by("-reported_on", "-pk")[:ITEMS]

    def item_title(self, item):
        return f"{item.project.code}: {item.title}"

    def item_description(self, item):
        return item.body

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.created

    def item_updateddate(self, item):
        return item.updated

    def item_categories(self, item):
        return [item.get_confidence_display()]


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
