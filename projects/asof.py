"""The portfolio as it stood at the end of a past day, read from the change history.

`projects_on(day)` gives one row per project that was published when `day` ended, holding the
status, confidence, amounts, working group and dates of its last history row then, priced with
the exchange rates recorded by then and with its tasks' figures then (AsOfProjectState, a narrow
temporary table filled once per request by `materialize`; its sectors then beside it). The rows
come as a `ProjectStateQuerySet`, a `ProjectQuerySet`, so the report, the API summary and the
breakdowns add them up with the same methods, and the same rules, as today's projects. Today's
figures keep their fast path (the stored ones); this module is only for a past day.

Not read from history: progress updates (a project is "without a recent update" on a past day
from the updates published now and reported by then), places (the by-country breakdown uses
the projects' places as recorded now), participants' shares, money and directives.
"""

import datetime

from django.db import IntegrityError, connections, models, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from partnership.after_response import after_response
from partnership.filters import DemoFilter
from partnership.models import Sector

from .changes import day_start, state_at
from .models import (
    AsOfIndicatorTrack,
    AsOfProjectHistory,
    AsOfProjectSector,
    AsOfProjectState,
    AsOfProjectTracks,
    AsOfRate,
    AsOfTaskFigures,
    ExchangeRate,
    KeptDay,
    KeptGeneration,
    KeptProjectSector,
    KeptProjectState,
    KeptProjectTracks,
    Project,
    ProjectLocation,
    ProjectSnapshot,
    Task,
    TaskSnapshot,
)
from .querysets import (
    PUBLISHED,
    TRACK_FIELDS,
    ProjectQuerySet,
    demo_parts,
    done_task_q,
    overdue_task_q,
    progress_of,
    schedule_of,
)


def is_past(day):
    """Whether `day` asks for history (a past day) rather than today's stored figures."""
    return day is not None and day < timezone.localdate()


def day_end(day):
    """The first instant after `day`: a state "on" a day is the one its last change left."""
    return day_start(day + datetime.timedelta(days=1))


