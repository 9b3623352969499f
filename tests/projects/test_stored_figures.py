"""Stored per-project figures equal the ones computed from tasks and rates, after every kind of write."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from projects import stored_figures
from projects.models import ExchangeRate, Project, ProjectFigures, Task
from tests import factories as f

pytestmark = pytest.mark.django_db


def stored(project):
    return ProjectFigures.objects.get(project=project)


def test_generated_portfolio_stores_what_is_computed():
    call_command("seed", "--demo", "--projects", "60", stdout=StringIO())
    assert ProjectFigures.objects.count() == Project.objects.count()
    assert stored_figures.stale() == []
    computed = {row["pk"]: row for row in Project.objects.computed_figures().values("pk", "progress", "investment_usd")}
    with_tasks = [p for p in ProjectFigures.objects.all() if p.task_weight]
    assert with_tasks, "the demo portfolio has tasks"
    for figures in with_tasks:
        assert figures.progress == pytest.approx(computed[figures.project_id]["progress"])
        assert figures.investment_usd == computed[figures.project_id]["investment_usd"]


def test_task_writes_refresh_the_project_progress_in_the_same_transaction():
    project = f.ProjectFactory()
    assert stored(project).progress is None
    task = f.TaskFactory(project=project, weight=3)
    f.TaskFactory(project=project, weight=1, status=Task.Status.DONE, completed_date=timezone.localdate())
    assert stored(project).progress == pytest.approx(25.0)
    task.status = Task.Status.DONE
    task.completed_date = timezone.localdate()
    task.save()
    assert stored(project).progress == pytest.approx(100.0)
    task.delete()
    assert stored(project).task_weight == 1


def test_overdue_tasks_follow_the_date_after_the_daily_recompute(monkeypatch):
    project = f.ProjectFactory()
    today = timezone.localdate()
    f.TaskFactory(project=project, due_date=today)
    assert stored(project).overdue_tasks == 0
    tomorrow = today + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    call_command("recompute_figures", stdout=StringIO())
    assert stored(project).overdue_tasks == 1
    assert stored(project).computed_on == tomorrow
    call_command("recompute_figures", stdout=StringIO())  # twice changes nothing
    assert stored(project).overdue_tasks == 1


def test_a_new_rate_refreshes_the_usd_equivalent_of_projects_in_that_currency():
    project = f.ProjectFactory(investment_amount=Decimal("1000000"), investment_currency="KZT", rate_date=None)
    assert stored(project).investment_usd is None
    rate = ExchangeRate.objects.create(
        currency="KZT", date=datetime.date(2024, 1, 1), units_per_usd=Decimal("500"), source="test"
    )
    assert stored(project).investment_usd == Decimal("2000.00")
    rate.units_per_usd = Decimal("400")
    rate.save()
    assert stored(project).investment_usd == Decimal("2500.00")
    rate.delete()
    assert stored(project).investment_usd is None


def test_project_amount_change_refreshes_its_usd_equivalent():
    project = f.ProjectFactory(investment_amount=Decimal("10"), investment_currency="USD")
    assert stored(project).investment_usd == Decimal("10")
    project.investment_amount = Decimal("25.50")
    project.save()
    assert stored(project).investment_usd == Decimal("25.50")


def test_check_fails_on_stale_figures_and_recompute_repairs_them():
    project = f.ProjectFactory()
    f.TaskFactory(project=project, status=Task.Status.DONE, completed_date=timezone.localdate())
    ProjectFigures.objects.filter(project=project).update(progress=3.0)
    with pytest.raises(CommandError, match=project.code):
        call_command("recompute_figures", "--check", stdout=StringIO())
    call_command("recompute_figures", stdout=StringIO())
    out = StringIO()
    call_command("recompute_figures", "--check", stdout=out)
    assert "match" in out.getvalue()
    assert stored(project).progress == pytest.approx(100.0)


def test_bulk_deletes_and_updates_refresh_the_figures_too():
    """The admin's "delete selected" and other bulk writes go through QuerySet.delete/update."""
    project = f.ProjectFactory(investment_amount=Decimal("1000"), investment_currency="KZT", rate_date=None)
    ExchangeRate.objects.create(currency="KZT", date=datetime.date(2024, 1, 1), units_per_usd=Decimal("10"), source="t")
    f.TaskFactory(project=project, weight=1)
    f.TaskFactory(project=project, weight=1)
    assert stored(project).investment_usd == Decimal("100.00") and stored(project).progress == 0.0
    Task.objects.filter(project=project).update(status=Task.Status.DONE, completed_date=timezone.localdate())
    assert stored(project).progress == pytest.approx(100.0)
    Task.objects.filter(project=project).delete()
    assert stored(project).task_weight == 0 and stored(project).progress is None
    ExchangeRate.objects.filter(currency="KZT").delete()
    assert stored(project).investment_usd is None


def test_a_bulk_update_that_moves_rows_out_of_its_own_filter_refreshes_both_sides():
    first, second = f.ProjectFactory(), f.ProjectFactory()
    f.TaskFactory(project=first, status=Task.Status.DONE, completed_date=timezone.localdate())
    Task.objects.filter(project=first).update(project=second)
    assert stored(first).task_weight == 0 and stored(second).progress == pytest.approx(100.0)
