"""The read layer: each derived rule on an as-of date, and one set of figures for the report and the API."""

import datetime

import pytest
from django.urls import reverse

from partnership.models import Directive
from projects import selectors
from projects.models import ProgressUpdate, Project, Publication, Task
from tests import factories as f
from tests.helpers import client_for

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def test_a_task_is_overdue_from_the_day_after_it_was_due_until_it_is_done(today):
    task = f.TaskFactory(due_date=today - 10 * DAY, status=Task.Status.DONE, completed_date=today - 5 * DAY)
    f.TaskFactory(due_date=today - 10 * DAY, status=Task.Status.CANCELLED)
    tasks = Task.objects.all()
    assert list(tasks.overdue(today - 10 * DAY)) == []  # due that very day: not yet late
    assert list(tasks.overdue(today - 9 * DAY)) == [task]  # late, and not done until later
    assert list(tasks.overdue(today - 5 * DAY)) == []  # done that day
    assert [t.is_late for t in tasks.with_overdue(today - 6 * DAY).order_by("pk")] == [True, False]
    assert Project.objects.overdue(today - 6 * DAY).get() == task.project
    assert not task.is_overdue


def test_a_directive_is_overdue_while_open_after_its_due_date(today):
    late = f.DirectiveFactory(due_date=today - DAY, status=Directive.Status.IN_PROGRESS)
    f.DirectiveFactory(due_date=today - DAY, status=Directive.Status.DONE)
    f.DirectiveFactory(due_date=None)
    directives = Directive.objects.all()
    assert list(directives.overdue()) == [late] and late.is_overdue
    assert list(directives.overdue(today - DAY)) == []
    assert [d.pk for d in directives.with_overdue() if d.is_late] == [late.pk]
    assert directives.state_counts()["overdue"] == 1 and directives.state_counts(today - DAY)["overdue"] == 0


def test_progress_and_behind_schedule_on_a_past_day(settings, today):
    settings.BEHIND_SCHEDULE_MARGIN = 15
    project = f.ProjectFactory(planned_start=today - 100 * DAY, planned_end=today + 100 * DAY)
    f.TaskFactory(project=project, weight=3, status=Task.Status.DONE, completed_date=today - 10 * DAY)
    f.TaskFactory(project=project, weight=1)
    earlier, now = (Project.objects.with_figures(day).get() for day in (today - 20 * DAY, today))
    assert (earlier.progress, now.progress) == (0.0, 75.0)
    assert earlier.behind_schedule and not now.behind_schedule  # 40% of the time gone, 0% done
    assert list(Project.objects.behind_schedule(today - 20 * DAY)) == [project]


def test_stale_projects_are_active_ones_without_a_recent_published_update(settings, today):
    settings.STALE_UPDATE_DAYS = 30
    project = f.ProjectFactory()
    f.ProjectFactory(status=Project.Status.CLOSED)
    f.ProgressUpdateFactory(project=project, reported_on=today - 40 * DAY, publication=Publication.PUBLISHED)
    assert list(Project.objects.without_recent_update(today - 20 * DAY)) == []
    assert list(Project.objects.without_recent_update(today)) == [project]
    assert ProgressUpdate.objects.count() == 1


def test_usd_equivalent_follows_the_rate_date(today):
    f.ExchangeRateFactory(currency="KZT", date=today - 10 * DAY, units_per_usd=500)
    f.ExchangeRateFactory(currency="KZT", date=today - DAY, units_per_usd=400)
    project = f.ProjectFactory(investment_currency="KZT", investment_amount=2_000_000, rate_date=today - 5 * DAY)
    assert Project.objects.with_usd().get().investment_usd == project.usd_equivalent() == 4000


def portfolio(today):
    """Two working groups: 3 of 4 task weight done in one, nothing done (one task late) in the other."""
    power, water = f.WorkingGroupFactory(name="Power"), f.WorkingGroupFactory(name="Water")
    a = f.ProjectFactory(working_group=power)
    b = f.ProjectFactory(working_group=power)
    c = f.ProjectFactory(working_group=water)
    f.ProjectFactory(working_group=water)  # no tasks: not in the per-group progress
    f.TaskFactory(project=a, weight=3, status=Task.Status.DONE, completed_date=today - 2 * DAY)
    f.TaskFactory(project=b, weight=1)
    f.TaskFactory(project=c, weight=2, due_date=today - DAY)
    f.TaskFactory(project=c, weight=5, status=Task.Status.CANCELLED)
    return power, water


def test_progress_is_the_share_of_task_weight_and_mean_progress_the_mean_of_projects(today):
    power, water = portfolio(today)
    projects = Project.objects.published()
    overall = selectors.progress_figures(projects)
    assert overall["progress"] == pytest.approx(100 * 3 / 6)
    assert overall["mean_progress"] == pytest.approx((100 + 0 + 0) / 3)
    assert overall["overdue_tasks"] == 1
    by_group = selectors.progress_figures(projects, today, "working_group")
    assert by_group[power.pk]["progress"] == 75.0 and by_group[power.pk]["mean_progress"] == 50.0
    assert by_group[water.pk]["progress"] == 0.0 and by_group[water.pk]["overdue_tasks"] == 1
    assert selectors.progress_figures(projects, today - 3 * DAY)["progress"] == 0.0
    assert selectors.progress_figures(Project.objects.none()) == selectors.NO_FIGURES


@pytest.mark.usefixtures("fresh_throttle")
def test_report_and_api_summary_give_the_same_figures(client, today):
    _power, water = portfolio(today)
    report = client.get(reverse("projects:report")).context
    summary = client_for(None).get("/api/v1/summary/").json()
    api_groups = {row["name"]: row["progress"] for row in summary["by_working_group"]}
    assert {row["label"]: row["value"] for row in report["by_group"]} == {"Power": 75.0, "Water": 0.0}
    assert api_groups == {"Power": 75.0, "Water": 0.0}
    assert summary["totals"]["progress"] == 50.0 and summary["totals"]["overdue_tasks"] == 1
    assert [task.project.working_group for task in report["overdue_tasks"]] == [water]
    home = client.get(reverse("projects:home")).context
    assert home["tasks_done"] == summary["totals"]["progress"]


def test_worklist_counts_and_first_rows_within_the_given_scope(today):
    late = f.TaskFactory(due_date=today - DAY)
    f.TaskFactory(due_date=today + DAY)
    returned = f.ProjectFactory(publication=Publication.RETURNED, code="R-1")
    lists = selectors.worklist(tasks=Task.objects.all(), projects=Project.objects.filter(code="R-1"), rows=1)
    assert lists["overdue-tasks"] == {"count": 1, "rows": [late]}
    assert lists["returned"] == {"count": 1, "rows": [returned]}
    assert lists["submitted-projects"]["count"] == 0 and "submitted-updates" not in lists


def test_directory_facets_count_each_option_with_the_other_filters(client):
    energy, water = f.SectorFactory(slug="energy"), f.SectorFactory(slug="water")
    f.ProjectFactory(sectors=[energy], status=Project.Status.CLOSED)
    f.ProjectFactory(sectors=[energy])
    f.ProjectFactory(sectors=[water])
    facets = client.get(reverse("projects:project-list") + "?sector=energy&status=closed").context["facets"]
    counts = {facet["name"]: {o["value"]: o["count"] for o in facet.get("options", [])} for facet in facets}
    assert counts["sector"] == {"energy": 1}  # closed projects by sector
    assert counts["status"] == {"closed": 1, "implementation": 1}  # energy projects by status
