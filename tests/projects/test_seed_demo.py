"""The demo portfolio at a chosen size: projects and tasks (the bench builds 10,000 and 100,000)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count

from projects.models import Project, Task
from projects.seeding.demo import task_counts

pytestmark = pytest.mark.django_db


def test_demo_with_a_task_count_builds_exactly_that_many_tasks():
    call_command("seed", "--demo", "--projects", "40", "--tasks", "500", stdout=StringIO())
    assert Project.objects.filter(demo=True).count() == 40
    assert Task.objects.filter(project__demo=True).count() == 500
    per_project = set(Project.objects.filter(demo=True).annotate(n=Count("tasks")).values_list("n", flat=True))
    assert len(per_project) > 3  # varied, not 12 or 13 each
    # Beyond the nine named milestones, later stages repeat the list.
    assert Task.objects.filter(title__endswith="(stage 2)").exists()
    assert set(Task.objects.values_list("status", flat=True)) == set(Task.Status.values)


def test_task_counts_add_up_and_never_go_negative():
    for projects, tasks in ((1, 0), (7, 3), (10_000, 100_000), (333, 1000)):
        counts = task_counts(projects, tasks)
        assert len(counts) == projects and sum(counts) == tasks and min(counts) >= 0


def test_seed_refuses_a_silly_task_count():
    with pytest.raises(CommandError, match="--tasks"):
        call_command("seed", "--demo", "--projects", "10", "--tasks", "-1")
    with pytest.raises(CommandError, match="--tasks"):
        call_command("seed", "--demo", "--projects", "10", "--tasks", "1001")
