"""Per-project figures kept in `ProjectFigures`, refreshed where their inputs change.

Progress, task weights, overdue tasks and the USD equivalent are what every list, facet, total
and report needs; computing them per read costs correlated subqueries over every task of every
project. They are computed here with the same queryset expressions a past date uses
(`ProjectQuerySet.computed_figures`), so the stored and the computed figures cannot disagree by
definition, only by staleness, which `recompute_figures --check` would show.
"""

import itertools

from django.db import models, transaction
from django.db.models import Q, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone

from partnership.caching import bump_on_commit

from . import snapshots
from .querysets import TRACK_FIELDS

FIELDS = (
    "task_weight",
    "done_weight",
    "progress",
    "overdue_tasks",
    "usd_rate",
    "investment_usd",
    "budget_usd",
    "committed_usd",
    "disbursed_usd",
    *TRACK_FIELDS,
)
COUNTS = ("task_weight", "done_weight", "overdue_tasks", *TRACK_FIELDS)
MONEY_FIELDS = ("usd_rate", "investment_usd", "budget_usd", "committed_usd", "disbursed_usd")
BATCH = 2000


def computed_rows(projects):
    """(pk, figures…) rows computed from the tasks and rates for a queryset of projects, today."""
    from .models import Project

    ids = projects.order_by().values("pk")
    return Project.objects.filter(pk__in=ids).computed_figures().order_by().values_list("pk", *FIELDS)


@transaction.atomic
def refresh(projects, history=True):
    """Recompute and store the figures of the given projects (a queryset); returns how many.

    With `history` (a write to the projects or their tasks, whose history row django-simple-history
    has just written), their dated snapshots are rebuilt too (projects.snapshots)."""
    from .models import ProjectFigures

    if history:
        snapshots.sync(projects.order_by().values_list("pk", flat=True))
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
    _store_years(projects)
    # Upserts send no model signals: tell the page cache that figures changed.
    bump_on_commit()
    return count


def _store(batch):
    from .models import ProjectFigures

    for row in batch:
        for name in COUNTS:
            setattr(row, name, getattr(row, name) or 0)
    ProjectFigures.objects.bulk_create(
        batch,
        update_conflicts=True,
        unique_fields=["project"],
        update_fields=[*FIELDS, "computed_on"],
    )
    return len(batch)


# --- money per project and year (ProjectMoneyYear) -------------------------------------------------

YEAR_FIELDS = ("budget_usd", "committed_usd", "disbursed_usd")


def computed_years(project_ids):
    """{(project id, year): {budget_usd, committed_usd, disbursed_usd}} of the projects whose ids
    `project_ids` (a subquery) gives: the USD of their budgets in force by the year their period
    starts, and of their published commitments and disbursements by the year of their date. A
    year with a budget or published transaction of any kind has a row; a sum with nothing priced
    is None."""
    from .models import Budget, Transaction

    budgets = (
        Budget.objects.current()
        .filter(project__in=project_ids)
        .annotate(year=ExtractYear("period_start"))
        .order_by()
        .values("project", "year")
        .annotate(budget_usd=Sum("amount_usd"))
    )
    moves = (
        Transaction.objects.public()
        .filter(project__in=project_ids)
        .annotate(year=ExtractYear("date"))
        .order_by()
        .values("project", "year")
        .annotate(
            committed_usd=Sum("amount_usd", filter=Q(kind="commitment")),
            disbursed_usd=Sum("amount_usd", filter=Q(kind="disbursement")),
        )
    )
    years = {}
    for rows in (budgets, moves):
        for row in rows.iterator(chunk_size=BATCH):
            entry = years.setdefault((row["project"], row["year"]), dict.fromkeys(YEAR_FIELDS))
            entry.update({name: value for name, value in row.items() if name in YEAR_FIELDS})
    return years


def _store_years(projects):
    """Replace the ProjectMoneyYear rows of these projects with the computed ones."""
    from .models import ProjectMoneyYear

    ids = projects.order_by().values("pk")
    years = computed_years(ids)
    # One DELETE statement: a plain delete() would load each row and send its signals (the page
    # cache listens to every delete), in statements of 100 rows; `refresh` bumps the cache itself.
    stale = ProjectMoneyYear.objects.filter(project__in=ids)
    stale._raw_delete(stale.db)
    rows = (ProjectMoneyYear(project_id=pk, year=year, **values) for (pk, year), values in years.items())
    while batch := list(itertools.islice(rows, BATCH)):
        # An upsert, so that two writers refreshing one project at once never fail on the unique
        # key; the later may leave a year the earlier removed, as ProjectFigures may be left a
        # write behind: `recompute_figures --check` names such projects and the daily run repairs them.
        ProjectMoneyYear.objects.bulk_create(
            batch, update_conflicts=True, unique_fields=["project", "year"], update_fields=list(YEAR_FIELDS)
        )


