"""Dated snapshots of projects and tasks: the change history as runs of days, kept on every write.

A past day's state is each record's last history row saved before that day ended. Finding those
rows means sorting the whole history on every request (seconds at 10,000 projects and 200,000 task
history rows), so the history is also kept as snapshots: one row per record and day of change,
naming the history row that held from the end of `valid_from` to the end of the day before
`valid_until` (FOREVER while it still holds). A day's state is then one indexed range condition
(`ProjectSnapshot.objects.on(day)`).

Snapshots are derived from the history and nothing else, so they can always be rebuilt from it:
- `sync(project_ids)` rebuilds the snapshots of some projects and of every task that ever belonged
  to them; `stored_figures.refresh` calls it in the transaction of every write that refreshes a
  project's figures (a task or project saved or deleted, bulk task updates and deletes), after
  django-simple-history has written that write's history row;
- `sectors_changed` does the same for a change of a project's sectors alone (admin, API or an
  approved pending change all end in the same m2m signal, after the history row it writes);
- `sync_changed_since(moment)` catches up with history written by any other path (a project
  deleted, a raw SQL fix): `recompute_figures` runs it daily;
- `rebuild()` drops and rebuilds them all (`recompute_figures --snapshots`; migration 0014 runs it
  once for the history recorded before snapshots existed).
Days are local days of the default time zone, as `changes.day_start` counts them.
"""

import datetime
import itertools

from django.db import connections, transaction
from django.utils import timezone

FOREVER = datetime.date.max
BATCH = 5000
TASK_FIELDS = ("project_id", "weight", "status", "completed_date", "due_date")


def local_day(moment):
    return timezone.localtime(moment, timezone.get_default_timezone()).date()


def runs(rows):
    """(history_id, record id, day, valid_until, row) for each history row that was a record's
    last at the end of at least one day. `rows` are (history_id, id, history_date, history_type,
    …) ordered by id, history_date, history_id; a deletion ("-") ends a run and starts none."""
    for _record, group in itertools.groupby(rows, key=lambda row: row[1]):
        group = list(group)
        for row, following in itertools.zip_longest(group, group[1:]):
            if row[3] == "-":
                continue
            start = local_day(row[2])
            until = local_day(following[2]) if following else FOREVER
            if start < until:  # a row replaced later the same day never ends a day
                yield row[0], row[1], start, until, row


def _project_snapshots(model, rows):
    for history_id, record, start, until, _row in runs(rows):
        yield model(history_id=history_id, project_id=record, valid_from=start, valid_until=until)


def _task_snapshots(model, rows):
    for history_id, record, start, until, row in runs(rows):
        values = dict(zip(TASK_FIELDS, row[4:], strict=True))
        yield model(history_id=history_id, task_id=record, valid_from=start, valid_until=until, **values)


def _insert(model, snapshots):
    count = 0
    while batch := list(itertools.islice(snapshots, BATCH)):
        model.objects.bulk_create(batch)
        count += len(batch)
    return count


def _project_rows(history):
    return history.order_by("id", "history_date", "history_id").values_list(
        "history_id", "id", "history_date", "history_type"
    )


def _task_rows(history):
    return history.order_by("id", "history_date", "history_id").values_list(
        "history_id", "id", "history_date", "history_type", "project", "weight", "status", "completed_date", "due_date"
    )


def build(project_history, task_history, project_snapshot, task_snapshot):
    """Drop every snapshot and write them again from the history; returns (projects, tasks) rows.

    Takes the models (historical and snapshot) so that a data migration can run it too."""
    with transaction.atomic(using=project_snapshot.objects.db):
        project_snapshot.objects.all().delete()
        task_snapshot.objects.all().delete()
        made = _insert(
            project_snapshot,
            _project_snapshots(project_snapshot, _project_rows(project_history.objects.all()).iterator(BATCH)),
        )
        tasks = _insert(
            task_snapshot, _task_snapshots(task_snapshot, _task_rows(task_history.objects.all()).iterator(BATCH))
        )
    return made, tasks


def rebuild():
    """`build` with the current models: the backfill of `recompute_figures --snapshots`."""
    from .asof import forget_from
    from .models import Project, ProjectSnapshot, Task, TaskSnapshot

    made = build(Project.history.model, Task.history.model, ProjectSnapshot, TaskSnapshot)
    forget_from()  # every past day may have changed
    return made


