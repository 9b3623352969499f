"""IATI 2.03 activity XML of published projects.

An activity is built by the functions of ACTIVITY_PARTS in turn, each returning the elements of
one part in the order the schema's sequence wants: budgets and transactions between sectors
and document links, results after them.
"""

import mimetypes

from django.db.models import Q
from django.utils import timezone

from ..models import Budget, Transaction
from . import codes, xmltext
from .records import clean, joined_translations, no_cycle_collection, translations
from .related import attach
from .xmltext import XML_LANG, Element, SubElement


def element(tag, text=None, **attributes):
    node = Element(tag, {name.replace("_", "-"): str(value) for name, value in attributes.items()})
    if text is not None:
        node.text = clean(text)
    return node


def narratives(parent, texts):
    """One <narrative xml:lang="…"> per (language, text)."""
    for lang, text in texts:
        SubElement(parent, "narrative", {XML_LANG: lang}).text = text
    return parent


def with_narratives(tag, texts, **attributes):
    return narratives(element(tag, **attributes), texts)


def child(parent, tag, text=None, **attributes):
    """`element` made as the last child of `parent` (cheaper than making it apart and moving it)."""
    node = SubElement(parent, tag, {name.replace("_", "-"): str(value) for name, value in attributes.items()})
    if text is not None:
        node.text = clean(text)
    return node


def child_narratives(parent, tag, texts, **attributes):
    return narratives(child(parent, tag, **attributes), texts)


# --- the parts of an activity, in schema order ------------------------------------------------------


def identification(project, context):
    publisher = context["publisher"]
    yield element("iati-identifier", publisher.activity_identifier(project))
    yield with_narratives(
        "reporting-org", [("en", clean(publisher.name))], ref=publisher.iati_ref, type=publisher.iati_type
    )
    yield with_narratives("title", translations(project, "title") or [("en", project.code)])
    # The general description: the full text where there is one, else the public summary.
    texts = translations(project, "description") or translations(project, "summary")
    yield with_narratives("description", texts or translations(project, "title"), type=codes.IATI_DESCRIPTION_GENERAL)


def participating_orgs(project, context):
    publisher = context["publisher"]
    commission = project.working_group.commission if project.working_group_id else None
    name = [("en", clean(commission.name))] if commission is not None else [("en", clean(publisher.name))]
    attributes = {"ref": publisher.iati_ref} if commission is None or commission.name == publisher.name else {}
    yield with_narratives("participating-org", name, role=codes.IATI_COMMISSION_ROLE, **attributes)
    for participant in project.export_participants:
        organisation = participant.organisation
        attributes = {"role": codes.IATI_ORGANISATION_ROLE[participant.role]}
        kind = codes.IATI_ORGANISATION_TYPE.get(organisation.kind)
        if kind:
            attributes["type"] = kind
        yield with_narratives("participating-org", translations(organisation, "name"), **attributes)


def status_and_dates(project, context):
    yield element("activity-status", code=codes.IATI_ACTIVITY_STATUS[project.status])
    for field, kind in codes.IATI_ACTIVITY_DATES:
        day = getattr(project, field)
        if day is not None:
            yield element("activity-date", type=kind, iso_date=day.isoformat())


def places(project, context):
    locations = project.export_locations
    countries = list(dict.fromkeys(location.country.code for location in locations))
    shares = codes.even_split(len(countries))
    for code, share in zip(countries, shares, strict=True):
        attributes = {"percentage": share} if len(countries) > 1 else {}
        yield element("recipient-country", code=code, **attributes)
    for location in locations:
        name = joined_translations(location, ("place", "region"))
        has_point = location.latitude is not None and location.longitude is not None
        if not name and not has_point:
            continue
        node = element("location")
        if name:
            child_narratives(node, "name", name)
        if has_point:
            point = SubElement(node, "point", {"srsName": codes.IATI_SRS_NAME})
            SubElement(point, "pos").text = f"{location.latitude} {location.longitude}"
        yield node


def sectors(project, context):
    mapping = codes.dac_sectors()
    found = list(dict.fromkeys(mapping[slug]["code"] for slug in project.export_sectors if slug in mapping))
    for code, share in zip(found, codes.even_split(len(found)), strict=True):
        yield element("sector", vocabulary=codes.IATI_SECTOR_VOCABULARY, code=code, percentage=share)


def document_links(project, context):
    absolute = context["absolute_url"]
    page = element("document-link", url=absolute(project.get_absolute_url()), format="text/html")
    child_narratives(page, "title", translations(project, "title") or [("en", project.code)])
    child(page, "category", code="A12")
    yield page
    for document in project.public_documents:
        url = absolute(document.href)
        name = document.download_name if document.file else document.url
        media_type = mimetypes.guess_type(name)[0] or ("application/octet-stream" if document.file else "text/html")
        link = element("document-link", url=url, format=media_type)
        child_narratives(link, "title", translations(document, "title") or [("en", url)])
        child(link, "category", code=codes.IATI_DOCUMENT_CATEGORY.get(document.kind, "A12"))
        yield link


