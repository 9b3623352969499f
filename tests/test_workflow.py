"""The one publication workflow: every allowed and refused move of every kind of record.

The table below is written out by hand, as the secretariat's guide describes it, so that a
change to the workflow's own table (partnership/workflow.py, projects/workflow.py) fails here.
"""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from partnership.models import Event
from partnership.workflow import available, transition
from projects.models import Document, ProgressUpdate, Project, Publication
from tests import factories as f
from tests.helpers import assert_error, client_for

pytestmark = pytest.mark.django_db

STATES = [Publication.DRAFT, Publication.SUBMITTED, Publication.RETURNED, Publication.PUBLISHED]
# action → (states it starts from, state it leads to, who besides the secretariat may take it)
PUBLICATION_MOVES = {
    "submit": ({Publication.DRAFT, Publication.RETURNED}, Publication.SUBMITTED, "editor"),
    "publish": ({Publication.DRAFT, Publication.SUBMITTED, Publication.RETURNED}, Publication.PUBLISHED, None),
    "return": ({Publication.SUBMITTED}, Publication.RETURNED, None),
    "unpublish": ({Publication.PUBLISHED}, Publication.DRAFT, None),
}
FLAG_MOVES = {"publish": ({False}, True), "unpublish": ({True}, False)}
REASONS = {
    "submit": "Submitted for publication",
    "publish": "Published",
    "return": "Returned with comments",
    "unpublish": "Unpublished",
}


@pytest.fixture
def group():
    return f.WorkingGroupFactory()


def complete_project(group, publication):
    project = f.ProjectFactory(working_group=group, publication=publication, sectors=[f.SectorFactory()])
    f.LocationFactory(project=project)
    f.ParticipantFactory(project=project)
    return project


def make_record(kind, group, state):
    if kind == "project":
        return complete_project(group, state)
    if kind == "update":
        return f.ProgressUpdateFactory(project=complete_project(group, Publication.DRAFT), publication=state)
    if kind == "document":
        return f.DocumentFactory(project=complete_project(group, Publication.DRAFT), published=state)
    return f.EventFactory(published=state)


def outcome(record, action, user, field):
    """What the step did: the new state, or the kind of refusal (with the stored state unchanged)."""
    before = getattr(record, field)
    try:
        moved = transition(record, action, user=user, comment="Check the figures.")
    except PermissionDenied:
        result = "denied"
    except ValidationError as exc:
        result = "state" if "cannot be" in exc.messages[0] else exc.messages[0]
    else:
        return getattr(moved, field)
    record.refresh_from_db()
    assert getattr(record, field) == before, "a refused step wrote to the record"
    return result


@pytest.mark.parametrize("kind", ["project", "update"])
@pytest.mark.parametrize("action", list(PUBLICATION_MOVES))
@pytest.mark.parametrize("start", STATES)
def test_every_move_of_projects_and_updates(kind, action, start, group, make_editor, secretariat):
    sources, target, other_role = PUBLICATION_MOVES[action]
    allowed = target if start in sources else "state"
    expected = {
        "secretariat": allowed,
        "editor": allowed if other_role == "editor" else "denied",
        "outsider": "denied",
    }
    users = {
        "secretariat": secretariat,
        "editor": make_editor(group),
        "outsider": make_editor(f.WorkingGroupFactory()),
    }
    for role, user in users.items():
        record = make_record(kind, group, start)
        assert outcome(record, action, user, "publication") == expected[role], role
        if expected[role] == target:
            history = record.history.first()
            assert (history.history_user, history.history_change_reason) == (user, REASONS[action])


@pytest.mark.parametrize("kind", ["document", "event"])
@pytest.mark.parametrize("action", list(FLAG_MOVES))
@pytest.mark.parametrize("start", [False, True])
def test_every_move_of_documents_and_events(kind, action, start, group, make_editor, secretariat):
    sources, target = FLAG_MOVES[action]
    record = make_record(kind, group, start)
    # Even the editors of the document's own working group: only the secretariat publishes.
    assert outcome(record, action, make_editor(group), "published") == "denied"
    assert outcome(record, action, secretariat, "published") == (target if start in sources else "state")
    if start in sources:
        history = record.history.first()
        assert (history.history_user, history.history_change_reason) == (secretariat, REASONS[action])