class ProjectStateQuerySet(ProjectQuerySet):
    """Each project's state at the end of `day` (AsOfProjectState rows, filled by `materialize`):
    priced and with its task figures then, so the figures methods only read columns."""

    key = "id"
    GROUPS = {**ProjectQuerySet.GROUPS, "sectors": "sector_rows__sector", "country": None}
    day = None

    overdue_rows = None  # the history ids of the tasks overdue then (`materialize` returns them)
    # (state, tracks) generations of the kept days noted before the history was read, when the rows
    # are the whole portfolio's on a past day (whose state and tracks are kept); None otherwise.
    kept = None

    def _clone(self):
        clone = super()._clone()
        clone.day, clone.overdue_rows, clone.kept = self.day, self.overdue_rows, self.kept
        return clone

    def with_usd(self):
        """`usd_rate` and `investment_usd` are columns, priced by `materialize` with the rates then."""
        return self

    def with_progress(self, as_of=None):
        """Progress and overdue tasks on the day: columns, from the task figures then."""
        return self

    def computed_progress(self, as_of=None):
        return self

    def with_schedule(self, as_of=None):
        """`elapsed` and `behind_schedule` on the day: columns, worked out by `materialize`."""
        return self

    def usd_rows(self):
        """The rows themselves: each holds the project's US-dollar figure then."""
        return AsOfProjectState.objects.filter(history_id__in=self.order_by().values("history_id")), "id"

    def task_rows(self):
        """The tasks as they were then, of those overdue then (all a past day lists or filters by).
        A subquery, not a temporary table: a report only counts them (from the task figures)."""
        return Task.history.filter(history_id__in=self.overdue_rows)

    def tasks(self):
        return super().tasks().select_related("project", "responsible_organisation")

    def with_sector(self, sector):
        """The rows whose project was in `sector` then."""
        return self.chosen_then(sector=[sector])

    def chosen_then(self, working_group=None, sector=None, status=None, confidence=None, demo=None):
        """The rows whose project was, then, in one of the working groups, in one of the sectors,
        and of one of the statuses and confidences given (each a list; empty or None: any), and real
        or demo data (`demo`: "real", "demo", or empty for both)."""
        rows = DemoFilter().filter(self, demo)
        if working_group:
            rows = rows.filter(working_group__in=list(working_group))
        if sector:
            rows = rows.filter(Exists(AsOfProjectSector.objects.filter(state=OuterRef("pk"), sector__in=list(sector))))
        if status:
            rows = rows.filter(status__in=status)
        if confidence:
            rows = rows.filter(confidence__in=confidence)
        return rows

    def tracks_by(self, field):
        """ProjectQuerySet.tracks_by on the day: each indicator's track from its values published
        for periods ended by then, grouped by the working group and sectors its project has now
        (results and indicators have no dated state)."""
        from .models import Indicator

        if not getattr(self, "_tracks_filled", False):
            # Worked out once for the report's two groupings: the rule over every indicator, with
            # its values of then, is most of the cost. A kept day's counts are read back instead
            # (they cover the whole portfolio then; this scope is picked below).
            if not (self.kept and restore_tracks(self.day, self.kept)):
                published = AsOfProjectState.objects.filter(publication=PUBLISHED).values("id")
                indicators = Indicator.objects.filter(result__project__in=published).with_status(self.day)
                rows = indicators.annotate(project_id=F("result__project")).order_by()
                # Read whole, once: an index and statistics would not change the plan.
                fill_temporary(AsOfIndicatorTrack, rows.values("id", "project_id", "track"), lookups=False)
                counts = {track: Count("pk", filter=Q(track=track)) for track in TRACK_FIELDS.values()}
                per_project = AsOfIndicatorTrack.objects.order_by().values("project_id").annotate(**counts)
                fill_temporary(AsOfProjectTracks, per_project, lookups=False)
                if self.kept:
                    _after_answer((AsOfProjectTracks,), keep_tracks, self.day, self.kept)
            self._tracks_filled = True
        path = {"working_group": "project__working_group", "sectors": "project__sectors"}[field]
        sums = {track: Sum(track) for track in TRACK_FIELDS.values()}
        rows = AsOfProjectTracks.objects.filter(project__in=self.values("id")).order_by().values(path).annotate(**sums)
        return [{"key": row.pop(path), **row} for row in rows]

    def totals_by(self, field, as_of=None, **measures):
        if field != "country":
            return super().totals_by(field, as_of, **measures)
        return self._totals_by_country(**measures)

    def _totals_by_country(self, **measures):
        """`totals_by("country")`: a project counts once in each country where it has a place
        (its places as recorded now: places have no dated state here). One query per country."""
        queryset = self.with_figures(self.day) if measures else self.with_usd()
        zero = Value(0, output_field=models.DecimalField())
        aggregates = {
            "count": Count("pk"),
            "usd": Coalesce(Sum("investment_usd"), zero),
            "unpriced": Count("pk", filter=Q(investment_amount__isnull=False, investment_usd__isnull=True)),
            **demo_parts(),
            **measures,
        }
        places = ProjectLocation.objects.filter(project=OuterRef("id"))
        countries = (
            ProjectLocation.objects.filter(project__in=self.values("id"))
            .order_by()
            .values_list("country", flat=True)
            .distinct()
        )
        rows = []
        for country in [*countries, None]:
            here = places.filter(country=country) if country is not None else places
            subset = queryset.filter(Exists(here)) if country is not None else queryset.exclude(Exists(here))
            row = subset.order_by().aggregate(**aggregates)
            if row["count"]:
                rows.append({"key": country, **row})
        return sorted(rows, key=lambda row: (-row["usd"], row["key"] is None, row["key"] or 0))


# --- the state of a past day, computed once per request -------------------------------------------
# Reading "each record's last history row before the day ended" inside every query of a report
# cost seconds per query at 10,000 projects and 200,000 task history rows. `materialize` reads it
# once into temporary tables of the database session (the unmanaged AsOf* models): each project's
# state then, narrow, priced and with its task figures (AsOfProjectState), its sectors then, and
# the tasks overdue then. Every query of the request reads those alone, so no query prices, counts
# tasks or scans the wide history tables again. Temporary tables are private to the connection
# and rebuilt by each call, so they never hold another request's day or a state older than the
# history.

