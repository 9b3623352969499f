"""Reads that aggregate: directory facets, totals, the progress report, the API summary, the work list.

Every function takes a queryset already scoped to what the viewer may see (published projects for
the public, `scoped()` ones in the admin) and, where a figure depends on the day, an as-of date
(today when None). The rules themselves (overdue, behind schedule, progress, USD equivalent) are
queryset methods and conditions in querysets.py; this module only adds them up. Each figure of
the report and the API summary is computed once, in `FIGURES`.
"""

from decimal import ROUND_FLOOR, Decimal

from django.db.models import Avg, Count, DecimalField, ExpressionWrapper, F, FloatField, Max, Q, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear, NullIf
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from partnership.models import Country, Sector, WorkingGroup

from . import stored_figures
from .models import Confidence, Project, ProjectLocation, ProjectParticipant, Publication
from .querysets import overdue_task_q

# --- progress figures: the report and the API summary ----------------------------------------------

# Over a set of projects annotated by `with_figures()`: `progress` is the share of all task weight
# done (what the report shows), `mean_progress` the mean of the projects' own progress.
FIGURES = {
    "progress": ExpressionWrapper(
        100.0 * Sum("done_weight") / NullIf(Sum("task_weight"), 0), output_field=FloatField()
    ),
    "mean_progress": Avg("progress"),
    "overdue_tasks": Coalesce(Sum("overdue_tasks"), 0),
    "behind_schedule": Count("pk", filter=Q(behind_schedule=True)),
}
# The annotations summed over have the same names as some figures, so the sums are named apart.
SUMS = {f"sum_{name}": expression for name, expression in FIGURES.items()}
NO_FIGURES = {"progress": None, "mean_progress": None, "overdue_tasks": 0, "behind_schedule": 0}
# What a breakdown groups on, for the keys that are not plain project fields.
GROUP_KEYS = {"sectors": "sectors", "working_group": "working_group", "country": "locations__country"}
NO_VALUE = {
    "sectors": gettext_lazy("No sector"),
    "working_group": gettext_lazy("No working group"),
    "country": gettext_lazy("No location"),
}


def progress_figures(projects, as_of=None, key=None, labels=()):
    """The FIGURES on `as_of`, overall (one dict) or per value of `key` (a dict of dicts).

    `labels` are more fields to return with each row (and to order the rows by).
    """
    rows = projects.with_figures(as_of).order_by()
    if key is None:
        # aggregate() over these subquery annotations loses them on SQLite (Django wraps the query
        # and leaves the column out), so group on one constant instead: a single row.
        rows = rows.annotate(everything=Value(1)).values("everything").annotate(**SUMS)
        return next((_figures(row) for row in rows), dict(NO_FIGURES))
    if key == GROUP_KEYS["country"]:
        rows = rows.one_row_per_country()
    rows = rows.values(key, *labels).annotate(**SUMS).order_by(*labels, key)
    return {row[key]: {**_figures(row), **{label: row[label] for label in labels}} for row in rows}


def _figures(row):
    return {name: row[f"sum_{name}"] for name in FIGURES}


PROGRESS_BANDS = [
    ("none", gettext_lazy("no tasks yet"), Q(progress__isnull=True)),
    ("0", gettext_lazy("not started (0%)"), Q(progress=0)),
    ("1-25", gettext_lazy("1–25%"), Q(progress__gt=0, progress__lte=25)),
    ("26-50", gettext_lazy("26–50%"), Q(progress__gt=25, progress__lte=50)),
    ("51-75", gettext_lazy("51–75%"), Q(progress__gt=50, progress__lte=75)),
    ("76-99", gettext_lazy("76–99%"), Q(progress__gt=75, progress__lt=100)),
    ("100", gettext_lazy("complete (100%)"), Q(progress__gte=100)),
]


