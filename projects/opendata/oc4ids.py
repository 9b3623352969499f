"""OC4IDS 0.9.5 project package JSON of published projects.

A project is built by the functions of PROJECT_PARTS, each returning the fields of one part
(nothing for a part the project has no data for: the schema wants no empty objects or lists).
Money that moved is in `transactions`, commitments in `budget.finance`, budgets in force in
`budget.budgetBreakdowns`; results are in `forecasts` (targets) and `metrics` (baselines and
published actual values), one metric per indicator.
"""

import hashlib
import mimetypes
from decimal import Decimal

from django.utils import timezone

from ..models import Indicator, Transaction
from . import codes
from .records import clean, english_first, no_cycle_collection
from .related import attach

COMMITMENT = Transaction.Kind.COMMITMENT

# Budget kind and status as the breakdown's description says them.
BUDGET_LABEL = {
    ("original", "indicative"): "Original budget, indicative",
    ("original", "committed"): "Original budget, committed",
    ("revised", "indicative"): "Revised budget, indicative",
    ("revised", "committed"): "Revised budget, committed",
}

RESULT_KIND = {"output": "Output", "outcome": "Outcome", "impact": "Impact"}

# UN/CEFACT Recommendation 20, the unit list OC4IDS recommends: P1 is per cent.
PERCENT = {"name": "percent", "scheme": "UNCEFACT", "id": "P1"}


def english(record, field):
    """The text of a translated field in the package's language (English), else the first there is
    (the first of `translations`, without making them all)."""
    for name in english_first(field):
        if text := clean(getattr(record, name, "")):
            return text
    return clean(getattr(record, field, ""))


def date_time(day):
    """A date as the date-time OC4IDS wants (midnight UTC of that day)."""
    return f"{day.isoformat()}T00:00:00Z"


def number(amount):
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def identification(project, context):
    fields = {
        "id": context["publisher"].project_identifier(project),
        "updated": project.updated.isoformat(timespec="seconds"),
        "language": "en",
        "identifiers": [{"id": project.code, "scheme": "code"}],
        "title": english(project, "title") or project.code,
    }
    # OC4IDS's description is a paragraph: the public summary, else the full text.
    description = english(project, "summary") or english(project, "description")
    if description:
        fields["description"] = description
    status = codes.OC4IDS_PROJECT_STATUS.get(project.status)
    if status:
        fields["status"] = status
    mapping = codes.oc4ids_sectors()
    sectors = list(dict.fromkeys(mapping[slug] for slug in project.export_sectors if slug in mapping))
    if sectors:
        fields["sector"] = sectors
    return fields


def places(project, context):
    locations = []
    for location in project.export_locations:
        entry = {"id": str(location.pk)}
        if location.latitude is not None and location.longitude is not None:
            entry["geometry"] = {"type": "Point", "coordinates": [float(location.longitude), float(location.latitude)]}
        address = {"countryName": clean(location.country.name)}
        if clean(location.region):
            address["region"] = clean(location.region)
        if clean(location.place):
            address["locality"] = clean(location.place)
        entry["address"] = address
        locations.append(entry)
    return {"locations": locations} if locations else {}


def money(amount, currency):
    return {"amount": number(Decimal(amount)), "currency": currency}


def budget(project, context):
    """The investment in its own currency, the budgets in force by period, and the commitments."""
    fields = {}
    if project.investment_amount is not None:
        fields["amount"] = money(project.investment_amount, project.investment_currency)
    periods = [budget_entry(entry) for entry in project.export_budgets if entry.in_force]
    if periods:
        fields["budgetBreakdowns"] = [
            {
                "id": "periods",
                "description": "The budgets in force by period (a revised budget replaces the original "
                "one of the same period), each in its own currency.",
                "budgetBreakdown": periods,
            }
        ]
    commitments = [commitment(entry) for entry in project.public_transactions if entry.kind == COMMITMENT]
    if commitments:
        fields["finance"] = commitments
    return {"budget": fields} if fields else {}


