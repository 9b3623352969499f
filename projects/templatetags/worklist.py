"""The admin home's work list: what needs the signed-in user, within what they may see."""

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from partnership.models import Commission
from partnership.permissions import can_publish, scoped
from projects.models import ProgressUpdate, Project, Publication, Task

register = template.Library()

ROWS = 8


def _section(key, title, url, queryset, row):
    return {
        "key": key,
        "title": title,
        "url": url,
        "count": queryset.count(),
        "rows": [row(obj) for obj in queryset[:ROWS]],
    }


def _change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def _project_row(project):
    return {"label": project, "url": _change_url(project), "detail": project.get_publication_display()}


@register.simple_tag
def worklist(user):
    """Sections of overdue tasks, stale projects, returned items and items awaiting publication."""
    if not user.is_active or not user.is_staff:
        return {"sections": []}
    sections = []
    if user.has_perm("projects.view_task"):
        tasks = scoped(user, Task.objects.overdue()).select_related("project").order_by("due_date", "pk")
        sections.append(
            _section(
                "overdue-tasks",
                _("Overdue tasks"),
                reverse("admin:projects_task_changelist") + "?overdue=yes",
                tasks,
                lambda task: {
                    "label": task,
                    "url": _change_url(task),
                    "detail": _("%(project)s · due %(date)s")
                    % {"project": task.project.code, "date": date_format(task.due_date)},
                },
            )
        )
    if user.has_perm("projects.view_project"):
        projects = scoped(user, Project.objects.all())
        sections.append(
            _section(
                "stale-projects",
                _("Projects with no progress update for %(days)d days") % {"days": settings.STALE_UPDATE_DAYS},
                reverse("admin:projects_project_changelist") + "?stale=yes",
                projects.without_recent_update().order_by("code"),
                _project_row,
            )
        )
        sections.append(
            _section(
                "returned",
                _("Projects returned with comments"),
                reverse("admin:projects_project_changelist") + f"?publication__exact={Publication.RETURNED}",
                projects.filter(publication=Publication.RETURNED).order_by("code"),
                lambda project: {**_project_row(project), "detail": project.review_comment},
            )
        )
        title = (
            _("Submitted for publication: yours to review") if can_publish(user) else _("Waiting for the secretariat")
        )
        sections.append(
            _section(
                "submitted-projects",
                title,
                reverse("admin:projects_project_changelist") + f"?publication__exact={Publication.SUBMITTED}",
                projects.filter(publication=Publication.SUBMITTED).order_by("updated"),
                _project_row,
            )
        )
    if user.has_perm("projects.view_progressupdate"):
        updates = scoped(user, ProgressUpdate.objects.filter(publication=Publication.SUBMITTED))
        sections.append(
            _section(
                "submitted-updates",
                _("Progress updates submitted for publication"),
                reverse("admin:projects_progressupdate_changelist") + f"?publication__exact={Publication.SUBMITTED}",
                updates.select_related("project").order_by("reported_on"),
                lambda update: {"label": update, "url": _change_url(update), "detail": update.project.code},
            )
        )
    return {"commissions": [str(c) for c in Commission.objects.all()], "sections": sections}
