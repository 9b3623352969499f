"""What changed between two dates, read from the change history django-simple-history keeps.

A project's state on a day is its last history row saved before that day ended; the report
compares each project's state at the end of the day before `start` with its state at the end of
`end`. Only public facts count: a project appears only if it was published at `end`, and a value
it had before counts only if it was published then too, so nothing a draft held ever shows.

Each list is one query over the historical tables (correlated subqueries, served by the
(id, history_date) indexes of migration projects 0008): a handful of queries whatever the window
or the size of the portfolio.
"""

import datetime

from django.db import connections, models
from django.db.models import Exists, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, NullIf, Round
from django.utils import timezone, translation

from partnership.models import Directive, Meeting

from .models import Project, Task
from .querysets import PUBLISHED, USD, Divide, overdue_task_q, usd_rate_subquery

MONEY = models.DecimalField(max_digits=20, decimal_places=2)
CLOSING = (Project.Status.CLOSED, Project.Status.CANCELLED)
DIRECTIVE_CLOSED = (Directive.Status.DONE, Directive.Status.DROPPED)
DEMO_CHOICES = ("", "real", "demo")


def day_start(day):
    """The first instant of a local day, as history_date stores it (aware)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def last_meeting_date(commission=None, before=None):
    """The date of the last commission session or summit recorded before `before` (today), or None."""
    meetings = Meeting.objects.filter(
        kind__in=[Meeting.Kind.COMMISSION, Meeting.Kind.HEADS_OF_STATE], date__lt=before or timezone.localdate()
    )
    if commission is not None:
        meetings = meetings.filter(commission=commission)
    return meetings.order_by("-date").values_list("date", flat=True).first()


def state_at(history, moment, ref="id"):
    """The history rows that are each record's last before `moment` (one per record, deleted ones out).

    On PostgreSQL the last rows are one uncorrelated `DISTINCT ON (id)` subquery, which the planner
    computes once per query (a hashed subplan) rather than once per row: at 10,000 projects and
    200,000 task history rows the correlated form below cost seconds per query. Elsewhere (SQLite)
    a correlated NOT EXISTS finds them, served by the (id, history_date) indexes.
    """
    if connections[history.db].vendor == "postgresql":
        last = (
            history.filter(history_date__lt=moment)
            .order_by(ref, "-history_date", "-history_id")
            .distinct(ref)
            .values("history_id")
        )
        return history.filter(history_id__in=last).exclude(history_type="-")
    later = history.filter(id=OuterRef(ref), history_date__lt=moment).filter(
        Q(history_date__gt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__gt=OuterRef("history_id"))
    )
    return history.filter(history_date__lt=moment).exclude(Exists(later)).exclude(history_type="-")


def last_row(history, record_ref, moment):
    """A record's last history row before `moment`, for Subquery(… .values(field)[:1])."""
    return history.filter(id=record_ref, history_date__lt=moment).order_by("-history_date", "-history_id")


def usd_expression():
    """A historical project row's investment in USD, as ProjectQuerySet.computed_usd() prices it."""
    rate = usd_rate_subquery()
    return models.Case(
        models.When(investment_amount__isnull=True, then=Value(None, output_field=MONEY)),
        models.When(investment_currency=USD, then=F("investment_amount")),
        default=Round(Divide(F("investment_amount"), rate), 2, output_field=MONEY),
        output_field=MONEY,
    )


def local_title(field="title"):
    """The field in the reader's language, English when it has no translation."""
    language = (translation.get_language() or "en").split("-")[0]
    text = models.TextField()
    return Coalesce(NullIf(F(f"{field}_{language}"), Value("")), F(f"{field}_en"), F(field), output_field=text)


def published_at(moment, scope=None, demo=""):
    """Historical project rows: each project's state at `moment`, where it was published then."""
    rows = state_at(Project.history.all(), moment).filter(publication=PUBLISHED)
    if scope is not None:
        rows = rows.filter(scope)
    if demo == "real":
        rows = rows.filter(demo=False)
    elif demo == "demo":
        rows = rows.filter(demo=True)
    return rows


def project_changes(start, end, scope=None, demo=""):
    """Projects published at the end of `end` that were added or changed status, confidence or
    investment since the start of `start`: one row each, with the values before and after."""
    history = Project.history.all()
    before, after = day_start(start), day_start(end + datetime.timedelta(days=1))
    # The project's last row before `start`, if it was published then (not its last published one).
    previous = last_row(history, OuterRef(OuterRef("id")), before).values("history_id")[:1]
    public_before = history.filter(history_id=Subquery(previous), publication=PUBLISHED)
    rows = (
        published_at(after, scope, demo)
        .annotate(
            ever_public=Exists(history.filter(id=OuterRef("id"), history_date__lt=before, publication=PUBLISHED)),
            old_status=Subquery(public_before.values("status")[:1]),
            old_confidence=Subquery(public_before.values("confidence")[:1]),
            old_usd=Subquery(public_before.annotate(usd=usd_expression()).values("usd")[:1], output_field=MONEY),
            usd=usd_expression(),
            label=local_title(),
        )
        .annotate(
            # old_* are NULL unless the project was published at `start`: a draft's values never count.
            usd_change=models.ExpressionWrapper(
                Coalesce(F("usd"), Value(0, output_field=MONEY)) - Coalesce(F("old_usd"), Value(0, output_field=MONEY)),
                output_field=MONEY,
            ),
        )
        .filter(
            Q(old_status__isnull=True)
            | ~Q(status=F("old_status"))
            | ~Q(confidence=F("old_confidence"))
            | ~Q(usd_change=0)
        )
        .order_by("code")
    )
    return rows.values(
        "id", "code", "slug", "label", "status", "confidence", "old_status", "old_confidence", "usd", "old_usd",
        "usd_change", "ever_public", "demo",
    )  # fmt: skip


