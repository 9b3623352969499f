"""Open-data exports: IATI 2.03 activity XML and the OC4IDS 0.9 project package, validated
against the official schemas kept in projects/opendata/schemas/ (no network)."""

import datetime
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from jsonschema import Draft4Validator, FormatChecker
from lxml import etree
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from projects.models import (
    Budget,
    Document,
    Indicator,
    IndicatorValue,
    Project,
    ProjectLocation,
    ProjectParticipant,
    Publication,
    Result,
    Transaction,
)
from projects.opendata import codes
from tests import factories as f
from tests.helpers import assert_error
from tests.projects.money_factories import BudgetFactory, TransactionFactory

pytestmark = pytest.mark.django_db

IATI_LIST = "/api/v1/iati/activities.xml"
OC4IDS_LIST = "/api/v1/oc4ids/projects.json"
START = datetime.date(2025, 3, 1)
END = datetime.date(2027, 6, 30)
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

IATI_SCHEMA = etree.XMLSchema(etree.parse(str(codes.IATI_SCHEMA)))


def oc4ids_validator():
    package = json.loads(codes.OC4IDS_PACKAGE_SCHEMA.read_text())
    project = json.loads(codes.OC4IDS_PROJECT_SCHEMA.read_text())
    registry = Registry().with_resources(
        (schema["id"], Resource.from_contents(schema, default_specification=DRAFT4)) for schema in (package, project)
    )
    return Draft4Validator(package, registry=registry, format_checker=FormatChecker())


OC4IDS_SCHEMA = oc4ids_validator()


def iati(response):
    """The parsed IATI file, after checking that it is XML and valid against the 2.03 schema."""
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("application/xml")
    document = etree.fromstring(response.content)
    assert IATI_SCHEMA.validate(document), IATI_SCHEMA.error_log
    return document


def oc4ids(response):
    """The package, after checking that it is valid against the OC4IDS project package schema."""
    assert response.status_code == 200, response.content[:500]
    package = response.json()
    errors = [f"{list(error.absolute_path)}: {error.message}" for error in OC4IDS_SCHEMA.iter_errors(package)]
    assert not errors, errors[:5]
    return package


def activity_codes(document):
    return [node.text.removeprefix("XI-IATI-EXAMPLE-") for node in document.iter("iati-identifier")]


def project_codes(package):
    return [project["identifiers"][0]["id"] for project in package["projects"]]


def seed(*args):
    call_command("seed", *args, stdout=StringIO())


# --- the seeded facts and the demo portfolio validate -------------------------------------------------


def test_the_seeded_facts_validate_as_iati_activities(api):
    seed()
    document = iati(api.get(IATI_LIST))
    dated = (
        Project.objects.published()
        .filter(demo=False)
        .exclude(planned_start=None, actual_start=None, planned_end=None, actual_end=None)
    )
    assert sorted(activity_codes(document)) == sorted(dated.values_list("code", flat=True))
    assert document.get("version") == "2.03"

    icic = next(a for a in document if a.findtext("iati-identifier") == "XI-IATI-EXAMPLE-KZUZ-001")
    titles = {n.get("{http://www.w3.org/XML/1998/namespace}lang"): n.text for n in icic.find("title")}
    assert set(titles) == {"en", "ru", "kk", "uz"}
    assert icic.find("activity-status").get("code") == "2"
    assert {(d.get("type"), d.get("iso-date")) for d in icic.iter("activity-date")} == {
        ("2", "2025-11-15"),
        ("3", "2027-06-30"),
    }
    assert [(c.get("code"), c.get("percentage")) for c in icic.iter("recipient-country")] == [
        ("KZ", "50.0"),
        ("UZ", "50.0"),
    ]
    assert {(s.get("code"), s.get("percentage")) for s in icic.iter("sector")} == {("21010", "50.0"), ("32163", "50.0")}
    assert [p.findtext("pos") for p in icic.iter("point")] == ["40.490000 68.784000"]
    roles = {(o.get("role"), o.findtext("narrative")) for o in icic.iter("participating-org")}
    assert ("1", "Trans Continental Logistic (TCL)") in roles
    assert ("4", "Global Textile") in roles  # the operator
    assert icic.get("default-currency") == "KZT"