def sync(project_ids):
    """Rebuild the snapshots of these projects and of every task that ever belonged to one of them,
    from their history as it stands in this transaction."""
    from .models import Project, ProjectSnapshot, Task, TaskSnapshot

    ids = sorted({pk for pk in project_ids if pk is not None})
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        with transaction.atomic():
            # Two writers to one project take turns, so the second reads the first's history row.
            list(Project.objects.select_for_update().filter(pk__in=chunk).order_by("pk").values_list("pk"))
            rewritten = _replace(
                ProjectSnapshot,
                "project_id",
                chunk,
                _project_snapshots(ProjectSnapshot, _project_rows(Project.history.filter(id__in=chunk))),
            )
            task_ids = list(Task.history.filter(project__in=chunk).order_by().values_list("id", flat=True).distinct())
            rewritten += _replace(
                TaskSnapshot,
                "task_id",
                task_ids,
                _task_snapshots(TaskSnapshot, _task_rows(Task.history.filter(id__in=task_ids))),
            )
            # A write adds history dated now, which changes no past day; a rewrite of older history
            # (an import, a fix) does, and the days it reaches are no longer kept.
            if rewritten and min(rewritten) < timezone.localdate():
                from .asof import forget_from

                forget_from(min(rewritten))


def _replace(model, key, ids, snapshots):
    """Replace the snapshots of the records `ids` (by their `key` column) with `snapshots`; returns
    the days from which a day's state differs, one per snapshot that changed (none if none did).
    The old rows come back from the DELETE itself (RETURNING, on SQLite and PostgreSQL alike)."""
    if not ids:
        return []
    connection = connections[model.objects.db]
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {table} WHERE {connection.ops.quote_name(key)} IN ({', '.join(['%s'] * len(ids))}) "
            "RETURNING history_id, valid_from, valid_until",
            list(ids),
        )
        old = {row[0]: (_date(row[1]), _date(row[2])) for row in cursor.fetchall()}
    snapshots = list(snapshots)
    _insert(model, iter(snapshots))
    new = {snapshot.history_id: (snapshot.valid_from, snapshot.valid_until) for snapshot in snapshots}
    return [
        _first_change(old.get(history_id), new.get(history_id))
        for history_id in old.keys() | new.keys()
        if old.get(history_id) != new.get(history_id)
    ]


def _date(value):
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


def _first_change(old, new):
    """The first day a snapshot's run of days (valid_from, valid_until), before and after, differs."""
    if old is None or new is None:
        return (old or new)[0]
    if old[0] != new[0]:
        return min(old[0], new[0])
    return min(old[1], new[1])


def sectors_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """m2m_changed of Project.sectors: django-simple-history has written the project's history row
    for the new sectors (its receiver is connected first, when the model is registered), so
    rebuild the snapshots of the projects concerned."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        sync([instance.pk])
    elif pk_set:
        sync(pk_set)


def connect():
    from django.db.models.signals import m2m_changed

    from .models import Project

    m2m_changed.connect(sectors_changed, sender=Project.sectors.through, dispatch_uid="project-sector-snapshots")


def changed_since(moment):
    """The ids of the projects with a history row (of their own or of a task) saved at or after `moment`."""
    from .models import Project, Task

    projects = Project.history.filter(history_date__gte=moment).values_list("id", flat=True)
    tasks = Task.history.filter(history_date__gte=moment).values_list("project", flat=True)
    return set(projects.distinct()) | set(tasks.distinct())


def sync_changed_since(moment):
    """Sync the projects whose history changed since `moment`; returns how many."""
    ids = changed_since(moment)
    sync(ids)
    return len(ids)


def differing():
    """The ids of the projects whose snapshots (or those of their tasks) differ from the history."""
    from .models import Project, ProjectSnapshot, Task, TaskSnapshot

    def expected(snapshots, key):
        return {(s.history_id, getattr(s, key), s.valid_from, s.valid_until) for s in snapshots}

    def stored(model, key):
        return set(model.objects.values_list("history_id", key, "valid_from", "valid_until"))

    wrong = expected(
        _project_snapshots(ProjectSnapshot, _project_rows(Project.history.all()).iterator(BATCH)), "project_id"
    )
    wrong ^= stored(ProjectSnapshot, "project_id")
    projects = {row[1] for row in wrong}
    task_rows = _task_rows(Task.history.all()).iterator(BATCH)
    expected_tasks = {
        (
            s.history_id,
            s.task_id,
            s.project_id,
            s.weight,
            s.status,
            s.completed_date,
            s.due_date,
            s.valid_from,
            s.valid_until,
        )
        for s in _task_snapshots(TaskSnapshot, task_rows)
    }
    fields = ("history_id", "task_id", "project_id", *TASK_FIELDS[1:], "valid_from", "valid_until")
    wrong_tasks = expected_tasks ^ set(TaskSnapshot.objects.values_list(*fields))
    return projects | {row[2] for row in wrong_tasks}