def progress_bands(projects, as_of=None):
    """How many projects fall in each band of progress on `as_of`, in the order of PROGRESS_BANDS."""
    counts = projects.with_progress(as_of).aggregate(**{key: Count("pk", filter=q) for key, _l, q in PROGRESS_BANDS})
    return [(key, label, counts[key]) for key, label, _q in PROGRESS_BANDS]


def overdue_tasks(projects, as_of=None):
    """The tasks of these projects overdue on `as_of`, earliest due first."""
    return (
        projects.tasks()
        .filter(overdue_task_q(as_of))
        .select_related("project", "responsible_organisation")
        .order_by("due_date", "project__code")
    )


REPORT_LISTS = ("overdue-tasks", "behind-schedule", "stale-projects")


def report_list(kind, projects, as_of=None):
    """The rows of one of a report's long lists (REPORT_LISTS) on `as_of`, in their order.

    Overdue tasks with their project; projects behind schedule with `elapsed` and `progress`;
    active projects without a recent update with the date of their `last_update` (published, on or
    before the day; None when they have none).
    """
    if kind == "overdue-tasks":
        return overdue_tasks(projects, as_of)
    if kind == "behind-schedule":
        return projects.behind_schedule(as_of).select_related("working_group").order_by("code")
    day = as_of or timezone.localdate()
    published = Q(updates__publication=Publication.PUBLISHED, updates__reported_on__lte=day)
    return (
        projects.without_recent_update(as_of)
        .select_related("working_group")
        .annotate(last_update=Max("updates__reported_on", filter=published))
        .order_by("code")
    )


def report(projects, directives, as_of=None):
    """The figures and lists of a progress report on `as_of` (lists as querysets, not yet cut)."""
    totals = projects.totals()
    return {
        "totals": totals,
        "figures": progress_figures(projects, as_of),
        "demo_count": totals["demo_count"],
        "by_status": totals_by(projects, "status"),
        "by_confidence": totals_by(projects, "confidence"),
        "by_sector": totals_by(projects, "sectors"),
        "bands": progress_bands(projects, as_of),
        "by_group": progress_figures(projects, as_of, "working_group", labels=("working_group__name",)),
        "overdue_tasks": overdue_tasks(projects, as_of),
        "behind": projects.behind_schedule(as_of).order_by("code"),
        "stale": projects.without_recent_update(as_of).order_by("code"),
        "directives": directives.state_counts(as_of),
    }


# --- totals and the API summary --------------------------------------------------------------------

ORDERED_CHOICES = {"status": Project.Status, "confidence": Confidence}


def totals_by(projects, field):
    """Count and USD total per value of `field`; statuses and confidences in their own order."""
    rows = projects.totals_by(field)
    if field in ORDERED_CHOICES:
        by_key = {row["key"]: row for row in rows}
        rows = [by_key[value] for value in ORDERED_CHOICES[field].values if value in by_key]
    return rows


def names_for(field, keys):
    """What each key of a breakdown stands for, and the key clients see (slug or code, not id)."""
    if field in ORDERED_CHOICES:
        return {value: (value, label) for value, label in ORDERED_CHOICES[field].choices}
    model, public_key = {"sectors": (Sector, "slug"), "working_group": (WorkingGroup, "slug")}.get(
        field, (Country, "code")
    )
    return {obj.pk: (getattr(obj, public_key), obj.name) for obj in model.objects.filter(pk__in=keys)}


def breakdown(projects, field, as_of=None):
    """Totals and progress figures per value of `field`, largest USD first, keys as clients see them."""
    # Totals and the FIGURES in one grouped query per dimension.
    rows = projects.totals_by(field, as_of, **SUMS)
    names = names_for(field, [row["key"] for row in rows if row["key"] is not None])
    result = []
    for row in rows:
        key, name = names.get(row["key"], (None, NO_VALUE.get(field, "")))
        figures = _figures(row)
        others = {k: v for k, v in row.items() if k != "key" and not k.startswith("sum_")}
        result.append({"key": key, "name": str(name), **others, **figures})
    return result