def test_the_seeded_facts_validate_as_an_oc4ids_package(api):
    seed()
    package = oc4ids(api.get(OC4IDS_LIST))
    published = Project.objects.published().filter(demo=False)
    assert project_codes(package) == list(published.order_by("code").values_list("code", flat=True))
    icic = next(p for p in package["projects"] if p["id"].endswith("KZUZ-001"))
    assert icic["budget"] == {"amount": {"amount": 27000000000, "currency": "KZT"}}
    assert icic["status"] == "implementation"
    assert icic["sector"] == ["transport", "economy"]
    points = [place["geometry"]["coordinates"] for place in icic["locations"] if "geometry" in place]
    assert points == [[68.784, 40.49]]  # longitude first
    assert {party["name"]: party["roles"] for party in icic["parties"]} == {
        "Trans Continental Logistic (TCL)": ["funder"],
        "Global Textile": ["operator"],
    }
    assert icic["period"] == {"endDate": "2027-06-30T00:00:00Z"}
    assert package["license"].startswith("https://")


def test_the_demo_portfolio_validates_and_appears_only_when_asked(api):
    seed()
    seed("--demo")
    demo = set(Project.objects.published().filter(demo=True).values_list("code", flat=True))
    assert demo
    real = iati(api.get(IATI_LIST))
    assert not demo & set(activity_codes(real))
    assert not demo & set(project_codes(oc4ids(api.get(OC4IDS_LIST))))

    only_demo = iati(api.get(IATI_LIST, {"demo": "demo"}))
    assert set(activity_codes(only_demo)) <= demo and len(only_demo) > 10
    assert set(project_codes(oc4ids(api.get(OC4IDS_LIST, {"demo": "demo"})))) == demo
    everything = oc4ids(api.get(OC4IDS_LIST, {"demo": ""}))
    assert demo < set(project_codes(everything))
    assert len(iati(api.get(IATI_LIST, {"demo": ""}))) == len(real) + len(only_demo)


# --- what is published, and nothing else ---------------------------------------------------------------


def test_drafts_and_unpublished_documents_never_appear(api):
    shown = f.ProjectFactory(code="OPEN-1", planned_start=START)
    f.ProjectFactory(code="DRAFT-1", planned_start=START, publication=Publication.DRAFT)
    f.ProjectFactory(code="SUBMITTED-1", planned_start=START, publication=Publication.SUBMITTED)
    f.DocumentFactory(project=shown, title="Feasibility study", kind=Document.Kind.STUDY)
    f.DocumentFactory(project=shown, title="Secret memo", published=False)

    document = iati(api.get(IATI_LIST))
    assert activity_codes(document) == ["OPEN-1"]
    links = {
        link.findtext("title/narrative"): link.find("category").get("code") for link in document.iter("document-link")
    }
    assert links == {shown.title: "A12", "Feasibility study": "A01"}  # the project's page, then its document
    package = oc4ids(api.get(OC4IDS_LIST))
    assert project_codes(package) == ["OPEN-1"]
    assert [(d["title"], d["documentType"]) for d in package["projects"][0]["documents"]] == [
        ("Feasibility study", "feasibilityStudy")
    ]
    for address in ("/api/v1/iati/activities/DRAFT-1.xml", "/api/v1/oc4ids/projects/DRAFT-1.json"):
        assert_error(api.get(address), 404)
    assert b"Secret memo" not in api.get("/api/v1/iati/activities/OPEN-1.xml").content