def budget_entry(entry):
    text = BUDGET_LABEL[entry.kind, entry.status]
    description = english(entry, "description")
    return {
        "id": str(entry.pk),
        "description": f"{text}. {description}" if description else f"{text}.",
        "amount": money(entry.amount, entry.currency),
        "period": {"startDate": date_time(entry.period_start), "endDate": date_time(entry.period_end)},
    }


def commitment(entry):
    """A published commitment: a financing arrangement its provider entered into on that day."""
    fields = {"id": str(entry.pk), "title": f"Commitment of {entry.date.isoformat()}"}
    description = english(entry, "description")
    if description:
        fields["description"] = description
    fields["value"] = money(entry.amount, entry.currency)
    provider = reference(entry.provider, entry.provider_name)
    if provider:
        fields["financingParty"] = provider
    return fields


def transactions(project, context):
    """Published money that moved (incoming funds, disbursements, expenditures), payer to payee."""
    entries = []
    for entry in project.public_transactions:
        if entry.kind == COMMITMENT:
            continue
        fields = {"id": str(entry.pk), "date": date_time(entry.date), "value": money(entry.amount, entry.currency)}
        for side, organisation, name in (
            ("payer", entry.provider, entry.provider_name),
            ("payee", entry.receiver, entry.receiver_name),
        ):
            if party := reference(organisation, name):
                fields[side] = party
        entries.append(fields)
    return {"transactions": entries} if entries else {}


def schedule(project, context):
    fields = {}
    period = {}
    if project.planned_start:
        period["startDate"] = date_time(project.planned_start)
    if project.planned_end:
        period["endDate"] = date_time(project.planned_end)
    if period:
        fields["period"] = period
    if project.status == "closed" and project.actual_end:
        fields["completion"] = {"endDate": date_time(project.actual_end)}
    return fields


def party_id(organisation, name):
    """An organisation's id is its key; a name typed on a transaction gets one derived from the name."""
    if organisation is not None:
        return str(organisation.pk)
    return "name-" + hashlib.sha256(clean(name).encode()).hexdigest()[:12]


def party_name(organisation, name):
    if organisation is not None:
        return english(organisation, "name") or str(organisation.pk)
    return clean(name)


def reference(organisation, name):
    """The OrganizationReference of a transaction's side, or None when the side names nobody."""
    if organisation is None and not clean(name):
        return None
    return {"id": party_id(organisation, name), "name": party_name(organisation, name)}


def roles_held(project):
    """(organisation or None, free-text name, OC4IDS role) for every part an organisation plays."""
    for participant in project.export_participants:
        yield participant.organisation, "", codes.OC4IDS_PARTY_ROLE[participant.role]
    for entry in project.public_transactions:
        if entry.kind == COMMITMENT:
            yield entry.provider, entry.provider_name, "funder"
        else:
            yield entry.provider, entry.provider_name, "payer"
            yield entry.receiver, entry.receiver_name, "payee"


def parties(project, context):
    """Each organisation once, with every role it has in the project and its transactions."""
    found = {}
    for organisation, name, role in roles_held(project):
        if organisation is None and not clean(name):
            continue
        key = party_id(organisation, name)
        party = found.setdefault(key, {"id": key, "name": party_name(organisation, name), "roles": []})
        if organisation is not None and organisation.country_id and "address" not in party:
            party["address"] = {"countryName": clean(organisation.country.name)}
        if role not in party["roles"]:
            party["roles"].append(role)
    if not found:
        return {}
    fields = {"parties": list(found.values())}
    authority = next((party for party in found.values() if "publicAuthority" in party["roles"]), None)
    if authority is not None:
        fields["publicAuthority"] = {"id": authority["id"], "name": authority["name"]}
    return fields


