"""Reusable filters and database-computed figures for the portfolio.

Every figure shown in a page, a report or the API (progress, overdue tasks, behind schedule, USD
equivalents and totals) is computed here by the database, never by Python loops over rows.
"""

import datetime

from django.conf import settings
from django.db import models, transaction
from django.db.models import Count, F, Min, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Cast, Coalesce, Greatest, Least, NullIf, Round
from django.db.models.lookups import Exact, GreaterThanOrEqual, IsNull
from django.utils import timezone

PUBLISHED = "published"
USD = "USD"


class DaysBetween(models.Func):
    """Whole days from the first date to the second, on SQLite and PostgreSQL alike."""

    output_field = models.FloatField()
    arity = 2

    def as_sql(self, compiler, connection, **extra):
        start, end = (compiler.compile(e) for e in self.get_source_expressions())
        return f"CAST(({end[0]} - {start[0]}) AS DOUBLE PRECISION)", [*end[1], *start[1]]

    def as_sqlite(self, compiler, connection, **extra):
        start, end = (compiler.compile(e) for e in self.get_source_expressions())
        return f"(julianday({end[0]}) - julianday({start[0]}))", [*end[1], *start[1]]


class Divide(models.Func):
    """The first expression divided by the second, never as integers.

    SQLite keeps whole-valued decimals as integers and would divide them as integers, dropping
    the cents (27,000,000,000 / 520); PostgreSQL's numeric division is exact.
    """

    arity = 2
    arg_joiner = " / "
    template = "(%(expressions)s)"

    def as_sqlite(self, compiler, connection, **extra):
        numerator, denominator = (compiler.compile(e) for e in self.get_source_expressions())
        return f"(CAST({numerator[0]} AS REAL) / {denominator[0]})", [*numerator[1], *denominator[1]]


def _today(on):
    return on or timezone.localdate()


# --- derived rules: each written once, as a condition on Task rows for a given day -----------------


def done_task_q(on=None):
    """Done on `on` (today by default): marked done, and completed on or before that day."""
    from .models import Task

    return Q(status=Task.Status.DONE, completed_date__lte=_today(on))


def overdue_task_q(on=None):
    """Overdue on `on` (today by default): due before that day, not cancelled and not done by then."""
    from .models import Task

    day = _today(on)
    return (
        Q(due_date__lt=day)
        & ~Q(status=Task.Status.CANCELLED)
        & (~Q(status=Task.Status.DONE) | Q(completed_date__gt=day))
    )


def progress_of(done="done_weight", weight="task_weight"):
    """Progress, 0–100: the share of the task weight done (NULL without tasks), from two columns
    or annotations."""
    return models.ExpressionWrapper(100.0 * F(done) / NullIf(F(weight), 0), output_field=models.FloatField())


def _sum_subquery(queryset, field):
    """A scalar subquery summing `field` over `queryset` (already filtered by OuterRef)."""
    return Subquery(
        queryset.order_by().values("project").annotate(total=Sum(field)).values("total")[:1],
        output_field=models.IntegerField(),
    )


def _count_subquery(queryset):
    return Coalesce(
        Subquery(
            queryset.order_by().values("project").annotate(n=Count("pk")).values("n")[:1],
            output_field=models.IntegerField(),
        ),
        0,
    )


def rates_for_q(demo):
    """The rates a project may use: a real project (demo False) only real rates, a demo project
    demo or real ones. `demo` is the project's flag, a bool or an expression such as OuterRef."""
    return Q(demo=False) | Q(demo=demo)