# The columns of AsOfProjectState read from each project's history row.
STATE_COLUMNS = (
    "history_id",
    "id",
    "publication",
    "demo",
    "status",
    "confidence",
    "working_group",
    "investment_amount",
    "investment_currency",
    "jobs_planned",
    "jobs_created",
    "planned_start",
    "planned_end",
    "planned_start_precision",
    "planned_end_precision",
    "code",
)
TASK_FIGURES = ("task_weight", "done_weight", "overdue_tasks")
# The columns whose statistics the planner needs (the keys, filters and groupings): analysing all
# of a state's columns took 55 ms at 10,000 projects, these 12 ms.
STATISTICS = {AsOfProjectState: ("history_id", "id", "publication", "demo", "status", "working_group")}


# What `materialize` fills, in this order (each reads the ones before).
TEMP_TABLES = (AsOfRate, AsOfTaskFigures, AsOfProjectState, AsOfProjectSector)


# What a kept day holds, per temporary table (the rates and task figures only price and count the
# state, so a kept state needs neither).
KEPT = {AsOfProjectState: KeptProjectState, AsOfProjectSector: KeptProjectSector}


def materialize(day, projects=None, from_history=False):
    """Fill the temporary tables with the state at the end of `day` (of `projects` only, if given):
    per project its task weight, weight done and count overdue on that day (cancelled tasks out);
    each project's state then, priced with the rates recorded by then and with those figures; and
    its sectors then. Returns the history ids of the tasks overdue then (a subquery, for
    `ProjectStateQuerySet.task_rows`), and the generations of the kept days noted before (None
    unless it read the whole portfolio on a past day).

    The rows come from the dated snapshots (projects.snapshots), or with `from_history` from the
    change history itself (slow: for the tests that show both agree). The whole portfolio's state
    of a day is kept once computed (`keep`), and the next request for that day reads it back."""
    connection = connections[Project.history.db]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # JIT compiling the reports' many-expression aggregates cost seconds per query here,
            # more than it saved: off for this session.
            cursor.execute("SET jit = off")
    project_rows, task_rows = (_history_rows if from_history else _snapshot_rows)(day, projects)
    overdue = task_rows.filter(overdue_task_q(day)).values("history_id")
    kept = noted(day) if projects is None and not from_history and is_past(day) else None
    if kept and kept[2] and restore(day, kept):
        return overdue, kept[:2]
    figures = (
        task_rows.exclude(status=Task.Status.CANCELLED)
        .order_by()
        .values("project_id")
        .annotate(
            task_weight=Coalesce(Sum("weight"), 0),
            done_weight=Coalesce(Sum("weight", filter=done_task_q(day)), 0),
            overdue_tasks=Count("history_id", filter=overdue_task_q(day)),
        )
        .values_list("project_id", *TASK_FIGURES)
    )
    # The history rows priced as today's projects are priced, with their task figures joined.
    # Progress, elapsed time and behind schedule on the day are worked out here once, not in every
    # query that counts or lists by them.
    elapsed, behind = schedule_of(day)
    states = (
        AsOfProjectHistory.objects.filter(history_id__in=project_rows)
        .computed_usd(AsOfRate.objects.all())
        .annotate(**{name: Coalesce(F(f"figures__{name}"), 0) for name in TASK_FIGURES})
        .annotate(progress=progress_of())
        .annotate(elapsed=elapsed)
        .annotate(behind_schedule=behind)
    )
    sector_history = Project.history.model._meta.get_field("historicalproject_sectors").related_model
    sources = {
        AsOfRate: state_at(ExchangeRate.history.all(), day_end(day)).values(
            "history_id", "currency", "date", "units_per_usd", "demo"
        ),
        AsOfTaskFigures: figures,
        AsOfProjectState: states.order_by().values(
            *STATE_COLUMNS, "usd_rate", "investment_usd", *TASK_FIGURES, "progress", "elapsed", "behind_schedule"
        ),
        AsOfProjectSector: sector_history.objects.filter(
            history__in=AsOfProjectState.objects.values("history_id")
        ).values("m2m_history_id", "history", "sector"),
    }
    for model in TEMP_TABLES:
        # The task figures are only joined whole, once, into the state: no key index, no statistics.
        fill_temporary(model, sources[model], STATISTICS.get(model), lookups=model is not AsOfTaskFigures)
    if kept:
        # Copying the day into the kept tables (about 60 ms at 10,000 projects) waits until the
        # answer is out; the temporary tables stay until the connection closes, after that.
        _after_answer(tuple(KEPT), keep, day, kept[:2])
    return overdue, kept and kept[:2]