def test_one_project_in_each_format(api):
    project = f.ProjectFactory(
        code="KZUZ-500",
        planned_start=START,
        status=Project.Status.CLOSED,
        actual_start=START,
        actual_end=datetime.date(2026, 1, 31),
    )
    f.ParticipantFactory(project=project, role=ProjectParticipant.Role.SPONSOR, organisation__kind="government")
    f.LocationFactory(project=project, place="Tashkent")
    document = iati(api.get("/api/v1/iati/activities/KZUZ-500.xml"))
    assert activity_codes(document) == ["KZUZ-500"]
    assert document.find("iati-activity/activity-status").get("code") == "4"
    accountable = [o for o in document.iter("participating-org") if o.get("role") == "2"]
    assert len(accountable) == 2 and accountable[1].get("type") == "10"  # the commission, then the ministry
    assert document.findtext("iati-activity/location/name/narrative") == "Tashkent, Tashkent region"

    package = oc4ids(api.get("/api/v1/oc4ids/projects/KZUZ-500.json"))
    record = package["projects"][0]
    assert record["status"] == "completion"
    assert record["completion"] == {"endDate": "2026-01-31T00:00:00Z"}
    assert record["publicAuthority"]["name"] == record["parties"][0]["name"]
    assert package["uri"] == "http://testserver/api/v1/oc4ids/projects/KZUZ-500.json"


def test_unknown_undated_and_demo_projects_get_a_clear_404(api):
    f.ProjectFactory(code="NODATE-1")
    f.ProjectFactory(code="DEMO-1", planned_start=START, demo=True)
    assert_error(api.get("/api/v1/iati/activities/NOPE-9.xml"), 404)
    assert_error(api.get("/api/v1/oc4ids/projects/NOPE-9.json"), 404)
    body = assert_error(api.get("/api/v1/iati/activities/NODATE-1.xml"), 404)
    assert "no planned or actual date" in body["detail"]
    assert oc4ids(api.get("/api/v1/oc4ids/projects/NODATE-1.json"))["projects"][0]["title"]
    assert "?demo=demo" in assert_error(api.get("/api/v1/oc4ids/projects/DEMO-1.json"), 404)["detail"]
    assert activity_codes(iati(api.get("/api/v1/iati/activities/DEMO-1.xml", {"demo": "demo"}))) == ["DEMO-1"]


# --- pages and bad parameters ----------------------------------------------------------------------------


def test_files_are_paged_with_links_and_a_total(api, monkeypatch):
    monkeypatch.setattr(codes, "PAGE_SIZE", 2)
    for n in range(5):
        f.ProjectFactory(code=f"P-{n}", planned_start=START)
    first = api.get(IATI_LIST)
    assert activity_codes(iati(first)) == ["P-0", "P-1"]
    assert first["X-Total-Count"] == "5"
    assert first["Link"] == f'<http://testserver{IATI_LIST}?page=2>; rel="next"'
    last = api.get(OC4IDS_LIST, {"page": 3, "demo": "real"})
    assert project_codes(oc4ids(last)) == ["P-4"]
    assert last["Link"] == f'<http://testserver{OC4IDS_LIST}?demo=real&page=2>; rel="prev"'
    assert "Past the end: the last page is 3." in assert_error(api.get(IATI_LIST, {"page": 4}), 404, "page")["detail"]


@pytest.mark.parametrize(
    ("address", "query", "name"),
    [
        (IATI_LIST, {"page": "0"}, "page"),
        (IATI_LIST, {"page": "two"}, "page"),
        (OC4IDS_LIST, {"demo": "fictional"}, "demo"),
        (OC4IDS_LIST, {"sector": "energy"}, "sector"),
        (IATI_LIST, {"format": "json"}, "format"),
        ("/api/v1/oc4ids/projects/P-1.json", {"page": "2"}, "page"),
    ],
)
def test_bad_parameters_are_a_400_naming_them(api, address, query, name):
    f.ProjectFactory(code="P-1", planned_start=START)
    assert_error(api.get(address, query), 400, name)


def test_an_empty_selection_is_an_empty_file_not_an_error(api):
    response = api.get(IATI_LIST, {"demo": "demo"})
    assert response.status_code == 200
    assert len(etree.fromstring(response.content)) == 0
    assert api.get(OC4IDS_LIST).json()["projects"] == []