def summary(projects, dimensions, as_of=None):
    """Totals with progress figures, and a breakdown per dimension (`{name: field}`)."""
    return {
        "as_of": as_of,
        "totals": {**projects.totals(), **progress_figures(projects, as_of)},
        **{f"by_{name.replace('-', '_')}": breakdown(projects, field, as_of) for name, field in dimensions.items()},
    }


# --- investment by participants' countries ---------------------------------------------------------

CENT = Decimal("0.01")
# Shares are kept exact in the sums (up to 4 decimals of a percent of a cent) and rounded at the end.
EXACT = DecimalField(max_digits=32, decimal_places=8)


def investment_by_participant_country(projects):
    """Each priced project's USD equivalent split by its participants' shares, per country.

    A country gets `investment_usd × (sum of its participants' shares) / 100` of each project;
    what no share covers (no share recorded, shares under 100%, or a participant whose
    organisation has no country) is one row with `key` None, "unallocated". Rows have `key`
    (the country code), `name`, `usd` (rounded to cents so that the rows add up to `total`
    exactly: largest remainders), `count` (projects with a part in that row) and `percent` of the
    total; countries largest first, the unallocated row last (always there, zero or not). Three
    queries whatever the number of projects: the participants' sums, the rest, the countries' names.

    On a past day (`projects` the rows of projects.asof) each project's US-dollar figure is the one
    it had then, so the split adds up to that day's total; participants and their shares are
    today's (they keep no dated history).
    """

    def counted(path=""):
        """The participants whose share counts: a share recorded, an organisation with a country."""
        return Q(**{f"{path}share__isnull": False, f"{path}organisation__country__isnull": False})

    rows, key = projects.usd_rows()
    priced = rows.filter(investment_usd__isnull=False).order_by()
    participant = "project__participants"
    allocated = list(
        priced.filter(counted(f"{participant}__"))
        .values(country=F(f"{participant}__organisation__country"))
        .annotate(
            usd=Sum(F("investment_usd") * F(f"{participant}__share") / Value(100), output_field=EXACT),
            count=Count(key, distinct=True),
        )
    )
    # Shares never pass 100% (a wider one is refused), so what the countries leave of the total is
    # the unallocated part, and a project has a part there unless its counted shares reach 100%.
    whole = (
        ProjectParticipant.objects.filter(counted())
        .order_by()
        .values("project")
        .annotate(shares=Sum("share"))
        .filter(shares__gte=100)
        .values("project")
    )
    rest = priced.aggregate(
        total=Coalesce(Sum("investment_usd"), Value(Decimal(0)), output_field=EXACT),
        count=Count(key, filter=~Q(**{f"{key}__in": whole})),
    )
    rest["unallocated"] = rest["total"] - sum((row["usd"] for row in allocated), Decimal(0))
    total = Decimal(rest["total"]).quantize(CENT)
    countries = Country.objects.in_bulk([row["country"] for row in allocated])
    rows = [
        {
            "key": countries[row["country"]].code,
            "name": countries[row["country"]].name,
            "usd": Decimal(row["usd"]),
            "count": row["count"],
        }
        for row in allocated
    ]
    unallocated = {"key": None, "name": str(NO_SHARE), "usd": Decimal(rest["unallocated"]), "count": rest["count"]}
    rows.sort(key=lambda row: (-row["usd"], row["name"]))
    rows.append(unallocated)
    _round_to(total, rows)
    for row in rows:
        row["percent"] = float(100 * row["usd"] / total) if total else None
    return rows


NO_SHARE = gettext_lazy("Unallocated")


