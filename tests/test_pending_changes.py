"""Review of changes to published content: an editor's change waits for the secretariat.

The public (pages, API, feeds) keeps the published version until the secretariat approves;
a returned change leaves it as it was and the editor reads why. Tasks go live at once. Editors
may not delete published records; the secretariat's own changes go live.
"""

import pytest
from django.urls import reverse

from partnership.models import PendingChange
from projects.models import Document, ProgressUpdate, Publication, Task
from tests import factories as f
from tests.helpers import admin_url, assert_error, client_for, url
from tests.projects.test_admin import project_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def live(make_editor, secretariat):
    """A published, complete project of one working group, with a published update and document."""
    group = f.WorkingGroupFactory(name="Energy group")
    project = f.ProjectFactory(
        code="KZUZ-001", title="Old title", slug="old-title", working_group=group, sectors=[f.SectorFactory()]
    )
    f.ParticipantFactory(project=project)
    f.LocationFactory(project=project)
    return {
        "project": project,
        "update": f.ProgressUpdateFactory(project=project, title="Published update", body="Old text"),
        "draft_update": f.ProgressUpdateFactory(project=project, title="Draft update", publication=Publication.DRAFT),
        "document": f.DocumentFactory(project=project, title="Published document"),
        "task": f.TaskFactory(project=project, title="Build the line"),
        "editor": make_editor(group, username="editor"),
        "secretariat": secretariat,
    }


def public_title(client, project):
    page = client.get(url("projects:project-detail", slug=project.slug)).content.decode()
    api_title = client_for().get(reverse("api:project-detail", args=[project.slug])).json()["title"]
    return page, api_title


def edit_in_admin(client, user, project, **changes):
    client.force_login(user)
    return client.post(admin_url(project, "change", project.pk), project_form_data(project, **changes), follow=True)


def change_page(client, user, obj):
    client.force_login(user)
    return client.get(admin_url(obj, "change", obj.pk)).content.decode()


def test_editors_admin_edit_waits_and_the_public_keeps_the_published_title(client, live):
    project = live["project"]
    response = edit_in_admin(client, live["editor"], project, title_en="New title")
    assert "waits for the secretariat" in response.content.decode()
    project.refresh_from_db()
    assert project.title == "Old title"
    client.logout()
    page, api_title = public_title(client, project)
    assert "Old title" in page and "New title" not in page
    assert api_title == "Old title"
    # The editor's form goes on from what they proposed.
    form = change_page(client, live["editor"], project)
    assert 'value="New title"' in form
    assert "Change waiting for the secretariat" in form


def test_editors_api_edit_answers_202_with_the_pending_change(client, live):
    project = live["project"]
    editor_api = client_for(live["editor"])
    response = editor_api.patch(
        reverse("api:project-detail", args=[project.slug]), {"title": "New title"}, format="json"
    )
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["state"] == "pending" and "waits for the secretariat" in body["message"]
    assert [(c["field"], c["old"], c["new"]) for c in body["changes"]] == [("title_en", "Old title", "New title")]
    assert public_title(client, project)[1] == "Old title"
    feed = client.get(url("projects:update-feed")).content.decode()
    assert "Old title" in feed or "Published update" in feed
    # A second edit updates the same pending change.
    editor_api.patch(reverse("api:project-detail", args=[project.slug]), {"summary": "A new summary."}, format="json")
    change = PendingChange.objects.get()
    assert change.values["title_en"] == "New title" and change.values["summary_en"] == "A new summary."


def test_editors_update_text_change_stays_off_the_feed_until_approved(client, live):
    update = live["update"]
    editor_api = client_for(live["editor"])
    response = editor_api.patch(
        reverse("api:progressupdate-detail", args=[update.pk]), {"body": "New text"}, format="json"
    )
    assert response.status_code == 202
    assert "Old text" in client.get(url("projects:update-feed")).content.decode()
    assert "New text" not in client.get(url("projects:update-feed")).content.decode()
    secretariat_api = client_for(live["secretariat"])
    approve = reverse("api:progressupdate-pending-approve", args=[update.pk])
    assert secretariat_api.post(approve).status_code == 200
    assert "New text" in client.get(url("projects:update-feed")).content.decode()


def test_secretariat_sees_the_difference_and_approves(client, live):
    project = live["project"]
    edit_in_admin(client, live["editor"], project, title_en="New title")
    page = change_page(client, live["secretariat"], project)
    assert "<del>Old title</del>" in page and "<ins>New title</ins>" in page
    assert "Approve the change" in page
    response = client.post(reverse("admin:projects_project_pending", args=[project.pk, "approve"]), follow=True)
    assert "approved" in response.content.decode()
    project.refresh_from_db()
    assert project.title == "New title" and project.publication == Publication.PUBLISHED
    client.logout()
    assert "New title" in public_title(client, project)[0]
    latest = project.history.first()
    assert latest.history_user == live["secretariat"]
    assert latest.history_change_reason == "Approved change by editor"
    assert PendingChange.objects.get().reviewer == live["secretariat"]