# --- cost ---------------------------------------------------------------------------------------------------


def make_portfolio(count):
    group = f.WorkingGroupFactory()
    sector = f.SectorFactory(slug="energy")
    country = f.CountryFactory(code="KZ")
    organisation = f.OrganisationFactory(country=country)
    projects = Project.objects.bulk_create(
        f.ProjectFactory.build_batch(count, working_group=group, planned_start=START)
    )
    Project.sectors.through.objects.bulk_create([Project.sectors.through(project=p, sector=sector) for p in projects])
    ProjectLocation.objects.bulk_create([f.LocationFactory.build(project=p, country=country) for p in projects])
    ProjectParticipant.objects.bulk_create(
        [f.ParticipantFactory.build(project=p, organisation=organisation) for p in projects]
    )
    Document.objects.bulk_create([f.DocumentFactory.build(project=p) for p in projects])
    results = Result.objects.bulk_create(
        [Result(project=p, kind="outcome", title=f"Result {p.code}") for p in projects]
    )
    indicators = Indicator.objects.bulk_create(
        [
            Indicator(result=r, title="Jobs created", baseline_date=START, target_value=10, target_date=END)
            for r in results
        ]
    )
    IndicatorValue.objects.bulk_create(
        [
            IndicatorValue(indicator=i, period_start=START, period_end=END, value=4, publication=Publication.PUBLISHED)
            for i in indicators
        ]
    )
    # Money too: a budget, and a commitment and a disbursement to a second organisation (whose
    # country the parties show), bulk-created (their USD figures do not matter here).
    receiver = f.OrganisationFactory(country=country)
    Budget.objects.bulk_create([BudgetFactory.build(project=p) for p in projects])
    Transaction.objects.bulk_create(
        [
            TransactionFactory.build(project=p, kind=kind, provider=organisation, receiver=receiver)
            for p in projects
            for kind in ("commitment", "disbursement")
        ]
    )


@pytest.mark.parametrize("count", [5, 150])
def test_export_queries_do_not_grow_with_the_portfolio(api, django_assert_num_queries, count):
    make_portfolio(count)
    # The count, the page of projects (working group and commission joined), participants,
    # published transactions, the organisations of both (with their countries), locations, their
    # countries, sectors, documents, budgets, published values, indicators, results, and the
    # default commission (the publisher's name).
    with django_assert_num_queries(14):
        assert len(iati(api.get(IATI_LIST))) == count
    with django_assert_num_queries(14):
        package = oc4ids(api.get(OC4IDS_LIST))
    assert len(package["projects"]) == count
    assert all(p["transactions"] and p["budget"]["finance"] and p["metrics"] for p in package["projects"])


# --- where clients find them ----------------------------------------------------------------------------


def test_the_sitemap_and_the_openapi_schema_name_the_exports(client, api):
    f.ProjectFactory(planned_start=START)
    body = client.get("/sitemap-datasets.xml").content.decode()
    assert f"<loc>http://testserver{IATI_LIST}</loc>" in body
    assert f"<loc>http://testserver{OC4IDS_LIST}</loc>" in body
    paths = api.get("/api/schema/", {"format": "json"}).json()["paths"]
    assert "application/xml" in paths["/api/v1/iati/activities.xml"]["get"]["responses"]["200"]["content"]
    assert "/api/v1/iati/activities/{code}.xml" in paths
    assert "application/json" in paths["/api/v1/oc4ids/projects/{code}.json"]["get"]["responses"]["200"]["content"]
    assert {p["name"] for p in paths["/api/v1/oc4ids/projects.json"]["get"]["parameters"]} >= {"demo", "page"}


def test_an_amount_with_cents_stays_exact(api):
    f.ProjectFactory(code="C-1", investment_amount=Decimal("1234.56"), investment_currency="EUR")
    assert oc4ids(api.get(OC4IDS_LIST))["projects"][0]["budget"]["amount"] == {"amount": 1234.56, "currency": "EUR"}