def _round_to(total, rows):
    """Round each row's `usd` to cents so that they add up to `total` (largest remainders)."""
    floors = [row["usd"].quantize(CENT, rounding=ROUND_FLOOR) for row in rows]
    cents = int((total - sum(floors, Decimal(0))) / CENT)
    by_remainder = sorted(range(len(rows)), key=lambda i: floors[i] - rows[i]["usd"])
    for i in by_remainder[:cents] if cents > 0 else by_remainder[::-1][:-cents]:
        floors[i] += CENT if cents > 0 else -CENT
    for row, value in zip(rows, floors, strict=True):
        row["usd"] = value


# --- the directory's facets -----------------------------------------------------------------------

MILLION = 1_000_000
# Investment ranges offered as one-click filters (USD); the bounds are those of the filters.
INVESTMENT_RANGES = [
    (None, 10 * MILLION - 0.01, gettext_lazy("under 10 million")),
    (10 * MILLION, 100 * MILLION - 0.01, gettext_lazy("10 to 100 million")),
    (100 * MILLION, 1000 * MILLION - 0.01, gettext_lazy("100 million to 1 billion")),
    (1000 * MILLION, None, gettext_lazy("1 billion and more")),
]


def directory_facets(projects, filterset):
    """Each filter of the directory with its options and the number of projects each would give.

    `projects` are those the viewer may see, with figures; `filterset` is bound and valid. A
    facet's counts apply every other filter but not its own, so that choosing a second sector
    shows how many more projects it adds. One query per facet.
    """
    cleaned = filterset.form.cleaned_data
    chosen = filterset.form.data.getlist

    def others(*own):
        queryset = projects
        for name, value in cleaned.items():
            if name not in own and name != "ordering":
                queryset = filterset.filters[name].filter(queryset, value)
        return queryset.order_by().values("pk")

    sectors = _related_counts(Sector, "projects", others("sector"))
    groups = _related_counts(WorkingGroup, "projects", others("working_group"))
    countries = _related_counts(Country, "project_locations__project", others("country"))
    return [
        _facet("sector", _("Sector"), [(s.slug, s.name, s.n) for s in sectors], chosen("sector")),
        _facet("working_group", _("Working group"), [(g.slug, g.name, g.n) for g in groups], chosen("working_group")),
        _facet("status", _("Status"), _choice_counts("status", Project.Status, others("status")), chosen("status")),
        _facet(
            "confidence",
            _("Delivery confidence"),
            _choice_counts("confidence", Confidence, others("confidence")),
            chosen("confidence"),
        ),
        _facet("country", _("Country"), [(c.code, c.name, c.n) for c in countries], chosen("country")),
        _facet("region", _("Region"), _region_counts(others("region")), chosen("region"), single=True),
        _investment_facet(others("investment_min", "investment_max"), filterset.form.data),
        _facet("start_year", _("Planned start year"), _year_counts(others("start_year")), chosen("start_year"), True),
        _facet("demo", _("Real or demo data"), _demo_counts(others("demo")), chosen("demo"), single=True),
    ]


def _facet(name, label, options, chosen, single=False):
    """A facet of (value, label, count) options; an option with no project shows only if chosen."""
    return {
        "name": name,
        "label": label,
        "single": single,
        "options": [
            {"value": value, "label": text, "count": n, "selected": value in chosen}
            for value, text, n in options
            if n or value in chosen
        ],
    }


def _related_counts(model, path, ids):
    """Every row of `model` with `n`, its number of distinct projects among `ids` through `path`."""
    return model.objects.annotate(n=Count(path, filter=Q(**{f"{path}__in": ids}), distinct=True))


def _choice_counts(field, choices, ids):
    counts = dict(Project.objects.filter(pk__in=ids).order_by().values_list(field).annotate(n=Count("pk")))
    return [(value, label, counts.get(value, 0)) for value, label in choices.choices]


DEMO_CHOICES = [("real", False, gettext_lazy("Real projects only")), ("demo", True, gettext_lazy("Demo projects only"))]


