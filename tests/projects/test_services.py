"""The publication workflow as the admin and the API both call it: permission first, then state."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

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
    result = services.submit_project(user=editor, project=project)
    assert result.publication == Publication.SUBMITTED
    record = project.history.first()
    assert record.history_user == editor
    assert record.history_change_reason == "Submitted for publication"


def test_editor_of_another_group_cannot_submit_and_nothing_changes(project, make_editor):
    outsider = make_editor(f.WorkingGroupFactory())
    with pytest.raises(PermissionDenied):
        services.submit_project(user=outsider, project=project)
    project.refresh_from_db()
    assert project.publication == Publication.DRAFT


def test_incomplete_project_cannot_be_submitted_or_published(project, group, make_editor, secretariat):
    project.locations.all().delete()
    with pytest.raises(ValidationError) as exc:
        services.submit_project(user=make_editor(group), project=project)
    assert "at least one location" in exc.value.messages[0]
    with pytest.raises(ValidationError):
        services.publish_project(user=secretariat, project=project)
    project.refresh_from_db()
    assert project.publication == Publication.DRAFT


def test_project_in_a_currency_without_a_rate_cannot_be_published(project, secretariat):
    project.investment_currency = "KZT"
    project.save()
    with pytest.raises(ValidationError) as exc:
        services.publish_project(user=secretariat, project=project)
    assert "an exchange rate for KZT" in exc.value.messages[0]
    f.ExchangeRateFactory(currency="KZT", date=datetime.date(2020, 1, 1))
    assert services.publish_project(user=secretariat, project=project).publication == Publication.PUBLISHED


def test_only_the_secretariat_publishes_returns_and_unpublishes(project, group, make_editor, secretariat):
    editor = make_editor(group)
    services.submit_project(user=editor, project=project)
    for call in (
        lambda: services.publish_project(user=editor, project=project),
        lambda: services.return_project(user=editor, project=project, comment="No"),
        lambda: services.unpublish_project(user=editor, project=project),
    ):
        with pytest.raises(PermissionDenied):
            call()
    project.refresh_from_db()
    assert project.publication == Publication.SUBMITTED
    assert services.publish_project(user=secretariat, project=project).publication == Publication.PUBLISHED
    assert services.unpublish_project(user=secretariat, project=project).publication == Publication.DRAFT


def test_returned_project_carries_the_comment_and_can_be_resubmitted(project, group, make_editor, secretariat):
    editor = make_editor(group)
    services.submit_project(user=editor, project=project)
    with pytest.raises(ValidationError):
        services.return_project(user=secretariat, project=project, comment="  ")
    returned = services.return_project(user=secretariat, project=project, comment="Add the shares.")
    assert (returned.publication, returned.review_comment) == (Publication.RETURNED, "Add the shares.")
    assert services.submit_project(user=editor, project=project).publication == Publication.SUBMITTED
    published = services.publish_project(user=secretariat, project=project)
    assert published.review_comment == ""


def test_states_that_do_not_allow_the_step_are_refused(project, secretariat):
    with pytest.raises(ValidationError):
        services.return_project(user=secretariat, project=project, comment="Not submitted yet")
    with pytest.raises(ValidationError):
        services.unpublish_project(user=secretariat, project=project)
    services.publish_project(user=secretariat, project=project)
    with pytest.raises(ValidationError):
        services.submit_project(user=secretariat, project=project)


def test_progress_update_workflow(project, group, make_editor, secretariat):
    update = f.ProgressUpdateFactory(project=project, publication=Publication.DRAFT)
    editor = make_editor(group)
    assert services.submit_update(user=editor, update=update).publication == Publication.SUBMITTED
    with pytest.raises(PermissionDenied):
        services.publish_update(user=editor, update=update)
    assert services.return_update(user=secretariat, update=update, comment="Numbers?").publication == "returned"
    services.submit_update(user=editor, update=update)
    assert services.publish_update(user=secretariat, update=update).publication == Publication.PUBLISHED
    assert services.unpublish_update(user=secretariat, update=update).publication == Publication.DRAFT


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
