"""A made-up change history for the demo portfolio, so that a report for a past day has a story.

The demo portfolio is written with bulk inserts, which leave no history: without this a past day
shows no demo project at all. `seed --demo --history` (and the as-of bench) gives every demo
project that has no history yet one, spread over the last two years and ending in its state as it
is now: created as a draft in the pipeline, published some days later, then one to four changes of
status, confidence or amount. Each task is created some time after its project and changed once
(started, done on its completed date, or its due date moved). The demo exchange rates get their
"recorded" rows too. Then the dated snapshots of those projects are built from that history
(projects.snapshots), as every other write keeps them. Deterministic for a given day.
"""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from .. import asof, snapshots
from ..models import ExchangeRate, Project, Publication, Task
from ..models.base import Confidence
from .demo import CODE_PREFIX

SPAN_DAYS = 730
CHUNK = 1000
BATCH = 2000
REASON = "Demo history: fictional, for demonstration only"
EARLIER_STATUS = {
    Project.Status.PIPELINE: Project.Status.PIPELINE,
    Project.Status.IMPLEMENTATION: Project.Status.PIPELINE,
}


def at(day, rng):
    """A moment during the working day `day`, in the site's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(rng.randint(9, 17), rng.randint(0, 59))))


def row(history, values, moment, kind):
    return history(**values, history_date=moment, history_type=kind, history_change_reason=REASON)


def project_states(values, rng):
    """The states a project went through, oldest first, ending with `values` (its state now)."""
    amount = values["investment_amount"]

    def scaled(share):
        return None if amount is None else (amount * Decimal(share)).quantize(Decimal("0.01"))

    first = {
        **values,
        "publication": Publication.DRAFT,
        "status": Project.Status.PIPELINE,
        "confidence": Confidence.NOT_ASSESSED,
        "investment_amount": scaled("0.8"),
    }
    shown = Publication.PUBLISHED if values["publication"] == Publication.PUBLISHED else Publication.SUBMITTED
    states = [first, {**first, "publication": shown}]
    middle = EARLIER_STATUS.get(values["status"], Project.Status.IMPLEMENTATION)
    for _ in range(rng.randint(0, 3)):
        share = str(round(rng.uniform(0.85, 1.0), 2))
        confidence = rng.choice(Confidence.values)
        states.append({**values, "status": middle, "confidence": confidence, "investment_amount": scaled(share)})
    return [*states, values]


def _project_history(ids, today):
    """History rows (and their sectors) for these projects; returns {project id: day created}."""
    history = Project.history.model
    through = history._meta.get_field("historicalproject_sectors").related_model
    fields = [field.attname for field in Project._meta.concrete_fields]
    sectors = {}
    links = Project.sectors.through.objects.filter(project__in=ids).values_list("project", "sector", "pk")
    for project, sector, link in links:
        sectors.setdefault(project, []).append((sector, link))
    rows, created = [], {}
    for values in Project.objects.filter(pk__in=ids).values(*fields):
        rng = random.Random(f"history-{values['code']}")
        states = project_states(values, rng)
        start = today - datetime.timedelta(days=rng.randint(400, SPAN_DAYS))
        days = sorted(rng.sample(range(1, (today - start).days), len(states) - 1))
        created[values["id"]] = start
        moments = [at(start, rng), *(at(start + datetime.timedelta(days=n), rng) for n in days)]
        rows += [
            row(history, state, moment, "+" if n == 0 else "~")
            for n, (state, moment) in enumerate(zip(states, moments, strict=True))
        ]
    history.objects.bulk_create(rows, batch_size=BATCH)  # the primary keys come back (PostgreSQL, SQLite)
    links = [
        through(history_id=saved.history_id, project_id=saved.id, sector_id=sector, id=link)
        for saved in rows
        for sector, link in sectors.get(saved.id, [])
    ]
    through.objects.bulk_create(links, batch_size=BATCH)
    return created


def task_rows(values, project_created, today, history):
    """A task's two history rows: created (planned, due a little earlier) and changed to its state now."""
    rng = random.Random(f"history-task-{values['id']}")
    latest = today - datetime.timedelta(days=1)
    created = min(project_created + datetime.timedelta(days=rng.randint(0, 90)), latest)
    if values["completed_date"]:
        created = min(created, values["completed_date"])
        changed = min(values["completed_date"], latest)
    else:
        changed = created + datetime.timedelta(days=rng.randint(0, max(0, (latest - created).days)))
    due = values["due_date"]
    first = {
        **values,
        "status": Task.Status.PLANNED,
        "completed_date": None,
        "due_date": due and due - datetime.timedelta(days=rng.choice((0, 0, 14, 30, 60))),
    }
    return [row(history, first, at(created, rng), "+"), row(history, values, at(changed, rng), "~")]


def _task_history(created, today):
    history = Task.history.model
    fields = [field.attname for field in Task._meta.concrete_fields]
    rows = []
    for values in Task.objects.filter(project__in=list(created)).values(*fields).iterator(chunk_size=BATCH):
        rows += task_rows(values, created[values["project_id"]], today, history)
    history.objects.bulk_create(rows, batch_size=BATCH)


def _rate_history(today):
    """A history row for each demo rate without one, recorded on its date (or two years ago)."""
    history = ExchangeRate.history.model
    fields = [field.attname for field in ExchangeRate._meta.concrete_fields]
    rng = random.Random("history-rates")
    earliest = today - datetime.timedelta(days=SPAN_DAYS + 1)
    rates = ExchangeRate.objects.filter(demo=True).exclude(pk__in=ExchangeRate.history.values("id"))
    rows = [
        row(history, values, at(min(max(values["date"], earliest), today), rng), "+")
        for values in rates.values(*fields)
    ]
    history.objects.bulk_create(rows, batch_size=BATCH)


@transaction.atomic
def add_history(today=None):
    """Give the demo projects that have no history one (see the module); returns how many."""
    today = today or timezone.localdate()
    demo = Project.objects.filter(code__startswith=CODE_PREFIX).exclude(pk__in=Project.history.values("id"))
    ids = list(demo.order_by("pk").values_list("pk", flat=True))
    _rate_history(today)
    for start in range(0, len(ids), CHUNK):
        created = _project_history(ids[start : start + CHUNK], today)
        _task_history(created, today)
    snapshots.sync(ids)
    # The rate history just written is dated in the past, which no sync compares: forget every kept day.
    asof.forget_from()
    return len(ids)