def _demo_counts(ids):
    """(value, label, count) of the real and of the demo projects among `ids`, in one query."""
    counts = dict(Project.objects.filter(pk__in=ids).order_by().values_list("demo").annotate(n=Count("pk")))
    return [(value, label, counts.get(flag, 0)) for value, flag, label in DEMO_CHOICES]


def demo_in(facets):
    """How many demo projects the directory's list holds, read from its `demo` facet."""
    facet = next((facet for facet in facets if facet["name"] == "demo"), None)
    if facet is None or any(option["selected"] and option["value"] == "real" for option in facet["options"]):
        return 0
    return sum(option["count"] for option in facet["options"] if option["value"] == "demo")


def _region_counts(ids):
    """(value, label, count) per region among `ids`: one option per English name, which the region
    filter matches, labelled in this language where any location of it has a translation (demo
    locations carry English only, seeded ones all four languages)."""
    language = _language()
    regions = (
        ProjectLocation.objects.filter(project__in=ids)
        .exclude(region_en="")
        .order_by()
        .values("region_en")
        .annotate(n=Count("project", distinct=True), label=Max(f"region_{language}"))
        .order_by("region_en")
    )
    return [(row["region_en"], row["label"] or row["region_en"], row["n"]) for row in regions]


def _language():
    return (get_language() or "en").split("-")[0]


def _year_counts(ids):
    years = (
        Project.objects.filter(pk__in=ids, planned_start__isnull=False)
        .annotate(year=ExtractYear("planned_start"))
        .order_by()
        .values_list("year")
        .annotate(n=Count("pk"))
        .order_by("year")
    )
    return [(str(year), str(year), n) for year, n in years]


def _investment_facet(ids, selected):
    def bound(value, digits):
        return "" if value is None else f"{value:.{digits}f}"

    def in_range(low, high):
        return (Q(investment_usd__gte=low) if low is not None else Q(investment_usd__isnull=False)) & (
            Q(investment_usd__lte=high) if high is not None else Q()
        )

    buckets = (
        Project.objects.with_usd()
        .filter(pk__in=ids)
        .aggregate(
            **{f"b{i}": Count("pk", filter=in_range(low, high)) for i, (low, high, _l) in enumerate(INVESTMENT_RANGES)}
        )
    )
    return {
        "name": "investment",
        "label": _("Investment (USD)"),
        "ranges": [
            {
                "label": label,
                "count": buckets[f"b{i}"],
                "min": bound(low, 0),
                "max": bound(high, 2),
                "selected": selected.get("investment_min", "") == bound(low, 0)
                and selected.get("investment_max", "") == bound(high, 2),
            }
            for i, (low, high, label) in enumerate(INVESTMENT_RANGES)
        ],
    }


def country_centres(projects):
    """Countries where these projects have located places, each with the mean `lat` and `lon`."""
    return (
        Country.objects.filter(
            project_locations__project__in=projects.values("pk"), project_locations__latitude__isnull=False
        )
        .annotate(lat=Avg("project_locations__latitude"), lon=Avg("project_locations__longitude"))
        .order_by("name")
    )


# --- the admin home's work list --------------------------------------------------------------------


def worklist(*, tasks=None, projects=None, updates=None, changes=None, on=None, rows=8):
    """Count and first rows of each list of work waiting, from querysets already scoped to the user.

    A list is left out when its queryset is None (the user may not see that kind of record).
    """
    lists = {}
    if tasks is not None:
        lists["overdue-tasks"] = tasks.overdue(on).select_related("project").order_by("due_date", "pk")
    if projects is not None:
        lists["stale-projects"] = projects.without_recent_update(on).order_by("code")
        lists["returned"] = projects.filter(publication=Publication.RETURNED).order_by("code")
        lists["submitted-projects"] = projects.filter(publication=Publication.SUBMITTED).order_by("updated")
    if updates is not None:
        lists["submitted-updates"] = (
            updates.filter(publication=Publication.SUBMITTED).select_related("project").order_by("reported_on")
        )
    if changes is not None:
        lists["pending-changes"] = changes.select_related("author").prefetch_related("record").order_by("created")
    return {key: {"count": queryset.count(), "rows": list(queryset[:rows])} for key, queryset in lists.items()}