def test_an_unchanged_file_answers_304_and_options_describe_it_in_json(api):
    f.ProjectFactory(code="E-1", planned_start=START)
    for address in (IATI_LIST, OC4IDS_LIST, "/api/v1/iati/activities/E-1.xml"):
        etag = api.get(address)["ETag"]
        assert api.get(address, HTTP_IF_NONE_MATCH=etag).status_code == 304, address
    options = api.options(IATI_LIST)
    assert options.status_code == 200
    assert options.json()["name"] == "IATI activities"


def test_an_activity_carries_its_results_with_baseline_target_and_published_actuals_only(api):
    project = f.ProjectFactory(code="KZUZ-050", planned_start=START)
    result = Result.objects.create(project=project, kind="output", title="Railway built", title_ru="Дорога построена")
    indicator = Indicator.objects.create(
        result=result,
        title="Track laid",
        unit="km",
        baseline_value=0,
        baseline_date=START,
        target_value=152,
        target_date=END,
    )
    IndicatorValue.objects.create(
        indicator=indicator,
        period_start=START,
        period_end=START + datetime.timedelta(days=180),
        value=40,
        comment="First section",
        publication=Publication.PUBLISHED,
    )
    IndicatorValue.objects.create(
        indicator=indicator,
        period_start=START + datetime.timedelta(days=181),
        period_end=END,
        value=99,
        publication=Publication.DRAFT,
    )
    activity = iati(api.get("/api/v1/iati/activities/KZUZ-050.xml"))[0]
    (node,) = activity.findall("result")
    assert node.get("type") == "1"
    assert {n.get(XML_LANG): n.text for n in node.find("title")} == {"en": "Railway built", "ru": "Дорога построена"}
    (ind,) = node.findall("indicator")
    assert ind.get("measure") == "1" and ind.find("baseline").get("value") == "0"
    periods = ind.findall("period")
    assert [p.find("target").get("value") for p in periods if p.find("target") is not None] == ["152"]
    assert [p.find("actual").get("value") for p in periods if p.find("actual") is not None] == ["40"]  # no draft
    assert activity.index(node) > max(activity.index(link) for link in activity.findall("document-link"))


def test_an_activity_carries_its_budgets_and_published_transactions_in_schema_order(api):
    project = f.ProjectFactory(code="KZUZ-051", planned_start=START)
    provider = f.OrganisationFactory(name="Kazakhstan Temir Zholy")
    BudgetFactory(project=project, amount=Decimal("2500000.50"), currency="KZT")
    BudgetFactory(project=project, kind="revised", status="committed", amount=Decimal("3000000"), currency="KZT")
    TransactionFactory(project=project, kind="disbursement", provider=provider, receiver_name="Contractor LLP")
    TransactionFactory(project=project, amount=Decimal("99"), publication=Publication.DRAFT)
    activity = iati(api.get("/api/v1/iati/activities/KZUZ-051.xml"))[0]
    budgets = activity.findall("budget")
    assert [(b.get("type"), b.get("status"), b.find("value").text) for b in budgets] == [
        ("1", "1", "2500000.50"),
        ("2", "2", "3000000.00"),
    ]
    assert budgets[0].find("value").get("currency") == "KZT"
    (transaction,) = activity.findall("transaction")  # the draft is not public
    assert transaction.find("transaction-type").get("code") == "3"
    assert transaction.find("provider-org/narrative").text == "Kazakhstan Temir Zholy"
    assert transaction.find("receiver-org/narrative").text == "Contractor LLP"
    order = [child.tag for child in activity]
    assert (
        order.index("activity-status")
        < order.index("budget")
        < order.index("transaction")
        < order.index("document-link")
    )


# --- how the files are made fast ------------------------------------------------------------------


