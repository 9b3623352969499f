"""The admin home's work list: what needs the signed-in user, within what they may see."""

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from partnership import pending
from partnership.models import Commission
from partnership.permissions import can_publish, scoped
from projects import selectors
from projects.models import ProgressUpdate, Project, Publication, Task

register = template.Library()

ROWS = 8


def _change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def _project_row(project):
    return {"label": project, "url": _change_url(project), "detail": project.get_publication_display()}


@register.simple_tag
def worklist(user):
    """Sections of overdue tasks, stale projects, returned items and items awaiting publication."""
    if not user.is_active or not user.is_staff:
        return {"sections": []}
    sees_projects = user.has_perm("projects.view_project")
    lists = selectors.worklist(
        tasks=scoped(user, Task.objects.all()) if user.has_perm("projects.view_task") else None,
        projects=scoped(user, Project.objects.all()) if sees_projects else None,
        updates=scoped(user, ProgressUpdate.objects.all()) if user.has_perm("projects.view_progressupdate") else None,
        changes=pending.waiting(user),
        rows=ROWS,
    )
    sections = [
        {
            "key": key,
            "title": title,
            "url": url,
            "count": lists[key]["count"],
            "rows": [row(o) for o in lists[key]["rows"]],
        }
        for key, title, url, row in _sections(reviewer=sees_projects and can_publish(user))
        if key in lists
    ]
    return {"commissions": [str(c) for c in Commission.objects.all()], "sections": sections}


def _sections(reviewer):
    """Each list's key, title, address in the admin and row for one record."""
    changelist = "admin:projects_{}_changelist".format
    submitted = f"?publication__exact={Publication.SUBMITTED}"
    return [
        ("overdue-tasks", _("Overdue tasks"), reverse(changelist("task")) + "?overdue=yes", _task_row),
        (
            "stale-projects",
            _("Projects with no progress update for %(days)d days") % {"days": settings.STALE_UPDATE_DAYS},
            reverse(changelist("project")) + "?stale=yes",
            _project_row,
        ),
        (
            "returned",
            _("Projects returned with comments"),
            reverse(changelist("project")) + f"?publication__exact={Publication.RETURNED}",
            lambda project: {**_project_row(project), "detail": project.review_comment},
        ),
        (
            "submitted-projects",
            _("Submitted for publication: yours to review") if reviewer else _("Waiting for the secretariat"),
            reverse(changelist("project")) + submitted,
            _project_row,
        ),
        (
            "submitted-updates",
            _("Progress updates submitted for publication"),
            reverse(changelist("progressupdate")) + submitted,
            lambda update: {"label": update, "url": _change_url(update), "detail": update.project.code},
        ),
        (
            "pending-changes",
            _("Changes waiting for approval: yours to review") if reviewer else _("Changes waiting for approval"),
            reverse("admin:index") + "#worklist-pending-changes",
            _change_row,
        ),
    ]


def _change_row(change):
    record = change.record
    return {
        "label": record,
        "url": _change_url(record) + "#pending-change",
        "detail": _("%(author)s · %(date)s")
        % {"author": change.author.get_username() if change.author else "—", "date": date_format(change.created)},
    }


def _task_row(task):
    return {
        "label": task,
        "url": _change_url(task),
        "detail": _("%(project)s · due %(date)s") % {"project": task.project.code, "date": date_format(task.due_date)},
    }