# --- the map ---------------------------------------------------------------------------------------


def map_places(projects):
    """One row per place where these projects are located, most projects first.

    A place is a country, region and place name, grouped on the English names (what the
    directory's region filter matches) and shown in this language. Each row has the `country`
    (a Country), `region`, `place`, `region_en`, the number of `projects` there, their `usd` total
    (of those with a known rate), `unpriced` (those without one), `demo` (how many of them are
    demo projects) and the mean `lat` and `lon` of the place's recorded coordinates, rounded to
    three decimals (None when none has them).
    """
    language = _language()
    rows = (
        ProjectLocation.objects.filter(project__in=projects.values("pk"))
        .order_by()
        .values("country", "region_en", "place_en")
        .annotate(
            region=Max(f"region_{language}"),
            place=Max(f"place_{language}"),
            projects=Count("project", distinct=True),
            usd=Sum("project__figures__investment_usd"),
            unpriced=Count(
                "project",
                distinct=True,
                filter=Q(project__investment_amount__isnull=False, project__figures__investment_usd__isnull=True),
            ),
            demo=Count("project", distinct=True, filter=Q(project__demo=True)),
            lat=Avg("latitude"),
            lon=Avg("longitude"),
        )
        .order_by("-projects", "country", "region_en", "place_en")
    )
    rows = list(rows)
    countries = Country.objects.in_bulk({row["country"] for row in rows})
    for row in rows:
        row["country"] = countries[row["country"]]
        row["region"] = row["region"] or row["region_en"]
        row["place"] = row["place"] or row["place_en"]
        for axis in ("lat", "lon"):
            row[axis] = None if row[axis] is None else round(float(row[axis]), 3)
    return rows


# --- results: indicators on track ---------------------------------------------------------------

TRACK_COUNTS = ("on_track", "off_track", "no_data", "count")


def indicators_on_track(projects, as_of=None):
    """Indicators of `projects` on track, off track and without data on `as_of`
    (the rule of IndicatorQuerySet.with_status): in all, per working group and per sector. Today
    adds up the counts each project stores (ProjectFigures); a past day's projects
    (projects.asof) count their indicators' values of then. An indicator of a project in two
    sectors counts in each.
    """
    by_group = _track_rows(projects, "working_group")
    # Every indicator is in exactly one working-group row ("no working group" included): the totals
    # add up those rows rather than count every indicator again.
    totals = {name: sum(row[name] for row in by_group) for name in TRACK_COUNTS}
    return {
        "as_of": as_of,
        "totals": totals,
        "by_working_group": by_group,
        "by_sector": _track_rows(projects, "sectors"),
    }


def _track_rows(projects, field):
    """One row per value of `field` with its counts per track, as the database counted them."""
    rows = projects.tracks_by(field)
    names = names_for(field, [row["key"] for row in rows if row["key"] is not None])
    result = []
    for row in rows:
        key, name = names.get(row["key"], (None, NO_VALUE[field]))
        counts = {track: row[track] for track in TRACK_COUNTS[:3]}
        result.append({"key": key, "name": str(name), **counts, "count": sum(counts.values())})
    return sorted(result, key=lambda row: (row["key"] is None, -row["count"], row["name"]))


# --- money: budgets and transactions ---------------------------------------------------------------

# The columns of a project's money table, in order: the budgets in force, then the transactions.
MONEY_COLUMNS = ("budget", "commitment", "disbursement", "expenditure", "incoming_funds")
# Dimensions of the money totals → the field the stored per-project totals group on ("year" adds
# up the stored money per project and year instead).
MONEY_DIMENSIONS = {"working_group": "working_group", "sector": "sectors", "country": "country", "year": "year"}
MONEY_TOTALS = stored_figures.YEAR_FIELDS  # as stored per project and year