def usd_rate_subquery(currency_ref="investment_currency", date_ref="rate_date", demo_ref="demo", rates=None):
    """Units of the currency per US dollar on the rate date (the latest rate when no date), among
    the rates the project may use (`rates_for_q`): of the rate table, or of `rates` (the rates
    recorded by a past day, read from their history)."""
    from .models import ExchangeRate

    rates = (
        (ExchangeRate.objects.all() if rates is None else rates)
        .filter(
            rates_for_q(OuterRef(demo_ref)),
            currency=OuterRef(currency_ref),
            date__lte=Coalesce(OuterRef(date_ref), Value(datetime.date.max)),
        )
        .order_by("-date")
    )
    return Subquery(rates.values("units_per_usd")[:1], output_field=models.DecimalField())


def schedule_of(as_of=None):
    """The expressions of `elapsed` (the share of the planned duration passed on `as_of`, 0–100;
    NULL without both planned dates) and `behind_schedule` (an active project whose elapsed share
    passes its `progress` by more than the margin), which reads `elapsed` and `progress` as the
    query annotates them."""
    from .models import Project

    day = Value(_today(as_of), output_field=models.DateField())
    duration = NullIf(DaysBetween(F("planned_start"), F("planned_end")), 0)
    share = models.ExpressionWrapper(
        Least(Greatest(100.0 * DaysBetween(F("planned_start"), day) / duration, Value(0.0)), Value(100.0)),
        output_field=models.FloatField(),
    )
    margin = Coalesce(F("progress"), Value(0.0)) + settings.BEHIND_SCHEDULE_MARGIN
    behind = models.Case(
        models.When(
            Q(status__in=Project.ACTIVE_STATUSES) & Q(elapsed__isnull=False) & Q(elapsed__gt=margin),
            then=Value(True),
        ),
        default=Value(False),
        output_field=models.BooleanField(),
    )
    return share, behind