def documents(project, context):
    absolute = context["absolute_url"]
    entries = []
    for document in project.public_documents:
        url = absolute(document.href)
        entry = {"id": str(document.pk), "url": url}
        title = english(document, "title")
        if title:
            entry["title"] = title
        kind = codes.OC4IDS_DOCUMENT_TYPE.get(document.kind)
        if kind:
            entry["documentType"] = kind
        media_type = mimetypes.guess_type(document.download_name if document.file else document.url)[0]
        if media_type:
            entry["format"] = media_type
        entries.append(entry)
    return {"documents": entries} if entries else {}


def results(project, context):
    """One metric per indicator: its target in `forecasts`, its baseline and published values in `metrics`."""
    forecasts, metrics = [], []
    for result in project.export_results:
        for indicator in result.indicators:
            metric = {"id": f"indicator-{indicator.pk}"}
            title = english(indicator, "title")
            if title:
                metric["title"] = title
            metric["description"] = metric_description(result, indicator)
            if indicator.target_value is not None:
                forecasts.append({**metric, "observations": [target(indicator)]})
            observations = [baseline(indicator)] if indicator.baseline_value is not None else []
            observations += [actual(indicator, value) for value in indicator.public_values]
            metrics.append({**metric, "observations": observations} if observations else metric)
    fields = {}
    if forecasts:
        fields["forecasts"] = forecasts
    if metrics:
        fields["metrics"] = metrics
    return fields


def metric_description(result, indicator):
    text = f"{RESULT_KIND[result.kind]}: {english(result, 'title') or result.pk}."
    if indicator.measure == Indicator.Measure.YES_NO:
        text += " Measured as yes or no."
    if not indicator.ascending:
        text += " Lower is better."
    return text


def measured(indicator, value):
    """The measure (and unit) of a number as the indicator's kind of measure says it."""
    if indicator.measure == Indicator.Measure.YES_NO:
        return {"measure": "yes" if value == 1 else "no"}
    fields = {"measure": number(value)}
    if indicator.measure == Indicator.Measure.PERCENTAGE:
        fields["unit"] = PERCENT
    elif unit := english(indicator, "unit"):
        fields["unit"] = {"name": unit}
    return fields


def period(start, end):
    dates = {}
    if start is not None:
        dates["startDate"] = date_time(start)
    if end is not None:
        dates["endDate"] = date_time(end)
    return {"period": dates} if dates else {}


def baseline(indicator):
    day = indicator.baseline_date
    comment = english(indicator, "baseline_comment")
    notes = f"Baseline: {comment}" if comment else "Baseline"
    return {"id": "baseline", **period(day, day), **measured(indicator, indicator.baseline_value), "notes": notes}


def target(indicator):
    """The target, over the period from the baseline to the target date (as in the IATI export)."""
    return {
        "id": "target",
        **period(indicator.baseline_date, indicator.target_date),
        **measured(indicator, indicator.target_value),
    }


def actual(indicator, value):
    fields = {"id": f"value-{value.pk}", **period(value.period_start, value.period_end)}
    if value.value is not None:
        fields.update(measured(indicator, value.value))
    elif narrative := english(value, "narrative"):
        fields["measure"] = narrative
    if comment := english(value, "comment"):
        fields["notes"] = comment
    return fields


PROJECT_PARTS = [
    identification,
    places,
    budget,
    schedule,
    parties,
    documents,
    transactions,
    results,
]


def project_record(project, context):
    record = {}
    for part in PROJECT_PARTS:
        record.update(part(project, context))
    return record


def package(projects, context):
    """The project package of these projects; published "now" unless they say when they changed."""
    with no_cycle_collection():
        projects = attach(projects)
        records = [project_record(project, context) for project in projects]
    changed = max((project.updated for project in projects), default=None) or timezone.now()
    return {
        "version": codes.OC4IDS_VERSION,
        "uri": context["uri"],
        "publishedDate": changed.isoformat(timespec="seconds"),
        "publisher": {"name": clean(context["publisher"].name)},
        "license": context["publisher"].license,
        "projects": records,
    }
