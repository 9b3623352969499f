"""Hardened defaults (issue 10): formula-safe exports, the client's address, login lockout,
request limits, answers during a database outage, headers and owner-only backups."""

import io
import json
import stat
from io import StringIO

import openpyxl
import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.db import OperationalError, connection
from django.db.backends.utils import CursorWrapper
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from tests import factories as f
from tests.helpers import admin_url, assert_error, client_for, url

pytestmark = pytest.mark.django_db

PROJECTS_API = "/api/v1/projects/"


# --- exports -------------------------------------------------------------------------------------


def export_projects(client, project, file_format):
    client.post(admin_url(project, "changelist"), {"action": "export_admin_action", "_selected_action": [project.pk]})
    return client.post(
        admin_url(project, "export"),
        {"format": file_format, "resource": "0", "export_items": [project.pk], "projectresource_title_en": "on"},
    )


def test_admin_csv_and_xlsx_exports_hold_a_formula_as_text(client, secretariat):
    project = f.ProjectFactory(title="=1+1")
    client.force_login(secretariat)
    csv_body = export_projects(client, project, "0").content.decode()
    assert csv_body.splitlines() == ["title_en", "'=1+1"]
    xlsx = export_projects(client, project, "1")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    cell = sheet["A2"]
    assert sheet["A1"].value == "title_en"
    assert cell.value == "=1+1" and cell.data_type == "s"  # the exact title, as text, never a formula


def test_api_json_keeps_the_exact_title(api):
    f.ProjectFactory(title="=1+1")
    assert [item["title"] for item in api.get(PROJECTS_API).json()["results"]] == ["=1+1"]


# --- client address ------------------------------------------------------------------------------


def rest_settings(settings, **values):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "2/minute"}, **values}


def test_a_new_forwarded_for_per_request_does_not_escape_the_anonymous_limit(api, settings, fresh_throttle):
    rest_settings(settings)
    answers = [api.get(PROJECTS_API, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code for n in range(3)]
    assert answers == [200, 200, 429]


def test_behind_one_trusted_proxy_the_address_it_saw_counts(api, settings, fresh_throttle):
    rest_settings(settings, NUM_PROXIES=1)
    for n in range(2):
        assert api.get(PROJECTS_API, HTTP_X_FORWARDED_FOR=f"6.6.6.6, 10.0.0.{n}").status_code == 200
    # The same last hop (the client the proxy saw), whatever the client wrote before it: limited.
    assert api.get(PROJECTS_API, HTTP_X_FORWARDED_FOR="7.7.7.7, 10.0.0.1").status_code == 200
    assert api.get(PROJECTS_API, HTTP_X_FORWARDED_FOR="8.8.8.8, 10.0.0.1").status_code == 429


# --- login lockout -------------------------------------------------------------------------------


def admin_login(client, username, password):
    return client.post(
        reverse("admin:login"), {"username": username, "password": password, "next": "/admin/"}, REMOTE_ADDR="10.1.1.1"
    )


@pytest.fixture
def editor(make_editor):
    user = make_editor(username="editor")
    user.set_password("the-right-password")
    user.save()
    return user


def test_five_wrong_passwords_lock_the_admin_login_until_the_secretariat_lifts_it(client, editor, secretariat, caplog):
    for _ in range(4):
        assert admin_login(client, "editor", "wrong").status_code == 200  # the form again, with an error
    locked = admin_login(client, "editor", "wrong")  # the fifth failure locks
    assert locked.status_code == 429
    assert "Sign-in locked" in locked.content.decode()
    assert any("Locking out" in record.getMessage() for record in caplog.records)
    refused = admin_login(client, "editor", "the-right-password")
    assert refused.status_code == 429 and "_auth_user_id" not in client.session
    # The lock is on the pair: the same name from another address may still try.
    other = client.post(reverse("admin:login"), {"username": "editor", "password": "wrong"}, REMOTE_ADDR="10.2.2.2")
    assert other.status_code == 200

    # The secretariat sees the lockout in the admin and lifts it.
    staff = Client()
    staff.force_login(secretariat)
    attempts = staff.get(reverse("admin:axes_accessattempt_changelist")).content.decode()
    assert "10.1.1.1" in attempts and "editor" in attempts
    attempt = AccessAttempt.objects.get(ip_address="10.1.1.1")
    staff.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})
    assert admin_login(client, "editor", "the-right-password").status_code == 302
    assert client.session["_auth_user_id"] == str(editor.pk)


def test_an_editor_cannot_lift_lockouts(client, editor):
    client.force_login(editor)
    assert client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 403


def test_the_reset_command_lifts_a_lockout(client, editor):
    for _ in range(5):
        admin_login(client, "editor", "wrong")
    assert admin_login(client, "editor", "the-right-password").status_code == 429
    call_command("axes_reset", stdout=StringIO())
    assert admin_login(client, "editor", "the-right-password").status_code == 302


# --- request limits ------------------------------------------------------------------------------


def test_an_oversized_json_body_is_a_413_in_the_error_shape(secretariat):
    body = json.dumps({"title_en": "x" * (3 * 1024 * 1024)})
    response = client_for(secretariat).post(PROJECTS_API, body, content_type="application/json")
    assert_error(response, 413)
    assert response.json()["code"] == "too_large"


