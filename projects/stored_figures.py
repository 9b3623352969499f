"""Per-project figures kept in `ProjectFigures`, refreshed where their inputs change.

Progress, task weights, overdue tasks and the USD equivalent are what every list, facet, total
and report needs; computing them per read costs correlated subqueries over every task of every
project. They are computed here with the same queryset expressions a past date uses
(`ProjectQuerySet.computed_figures`), so the stored and the computed figures cannot disagree by
definition, only by staleness, which `recompute_figures --check` would show.
"""

from django.db import transaction
from django.utils import timezone

from partnership.caching import bump_on_commit

FIELDS = ("task_weight", "done_weight", "progress", "overdue_tasks", "usd_rate", "investment_usd")
BATCH = 2000


def computed_rows(projects):
    """(pk, figures…) rows computed from the tasks and rates for a queryset of projects, today."""
    from .models import Project

    ids = projects.order_by().values("pk")
    return Project.objects.filter(pk__in=ids).computed_figures().order_by().values_list("pk", *FIELDS)


@transaction.atomic
def refresh(projects):
    """Recompute and store the figures of the given projects (a queryset); returns how many."""
    from .models import ProjectFigures

    today = timezone.localdate()
    count = 0
    batch = []
    for pk, *values in computed_rows(projects).iterator(chunk_size=BATCH):
        batch.append(ProjectFigures(project_id=pk, computed_on=today, **dict(zip(FIELDS, values, strict=True))))
        if len(batch) >= BATCH:
            count += _store(batch)
            batch = []
    if batch:
        count += _store(batch)
    # Upserts send no model signals: tell the page cache that figures changed.
    bump_on_commit()
    return count


def _store(batch):
    from .models import ProjectFigures

    for row in batch:
        row.task_weight = row.task_weight or 0
        row.done_weight = row.done_weight or 0
        row.overdue_tasks = row.overdue_tasks or 0
    ProjectFigures.objects.bulk_create(
        batch,
        update_conflicts=True,
        unique_fields=["project"],
        update_fields=[*FIELDS, "computed_on"],
    )
    return len(batch)


def refresh_project(project_id):
    """Refresh one project's figures (after a write to it or to one of its tasks)."""
    from .models import Project

    if project_id is not None:
        refresh(Project.objects.filter(pk=project_id))


def refresh_currency(currency):
    """Refresh the USD equivalents of every project in a currency (after a rate changes)."""
    from .models import Project

    refresh(Project.objects.filter(investment_currency=currency))


def refresh_all():
    from .models import Project

    return refresh(Project.objects.all())


def stale():
    """Projects whose stored figures differ from the ones computed now (none, when all is well)."""
    from .models import Project

    stored = {
        row[0]: tuple(row[1:])
        for row in Project.objects.order_by().values_list("pk", *(f"figures__{name}" for name in FIELDS))
    }
    differing = []
    for pk, *values in computed_rows(Project.objects.all()).iterator(chunk_size=BATCH):
        expected = tuple(_normal(name, value) for name, value in zip(FIELDS, values, strict=True))
        found = tuple(_normal(name, value) for name, value in zip(FIELDS, stored.get(pk, ()), strict=False))
        if expected != found:
            differing.append(pk)
    return differing


def _normal(name, value):
    if value is None:
        return 0 if name in ("task_weight", "done_weight", "overdue_tasks") else None
    if name == "progress":
        return round(float(value), 6)
    if name in ("usd_rate", "investment_usd"):
        return round(float(value), 6)
    return value
