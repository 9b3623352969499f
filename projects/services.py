"""Writes of the publication workflow, shared by the admin and the API.

Projects and progress updates go draft → submitted → published, or back to the editor as
returned with a comment. Every function here checks permission (partnership/permissions.py) before
it writes anything, raises `PermissionDenied` when the user may not act and `ValidationError`
with a sentence for the user when the record is not in a state to move, and records who did it
in the record's history.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _

from partnership.permissions import can_publish, can_submit, can_write

from .models import Publication, Task

SUBMITTABLE = (Publication.DRAFT, Publication.RETURNED)
PUBLISHABLE = (Publication.DRAFT, Publication.SUBMITTED, Publication.RETURNED)


def _locked(obj):
    """The record as stored, locked until the transaction ends (a no-op lock on SQLite)."""
    return type(obj)._default_manager.select_for_update().get(pk=obj.pk)


def _save(obj, *, user, reason):
    # django-simple-history takes the user and reason from these attributes when the write
    # does not come through a request (the API, a command).
    obj._history_user = user
    obj._change_reason = reason
    obj.save()
    return obj


def _state_error(obj, action):
    return ValidationError(
        _("%(object)s cannot be %(action)s: it is %(state)s.")
        % {"object": obj, "action": action, "state": obj.get_publication_display().lower()},
        code="state",
    )


def missing_sentence(missing):
    """One sentence naming what a project still needs before it can be published."""
    return format_lazy(_("It still needs {}."), ", ".join(str(item) for item in missing))


def _require_complete(project):
    missing = project.missing_for_publication()
    if missing:
        raise ValidationError(
            _("%(object)s is not ready for publication. %(missing)s")
            % {"object": project, "missing": missing_sentence(missing)},
            code="incomplete",
            params={"missing": [str(item) for item in missing]},
        )


@transaction.atomic
def submit_project(*, user, project):
    """An editor asks the secretariat to publish a complete project."""
    project = _locked(project)
    if not can_submit(user, project):
        raise PermissionDenied(_("You may not submit this project."))
    if project.publication not in SUBMITTABLE:
        raise _state_error(project, _("submitted"))
    _require_complete(project)
    project.publication = Publication.SUBMITTED
    return _save(project, user=user, reason=_("Submitted for publication"))


@transaction.atomic
def publish_project(*, user, project):
    """The secretariat publishes a project that has everything a public page needs."""
    if not can_publish(user):
        raise PermissionDenied(_("Only the secretariat publishes."))
    project = _locked(project)
    if project.publication not in PUBLISHABLE:
        raise _state_error(project, _("published"))
    _require_complete(project)
    project.publication = Publication.PUBLISHED
    project.review_comment = ""
    return _save(project, user=user, reason=_("Published"))


@transaction.atomic
def return_project(*, user, project, comment):
    """The secretariat sends a submitted project back to its editors, saying why."""
    if not can_publish(user):
        raise PermissionDenied(_("Only the secretariat returns projects."))
    if not (comment or "").strip():
        raise ValidationError({"review_comment": _("Say why the project is returned.")}, code="required")
    project = _locked(project)
    if project.publication != Publication.SUBMITTED:
        raise _state_error(project, _("returned"))
    project.publication = Publication.RETURNED
    project.review_comment = comment.strip()
    return _save(project, user=user, reason=_("Returned with comments"))


@transaction.atomic
def unpublish_project(*, user, project):
    """The secretariat takes a published project off the public site (back to draft)."""
    if not can_publish(user):
        raise PermissionDenied(_("Only the secretariat unpublishes."))
    project = _locked(project)
    if project.publication != Publication.PUBLISHED:
        raise _state_error(project, _("unpublished"))
    project.publication = Publication.DRAFT
    return _save(project, user=user, reason=_("Unpublished"))


@transaction.atomic
def submit_update(*, user, update):
    """An editor asks the secretariat to publish a progress update."""
    update = _locked(update)
    if not can_submit(user, update):
        raise PermissionDenied(_("You may not submit this progress update."))
    if update.publication not in SUBMITTABLE:
        raise _state_error(update, _("submitted"))
    update.publication = Publication.SUBMITTED
    return _save(update, user=user, reason=_("Submitted for publication"))


@transaction.atomic
def publish_update(*, user, update):
    if not can_publish(user):
        raise PermissionDenied(_("Only the secretariat publishes."))
    update = _locked(update)
    if update.publication not in PUBLISHABLE:
        raise _state_error(update, _("published"))
    update.publication = Publication.PUBLISHED
    update.review_comment = ""
    return _save(update, user=user, reason=_("Published"))


@transaction.atomic
def return_update(*, user, update, comment):
    if not can_publish(user):
        raise PermissionDenied(_("Only the secretariat returns progress updates."))
    if not (comment or "").strip():
        raise ValidationError({"review_comment": _("Say why the update is returned.")}, code="required")
    update = _locked(update)
    if update.publication != Publication.SUBMITTED:
        raise _state_error(update, _("returned"))
    update.publication = Publication.RETURNED
    update.review_comment = comment.strip()
    return _save(update, user=user, reason=_("Returned with comments"))


@transaction.atomic
def unpublish_update(*, user, update):
    if not can_publish(user):
        raise PermissionDenied(_("Only the secretariat unpublishes."))
    update = _locked(update)
    if update.publication != Publication.PUBLISHED:
        raise _state_error(update, _("unpublished"))
    update.publication = Publication.DRAFT
    return _save(update, user=user, reason=_("Unpublished"))


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
        _save(task, user=user, reason=_("Marked done"))
        changed += 1
    return changed