def test_an_oversized_form_on_the_site_is_a_plain_413_page(client):
    response = client.post(
        "/i18n/setlang/",
        "language=ru&next=" + "x" * (2 * 1024 * 1024),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 413
    assert "Request too large" in response.content.decode()


def test_deeply_nested_json_is_a_400_naming_the_limit(secretariat):
    body = "[" * 10000 + "]" * 10000
    response = client_for(secretariat).post(PROJECTS_API, body, content_type="application/json")
    assert_error(response, 400)
    assert "nested deeper than 32" in response.json()["detail"]


def test_nesting_within_the_limit_and_brackets_in_strings_are_read_normally(secretariat):
    group = f.WorkingGroupFactory()
    secretariat_client = client_for(secretariat)
    title = "[[[[" * 20 + "{{"
    body = {"title_en": title, "code": "NEST-1", "working_group": group.slug, "extra": [[[[1]]]]}
    response = secretariat_client.post(PROJECTS_API, json.dumps(body), content_type="application/json")
    assert response.status_code != 500
    assert response.status_code in (201, 400) and "nested" not in response.content.decode()


# --- database outage -----------------------------------------------------------------------------


class Outage:
    """Every query fails as a database server that is gone would make it fail, until `end()`."""

    def __init__(self, monkeypatch):
        self.monkeypatch = monkeypatch

    def begin(self):
        def refuse(cursor, sql, params=None):
            raise OperationalError("connection refused")

        self.monkeypatch.setattr(CursorWrapper, "execute", refuse)

    def end(self):
        self.monkeypatch.undo()


@pytest.fixture
def outage(monkeypatch):
    return Outage(monkeypatch)


def test_pages_and_api_answer_503_while_the_database_is_down_and_recover(client, api, outage):
    f.ProjectFactory()
    outage.begin()
    page = client.get(url("projects:project-list", lang="ru"))
    assert page.status_code == 503 and page["Retry-After"] == "30"
    assert 'lang="ru"' in page.content.decode() and "Ненадолго недоступно" in page.content.decode()
    answer = api.get(PROJECTS_API)
    assert_error(answer, 503)
    assert answer["Retry-After"] == "30" and answer.json()["code"] == "service_unavailable"
    outage.end()
    assert client.get(url("projects:project-list")).status_code == 200
    assert api.get(PROJECTS_API).json()["count"] == 1


def test_the_admin_and_staff_api_answer_503_while_the_database_is_down(client, secretariat, outage):
    client.force_login(secretariat)
    staff_api = client_for(secretariat)
    outage.begin()
    response = client.get(reverse("admin:index"))  # the session itself cannot be read
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert_error(staff_api.post(PROJECTS_API, {"code": "X"}, format="json"), 503)
    outage.end()
    assert client.get(reverse("admin:index")).status_code == 200


# --- headers -------------------------------------------------------------------------------------


def test_every_answer_has_a_permissions_policy(client, api):
    for response in (client.get(url("projects:home")), api.get(PROJECTS_API), client.get("/healthz")):
        assert "geolocation=()" in response["Permissions-Policy"]
        assert "camera=()" in response["Permissions-Policy"]


def test_https_only_sites_redirect_plain_http_but_not_the_health_check(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get(url("projects:home"))
    assert response.status_code == 301 and response["Location"].startswith("https://")
    assert client.get("/healthz").status_code == 200
    secure = client.get(url("projects:home"), secure=True)
    assert secure.status_code == 200 and secure["Strict-Transport-Security"] == "max-age=31536000"


def test_a_draft_preview_is_private_and_a_published_page_is_not(client, secretariat):
    draft = f.ProjectFactory(publication="draft")
    published = f.ProjectFactory()
    client.force_login(secretariat)
    response = client.get(url("projects:project-detail", slug=draft.slug))
    assert response.status_code == 200 and "private" in response["Cache-Control"]
    response = client.get(url("projects:project-detail", slug=published.slug))
    assert "private" not in response.get("Cache-Control", "")


# --- backups -------------------------------------------------------------------------------------


def backup(tmp_path, *args):
    call_command("backup", *args, to=str(tmp_path / "backups"), stdout=StringIO())
    [folder] = list((tmp_path / "backups").iterdir())
    return folder


def tokens_in(folder):
    if connection.vendor == "sqlite":
        import sqlite3

        with sqlite3.connect(folder / "db.sqlite3") as copy:
            return [row[0] for row in copy.execute("SELECT key FROM authtoken_token")]
    import subprocess

    listing = subprocess.run(["pg_restore", "--data-only", "--file=-", str(folder / "db.dump")], capture_output=True)
    return [key for key in Token.objects.values_list("key", flat=True) if key.encode() in listing.stdout]


@pytest.mark.django_db(transaction=True)
def test_backups_are_for_their_owner_only_and_hold_no_tokens(tmp_path, secretariat):
    token = Token.objects.create(user=secretariat)
    folder = backup(tmp_path)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for item in folder.iterdir():
        assert stat.S_IMODE(item.stat().st_mode) == 0o600, item
    assert token.key not in tokens_in(folder)
    assert token.key.encode() not in b"".join(item.read_bytes() for item in folder.iterdir())


@pytest.mark.django_db(transaction=True)
def test_backups_keep_the_tokens_when_asked(tmp_path, secretariat):
    token = Token.objects.create(user=secretariat)
    assert tokens_in(backup(tmp_path, "--with-tokens")) == [token.key]


class QueryingMiddleware:
    """A middleware that reads the database before any view runs (as the session's would)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from projects.models import Project

        Project.objects.exists()
        return self.get_response(request)


def test_an_outage_met_outside_the_views_answers_503_too(settings, outage):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, f"{__name__}.QueryingMiddleware"]
    client = Client(raise_request_exception=False)
    outage.begin()
    response = client.get(url("projects:project-list"))
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert "Briefly unavailable" in response.content.decode()