def task_changes(start, end, projects):
    """Tasks of the projects published at `end` (historical rows `projects`) completed in the
    window, or due in it and still not done or cancelled at its end (newly overdue)."""
    after = day_start(end + datetime.timedelta(days=1))
    tasks = state_at(Task.history.all(), after).filter(project__in=projects.values("id"))
    completed = Q(status=Task.Status.DONE, completed_date__gte=start, completed_date__lte=end)
    newly_overdue = Q(due_date__gte=start) & overdue_task_q(end)
    project = last_row(Project.history.all(), OuterRef("project"), after)
    return (
        tasks.filter(completed | newly_overdue)
        .annotate(
            label=local_title(),
            is_completed=models.ExpressionWrapper(completed, output_field=models.BooleanField()),
            project_code=Subquery(project.values("code")[:1]),
            project_slug=Subquery(project.values("slug")[:1]),
            project_label=Subquery(project.annotate(label=local_title()).values("label")[:1]),
        )
        .order_by("project_code", "due_date", "id")
        .values(
            "id",
            "label",
            "status",
            "due_date",
            "completed_date",
            "is_completed",
            "project_code",
            "project_slug",
            "project_label",
        )  # fmt: skip
    )


def directive_changes(start, end, directives):
    """Directives (of the queryset `directives`) opened at a meeting in the window, and those whose
    status became done or dropped in it, with the status each had before."""
    history = Directive.history.all()
    before, after = day_start(start), day_start(end + datetime.timedelta(days=1))
    previous = last_row(history, OuterRef("id"), before)
    closed = (
        state_at(history, after)
        .filter(id__in=directives.values("pk"), status__in=DIRECTIVE_CLOSED)
        .annotate(old_status=Subquery(previous.values("status")[:1]))
        .exclude(old_status__in=DIRECTIVE_CLOSED)
    )
    opened = directives.filter(meeting__date__gte=start, meeting__date__lte=end)
    fields = ("id", "label", "status", "meeting_slug", "meeting_date")
    opened = opened.annotate(
        label=local_title("text"), meeting_slug=F("meeting__slug"), meeting_date=F("meeting__date")
    ).order_by("meeting__date", "order", "pk")
    closed = closed.annotate(
        label=local_title("text"), meeting_slug=F("meeting__slug"), meeting_date=F("meeting__date")
    ).order_by("meeting__date", "order", "id")
    return list(opened.values(*fields)), list(closed.values(*fields, "old_status"))


def changes(start, end, scope=None, directives=None, demo=""):
    """Everything that changed between the start of `start` and the end of `end`, in sections.

    `scope` is a Q on historical project rows (their working group or sector); `directives` a
    queryset of the directives in scope (none: all).
    """
    after = day_start(end + datetime.timedelta(days=1))
    project_rows = list(project_changes(start, end, scope, demo))
    added, republished, status_moves, confidence_moves, investment = [], [], [], [], []
    for row in project_rows:
        if row["old_status"] is None:
            (republished if row["ever_public"] else added).append(row)
            if row["usd_change"]:
                investment.append(row)
            continue
        if row["status"] != row["old_status"]:
            status_moves.append(row)
        if row["confidence"] != row["old_confidence"]:
            confidence_moves.append(row)
        if row["usd_change"]:
            investment.append(row)
    task_rows = list(task_changes(start, end, published_at(after, scope, demo)))
    opened, closed = directive_changes(start, end, Directive.objects.all() if directives is None else directives)
    sections = {
        "added": added,
        "republished": republished,
        "closed": [row for row in status_moves if row["status"] in CLOSING],
        "status_moves": status_moves,
        "confidence_moves": confidence_moves,
        "investment": investment,
        "tasks_completed": [row for row in task_rows if row["is_completed"]],
        "tasks_overdue": [row for row in task_rows if not row["is_completed"]],
        "directives_opened": opened,
        "directives_closed": closed,
    }
    changes_usd = [row["usd_change"] for row in investment]
    return {
        "start": start,
        "end": end,
        "sections": sections,
        "counts": {name: len(rows) for name, rows in sections.items()},
        "usd_added": sum((d for d in changes_usd if d > 0), 0),
        "usd_withdrawn": -sum((d for d in changes_usd if d < 0), 0),
    }