def test_refusals_say_why_in_the_existing_words(group, make_editor, secretariat):
    project = complete_project(group, Publication.SUBMITTED)
    with pytest.raises(PermissionDenied, match="^Only the secretariat returns projects.$"):
        transition(project, "return", user=make_editor(group), comment="No")
    with pytest.raises(PermissionDenied, match="^You may not submit this project.$"):
        transition(project, "submit", user=make_editor(f.WorkingGroupFactory()))
    with pytest.raises(ValidationError) as exc:
        transition(project, "return", user=secretariat, comment="  ")
    assert exc.value.message_dict == {"review_comment": ["Say why the project is returned."]}
    with pytest.raises(ValidationError) as exc:
        transition(project, "unpublish", user=secretariat)
    assert exc.value.messages == [f"{project} cannot be unpublished: it is submitted for publication."]
    event = f.EventFactory(published=True)
    with pytest.raises(ValidationError) as exc:
        transition(event, "publish", user=secretariat)
    assert exc.value.messages == [f"{event} cannot be published: it is published."]


def test_return_keeps_the_comment_and_publishing_clears_it(group, secretariat):
    update = make_record("update", group, Publication.SUBMITTED)
    returned = transition(update, "return", user=secretariat, comment="  Which month?  ")
    assert (returned.publication, returned.review_comment) == (Publication.RETURNED, "Which month?")
    assert transition(update, "publish", user=secretariat).review_comment == ""


def test_a_project_must_be_complete_to_be_submitted_or_published(group, make_editor, secretariat):
    project = complete_project(group, Publication.DRAFT)
    project.participants.all().delete()
    for action, user in (("submit", make_editor(group)), ("publish", secretariat)):
        assert "at least one participant" in outcome(project, action, user, "publication")
    # A progress update has no such check.
    update = f.ProgressUpdateFactory(project=project, publication=Publication.DRAFT)
    assert transition(update, "publish", user=secretariat).publication == Publication.PUBLISHED


@pytest.mark.parametrize(
    ("state", "editor_steps", "secretariat_steps"),
    [
        (Publication.DRAFT, ["submit"], ["submit", "publish"]),
        (Publication.SUBMITTED, [], ["publish", "return"]),
        (Publication.RETURNED, ["submit"], ["submit", "publish"]),
        (Publication.PUBLISHED, [], ["unpublish"]),
    ],
)
def test_the_change_form_offers_exactly_the_allowed_steps(
    client, group, make_editor, secretariat, state, editor_steps, secretariat_steps
):
    project = complete_project(group, state)
    url = reverse("admin:projects_project_change", args=[project.pk])
    for user, expected in ((make_editor(group), editor_steps), (secretariat, secretariat_steps)):
        client.force_login(user)
        page = client.get(url).content.decode()
        assert re.findall(r'name="_(submit|publish|return|unpublish)"', page) == expected
        assert available(user, project) == expected


def test_bulk_publish_reports_each_refused_row(client, group, secretariat):
    ready = complete_project(group, Publication.SUBMITTED)
    incomplete = complete_project(group, Publication.SUBMITTED)
    incomplete.locations.all().delete()
    client.force_login(secretariat)
    response = client.post(
        reverse("admin:projects_project_changelist"),
        {"action": "publish_selected", "_selected_action": [ready.pk, incomplete.pk]},
        follow=True,
    )
    page = response.content.decode()
    assert f"{ready}: published." in page
    assert f"{incomplete}: {incomplete} is not ready for publication." in page
    assert Project.objects.get(pk=ready.pk).publication == Publication.PUBLISHED
    assert Project.objects.get(pk=incomplete.pk).publication == Publication.SUBMITTED


# --- documents and events through the admin and the API ------------------------------------------