class ProjectQuerySet(models.QuerySet):
    # The field that names the project in a row: the primary key here; `id` in the historical rows
    # of projects.asof, whose primary key is the history row's.
    key = "pk"
    # What `totals_by` groups on, per dimension.
    GROUPS = {
        "status": "status",
        "confidence": "confidence",
        "working_group": "working_group",
        "sectors": "sectors",
        "country": "locations__country",
    }

    def published(self):
        return self.filter(publication=PUBLISHED)

    def usd_rows(self):
        """(rows, key): one row per project of this set holding its US-dollar figure
        (`investment_usd`) and its `project`, and the field naming the project in a row. Today's
        stored figures here; a past day's state then in projects.asof."""
        from .models import ProjectFigures

        return ProjectFigures.objects.filter(project_id__in=self.order_by().values("pk")), "project_id"

    def visible_to(self, user):
        """Published projects, plus the unpublished ones this user may change (to preview them)."""
        if user.is_authenticated and user.is_staff and user.has_perm("projects.change_project"):
            from partnership.permissions import scoped

            editable = scoped(user, self.model.objects.all()).values("pk")
            return self.filter(Q(publication=PUBLISHED) | Q(pk__in=editable))
        return self.published()

    def with_usd(self):
        """Annotate `usd_rate` and `investment_usd` (stored per project); NULL when no rate is known."""
        return self.annotate(usd_rate=F("figures__usd_rate"), investment_usd=F("figures__investment_usd"))

    def computed_usd(self, rates=None):
        """`usd_rate` and `investment_usd` computed from the rate table (or `rates`, those recorded
        by a past day): what `with_usd` stores."""
        rate = usd_rate_subquery(rates=rates)
        money = models.DecimalField(max_digits=20, decimal_places=2)
        return self.annotate(
            usd_rate=models.Case(
                models.When(investment_currency=USD, then=Value(1, output_field=models.DecimalField())),
                default=rate,
                output_field=models.DecimalField(max_digits=20, decimal_places=6),
            ),
            investment_usd=models.Case(
                models.When(investment_amount__isnull=True, then=Value(None, output_field=money)),
                models.When(investment_currency=USD, then=F("investment_amount")),
                default=Round(Divide(F("investment_amount"), rate), 2, output_field=money),
                output_field=money,
            ),
        )

    def with_progress(self, as_of=None):
        """Annotate task weights, `progress` (0–100, NULL without tasks) and `overdue_tasks`.

        With `as_of`, a task counts as done only if it was completed on or before that date,
        and as overdue if it was due before then and not completed by then. Today's figures are
        the stored ones (projects.stored_figures); a past day's are computed from the tasks.
        """
        if as_of is not None and as_of != timezone.localdate():
            return self.computed_progress(as_of)
        # Overdue counts stored before today (the daily recompute has not run yet) are counted afresh.
        fresh = Q(figures__computed_on=timezone.localdate())
        return self.annotate(
            task_weight=Coalesce(F("figures__task_weight"), 0),
            done_weight=Coalesce(F("figures__done_weight"), 0),
            progress=F("figures__progress"),
            overdue_tasks=models.Case(
                models.When(fresh, then=F("figures__overdue_tasks")),
                default=self._late_count(self._each_tasks(), None),
                output_field=models.IntegerField(),
            ),
        )

    @staticmethod
    def _late_count(tasks, as_of):
        return _count_subquery(tasks.filter(overdue_task_q(as_of)))

    def _each_tasks(self):
        """The non-cancelled tasks of the outer query's project, for a correlated subquery."""
        from .models import Task

        return self.task_rows().filter(project=OuterRef(self.key)).exclude(status=Task.Status.CANCELLED)

    def task_rows(self):
        """The tasks the figures count: the task table (a past day's state in projects.asof)."""
        from .models import Task

        return Task.objects.all()

    def tasks(self):
        """The tasks of these projects."""
        return self.task_rows().filter(project__in=self.values(self.key))

    def computed_progress(self, as_of=None):
        """`with_progress` computed from the tasks, on `as_of` (today by default)."""
        tasks = self._each_tasks()
        done = tasks.filter(done_task_q(as_of))
        return self.annotate(
            task_weight=Coalesce(_sum_subquery(tasks, "weight"), 0),
            done_weight=Coalesce(_sum_subquery(done, "weight"), 0),
        ).annotate(progress=progress_of(), overdue_tasks=self._late_count(tasks, as_of))

    def with_schedule(self, as_of=None):
        """Annotate `elapsed` (share of planned duration passed, 0–100) and `behind_schedule`.

        Needs `with_progress()`. Only active projects with planned dates can be behind schedule.
        """
        elapsed, behind = schedule_of(as_of)
        return self.annotate(elapsed=elapsed).annotate(behind_schedule=behind)

    def computed_figures(self):
        """Today's figures computed from the tasks, rates, money and indicators: what ProjectFigures stores."""
        return self.computed_usd().computed_progress().computed_money().computed_tracks()

    def _track_counts(self, as_of=None):
        """{field: expression}: how many of the outer project's indicators are on track, off track
        and without data on `as_of` (today by default), by IndicatorQuerySet.with_status."""
        from .models import Indicator

        indicators = Indicator.objects.filter(result__project=OuterRef(self.key)).with_status(as_of).order_by()
        counts = {}
        for name, track in TRACK_FIELDS.items():
            rows = indicators.filter(track=track).values("result__project").annotate(n=Count("pk")).values("n")[:1]
            counts[name] = Coalesce(Subquery(rows, output_field=models.IntegerField()), 0)
        return counts

    def computed_tracks(self, as_of=None):
        """Annotate the TRACK_FIELDS counted from the indicators: what ProjectFigures stores."""
        return self.annotate(**self._track_counts(as_of))

    def with_tracks(self):
        """Annotate today's TRACK_FIELDS from the stored figures; counts stored before today (the
        daily recompute has not run yet, and elapsed time moves the rule) are counted afresh."""
        fresh = Q(figures__computed_on=timezone.localdate())
        return self.annotate(
            **{
                name: models.Case(
                    models.When(fresh, then=F(f"figures__{name}")),
                    default=expression,
                    output_field=models.IntegerField(),
                )
                for name, expression in self._track_counts().items()
            }
        )

    def computed_money(self):
        """USD totals of the budgets in force and of the published commitments and disbursements
        (NULL without any): what ProjectFigures stores as budget_usd, committed_usd, disbursed_usd."""
        from .models import Budget, Transaction

        money = models.DecimalField(max_digits=20, decimal_places=2)

        def total(rows):
            rows = rows.filter(project=OuterRef("pk")).order_by().values("project")
            return Subquery(rows.annotate(total=Sum("amount_usd")).values("total")[:1], output_field=money)

        published = Transaction.objects.filter(publication=PUBLISHED)
        return self.annotate(
            budget_usd=total(Budget.objects.current()),
            committed_usd=total(published.filter(kind="commitment")),
            disbursed_usd=total(published.filter(kind="disbursement")),
        )

    def with_money(self):
        """Annotate the stored `budget_usd`, `committed_usd`, `disbursed_usd` and `disbursed_share`
        (disbursed as a percentage of committed; NULL when nothing is committed)."""
        money = models.DecimalField(max_digits=20, decimal_places=2)
        return self.annotate(
            budget_usd=F("figures__budget_usd"),
            committed_usd=F("figures__committed_usd"),
            disbursed_usd=F("figures__disbursed_usd"),
            disbursed_share=Divide(
                Coalesce(F("figures__disbursed_usd"), Value(0), output_field=money) * Value(100, output_field=money),
                NullIf(F("figures__committed_usd"), Value(0, output_field=money)),
                output_field=models.FloatField(),
            ),
        )

    def with_figures(self, as_of=None):
        """USD, progress and schedule together: what a list of projects shows."""
        return self.with_usd().with_progress(as_of).with_schedule(as_of)

    def behind_schedule(self, as_of=None):
        return self.with_figures(as_of).filter(behind_schedule=True)

    def overdue(self, on=None):
        """Projects with at least one overdue task."""
        return self.filter(**{f"{self.key}__in": self.task_rows().filter(overdue_task_q(on)).values("project")})

    def without_recent_update(self, on=None, days=None):
        """Active projects with no published progress update in the last `days` days."""
        from .models import ProgressUpdate

        day = _today(on)
        days = settings.STALE_UPDATE_DAYS if days is None else days
        recent = ProgressUpdate.objects.published().filter(
            reported_on__gt=day - datetime.timedelta(days=days), reported_on__lte=day
        )
        from .models import Project

        return self.filter(status__in=Project.ACTIVE_STATUSES).exclude(**{f"{self.key}__in": recent.values("project")})

    def for_directory(self, as_of=None):
        """A list of projects with every relation and figure a directory row shows."""
        return (
            self.select_related("working_group", "working_group__commission")
            .prefetch_related("sectors")
            .with_figures(as_of)
        )

    def one_row_per_country(self):
        """Join each project to one of its locations in each country, so that grouping on
        `locations__country` counts a project with two places in one country once (projects
        without a location keep one row, with no country)."""
        from .models import ProjectLocation

        # One uncorrelated subquery (the first place of each project in each country), computed
        # once, instead of a lookup per location row.
        firsts = ProjectLocation.objects.order_by().values("project", "country").annotate(first=Min("pk"))
        return self.filter(Q(locations__in=firsts.values("first")) | Q(locations__isnull=True))

    def totals(self):
        """Count, USD total, jobs and the number of projects whose currency has no rate; `priced`
        (`real_priced`, `demo_priced`) counts the projects with a USD figure, so that a total of
        none reads "not known" rather than 0."""
        priced = Q(investment_usd__isnull=False)
        return self.with_usd().aggregate(
            count=Count("pk"),
            usd=Coalesce(Sum("investment_usd"), Value(0, output_field=models.DecimalField())),
            priced=Count("pk", filter=priced),
            jobs_planned=Coalesce(Sum("jobs_planned"), 0),
            jobs_created=Coalesce(Sum("jobs_created"), 0),
            unpriced=Count("pk", filter=Q(investment_amount__isnull=False, investment_usd__isnull=True)),
            **demo_parts(),
        )

    def totals_by(self, field, as_of=None, **measures):
        """Rows of count and USD total per value of `field`, largest USD first.

        `field` is one of: status, confidence, working_group, sectors, country. A project in two
        sectors or with locations in two countries counts once in each. `measures` are more
        aggregates over the projects' figures on `as_of`, computed in the same query.
        """
        key = self.GROUPS[field]
        queryset = self.one_row_per_country() if field == "country" else self
        queryset = queryset.with_figures(as_of) if measures else queryset.with_usd()
        rows = (
            queryset.order_by()
            .values(key)
            .annotate(
                count=Count("pk", distinct=True),
                usd=Coalesce(Sum("investment_usd"), Value(0, output_field=models.DecimalField())),
                unpriced=Count("pk", filter=Q(investment_amount__isnull=False, investment_usd__isnull=True)),
                **demo_parts(distinct=True),
                **measures,
            )
            .order_by("-usd", key)
        )
        return [{"key": row.pop(key), **row} for row in rows]

    def tracks_by(self, field):
        """Rows of `key` (a value of `field`: working_group or sectors) and how many indicators of
        these projects are on track, off track and without data today, from the stored counts;
        values without any indicator are left out. An indicator of a project in two sectors counts
        in each."""
        key = self.GROUPS[field]
        # The stored counts alone first: the rule's expression is large (Django took 70 ms to
        # compile it into this query), so it goes in only when some project's figures are of an
        # earlier day (`with_tracks`).
        stale = ~Q(figures__computed_on=timezone.localdate())
        stored = {track: Coalesce(Sum(f"figures__{name}"), 0) for name, track in TRACK_FIELDS.items()}
        rows = list(self.order_by().values(key).annotate(**stored, stale=Count("pk", filter=stale)))
        if any(row["stale"] for row in rows):
            counts = {track: Coalesce(Sum(name), 0) for name, track in TRACK_FIELDS.items()}
            rows = list(self.with_tracks().order_by().values(key).annotate(**counts))
        tracks = TRACK_FIELDS.values()
        return [
            {"key": row[key], **{track: row[track] for track in tracks}}
            for row in rows
            if any(row[track] for track in tracks)
        ]