def test_secretariat_returns_and_the_editor_reads_why(client, live):
    project = live["project"]
    client_for(live["editor"]).patch(
        reverse("api:project-detail", args=[project.slug]), {"title": "New title"}, format="json"
    )
    secretariat_api = client_for(live["secretariat"])
    pending_url = reverse("api:project-pending", args=[project.slug])
    assert secretariat_api.get(pending_url).json()["changes"][0]["new"] == "New title"
    return_url = reverse("api:project-pending-return", args=[project.slug])
    assert_error(secretariat_api.post(return_url, {"comment": ""}, format="json"), 400, "review_comment")
    response = secretariat_api.post(return_url, {"comment": "Keep the official name."}, format="json")
    assert response.status_code == 200 and response.json()["state"] == "returned"
    project.refresh_from_db()
    assert project.title == "Old title"
    assert client_for(live["editor"]).get(pending_url).json()["review_comment"] == "Keep the official name."
    form = change_page(client, live["editor"], project)
    assert "Keep the official name." in form
    assert 'value="Old title"' in form


def test_only_the_secretariat_reviews_and_only_staff_see_the_change(client, live):
    project = live["project"]
    edit_in_admin(client, live["editor"], project, title_en="New title")
    editor_api = client_for(live["editor"])
    assert editor_api.post(reverse("api:project-pending-approve", args=[project.slug])).status_code == 403
    assert client.post(reverse("admin:projects_project_pending", args=[project.pk, "approve"])).status_code == 403
    assert client_for().get(reverse("api:project-pending", args=[project.slug])).status_code == 403
    project.refresh_from_db()
    assert project.title == "Old title"


def test_editors_task_status_change_goes_live_with_history(live):
    task = live["task"]
    response = client_for(live["editor"]).patch(
        reverse("api:task-detail", args=[task.pk]), {"status": "in_progress"}, format="json"
    )
    assert response.status_code == 200
    task.refresh_from_db()
    assert task.status == Task.Status.IN_PROGRESS
    assert task.history.first().history_user == live["editor"]
    assert not PendingChange.objects.exists()


def test_editor_cannot_delete_a_published_update_but_can_delete_a_draft(client, live):
    update, draft = live["update"], live["draft_update"]
    client.force_login(live["editor"])
    assert client.post(admin_url(update, "delete", update.pk), {"post": "yes"}).status_code == 403
    changelist = admin_url(ProgressUpdate, "changelist")
    client.post(changelist, {"action": "delete_selected", "_selected_action": [update.pk], "post": "yes"})
    assert ProgressUpdate.objects.filter(pk=update.pk).exists()
    # The API deletes nothing, for anyone: deleting is the admin's.
    assert client_for(live["editor"]).delete(reverse("api:progressupdate-detail", args=[update.pk])).status_code == 405
    assert client.post(admin_url(draft, "delete", draft.pk), {"post": "yes"}).status_code == 302
    assert not ProgressUpdate.objects.filter(pk=draft.pk).exists()


def test_editor_cannot_delete_a_published_document_through_the_project_form(client, live):
    project, document = live["project"], live["document"]
    data = project_form_data(project)
    data.update(
        {
            "documents-TOTAL_FORMS": 1,
            "documents-INITIAL_FORMS": 1,
            "documents-0-id": document.pk,
            "documents-0-project": project.pk,
            "documents-0-title_en": document.title_en,
            "documents-0-kind": document.kind,
            "documents-0-url": document.url,
            "documents-0-DELETE": "on",
        }
    )
    client.force_login(live["editor"])
    response = client.post(admin_url(project, "change", project.pk), data)
    assert response.status_code == 200
    assert "only the secretariat may delete it" in response.content.decode()
    assert Document.objects.filter(pk=document.pk).exists()


def test_secretariat_may_delete_a_published_update(client, live):
    update = live["update"]
    client.force_login(live["secretariat"])
    assert client.post(admin_url(update, "delete", update.pk), {"post": "yes"}).status_code == 302
    assert not ProgressUpdate.objects.filter(pk=update.pk).exists()


def test_secretariats_edit_goes_live(client, live):
    project = live["project"]
    edit_in_admin(client, live["secretariat"], project, title_en="Secretariat title")
    response = client_for(live["secretariat"]).patch(
        reverse("api:progressupdate-detail", args=[live["update"].pk]),
        {"body": "Straight to the public"},
        format="json",
    )
    assert response.status_code == 200
    client.logout()
    assert "Secretariat title" in public_title(client, project)[0]
    assert "Straight to the public" in client.get(url("projects:update-feed")).content.decode()
    assert not PendingChange.objects.exists()


def test_waiting_changes_are_on_the_admin_home(client, live):
    project = live["project"]
    edit_in_admin(client, live["editor"], project, title_en="New title")
    client.force_login(live["secretariat"])
    home = client.get(reverse("admin:index")).content.decode()
    assert "Changes waiting for approval: yours to review (1)" in home
    assert admin_url(project, "change", project.pk) + "#pending-change" in home


def test_editors_api_save_of_unchanged_values_holds_nothing(live):
    """An amount sent without its decimals, or a blank translation where none is stored, is no change."""
    project = live["project"]
    project.investment_amount = "1000000.00"
    project.save()
    response = client_for(live["editor"]).patch(
        reverse("api:project-detail", args=[project.slug]),
        {"investment_amount": "1000000", "title_ru": "", "title": "Old title"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert not PendingChange.objects.exists()
