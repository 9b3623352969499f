"""The page cache: a change shows on the next request, drafts and staff pages never enter it,
languages and formats are apart, and a client holding the page gets 304.

These tests commit (transactional database): the content version moves when a write commits.
"""

import io

import pytest
from django.core.management import call_command
from django.test import Client

from partnership.workflow import transition
from projects.models import Project, Publication
from tests import factories as f
from tests.helpers import client_for
from tests.projects.test_admin import admin_url, project_form_data

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def page_cache_on(page_cache_off, settings):
    settings.PAGE_CACHE_SECONDS = 600


@pytest.fixture
def project():
    return f.ProjectFactory(title="Solar park", slug="solar", sectors=[f.SectorFactory()])


def draft(**fields):
    """A draft with everything publication needs."""
    draft = f.ProjectFactory(publication=Publication.DRAFT, sectors=[f.SectorFactory()], **fields)
    f.LocationFactory(project=draft)
    f.ParticipantFactory(project=draft)
    return draft


def text(response):
    return response.content.decode()


def test_a_cached_page_is_served_without_a_query(client, project, django_assert_num_queries):
    first = client.get("/en/projects/solar/")
    with django_assert_num_queries(0):
        again = client.get("/en/projects/solar/")
    assert again.status_code == 200 and again.content == first.content
    assert "Solar park" in text(again)
    assert not again.cookies  # nothing for one visitor in a shared page


def test_an_admin_save_shows_on_the_next_request(client, project, secretariat):
    assert "Solar park" in text(client.get("/en/projects/solar/"))
    staff = Client()
    staff.force_login(secretariat)
    saved = staff.post(admin_url(project, "change", project.pk), project_form_data(project, title_en="Wind farm"))
    assert saved.status_code == 302
    assert "Wind farm" in text(client.get("/en/projects/solar/"))
    assert "Wind farm" in text(client.get("/en/projects/"))


def test_an_api_write_shows_on_the_next_request(project, secretariat):
    anonymous = client_for()
    assert anonymous.get("/api/v1/projects/solar/").json()["title"] == "Solar park"
    response = client_for(secretariat).patch("/api/v1/projects/solar/", {"title": "Wind farm"}, format="json")
    assert response.status_code == 200
    assert anonymous.get("/api/v1/projects/solar/").json()["title"] == "Wind farm"


def test_publishing_shows_on_the_next_request_and_the_draft_never_entered_the_cache(client, secretariat):
    project = draft(slug="plant", title="Cement plant")
    assert client.get("/en/projects/plant/").status_code == 404
    assert "Cement plant" not in text(client.get("/en/projects/"))
    transition(project, "publish", user=secretariat)
    assert "Cement plant" in text(client.get("/en/projects/plant/"))
    assert "Cement plant" in text(client.get("/en/projects/"))


def test_a_staff_preview_is_never_served_to_the_public(client, secretariat):
    draft(slug="plant", title="Cement plant")
    staff = Client()
    staff.force_login(secretariat)
    assert "Cement plant" in text(staff.get("/en/projects/plant/"))  # the preview
    assert staff.get("/en/projects/plant/").status_code == 200
    assert client.get("/en/projects/plant/").status_code == 404


def test_staff_are_not_served_the_public_copy(client, secretariat):
    project = draft(slug="plant", title="Cement plant")
    transition(project, "publish", user=secretariat)
    assert client.get("/en/projects/plant/").status_code == 200  # cached for the public
    project.refresh_from_db()
    transition(project, "unpublish", user=secretariat)
    assert client.get("/en/projects/plant/").status_code == 404
    staff = Client()
    staff.force_login(secretariat)
    assert "Cement plant" in text(staff.get("/en/projects/plant/"))


def test_api_clients_with_a_token_see_their_drafts_and_are_not_cached(make_editor):
    group = f.WorkingGroupFactory()
    draft(slug="plant", title="Cement plant", working_group=group)
    anonymous, editor = client_for(), client_for(make_editor(group))
    assert anonymous.get("/api/v1/projects/").json()["count"] == 0
    assert editor.get("/api/v1/projects/").json()["count"] == 1
    assert anonymous.get("/api/v1/projects/").json()["count"] == 0


def test_a_management_command_shows_on_the_next_request():
    call_command("seed", stdout=io.StringIO())
    anonymous = client_for()
    facts = anonymous.get("/api/v1/projects/").json()["count"]
    # The demo portfolio is written mostly in bulk, without model signals.
    call_command("seed", "--demo", "--projects", "5", stdout=io.StringIO())
    assert anonymous.get("/api/v1/projects/").json()["count"] > facts


def test_languages_and_formats_are_cached_apart(client, project):
    project.title_ru = "Солнечный парк"
    project.save()
    anonymous = client_for()
    assert anonymous.get("/api/v1/projects/solar/", HTTP_ACCEPT_LANGUAGE="ru").json()["title"] == "Солнечный парк"
    assert anonymous.get("/api/v1/projects/solar/", HTTP_ACCEPT_LANGUAGE="en").json()["title"] == "Solar park"
    assert "Солнечный парк" in text(client.get("/ru/projects/solar/"))
    assert "Солнечный парк" not in text(client.get("/en/projects/solar/"))
    assert client.get("/en/projects/").headers["Content-Type"].startswith("text/html")
    assert client.get("/en/projects/?format=csv").headers["Content-Type"].startswith("text/csv")
    assert anonymous.get("/api/v1/projects/", HTTP_ACCEPT="text/csv").headers["Content-Type"].startswith("text/csv")
    assert anonymous.get("/api/v1/projects/").headers["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("seconds", [600, 0])
def test_a_client_holding_the_page_gets_304_until_it_changes(client, project, settings, seconds):
    settings.PAGE_CACHE_SECONDS = seconds
    etag = client.get("/en/projects/solar/").headers["ETag"]
    held = client.get("/en/projects/solar/", HTTP_IF_NONE_MATCH=etag)
    assert held.status_code == 304 and held.content == b""
    project.title = "Wind farm"
    project.save()
    changed = client.get("/en/projects/solar/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and "Wind farm" in text(changed)
    assert changed.headers["ETag"] != etag


def test_the_language_switch_needs_no_token_and_pages_set_no_cookie(project):
    browser = Client(enforce_csrf_checks=True)
    page = browser.get("/en/projects/solar/")
    assert "csrfmiddlewaretoken" not in text(page) and not page.cookies
    switched = browser.post("/i18n/setlang/", {"language": "ru", "next": "/en/projects/solar/"})
    assert switched.status_code == 302 and switched["Location"] == "/ru/projects/solar/"


@pytest.mark.parametrize("seconds, shown", [(600, "Solar park"), (0, "Wind farm")])
def test_the_cache_can_be_turned_off(client, project, settings, seconds, shown):
    settings.PAGE_CACHE_SECONDS = seconds
    client.get("/en/projects/solar/")
    Project.objects.filter(pk=project.pk).update(title="Wind farm")  # no signal: no new version
    assert shown in text(client.get("/en/projects/solar/"))