# --- kept days --------------------------------------------------------------------------------------
# A past day's state changes only when the history of that day is rewritten: a write adds history
# rows dated now, which no past day reads. So the whole portfolio's state of a day, once computed,
# is kept (KeptDay and its rows) and read back by the next request for that day, whatever the
# report, scope, language or export. `forget_from` drops the days a rewrite reaches (called by
# projects.snapshots.sync, which sees every rewrite, and by the demo loader, which dates rate
# history in the past); the daily `recompute_figures` drops them all. Every forget bumps
# KeptGeneration in its transaction; a request notes the generations before it reads the history,
# keeps nothing if they changed by the time it writes (it locks the row to compare), and uses a
# kept day only if they did not change while it copied it.

# At most this many days are kept at once (about 3 MB each at 10,000 projects); beyond, a day is
# computed for each request until the daily run forgets them all.
KEPT_DAYS = 60


def _generation():
    return KeptGeneration.objects.filter(pk=1)


def noted(day):
    """(state generation, tracks generation, whether `day` is kept in that state generation)."""
    kept = Exists(KeptDay.objects.filter(day=day, generation=OuterRef("state")))
    row = _generation().annotate(kept=kept).values_list("state", "tracks", "kept").first()
    return row or (0, 0, False)


def _columns(model):
    connection = connections[model.objects.db]
    return ", ".join(connection.ops.quote_name(field.column) for field in model._meta.concrete_fields)


def restore(day, kept):
    """Fill the temporary state tables from the kept state of `day`, noted kept in the generations
    `kept`; False if they changed while it copied (a forget: compute it afresh)."""
    for model, table in KEPT.items():
        ops = connections[table.objects.db].ops
        sql = f"SELECT {_columns(model)} FROM {ops.quote_name(table._meta.db_table)} WHERE day = %s"
        fill_temporary(model, (sql, [ops.adapt_datefield_value(day)]), STATISTICS.get(model))
    return _generation().values_list("state", flat=True).first() == kept[0]


def keep(day, kept):
    """Keep the state of `day` now in the temporary tables, computed in the generations `kept`."""
    _keep(day, kept, KEPT, mark=True)


def _keep(day, kept, tables, mark=False):
    """Copy each temporary table of `tables` into its kept model with `day` (and, for the tracks,
    their generation), in one transaction that first locks the generations and finds them still
    `kept`; with `mark`, the day is marked kept first (if fewer than KEPT_DAYS are), otherwise it
    must be kept already. Nothing if another request kept them first."""
    connection = connections[KeptDay.objects.db]
    quote = connection.ops.quote_name
    try:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            is_kept = Exists(KeptDay.objects.filter(day=day, generation=kept[0]))
            now = _generation().select_for_update().annotate(kept=is_kept).values_list("state", "tracks", "kept")
            now = now.first()
            if now is None:  # a database emptied without its migrations' row (a flushed test database)
                KeptGeneration.objects.get_or_create(pk=1)
                now = (0, 0, False)
            if now[:2] != tuple(kept):
                return  # forgotten since the history was read: what was computed may be stale
            if mark:
                if KeptDay.objects.count() >= KEPT_DAYS:
                    return
                # bulk_create sends no signal: keeping a day changes no page.
                KeptDay.objects.bulk_create([KeptDay(day=day, generation=kept[0], kept_at=timezone.now())])
            elif not now[2]:
                return
            for model, table in tables.items():
                columns = _columns(model)
                stamp, values = ("generation, ", [kept[1]]) if table is KeptProjectTracks else ("", [])
                cursor.execute(
                    f"INSERT INTO {quote(table._meta.db_table)} (day, {stamp}{columns}) "
                    f"SELECT %s, {'%s, ' * len(values)}{columns} FROM {quote(model._meta.db_table)}",
                    [connection.ops.adapt_datefield_value(day), *values],
                )
    except IntegrityError:
        pass


