"""The admin of the portfolio as each role uses it: pages, scoping, forged writes, workflow, history, import."""

import datetime
import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.models import (
    ExchangeRate,
    Organisation,
    ProgressUpdate,
    Project,
    Publication,
    Task,
)
from tests import factories as f
from tests.helpers import admin_pages, admin_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_editor, secretariat):
    """Two working groups, each with a complete draft project and one record of every kind."""
    sector = f.SectorFactory(name="Energy")
    group_a = f.WorkingGroupFactory(name="Energy group")
    group_b = f.WorkingGroupFactory(name="Transport group")
    records = {}
    for key, group in (("a", group_a), ("b", group_b)):
        project = f.ProjectFactory(
            code=f"KZUZ-{key.upper()}01",
            title=f"Project of group {key.upper()}",
            working_group=group,
            publication=Publication.DRAFT,
            sectors=[sector],
        )
        records[key] = {
            "project": project,
            "task": f.TaskFactory(project=project, title=f"Task of group {key.upper()}"),
            "progressupdate": f.ProgressUpdateFactory(
                project=project, title=f"Update of group {key.upper()}", publication=Publication.DRAFT
            ),
            "document": f.DocumentFactory(project=project, title=f"Document of group {key.upper()}"),
            "projectparticipant": f.ParticipantFactory(
                project=project, organisation=f.OrganisationFactory(name=f"Investor of group {key.upper()}")
            ),
            "projectlocation": f.LocationFactory(project=project, region=f"Region of group {key.upper()}"),
        }
    return {
        "a": records["a"],
        "b": records["b"],
        "group_a": group_a,
        "group_b": group_b,
        "sector": sector,
        "secretariat": secretariat,
        "editor_a": make_editor(group_a, username="editor-a"),
        "editor_b": make_editor(group_b, username="editor-b"),
        "rate": f.ExchangeRateFactory(),
    }


def login(client, user):
    if user is not None:
        client.force_login(user)
    return client


# --- every page of every model, as each role ---------------------------------------------------

SCOPED = ["project", "task", "progressupdate", "document", "projectparticipant", "projectlocation"]
EDITOR_READS = ["organisation", "exchangerate"]


def expected(role, model_name, page):
    """The status code a role should get for a page of one of group A's records."""
    if role == "anonymous":
        return 302
    if role == "secretariat":
        return 200
    # Group A's organisation is named only in group A's draft: group B's editor may not see it.
    if model_name in SCOPED or (model_name == "organisation" and page != "add"):
        if role == "editor_b" and page in ("change", "history"):
            return 403
        return 200
    if model_name in EDITOR_READS:
        return 403 if page == "add" else 200
    return 403


def record_of_a(world, model_name):
    if model_name in SCOPED:
        return world["a"][model_name]
    if model_name == "organisation":
        return world["a"]["projectparticipant"].organisation
    return world["rate"]


@pytest.mark.parametrize("role", ["anonymous", "secretariat", "editor_a", "editor_b"])
@pytest.mark.parametrize("model_name", SCOPED + EDITOR_READS)
def test_every_page_answers_as_the_role_allows(client, world, role, model_name):
    login(client, world.get(role))
    obj = record_of_a(world, model_name)
    for page, url in admin_pages(obj).items():
        response = client.get(url)
        assert response.status_code == expected(role, model_name, page), (page, url)
        if response.status_code == 302:
            assert reverse("admin:login") in response["Location"]


def test_admin_home_lists_models_by_role(client, world):
    login(client, world["editor_a"])
    page = client.get(reverse("admin:index")).content.decode()
    assert "/admin/projects/project/" in page
    assert "/admin/partnership/tradefigure/" not in page  # editors do not keep trade figures
    login(client, world["secretariat"])
    page = client.get(reverse("admin:index")).content.decode()
    assert "/admin/partnership/tradefigure/" in page
    assert "Intergovernmental commission" in page


# --- lists, search and autocomplete stay within the editor's groups ---------------------------


