"""A past day's state: dated snapshots kept on every write, and per-request temporary tables.

ProjectSnapshot and TaskSnapshot are real tables (projects.snapshots keeps them). The AsOf* models
are unmanaged: the migrations create no table; `projects.asof.materialize` creates each as a
TEMPORARY table of the database session, filled from the snapshots (or the change history), before
the request's queries read it.
"""

import datetime

from django.db import models


class AsOfProjectState(models.Model):
    """The history row of each project that was its last when the day ended, with its figures then:
    the USD rate and equivalent (rates as recorded by then) and its tasks' weight, weight done and
    count overdue. Joined to the historical rows (`asof_state`) by every query of the request."""

    history = models.OneToOneField(
        "projects.HistoricalProject",
        primary_key=True,
        db_column="history_id",
        db_constraint=False,
        on_delete=models.DO_NOTHING,
        related_name="asof_state",
    )
    usd_rate = models.DecimalField(max_digits=20, decimal_places=6, null=True)
    investment_usd = models.DecimalField(max_digits=20, decimal_places=2, null=True)
    task_weight = models.IntegerField()
    done_weight = models.IntegerField()
    overdue_tasks = models.IntegerField()

    class Meta:
        managed = False
        db_table = "projects_asof_project_state"

    def __str__(self):
        return str(self.history_id)


class AsOfTaskState(models.Model):
    """The history row of each task overdue when the day ended, as it was then."""

    history_id = models.BigIntegerField(primary_key=True)

    class Meta:
        managed = False
        db_table = "projects_asof_task_state"

    def __str__(self):
        return str(self.history_id)


class AsOfTaskFigures(models.Model):
    """Per project, its tasks then (cancelled ones out): weight, weight done and count overdue."""

    project_id = models.BigIntegerField(primary_key=True)
    task_weight = models.IntegerField()
    done_weight = models.IntegerField()
    overdue_tasks = models.IntegerField()

    class Meta:
        managed = False
        db_table = "projects_asof_task_figures"

    def __str__(self):
        return str(self.project_id)


class AsOfIndicatorTrack(models.Model):
    """Each indicator of the projects reported on a past day, with its track then: filled once per
    report (ProjectStateQuerySet.tracks_by) and grouped by working group and by sector."""

    id = models.BigIntegerField(primary_key=True)
    project = models.ForeignKey("projects.Project", db_constraint=False, on_delete=models.DO_NOTHING, related_name="+")
    track = models.CharField(max_length=10)

    class Meta:
        managed = False
        db_table = "projects_asof_indicator_track"

    def __str__(self):
        return f"{self.id} {self.track}"


# --- dated snapshots, kept on every write (see projects.snapshots) ---------------------------------

FOREVER = datetime.date.max  # valid_until of a state that still holds


class SnapshotQuerySet(models.QuerySet):
    def on(self, day):
        """The snapshots that held at the end of `day`: one per record that existed then."""
        return self.filter(valid_from__lte=day, valid_until__gt=day)


class ProjectSnapshot(models.Model):
    """A project's state for a run of days: the history row that was its last at the end of each
    day from `valid_from` up to (not including) `valid_until`. One per project and day of change."""

    history_id = models.BigIntegerField(primary_key=True)
    project_id = models.BigIntegerField(db_index=True)
    valid_from = models.DateField()
    valid_until = models.DateField()

    objects = SnapshotQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["valid_until", "valid_from"], name="project_snapshot_days")]

    def __str__(self):
        return f"{self.project_id} {self.valid_from}–{self.valid_until}"


class TaskSnapshot(models.Model):
    """A task's state for a run of days (as ProjectSnapshot), with what a day's figures read of it."""

    history_id = models.BigIntegerField(primary_key=True)
    task_id = models.BigIntegerField(db_index=True)
    project_id = models.BigIntegerField(null=True, db_index=True)
    weight = models.IntegerField()
    status = models.CharField(max_length=20)
    completed_date = models.DateField(null=True)
    due_date = models.DateField(null=True)
    valid_from = models.DateField()
    valid_until = models.DateField()

    objects = SnapshotQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["valid_until", "valid_from"], name="task_snapshot_days")]

    def __str__(self):
        return f"{self.task_id} {self.valid_from}–{self.valid_until}"