def demo_parts(distinct=False):
    """Count, USD total and priced count of the real and of the demo projects, apart, for totals'
    aggregates."""
    zero = Value(0, output_field=models.DecimalField())
    return {
        f"{part}_{name}": expression
        for part, q in (("real", Q(demo=False)), ("demo", Q(demo=True)))
        for name, expression in (
            ("count", Count("pk", filter=q, distinct=distinct)),
            ("usd", Coalesce(Sum("investment_usd", filter=q), zero)),
            # How many have a USD figure: a total of none of them reads "not known", not 0.
            ("priced", Count("pk", filter=q & Q(investment_usd__isnull=False), distinct=distinct)),
        )
    }


class RefreshingQuerySet(models.QuerySet):
    """Bulk deletes and updates refresh the stored figures they change, as saves do.

    Subclasses say which keys a set of rows touches (`refresh_keys`) and refresh them
    (`refresh_after`), inside the write's transaction.
    """

    def delete(self):
        with transaction.atomic():
            touched = list(self.refresh_keys())
            result = super().delete()
            self.refresh_after(touched)
        return result

    def update(self, **kwargs):
        with transaction.atomic():
            # The rows by primary key: after the update they may no longer match this filter.
            rows = self.model.objects.filter(pk__in=list(self.values_list("pk", flat=True)))
            before = list(rows.refresh_keys())
            result = super().update(**kwargs)
            self.refresh_after(before + list(rows.refresh_keys()))
        return result


