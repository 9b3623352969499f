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
    Confidence,
    ExchangeRate,
    Organisation,
    ProgressUpdate,
    Project,
    ProjectLocation,
    ProjectParticipant,
    Publication,
    Task,
)
from .facts import COMMISSION_SLUG
from .upsert import Tally

CODE_PREFIX = "DEMO-"
DEMO_RATE_SOURCE = "Demo rate: fictional, for demonstration only"
BATCH = 1000
FIRST_RATE_DAY = datetime.date(2023, 1, 1)

# Fictional rates (units per US dollar) on 1 January of each year.
DEMO_RATES = {
    "KZT": {2023: "460", 2024: "455", 2025: "520", 2026: "510"},
    "UZS": {2023: "11400", 2024: "12300", 2025: "12900", 2026: "12100"},
    "EUR": {2023: "0.93", 2024: "0.90", 2025: "0.96", 2026: "0.86"},
}

# Real places with their coordinates: country, region, place, latitude, longitude.
PLACES = [
    ("KZ", "Almaty", "Almaty", "43.2389", "76.8897"),
    ("KZ", "Astana", "Astana", "51.1694", "71.4491"),
    ("KZ", "Shymkent", "Shymkent", "42.3417", "69.5901"),
    ("KZ", "Turkestan region", "Turkistan", "43.2973", "68.2518"),
    ("KZ", "Karaganda region", "Karaganda", "49.8047", "73.1094"),
    ("KZ", "Aktobe region", "Aktobe", "50.2839", "57.1670"),
    ("KZ", "Kostanay region", "Kostanay", "53.2144", "63.6246"),
    ("KZ", "Pavlodar region", "Pavlodar", "52.2873", "76.9674"),
    ("KZ", "Jambyl region", "Taraz", "42.9000", "71.3667"),
    ("KZ", "Kyzylorda region", "Kyzylorda", "44.8528", "65.5092"),
    ("KZ", "Atyrau region", "Atyrau", "47.1167", "51.8833"),
    ("UZ", "Tashkent", "Tashkent", "41.2995", "69.2401"),
    ("UZ", "Samarkand region", "Samarkand", "39.6542", "66.9597"),
    ("UZ", "Bukhara region", "Bukhara", "39.7747", "64.4286"),
    ("UZ", "Fergana region", "Fergana", "40.3894", "71.7830"),
    ("UZ", "Andijan region", "Andijan", "40.7821", "72.3442"),
    ("UZ", "Namangan region", "Namangan", "40.9983", "71.6726"),
    ("UZ", "Navoi region", "Navoi", "40.0844", "65.3792"),
    ("UZ", "Kashkadarya region", "Karshi", "38.8606", "65.7891"),
    ("UZ", "Karakalpakstan", "Nukus", "42.4531", "59.6103"),
    ("UZ", "Syrdarya region", "Gulistan", "40.4897", "68.7842"),
    ("UZ", "Surkhandarya region", "Termez", "37.2242", "67.2783"),
    ("UZ", "Jizzakh region", "Jizzakh", "40.1158", "67.8422"),
]

# What a project might be, by sector slug, and which working group would follow it.
KINDS = {
    "machine-building": (["Agricultural machinery assembly", "Bus assembly line", "Electric motor works",
                          "Railway wagon repair works"], "deputy-heads"),
    "energy": (["Solar power plant", "Wind farm", "Substation and grid link", "Small hydropower station"],
               "deputy-heads"),
    "transport-logistics": (["Multimodal freight terminal", "Cross-border road upgrade", "Dry port",
                             "Cold-chain logistics hub"], "icic"),
    "mining": (["Copper concentrate plant", "Tungsten deposit development", "Gold tailings reprocessing"],
               "rare-metals"),
    "textile": (["Cotton yarn spinning mill", "Garment factory", "Denim weaving plant"], "icic"),
    "food": (["Fruit and vegetable processing plant", "Dairy plant", "Flour mill", "Meat processing plant"],
             "trade-barriers"),
    "agriculture": (["Greenhouse complex", "Drip irrigation scheme", "Seed breeding centre", "Orchard development"],
                    "trade-barriers"),
    "it": (["Joint IT park", "Data centre", "Electronic customs data exchange", "Software development centre"],
           "deputy-heads"),
    "water": (["Irrigation canal rehabilitation", "Water metering programme", "Pumping station modernisation"],
              "water"),
    "chemicals": (["Soda ash plant", "Polymer packaging plant", "Rare-earth oxide separation line"], "rare-metals"),
    "construction": (["Cement plant", "Float glass factory", "Brick works"], "deputy-heads"),
    "finance-trade": (["Trade house", "Joint investment fund", "Wholesale distribution centre"], "trade-barriers"),
    "tourism": (["Silk Road tourist route", "Resort hotel", "Mountain resort development"], "deputy-heads"),
    "culture": (["Joint cultural centre", "Restoration of a historic site"], "deputy-heads"),
    "education": (["University branch campus", "Vocational training centre"], "deputy-heads"),
    "sport-youth": (["Youth sports academy", "Youth exchange centre"], "deputy-heads"),
}  # fmt: skip

