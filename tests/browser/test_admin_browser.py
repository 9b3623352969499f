"""An editor's day in the admin, in a real browser: add tasks inline, submit, see the result."""

import pytest
from django.utils import timezone

from projects.models import Project, Publication
from tests import factories as f
from tests.browser.conftest import screenshot

PASSWORD = "pass-for-tests-1"  # tests/factories.py UserFactory


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_editor_adds_two_tasks_inline_submits_and_sees_progress_and_status(live_server, browser_page, make_editor):
    group = f.WorkingGroupFactory(name="Energy group")
    editor = make_editor(group, username="editor-energy")
    project = f.ProjectFactory(
        code="KZUZ-042",
        title="Solar plant in Navoi",
        working_group=group,
        publication=Publication.DRAFT,
        sectors=[f.SectorFactory(name="Energy")],
    )
    f.LocationFactory(project=project)
    f.ParticipantFactory(project=project)
    page = browser_page
    change_url = f"{live_server.url}/admin/projects/project/{project.pk}/change/"

    page.goto(f"{live_server.url}/admin/login/?next=/admin/projects/project/{project.pk}/change/")
    page.fill("#id_username", editor.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(change_url)
    assert page.locator(".field-progress_column .readonly").inner_text() == "no tasks"
    assert page.locator(".field-publication_column .readonly").inner_text() == "Draft"
    screenshot(page, "admin-project-before")

    tasks = page.locator("#tasks-group")
    add_task = tasks.locator(".add-row a")
    add_task.click()
    add_task.click()
    page.fill("#id_tasks-0-title_en", "Feasibility study")
    page.select_option("#id_tasks-0-status", "done")
    page.fill("#id_tasks-0-completed_date", timezone.localdate().isoformat())
    page.fill("#id_tasks-1-title_en", "Construction")
    screenshot(page, "admin-project-tasks-added")

    page.click("input[name=_submit]")
    page.wait_for_url(change_url)
    assert "submitted for publication" in page.locator("ul.messagelist").inner_text()
    assert page.locator(".field-publication_column .readonly").inner_text() == "Submitted for publication"
    assert page.locator(".field-progress_column .readonly").inner_text() == "50%"
    # The editor may no longer submit it; only the secretariat acts on it now.
    assert page.locator("input[name=_submit]").count() == 0
    screenshot(page, "admin-project-submitted")

    page.goto(f"{live_server.url}/admin/projects/project/")
    row = page.locator("#result_list tbody tr", has_text="KZUZ-042")
    assert row.locator(".field-progress_column").inner_text() == "50%"
    assert row.locator(".field-publication_column").inner_text() == "Submitted for publication"
    screenshot(page, "admin-project-list")

    project.refresh_from_db()
    assert project.publication == Publication.SUBMITTED
    assert sorted(project.tasks.values_list("title", flat=True)) == ["Construction", "Feasibility study"]
    assert Project.objects.with_progress().get(pk=project.pk).progress == 50.0
