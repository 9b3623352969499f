"""Dated snapshots: a past day read from them equals that day read from the change history."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from partnership.models import Directive
from projects import asof, selectors, snapshots
from projects.api import DIMENSIONS
from projects.models import Project, ProjectSnapshot, Publication, Task, TaskSnapshot
from tests import factories as f
from tests.helpers import url

pytestmark = pytest.mark.django_db


def report_on(day, from_history):
    """Everything a report and the API summary show for `day`, as plain values (the temporary
    tables are refilled by the next call, so nothing is left lazy)."""
    projects = asof.projects_on(day, from_history=from_history)
    figures = selectors.report(projects, Directive.objects.none(), day)
    return {
        "totals": figures["totals"],
        "figures": figures["figures"],
        "by_status": figures["by_status"],
        "by_confidence": figures["by_confidence"],
        "by_sector": figures["by_sector"],
        "bands": [(key, count) for key, _label, count in figures["bands"]],
        "by_group": figures["by_group"],
        "overdue_tasks": [(task.id, task.project.code, task.due_date) for task in figures["overdue_tasks"]],
        "behind": list(figures["behind"].values_list("code", flat=True)),
        "summary": selectors.summary(projects, DIMENSIONS, day),
    }


@pytest.fixture
def demo_with_history(today):
    call_command("seed", "--demo", "--projects", "48", "--tasks", "400", "--history", stdout=StringIO())
    # Live writes on top: a task done, one deleted, a bulk update, a project's amount and status.
    project = Project.objects.filter(demo=True, publication=Publication.PUBLISHED).order_by("code").first()
    task = project.tasks.exclude(status=Task.Status.DONE).first()
    task.status, task.completed_date = Task.Status.DONE, today
    task.save()
    project.tasks.exclude(pk=task.pk).first().delete()
    Task.objects.filter(project__code__endswith="7").update(weight=3)
    project.status, project.investment_amount = Project.Status.SUSPENDED, Decimal("123456.78")
    project.save()
    return project


def test_snapshot_as_of_equals_history_as_of_over_several_dates(demo_with_history, today):
    assert snapshots.differing() == set()
    assert TaskSnapshot.objects.count() > Task.objects.count()  # tasks changed over the history
    counts = []
    for days in (800, 600, 420, 300, 200, 90, 30, 1, 0):
        day = today - datetime.timedelta(days=days)
        from_snapshots = report_on(day, from_history=False)
        assert from_snapshots == report_on(day, from_history=True), day
        counts.append(from_snapshots["totals"]["count"])
    # The history covers two years: nothing 800 days ago, more and more projects later on, and as
    # of yesterday every demo project published now (their history ends in today's state).
    assert counts[0] == 0 and counts == sorted(counts) and counts[-2] > counts[2] > 0
    published = Project.objects.published().filter(demo=True).count()
    assert counts[-2] == published


def test_a_past_report_page_shows_the_demo_history(client, demo_with_history, today):
    yesterday = today - datetime.timedelta(days=1)
    response = client.get(url("projects:report") + f"?as_of={yesterday}&demo=demo")
    assert response.status_code == 200
    assert response.context["totals"]["count"] == Project.objects.published().filter(demo=True).count()
    summary = client.get("/api/v1/summary/", {"as_of": str(yesterday), "demo": "demo"}).json()
    assert summary["totals"]["count"] == response.context["totals"]["count"]
    assert Decimal(str(summary["totals"]["usd"])) == response.context["totals"]["usd"]


def test_every_write_keeps_the_snapshots(today):
    project = f.ProjectFactory()
    task = f.TaskFactory(project=project)
    other = f.TaskFactory(project=project)
    assert snapshots.differing() == set()
    current = ProjectSnapshot.objects.get(project_id=project.pk, valid_until=snapshots.FOREVER)
    assert current.history_id == project.history.latest().history_id
    task.weight = 5
    task.save()
    other.delete()
    assert snapshots.differing() == set()
    # A task moved to another project: both projects' snapshots follow it.
    second = f.ProjectFactory()
    task.project = second
    task.save()
    assert snapshots.differing() == set()
    states = TaskSnapshot.objects.filter(task_id=task.pk)
    # Created, reweighted and moved the same day: one snapshot, the day's last state.
    assert list(states.values_list("project_id", "weight", "valid_from")) == [(second.pk, 5, today)]
    assert not TaskSnapshot.objects.filter(task_id=other.pk).exists()  # deleted the day it was made


def test_a_change_of_sectors_alone_keeps_the_snapshots(today):
    project, other = f.ProjectFactory(), f.ProjectFactory()
    sector = f.SectorFactory()
    before = project.history.count()
    project.sectors.set([sector])  # a history row of its own, after the project's save
    assert project.history.count() == before + 1
    assert snapshots.differing() == set()
    current = ProjectSnapshot.objects.get(project_id=project.pk, valid_until=snapshots.FOREVER)
    assert current.history_id == project.history.latest().history_id
    sector.projects.add(other)  # from the sector's side
    assert snapshots.differing() == set()
    project.sectors.clear()
    assert snapshots.differing() == set()


def test_history_from_other_paths_is_caught_up_by_the_daily_recompute(today):
    project = f.ProjectFactory()
    # A write that skipped the sync (a raw fix, a script): the project has no snapshot.
    ProjectSnapshot.objects.filter(project_id=project.pk).delete()
    with pytest.raises(CommandError, match="dated snapshots"):
        call_command("recompute_figures", "--check", stdout=StringIO())
    call_command("recompute_figures", stdout=StringIO())
    out = StringIO()
    call_command("recompute_figures", "--check", stdout=out)
    assert "match" in out.getvalue()
    assert snapshots.differing() == set()


def test_recompute_snapshots_rebuilds_them_all_from_the_history(demo_with_history, today):
    day = today - datetime.timedelta(days=200)
    before = report_on(day, from_history=False)
    ProjectSnapshot.objects.all().delete()
    TaskSnapshot.objects.filter(task_id__in=Task.objects.filter(project__code__endswith="1").values("pk")).delete()
    # A raw change of the snapshots goes round the sync that forgets kept days: the day read above
    # is still kept, until forgotten (as the daily run and --snapshots do).
    assert report_on(day, from_history=False)["totals"] == before["totals"]
    asof.forget_from()
    assert report_on(day, from_history=False)["totals"]["count"] == 0
    out = StringIO()
    call_command("recompute_figures", "--snapshots", stdout=out)
    assert "Rebuilt" in out.getvalue()
    assert snapshots.differing() == set()
    assert report_on(day, from_history=False)["totals"] == before["totals"]
