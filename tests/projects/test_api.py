"""The portfolio API: projects, tasks, updates, documents, organisations, rates and summaries."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from projects import snapshots
from projects.api_urls import router
from projects.models import Confidence, Document, ExchangeRate, ProgressUpdate, Project, Publication, Task
from tests import factories as f
from tests.helpers import DAY, assert_error, client_for, csv_rows

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttle")]

PROJECTS = "/api/v1/projects/"


def codes(response):
    assert response.status_code == 200, response.content[:500]
    return [row["code"] for row in response.json()["results"]]


def ids(response):
    assert response.status_code == 200, response.content[:500]
    return sorted(row["id"] for row in response.json()["results"])


# --- the API root ---------------------------------------------------------------------------------

ENDPOINTS = {
    "countries", "commissions", "sectors", "working-groups", "co-chairs", "people", "meetings", "directives",
    "agreements", "trade-figures", "events", "organisations", "projects", "tasks", "progress-updates",
    "documents", "exchange-rates", "summary",
}  # fmt: skip


def test_api_root_lists_every_endpoint_each_answering(api):
    response = api.get("/api/v1/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    links = response.json()
    assert set(links) == {prefix for prefix, *_ in router.registry} and set(links) >= ENDPOINTS
    for name, link in links.items():
        assert link == f"http://testserver/api/v1/{name}/"
        assert api.get(link).status_code == 200, name


def test_footer_link_to_the_api_opens_its_root_in_a_browser(client, api):
    assert '<a href="/api/v1/">Open data (API)</a>' in client.get("/en/").content.decode()
    for response in (api.get("/api/v1/", {"format": "api"}), api.get("/api/v1/", HTTP_ACCEPT="text/html")):
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/html")
        assert "http://testserver/api/v1/projects/" in response.content.decode()


def test_api_root_is_strict_and_conditional_like_every_endpoint(api):
    assert_error(api.get("/api/v1/", {"staus": "closed"}), 400, "staus")
    assert_error(api.get("/api/v1/", {"format": "csv"}), 400, "format")
    etag = api.get("/api/v1/")["ETag"]
    assert api.get("/api/v1/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert "Accept" in api.get("/api/v1/")["Vary"]


def test_api_root_is_not_in_the_schema(api):
    assert "/api/v1/" not in api.get("/api/schema/", {"format": "json"}).json()["paths"]


# --- the directory of projects --------------------------------------------------------------------


def test_project_list_shows_published_projects_only(api):
    shown = f.ProjectFactory(code="KZUZ-001")
    for state in (Publication.DRAFT, Publication.SUBMITTED, Publication.RETURNED):
        f.ProjectFactory(publication=state)

    assert codes(api.get(PROJECTS)) == [shown.code]
    assert api.get(reverse("api:project-list")).json()["count"] == 1


def test_project_row_carries_what_a_table_needs(api, today):
    energy = f.SectorFactory(name="Energy", slug="energy")
    f.ExchangeRateFactory(currency="KZT", date=datetime.date(2025, 1, 1), units_per_usd=Decimal("500"))
    project = f.ProjectFactory(
        code="KZUZ-017",
        sectors=[energy],
        investment_amount=Decimal("1000000"),
        investment_currency="KZT",
        planned_start=today - 300 * DAY,
        planned_end=today + 100 * DAY,
        demo=True,
    )
    f.TaskFactory(project=project, weight=3, status=Task.Status.DONE, completed_date=today - DAY)
    f.TaskFactory(project=project, weight=1, due_date=today - 2 * DAY)

    [row] = api.get(PROJECTS).json()["results"]

    assert row["code"] == "KZUZ-017"
    assert row["working_group"] == {"slug": project.working_group.slug, "name": project.working_group.name}
    assert row["sectors"] == [{"slug": "energy", "name": "Energy"}]
    assert (row["investment_amount"], row["investment_currency"]) == ("1000000.00", "KZT")
    assert row["investment_usd"] == "2000.00"
    assert row["progress"] == 75.0
    assert row["overdue_tasks"] == 1
    assert row["behind_schedule"] is False
    assert row["planned_end"] == (today + 100 * DAY).isoformat()
    assert row["demo"] is True
    assert row["url"] == f"http://testserver/api/v1/projects/{project.slug}/"
    assert row["page_url"] == "http://testserver" + reverse("projects:project-detail", kwargs={"slug": project.slug})


def test_usd_equivalent_is_null_without_a_rate(api):
    f.ProjectFactory(investment_currency="UZS", investment_amount=Decimal("5"))
    [row] = api.get(PROJECTS).json()["results"]
    assert row["investment_usd"] is None


def test_project_behind_schedule_is_flagged(api, today):
    f.ProjectFactory(planned_start=today - 300 * DAY, planned_end=today + 10 * DAY)  # no progress at all
    [row] = api.get(PROJECTS).json()["results"]
    assert row["behind_schedule"] is True


def test_progress_as_of_a_date_counts_only_work_done_by_then(api, today):
    project = f.ProjectFactory()
    f.TaskFactory(project=project, status=Task.Status.DONE, completed_date=today - 10 * DAY)
    f.TaskFactory(project=project, status=Task.Status.DONE, completed_date=today - DAY)

    assert api.get(PROJECTS).json()["results"][0]["progress"] == 100.0
    earlier = (today - 5 * DAY).isoformat()
    assert api.get(PROJECTS, {"as_of": earlier}).json()["results"][0]["progress"] == 50.0


def test_project_detail_by_slug_adds_tasks_updates_participants_places_and_links(api):
    project = f.ProjectFactory(summary="Two sentences.")
    task = f.TaskFactory(project=project, title="Sign the EPC contract")
    f.ProgressUpdateFactory(project=project, title="Shown")
    f.ProgressUpdateFactory(project=project, title="Draft", publication=Publication.DRAFT)
    f.DocumentFactory(project=project, title="Public study")
    f.DocumentFactory(project=project, title="Internal memo", published=False)
    participant = f.ParticipantFactory(project=project)
    f.LocationFactory(project=project, region="Turkestan region")
    agreement = f.AgreementFactory()
    directive = f.DirectiveFactory()
    project.agreements.add(agreement)
    project.directives.add(directive)

    body = api.get(f"{PROJECTS}{project.slug}/").json()

    assert body["summary"] == "Two sentences."
    assert [t["title"] for t in body["tasks"]] == [task.title]
    assert [u["title"] for u in body["updates"]] == ["Shown"]
    assert [d["title"] for d in body["documents"]] == ["Public study"]
    assert body["participants"] == [
        {
            "organisation": participant.organisation_id,
            "organisation_name": participant.organisation.name,
            "role": "investor",
            "share": None,
        }
    ]
    assert body["locations"][0]["region"] == "Turkestan region"
    assert body["locations"][0]["country"] == "UZ"
    assert body["agreements"][0]["slug"] == agreement.slug
    assert body["directives"][0]["id"] == directive.pk


def test_unpublished_project_detail_is_a_json_404(api):
    draft = f.ProjectFactory(publication=Publication.DRAFT)
    assert_error(api.get(f"{PROJECTS}{draft.slug}/"), 404)


# --- filters, search, ordering --------------------------------------------------------------------


def test_every_project_filter_selects_the_rows_the_site_would(today):
    group = f.WorkingGroupFactory(slug="energy-group")
    energy = f.SectorFactory(slug="energy")
    f.ExchangeRateFactory(currency="KZT", units_per_usd=Decimal("500"))
    a = f.ProjectFactory(
        code="A-1",
        title="Solar plant",
        working_group=group,
        sectors=[energy],
        status=Project.Status.PIPELINE,
        confidence=Confidence.GREEN,
        investment_amount=Decimal("100"),
        planned_start=datetime.date(2024, 3, 1),
    )
    b = f.ProjectFactory(
        code="B-2",
        title="Rail link",
        status=Project.Status.CLOSED,
        confidence=Confidence.RED,
        investment_amount=Decimal("5000000"),
        investment_currency="KZT",
        planned_start=datetime.date(2020, 1, 1),
        planned_end=today + DAY,
    )
    f.LocationFactory(project=a, country=f.CountryFactory(code="KZ"), region="Almaty region")
    f.LocationFactory(project=b, country=f.CountryFactory(code="UZ"), region="Fergana region")
    # b is 5000000 KZT = 10000 USD; a is 100 USD.
    cases = {
        "q=solar": ["A-1"],
        "q=rail link": ["B-2"],
        "sector=energy": ["A-1"],
        "working_group=energy-group": ["A-1"],
        "status=pipeline&status=closed": ["A-1", "B-2"],
        "status=closed": ["B-2"],
        "confidence=green": ["A-1"],
        "country=UZ": ["B-2"],
        "region=almaty region": ["A-1"],
        "investment_min=1000": ["B-2"],
        "investment_max=1000": ["A-1"],
        "start_year=2024": ["A-1"],
        "behind_schedule=false": ["A-1", "B-2"],
        "ordering=-code": ["B-2", "A-1"],
        "ordering=-investment": ["B-2", "A-1"],
        "ordering=investment": ["A-1", "B-2"],
        "ordering=title": ["B-2", "A-1"],
    }
    api = client_for()
    for query, expected in cases.items():
        assert codes(api.get(f"{PROJECTS}?{query}")) == expected, query


def test_behind_schedule_filter(api, today):
    late = f.ProjectFactory(planned_start=today - 300 * DAY, planned_end=today + 10 * DAY)
    f.ProjectFactory()
    assert codes(api.get(PROJECTS, {"behind_schedule": "true"})) == [late.code]


@pytest.mark.parametrize(
    "query, parameter, status",
    [
        ("status=finished", "status", 400),
        ("sector=no-such-sector", "sector", 400),
        ("investment_min=lots", "investment_min", 400),
        ("investment_min=1e300", "investment_min", 400),
        ("start_year=2024.5", "start_year", 400),
        ("start_year=abc", "start_year", 400),
        ("behind_schedule=maybe", "behind_schedule", 400),
        ("ordering=secret_field", "ordering", 400),
        ("ordering=review_comment", "ordering", 400),
        ("ordering=,", "ordering", 400),
        ("page=0", "page", 400),
        ("page=two", "page", 400),
        ("page=99", "page", 404),
        ("page_size=501", "page_size", 400),
        ("page_size=0", "page_size", 400),
        ("page=1&page=2", "page", 400),
        ("as_of=2026-13-45", "as_of", 400),
        ("as_of=", "as_of", 400),
        ("staus=closed", "staus", 400),
        ("publication=draft", "publication", 400),
        ("format=xml", "format", 400),
        ("q=%00", "q", 400),
    ],
)
def test_bad_query_gets_a_json_error_naming_the_parameter(api, query, parameter, status):
    f.ProjectFactory()
    body = assert_error(api.get(f"{PROJECTS}?{query}"), status, parameter)
    assert body["detail"]


def test_errors_are_json_even_when_csv_was_asked_for(api):
    response = api.get(PROJECTS, {"format": "csv", "status": "finished"})
    assert_error(response, 400, "status")
    response = api.get(PROJECTS, {"status": "finished"}, HTTP_ACCEPT="text/csv")
    assert_error(response, 400, "status")


def test_unknown_api_address_is_a_json_404_and_a_missing_slash_redirects(api):
    assert_error(api.get("/api/v1/nothing-here/"), 404)
    assert_error(api.get("/api/v2/projects/"), 404)
    assert_error(api.post("/api/v1/projects/x/y/", {}, format="json"), 404)
    response = api.get("/api/v1/projects?status=closed")
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/projects/?status=closed"


# --- pagination -----------------------------------------------------------------------------------


def test_pagination_is_bounded_and_keeps_the_filters(api):
    for _ in range(5):
        f.ProjectFactory(status=Project.Status.CLOSED)
    f.ProjectFactory(status=Project.Status.PIPELINE)

    first = api.get(PROJECTS, {"status": "closed", "page_size": 2})
    body = first.json()
    assert body["count"] == 5 and len(body["results"]) == 2
    assert "status=closed" in body["next"] and "page=2" in body["next"]
    assert first["X-Total-Count"] == "5"
    assert 'rel="next"' in first["Link"]
    last = api.get(body["next"].replace("http://testserver", "")).json()
    assert last["previous"] and len(last["results"]) == 2
    assert api.get(PROJECTS, {"page_size": 500}).json()["count"] == 6


# --- CSV ------------------------------------------------------------------------------------------


def test_csv_has_the_same_rows_as_json_one_row_a_record(api):
    energy, water = f.SectorFactory(slug="energy"), f.SectorFactory(slug="water")
    f.ProjectFactory(code="A-1", title='Dam, "big" one', sectors=[energy, water])
    f.ProjectFactory(code="B-2", status=Project.Status.CLOSED)
    f.ProjectFactory(code="C-3", publication=Publication.DRAFT)

    header, rows = csv_rows(api.get(PROJECTS, {"format": "csv"}))
    json_rows = api.get(PROJECTS).json()["results"]

    assert [row["code"] for row in rows] == [row["code"] for row in json_rows] == ["A-1", "B-2"]
    assert rows[0]["title"] == 'Dam, "big" one'
    assert rows[0]["sectors.slug"] == "energy; water"
    assert rows[0]["working_group.slug"] == json_rows[0]["working_group"]["slug"]
    assert rows[0]["investment_usd"] == "1000000.00"
    assert rows[0]["behind_schedule"] == "false"
    assert {"code", "title", "status", "investment_usd", "progress", "overdue_tasks", "page_url"} <= set(header)


def test_csv_by_accept_header_and_filtered_like_json(api):
    f.ProjectFactory(code="A-1")
    f.ProjectFactory(code="B-2", status=Project.Status.CLOSED)
    _, rows = csv_rows(api.get(PROJECTS, {"status": "closed"}, HTTP_ACCEPT="text/csv"))
    assert [row["code"] for row in rows] == ["B-2"]


def test_csv_header_is_stable_when_nothing_matches(api):
    f.ProjectFactory(code="A-1")
    full_header, _ = csv_rows(api.get(PROJECTS, {"format": "csv"}))
    empty_header, rows = csv_rows(api.get(PROJECTS, {"format": "csv", "status": "closed"}))
    assert rows == [] and empty_header == full_header


@pytest.mark.parametrize(
    "url", ["/api/v1/tasks/", "/api/v1/progress-updates/", "/api/v1/documents/", "/api/v1/organisations/"]
)
def test_every_portfolio_list_answers_in_csv(api, url):
    project = f.ProjectFactory()
    f.TaskFactory(project=project)
    f.ProgressUpdateFactory(project=project)
    f.DocumentFactory(project=project)
    f.ParticipantFactory(project=project)
    header, rows = csv_rows(api.get(url, {"format": "csv"}))
    assert "id" in header and len(rows) == 1


# --- conditional requests, CORS, throttling -------------------------------------------------------


def test_etag_answers_if_none_match_with_304_until_the_data_changes(api):
    project = f.ProjectFactory()
    for url in (PROJECTS, f"{PROJECTS}{project.slug}/"):
        first = api.get(url)
        etag = first["ETag"]
        assert api.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    Project.objects.filter(pk=project.pk).update(title="Renamed")
    assert api.get(PROJECTS, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_cors_read_access_for_configured_origins(api, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://newsroom.example"]
    response = api.get(PROJECTS, HTTP_ORIGIN="https://newsroom.example")
    assert response["Access-Control-Allow-Origin"] == "https://newsroom.example"
    assert "X-Total-Count" in response["Access-Control-Expose-Headers"]
    other = api.get(PROJECTS, HTTP_ORIGIN="https://elsewhere.example")
    assert "Access-Control-Allow-Origin" not in other


def test_anonymous_clients_are_rate_limited(api, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "2/minute"}}
    assert api.get(PROJECTS).status_code == 200
    assert api.get(PROJECTS).status_code == 200
    response = api.get(PROJECTS)
    assert_error(response, 429)
    assert int(response["Retry-After"]) > 0


# --- records of projects --------------------------------------------------------------------------


def test_tasks_updates_and_documents_of_unpublished_projects_are_hidden(api):
    public = f.ProjectFactory()
    draft = f.ProjectFactory(publication=Publication.DRAFT)
    shown_task = f.TaskFactory(project=public)
    f.TaskFactory(project=draft)
    shown_update = f.ProgressUpdateFactory(project=public)
    f.ProgressUpdateFactory(project=public, publication=Publication.SUBMITTED)
    f.ProgressUpdateFactory(project=draft)
    shown_doc = f.DocumentFactory(project=public)
    f.DocumentFactory(project=public, published=False)
    f.DocumentFactory(project=draft)

    assert ids(api.get("/api/v1/tasks/")) == [shown_task.pk]
    assert ids(api.get("/api/v1/progress-updates/")) == [shown_update.pk]
    assert ids(api.get("/api/v1/documents/")) == [shown_doc.pk]
    hidden = Task.objects.get(project=draft)
    assert_error(api.get(f"/api/v1/tasks/{hidden.pk}/"), 404)


def test_task_filters(api, today):
    group = f.WorkingGroupFactory(slug="transport")
    railway = f.ProjectFactory(slug="railway", working_group=group)
    other = f.ProjectFactory()
    late = f.TaskFactory(project=railway, title="Survey the route", due_date=today - DAY)
    done = f.TaskFactory(
        project=railway, status=Task.Status.DONE, completed_date=today - DAY, due_date=today + 10 * DAY
    )
    elsewhere = f.TaskFactory(project=other, responsible="Ministry of Energy", due_date=today + 40 * DAY)
    cases = {
        "q=survey": [late.pk],
        "q=energy": [elsewhere.pk],
        "project=railway": sorted([late.pk, done.pk]),
        "working_group=transport": sorted([late.pk, done.pk]),
        "status=done": [done.pk],
        "overdue=true": [late.pk],
        "overdue=false": sorted([done.pk, elsewhere.pk]),
        f"due_before={today.isoformat()}": [late.pk],
        f"due_after={(today + 20 * DAY).isoformat()}": [elsewhere.pk],
    }
    for query, expected in cases.items():
        assert ids(api.get(f"/api/v1/tasks/?{query}")) == expected, query
    rows = api.get("/api/v1/tasks/", {"ordering": "-due_date"}).json()["results"]
    assert [row["id"] for row in rows] == [elsewhere.pk, done.pk, late.pk]
    assert next(row for row in rows if row["id"] == late.pk)["overdue"] is True


def test_progress_update_filters(api):
    group = f.WorkingGroupFactory(slug="energy")
    plant = f.ProjectFactory(slug="plant", working_group=group)
    early = f.ProgressUpdateFactory(project=plant, reported_on=datetime.date(2025, 1, 10), title="Ground broken")
    late = f.ProgressUpdateFactory(
        project=f.ProjectFactory(), reported_on=datetime.date(2026, 1, 10), confidence=Confidence.RED
    )
    cases = {
        "project=plant": [early.pk],
        "working_group=energy": [early.pk],
        "confidence=red": [late.pk],
        "reported_after=2025-06-01": [late.pk],
        "reported_before=2025-06-01": [early.pk],
        "q=ground": [early.pk],
    }
    for query, expected in cases.items():
        assert ids(api.get(f"/api/v1/progress-updates/?{query}")) == expected, query


def test_document_filters(api):
    plant = f.ProjectFactory(slug="plant")
    study = f.DocumentFactory(project=plant, kind=Document.Kind.STUDY, title="Feasibility")
    press = f.DocumentFactory(kind=Document.Kind.PRESS)
    cases = {"project=plant": [study.pk], "kind=press": [press.pk], "q=feasib": [study.pk]}
    for query, expected in cases.items():
        assert ids(api.get(f"/api/v1/documents/?{query}")) == expected, query


def test_organisations_of_published_projects_are_listed_with_filters(api):
    ministry = f.OrganisationFactory(name="Ministry of Energy", kind="government", country=f.CountryFactory(code="KZ"))
    bank = f.OrganisationFactory(name="Development Bank", kind="financial")
    project = f.ProjectFactory()
    f.ParticipantFactory(project=project, organisation=bank)
    f.TaskFactory(project=project, responsible_organisation=ministry)
    secret = f.ParticipantFactory(project=f.ProjectFactory(publication=Publication.DRAFT)).organisation
    assert sorted(ids(api.get("/api/v1/organisations/"))) == sorted([ministry.pk, bank.pk])
    assert_error(api.get(f"/api/v1/organisations/{secret.pk}/"), 404)
    cases = {"q=energy": [ministry.pk], "country=UZ": [bank.pk], "kind=financial": [bank.pk]}
    for query, expected in cases.items():
        assert ids(api.get(f"/api/v1/organisations/?{query}")) == expected, query
    assert api.get(f"/api/v1/organisations/{bank.pk}/").json()["name"] == "Development Bank"


def test_exchange_rates_with_filters(api):
    old = f.ExchangeRateFactory(currency="KZT", date=datetime.date(2024, 1, 1))
    new = f.ExchangeRateFactory(currency="UZS", date=datetime.date(2026, 1, 1), units_per_usd=Decimal("12500"))
    cases = {"currency=UZS": [new.pk], "date_from=2025-01-01": [new.pk], "date_to=2025-01-01": [old.pk]}
    for query, expected in cases.items():
        assert ids(api.get(f"/api/v1/exchange-rates/?{query}")) == expected, query
    assert api.get(f"/api/v1/exchange-rates/{new.pk}/").json()["units_per_usd"] == "12500.000000"


def test_bad_record_ids_are_json_404s(api):
    assert_error(api.get("/api/v1/tasks/abc/"), 404)
    assert_error(api.get("/api/v1/tasks/99999999999999999999999/"), 404)
    assert_error(api.get("/api/v1/projects/no-such-project/"), 404)


# --- summaries ------------------------------------------------------------------------------------


def test_summary_totals_by_status_sector_group_and_country(api, today):
    energy = f.SectorFactory(slug="energy", name="Energy")
    group = f.WorkingGroupFactory(slug="power", name="Power")
    a = f.ProjectFactory(sectors=[energy], working_group=group, investment_amount=Decimal("300"))
    b = f.ProjectFactory(status=Project.Status.CLOSED, investment_amount=Decimal("200"))
    f.ProjectFactory(publication=Publication.DRAFT, investment_amount=Decimal("999999"))
    f.LocationFactory(project=a, country=f.CountryFactory(code="KZ"))
    f.TaskFactory(project=a, status=Task.Status.DONE, completed_date=today - DAY)
    f.TaskFactory(project=b, due_date=today - DAY)

    body = api.get("/api/v1/summary/").json()

    assert body["as_of"] == today.isoformat()
    totals = body["totals"]
    assert (totals["count"], totals["usd"], totals["overdue_tasks"]) == (2, "500.00", 1)
    assert totals["mean_progress"] == 50.0
    assert totals["progress"] == 50.0
    by_status = {row["key"]: row for row in body["by_status"]}
    assert by_status["implementation"]["usd"] == "300.00" and by_status["closed"]["count"] == 1
    assert by_status["implementation"]["name"] == "Implementation"
    assert {row["key"]: row["count"] for row in body["by_sector"]} == {"energy": 1, None: 1}
    assert {row["key"]: row["name"] for row in body["by_working_group"]}["power"] == "Power"
    assert {row["key"]: row["usd"] for row in body["by_location_country"]} == {"KZ": "300.00", None: "200.00"}
    # No participant has a share: the whole investment is unallocated.
    assert [(row["key"], row["usd"]) for row in body["by_country"]] == [(None, "500.00")]


def test_summary_as_of_a_date_and_with_filters(api, today):
    project = f.ProjectFactory(status=Project.Status.CLOSED)
    f.TaskFactory(project=project, status=Task.Status.DONE, completed_date=today - DAY)
    f.ProjectFactory()
    # Recorded a month ago: a past day reads the change history.
    for model in (Project, Task):
        model.history.update(history_date=timezone.now() - 30 * DAY)
    snapshots.rebuild()  # rewritten history: the dated snapshots rebuilt from it, as on a restore

    before = api.get("/api/v1/summary/", {"as_of": (today - 5 * DAY).isoformat(), "status": "closed"}).json()
    assert before["totals"]["count"] == 1
    assert before["totals"]["mean_progress"] == 0.0
    assert api.get("/api/v1/summary/", {"status": "closed"}).json()["totals"]["mean_progress"] == 100.0


def test_as_of_in_the_future_or_before_1991_is_refused_as_on_the_site(api):
    f.ProjectFactory()
    for day in ("9999-12-31", "1800-01-01"):
        for url in ("/api/v1/summary/", PROJECTS):
            assert_error(api.get(url, {"as_of": day}), 400, "as_of")


def test_summary_by_one_dimension_in_json_and_csv(api):
    f.ProjectFactory(confidence=Confidence.AMBER)
    f.ProjectFactory(confidence=Confidence.AMBER)
    rows = api.get("/api/v1/summary/by-confidence/").json()
    assert rows == [
        {
            "key": "amber",
            "name": "Amber",
            "count": 2,
            "usd": "2000000.00",
            "unpriced": 0,
            "real_count": 2,
            "real_usd": "2000000.00",
            "demo_count": 0,
            "demo_usd": "0.00",
            "progress": None,
            "mean_progress": None,
            "overdue_tasks": 0,
            "behind_schedule": 0,
        }
    ]
    header, csv_data = csv_rows(api.get("/api/v1/summary/by-confidence/", {"format": "csv"}))
    assert header[:3] == ["key", "name", "count"] and csv_data[0]["usd"] == "2000000.00"
    assert_error(api.get("/api/v1/summary/by-colour/"), 404)
    assert_error(api.get("/api/v1/summary/", {"as_of": "yesterday"}), 400, "as_of")
    body = assert_error(api.get("/api/v1/summary/", {"format": "csv"}), 400, "format")
    assert body["errors"]["format"] == ["Use json."]


# --- query counts ---------------------------------------------------------------------------------


def make_portfolio(count):
    """`count` published projects in one group and sector, each with two tasks and a location."""
    group = f.WorkingGroupFactory()
    sector = f.SectorFactory()
    country = f.CountryFactory(code="KZ")
    projects = Project.objects.bulk_create(f.ProjectFactory.build_batch(count, working_group=group))
    Project.sectors.through.objects.bulk_create([Project.sectors.through(project=p, sector=sector) for p in projects])
    Task.objects.bulk_create([f.TaskFactory.build(project=p) for p in projects for _ in range(2)])
    f.LocationFactory._meta.model.objects.bulk_create(
        [f.LocationFactory.build(project=p, country=country) for p in projects]
    )
    return projects


@pytest.mark.parametrize("count", [10, 500])
def test_list_queries_do_not_grow_with_the_portfolio(api, django_assert_num_queries, count):
    make_portfolio(count)
    # A count, the page of projects with their figures, and their sectors.
    with django_assert_num_queries(3):
        response = api.get(PROJECTS, {"page_size": 500})
    assert len(response.json()["results"]) == count
    with django_assert_num_queries(3):
        assert len(csv_rows(api.get(PROJECTS, {"page_size": 500, "format": "csv"}))[1]) == count
    with django_assert_num_queries(2):  # a count and the page (project, organisation joined)
        api.get("/api/v1/tasks/", {"page_size": 500})


@pytest.mark.parametrize("count", [10, 500])
def test_detail_queries_do_not_grow_with_its_records(api, django_assert_num_queries, count):
    project = f.ProjectFactory()
    Task.objects.bulk_create([f.TaskFactory.build(project=project) for _ in range(count)])
    ProgressUpdate.objects.bulk_create([f.ProgressUpdateFactory.build(project=project) for _ in range(count // 10)])
    # The project, then one query each: sectors, tasks, updates, documents, participants,
    # locations, agreements, directives.
    with django_assert_num_queries(9):
        body = api.get(f"{PROJECTS}{project.slug}/").json()
    assert len(body["tasks"]) == count


@pytest.mark.parametrize("count", [10, 500])
def test_summary_queries_do_not_grow_with_the_portfolio(api, django_assert_num_queries, count):
    make_portfolio(count)
    # Totals and figures (2), then per dimension totals with figures and names (status and
    # confidence need no names: 1 + 1 + 2 + 2 + 2), then the participant-country split (2 here; a
    # third for the countries' names when some participant has a share).
    with django_assert_num_queries(12):
        assert api.get("/api/v1/summary/").json()["totals"]["count"] == count


# --- writes ---------------------------------------------------------------------------------------


def project_body(group, **overrides):
    return {
        "code": "KZUZ-900",
        "slug": "new-plant",
        "title": "New plant",
        "working_group": group.slug,
        "sectors": [],
        "investment_amount": "1000.00",
        "investment_currency": "USD",
        **overrides,
    }


def test_anonymous_writes_are_refused_and_change_nothing(api):
    group = f.WorkingGroupFactory()
    project = f.ProjectFactory(title="Before")
    assert_error(api.post(PROJECTS, project_body(group), format="json"), 401)
    assert_error(api.patch(f"{PROJECTS}{project.slug}/", {"title": "After"}, format="json"), 401)
    assert not Project.objects.filter(code="KZUZ-900").exists()
    assert Project.objects.get(pk=project.pk).title == "Before"


def test_staff_without_a_role_may_not_write(roles):
    group = f.WorkingGroupFactory()
    client = client_for(f.UserFactory(is_staff=True))
    assert_error(client.post(PROJECTS, project_body(group), format="json"), 403)
    assert not Project.objects.filter(code="KZUZ-900").exists()


def test_secretariat_creates_a_draft_with_history_naming_the_user(secretariat):
    group = f.WorkingGroupFactory()
    energy = f.SectorFactory(slug="energy")
    client = client_for(secretariat)

    response = client.post(PROJECTS, project_body(group, sectors=["energy"]), format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["sectors"] == [{"slug": "energy", "name": energy.name}]
    assert body["progress"] is None and body["publication"] == "draft"  # the full project, figures included
    project = Project.objects.get(code="KZUZ-900")
    assert project.history.filter(history_type="+", history_user=secretariat).exists()
    assert {record.history_user for record in project.history.all()} == {secretariat}
    # A draft: staff see it, the public does not.
    assert client.get(f"{PROJECTS}new-plant/").status_code == 200
    assert_error(client_for().get(f"{PROJECTS}new-plant/"), 404)


def test_editor_writes_only_their_own_groups_records(make_editor):
    mine, theirs = f.WorkingGroupFactory(), f.WorkingGroupFactory()
    editor = make_editor(mine)
    client = client_for(editor)
    # A draft: an editor's change to a published project waits for review (tests/test_pending_changes.py).
    own = f.ProjectFactory(working_group=mine, title="Own", publication=Publication.DRAFT)
    foreign = f.ProjectFactory(working_group=theirs, title="Foreign")

    created = client.post(PROJECTS, project_body(mine), format="json")
    assert created.status_code == 201, created.content
    assert Project.objects.get(code="KZUZ-900").publication == Publication.DRAFT

    refused = client.post(PROJECTS, project_body(theirs, code="KZUZ-901", slug="x"), format="json")
    assert_error(refused, 403)
    assert not Project.objects.filter(code="KZUZ-901").exists()

    assert client.patch(f"{PROJECTS}{own.slug}/", {"title": "Own, renamed"}, format="json").status_code == 200
    assert Project.objects.get(pk=own.pk).title == "Own, renamed"
    assert Project.objects.get(pk=own.pk).history.latest().history_user == editor

    assert_error(client.patch(f"{PROJECTS}{foreign.slug}/", {"title": "Taken"}, format="json"), 403)
    assert Project.objects.get(pk=foreign.pk).title == "Foreign"


def test_editor_cannot_move_a_project_into_another_group(make_editor):
    mine, theirs = f.WorkingGroupFactory(), f.WorkingGroupFactory()
    client = client_for(make_editor(mine))
    project = f.ProjectFactory(working_group=mine)
    response = client.patch(f"{PROJECTS}{project.slug}/", {"working_group": theirs.slug}, format="json")
    assert_error(response, 403)
    assert Project.objects.get(pk=project.pk).working_group == mine


def complete_project(**kwargs):
    """A project with everything projects.services requires before submitting or publishing."""
    project = f.ProjectFactory(sectors=[f.SectorFactory()], **kwargs)
    f.LocationFactory(project=project)
    f.ParticipantFactory(project=project)
    return project


def test_publication_moves_only_through_the_workflow_actions(make_editor, secretariat):
    group = f.WorkingGroupFactory()
    editor = client_for(make_editor(group))
    project = complete_project(working_group=group, publication=Publication.DRAFT)
    url = f"{PROJECTS}{project.slug}/"

    assert_error(editor.patch(url, {"publication": "published"}, format="json"), 400, "publication")
    assert_error(editor.post(f"{url}publish/"), 403)
    assert Project.objects.get(pk=project.pk).publication == Publication.DRAFT

    submitted = editor.post(f"{url}submit/")
    assert submitted.status_code == 200 and submitted.json()["publication"] == "submitted"

    desk = client_for(secretariat)
    assert_error(desk.post(f"{url}return/", {"comment": " "}, format="json"), 400, "review_comment")
    returned = desk.post(f"{url}return/", {"comment": "Add the investor's share."}, format="json")
    assert returned.json()["publication"] == "returned"
    assert Project.objects.get(pk=project.pk).review_comment == "Add the investor's share."

    assert desk.post(f"{url}publish/").json()["publication"] == "published"
    assert client_for().get(url).status_code == 200
    record = Project.objects.get(pk=project.pk).history.latest()
    assert (record.history_user, record.history_change_reason) == (secretariat, "Published")

    assert desk.post(f"{url}unpublish/").json()["publication"] == "draft"
    assert_error(client_for().get(url), 404)


def test_an_incomplete_project_cannot_be_submitted(make_editor):
    group = f.WorkingGroupFactory()
    client = client_for(make_editor(group))
    project = f.ProjectFactory(working_group=group, publication=Publication.DRAFT)  # no location, no participant
    body = assert_error(client.post(f"{PROJECTS}{project.slug}/submit/"), 400, "non_field_errors")
    assert "location" in body["errors"]["non_field_errors"][0]
    assert Project.objects.get(pk=project.pk).publication == Publication.DRAFT


def test_progress_update_workflow(make_editor, secretariat):
    group = f.WorkingGroupFactory()
    update = f.ProgressUpdateFactory(project=f.ProjectFactory(working_group=group), publication=Publication.DRAFT)
    url = f"/api/v1/progress-updates/{update.pk}/"
    assert_error(client_for().post(f"{url}submit/"), 401)
    assert client_for(make_editor(group)).post(f"{url}submit/").json()["publication"] == "submitted"
    assert client_for(secretariat).post(f"{url}publish/").json()["publication"] == "published"
    assert client_for().get(url).status_code == 200
    assert_error(client_for(secretariat).post(f"{url}publish/"), 400, "non_field_errors")  # already published


def test_editor_sees_own_drafts_but_not_other_groups_drafts(make_editor):
    mine, theirs = f.WorkingGroupFactory(), f.WorkingGroupFactory()
    client = client_for(make_editor(mine))
    own = f.ProjectFactory(working_group=mine, publication=Publication.DRAFT)
    public = f.ProjectFactory(working_group=theirs)
    f.ProjectFactory(working_group=theirs, publication=Publication.DRAFT)
    assert sorted(codes(client.get(PROJECTS))) == sorted([own.code, public.code])


def test_model_validation_errors_name_the_field_and_save_nothing(secretariat):
    group = f.WorkingGroupFactory()
    existing = f.ProjectFactory()
    client = client_for(secretariat)
    cases = [
        ({"planned_start": "2026-05-01", "planned_end": "2026-01-01"}, "planned_end"),
        ({"investment_currency": "XYZ"}, "investment_currency"),
        ({"investment_amount": "-5"}, "investment_amount"),
        ({"code": existing.code}, "code"),
        ({"working_group": "no-such-group"}, "working_group"),
        ({"title": ""}, "title"),
    ]
    for overrides, field in cases:
        response = client.post(PROJECTS, project_body(group, **overrides), format="json")
        assert_error(response, 400, field)
    assert Project.objects.count() == 1


def test_task_validation_runs_the_model_clean(secretariat, today):
    project = f.ProjectFactory()
    client = client_for(secretariat)
    body = {"project": project.slug, "title": "Commissioning", "status": "done"}
    assert_error(client.post("/api/v1/tasks/", body, format="json"), 400, "completed_date")
    body["completed_date"] = (today - DAY).isoformat()
    response = client.post("/api/v1/tasks/", body, format="json")
    assert response.status_code == 201 and response.json()["overdue"] is False
    assert Task.objects.get(title="Commissioning").history.latest().history_user == secretariat


def test_editor_adds_tasks_and_updates_to_own_projects_only(make_editor):
    mine, theirs = f.WorkingGroupFactory(), f.WorkingGroupFactory()
    editor = make_editor(mine)
    client = client_for(editor)
    own, foreign = f.ProjectFactory(working_group=mine), f.ProjectFactory(working_group=theirs)

    response = client.post("/api/v1/progress-updates/", {"project": own.slug, "title": "Q3"}, format="json")
    assert response.status_code == 201, response.content
    update = ProgressUpdate.objects.get(title="Q3")
    assert update.author == editor and update.publication == Publication.DRAFT
    assert_error(client.post("/api/v1/tasks/", {"project": foreign.slug, "title": "X"}, format="json"), 403)
    assert not Task.objects.filter(title="X").exists()


def test_editor_may_not_change_reference_data(make_editor):
    client = client_for(make_editor(f.WorkingGroupFactory()))
    assert_error(client.post("/api/v1/exchange-rates/", {}, format="json"), 403)
    rate = f.ExchangeRateFactory()
    assert_error(client.patch(f"/api/v1/exchange-rates/{rate.pk}/", {"source": "Me"}, format="json"), 403)
    assert ExchangeRate.objects.get(pk=rate.pk).source == "Test central bank"


def test_session_writes_need_the_csrf_token(secretariat):
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)
    client.force_login(secretariat)
    response = client.post(PROJECTS, project_body(f.WorkingGroupFactory()), format="json")
    assert_error(response, 403)
    assert not Project.objects.filter(code="KZUZ-900").exists()


def test_deleting_is_not_offered(secretariat):
    project = f.ProjectFactory()
    assert_error(client_for(secretariat).delete(f"{PROJECTS}{project.slug}/"), 405)
    assert Project.objects.filter(pk=project.pk).exists()


def test_text_comes_in_the_language_asked_for_with_english_fallback(api):
    f.ProjectFactory(title="Solar plant", title_ru="Солнечная электростанция", summary="In English only.")
    [row] = api.get(PROJECTS, HTTP_ACCEPT_LANGUAGE="ru").json()["results"]
    assert row["title"] == "Солнечная электростанция"
    detail = api.get(f"{PROJECTS}{row['slug']}/", HTTP_ACCEPT_LANGUAGE="ru").json()
    assert detail["summary"] == "In English only."
    assert api.get(PROJECTS, HTTP_ACCEPT_LANGUAGE="en").json()["results"][0]["title"] == "Solar plant"


def test_task_update_and_document_details(api, today):
    project = f.ProjectFactory()
    task = f.TaskFactory(project=project, title="Survey", due_date=today - DAY)
    update = f.ProgressUpdateFactory(project=project, physical_progress=Decimal("40"))
    document = f.DocumentFactory(project=project, title="Study")
    body = api.get(f"/api/v1/tasks/{task.pk}/").json()
    assert (body["title"], body["project"], body["overdue"]) == ("Survey", project.slug, True)
    assert api.get(f"/api/v1/progress-updates/{update.pk}/").json()["physical_progress"] == "40.00"
    assert api.get(f"/api/v1/documents/{document.pk}/").json()["href"] == "https://example.org/report.pdf"


def test_editor_may_not_publish_a_document(make_editor):
    group = f.WorkingGroupFactory()
    client = client_for(make_editor(group))
    project = f.ProjectFactory(working_group=group)
    body = {"project": project.slug, "title": "Photo", "url": "https://example.org/a.jpg", "published": True}
    assert_error(client.post("/api/v1/documents/", body, format="json"), 403, "published")
    assert not Document.objects.filter(title="Photo").exists()
    body["published"] = False
    assert client.post("/api/v1/documents/", body, format="json").status_code == 201


def test_document_needs_a_file_or_a_link(secretariat):
    body = {"project": f.ProjectFactory().slug, "title": "Nothing attached"}
    assert_error(client_for(secretariat).post("/api/v1/documents/", body, format="json"), 400, "url")


def test_ordering_by_progress_and_dates(api, today):
    slow = f.ProjectFactory(code="A-1", planned_start=datetime.date(2025, 1, 1))
    fast = f.ProjectFactory(code="B-2", planned_start=datetime.date(2024, 1, 1))
    f.TaskFactory(project=slow)
    f.TaskFactory(project=fast, status=Task.Status.DONE, completed_date=today - DAY)
    assert codes(api.get(PROJECTS, {"ordering": "-progress"})) == ["B-2", "A-1"]
    assert codes(api.get(PROJECTS, {"ordering": "planned_start"})) == ["B-2", "A-1"]
    assert codes(api.get(PROJECTS, {"ordering": "-planned_start,code"})) == ["A-1", "B-2"]
