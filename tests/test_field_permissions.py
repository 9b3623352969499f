"""One table of who may write which field (partnership.permissions.FIELD_RULES), asked alike by
the admin's forms and the API's serializers: role × field × surface."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

from partnership.permissions import FIELD_RULES, SECRETARIAT, locked_fields, may_write_field
from projects.models import Document, Project
from tests import factories as f
from tests.helpers import admin_url, assert_error, client_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttle")]


@pytest.fixture
def world(make_editor, secretariat):
    group, other = f.WorkingGroupFactory(name="Energy group"), f.WorkingGroupFactory(name="Transport group")
    project = f.ProjectFactory(code="KZUZ-001", title="Solar plant", working_group=group, publication="draft")
    return {
        "project": project,
        "document": f.DocumentFactory(project=project, title="Feasibility study", published=False),
        "other_group": other,
        "secretariat": secretariat,
        "editor": make_editor(group, username="editor"),
        "outsider": make_editor(other, username="outsider"),
    }


def admin_post_data(obj, user, **changes):
    """What the record's change form posts, unchanged but for `changes`, with empty inlines."""
    model_admin = admin.site._registry[type(obj)]
    request = RequestFactory().get("/")
    request.user = user
    form = model_admin.get_form(request, obj)(instance=obj)
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value not in (None, False, "") and not hasattr(value, "url"):
            data[name] = "on" if value is True else value
    for formset, _inline in model_admin.get_formsets_with_inlines(request, obj):
        prefix = formset.get_default_prefix()
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    data.update(changes)
    return data


# field → (the record, the value posted to the admin form, the value sent to the API, how to read it back)
FIELDS = {
    "demo": ("project", "on", True, lambda p, w: p.demo),
    "review_comment": ("project", "Forged comment", None, lambda p, w: p.review_comment),
    "working_group": ("project", "other_group", "other_group", lambda p, w: p.working_group == w["other_group"]),
    "published": ("document", "on", True, lambda d, w: d.published),
    "title": ("project", None, None, lambda p, w: p.title == "Changed"),
}

# role → the fields it may change on this draft project of the editor's group
ALLOWED = {
    "secretariat": {"demo", "review_comment", "working_group", "published", "title"},
    "editor": {"title"},
    "outsider": set(),
}


def sent_value(world, field, value, surface):
    if value == "other_group":
        return world["other_group"].pk if surface == "admin" else world["other_group"].slug
    if field == "title":
        return "Changed"
    return value


@pytest.mark.parametrize("role", list(ALLOWED))
@pytest.mark.parametrize("field", list(FIELDS))
def test_admin_form_writes_only_the_fields_the_role_may_write(client, world, role, field):
    kind, form_value, _api, read = FIELDS[field]
    record = world[kind]
    name = "title_en" if field == "title" else field
    data = admin_post_data(record, world["secretariat"], **{name: sent_value(world, field, form_value, "admin")})
    client.force_login(world[role])
    response = client.post(admin_url(record, "change", record.pk), data)
    assert response.status_code in (200, 302, 403)
    stored = type(record).objects.get(pk=record.pk)
    assert bool(read(stored, world)) is (field in ALLOWED[role]), (role, field, response.status_code)


@pytest.mark.parametrize("role", list(ALLOWED))
@pytest.mark.parametrize("field", [name for name, spec in FIELDS.items() if spec[2] is not None or name == "title"])
def test_api_patch_writes_only_the_fields_the_role_may_write(world, role, field):
    kind, _form, api_value, read = FIELDS[field]
    record = world[kind]
    address = f"/api/v1/projects/{record.slug}/" if kind == "project" else f"/api/v1/documents/{record.pk}/"
    response = client_for(world[role]).patch(
        address, {field: sent_value(world, field, api_value, "api")}, format="json"
    )
    stored = type(record).objects.get(pk=record.pk)
    if field in ALLOWED[role]:
        assert response.status_code == 200, response.content
        assert read(stored, world)
    else:
        # Refused before anything is written: the editor with a 403 naming the field; another
        # group's editor does not even see this draft.
        if role == "editor":
            assert_error(response, 403, field)
        else:
            assert_error(response, 404)
        assert not read(stored, world)


def test_an_editor_may_move_a_project_between_their_own_groups(client, world, make_editor):
    project, third = world["project"], f.WorkingGroupFactory(name="Trade group")
    first = project.working_group
    editor = make_editor(first, third, username="both")
    response = client_for(editor).patch(
        f"/api/v1/projects/{project.slug}/", {"working_group": third.slug}, format="json"
    )
    assert response.status_code == 200, response.content
    project.refresh_from_db()
    assert project.working_group == third
    client.force_login(editor)
    back = admin_post_data(project, world["secretariat"], working_group=first.pk)
    assert client.post(admin_url(project, "change", project.pk), back).status_code == 302
    assert Project.objects.get(pk=project.pk).working_group == first


def test_an_editor_resending_a_secretariat_field_unchanged_is_not_refused(world):
    response = client_for(world["editor"]).patch(
        f"/api/v1/projects/{world['project'].slug}/", {"demo": False, "title": "Changed"}, format="json"
    )
    assert response.status_code == 200
    assert Project.objects.get(pk=world["project"].pk).title == "Changed"


def test_an_editor_cannot_create_a_published_document_or_a_demo_project(world):
    client = client_for(world["editor"])
    body = {"project": world["project"].slug, "title": "Report", "kind": "report", "url": "https://example.org/r.pdf"}
    assert_error(client.post("/api/v1/documents/", {**body, "published": True}, format="json"), 403, "published")
    assert not Document.objects.filter(title="Report").exists()
    assert client.post("/api/v1/documents/", body, format="json").status_code == 201


def test_the_table_is_what_forms_and_serializers_read(world):
    assert ("projects.project", "demo") in FIELD_RULES
    assert FIELD_RULES[("projects.document", "published")] == SECRETARIAT
    assert not may_write_field(world["editor"], Project, "demo")
    assert may_write_field(world["secretariat"], Project, "demo")
    assert set(locked_fields(world["editor"], Project)) == {"demo", "review_comment"}
    assert locked_fields(world["secretariat"], Project) == []
    assert locked_fields(world["editor"], Document) == ["published"]
