"""The publication workflow as the admin and the API both call it: permission first, then state."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from partnership.workflow import transition
from projects import services
from projects.models import Publication, Task
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def group():
    return f.WorkingGroupFactory()


@pytest.fixture
def project(group):
    project = f.ProjectFactory(working_group=group, publication=Publication.DRAFT, sectors=[f.SectorFactory()])
    f.LocationFactory(project=project)
    f.ParticipantFactory(project=project)
    return project


def test_editor_submits_their_complete_project_and_history_says_who(project, group, make_editor):
    editor = make_editor(group)
    result = transition(project, "submit", user=editor)
    assert result.publication == Publication.SUBMITTED
    record = project.history.first()
    assert record.history_user == editor
    assert record.history_change_reason == "Submitted for publication"


def test_editor_of_another_group_cannot_submit_and_nothing_changes(project, make_editor):
    outsider = make_editor(f.WorkingGroupFactory())
    with pytest.raises(PermissionDenied):
        transition(project, "submit", user=outsider)
    project.refresh_from_db()
    assert project.publication == Publication.DRAFT


def test_incomplete_project_cannot_be_submitted_or_published(project, group, make_editor, secretariat):
    project.locations.all().delete()
    with pytest.raises(ValidationError) as exc:
        transition(project, "submit", user=make_editor(group))
    assert "at least one location" in exc.value.messages[0]
    with pytest.raises(ValidationError):
        transition(project, "publish", user=secretariat)
    project.refresh_from_db()
    assert project.publication == Publication.DRAFT


def test_project_in_a_currency_without_a_rate_cannot_be_published(project, secretariat):
    project.investment_currency = "KZT"
    project.save()
    with pytest.raises(ValidationError) as exc:
        transition(project, "publish", user=secretariat)
    assert "an exchange rate for KZT" in exc.value.messages[0]
    f.ExchangeRateFactory(currency="KZT", date=datetime.date(2020, 1, 1))
    assert transition(project, "publish", user=secretariat).publication == Publication.PUBLISHED


def test_only_the_secretariat_publishes_returns_and_unpublishes(project, group, make_editor, secretariat):
    editor = make_editor(group)
    transition(project, "submit", user=editor)
    for call in (
        lambda: transition(project, "publish", user=editor),
        lambda: transition(project, "return", user=editor, comment="No"),
        lambda: transition(project, "unpublish", user=editor),
    ):
        with pytest.raises(PermissionDenied):
            call()
    project.refresh_from_db()
    assert project.publication == Publication.SUBMITTED
    assert transition(project, "publish", user=secretariat).publication == Publication.PUBLISHED
    assert transition(project, "unpublish", user=secretariat).publication == Publication.DRAFT


def test_returned_project_carries_the_comment_and_can_be_resubmitted(project, group, make_editor, secretariat):
    editor = make_editor(group)
    transition(project, "submit", user=editor)
    with pytest.raises(ValidationError):
        transition(project, "return", user=secretariat, comment="  ")
    returned = transition(project, "return", user=secretariat, comment="Add the shares.")
    assert (returned.publication, returned.review_comment) == (Publication.RETURNED, "Add the shares.")
    assert transition(project, "submit", user=editor).publication == Publication.SUBMITTED
    published = transition(project, "publish", user=secretariat)
    assert published.review_comment == ""


def test_states_that_do_not_allow_the_step_are_refused(project, secretariat):
    with pytest.raises(ValidationError):
        transition(project, "return", user=secretariat, comment="Not submitted yet")
    with pytest.raises(ValidationError):
        transition(project, "unpublish", user=secretariat)
    transition(project, "publish", user=secretariat)
    with pytest.raises(ValidationError):
        transition(project, "submit", user=secretariat)


def test_progress_update_workflow(project, group, make_editor, secretariat):
    update = f.ProgressUpdateFactory(project=project, publication=Publication.DRAFT)
    editor = make_editor(group)
    assert transition(update, "submit", user=editor).publication == Publication.SUBMITTED
    with pytest.raises(PermissionDenied):
        transition(update, "publish", user=editor)
    assert transition(update, "return", user=secretariat, comment="Numbers?").publication == "returned"
    transition(update, "submit", user=editor)
    assert transition(update, "publish", user=secretariat).publication == Publication.PUBLISHED
    assert transition(update, "unpublish", user=secretariat).publication == Publication.DRAFT


def test_mark_tasks_done_checks_every_task_before_writing(project, group, make_editor):
    editor = make_editor(group)
    own = f.TaskFactory(project=project)
    other = f.TaskFactory(project=f.ProjectFactory())
    with pytest.raises(PermissionDenied):
        services.mark_tasks_done(user=editor, tasks=[own, other])
    own.refresh_from_db()
    assert own.status == Task.Status.PLANNED
    cancelled = f.TaskFactory(project=project, status=Task.Status.CANCELLED)
    assert services.mark_tasks_done(user=editor, tasks=[own, cancelled]) == 1
    own.refresh_from_db()
    cancelled.refresh_from_db()
    assert (own.status, own.completed_date) == (Task.Status.DONE, timezone.localdate())
    assert cancelled.status == Task.Status.CANCELLED
