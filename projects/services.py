"""Writes that span several records, shared by the admin and the API.

Publication (submit, publish, return, unpublish) is not here: it is the one workflow of
partnership/workflow.py, with the portfolio's moves in projects/workflow.py.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnership.permissions import can_write
from partnership.workflow import save_with_history

from .models import Task


@transaction.atomic
def mark_tasks_done(*, user, tasks, on=None):
    """Mark open tasks done as of `on` (today); returns how many changed.

    Every task is checked before any is written, so one forbidden task refuses the lot.
    Done and cancelled tasks are left as they are.
    """
    on = on or timezone.localdate()
    tasks = list(Task.objects.select_for_update().filter(pk__in=[t.pk for t in tasks]).select_related("project"))
    if any(not can_write(user, task) for task in tasks):
        raise PermissionDenied(_("You may only change the tasks of your working groups."))
    changed = 0
    for task in tasks:
        if task.status in (Task.Status.DONE, Task.Status.CANCELLED):
            continue
        task.status = Task.Status.DONE
        task.completed_date = on
        task.full_clean()
        save_with_history(task, user=user, reason=_("Marked done"))
        changed += 1
    return changed