def restore_tracks(day, kept):
    """Fill the temporary tracks table from the tracks of `day` kept in the tracks generation of
    `kept`; False if none are (one statement: it reads all of them or none)."""
    rows = KeptProjectTracks.objects.filter(day=day, generation=kept[1])
    fill_temporary(AsOfProjectTracks, rows.values("project_id", *TRACK_FIELDS.values()), lookups=False)
    return AsOfProjectTracks.objects.exists()


def keep_tracks(day, kept):
    """Keep the indicators' tracks of `day` now in the temporary table, if the day is kept."""
    _keep(day, kept, {AsOfProjectTracks: KeptProjectTracks})


def _bump(state):
    """Count a forget of the kept tracks (and with `state`, of the kept days too), in this
    transaction: one UPDATE (its row stays locked until the transaction ends)."""
    changes = {"tracks": F("tracks") + 1, **({"state": F("state") + 1} if state else {})}
    if not _generation().update(**changes):
        KeptGeneration.objects.get_or_create(pk=1, defaults={"state": 1, "tracks": 1})


def forget_tracks():
    """Make every kept day's tracks stale: called with every write to indicators, their values or
    results (stored_figures.refresh_indicators and refresh_indicator_counts), which the tracks
    read. Their rows go with the daily run."""
    _bump(state=False)


# The daily run keeps these ahead, latest first: the commission's meeting days, then the last day of
# each of the last KEEP_AHEAD_MONTHS months (the days a briefing most often asks as of), at most
# half of KEPT_DAYS in all, so that readers' own days still find room.
KEEP_AHEAD_MONTHS = 24