def test_the_iati_writer_writes_what_lxml_writes(api):
    # Escapes in text and attributes, empty elements, an empty text, non-Latin text and xml:lang:
    # the same tree through lxml and through the writer the export uses gives the same bytes.
    from projects.opendata import xmltext

    tricky = "R&D <phase 1> \"Ташкент\" 'a'\tb\r\nc ʻOʼzbekiston"
    ours = xmltext.Element("root", {"version": "2.03", "note": tricky})
    theirs = etree.Element("root", {"version": "2.03", "note": tricky})
    for tree, sub, lang in ((ours, xmltext.SubElement, xmltext.XML_LANG), (theirs, etree.SubElement, XML_LANG)):
        title = sub(tree, "title", {"code": "A&B"})
        sub(title, "narrative", {lang: "ru"}).text = tricky
        sub(tree, "empty")
        sub(sub(tree, "outer"), "inner", {"a": "1", "b": "2"}).text = ""
    assert xmltext.tostring(ours) == etree.tostring(theirs, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    # A control character (which lxml refuses outright) is dropped: the file stays well-formed.
    stray = xmltext.Element("root", {"note": "a\x0bb"})
    xmltext.SubElement(stray, "narrative").text = "Line\x00one\x1f"
    parsed = etree.fromstring(xmltext.tostring(stray))
    assert (parsed.get("note"), parsed.find("narrative").text) == ("ab", "Lineone")
    with pytest.raises(ValueError, match="both text and children"):
        mixed = xmltext.Element("mixed")
        mixed.text = "text"
        xmltext.SubElement(mixed, "child")
        xmltext.tostring(mixed)


def test_a_row_read_for_the_files_shows_its_language_as_the_model_does(api):
    # The OC4IDS region and the IATI comment of a value without one come from the field as the
    # model shows it: the visitor's language where it has a text, else English.
    project = f.ProjectFactory(code="KZUZ-750", planned_start=START)
    f.LocationFactory(project=project, region_en="Tashkent region", region_ru="Ташкентская область")
    result = Result.objects.create(project=project, title="Output")
    indicator = Indicator.objects.create(result=result, title="Progress", measure="qualitative")
    IndicatorValue.objects.create(
        indicator=indicator,
        period_start=START,
        period_end=END,
        narrative_en="On track",
        narrative_kk="Жоспар бойынша",
        publication=Publication.PUBLISHED,
    )

    def region(language):
        package = oc4ids(api.get("/api/v1/oc4ids/projects/KZUZ-750.json", HTTP_ACCEPT_LANGUAGE=language))
        return package["projects"][0]["locations"][0]["address"]["region"]

    def comment(language):
        document = iati(api.get("/api/v1/iati/activities/KZUZ-750.xml", HTTP_ACCEPT_LANGUAGE=language))
        return document.findtext(".//actual/comment/narrative")

    assert region("en") == "Tashkent region" and region("ru") == "Ташкентская область"
    assert region("kk") == "Tashkent region"  # no Kazakh text: the English one
    assert comment("kk") == "Жоспар бойынша" and comment("ru") == "On track"


def test_making_a_file_leaves_the_cycle_collector_as_it_found_it(api):
    import gc

    make_portfolio(3)
    assert gc.isenabled()
    assert len(iati(api.get(IATI_LIST))) == 3 and len(oc4ids(api.get(OC4IDS_LIST))["projects"]) == 3
    assert gc.isenabled()
    gc.disable()
    try:
        oc4ids(api.get(OC4IDS_LIST))
        assert not gc.isenabled()  # someone else's choice is theirs to undo
    finally:
        gc.enable()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("path", [IATI_LIST, OC4IDS_LIST])
def test_the_files_come_from_the_page_cache_until_the_portfolio_changes(api, settings, django_assert_num_queries, path):
    settings.PAGE_CACHE_SECONDS = 600
    project = f.ProjectFactory(code="KZUZ-760", title="Solar park", planned_start=START)
    first = api.get(path)
    with django_assert_num_queries(0):
        again = api.get(path)
    assert again.status_code == 200 and again.content == first.content and again["ETag"] == first["ETag"]
    assert api.get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    project.title = "Wind farm"
    project.save()
    changed = api.get(path).content.decode()
    assert "Wind farm" in changed and "Solar park" not in changed