def money_value(parent, amount, currency, value_date):
    node = SubElement(parent, "value", {"currency": currency, "value-date": value_date.isoformat()})
    node.text = format(amount, "f")
    return node


def budgets(project, context):
    """Every budget, original and revised (IATI keeps both), with its period and value."""
    for budget in project.export_budgets:
        node = element("budget", type=Budget.IATI_KIND[budget.kind], status=Budget.IATI_STATUS[budget.status])
        SubElement(node, "period-start", {"iso-date": budget.period_start.isoformat()})
        SubElement(node, "period-end", {"iso-date": budget.period_end.isoformat()})
        money_value(node, budget.amount, budget.currency, budget.value_date or budget.period_start)
        yield node


def transactions(project, context):
    """The published transactions (drafts are not public), with the organisations on each side."""
    for transaction in project.public_transactions:
        node = element("transaction")
        SubElement(node, "transaction-type", {"code": Transaction.IATI_KIND[transaction.kind]})
        SubElement(node, "transaction-date", {"iso-date": transaction.date.isoformat()})
        money_value(node, transaction.amount, transaction.currency, transaction.value_date or transaction.date)
        if description := translations(transaction, "description"):
            child_narratives(node, "description", description)
        for tag, name in (("provider-org", transaction.provider_label), ("receiver-org", transaction.receiver_label)):
            if clean(name):
                child_narratives(node, tag, [("en", clean(name))])
        yield node


def number(value):
    """A decimal as IATI's value attributes want it: plain digits, no exponent, no trailing zeros."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def results(project, context):
    """Results with their indicators: the baseline, one period from the baseline to the target date
    holding the target, and one period per published actual value (drafts are not public)."""
    for result in project.export_results:
        node = element("result", type=result.iati_type, aggregation_status="0")
        child_narratives(node, "title", translations(result, "title") or [("en", project.code)])
        if description := translations(result, "description"):
            child_narratives(node, "description", description)
        for indicator in result.indicators:
            indicator_element(node, indicator)
        yield node


def indicator_element(parent, indicator):
    node = child(parent, "indicator", measure=indicator.iati_measure, ascending="1" if indicator.ascending else "0")
    child_narratives(node, "title", translations(indicator, "title") or [("en", "—")])
    if indicator.baseline_date is not None:
        baseline = {"year": indicator.baseline_date.year, "iso_date": indicator.baseline_date.isoformat()}
        if indicator.baseline_value is not None:
            baseline["value"] = number(indicator.baseline_value)
        child(node, "baseline", **baseline)
    if indicator.target_value is not None and indicator.baseline_date and indicator.target_date:
        period = child(node, "period")
        child(period, "period-start", iso_date=indicator.baseline_date.isoformat())
        child(period, "period-end", iso_date=indicator.target_date.isoformat())
        child(period, "target", value=number(indicator.target_value))
    for value in indicator.public_values:
        period = SubElement(node, "period")
        SubElement(period, "period-start", {"iso-date": value.period_start.isoformat()})
        SubElement(period, "period-end", {"iso-date": value.period_end.isoformat()})
        actual = SubElement(period, "actual", {"value": number(value.value)} if value.value is not None else {})
        comments = translations(value, "comment") or ([("en", clean(value.narrative))] if value.narrative else [])
        if comments:
            child_narratives(actual, "comment", comments)
    return node


ACTIVITY_PARTS = [
    identification,
    participating_orgs,
    status_and_dates,
    places,
    sectors,
    budgets,
    transactions,
    document_links,
    results,
]


def dated_q():
    """IATI wants at least one activity date: a project with none cannot be an activity yet."""
    condition = Q()
    for field, _kind in codes.IATI_ACTIVITY_DATES:
        condition |= Q(**{f"{field}__isnull": False})
    return condition


def has_dates(project):
    """The same rule as `dated_q`, for one project already read."""
    return any(getattr(project, field) is not None for field, _kind in codes.IATI_ACTIVITY_DATES)


def activity(project, context):
    attributes = {"last-updated-datetime": project.updated.isoformat(timespec="seconds")}
    if project.investment_amount is not None:
        attributes["default-currency"] = project.investment_currency
    node = Element("iati-activity", attributes)
    node.set(XML_LANG, "en")
    for part in ACTIVITY_PARTS:
        node.extend(part(project, context))
    return node


def activities_document(projects, context):
    """The <iati-activities> file of these projects (each with at least one date: `dated_q`)."""
    with no_cycle_collection():
        projects = attach(projects)
        # Made on demand: dated by its contents' latest change, so that an unchanged file keeps its ETag.
        generated = max((project.updated for project in projects), default=None) or timezone.now()
        root = Element(
            "iati-activities",
            {"version": codes.IATI_VERSION, "generated-datetime": generated.isoformat(timespec="seconds")},
        )
        for project in projects:
            root.append(activity(project, context))
        return xmltext.tostring(root)