class TaskQuerySet(RefreshingQuerySet):
    def refresh_keys(self):
        return self.order_by().values_list("project", flat=True).distinct()

    @staticmethod
    def refresh_after(project_ids):
        from . import stored_figures
        from .models import Project

        stored_figures.refresh(Project.objects.filter(pk__in=set(project_ids)))

    def published(self):
        return self.filter(project__publication=PUBLISHED)

    def overdue(self, on=None):
        return self.filter(overdue_task_q(on))

    def with_overdue(self, on=None):
        """Annotate `is_late` so a list can mark overdue tasks without a query per row."""
        return self.annotate(
            is_late=models.Case(
                models.When(overdue_task_q(on), then=Value(True)),
                default=Value(False),
                output_field=models.BooleanField(),
            )
        )


class ProgressUpdateQuerySet(models.QuerySet):
    def published(self):
        return self.filter(publication=PUBLISHED, project__publication=PUBLISHED)


class DocumentQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True, project__publication=PUBLISHED)


class ExchangeRateQuerySet(RefreshingQuerySet):
    def refresh_keys(self):
        return self.order_by().values_list("currency", flat=True).distinct()

    @staticmethod
    def refresh_after(currencies):
        from . import stored_figures

        for currency in set(currencies):
            stored_figures.refresh_currency(currency)

    def latest_for(self, currency, on=None, demo=False):
        """The rate in force for a currency on a date (the newest one on or before it), among the
        rates a project with this `demo` flag may use (`rates_for_q`): real ones only by default."""
        qs = self.filter(rates_for_q(demo), currency=currency)
        if on:
            qs = qs.filter(date__lte=on)
        return qs.order_by("-date").first()


