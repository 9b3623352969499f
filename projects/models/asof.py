"""A past day's state: dated snapshots kept on every write, and per-request temporary tables.

ProjectSnapshot and TaskSnapshot are real tables (projects.snapshots keeps them). The AsOf* models
are unmanaged: the migrations create no table; `projects.asof.materialize` creates each as a
TEMPORARY table of the database session, filled from the snapshots (or the change history), before
the request's queries read it.
"""

import datetime

from django.db import models

from ..querysets import ProjectQuerySet
from .base import Confidence
from .portfolio import Project


class HistoryColumns(models.Model):
    """The columns of a project's history row that a past day's state copies (the ones the day's
    filters, groupings and sums read): read there through AsOfProjectHistory, held by StateColumns."""

    id = models.BigIntegerField()  # the project's
    publication = models.CharField(max_length=20)
    demo = models.BooleanField()
    status = models.CharField(max_length=20, choices=Project.Status.choices)
    confidence = models.CharField(max_length=20, choices=Confidence.choices)
    investment_amount = models.DecimalField(max_digits=18, decimal_places=2, null=True)
    investment_currency = models.CharField(max_length=3)
    jobs_planned = models.IntegerField(null=True)
    jobs_created = models.IntegerField(null=True)
    planned_start = models.DateField(null=True)
    planned_end = models.DateField(null=True)
    planned_start_precision = models.CharField(max_length=5)
    planned_end_precision = models.CharField(max_length=5)
    code = models.CharField(max_length=30)

    class Meta:
        abstract = True


class StateColumns(HistoryColumns):
    """The columns of a project's state on a past day (AsOfProjectState, KeptProjectState): a narrow
    copy of its history row then, priced with the rates recorded by then and with its tasks'
    figures then."""

    working_group = models.ForeignKey(
        "partnership.WorkingGroup",
        null=True,
        db_column="working_group",  # as `materialize` names it
        db_constraint=False,
        db_index=False,  # read whole, by day
        on_delete=models.DO_NOTHING,
        related_name="+",
    )
    usd_rate = models.DecimalField(max_digits=20, decimal_places=6, null=True)
    investment_usd = models.DecimalField(max_digits=20, decimal_places=2, null=True)
    task_weight = models.IntegerField()
    done_weight = models.IntegerField()
    overdue_tasks = models.IntegerField()
    progress = models.FloatField(null=True)  # 0–100, NULL without tasks
    elapsed = models.FloatField(null=True)  # the share of the planned duration passed then
    behind_schedule = models.BooleanField()

    class Meta:
        abstract = True


class AsOfProjectState(StateColumns):
    """Each project as it stood when the day ended. Every query of a past day's report reads this
    table alone, not the wide history table (titles and texts in four languages), so each sum
    scans a few hundred kilobytes. The full history row is the one of `history_id`."""

    history_id = models.BigIntegerField(primary_key=True)  # the project's history row then
    # The project as it is now (gone if deleted since): for what keeps no dated history, such as
    # its participants and their shares.
    project = models.ForeignObject(
        Project, from_fields=["id"], to_fields=["id"], on_delete=models.DO_NOTHING, related_name="+"
    )

    class Meta:
        managed = False
        db_table = "projects_asof_project_state"

    def __str__(self):
        return f"{self.code} ({self.history_id})"


class AsOfProjectSector(models.Model):
    """The sectors of each project then (the m2m history saved with its history row)."""

    m2m_history_id = models.BigIntegerField(primary_key=True)  # the m2m history row's
    state = models.ForeignKey(
        AsOfProjectState,
        db_column="history",  # as `materialize` names them
        db_constraint=False,
        on_delete=models.DO_NOTHING,
        related_name="sector_rows",
    )
    sector = models.ForeignKey(
        "partnership.Sector", db_column="sector", db_constraint=False, on_delete=models.DO_NOTHING, related_name="+"
    )

    class Meta:
        managed = False
        db_table = "projects_asof_project_sector"

    def __str__(self):
        return f"{self.state_id} {self.sector_id}"


class AsOfRate(models.Model):
    """The exchange rates as recorded when the day ended (each rate's last history row then),
    which price the projects' state then: a few rows, read once per project."""

    history_id = models.BigIntegerField(primary_key=True)
    currency = models.CharField(max_length=3)
    date = models.DateField()
    units_per_usd = models.DecimalField(max_digits=20, decimal_places=6)
    demo = models.BooleanField()

    class Meta:
        managed = False
        db_table = "projects_asof_rate"
        indexes = [models.Index(fields=["currency", "date"], name="asof_rate_lookup")]

    def __str__(self):
        return f"{self.currency} {self.date}"


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


