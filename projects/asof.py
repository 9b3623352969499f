"""The portfolio as it stood at the end of a past day, read from the change history.

`projects_on(day)` gives one historical row per project that was published when `day` ended,
holding the status, confidence, amounts, working group and dates it had then (its sectors then
are the historical m2m rows of that same row). The rows come as a `ProjectStateQuerySet`: a
`ProjectQuerySet` over the historical table, so the report, the API summary and the breakdowns
add them up with the same methods, and the same rules, as today's projects. Only what is read
differs: tasks are their state at that moment (status, completed and due dates, weight), and
USD equivalents use the exchange rates recorded by then. Today's figures keep their fast path
(the stored ones); this module is only for a past day.

Not read from history: progress updates (a project is "without a recent update" on a past day
from the updates published now and reported by then), places (the by-country breakdown uses
the projects' places as recorded now) and directives.
"""

import datetime

from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Q, Sum, Value
from django.db.models.functions import Coalesce, Round
from django.urls import reverse
from django.utils import timezone

from partnership.models import Sector

from .changes import day_start, published_at, state_at
from .models import ExchangeRate, Project, ProjectLocation, Task
from .querysets import USD, Divide, ProjectQuerySet, demo_parts, overdue_task_q, usd_rate_subquery

MONEY = models.DecimalField(max_digits=20, decimal_places=2)


def is_past(day):
    """Whether `day` asks for history (a past day) rather than today's stored figures."""
    return day is not None and day < timezone.localdate()


def day_end(day):
    """The first instant after `day`: a state "on" a day is the one its last change left."""
    return day_start(day + datetime.timedelta(days=1))


class ProjectStateQuerySet(ProjectQuerySet):
    """Historical project rows, one per project: each one's state at the end of `day`."""

    key = "id"
    GROUPS = {**ProjectQuerySet.GROUPS, "sectors": "historicalproject_sectors__sector", "country": None}
    day = None

    def _clone(self):
        clone = super()._clone()
        clone.day = self.day
        return clone

    @property
    def moment(self):
        return day_end(self.day)

    def rates(self):
        """Exchange rates as they were recorded at the end of the day."""
        return state_at(ExchangeRate.history.all(), self.moment)

    def with_usd(self):
        """`usd_rate` and `investment_usd` of each row, priced as `computed_usd` prices today's."""
        rate = usd_rate_subquery(rates=self.rates())
        return self.annotate(
            usd_rate=models.Case(
                models.When(investment_currency=USD, then=Value(1, output_field=models.DecimalField())),
                default=rate,
                output_field=models.DecimalField(max_digits=20, decimal_places=6),
            ),
            investment_usd=models.Case(
                models.When(investment_amount__isnull=True, then=Value(None, output_field=MONEY)),
                models.When(investment_currency=USD, then=F("investment_amount")),
                default=Round(Divide(F("investment_amount"), rate), 2, output_field=MONEY),
                output_field=MONEY,
            ),
        )

    def with_progress(self, as_of=None):
        """Progress and overdue tasks on the day, from the tasks as they were then."""
        return self.computed_progress(self.day)

    def task_rows(self):
        return state_at(Task.history.all(), self.moment)

    def tasks(self):
        return super().tasks().select_related("project", "responsible_organisation")

    def with_sector(self, sector):
        """The rows whose project was in `sector` then."""
        return self.filter(historicalproject_sectors__sector=sector)

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


def projects_on(day, projects=None):
    """Each project published at the end of `day`, as it was then (a ProjectStateQuerySet).

    `projects` (a Project queryset) limits the rows to those projects, for example to the ones a
    directory filter selects.
    """
    rows = published_at(day_end(day))
    if projects is not None:
        rows = rows.filter(id__in=projects.values("pk"))
    states = ProjectStateQuerySet(model=rows.model, query=rows.query)
    states.day = day
    return states


def project_on(project, day):
    """One project as it was at the end of `day`, with its figures then; None if not published then."""
    rows = projects_on(day, Project.objects.filter(pk=project.pk))
    return rows.select_related("working_group").with_figures(day).first()


def linked(rows):
    """Give historical rows the link of their project's page, as templates ask `get_absolute_url`."""
    for row in rows:
        row.get_absolute_url = reverse("projects:project-detail", kwargs={"slug": row.slug})
    return rows


def tasks_on(project, day):
    """A project's tasks as they were at the end of `day`, each marked `is_late` if overdue then."""
    return (
        state_at(Task.history.all(), day_end(day))
        .filter(project=project.pk)
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
    """The sectors a historical project row had (the m2m history saved with that row)."""
    through = type(state)._meta.get_field("historicalproject_sectors").related_model
    ids = through.objects.filter(history=state.history_id).values("sector")
    return list(Sector.objects.filter(pk__in=ids))
