"""OC4IDS 0.9.5 project package JSON of published projects.

A project is built by the functions of PROJECT_PARTS, each returning the fields of one part
(nothing for a part the project has no data for: the schema wants no empty objects or lists).
Transactions (and, in an extension, results) are one function more each.
"""

import mimetypes
from decimal import Decimal

from django.utils import timezone

from . import codes
from .records import clean, translations


def english(record, field):
    """The text of a translated field in the package's language (English), else the first there is."""
    texts = dict(translations(record, field))
    return texts.get("en") or next(iter(texts.values()), "")


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
    sectors = list(dict.fromkeys(mapping[s.slug] for s in project.sectors.all() if s.slug in mapping))
    if sectors:
        fields["sector"] = sectors
    return fields


def places(project, context):
    locations = []
    for location in project.locations.all():
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


def budget(project, context):
    """The project's budget is its investment, in its own currency."""
    if project.investment_amount is None:
        return {}
    amount = Decimal(project.investment_amount)
    return {"budget": {"amount": {"amount": number(amount), "currency": project.investment_currency}}}


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


def parties(project, context):
    """Each organisation once, with every role it has in the project."""
    found = {}
    for participant in project.participants.all():
        organisation = participant.organisation
        party = found.setdefault(
            organisation.pk,
            {"id": str(organisation.pk), "name": english(organisation, "name") or str(organisation.pk), "roles": []},
        )
        if organisation.country_id and "address" not in party:
            party["address"] = {"countryName": clean(organisation.country.name)}
        role = codes.OC4IDS_PARTY_ROLE[participant.role]
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


PROJECT_PARTS = [
    identification,
    places,
    budget,
    schedule,
    parties,
    documents,
    # transactions
]


def project_record(project, context):
    record = {}
    for part in PROJECT_PARTS:
        record.update(part(project, context))
    return record


def package(projects, context):
    """The project package of these projects; published "now" unless they say when they changed."""
    projects = list(projects)
    changed = max((project.updated for project in projects), default=None) or timezone.now()
    return {
        "version": codes.OC4IDS_VERSION,
        "uri": context["uri"],
        "publishedDate": changed.isoformat(timespec="seconds"),
        "publisher": {"name": clean(context["publisher"].name)},
        "license": context["publisher"].license,
        "projects": [project_record(project, context) for project in projects],
    }