# --- results: indicators on track -------------------------------------------------------------


class ResultQuerySet(RefreshingQuerySet):
    """Bulk writes of results (and so of their indicators) refresh their projects' counts per track."""

    def refresh_keys(self):
        return self.order_by().values_list("project", flat=True).distinct()

    @staticmethod
    def refresh_after(project_ids):
        from . import stored_figures

        stored_figures.refresh_indicator_counts(project_ids)


class IndicatorValueQuerySet(RefreshingQuerySet):
    """Bulk writes of indicator values refresh their indicators' stored latest actual, as saves do."""

    def refresh_keys(self):
        return self.order_by().values_list("indicator", flat=True).distinct()

    @staticmethod
    def refresh_after(indicator_ids):
        from . import stored_figures

        stored_figures.refresh_indicators(set(indicator_ids))

    def published(self):
        """Values the public sees: published, of a published project."""
        return self.filter(publication=PUBLISHED, indicator__result__project__publication=PUBLISHED)

    def actuals(self):
        """The values an indicator's actual may be: published and with a number, newest period first
        (the higher key first within one period end)."""
        return self.filter(publication=PUBLISHED, value__isnull=False).order_by("-period_end", "-pk")


# What `IndicatorQuerySet.with_status()` says of an indicator.
ON_TRACK, OFF_TRACK, NO_DATA = "on_track", "off_track", "no_data"
# The per-project counts of indicators on each track that ProjectFigures stores.
TRACK_FIELDS = {"indicators_on_track": ON_TRACK, "indicators_off_track": OFF_TRACK, "indicators_no_data": NO_DATA}