# A second sector that some projects of a sector also serve.
RELATED = {
    "energy": "water",
    "agriculture": "water",
    "food": "agriculture",
    "textile": "agriculture",
    "mining": "chemicals",
    "transport-logistics": "finance-trade",
    "it": "education",
    "tourism": "culture",
    "sport-youth": "education",
}

ORGANISATIONS = [
    ("Steppe Power", "KZ", Organisation.Kind.PRIVATE_COMPANY),
    ("Turan Logistics", "UZ", Organisation.Kind.PRIVATE_COMPANY),
    ("Altyn Dala Agro", "KZ", Organisation.Kind.PRIVATE_COMPANY),
    ("Zarafshan Textiles", "UZ", Organisation.Kind.PRIVATE_COMPANY),
    ("Saryarka Engineering", "KZ", Organisation.Kind.PRIVATE_COMPANY),
    ("Ferghana Foods", "UZ", Organisation.Kind.PRIVATE_COMPANY),
    ("Caspian Minerals", "KZ", Organisation.Kind.STATE_COMPANY),
    ("Amu Water Systems", "UZ", Organisation.Kind.STATE_COMPANY),
    ("Central Asia Development Fund", "KZ", Organisation.Kind.FINANCIAL),
    ("Silk Road Investment Bank", "UZ", Organisation.Kind.FINANCIAL),
    ("Ministry of Industry", "KZ", Organisation.Kind.GOVERNMENT),
    ("Ministry of Investment", "UZ", Organisation.Kind.GOVERNMENT),
    ("Tien Shan Digital", "KZ", Organisation.Kind.PRIVATE_COMPANY),
    ("Samarkand Build", "UZ", Organisation.Kind.PRIVATE_COMPANY),
    ("Regional Infrastructure Facility", None, Organisation.Kind.INTERNATIONAL),
    ("Irtysh Chemicals", "KZ", Organisation.Kind.PRIVATE_COMPANY),
]

MILESTONES = [
    "Feasibility study approved",
    "Land plot allocated",
    "Financing agreement signed",
    "Construction permit issued",
    "Main contractor selected",
    "Equipment delivered",
    "Construction completed",
    "Commissioning and first output",
    "Design capacity reached",
]

STATUS_CYCLE = [
    Project.Status.IMPLEMENTATION,
    Project.Status.PIPELINE,
    Project.Status.IMPLEMENTATION,
    Project.Status.FINALISATION,
    Project.Status.IMPLEMENTATION,
    Project.Status.CLOSED,
    Project.Status.IMPLEMENTATION,
    Project.Status.SUSPENDED,
    Project.Status.PIPELINE,
    Project.Status.IMPLEMENTATION,
    Project.Status.CANCELLED,
]
CONFIDENCE_CYCLE = [c for c in Confidence.values if c != Confidence.NOT_ASSESSED] + [Confidence.NOT_ASSESSED]
CURRENCIES = ["USD", "USD", "KZT", "USD", "UZS", "EUR", "USD", "KZT", "UZS"]
EVENT_TITLES = [
    (Event.Kind.CULTURE, "Days of Uzbek culture in Almaty"),
    (Event.Kind.EDUCATION, "Joint university admissions fair"),
    (Event.Kind.SPORT, "Friendship football tournament"),
    (Event.Kind.YOUTH, "Youth forum of the two countries"),
    (Event.Kind.TOURISM, "Silk Road tourism fair"),
    (Event.Kind.HUMANITARIAN, "Joint medical volunteers' week"),
    (Event.Kind.BUSINESS, "Regional business forum"),
    (Event.Kind.CULTURE, "Days of Kazakh cinema in Tashkent"),
]


def publication_for(i):
    """Most demo projects are published; a few wait in each earlier state of the workflow."""
    return {5: Publication.DRAFT, 13: Publication.SUBMITTED, 21: Publication.RETURNED}.get(
        i % 24, Publication.PUBLISHED
    )


