"""A fictional demo portfolio, so that pages, reports and charts have something to show.

Every record made here is marked as demo data (the `demo` flag on projects, organisations and
events, "(demo)" in organisation names, a demo source on exchange rates). The portfolio is built
with bulk inserts so that `seed --demo --projects 10000` stays fast; it is deterministic for a
given size and day, and a second run adds only the projects that are missing.
"""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import slugify

from partnership.caching import bump_on_commit
from partnership.models import Commission, Country, Event, Sector, WorkingGroup

from .. import stored_figures
from ..models import (
    Budget,
    ExchangeRate,
    Organisation,
    ProgressUpdate,
    Project,
    ProjectLocation,
    ProjectParticipant,
    Publication,
    Task,
    Transaction,
)
from . import demo_results
from .demo_data import (
    CONFIDENCE_CYCLE,
    CURRENCIES,
    DEMO_RATES,
    EVENT_TITLES,
    KINDS,
    MILESTONES,
    ORGANISATIONS,
    PLACES,
    RELATED,
    STATUS_CYCLE,
)
from .demo_money import money_for
from .facts import COMMISSION_SLUG
from .upsert import Tally

CODE_PREFIX = "DEMO-"
DEMO_RATE_SOURCE = "Demo rate: fictional, for demonstration only"
BATCH = 1000
FIRST_RATE_DAY = datetime.date(2023, 1, 1)


def publication_for(i):
    """Most demo projects are published; a few wait in each earlier state of the workflow."""
    return {5: Publication.DRAFT, 13: Publication.SUBMITTED, 21: Publication.RETURNED}.get(
        i % 24, Publication.PUBLISHED
    )


def _ensure_rates():
    """The fictional rates, marked demo so that they price demo projects only (rows from a seed
    made before the mark existed are marked too)."""
    ExchangeRate.objects.filter(source=DEMO_RATE_SOURCE, demo=False).update(demo=True)
    existing = set(ExchangeRate.objects.values_list("currency", "date"))
    rates = [
        ExchangeRate(
            currency=cur,
            date=datetime.date(year, 1, 1),
            units_per_usd=Decimal(value),
            source=DEMO_RATE_SOURCE,
            demo=True,
        )
        for cur, years in DEMO_RATES.items()
        for year, value in years.items()
        if (cur, datetime.date(year, 1, 1)) not in existing
    ]
    ExchangeRate.objects.bulk_create(rates)
    return {
        cur: {datetime.date(year, 1, 1): Decimal(value) for year, value in years.items()}
        for cur, years in DEMO_RATES.items()
    }


def _rate_on(rates, currency, day):
    if currency == "USD":
        return Decimal(1)
    if currency not in rates:
        return Decimal(7)  # an amount of the right size for a currency without a demo rate
    usable = [d for d in rates[currency] if d <= day] or [min(rates[currency])]
    return rates[currency][max(usable)]


def _ensure_organisations(countries):
    orgs = []
    for name, code, kind in ORGANISATIONS:
        org, _ = Organisation.objects.get_or_create(
            name_en=f"{name} (demo)",
            defaults={"name": f"{name} (demo)", "country": countries.get(code), "kind": kind, "demo": True},
        )
        orgs.append(org)
    return orgs


def _ensure_events(commission, today):
    made = 0
    for n, (kind, title) in enumerate(EVENT_TITLES):
        start = today + datetime.timedelta(days=(n - 3) * 35)
        _, created = Event.objects.get_or_create(
            slug=f"demo-{slugify(title)}",
            defaults={
                "commission": commission,
                "kind": kind,
                "title": f"{title} (demo)",
                "title_en": f"{title} (demo)",
                "start_date": start,
                "end_date": start + datetime.timedelta(days=2),
                "place": PLACES[(n * 5) % len(PLACES)][2],
                "description": "A fictional event, shown to demonstrate the events calendar.",
                "published": n != 7,
                "demo": True,
            },
        )
        made += created
    return made


def task_counts(projects, tasks):
    """How many tasks each of `projects` demo projects gets: `tasks` in all, more for some, fewer for others."""
    rng = random.Random(f"tasks-{projects}-{tasks}")
    weights = [rng.uniform(0.5, 1.5) for _ in range(projects)]
    scale = tasks / sum(weights)
    counts, running, given = [], 0.0, 0
    for weight in weights:
        running += weight * scale
        counts.append(round(running) - given)
        given += counts[-1]
    return counts


def _milestone(n):
    """The n-th milestone's title; long plans go round the list again as further stages."""
    title = MILESTONES[n % len(MILESTONES)]
    return f"{title} (stage {n // len(MILESTONES) + 1})" if n >= len(MILESTONES) else title