def test_documents_publish_in_bulk_through_the_workflow(client, group, make_editor, secretariat):
    hidden = make_record("document", group, False)
    shown = make_record("document", group, True)
    url = reverse("admin:projects_document_changelist")
    client.force_login(make_editor(group))
    client.post(url, {"action": "publish", "_selected_action": [hidden.pk]})
    assert Document.objects.get(pk=hidden.pk).published is False  # not the editor's action

    client.force_login(secretariat)
    response = client.post(url, {"action": "publish", "_selected_action": [hidden.pk, shown.pk]}, follow=True)
    assert "1 document changed." in response.content.decode()  # the published one is left alone
    assert Document.objects.get(pk=hidden.pk).published is True
    record = Document.objects.get(pk=hidden.pk).history.first()
    assert (record.history_user, record.history_change_reason) == (secretariat, "Published")
    response = client.post(url, {"action": "unpublish", "_selected_action": [hidden.pk, shown.pk]}, follow=True)
    assert "2 documents changed." in response.content.decode()
    assert not Document.objects.filter(published=True).exists()


def test_events_publish_in_bulk_through_the_workflow(client, secretariat):
    hidden, shown = f.EventFactory(published=False), f.EventFactory(published=True)
    client.force_login(secretariat)
    url = reverse("admin:partnership_event_changelist")
    response = client.post(url, {"action": "publish", "_selected_action": [hidden.pk, shown.pk]}, follow=True)
    assert "1 event published." in response.content.decode()
    assert Event.objects.filter(published=True).count() == 2
    record = Event.objects.get(pk=hidden.pk).history.first()
    assert (record.history_user, record.history_change_reason) == (secretariat, "Published")
    response = client.post(url, {"action": "unpublish", "_selected_action": [shown.pk]}, follow=True)
    assert "1 event unpublished." in response.content.decode()
    assert Event.objects.get(pk=shown.pk).published is False


def test_documents_and_events_published_through_the_api_by_the_secretariat_only(group, make_editor, secretariat):
    document = make_record("document", group, False)
    editor = client_for(make_editor(group))
    url = f"/api/v1/documents/{document.pk}/"
    assert_error(editor.patch(url, {"published": True}, format="json"), 403, "published")
    assert editor.patch(url, {"title": "Feasibility study"}, format="json").status_code == 200
    assert Document.objects.get(pk=document.pk).published is False
    assert client_for(secretariat).patch(url, {"published": True}, format="json").json()["published"] is True

    event = f.EventFactory(published=True)
    url = f"/api/v1/events/{event.slug}/"
    assert_error(editor.patch(url, {"published": False}, format="json"), 403)
    assert client_for(secretariat).patch(url, {"published": False}, format="json").status_code == 200
    assert Event.objects.get(pk=event.pk).published is False


@pytest.mark.parametrize(
    ("resource", "kind"), [("projects", "project"), ("progress-updates", "update")], ids=["project", "update"]
)
def test_api_actions_follow_the_table(resource, kind, group, make_editor, secretariat):
    record = make_record(kind, group, Publication.DRAFT)
    key = record.slug if kind == "project" else record.pk
    url = f"/api/v1/{resource}/{key}/"
    editor, desk = client_for(make_editor(group)), client_for(secretariat)
    assert_error(editor.post(f"{url}publish/"), 403)
    assert_error(desk.post(f"{url}return/", {"comment": "Why?"}, format="json"), 400, "non_field_errors")
    assert editor.post(f"{url}submit/").json()["publication"] == "submitted"
    assert_error(editor.post(f"{url}submit/"), 400, "non_field_errors")
    assert desk.post(f"{url}return/", {"comment": "Why?"}, format="json").json()["publication"] == "returned"
    assert desk.post(f"{url}publish/").json()["publication"] == "published"
    assert_error(editor.post(f"{url}unpublish/"), 403)
    assert desk.post(f"{url}unpublish/").json()["publication"] == "draft"
    model = Project if kind == "project" else ProgressUpdate
    reasons = [row.history_change_reason for row in model.objects.get(pk=record.pk).history.order_by("history_id")]
    assert reasons[-4:] == ["Submitted for publication", "Returned with comments", "Published", "Unpublished"]
