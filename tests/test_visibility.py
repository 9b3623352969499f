"""Editors see only what their groups' records name plus public reference data; shared records
that published projects use cannot be deleted, in the admin or the API."""

import pytest

from partnership.models import Agreement, Country, Directive, Sector, WorkingGroup
from projects.models import Organisation, Project
from tests import factories as f
from tests.helpers import admin_url, assert_error, client_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttle")]


@pytest.fixture
def world(make_editor, secretariat):
    group_a, group_b = f.WorkingGroupFactory(name="Energy group"), f.WorkingGroupFactory(name="Transport group")
    draft_a = f.ProjectFactory(code="KZUZ-A01", working_group=group_a, publication="draft")
    draft_b = f.ProjectFactory(
        code="KZUZ-B01", working_group=group_b, publication="draft", sectors=[f.SectorFactory(name="Transport")]
    )
    public = f.ProjectFactory(code="KZUZ-P01", working_group=group_a)
    f.ParticipantFactory(project=draft_a, organisation=f.OrganisationFactory(name="Secret investor of A"))
    f.TaskFactory(project=draft_a, responsible_organisation=f.OrganisationFactory(name="Secret contractor of A"))
    f.ParticipantFactory(project=draft_b, organisation=f.OrganisationFactory(name="Investor of B"))
    f.ParticipantFactory(project=public, organisation=f.OrganisationFactory(name="Public investor"))
    f.OrganisationFactory(name="Unattached bank")
    return {
        "draft_a": draft_a,
        "group_a": group_a,
        "secretariat": secretariat,
        "editor_a": make_editor(group_a, username="editor-a"),
        "editor_b": make_editor(group_b, username="editor-b"),
    }


SEEN_BY_B = {"Investor of B", "Public investor", "Unattached bank"}
EVERY = SEEN_BY_B | {"Secret investor of A", "Secret contractor of A"}


def api_names(user):
    response = client_for(user).get("/api/v1/organisations/", {"page_size": 100})
    assert response.status_code == 200
    return {row["name"] for row in response.json()["results"]}


def admin_names(client, user):
    client.force_login(user)
    page = client.get(admin_url(Organisation, "changelist")).content.decode()
    return {name for name in EVERY if name in page}


def test_organisations_named_only_in_other_groups_drafts_stay_hidden_from_editors(client, world):
    assert api_names(world["editor_b"]) == SEEN_BY_B
    assert admin_names(client, world["editor_b"]) == SEEN_BY_B
    secret = Organisation.objects.get(name="Secret investor of A")
    assert client.get(admin_url(secret, "change", secret.pk)).status_code == 403
    assert client_for(world["editor_b"]).get(f"/api/v1/organisations/{secret.pk}/").status_code == 404
    # Their own group's editor and the secretariat see them all.
    assert api_names(world["editor_a"]) == EVERY - {"Investor of B"}
    assert api_names(world["secretariat"]) == EVERY
    assert admin_names(client, world["secretariat"]) == EVERY
    assert api_names(None) == {"Public investor"}


def test_an_organisation_shows_to_every_editor_once_its_project_is_published(client, world):
    Project.objects.filter(pk=world["draft_a"].pk).update(publication="published")
    assert api_names(world["editor_b"]) == EVERY


def test_editors_see_no_project_counts_and_no_editor_names(client, world):
    client.force_login(world["editor_b"])
    sectors = client.get(admin_url(Sector, "changelist"))
    groups = client.get(admin_url(WorkingGroup, "changelist"))
    group = client.get(admin_url(world["group_a"], "change", world["group_a"].pk))
    assert sectors.status_code == groups.status_code == group.status_code == 200
    assert "Transport" in sectors.content.decode()
    assert "column-project_count" not in sectors.content.decode()
    assert "column-editor_count" not in groups.content.decode()
    assert "editor-a" not in group.content.decode()
    assert "editor-a" not in client_for(world["editor_b"]).get("/api/v1/working-groups/").content.decode()
    client.force_login(world["secretariat"])
    assert "column-project_count" in client.get(admin_url(Sector, "changelist")).content.decode()
    assert "editor-a" in client.get(admin_url(world["group_a"], "change", world["group_a"].pk)).content.decode()


# --- shared records used by published projects -----------------------------------------------


def one_of_each(tag, country_code):
    """One shared record of each kind, named after `tag`."""
    return {
        "sector": f.SectorFactory(name=f"{tag} sector"),
        "agreement": f.AgreementFactory(title=f"{tag} treaty"),
        "directive": f.DirectiveFactory(text=f"{tag} directive"),
        "organisation": f.OrganisationFactory(name=f"{tag} investor"),
        "country": f.CountryFactory(code=country_code, name=f"{tag} country"),
        "workinggroup": f.WorkingGroupFactory(name=f"{tag} group"),
    }