@pytest.mark.parametrize("model_name", SCOPED)
def test_lists_show_only_the_editors_own_group(client, world, model_name):
    login(client, world["editor_a"])
    obj_a, obj_b = world["a"][model_name], world["b"][model_name]
    page = client.get(admin_url(obj_a, "changelist")).content.decode()
    assert admin_url(obj_a, "change", obj_a.pk) in page
    assert admin_url(obj_b, "change", obj_b.pk) not in page
    # Searching for the other group's record by its project code finds nothing either.
    page = client.get(admin_url(obj_a, "changelist"), {"q": "KZUZ-B01"}).content.decode()
    assert admin_url(obj_b, "change", obj_b.pk) not in page


def test_secretariat_list_shows_every_group(client, world):
    login(client, world["secretariat"])
    page = client.get(admin_url(Project, "changelist")).content.decode()
    assert "KZUZ-A01" in page and "KZUZ-B01" in page


def autocomplete(client, app_label, model_name, field_name, term=""):
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": app_label, "model_name": model_name, "field_name": field_name, "term": term},
    )
    assert response.status_code == 200
    return {row["text"] for row in response.json()["results"]}


@pytest.mark.parametrize("model_name", ["task", "progressupdate", "document", "projectparticipant", "projectlocation"])
def test_autocomplete_of_project_offers_only_the_editors_projects(client, world, model_name):
    login(client, world["editor_a"])
    found = autocomplete(client, "projects", model_name, "project")
    assert str(world["a"]["project"]) in found
    assert str(world["b"]["project"]) not in found
    assert autocomplete(client, "projects", model_name, "project", term="KZUZ-B") == set()


def test_autocomplete_of_reference_data_is_open_to_editors(client, world):
    login(client, world["editor_b"])
    found = autocomplete(client, "projects", "projectparticipant", "organisation", term="Investor")
    # Group A's investor is named only in group A's draft (issue 10): tests/test_visibility.py.
    assert found == {"Investor of group B"}
    assert autocomplete(client, "projects", "task", "responsible_organisation") >= {"Investor of group B"}


def test_autocomplete_refuses_anonymous(client, world):
    response = client.get(
        reverse("admin:autocomplete"), {"app_label": "projects", "model_name": "task", "field_name": "project"}
    )
    assert response.status_code in (302, 403)


# --- forged writes change nothing ---------------------------------------------------------------


def project_form_data(project, **changes):
    """The POST a change form of a project would send, with no inline rows changed."""
    data = {
        "code": project.code,
        "title_en": project.title_en,
        "slug": project.slug,
        "working_group": project.working_group_id,
        "sectors": [s.pk for s in project.sectors.all()],
        "status": project.status,
        "summary_en": project.summary_en,
        "confidence": project.confidence,
        "investment_amount": project.investment_amount,
        "investment_currency": project.investment_currency,
    }
    for prefix in ("tasks", "participants", "locations", "updates", "documents", "budgets", "transactions"):
        data[f"{prefix}-TOTAL_FORMS"] = 0
        data[f"{prefix}-INITIAL_FORMS"] = 0
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_editor_cannot_post_to_another_groups_project(client, world):
    project = world["a"]["project"]
    login(client, world["editor_b"])
    response = client.post(admin_url(project, "change", project.pk), project_form_data(project, title_en="Hijacked"))
    assert response.status_code == 403
    project.refresh_from_db()
    assert project.title == "Project of group A"