def stale_years():
    """Projects whose stored money per year differs from the one computed now."""
    from .models import Project, ProjectMoneyYear

    def normal(values):
        return tuple(None if value is None else round(float(value), 2) for value in values)

    expected = {
        key: normal(values[name] for name in YEAR_FIELDS)
        for key, values in computed_years(Project.objects.values("pk")).items()
    }
    stored = {
        (row[0], row[1]): normal(row[2:])
        for row in ProjectMoneyYear.objects.values_list("project", "year", *YEAR_FIELDS).iterator(chunk_size=BATCH)
    }
    return sorted(
        {key[0] for key in expected.keys() ^ stored.keys()}
        | {key[0] for key in expected.keys() & stored.keys() if expected[key] != stored[key]}
    )


def refresh_project(project_id):
    """Refresh one project's figures (after a write to it or to one of its tasks)."""
    from .models import Project

    if project_id is not None:
        refresh(Project.objects.filter(pk=project_id))


def refresh_currency(currency):
    """Refresh the USD equivalents of every project, budget and transaction in a currency (after a
    rate changes), and the money totals of the projects whose budgets or transactions moved."""
    from .models import Budget, Project, Transaction

    budgets, transactions = Budget.objects.filter(currency=currency), Transaction.objects.filter(currency=currency)
    refresh_money_usd(budgets)
    refresh_money_usd(transactions)
    refresh(
        Project.objects.filter(
            Q(investment_currency=currency)
            | Q(pk__in=budgets.values("project"))
            | Q(pk__in=transactions.values("project"))
        ),
        history=False,  # a rate has its own history, read as it is
    )


def refresh_money_usd(rows):
    """Store the USD rate and amount of budget or transaction `rows` (a queryset) from the rate
    table at their value dates: one UPDATE for the rows of real projects (real rates only), one
    for those of demo projects (demo or real rates)."""
    from .querysets import money_usd_values

    # A plain queryset: the model's own update() would refresh the projects' totals again.
    plain = models.QuerySet(rows.model).filter(pk__in=rows.order_by().values("pk"))
    for demo in (False, True):
        plain.filter(project__demo=demo).update(**money_usd_values(demo))


def refresh_money(project_ids):
    """Refresh the USD figures of the budgets and transactions of these projects, then their totals."""
    from .models import Budget, Project, Transaction

    project_ids = [pk for pk in project_ids if pk is not None]
    if not project_ids:
        return
    with transaction.atomic():
        for model in (Budget, Transaction):
            refresh_money_usd(model.objects.filter(project__in=project_ids))
        refresh(Project.objects.filter(pk__in=project_ids))


def refresh_all():
    """Every project's figures (the snapshots are rebuilt by `snapshots.rebuild`, not here)."""
    from .models import Project

    return refresh(Project.objects.all(), history=False)


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
        return 0 if name in COUNTS else None
    if name == "progress":
        return round(float(value), 6)
    if name in MONEY_FIELDS:
        return round(float(value), 6)
    return value


# --- indicators: the latest published actual, which `IndicatorQuerySet.with_status` reads ----------


def refresh_indicators(indicator_ids=None, projects=(), counts=True):
    """Store the latest published actual of these indicators (every one when None) in one UPDATE,
    then the counts per track of their projects (and of `projects`, ids: a result moved away);
    returns how many indicators. Called in the transaction of every write to indicators and their
    values. With None, or without `counts`, the projects are left to `refresh_all` (which
    `recompute_figures` and the demo loader run next).
    """
    from .asof import forget_tracks
    from .models import Indicator

    forget_tracks()  # the tracks of a kept past day read the indicators and their values
    # A plain queryset: IndicatorQuerySet.update would refresh the projects once more.
    indicators = models.QuerySet(Indicator)
    if indicator_ids is None:
        count = indicators.update(**Indicator.objects.latest_actual())
    else:
        indicator_ids = sorted({pk for pk in indicator_ids if pk is not None})
        count, owners = 0, set(projects)
        for start in range(0, len(indicator_ids), BATCH):  # within SQLite's limit of query parameters
            batch = indicators.filter(pk__in=indicator_ids[start : start + BATCH])
            count += batch.update(**Indicator.objects.latest_actual())
            owners.update(batch.values_list("result__project", flat=True))
        if counts:
            refresh_indicator_counts(owners)
        if not count:
            return 0
    # A queryset update sends no model signals: tell the page cache that figures changed.
    bump_on_commit()
    return count


def refresh_indicator_counts(project_ids):
    """Refresh the figures, counts per track among them, of these projects (ids; None ignored)."""
    from .asof import forget_tracks
    from .models import Project

    project_ids = {pk for pk in project_ids if pk is not None}
    if project_ids:
        forget_tracks()  # a result moved or deleted moves or drops its indicators' tracks
        refresh(Project.objects.filter(pk__in=project_ids), history=False)


def stale_indicators():
    """Indicators whose stored latest actual differs from the one computed now (none, when all is well)."""
    from .models import Indicator

    differing = Indicator.objects.computed_latest().filter(stored_fresh=False)
    return list(differing.order_by("pk").values_list("pk", flat=True))