class IndicatorQuerySet(RefreshingQuerySet):
    """Bulk writes of indicators refresh their projects' stored counts per track, as saves do."""

    def refresh_keys(self):
        return self.order_by().values_list("result__project", flat=True).distinct()

    @staticmethod
    def refresh_after(project_ids):
        from . import stored_figures

        stored_figures.refresh_indicator_counts(project_ids)

    @staticmethod
    def latest_actual():
        """{field: expression} of the latest published actual of the outer query's indicator,
        whatever the day (IndicatorValueQuerySet.actuals): what Indicator stores as `latest_value`
        and `latest_period_end`, for an annotation or an update."""
        from .models import IndicatorValue

        latest = IndicatorValue.objects.actuals().filter(indicator=OuterRef("pk"))
        return {
            "latest_value": Subquery(
                latest.values("value")[:1], output_field=models.DecimalField(max_digits=20, decimal_places=4)
            ),
            "latest_period_end": Subquery(latest.values("period_end")[:1], output_field=models.DateField()),
        }

    def computed_latest(self):
        """Annotate `computed_value` and `computed_period_end` (the latest actual computed from the
        values) and `stored_fresh`, whether the stored fields hold the same."""
        latest = self.latest_actual()
        both_null = {"latest_value": "computed_value", "latest_period_end": "computed_period_end"}
        same = Q()
        for stored, computed in both_null.items():
            same &= Q(**{stored: F(computed)}) | Q(**{f"{stored}__isnull": True, f"{computed}__isnull": True})
        return self.annotate(
            computed_value=latest["latest_value"], computed_period_end=latest["latest_period_end"]
        ).annotate(
            stored_fresh=models.Case(
                models.When(same, then=Value(True)), default=Value(False), output_field=models.BooleanField()
            )
        )

    def with_status(self, as_of=None):
        """Annotate `actual` (the latest published value whose period ended by `as_of`, today by
        default), `progress` and `elapsed` (0–100) and `track` (ON_TRACK, OFF_TRACK or NO_DATA),
        by the rule of `indicator_rule`.

        The stored latest actual (`latest_value`) is the answer whenever its period ended by the
        day; only an indicator with a value for a later period looks further back, through a
        subquery of its values (the database evaluates CASE branches lazily, so the subquery runs
        for those rows alone). `track` applies the rule inside that subquery, so that counting
        tracks runs it once per indicator rather than once for each use of the actual in the rule.
        """
        from .models import IndicatorValue

        day = Value(_today(as_of), output_field=models.DateField())
        ended = IndicatorValue.objects.actuals().filter(indicator=OuterRef("pk"), period_end__lte=day)
        actual = models.Case(
            models.When(latest_period_end__lte=day, then=F("latest_value")),
            models.When(latest_period_end__isnull=True, then=Value(None, output_field=INDICATOR_NUMBER)),
            default=Subquery(ended.values("value")[:1], output_field=INDICATOR_NUMBER),
            output_field=INDICATOR_NUMBER,
        )
        progress, elapsed, _track = indicator_rule(F("actual"), F, day)
        stored_track = indicator_rule(F("latest_value"), F, day)[2]
        earlier_track = indicator_rule(F("value"), OuterRef, day)[2]
        return self.annotate(actual=actual, progress=progress, elapsed=elapsed).annotate(
            track=models.Case(
                models.When(latest_period_end__isnull=True, then=Value(NO_DATA)),
                models.When(latest_period_end__lte=day, then=stored_track),
                default=Coalesce(
                    Subquery(ended.annotate(track=earlier_track).values("track")[:1]),
                    Value(NO_DATA),
                    output_field=models.CharField(),
                ),
                output_field=models.CharField(),
            )
        )


INDICATOR_NUMBER = models.DecimalField(max_digits=20, decimal_places=4)