def _tasks_for(rng, project, status, lag, today, count=None):
    """Milestones spread over the planned duration, done or not according to the project's state."""
    count = rng.randint(4, 8) if count is None else count
    planned_start, planned_end = project.planned_start, project.planned_end
    span = (planned_end - planned_start).days
    tasks = []
    for n in range(count):
        due = planned_start + datetime.timedelta(days=span * (n + 1) // (count + 1))
        task = Task(
            project=project,
            title=_milestone(n),
            title_en=_milestone(n),
            due_date=due,
            weight=rng.choice([1, 1, 2, 3]),
            order=n,
            is_milestone=n in (2, count - 1),
        )
        if status == Project.Status.CLOSED:
            task.status = Task.Status.DONE
        elif status == Project.Status.CANCELLED:
            task.status = Task.Status.DONE if n == 0 and due < today else Task.Status.CANCELLED
        elif due < today:
            # Projects with a lag leave some past milestones unfinished: these become overdue.
            late = rng.random() < lag
            task.status = rng.choice([Task.Status.IN_PROGRESS, Task.Status.BLOCKED]) if late else Task.Status.DONE
        elif due < today + datetime.timedelta(days=60) and status != Project.Status.PIPELINE:
            task.status = Task.Status.IN_PROGRESS
        else:
            task.status = Task.Status.PLANNED
        if task.status == Task.Status.DONE:
            task.completed_date = min(due + datetime.timedelta(days=rng.randint(-15, 25)), today)
        tasks.append(task)
    return tasks


def _updates_for(rng, project, planned_start, today, tasks):
    done = sum(t.weight for t in tasks if t.status == Task.Status.DONE)
    total = sum(t.weight for t in tasks if t.status != Task.Status.CANCELLED) or 1
    physical = Decimal(100 * done // total)
    updates = []
    # The newest update is recent for most projects and older than 90 days for some.
    latest = today - datetime.timedelta(days=rng.choice([7, 20, 35, 60, 75, 120, 200]))
    for n in range(rng.randint(1, 3)):
        reported = latest - datetime.timedelta(days=90 * n)
        if reported < planned_start:
            break
        share = max(Decimal(0), physical - 10 * n)
        updates.append(
            ProgressUpdate(
                project=project,
                reported_on=reported,
                title=f"Quarterly report {reported:%m.%Y}",
                title_en=f"Quarterly report {reported:%m.%Y}",
                body="Fictional demonstration update: work continued on the milestones listed below.",
                body_en="Fictional demonstration update: work continued on the milestones listed below.",
                confidence=project.confidence,
                physical_progress=share,
                financial_progress=max(Decimal(0), share - 5),
                publication=Publication.PUBLISHED if n or rng.random() > 0.1 else Publication.DRAFT,
            )
        )
    return updates


def _plan_project(i, code, rng, groups, rates, today):
    """The i-th demo project (not saved), with its sector slug, place and how far it lags."""
    sector_slugs = list(KINDS)
    # Each round of the sectors starts one further on, so that the sector cycle never lines up
    # with the publication cycle (24 long): every sector gets published projects, not only drafts.
    sector_slug = sector_slugs[(i + i // len(sector_slugs)) % len(sector_slugs)]
    kinds, group_slug = KINDS[sector_slug]
    if i % 8 == 3:  # every working group in turn, not only the obvious one (these i are never drafts)
        group_slug = list(groups)[(i // 8) % len(groups)]
    place = PLACES[(i * 7 + rng.randint(0, 3)) % len(PLACES)]
    kind = kinds[(i // len(sector_slugs)) % len(kinds)]
    status = STATUS_CYCLE[i % len(STATUS_CYCLE)]
    title = f"{kind} in {place[2]}"
    start_offset = {
        Project.Status.PIPELINE: rng.randint(-200, 300),
        Project.Status.CLOSED: rng.randint(-2200, -1500),
    }.get(status, rng.randint(-1400, -150))
    planned_start = today + datetime.timedelta(days=start_offset)
    planned_end = planned_start + datetime.timedelta(days=rng.randint(540, 1800))
    if status == Project.Status.CLOSED:
        planned_end = min(planned_end, today - datetime.timedelta(days=30))
    # One draft waits for a rate that nobody has entered yet: the USD figure says so.
    currency = "CNY" if i == 5 else CURRENCIES[i % len(CURRENCIES)]
    usd = Decimal(rng.randint(8, 160)) * Decimal(1_000_000)
    amount = (usd * _rate_on(rates, currency, planned_start)).quantize(Decimal("1"))
    started = status not in (Project.Status.PIPELINE,) and planned_start <= today
    summary = f"Fictional demonstration project: a {kind.lower()} in {place[2]}. Not real data."
    project = Project(
        code=code,
        slug=f"{code.lower()}-{slugify(title)}"[:250],
        title=title,
        title_en=title,
        summary=summary,
        summary_en=summary,
        working_group=groups[group_slug],
        status=status,
        confidence=CONFIDENCE_CYCLE[(i * 5) % len(CONFIDENCE_CYCLE)],
        confidence_commentary="Demo commentary: the assessment is invented for demonstration.",
        investment_amount=amount,
        investment_currency=currency,
        rate_date=min(max(planned_start, FIRST_RATE_DAY), today),
        jobs_planned=rng.randint(40, 900),
        planned_start=planned_start,
        planned_end=planned_end,
        actual_start=planned_start + datetime.timedelta(days=rng.randint(0, 90)) if started else None,
        actual_end=planned_end if status == Project.Status.CLOSED else None,
        publication=publication_for(i),
        review_comment="Please add the participants' shares." if publication_for(i) == "returned" else "",
        source="Demo data (fictional)",
        demo=True,
    )
    if project.actual_start and project.actual_start > today:
        project.actual_start = today
    if status == Project.Status.CLOSED:
        project.jobs_created = project.jobs_planned
    return project, sector_slug, place, rng.choice([0.0, 0.0, 0.15, 0.4, 0.8])


def _participants_for(rng, project, orgs):
    participants = []
    for n, org in enumerate(rng.sample(orgs, rng.randint(1, 3))):
        role = [ProjectParticipant.Role.INVESTOR, ProjectParticipant.Role.IMPLEMENTER][min(n, 1)]
        share = Decimal(100) if n == 0 and role == "investor" else None
        participants.append(ProjectParticipant(project=project, organisation=org, role=role, share=share))
    return participants


def _locations_for(rng, project, place, countries):
    places = [place] + ([PLACES[(PLACES.index(place) + 11) % len(PLACES)]] if rng.random() < 0.2 else [])
    locations = []
    for code, region, name, lat, lon in places:
        jitter = Decimal(rng.randint(-20, 20)) / 100
        locations.append(
            ProjectLocation(
                project=project,
                country=countries[code],
                region=region,
                region_en=region,
                place=name,
                place_en=name,
                latitude=Decimal(lat) + jitter,
                longitude=Decimal(lon) - jitter,
            )
        )
    return locations


def _add_children(plans, counts, countries, orgs, today):
    """Sectors, tasks, updates, participants and locations of the new projects, inserted in bulk."""
    through = Project.sectors.through
    sectors = {s.slug: s for s in Sector.objects.all()}
    links, tasks, updates, participants, locations, budgets, moves = [], [], [], [], [], [], []
    for project, rng, sector_slug, place, lag, index in plans:
        links.append(through(project_id=project.pk, sector_id=sectors[sector_slug].pk))
        if sector_slug in RELATED and rng.random() < 0.2:
            links.append(through(project_id=project.pk, sector_id=sectors[RELATED[sector_slug]].pk))
        project_tasks = _tasks_for(rng, project, project.status, lag, today, counts[index] if counts else None)
        tasks += project_tasks
        if project.publication == Publication.PUBLISHED and project.planned_start <= today:
            updates += _updates_for(rng, project, project.planned_start, today, project_tasks)
        participants += _participants_for(rng, project, orgs)
        locations += _locations_for(rng, project, place, countries)
        project_budgets, project_moves = money_for(project, orgs, today)
        budgets += project_budgets
        moves += project_moves
    for model, rows in (
        (through, links),
        (Task, tasks),
        (ProgressUpdate, updates),
        (ProjectParticipant, participants),
        (ProjectLocation, locations),
        (Budget, budgets),
        (Transaction, moves),
    ):
        model.objects.bulk_create(rows, batch_size=BATCH)


@transaction.atomic
def load_demo(count=72, today=None, tasks=None):
    """Add demo projects DEMO-00001 … up to `count` (with `tasks` tasks in all, or 4–8 each); returns a Tally."""
    today = today or timezone.localdate()
    counts = task_counts(count, tasks) if tasks is not None else None
    tally = Tally()
    bump_on_commit()  # bulk_create sends no signals: new pages for the cache when this commits
    with translation.override("en"):
        commission = Commission.objects.get(slug=COMMISSION_SLUG)
        countries = {c.code: c for c in Country.objects.all()}
        groups = {g.slug: g for g in WorkingGroup.objects.all()}
        rates = _ensure_rates()
        orgs = _ensure_organisations(countries)
        tally.events = _ensure_events(commission, today)
        width = max(5, len(str(count)))
        existing = set(Project.objects.filter(code__startswith=CODE_PREFIX).values_list("code", flat=True))
        plans = []
        for i in range(count):
            code = f"{CODE_PREFIX}{i + 1:0{width}d}"
            if code in existing:
                tally.unchanged += 1
                continue
            rng = random.Random(f"{i}-{count}")
            project, sector_slug, place, lag = _plan_project(i, code, rng, groups, rates, today)
            plans.append((project, rng, sector_slug, place, lag, i))
        Project.objects.bulk_create([p[0] for p in plans], batch_size=BATCH)
        tally.created += len(plans)
        _add_children(plans, counts, countries, orgs, today)
        demo_results.add_results([(p[0], p[4]) for p in plans], today)
        # Bulk inserts (rates, projects, tasks, money) bypass save(), which keeps the stored figures.
        for model in (Budget, Transaction):
            stored_figures.refresh_money_usd(model.objects.filter(project__code__startswith=CODE_PREFIX))
        stored_figures.refresh_all()
    return tally