class AsOfProjectHistory(HistoryColumns):
    """A narrow view of the project history table (simple-history's HistoricalProject), read when a
    past day's state is built: the columns the state copies and prices, and `figures`, the project's
    task figures then, which the history model has no relation to. One LEFT JOIN instead of a
    subquery per figure and per project. Nothing writes through it."""

    history_id = models.BigIntegerField(primary_key=True)
    working_group = models.BigIntegerField(null=True, db_column="working_group_id")
    rate_date = models.DateField(null=True)
    figures = models.ForeignObject(
        AsOfTaskFigures,
        from_fields=["id"],
        to_fields=["project_id"],
        null=True,  # a project without tasks then has no row: LEFT JOIN
        on_delete=models.DO_NOTHING,
        related_name="+",
    )

    objects = ProjectQuerySet.as_manager()

    class Meta:
        managed = False
        db_table = "projects_historicalproject"

    def __str__(self):
        return f"{self.code} ({self.history_id})"


class AsOfIndicatorTrack(models.Model):
    """Each indicator of the projects published on a past day, with its track then: worked out
    once per request (ProjectStateQuerySet.tracks_by), then counted per project (AsOfProjectTracks)."""

    id = models.BigIntegerField(primary_key=True)
    project = models.ForeignKey("projects.Project", db_constraint=False, on_delete=models.DO_NOTHING, related_name="+")
    track = models.CharField(max_length=10)

    class Meta:
        managed = False
        db_table = "projects_asof_indicator_track"

    def __str__(self):
        return f"{self.id} {self.track}"


class TrackCounts(models.Model):
    """How many of a project's indicators were on track, off track and without data on a past day."""

    on_track = models.IntegerField()
    off_track = models.IntegerField()
    no_data = models.IntegerField()

    class Meta:
        abstract = True


class AsOfProjectTracks(TrackCounts):
    """AsOfIndicatorTrack counted per project: what the groupings by working group and sector add up."""

    project = models.OneToOneField(
        "projects.Project", primary_key=True, db_constraint=False, on_delete=models.DO_NOTHING, related_name="+"
    )

    class Meta:
        managed = False
        db_table = "projects_asof_project_tracks"

    def __str__(self):
        return str(self.project_id)


# --- a past day's state, kept once computed (projects.asof.keep) ----------------------------------


class KeptGeneration(models.Model):
    """One row: how many times the kept days (`state`) and the kept tracks (`tracks`, also bumped
    with `state`) have been forgotten. A request notes them before it reads the history, and keeps
    what it computed only if they are the same when it writes (projects.asof), so that a forget
    committed meanwhile never lets a stale day in."""

    state = models.BigIntegerField(default=0)
    tracks = models.BigIntegerField(default=0)

    def __str__(self):
        return f"{self.state}/{self.tracks}"


class KeptDay(models.Model):
    """A past day whose state (KeptProjectState, KeptProjectSector) is kept: computed by its first
    reader, read by the next ones, forgotten when a rewrite of the history reaches it
    (projects.snapshots.sync) and by the daily `recompute_figures`. On PostgreSQL the kept tables
    are UNLOGGED (migration 0021): a cache of the history, they skip the write-ahead log, and a
    crash empties them all together (the next reader computes the day again)."""

    day = models.DateField(primary_key=True)
    generation = models.BigIntegerField()  # KeptGeneration.state when it was kept
    kept_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return str(self.day)


class KeptProjectState(StateColumns):
    """AsOfProjectState's rows of a kept day."""

    pk = models.CompositePrimaryKey("day", "history_id")
    day = models.DateField()
    history_id = models.BigIntegerField()

    def __str__(self):
        return f"{self.day} {self.code}"


class KeptProjectSector(models.Model):
    """AsOfProjectSector's rows of a kept day."""

    pk = models.CompositePrimaryKey("day", "m2m_history_id")
    day = models.DateField()
    m2m_history_id = models.BigIntegerField()
    history = models.BigIntegerField()
    sector = models.BigIntegerField()

    def __str__(self):
        return f"{self.day} {self.history} {self.sector}"


class KeptProjectTracks(TrackCounts):
    """AsOfProjectTracks' rows of a kept day (every project published then with an indicator), as
    of a generation of the tracks: a write to indicators, their values or results bumps it
    (projects.asof.forget_tracks), and rows of an older one are never read again."""

    pk = models.CompositePrimaryKey("day", "generation", "project_id")
    day = models.DateField()
    generation = models.BigIntegerField()  # KeptGeneration.tracks when they were kept
    project_id = models.BigIntegerField()

    def __str__(self):
        return f"{self.day} {self.project_id}"


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
