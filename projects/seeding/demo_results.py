"""Results of the demo portfolio: indicators with a baseline, a target and actual values per half-year.

Every project gets its jobs as an outcome indicator ("Jobs created", target = jobs planned) and an
output measured in per cent of works completed; those under way also a yes/no commissioning
indicator. Values are reported every six months from the planned start to today; the newest is
still waiting for review in some projects. Deterministic per project code; inserted in bulk.
"""

import datetime
import random
from decimal import Decimal

from .. import stored_figures
from ..models import Indicator, IndicatorValue, Project, Publication, Result

BATCH = 1000
PERIOD = 182  # days: half-yearly reporting


def _both(name, text):
    return {name: text, f"{name}_en": text}


def _share(lag, start, end, day):
    """How far a project that lags by `lag` has got on `day`, from 0 to 1."""
    total = max((end - start).days, 1)
    return max(0.0, min(1.0, (day - start).days / total * (1 - lag)))


def _periods(start, today):
    periods = []
    begin = start
    while begin + datetime.timedelta(days=PERIOD - 1) <= today and len(periods) < 12:
        end = begin + datetime.timedelta(days=PERIOD - 1)
        periods.append((begin, end))
        begin = end + datetime.timedelta(days=1)
    return periods


def _values(rng, indicator, periods, measure, lag, project, closed_at=None):
    rows = []
    for n, (begin, end) in enumerate(periods):
        # Reports come some months after the period; the projects that do not lag are a little ahead.
        share = _share(lag, project.planned_start, project.planned_end, end + datetime.timedelta(days=150))
        if measure == "jobs":
            value = Decimal(round(project.jobs_planned * share))
            if closed_at is not None and n == len(periods) - 1:
                value = Decimal(closed_at)
        elif measure == "percent":
            value = Decimal(round(100 * share, 1)).quantize(Decimal("0.1"))
        else:
            value = Decimal(1 if share >= 0.95 else 0)
        last = n == len(periods) - 1
        publication = Publication.PUBLISHED
        if last and rng.random() < 0.2:
            publication = rng.choice([Publication.SUBMITTED, Publication.DRAFT])
        comment = f"Demo value for {begin:%m.%Y}–{end:%m.%Y} (fictional)."
        rows.append(
            IndicatorValue(
                indicator=indicator,
                period_start=begin,
                period_end=end,
                value=value,
                publication=publication,
                **_both("comment", comment),
            )
        )
    return rows


def add_results(plans, today):
    """Results, indicators and values of the demo projects in `plans` ((project, lag) pairs, saved)."""
    results, indicators, values = [], [], []
    specs = []  # (result index, indicator kwargs, what its values measure)
    for project, lag in plans:
        rng = random.Random(f"results-{project.code}")
        jobs = Result(project=project, kind=Result.Kind.OUTCOME, order=0, **_both("title", "Jobs"))
        works = Result(
            project=project,
            kind=Result.Kind.OUTPUT,
            order=1,
            **_both("title", "Construction and installation works"),
            **_both("description", "Fictional demonstration result."),
        )
        results += [jobs, works]
        base = project.planned_start
        specs.append(
            (
                project,
                lag,
                rng,
                [
                    (
                        jobs,
                        dict(
                            measure="number",
                            target_value=project.jobs_planned,
                            **_both("title", "Jobs created"),
                            **_both("unit", "jobs"),
                        ),
                        "jobs",
                    ),
                    (
                        works,
                        dict(
                            measure="percentage",
                            target_value=100,
                            **_both("title", "Works completed"),
                            **_both("unit", "%"),
                        ),
                        "percent",
                    ),
                    *(
                        [
                            (
                                works,
                                dict(measure="yes_no", target_value=1, **_both("title", "Facility commissioned")),
                                "yes_no",
                            )
                        ]
                        if project.status != Project.Status.PIPELINE
                        else []
                    ),
                ],
                base,
            )
        )
    Result.objects.bulk_create(results, batch_size=BATCH)
    planned = []
    for project, lag, rng, items, base in specs:
        for order, (result, fields, measure) in enumerate(items):
            indicator = Indicator(
                result=result,
                baseline_value=0,
                baseline_date=base,
                target_date=project.planned_end,
                order=order,
                **fields,
            )
            indicators.append(indicator)
            planned.append((indicator, measure, project, lag, rng))
    Indicator.objects.bulk_create(indicators, batch_size=BATCH)
    for indicator, measure, project, lag, rng in planned:
        if project.planned_start > today:
            continue
        closed_at = project.jobs_created if project.status == Project.Status.CLOSED else None
        values += _values(rng, indicator, _periods(project.planned_start, today), measure, lag, project, closed_at)
    IndicatorValue.objects.bulk_create(values, batch_size=BATCH)
    # bulk_create skips IndicatorValue.save(): store each indicator's latest actual here (the
    # projects' counts per track follow in the loader's refresh_all).
    stored_figures.refresh_indicators((indicator.pk for indicator in indicators), counts=False)
    return len(values)
