"""Load the public facts the application ships with (data/facts.json), each with where it was reported.

Only what public reports say is stored in the data file; a figure that was not found stays empty.
Where sources disagree, the figure used is stored with its source and the others go in a note.
Project codes (KZUZ-0xx) are this tracker's own numbering, not an official register.

Records refer to each other by natural key: countries by code, sectors, working groups, meetings
and agreements by slug, people by full name, organisations by name, directives by meeting
and order. Sectors and working groups are shown in the order they are listed.
"""

import json
from pathlib import Path

from django.db import transaction
from django.utils import translation

from partnership.models import (
    Agreement,
    CoChair,
    Commission,
    Country,
    Directive,
    DirectiveFollowUp,
    Meeting,
    Person,
    PortfolioFigure,
    Sector,
    TradeFigure,
    WorkingGroup,
)

from ..models import Organisation, Project, ProjectLocation, ProjectParticipant, Publication
from . import translations
from .upsert import Tally, upsert

DATA = Path(__file__).resolve().parent / "data" / "facts.json"
COMMISSION_SLUG = "kz-uz"


def put(tally, model, row, key, refs=None, m2m=None, skip=()):
    """Upsert one fact: `key` names the fields that find the record.

    `refs` and `m2m` hold the row's references, already resolved to records; they replace the names
    in the row. `skip` names nested rows loaded separately. Every other field is read as the model
    field reads form input (dates, decimals).
    """
    refs, m2m = refs or {}, m2m or {}
    values = {
        name: model._meta.get_field(name).to_python(value)
        for name, value in row.items()
        if name not in refs and name not in m2m and name not in skip
    }
    values.update(refs)
    lookup = {name: values.pop(name) for name in key}
    return upsert(tally, model, lookup, values, m2m=m2m)


@transaction.atomic
def load_facts(path=DATA):
    """Load or refresh the facts; returns a Tally of what changed."""
    facts = translations.merge(json.loads(Path(path).read_text(encoding="utf-8")))
    tally = Tally()
    with translation.override("en"):
        known = load_commission(tally, facts)
        load_records(tally, facts, known)
        load_projects(tally, facts, known)
        load_portfolio_series(tally, facts, known)
    return tally


def load_commission(tally, facts):
    """Countries, sectors, the commission and its working groups, keyed for the records that refer to them."""
    countries = {row["code"]: put(tally, Country, row, ["code"]) for row in facts["countries"]}
    sectors = {
        row["slug"]: put(tally, Sector, {**row, "order": order}, ["slug"])
        for order, row in enumerate(facts["sectors"], start=1)
    }
    row = facts["commission"]
    commission = put(
        tally,
        Commission,
        {**row, "slug": COMMISSION_SLUG},
        ["slug"],
        m2m={"countries": [countries[code] for code in row["countries"]]},
    )
    groups = {
        row["slug"]: put(
            tally,
            WorkingGroup,
            {**row, "order": order},
            ["slug"],
            refs={"commission": commission},
            m2m={"sectors": [sectors[slug] for slug in row["sectors"]]},
        )
        for order, row in enumerate(facts["working_groups"], start=1)
    }
    return {"countries": countries, "sectors": sectors, "commission": commission, "groups": groups}


def load_records(tally, facts, known):
    """People and their terms as co-chairs, meetings with their directives, agreements, trade figures."""
    commission, groups, countries = known["commission"], known["groups"], known["countries"]
    people = {
        row["full_name"]: put(tally, Person, row, ["full_name"], refs={"country": countries[row["country"]]})
        for row in facts["people"]
    }
    for row in facts["co_chairs"]:
        group = row["working_group"]
        body = {"commission": None, "working_group": groups[group]} if group else {"commission": commission}
        refs = {"person": people[row["person"]], "working_group": None, **body}
        put(tally, CoChair, row, ["person", "commission", "working_group"], refs=refs)
    meetings = {
        row["slug"]: put(tally, Meeting, row, ["slug"], refs={"commission": commission}) for row in facts["meetings"]
    }
    known["directives"] = {
        (row["meeting"], row["order"]): put(
            tally,
            Directive,
            row,
            ["meeting", "order"],
            refs={"meeting": meetings[row["meeting"]]},
            m2m={"working_groups": [groups[slug] for slug in row["working_groups"]]},
            skip=("follow_ups",),
        )
        for row in facts["directives"]
    }
    for row in facts["directives"]:
        # A directive's row states the status its latest follow-up sets (a test checks they agree).
        directive = known["directives"][row["meeting"], row["order"]]
        for item in row.get("follow_ups", []):
            put(tally, DirectiveFollowUp, item, ["directive", "date"], refs={"directive": directive})
    known["agreements"] = {
        row["slug"]: put(tally, Agreement, row, ["slug"], refs={"commission": commission})
        for row in facts["agreements"]
    }
    for row in facts["trade_figures"]:
        put(tally, TradeFigure, row, ["commission", "year"], refs={"commission": commission})


def load_projects(tally, facts, known):
    """Organisations, then the reported projects (all published) with their participants and locations."""
    countries = known["countries"]
    organisations = {
        row["name"]: put(tally, Organisation, row, ["name"], refs={"country": countries[row["country"]]})
        for row in facts["organisations"]
    }
    for row in facts["projects"]:
        project = put(
            tally,
            Project,
            {**row, "publication": Publication.PUBLISHED},
            ["code"],
            refs={"working_group": known["groups"][row["working_group"]]},
            m2m={
                "sectors": [known["sectors"][slug] for slug in row["sectors"]],
                "agreements": [known["agreements"][slug] for slug in row["agreements"]],
                "directives": [known["directives"][d["meeting"], d["order"]] for d in row["directives"]],
            },
            skip=("participants", "locations"),
        )
        for item in row["participants"]:
            refs = {"project": project, "organisation": organisations[item["organisation"]]}
            put(tally, ProjectParticipant, item, ["project", "organisation", "role"], refs=refs)
        for item in row["locations"]:
            refs = {"project": project, "country": countries[item["country"]]}
            put(tally, ProjectLocation, item, ["project", "country", "region", "place"], refs=refs)


def load_portfolio_series(tally, facts, known):
    """The official portfolio size over time (projects and investment), each figure with its source."""
    for row in facts.get("portfolio_series", []):
        put(tally, PortfolioFigure, row, ["commission", "date"], refs={"commission": known["commission"]})