def test_editor_cannot_move_a_project_into_a_group_they_do_not_edit(client, world):
    project = world["a"]["project"]
    login(client, world["editor_a"])
    response = client.post(
        admin_url(project, "change", project.pk), project_form_data(project, working_group=world["group_b"].pk)
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    project.refresh_from_db()
    assert project.working_group == world["group_a"]


def test_editor_cannot_add_a_task_to_another_groups_project(client, world):
    login(client, world["editor_a"])
    response = client.post(
        admin_url(Task, "add"),
        {"project": world["b"]["project"].pk, "title_en": "Sneaked in", "status": "planned", "weight": 1, "order": 0},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Task.objects.filter(title="Sneaked in").exists()


def test_editor_cannot_delete_or_mark_done_another_groups_task(client, world):
    task_b = world["b"]["task"]
    login(client, world["editor_a"])
    assert client.post(admin_url(task_b, "delete", task_b.pk), {"post": "yes"}).status_code == 403
    client.post(admin_url(Task, "changelist"), {"action": "mark_done", "_selected_action": [task_b.pk]})
    task_b.refresh_from_db()
    assert task_b.status == Task.Status.PLANNED


def test_editor_cannot_publish_even_by_forging_the_button_or_action(client, world):
    project = world["a"]["project"]
    login(client, world["editor_a"])
    response = client.post(admin_url(project, "change", project.pk), project_form_data(project, _publish="1"))
    assert response.status_code == 403
    client.post(admin_url(Project, "changelist"), {"action": "publish_selected", "_selected_action": [project.pk]})
    project.refresh_from_db()
    assert project.publication == Publication.DRAFT
    # The publication field is not part of the editor's form: posting it changes nothing.
    client.post(admin_url(project, "change", project.pk), project_form_data(project, publication="published"))
    project.refresh_from_db()
    assert project.publication == Publication.DRAFT


def test_editor_cannot_publish_a_document(client, world):
    document = world["a"]["document"]
    document.published = False
    document.save()
    login(client, world["editor_a"])
    client.post(
        admin_url(document, "change", document.pk),
        {
            "project": document.project_id,
            "title_en": document.title_en,
            "kind": "other",
            "url": document.url,
            "published": "on",
        },
    )
    document.refresh_from_db()
    assert document.published is False


def test_editor_cannot_revert_another_groups_record_from_history(client, world):
    project = world["a"]["project"]
    version = project.history.first()
    login(client, world["editor_b"])
    url = reverse("admin:projects_project_simple_history", args=[project.pk, version.history_id])
    assert client.get(url).status_code == 403
    assert client.post(url, project_form_data(project, title_en="Reverted by B")).status_code == 403


def test_editor_cannot_import(client, world):
    login(client, world["editor_a"])
    assert client.get(reverse("admin:projects_project_import")).status_code == 403


# --- editing as the editor of the group --------------------------------------------------------


def test_editor_edits_their_project_and_adds_tasks_inline(client, world, today):
    project = world["a"]["project"]
    login(client, world["editor_a"])
    data = project_form_data(
        project,
        title_en="Solar plant",
        **{
            "tasks-TOTAL_FORMS": 2,
            "tasks-0-title_en": "Feasibility study",
            "tasks-0-status": "done",
            "tasks-0-completed_date": today.isoformat(),
            "tasks-0-weight": 1,
            "tasks-0-order": 1,
            "tasks-1-title_en": "Construction",
            "tasks-1-status": "planned",
            "tasks-1-weight": 1,
            "tasks-1-order": 2,
        },
    )
    response = client.post(admin_url(project, "change", project.pk), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    project.refresh_from_db()
    assert project.title == "Solar plant"
    assert set(project.tasks.values_list("title", flat=True)) >= {"Feasibility study", "Construction"}


def test_invalid_form_shows_the_models_message_next_to_the_field(client, world):
    project = world["a"]["project"]
    login(client, world["editor_a"])
    data = project_form_data(project, planned_start="2026-05-01", planned_end="2026-01-01", investment_amount="-5")
    response = client.post(admin_url(project, "change", project.pk), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "The end date cannot be before the start date" in page
    assert "Ensure this value is greater than or equal to 0" in page
    assert 'class="errorlist' in page


def test_inline_task_validation_names_the_field(client, world):
    project = world["a"]["project"]
    login(client, world["editor_a"])
    data = project_form_data(
        project,
        **{
            "tasks-TOTAL_FORMS": 1,
            "tasks-0-title_en": "Done without a date",
            "tasks-0-status": "done",
            "tasks-0-weight": 1,
            "tasks-0-order": 0,
        },
    )
    response = client.post(admin_url(project, "change", project.pk), data)
    assert response.status_code == 200
    assert "Give the date on which the task was done." in response.content.decode()
    assert not Task.objects.filter(title="Done without a date").exists()


# --- the publication workflow ------------------------------------------------------------------


def test_editor_submits_and_secretariat_publishes(client, world):
    project = world["a"]["project"]
    login(client, world["editor_a"])
    response = client.post(admin_url(project, "change", project.pk), project_form_data(project, _submit="1"))
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.publication == Publication.SUBMITTED

    login(client, world["secretariat"])
    home = client.get(reverse("admin:index")).content.decode()
    assert "Submitted for publication: yours to review" in home and "KZUZ-A01" in home
    client.post(admin_url(Project, "changelist"), {"action": "publish_selected", "_selected_action": [project.pk]})
    project.refresh_from_db()
    assert project.publication == Publication.PUBLISHED


def test_incomplete_project_is_not_published_and_the_admin_says_what_is_missing(client, world):
    project = world["a"]["project"]
    project.locations.all().delete()
    project.summary = ""
    project.save()
    login(client, world["secretariat"])
    page = client.get(admin_url(project, "change", project.pk)).content.decode()
    assert "a summary" in page and "at least one location" in page
    response = client.post(
        admin_url(Project, "changelist"),
        {"action": "publish_selected", "_selected_action": [project.pk]},
        follow=True,
    )
    page = response.content.decode()
    assert "is not ready for publication" in page and "at least one location" in page
    project.refresh_from_db()
    assert project.publication == Publication.DRAFT


def test_secretariat_returns_a_submitted_project_with_a_comment(client, world):
    project = world["a"]["project"]
    project.publication = Publication.SUBMITTED
    project.save()
    login(client, world["secretariat"])
    client.post(
        admin_url(project, "change", project.pk),
        project_form_data(project, review_comment="Add the investors' shares.", _return="1"),
    )
    project.refresh_from_db()
    assert project.publication == Publication.RETURNED
    assert project.review_comment == "Add the investors' shares."
    login(client, world["editor_a"])
    page = client.get(admin_url(project, "change", project.pk)).content.decode()
    assert "Add the investors&#x27; shares." in page
    home = client.get(reverse("admin:index")).content.decode()
    assert "Projects returned with comments" in home and "KZUZ-A01" in home


def test_return_without_a_comment_is_refused(client, world):
    project = world["a"]["project"]
    project.publication = Publication.SUBMITTED
    project.save()
    login(client, world["secretariat"])
    response = client.post(
        admin_url(project, "change", project.pk), project_form_data(project, _return="1"), follow=True
    )
    assert "Say why the project is returned." in response.content.decode()
    project.refresh_from_db()
    assert project.publication == Publication.SUBMITTED


def test_progress_update_workflow(client, world):
    update = world["a"]["progressupdate"]
    login(client, world["editor_a"])
    client.post(admin_url(ProgressUpdate, "changelist"), {"action": "submit_selected", "_selected_action": [update.pk]})
    update.refresh_from_db()
    assert update.publication == Publication.SUBMITTED
    login(client, world["secretariat"])
    client.post(
        admin_url(ProgressUpdate, "changelist"), {"action": "publish_selected", "_selected_action": [update.pk]}
    )
    update.refresh_from_db()
    assert update.publication == Publication.PUBLISHED
    client.post(
        admin_url(ProgressUpdate, "changelist"), {"action": "unpublish_selected", "_selected_action": [update.pk]}
    )
    update.refresh_from_db()
    assert update.publication == Publication.DRAFT


def test_mark_tasks_done_stamps_today(client, world, today):
    task = world["a"]["task"]
    login(client, world["editor_a"])
    client.post(admin_url(Task, "changelist"), {"action": "mark_done", "_selected_action": [task.pk]})
    task.refresh_from_db()
    assert task.status == Task.Status.DONE
    assert task.completed_date == today


def export_selected(client, *projects):
    pks = [project.pk for project in projects]
    response = client.post(admin_url(Project, "changelist"), {"action": "export_admin_action", "_selected_action": pks})
    assert response.status_code == 200
    assert "Export" in response.content.decode()
    response = client.post(
        reverse("admin:projects_project_export"),
        {"format": "0", "resource": "0", "export_items": pks, "projectresource_code": "on"},
    )
    assert response.status_code == 200
    return response.content.decode()


def test_export_selected_rows(client, world):
    login(client, world["secretariat"])
    body = export_selected(client, world["a"]["project"])
    assert body.splitlines()[0] == "code"
    assert "KZUZ-A01" in body and "KZUZ-B01" not in body


def test_export_never_includes_another_groups_rows(client, world):
    login(client, world["editor_a"])
    assert "KZUZ-A01" in export_selected(client, world["a"]["project"])
    forged = client.post(
        reverse("admin:projects_project_export"),
        {"format": "0", "resource": "0", "export_items": [world["b"]["project"].pk], "projectresource_code": "on"},
    )
    assert "KZUZ-B01" not in forged.content.decode()


# --- computed columns, demo marks and the home page ---------------------------------------------


def test_changelist_shows_progress_overdue_tasks_confidence_and_usd(client, world, today):
    project = world["a"]["project"]
    project.confidence = "amber_red"
    project.investment_amount = Decimal("2500000")
    project.save()
    f.TaskFactory(project=project, status=Task.Status.DONE, completed_date=today)
    f.TaskFactory(project=project, due_date=today - datetime.timedelta(days=3))
    login(client, world["editor_a"])
    page = client.get(admin_url(Project, "changelist")).content.decode()
    assert "33%" in page  # one of three tasks done
    assert "1 overdue" in page
    assert 'pt-badge--amber-red">Amber/red<' in page
    assert "2,500,000" in page


def test_demo_records_are_marked_in_list_and_form(client, world):
    project = world["a"]["project"]
    project.demo = True
    project.save()
    login(client, world["editor_a"])
    page = client.get(admin_url(Project, "changelist")).content.decode()
    assert 'pt-badge--demo">demo<' in page
    page = client.get(admin_url(project, "change", project.pk)).content.decode()
    assert "Demo record: fictional" in page
    organisation = Organisation.objects.first()
    organisation.demo = True
    organisation.save()
    assert 'pt-badge--demo">demo<' in client.get(admin_url(Organisation, "changelist")).content.decode()


def test_home_shows_the_editors_overdue_tasks_and_stale_projects_only(client, world, today):
    for key in ("a", "b"):
        task = world[key]["task"]
        task.due_date = today - datetime.timedelta(days=10)
        task.save()
    login(client, world["editor_a"])
    page = client.get(reverse("admin:index")).content.decode()
    assert "Overdue tasks" in page
    assert "Task of group A" in page and "Task of group B" not in page
    assert "Projects with no progress update for 90 days" in page
    assert "KZUZ-A01" in page and "KZUZ-B01" not in page


# --- history with values -------------------------------------------------------------------------


def test_history_page_shows_old_and_new_values_and_who(client, world):
    project = world["a"]["project"]
    login(client, world["editor_a"])
    client.post(admin_url(project, "change", project.pk), project_form_data(project, title_en="Wind farm"))
    page = client.get(admin_url(project, "history", project.pk)).content.decode()
    assert "Project of group A" in page and "Wind farm" in page
    assert "editor-a" in page
    record = project.history.first()
    assert record.history_user == world["editor_a"]
    assert record.title_en == "Wind farm"
    assert record.prev_record.title_en == "Project of group A"


def test_history_revert_restores_the_earlier_version(client, world):
    project = world["a"]["project"]
    login(client, world["secretariat"])
    client.post(admin_url(project, "change", project.pk), project_form_data(project, title_en="Renamed"))
    original = project.history.order_by("history_date").first()
    url = reverse("admin:projects_project_simple_history", args=[project.pk, original.history_id])
    assert client.get(url).status_code == 200
    project.refresh_from_db()
    response = client.post(url, project_form_data(project, title_en=original.title_en))
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.title == "Project of group A"


# --- import: errors write nothing -----------------------------------------------------------------

PROJECT_HEADER = [
    "code",
    "slug",
    "title_en",
    "working_group",
    "status",
    "investment_amount",
    "investment_currency",
    "planned_start",
]


def project_rows(world):
    slug = world["group_a"].slug
    return [
        ["KZUZ-101", "kzuz-101", "Good project", slug, "pipeline", "1000", "USD", "2026-01-01"],
        ["KZUZ-102", "kzuz-102", "Bad date", slug, "pipeline", "1000", "USD", "31/02/2026"],
        ["KZUZ-103", "kzuz-103", "Unknown currency", slug, "pipeline", "1000", "XYZ", ""],
        ["KZUZ-101", "kzuz-101b", "Duplicate code", slug, "pipeline", "1000", "USD", ""],
    ]


def as_csv(header, rows):
    lines = [",".join(header)] + [",".join(row) for row in rows]
    return SimpleUploadedFile("projects.csv", ("\n".join(lines) + "\n").encode(), content_type="text/csv")


def as_xlsx(header, rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("projects.xlsx", buffer.getvalue())


def post_import(client, model, upload, fmt):
    return client.post(admin_url(model, "import"), {"import_file": upload, "format": fmt, "resource": "0"})


FORMATS = {"csv": (as_csv, "0"), "xlsx": (as_xlsx, "1")}


@pytest.mark.parametrize("kind", FORMATS)
def test_project_import_with_bad_rows_reports_each_and_writes_nothing(client, world, kind):
    make_file, fmt = FORMATS[kind]
    login(client, world["secretariat"])
    before = Project.objects.count()
    response = post_import(client, Project, make_file(PROJECT_HEADER, project_rows(world)), fmt)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Some rows failed to validate" in page
    assert re.findall(r"<td>(\d+) </td>", page) == ["2", "3", "4"]  # the bad rows, by number
    assert re.search(r"planned_start\s*</span>\s*<ul>\s*<li>Value could not be parsed", page)  # by column
    assert "is not a valid choice" in page  # the unknown currency
    assert "appears twice in this file (first in row 1)" in page
    assert 'name="import_file_name"' not in page  # no confirm button
    assert Project.objects.count() == before
    assert not Project.objects.filter(code="KZUZ-101").exists()


@pytest.mark.parametrize("kind", FORMATS)
def test_import_with_a_wrong_column_is_rejected(client, world, kind):
    make_file, fmt = FORMATS[kind]
    login(client, world["secretariat"])
    header = ["code", "slug", "titel", "working_group"]
    rows = [["KZUZ-201", "kzuz-201", "Typo", world["group_a"].slug]]
    page = post_import(client, Project, make_file(header, rows), fmt).content.decode()
    assert "Unknown column(s): titel" in page
    assert not Project.objects.filter(code="KZUZ-201").exists()


def test_confirmed_import_rolls_back_everything_when_one_row_fails(world):
    """The all-or-nothing rule holds on the writing run too, not only on the dry run."""
    import tablib

    from projects.resources import ProjectResource

    dataset = tablib.Dataset(*project_rows(world)[:3], headers=PROJECT_HEADER)
    result = ProjectResource().import_data(dataset, dry_run=False, use_transactions=True)
    assert result.has_validation_errors()
    assert not Project.objects.filter(code__startswith="KZUZ-10").exists()


@pytest.mark.parametrize("kind", FORMATS)
def test_valid_import_previews_then_writes_drafts(client, world, kind):
    make_file, fmt = FORMATS[kind]
    login(client, world["secretariat"])
    rows = [project_rows(world)[0]]
    page = post_import(client, Project, make_file(PROJECT_HEADER, rows), fmt).content.decode()
    assert not Project.objects.filter(code="KZUZ-101").exists()  # the preview is a dry run
    assert 'name="import_file_name"' in page
    confirm = {
        name: re.search(rf'name="{name}" value="([^"]*)"', page).group(1)
        for name in ("import_file_name", "original_file_name", "format", "resource")
    }
    response = client.post(reverse("admin:projects_project_process_import"), confirm)
    assert response.status_code == 302
    project = Project.objects.get(code="KZUZ-101")
    assert project.publication == Publication.DRAFT
    assert project.history.first().history_user == world["secretariat"]


def test_project_import_refuses_an_unknown_sector(client, world):
    login(client, world["secretariat"])
    header = ["code", "slug", "title_en", "working_group", "sectors"]
    rows = [["KZUZ-301", "kzuz-301", "Dam", world["group_a"].slug, f"{world['sector'].slug},no-such-sector"]]
    page = post_import(client, Project, as_xlsx(header, rows), "1").content.decode()
    assert "There is no sector with slug “no-such-sector”." in page
    assert not Project.objects.filter(code="KZUZ-301").exists()


def test_task_and_exchange_rate_imports_refuse_unknown_references(client, world):
    login(client, world["secretariat"])
    header = ["project", "title_en", "status", "weight", "order"]
    page = post_import(client, Task, as_csv(header, [["NOPE-1", "Orphan", "planned", "1", "0"]]), "0")
    assert "There is no project with code “NOPE-1”" in page.content.decode()
    assert not Task.objects.filter(title="Orphan").exists()
    header = ["currency", "date", "units_per_usd", "source"]
    rows = [["KZT", "2025-03-01", "480", "NBK"], ["XYZ", "2025-03-01", "1", "?"], ["KZT", "2025-03-01", "481", "NBK"]]
    page = post_import(client, ExchangeRate, as_csv(header, rows), "0").content.decode()
    assert "is not a valid choice" in page and "appears twice in this file" in page
    assert not ExchangeRate.objects.filter(date=datetime.date(2025, 3, 1)).exists()


# --- the changelist's query count does not grow with the portfolio -----------------------------


def changelist_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def make_projects(n, group, sector, today, start=0):
    projects = Project.objects.bulk_create(
        Project(
            code=f"BULK-{i:05d}",
            title=f"Bulk {i}",
            slug=f"bulk-{i}",
            working_group=group,
            investment_amount=Decimal(1000 + i),
            investment_currency="KZT" if i % 2 else "USD",
        )
        for i in range(start, start + n)
    )
    Project.sectors.through.objects.bulk_create(
        Project.sectors.through(project=project, sector=sector) for project in projects
    )
    Task.objects.bulk_create(Task(project=project, title="t", due_date=today) for project in projects)


@pytest.mark.parametrize("role", ["secretariat", "editor_a"])
def test_project_changelist_query_count_does_not_grow(client, world, role, django_assert_num_queries, today):
    login(client, world[role])
    url = admin_url(Project, "changelist")
    make_projects(8, world["group_a"], world["sector"], today)  # 10 projects with world's
    small = changelist_queries(client, url)
    make_projects(300, world["group_a"], world["sector"], today, start=100)
    with django_assert_num_queries(small):
        client.get(url)
    assert Project.objects.count() > 300


# --- every model is registered, and the admin works in every site language -----------------------


def test_every_model_of_both_apps_is_in_the_admin():
    from django.apps import apps
    from django.contrib import admin

    models = [m for app in ("partnership", "projects") for m in apps.get_app_config(app).get_models()]
    # History, the stored figures (and money per year), pending changes (reviewed on their record's
    # page), the dated snapshots, the temporary as-of tables and the kept past days are kept by the
    # application, never edited by staff.
    derived = (
        "historical",
        "projectfigures",
        "projectmoneyyear",
        "pendingchange",
        "asof",
        "kept",
        "projectsnapshot",
        "tasksnapshot",
    )
    domain = [m for m in models if not m._meta.model_name.startswith(derived)]
    assert (
        len(domain) == 26
    )  # + PortfolioFigure, DirectiveFollowUp, Result, Indicator, IndicatorValue, Budget, Transaction
    assert [m for m in domain if m not in admin.site._registry] == []


@pytest.mark.parametrize("language", ["ru", "kk", "uz"])
def test_admin_pages_work_in_every_site_language(client, world, language):
    from django.contrib import admin

    login(client, world["secretariat"])
    headers = {"HTTP_ACCEPT_LANGUAGE": language}
    for model in admin.site._registry:
        if model._meta.app_label in ("partnership", "projects"):
            response = client.get(admin_url(model, "changelist"), **headers)
            assert response.status_code == 200, model
            assert f'lang="{language}"' in response.content.decode()
    project = world["a"]["project"]
    assert client.get(admin_url(project, "change", project.pk), **headers).status_code == 200
    assert client.get(reverse("admin:index"), **headers).status_code == 200


@pytest.mark.parametrize("fmt", ["0", "1"])
def test_unreadable_import_file_is_refused_without_a_server_error(client, world, fmt):
    login(client, world["secretariat"])
    junk = SimpleUploadedFile("junk.bin", b"\x00\xff\xfe\x00PK\x03\x04 not a spreadsheet \x81\x82")
    response = post_import(client, Project, junk, fmt)
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert Project.objects.count() == 2


def test_editor_cannot_revert_a_project_that_moved_to_another_group(client, world):
    project = world["a"]["project"]
    old_version = project.history.first()
    project.working_group = world["group_b"]
    project.save()
    login(client, world["editor_a"])
    url = reverse("admin:projects_project_simple_history", args=[project.pk, old_version.history_id])
    assert client.get(url).status_code == 403
    assert (
        client.post(url, project_form_data(old_version.instance, working_group=world["group_a"].pk)).status_code == 403
    )
    project.refresh_from_db()
    assert project.working_group == world["group_b"]


def test_revert_never_changes_publication(client, world):
    """Reverting to a version that was published does not publish: only the workflow does."""
    project = world["a"]["project"]
    project.publication = Publication.PUBLISHED
    project.save()
    published_version = project.history.first()
    project.publication = Publication.DRAFT
    project.save()
    document = world["a"]["document"]  # made published by the factory
    published_document = document.history.first()
    document.published = False
    document.save()
    login(client, world["editor_a"])
    url = reverse("admin:projects_project_simple_history", args=[project.pk, published_version.history_id])
    assert client.post(url, project_form_data(project)).status_code == 302
    project.refresh_from_db()
    assert project.publication == Publication.DRAFT
    url = reverse("admin:projects_document_simple_history", args=[document.pk, published_document.history_id])
    data = {"project": project.pk, "title_en": document.title_en, "kind": document.kind, "url": document.url}
    assert client.post(url, data).status_code == 302
    document.refresh_from_db()
    assert document.published is False


def test_staff_enter_every_language(client, world):
    login(client, world["editor_a"])
    project, task = world["a"]["project"], world["a"]["task"]
    page = client.get(admin_url(project, "change", project.pk)).content.decode()
    assert "Translation: Russian" in page
    for code in ("en", "ru", "kk", "uz"):
        assert f'name="title_{code}"' in page and f'name="summary_{code}"' in page
    page = client.get(admin_url(task, "change", task.pk)).content.decode()
    assert all(f'name="title_{code}"' in page for code in ("en", "ru", "kk", "uz"))
    data = project_form_data(project, title_ru="Солнечная станция", title_kk="Күн электр станциясы")
    assert client.post(admin_url(project, "change", project.pk), data).status_code == 302
    project.refresh_from_db()
    assert (project.title_ru, project.title_kk, project.title_en) == (
        "Солнечная станция",
        "Күн электр станциясы",
        "Project of group A",
    )


def test_task_changelist_query_count_does_not_grow(client, world, django_assert_num_queries, today):
    login(client, world["editor_a"])
    url = admin_url(Task, "changelist")
    make_projects(8, world["group_a"], world["sector"], today)
    small = changelist_queries(client, url)
    make_projects(300, world["group_a"], world["sector"], today, start=100)
    with django_assert_num_queries(small):
        client.get(url)


def test_odd_urls_and_filters_never_give_a_server_error(client, world):
    login(client, world["editor_a"])
    for url in (
        "/admin/projects/project/abc/change/",
        "/admin/projects/project/999999/change/",
        "/admin/projects/project/abc/history/",
        "/admin/projects/task/abc/history/xyz/",
        f"/admin/projects/project/{world['a']['project'].pk}/history/xyz/",
        "/admin/partnership/country/abc/history/",
        "/admin/projects/project/?group=abc&stale=maybe&demo=perhaps",
        "/admin/projects/project/?planned_start__year=notayear",
        "/admin/projects/task/?overdue=yes&group=999999",
        "/admin/projects/project/?o=99",
    ):
        assert client.get(url).status_code in (200, 302, 404), url


@pytest.mark.parametrize("model", [Project, Task])
def test_export_query_count_does_not_grow(client, world, model, django_assert_num_queries, today):
    login(client, world["secretariat"])
    url = reverse(f"admin:projects_{model._meta.model_name}_export")
    data = {"format": "0", "resource": "0"}
    data.update(
        {f"{model._meta.model_name}resource_{name}": "on" for name in ("code", "sectors", "project", "title_en")}
    )
    with CaptureQueriesContext(connection) as small:
        assert client.post(url, data).status_code == 200
    make_projects(40, world["group_a"], world["sector"], today)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.post(url, data)
    assert response.content.decode().count("\n") > 40