def indicator_rule(actual, column, day):
    """(progress, elapsed, track) expressions of an indicator whose latest actual is `actual` on
    `day`, reading the indicator's own fields through `column` (F, or OuterRef from a subquery of
    its values). The rule, defined here once:

    Progress is (actual − baseline) / (target − baseline), held between 0 and 100 % (an empty
    baseline counts as 0, so a yes/no indicator with target 1 is done at 1). Elapsed is the share
    of the time from the baseline date to the target date that has passed on `day`, 100 % when
    either date is missing. An indicator is on track when its progress is at least the elapsed
    share, off track when below, and "no data" when it has no published actual yet, no target, a
    target equal to its baseline, or is qualitative.
    """
    real = models.FloatField()
    baseline = Coalesce(column("baseline_value"), Value(0), output_field=INDICATOR_NUMBER)
    target = column("target_value")
    share = Cast(Divide(actual - baseline, NullIf(target - baseline, 0)), real)
    span = NullIf(DaysBetween(column("baseline_date"), column("target_date")), 0)
    passed = Cast(Divide(DaysBetween(column("baseline_date"), day), span), real)
    # PostgreSQL's GREATEST and LEAST skip NULLs where SQLite's give NULL: test for them first.
    progress = models.Case(
        models.When(IsNull(actual, True), then=Value(None, output_field=real)),
        models.When(IsNull(target, True), then=Value(None, output_field=real)),
        models.When(Exact(target, baseline), then=Value(None, output_field=real)),
        default=100.0 * Least(Greatest(share, Value(0.0)), Value(1.0)),
        output_field=real,
    )
    elapsed = models.Case(
        models.When(IsNull(column("baseline_date"), True), then=Value(100.0)),
        models.When(IsNull(column("target_date"), True), then=Value(100.0)),
        default=100.0 * Least(Greatest(passed, Value(0.0)), Value(1.0)),
        output_field=real,
    )
    track = models.Case(
        models.When(Exact(column("measure"), Value("qualitative")), then=Value(NO_DATA)),
        models.When(IsNull(progress, True), then=Value(NO_DATA)),
        models.When(GreaterThanOrEqual(progress, elapsed), then=Value(ON_TRACK)),
        default=Value(OFF_TRACK),
        output_field=models.CharField(),
    )
    return progress, elapsed, track


# --- money: budgets and transactions (projects/models/money.py) ----------------------------------


def money_usd_values(demo):
    """`usd_rate` and `amount_usd` of budget or transaction rows from the rate table at their value
    date, among the rates their project may use (`rates_for_q(demo)`): USD needs no rate, and no
    known rate gives NULL. For `update()`, one statement per `demo` flag."""
    from .models import ExchangeRate

    rate = Subquery(
        ExchangeRate.objects.filter(rates_for_q(demo), currency=OuterRef("currency"), date__lte=OuterRef("value_date"))
        .order_by("-date")
        .values("units_per_usd")[:1],
        output_field=models.DecimalField(max_digits=20, decimal_places=6),
    )
    money = models.DecimalField(max_digits=20, decimal_places=2)
    return {
        "usd_rate": models.Case(
            models.When(currency=USD, then=Value(1, output_field=models.DecimalField())),
            default=rate,
            output_field=models.DecimalField(max_digits=20, decimal_places=6),
        ),
        "amount_usd": models.Case(
            models.When(currency=USD, then=F("amount")),
            default=Round(Divide(F("amount"), rate), 2, output_field=money),
            output_field=money,
        ),
    }


class MoneyQuerySet(RefreshingQuerySet):
    """Bulk writes of budgets or transactions refresh their USD figures and their projects' totals."""

    def refresh_keys(self):
        return self.order_by().values_list("project", flat=True).distinct()

    @staticmethod
    def refresh_after(project_ids):
        from . import stored_figures

        stored_figures.refresh_money(set(project_ids))


class BudgetQuerySet(MoneyQuerySet):
    def current(self):
        """Budgets in force: a revised budget replaces the original of the same project and period start."""
        revised = self.model.objects.filter(
            project=OuterRef("project"), period_start=OuterRef("period_start"), kind="revised"
        )
        return self.exclude(Q(kind="original") & models.Exists(revised))

    def published(self):
        return self.filter(project__publication=PUBLISHED)


class TransactionQuerySet(MoneyQuerySet):
    def published(self):
        """Published transactions of published projects: what the public sees."""
        return self.filter(publication=PUBLISHED, project__publication=PUBLISHED)

    def public(self):
        """Published transactions, whatever the project's state (its page decides who sees it)."""
        return self.filter(publication=PUBLISHED)
