"""What the records of a page of projects read besides the project: one query per relation.

A file holds up to 1,000 projects and some 30 related rows each. Model instances for all of
them (with the organisations and countries of every row joined in) cost far more than the
file itself, so the many rows (participants, locations, budgets, transactions, results,
indicators and their values) are read as plain rows with only the columns the exports use.
A row shows its fields as its model does: a translated field without a language suffix is the
active language's text, else the fallback's. The few rows shared by many projects
(organisations, countries) and the documents, whose links the model knows how to make, are
model instances, each read once.

`attach` sets on every project: `export_participants`, `export_locations`, `export_sectors`
(slugs), `public_documents`, `export_budgets`, `public_transactions` and `export_results`
(each with `indicators`, each of those with `public_values`); all in the order of the file.
"""

from collections import defaultdict
from functools import cache
from types import SimpleNamespace

from django.conf import settings
from django.utils.translation import get_language
from modeltranslation.utils import resolution_order

from partnership.models import Country, Sector

from ..models import (
    Document,
    Indicator,
    IndicatorValue,
    Organisation,
    ProjectLocation,
    ProjectParticipant,
    Publication,
    Result,
    Transaction,
)
from .records import budgets_with_force, languages


def localised(*fields):
    """The column names of translated fields in every language."""
    return [f"{field}_{lang}" for field in fields for lang in languages()]


def rows(queryset, fields, shown=()):
    """Plain rows of these columns, with each translated field of `shown` as the model shows it:
    the active language's text, else the first fallback language's that has one."""
    if hasattr(queryset, "rewrite"):
        # The columns are named in full: modeltranslation need not rewrite them (nor add its
        # per-row fallbacks to a values query).
        queryset = queryset.rewrite(False)
    order = resolution_order(get_language() or settings.LANGUAGE_CODE)
    shown = [(field, [f"{field}_{lang}" for lang in order]) for field in shown]
    found = []
    for values in queryset.values(*fields):
        for field, names in shown:
            values[field] = next((values.get(name) for name in names if values.get(name) not in (None, "")), "")
        found.append(SimpleNamespace(**values))
    return found


def grouped(items, key):
    groups = defaultdict(list)
    for item in items:
        groups[getattr(item, key)].append(item)
    return groups


@cache
def result_types():
    """Result kind → IATI result type, by the model's own rule."""
    return {kind: Result(kind=kind).iati_type for kind in Result.Kind.values}


@cache
def indicator_measures():
    """Indicator measure → IATI indicator measure, by the model's own rule."""
    return {measure: Indicator(measure=measure).iati_measure for measure in Indicator.Measure.values}


def attach(projects):
    """Read the related rows of these projects (a fixed number of queries) onto each of them."""
    projects = list(projects)
    ids = [project.pk for project in projects]
    participants = participant_rows(ids)
    transactions = transaction_rows(ids)
    with_organisations(participants, transactions)
    documents = Document.objects.filter(project_id__in=ids, published=True).order_by("pk")
    by_project = {
        "export_participants": grouped(participants, "project_id"),
        "export_locations": grouped(location_rows(ids), "project_id"),
        "export_sectors": sector_slugs(ids),
        "public_documents": grouped(documents, "project_id"),
        "export_budgets": grouped(budget_rows(ids), "project_id"),
        "public_transactions": grouped(transactions, "project_id"),
        "export_results": grouped(result_rows(ids), "project_id"),
    }
    for project in projects:
        for name, groups in by_project.items():
            setattr(project, name, groups.get(project.pk, []))
    return projects


def participant_rows(ids):
    queryset = ProjectParticipant.objects.filter(project_id__in=ids).order_by("role", "organisation__name", "pk")
    return rows(queryset, ("project_id", "organisation_id", "role"))


def transaction_rows(ids):
    """Published transactions only (drafts are not public), by date."""
    queryset = Transaction.objects.filter(project_id__in=ids, publication=Publication.PUBLISHED).order_by("date", "pk")
    fields = ("project_id", "pk", "kind", "date", "amount", "currency", "value_date", "provider_id", "provider_name")
    fields += ("receiver_id", "receiver_name", *localised("description"))
    return rows(queryset, fields)


def with_organisations(participants, transactions):
    """Each row's organisations as model instances (with their countries), each read once."""
    wanted = {row.organisation_id for row in participants}
    wanted.update(row.provider_id for row in transactions)
    wanted.update(row.receiver_id for row in transactions)
    wanted.discard(None)
    organisations = Organisation.objects.select_related("country").in_bulk(wanted)
    names = {pk: organisation.name for pk, organisation in organisations.items()}
    for row in participants:
        row.organisation = organisations[row.organisation_id]
    for row in transactions:
        row.provider = organisations.get(row.provider_id)
        row.receiver = organisations.get(row.receiver_id)
        # As Transaction.provider_label and receiver_label say them.
        row.provider_label = names[row.provider_id] if row.provider_id else row.provider_name
        row.receiver_label = names[row.receiver_id] if row.receiver_id else row.receiver_name


def location_rows(ids):
    queryset = ProjectLocation.objects.filter(project_id__in=ids).order_by("pk")
    fields = ("project_id", "pk", "country_id", "latitude", "longitude", *localised("region", "place"))
    found = rows(queryset, fields, shown=("region", "place"))
    countries = Country.objects.in_bulk({row.country_id for row in found})
    for row in found:
        row.country = countries[row.country_id]
    return found


def sector_slugs(ids):
    """Project → the slugs of its sectors, in the sectors' own order."""
    slugs = defaultdict(list)
    for project_id, slug in Sector.objects.filter(projects__in=ids).values_list("projects", "slug"):
        slugs[project_id].append(slug)
    return slugs


def budget_rows(ids):
    """Every budget, each marked `in_force` (records.budgets_with_force), by period."""
    queryset = budgets_with_force().filter(project_id__in=ids).order_by("period_start", "pk")
    fields = ("project_id", "pk", "kind", "status", "period_start", "period_end", "amount", "currency")
    return rows(queryset, (*fields, "value_date", "in_force", *localised("description")))


def result_rows(ids):
    """Results with their indicators, and those with their published values (drafts are not public)."""
    values = IndicatorValue.objects.filter(
        indicator__result__project_id__in=ids, publication=Publication.PUBLISHED
    ).order_by("period_start")
    fields = ("indicator_id", "pk", "period_start", "period_end", "value", *localised("narrative", "comment"))
    values = grouped(rows(values, fields, shown=("narrative",)), "indicator_id")
    indicators = Indicator.objects.filter(result__project_id__in=ids).order_by("order", "pk")
    fields = ("result_id", "pk", "measure", "ascending", "baseline_value", "baseline_date", "target_value")
    fields += ("target_date", *localised("title", "unit", "baseline_comment"))
    indicators = rows(indicators, fields)
    for indicator in indicators:
        indicator.iati_measure = indicator_measures()[indicator.measure]
        indicator.public_values = values.get(indicator.pk, [])
    indicators = grouped(indicators, "result_id")
    results = rows(
        Result.objects.filter(project_id__in=ids).order_by("order", "pk"),
        ("project_id", "pk", "kind", *localised("title", "description")),
    )
    for result in results:
        result.iati_type = result_types()[result.kind]
        result.indicators = indicators.get(result.pk, [])
    return results