def days_to_keep_ahead(meeting_days):
    """The past days worth keeping before anyone asks for them, most wanted first: the meeting days
    (latest first), then the month ends (latest first); none before the history begins."""
    today, start = timezone.localdate(), history_starts()
    if start is None:
        return []
    month_ends = []
    end = today.replace(day=1) - datetime.timedelta(days=1)
    while len(month_ends) < KEEP_AHEAD_MONTHS and end >= start:
        month_ends.append(end)
        end = end.replace(day=1) - datetime.timedelta(days=1)
    meetings = sorted((day for day in set(meeting_days) if start <= day < today), reverse=True)
    return list(dict.fromkeys([*meetings, *month_ends]))[: KEPT_DAYS // 2]


def keep_ahead(days):
    """Compute and keep the state and tracks of each past day of `days` not kept yet, in that order,
    as their first reader would; returns how many were kept."""
    count = 0
    for day in days:
        if is_past(day) and not noted(day)[2]:
            projects_on(day).tracks_by("working_group")
            count += noted(day)[2]
    return count


def forget_from(day=None):
    """Drop the kept days from `day` on (all of them without a day), with their tracks, in one
    transaction; returns how many. No signal: a kept day is no page's content."""
    with transaction.atomic(using=KeptDay.objects.db):
        _bump(state=True)
        days = KeptDay.objects.all() if day is None else KeptDay.objects.filter(day__gte=day)
        count = days.count()
        for model in (KeptDay, *KEPT.values(), KeptProjectTracks):
            rows = model.objects.all() if day is None else model.objects.filter(day__gte=day)
            rows._raw_delete(rows.db)
    return count


def _fills(connection):
    """How many times this connection filled each temporary table (by model)."""
    return connection.__dict__.setdefault("asof_fills", {})


def _after_answer(models, work, *args):
    """Run `work(*args)`, which copies the temporary tables of `models`, once the answer is sent,
    unless this connection fills any of them again before (they would no longer hold what it keeps)."""
    fills = _fills(connections[KeptDay.objects.db])
    stamps = {model: fills.get(model) for model in models}

    def run():
        if all(fills.get(model) == stamp for model, stamp in stamps.items()):
            work(*args)

    after_response(run)


def fill_temporary(model, rows, statistics=None, lookups=True):
    """(Re)create the temporary table of the unmanaged `model` from the queryset `rows` (its
    `values()` named as the model's columns) or an (sql, params) pair, with a unique index on its
    key and the indexes its Meta names; on PostgreSQL, analysed (only the `statistics` columns,
    when given). Without `lookups`, for a table only ever read whole: no key index and no
    statistics."""
    if isinstance(rows, tuple):
        (sql, params), connection = rows, connections[model.objects.db]
    else:
        sql, params = rows.query.sql_with_params()
        connection = connections[rows.db]
    fills = _fills(connection)
    fills[model] = fills.get(model, 0) + 1
    postgres = connection.vendor == "postgresql"
    table = connection.ops.quote_name(model._meta.db_table)
    key = model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {'' if postgres else 'temp.'}{table}")
        cursor.execute(f"CREATE TEMPORARY TABLE {table} AS {sql}", params)
        if not lookups:
            return
        cursor.execute(
            f"CREATE UNIQUE INDEX {connection.ops.quote_name(model._meta.db_table + '_key')} ON {table} ({key})"
        )
        for index in model._meta.indexes:
            columns = ", ".join(connection.ops.quote_name(model._meta.get_field(name).column) for name in index.fields)
            cursor.execute(f"CREATE INDEX {connection.ops.quote_name(index.name)} ON {table} ({columns})")
        if postgres:
            # Temporary tables are never analysed by autovacuum: give the planner their size.
            columns = ", ".join(connection.ops.quote_name(name) for name in statistics or ())
            cursor.execute(f"ANALYZE {table} ({columns})" if columns else f"ANALYZE {table}")


def _snapshot_rows(day, projects):
    """The day's project history rows and task states, from the dated snapshots: a range lookup."""
    project_rows, task_rows = ProjectSnapshot.objects.on(day), TaskSnapshot.objects.on(day)
    if projects is not None:
        project_rows = project_rows.filter(project_id__in=projects.values("pk"))
        task_rows = task_rows.filter(project_id__in=projects.values("pk"))
    return project_rows.values("history_id"), task_rows


def _history_rows(day, projects):
    """The same rows read from the change history: each record's last row before the day ended."""
    moment = day_end(day)
    project_history, task_history = Project.history.all(), Task.history.all()
    if projects is not None:
        project_history = project_history.filter(id__in=projects.values("pk"))
        task_history = task_history.filter(project__in=projects.values("pk"))
    return state_at(project_history, moment).values("history_id"), state_at(task_history, moment)


def projects_on(day, projects=None, from_history=False):
    """Each project published at the end of `day`, as it was then (a ProjectStateQuerySet).

    `projects` (a Project queryset) limits the rows to those projects, for example to the ones a
    directory filter selects.
    """
    overdue_rows, kept = materialize(day, projects, from_history)
    states = ProjectStateQuerySet(model=AsOfProjectState).filter(publication=PUBLISHED)
    states.day, states.overdue_rows = day, overdue_rows
    states.kept = kept
    return states


def project_on(project, day):
    """One project as it was at the end of `day`, with its figures then; None if not published then."""
    rows = projects_on(day, Project.objects.filter(pk=project.pk))
    return rows.select_related("working_group").with_figures(day).first()


def tasks_on(project, day):
    """A project's tasks as they were at the end of `day`, each marked `is_late` if overdue then."""
    return (
        state_at(Task.history.filter(project=project.pk), day_end(day))
        .annotate(
            is_late=models.Case(
                models.When(overdue_task_q(day), then=Value(True)),
                default=Value(False),
                output_field=models.BooleanField(),
            )
        )
        .select_related("responsible_organisation")
        .order_by("order", "due_date", "id")
    )


def history_starts():
    """The day the first change of a project was recorded, or None: nothing earlier is known."""
    first = Project.history.order_by("history_date").values_list("history_date", flat=True).first()
    return timezone.localtime(first).date() if first else None


def sectors_of(state):
    """The sectors a project had then (a row of `projects_on`, whose sectors `materialize` kept)."""
    ids = AsOfProjectSector.objects.filter(state=state.pk).values("sector")
    return list(Sector.objects.filter(pk__in=ids))