def project_money(project):
    """A project's budgets in force and published transactions per year (USD and each original
    currency), and the published transactions themselves: three queries."""
    from .models import Budget, Transaction

    measures = {
        "amount": Sum("amount"),
        "usd": Sum("amount_usd"),
        "unpriced": Count("pk", filter=Q(amount_usd__isnull=True)),
    }
    budgets = (
        Budget.objects.current()
        .filter(project=project)
        .annotate(year=ExtractYear("period_start"), column=Value("budget"))
        .order_by()
        .values("year", "column", "currency")
        .annotate(**measures)
    )
    published = Transaction.objects.public().filter(project=project)
    moves = (
        published.annotate(year=ExtractYear("date"), column=F("kind"))
        .order_by()
        .values("year", "column", "currency")
        .annotate(**measures)
    )
    years = {}
    for row in [*budgets, *moves]:
        cells = years.setdefault(row["year"], {column: _empty_cell() for column in MONEY_COLUMNS})
        cell = cells[row["column"]]
        cell["usd"] = (cell["usd"] or 0) + row["usd"] if row["usd"] is not None else cell["usd"]
        cell["amounts"].append((row["amount"], row["currency"]))
        cell["unpriced"] += row["unpriced"]
    rows = [{"year": year, **cells} for year, cells in sorted(years.items())]
    for row in rows:
        for column in MONEY_COLUMNS:
            row[column]["amounts"].sort(key=lambda pair: pair[1])
    return {
        "rows": rows,
        "transactions": list(published.select_related("provider", "receiver").order_by("date", "pk")),
    }


def _empty_cell():
    return {"usd": None, "amounts": [], "unpriced": 0}


def money_totals(projects, by):
    """USD totals of budgets, commitments and disbursements of `projects` per value of `by` (one
    of MONEY_DIMENSIONS), keys as clients see them; one grouped query (two for years)."""
    field = MONEY_DIMENSIONS[by]
    if field == "year":
        return _money_by_year(projects)
    key = GROUP_KEYS.get(field, field)
    rows = projects.one_row_per_country() if field == "country" else projects
    rows = (
        rows.order_by()
        .values(key)
        .annotate(
            count=Count("pk", distinct=True),
            **{name: Sum(f"figures__{name}") for name in MONEY_TOTALS},
            with_money=Count(
                "pk",
                distinct=True,
                filter=Q(figures__budget_usd__isnull=False) | Q(figures__committed_usd__isnull=False),
            ),
        )
        .order_by(key)
    )
    rows = list(rows)
    names = names_for(field, [row[key] for row in rows if row[key] is not None])
    result = []
    for row in rows:
        public_key, name = names.get(row[key], (None, NO_VALUE.get(field, "")))
        result.append({"key": public_key, "name": str(name), **{k: v for k, v in row.items() if k != key}})
    return sorted(result, key=lambda row: (-(row["committed_usd"] or 0), row["name"]))


def _money_by_year(projects):
    """money_totals by year: the stored money per project and year (stored_figures.computed_years
    says what each year holds), added up in one query."""
    from .models import ProjectMoneyYear

    rows = (
        ProjectMoneyYear.objects.filter(project__in=projects.order_by().values("pk"))
        .order_by()
        .values("year")
        .annotate(**{name: Sum(name) for name in MONEY_TOTALS})
        .order_by("year")
    )
    # A year is not a set of projects: no project counts.
    return [
        {"key": str(row["year"]), "name": str(row["year"]), "count": None, "with_money": None}
        | {name: row[name] for name in MONEY_TOTALS}
        for row in rows
    ]


def money_overall(projects):
    """USD totals of budgets, commitments and disbursements of `projects` (stored per project)."""
    return projects.aggregate(**{name: Sum(f"figures__{name}") for name in MONEY_TOTALS})