@pytest.fixture
def shared():
    """One of each kind of shared record, used by a published project, and an unused twin of each."""
    used, unused = one_of_each("Used", "KZ"), one_of_each("Idle", "TJ")
    project = f.ProjectFactory(code="KZUZ-100", working_group=used["workinggroup"], sectors=[used["sector"]])
    project.agreements.set([used["agreement"]])
    project.directives.set([used["directive"]])
    f.ParticipantFactory(project=project, organisation=used["organisation"])
    f.LocationFactory(project=project, country=used["country"])
    return {"project": project, "used": used, "unused": unused}


API = {
    "sector": lambda o: f"/api/v1/sectors/{o.slug}/",
    "agreement": lambda o: f"/api/v1/agreements/{o.slug}/",
    "directive": lambda o: f"/api/v1/directives/{o.pk}/",
    "organisation": lambda o: f"/api/v1/organisations/{o.pk}/",
    "country": lambda o: f"/api/v1/countries/{o.code}/",
    "workinggroup": lambda o: f"/api/v1/working-groups/{o.slug}/",
}
KINDS = list(API)


@pytest.mark.parametrize("kind", KINDS)
def test_the_admin_refuses_to_delete_a_record_a_published_project_uses(client, secretariat, shared, kind):
    client.force_login(secretariat)
    record = shared["used"][kind]
    response = client.post(admin_url(record, "delete", record.pk), {"post": "yes"}, follow=True)
    page = response.content.decode()
    assert "cannot be deleted: published projects use it (KZUZ-100)" in page
    assert type(record).objects.filter(pk=record.pk).exists()
    unused = shared["unused"][kind]
    assert client.post(admin_url(unused, "delete", unused.pk), {"post": "yes"}).status_code == 302
    assert not type(unused).objects.filter(pk=unused.pk).exists()


def test_delete_selected_refuses_when_one_record_is_used(client, secretariat, shared):
    client.force_login(secretariat)
    chosen = [shared["used"]["sector"].pk, shared["unused"]["sector"].pk]
    data = {"action": "delete_selected", "_selected_action": chosen, "post": "yes"}
    page = client.post(admin_url(Sector, "changelist"), data, follow=True).content.decode()
    assert "“Used sector” cannot be deleted" in page
    assert Sector.objects.filter(pk__in=chosen).count() == 2
    # The published project keeps its sector (deleting used to strip it silently).
    assert list(shared["project"].sectors.values_list("name", flat=True)) == ["Used sector"]


def test_a_sector_of_draft_projects_only_may_be_deleted(client, secretariat):
    sector = f.SectorFactory(name="Draft sector")
    f.ProjectFactory(publication="draft", sectors=[sector])
    client.force_login(secretariat)
    assert client.post(admin_url(sector, "delete", sector.pk), {"post": "yes"}).status_code == 302
    assert not Sector.objects.filter(pk=sector.pk).exists()


@pytest.mark.parametrize("kind", KINDS)
def test_the_api_refuses_to_delete_a_record_a_published_project_uses(secretariat, shared, kind):
    client = client_for(secretariat)
    record = shared["used"][kind]
    response = client.delete(API[kind](record))
    assert_error(response, 409)
    assert "published projects use it (KZUZ-100)" in response.json()["detail"]
    assert type(record).objects.filter(pk=record.pk).exists()
    unused = shared["unused"][kind]
    assert client.delete(API[kind](unused)).status_code == 204
    assert not type(unused).objects.filter(pk=unused.pk).exists()


def test_editors_may_not_delete_shared_records(make_editor, shared):
    editor = make_editor(shared["used"]["workinggroup"])
    for kind, model in [("sector", Sector), ("agreement", Agreement), ("country", Country), ("directive", Directive)]:
        assert_error(client_for(editor).delete(API[kind](shared["unused"][kind])), 403)
        assert model.objects.filter(pk=shared["unused"][kind].pk).exists()


def test_an_editor_cannot_name_a_hidden_organisation_on_a_task_through_the_api(world):
    """Naming it would show its name back on the task: the id is refused as if it did not exist."""
    secret = Organisation.objects.get(name="Secret investor of A")
    seen = Organisation.objects.get(name="Investor of B")
    draft_b = Project.objects.get(code="KZUZ-B01")
    api = client_for(world["editor_b"])
    body = {"project": draft_b.slug, "title": "Survey", "responsible_organisation": secret.pk}
    assert_error(api.post("/api/v1/tasks/", body, format="json"), 400, "responsible_organisation")
    assert not draft_b.tasks.exists()
    created = api.post("/api/v1/tasks/", {**body, "responsible_organisation": seen.pk}, format="json")
    assert created.status_code == 201 and created.json()["responsible_organisation_name"] == "Investor of B"
    # The secretariat may name any organisation.
    anyone = client_for(world["secretariat"]).post("/api/v1/tasks/", body, format="json")
    assert anyone.status_code == 201