def _ensure_rates():
    existing = set(ExchangeRate.objects.values_list("currency", "date"))
    rates = [
        ExchangeRate(
            currency=cur, date=datetime.date(year, 1, 1), units_per_usd=Decimal(value), source=DEMO_RATE_SOURCE
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


def _tasks_for(rng, project, planned_start, planned_end, status, lag, today):
    """Milestones spread over the planned duration, done or not according to the project's state."""
    count = rng.randint(4, 8)
    span = (planned_end - planned_start).days
    tasks = []
    for n in range(count):
        due = planned_start + datetime.timedelta(days=span * (n + 1) // (count + 1))
        task = Task(
            project=project,
            title=MILESTONES[n],
            title_en=MILESTONES[n],
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


@transaction.atomic
def load_demo(count=72, today=None):
    """Add demo projects DEMO-00001 … up to `count`; returns a Tally."""
    today = today or timezone.localdate()
    tally = Tally()
    bump_on_commit()  # bulk_create sends no signals: new pages for the cache when this commits
    with translation.override("en"):
        commission = Commission.objects.get(slug=COMMISSION_SLUG)
        countries = {c.code: c for c in Country.objects.all()}
        sectors = {s.slug: s for s in Sector.objects.all()}
        groups = {g.slug: g for g in WorkingGroup.objects.all()}
        rates = _ensure_rates()
        orgs = _ensure_organisations(countries)
        events = _ensure_events(commission, today)
        width = max(5, len(str(count)))
        existing = set(Project.objects.filter(code__startswith=CODE_PREFIX).values_list("code", flat=True))
        sector_slugs = list(KINDS)
        plans = []
        for i in range(count):
            code = f"{CODE_PREFIX}{i + 1:0{width}d}"
            if code in existing:
                tally.unchanged += 1
                continue
            rng = random.Random(f"{i}-{count}")
            sector_slug = sector_slugs[i % len(sector_slugs)]
            kinds, group_slug = KINDS[sector_slug]
            if i % 7 == 3:  # spread across every working group, not only the obvious one
                group_slug = list(groups)[i % len(groups)]
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
            project = Project(
                code=code,
                slug=f"{code.lower()}-{slugify(title)}"[:250],
                title=title,
                title_en=title,
                summary=f"Fictional demonstration project: a {kind.lower()} in {place[2]}. Not real data.",
                summary_en=f"Fictional demonstration project: a {kind.lower()} in {place[2]}. Not real data.",
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
            lag = rng.choice([0.0, 0.0, 0.15, 0.4, 0.8])
            plans.append((project, rng, sector_slug, place, lag))
        Project.objects.bulk_create([p[0] for p in plans], batch_size=BATCH)
        tally.created += len(plans)

        through = Project.sectors.through
        links, tasks, updates, participants, locations = [], [], [], [], []
        for project, rng, sector_slug, place, lag in plans:
            links.append(through(project_id=project.pk, sector_id=sectors[sector_slug].pk))
            if sector_slug in RELATED and rng.random() < 0.2:
                links.append(through(project_id=project.pk, sector_id=sectors[RELATED[sector_slug]].pk))
            project_tasks = _tasks_for(
                rng, project, project.planned_start, project.planned_end, project.status, lag, today
            )
            tasks += project_tasks
            if project.publication == Publication.PUBLISHED and project.planned_start <= today:
                updates += _updates_for(rng, project, project.planned_start, today, project_tasks)
            for n, org in enumerate(rng.sample(orgs, rng.randint(1, 3))):
                role = [ProjectParticipant.Role.INVESTOR, ProjectParticipant.Role.IMPLEMENTER][min(n, 1)]
                participants.append(
                    ProjectParticipant(
                        project=project,
                        organisation=org,
                        role=role,
                        share=Decimal(100) if n == 0 and role == "investor" else None,
                    )
                )
            places = [place] + ([PLACES[(PLACES.index(place) + 11) % len(PLACES)]] if rng.random() < 0.2 else [])
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
        for model, rows in (
            (through, links),
            (Task, tasks),
            (ProgressUpdate, updates),
            (ProjectParticipant, participants),
            (ProjectLocation, locations),
        ):
            model.objects.bulk_create(rows, batch_size=BATCH)
        # Bulk inserts (rates, projects, tasks) bypass save(), which keeps the stored figures.
        stored_figures.refresh_all()
    tally.events = events
    return tally
