"""The public portfolio pages: home, directory, project page, map, reports, feeds and downloads."""

import csv
import datetime
import io
import json
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from projects import snapshots, stored_figures
from projects.models import (
    Confidence,
    ExchangeRate,
    ProgressUpdate,
    Project,
    ProjectLocation,
    Publication,
    Task,
)
from projects.sitemaps import SITEMAPS
from tests import factories as f
from tests.helpers import DAY, LANGUAGES, body_of, url

pytestmark = pytest.mark.django_db
HIDDEN = ["Secret draft", "Hidden submitted", "Hidden returned", "Unpublished update", "Hidden document"]


@pytest.fixture
def portfolio(today):
    """Three published projects that differ in every filtered field, and three that are not public."""
    kz, uz = f.CountryFactory(code="KZ"), f.CountryFactory(code="UZ")
    commission = f.CommissionFactory()
    energy = f.SectorFactory(name="Energy", slug="energy")
    transport = f.SectorFactory(name="Transport", slug="transport")
    power = f.WorkingGroupFactory(commission=commission, name="Power group", slug="power")
    rail = f.WorkingGroupFactory(commission=commission, name="Rail group", slug="rail")
    f.ExchangeRateFactory(currency="KZT", date=datetime.date(2024, 1, 1), units_per_usd=Decimal("500"))
    solar = f.ProjectFactory(
        code="KZUZ-001",
        title="Solar plant in Navoi",
        slug="solar",
        working_group=power,
        sectors=[energy],
        status=Project.Status.IMPLEMENTATION,
        confidence=Confidence.GREEN,
        investment_amount=Decimal("5000000"),
        planned_start=datetime.date(2024, 3, 1),
        planned_end=today + 400 * DAY,
        jobs_planned=100,
        jobs_created=40,
    )
    railway = f.ProjectFactory(
        code="KZUZ-002",
        title="Railway to Turkistan",
        slug="railway",
        working_group=rail,
        sectors=[transport, energy],
        status=Project.Status.PIPELINE,
        confidence=Confidence.RED,
        investment_amount=Decimal("25000000000"),  # KZT: 50 million USD
        investment_currency="KZT",
        planned_start=datetime.date(2025, 6, 1),
        planned_end=today + 800 * DAY,
        jobs_planned=300,
    )
    wind = f.ProjectFactory(
        code="KZUZ-003",
        title="Wind farm near Almaty",
        slug="wind",
        working_group=power,
        sectors=[energy],
        status=Project.Status.CLOSED,
        confidence=Confidence.AMBER,
        investment_amount=Decimal("2000000000"),
        planned_start=datetime.date(2023, 1, 1),
        planned_end=datetime.date(2024, 1, 1),
        jobs_created=10,
    )
    f.LocationFactory(
        project=solar, country=uz, region="Navoi region", latitude=Decimal("40.1"), longitude=Decimal("65.4")
    )
    f.LocationFactory(
        project=railway, country=kz, region="Turkistan region", latitude=Decimal("43.3"), longitude=Decimal("68.2")
    )
    f.LocationFactory(project=railway, country=uz, region="Tashkent region")
    f.LocationFactory(
        project=wind, country=kz, region="Almaty region", latitude=Decimal("43.2"), longitude=Decimal("76.9")
    )
    f.TaskFactory(
        project=solar, title="Land allocated", status=Task.Status.DONE, completed_date=today - 30 * DAY, weight=3
    )
    f.TaskFactory(project=solar, title="Grid connection", due_date=today - 5 * DAY, weight=1, is_milestone=True)
    f.TaskFactory(project=wind, title="Turbines installed", status=Task.Status.DONE, completed_date=today - 400 * DAY)
    f.ProgressUpdateFactory(project=solar, title="Panels delivered", reported_on=today - 10 * DAY)
    f.ProgressUpdateFactory(project=solar, title="Unpublished update", publication=Publication.DRAFT)
    f.DocumentFactory(project=solar, title="Feasibility study")
    f.DocumentFactory(project=solar, title="Hidden document", published=False)
    hidden = [
        f.ProjectFactory(
            code=f"KZUZ-9{i}",
            title=title,
            slug=f"hidden-{i}",
            working_group=power,
            sectors=[energy],
            publication=state,
            investment_amount=Decimal("900000000000"),
        )
        for i, (title, state) in enumerate(
            [
                ("Secret draft", Publication.DRAFT),
                ("Hidden submitted", Publication.SUBMITTED),
                ("Hidden returned", Publication.RETURNED),
            ]
        )
    ]
    for project in hidden:
        f.LocationFactory(project=project, country=kz, region="Secret region")
        f.ProgressUpdateFactory(project=project, title=f"Update on {project.title}")
        f.TaskFactory(project=project, title=f"Task of {project.title}", due_date=today - 3 * DAY)
    meeting = f.MeetingFactory(commission=commission, title="Tenth session", slug="tenth")
    directive = f.DirectiveFactory(meeting=meeting, text="Build the railway", due_date=today - DAY)
    directive.working_groups.set([rail])
    directive.projects.set([railway, hidden[0]])
    agreement = f.AgreementFactory(commission=commission, title="Railway agreement", slug="railway-agreement")
    agreement.projects.set([railway, hidden[0]])
    return {
        "solar": solar,
        "railway": railway,
        "wind": wind,
        "hidden": hidden,
        "power": power,
        "rail": rail,
        "energy": energy,
        "transport": transport,
        "commission": commission,
        "meeting": meeting,
        "agreement": agreement,
    }


def codes(response):
    """Project codes listed on a directory page, in order."""
    return re.findall(r'<span class="code">([A-Z0-9-]+)</span>', response.content.decode())


def facet_counts(response, name):
    return {
        option["value"]: option["count"]
        for facet in response.context["facets"]
        if facet["name"] == name
        for option in facet.get("options", [])
    }


# --- every public page, every language -------------------------------------------------------------


def public_urls(p, lang):
    return [
        url("projects:home", lang),
        url("projects:project-list", lang),
        url("projects:project-detail", lang, slug="solar"),
        url("projects:project-detail", lang, slug="railway"),
        url("projects:project-map", lang),
        url("projects:report", lang),
        url("projects:report-workinggroup", lang, slug="power"),
        url("projects:report-sector", lang, slug="energy"),
        url("projects:update-feed", lang),
        url("projects:project-feed", lang, slug="solar"),
        url("projects:workinggroup-feed", lang, slug="power"),
    ]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_portfolio_page_answers_in_every_language(client, portfolio, lang):
    for address in public_urls(portfolio, lang):
        assert address.startswith(f"/{lang}/")
        response = client.get(address)
        assert response.status_code == 200, address
        if response["Content-Type"].startswith("text/html"):
            assert f'<html lang="{lang}">' in response.content.decode()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_drafts_submitted_and_returned_projects_have_no_public_page(client, portfolio, lang):
    for project in portfolio["hidden"]:
        assert client.get(url("projects:project-detail", lang, slug=project.slug)).status_code == 404
        assert client.get(url("projects:project-feed", lang, slug=project.slug)).status_code == 404


def test_unknown_slug_gives_the_friendly_404(client, portfolio):
    response = client.get(url("projects:project-detail", slug="no-such-project"))
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_staff_who_may_change_a_draft_can_preview_it_and_no_one_else(client, portfolio, roles):
    from django.contrib.auth.models import Group

    from partnership.permissions import EDITOR

    draft = Project.objects.get(slug="hidden-0")
    address = url("projects:project-detail", slug="hidden-0")
    reader = f.UserFactory(username="reader")
    reader.user_permissions.add(Permission.objects.get(codename="view_project"))
    outsider = f.UserFactory(username="outsider")
    outsider.groups.add(Group.objects.get(name=EDITOR))
    f.WorkingGroupFactory().editors.add(outsider)
    for user in (reader, outsider):
        client.force_login(user)
        assert client.get(address).status_code == 404
    editor = f.UserFactory(username="editor")
    editor.groups.add(Group.objects.get(name=EDITOR))
    draft.working_group.editors.add(editor)
    client.force_login(editor)
    response = client.get(address)
    assert response.status_code == 200
    assert "Only staff can see this page" in response.content.decode()


# --- nothing unpublished leaks -------------------------------------------------------------------


def test_nothing_unpublished_appears_on_any_public_page_feed_or_download(client, portfolio):
    addresses = public_urls(portfolio, "en") + [
        url("projects:project-list") + "?format=csv",
        url("projects:project-list") + "?format=json",
        url("projects:project-list") + "?q=Secret",
        url("projects:project-list") + "?sector=energy",
        url("partnership:workinggroup-detail", slug="power"),
        url("partnership:workinggroup-list"),
        url("partnership:meeting-detail", slug="tenth"),
        url("partnership:agreement-detail", slug="railway-agreement"),
        url("partnership:commission-detail"),
        "/sitemap.xml",
        *[f"/sitemap-{section}.xml" for section in SITEMAPS],
    ]
    for address in addresses:
        body = body_of(client.get(address))
        for text in [*HIDDEN, "hidden-0", "hidden-1", "hidden-2", "Secret region", "KZUZ-90"]:
            assert text not in body, (text, address)


def test_totals_on_home_count_only_published_projects(client, portfolio):
    response = client.get(url("projects:home"))
    totals = response.context["totals"]
    assert totals["count"] == 3
    assert totals["usd"] == Decimal("2055000000.00")  # 5 million + 50 million + 2 billion
    assert totals["jobs_created"] == 50
    # Two of five task-weight units are open in published projects: 3 + 1 done of 3 + 1 + 1.
    assert response.context["tasks_done"] == pytest.approx(80.0)


# --- directory: filters, counts, search, sort, pagination ----------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["KZUZ-001", "KZUZ-002", "KZUZ-003"]),
        ("sector=transport", ["KZUZ-002"]),
        ("sector=energy", ["KZUZ-001", "KZUZ-002", "KZUZ-003"]),
        ("sector=energy&sector=transport", ["KZUZ-001", "KZUZ-002", "KZUZ-003"]),
        ("working_group=power", ["KZUZ-001", "KZUZ-003"]),
        ("status=pipeline", ["KZUZ-002"]),
        ("status=pipeline&status=closed", ["KZUZ-002", "KZUZ-003"]),
        ("confidence=green", ["KZUZ-001"]),
        ("country=KZ", ["KZUZ-002", "KZUZ-003"]),
        ("country=UZ", ["KZUZ-001", "KZUZ-002"]),
        ("region=Turkistan region", ["KZUZ-002"]),
        ("investment_min=10000000", ["KZUZ-002", "KZUZ-003"]),
        ("investment_min=10000000&investment_max=99999999.99", ["KZUZ-002"]),
        ("start_year=2024", ["KZUZ-001"]),
        ("q=railway", ["KZUZ-002"]),
        ("q=KZUZ-003", ["KZUZ-003"]),
        ("q=plant navoi", ["KZUZ-001"]),
        ("q=secret", []),
        ("working_group=power&status=closed", ["KZUZ-003"]),
        ("ordering=-investment", ["KZUZ-003", "KZUZ-002", "KZUZ-001"]),
        ("ordering=title", ["KZUZ-002", "KZUZ-001", "KZUZ-003"]),
    ],
)
def test_each_directory_filter_gives_exactly_its_projects(client, portfolio, query, expected):
    response = client.get(url("projects:project-list") + "?" + query)
    assert response.status_code == 200
    assert codes(response) == expected
    assert response.context["count"] == len(expected)


def test_facet_counts_apply_every_other_filter(client, portfolio):
    response = client.get(url("projects:project-list") + "?working_group=power")
    assert facet_counts(response, "sector") == {"energy": 2}  # transport has none in this group
    assert facet_counts(response, "status") == {"implementation": 1, "closed": 1}
    assert facet_counts(response, "country") == {"KZ": 1, "UZ": 1}
    assert facet_counts(response, "region") == {"Navoi region": 1, "Almaty region": 1}
    assert facet_counts(response, "start_year") == {"2023": 1, "2024": 1}
    # The group's own facet ignores the group filter, so that a second group can be added.
    assert facet_counts(response, "working_group") == {"power": 2, "rail": 1}
    investment = next(facet for facet in response.context["facets"] if facet["name"] == "investment")
    assert [r["count"] for r in investment["ranges"]] == [1, 0, 0, 1]


def test_facet_counts_never_count_unpublished_projects(client, portfolio):
    response = client.get(url("projects:project-list"))
    assert facet_counts(response, "sector") == {"energy": 3, "transport": 1}
    assert facet_counts(response, "country") == {"KZ": 2, "UZ": 2}
    assert "Secret region" not in facet_counts(response, "region")


@pytest.mark.parametrize(
    "query",
    [
        "sector=no-such-sector",
        "status=lost",
        "confidence=purple",
        "country=XX",
        "investment_min=lots",
        "investment_min=-5",
        "start_year=20x4",
        "ordering=password",
        "format=xml",
    ],
)
def test_bad_filter_values_get_a_page_that_explains(client, portfolio, query):
    response = client.get(url("projects:project-list") + "?" + query)
    assert response.status_code == 400
    body = response.content.decode()
    assert "We could not use part of your request" in body
    assert "KZUZ-001" not in body


def test_a_page_past_the_end_explains_and_links_back(client, portfolio):
    for page in ("7", "0", "abc"):
        response = client.get(url("projects:project-list") + f"?status=pipeline&page={page}")
        assert response.status_code == 404
        body = response.content.decode()
        assert "it has 1 page(s)" in body
        assert "?status=pipeline" in body


def test_pagination_links_keep_the_filters(client, portfolio):
    group = portfolio["power"]
    for i in range(25):
        f.ProjectFactory(code=f"P-{i:03d}", working_group=group, status=Project.Status.PIPELINE)
    first = client.get(url("projects:project-list") + "?status=pipeline&working_group=power")
    assert first.context["count"] == 25
    assert len(codes(first)) == 20
    body = first.content.decode()
    assert 'href="?status=pipeline&amp;working_group=power&amp;page=2"' in body
    second = client.get(url("projects:project-list") + "?status=pipeline&working_group=power&page=2")
    assert len(codes(second)) == 5
    assert set(codes(first)).isdisjoint(codes(second))


def test_downloads_hold_exactly_the_filtered_list(client, portfolio):
    query = "?sector=energy&ordering=-investment"
    page = codes(client.get(url("projects:project-list") + query))
    as_csv = client.get(url("projects:project-list") + query + "&format=csv")
    assert as_csv["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(body_of(as_csv))))
    assert [row["code"] for row in rows] == page
    assert rows[1]["investment_usd"] == "50000000.00"
    assert rows[1]["investment_currency"] == "KZT"
    as_json = json.loads(client.get(url("projects:project-list") + query + "&format=json").content)
    assert as_json["count"] == 3
    assert [row["code"] for row in as_json["results"]] == page
    assert as_json["results"][1]["sectors"] == ["Energy", "Transport"]


def test_download_links_carry_the_filters(client, portfolio):
    body = client.get(url("projects:project-list") + "?status=pipeline").content.decode()
    assert 'href="?status=pipeline&amp;format=csv"' in body
    assert 'href="?status=pipeline&amp;format=json"' in body


# --- project page --------------------------------------------------------------------------------


def test_project_page_shows_its_key_facts_and_only_published_children(client, portfolio):
    body = client.get(url("projects:project-detail", slug="railway")).content.decode()
    assert "25,000,000,000 KZT" in body
    assert "≈ 50,000,000 USD" in body
    assert "Build the railway" in body
    assert "Railway agreement" in body
    assert "/api/v1/projects/railway/" in body
    body = client.get(url("projects:project-detail", slug="solar")).content.decode()
    assert "Panels delivered" in body
    assert "Feasibility study" in body
    assert "Unpublished update" not in body
    assert "Hidden document" not in body
    assert 'value="75"' in body  # progress bar: 3 of 4 weight done
    assert "Overdue" in body  # the grid connection milestone is past due
    assert "1 task is overdue" in body


def test_project_without_exchange_rate_says_so(client, portfolio):
    ExchangeRate.objects.all().delete()
    body = client.get(url("projects:project-detail", slug="railway")).content.decode()
    assert "no exchange rate for KZT" in body


def test_demo_projects_are_marked_as_demo_data(client, portfolio):
    assert "are fictional" not in client.get(url("projects:home")).content.decode()
    Project.objects.filter(slug="wind").update(demo=True)
    assert "1 of these projects is fictional" in client.get(url("projects:home")).content.decode()
    assert "1 of these projects is fictional" in client.get(url("projects:report")).content.decode()
    assert "This project is fictional" in client.get(url("projects:project-detail", slug="wind")).content.decode()
    assert "Demo data" in client.get(url("projects:project-list") + "?q=wind").content.decode()


def test_untranslated_content_falls_back_to_english_with_a_quiet_note(client, portfolio):
    body = client.get(url("projects:project-detail", "ru", slug="solar")).content.decode()
    assert "Solar plant in Navoi" in body
    assert 'class="untranslated"' in body
    Project.objects.filter(slug="solar").update(
        title_ru="Солнечная станция", summary_ru="Совместный проект.", description_ru=""
    )
    body = client.get(url("projects:project-detail", "ru", slug="solar")).content.decode()
    assert "<h1>Солнечная станция</h1>" in body
    english = client.get(url("projects:project-detail", "en", slug="solar")).content.decode()
    assert 'class="untranslated"' not in english


def test_pages_have_no_inline_script_or_style_and_send_a_strict_csp(client, portfolio):
    for address in public_urls(portfolio, "en")[:8]:
        response = client.get(address)
        body = response.content.decode()
        assert "style=" not in body, address
        assert "<style" not in body, address
        assert not re.search(r"<script(?![^>]*\bsrc=)", body), address
        assert re.search(r"https?://(?!testserver)", body.split("<body")[0]) is None, address
        assert "script-src 'self'" in response["Content-Security-Policy"]


# --- reports ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kwargs", "count"),
    [
        ("projects:report", {}, 3),
        ("projects:report-workinggroup", {"slug": "power"}, 2),
        ("projects:report-sector", {"slug": "transport"}, 1),
    ],
)
def test_report_totals_equal_the_sums_of_their_rows(client, portfolio, name, kwargs, count):
    context = client.get(url(name, **kwargs)).context
    totals = context["totals"]
    assert totals["count"] == count
    for rows in (context["by_status"], context["by_confidence"]):
        assert sum(row["count"] for row in rows) == totals["count"]
        assert sum(row["usd"] for row in rows) == totals["usd"]
    assert sum(row["count"] for row in context["distribution"]) == totals["count"]
    directive_states = sum(row["count"] for row in context["directive_rows"])
    assert directive_states == context["directives"]["total"]


def test_report_lists_overdue_tasks_behind_schedule_and_stale_projects(client, portfolio):
    context = client.get(url("projects:report")).context
    assert [task.title for task in context["overdue_tasks"]] == ["Grid connection"]
    assert [p.code for p in context["stale"]] == ["KZUZ-002"]  # solar has a recent update
    assert context["directives"]["overdue"] == 1
    body = client.get(url("projects:report")).content.decode()
    assert "Task of Secret draft" not in body


def test_report_as_of_a_past_date_uses_task_completion_dates(client, portfolio, today):
    # The portfolio as recorded a year ago (a past day reads the change history).
    for model in (Project, Task, ExchangeRate):
        model.history.update(history_date=timezone.now() - 365 * DAY)
    snapshots.rebuild()  # rewritten history: the dated snapshots rebuilt from it, as on a restore
    before = (today - 60 * DAY).isoformat()
    context = client.get(url("projects:report") + f"?as_of={before}").context
    assert context["as_of"] == today - 60 * DAY
    bands = {row["key"]: row["count"] for row in context["distribution"]}
    # Sixty days ago the solar plant's land was not allocated yet (done 30 days ago): 0%.
    assert bands["0"] == 1
    assert bands["100"] == 1  # the wind farm was complete long before
    assert list(context["overdue_tasks"]) == []  # the grid connection was not due yet
    assert {link["kind"]: link["count"] for link in context["lists"]}["overdue-tasks"] == 0


@pytest.mark.parametrize("value", ["2025-13-01", "yesterday", "2999-01-01", "1900-01-01"])
def test_bad_as_of_dates_get_a_page_that_explains(client, portfolio, value):
    response = client.get(url("projects:report") + f"?as_of={value}")
    assert response.status_code == 400
    assert "That date cannot be used" in response.content.decode()


def test_report_of_unknown_group_or_sector_is_404(client, portfolio):
    assert client.get(url("projects:report-workinggroup", slug="nope")).status_code == 404
    assert client.get(url("projects:report-sector", slug="nope")).status_code == 404


# --- map, feeds, sitemap -------------------------------------------------------------------------


def test_map_plots_published_locations_with_a_table(client, portfolio):
    body = client.get(url("projects:project-map")).content.decode()
    assert body.count('<a href="/en/projects/') >= 3
    assert "<title" in body and "Map of project locations" in body
    assert "Turkistan region" in body
    assert "Tashkent region" in body  # no coordinates: still in the table


def test_map_draws_tiles_only_when_a_tile_source_is_set(client, portfolio, settings):
    project_page = url("projects:project-detail", slug="solar")
    assert "<image" not in client.get(project_page).content.decode()
    settings.MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    assert 'class="map-tile" href="https://tiles.example.org/' in client.get(project_page).content.decode()
    # Tiles are Web Mercator: the equal-area map of every place draws country outlines instead.
    body = client.get(url("projects:project-map")).content.decode()
    assert "<image" not in body and 'class="map-country' in body


def test_feeds_hold_published_updates_only(client, portfolio):
    everything = client.get(url("projects:update-feed")).content.decode()
    assert "Panels delivered" in everything
    assert "<feed" in everything
    assert "Update on" not in everything
    group = client.get(url("projects:workinggroup-feed", slug="rail")).content.decode()
    assert "Panels delivered" not in group
    project = client.get(url("projects:project-feed", slug="solar")).content.decode()
    assert "Panels delivered" in project


def test_sitemap_lists_published_projects_in_every_language(client, portfolio):
    assert "http://testserver/sitemap-projects.xml" in client.get("/sitemap.xml").content.decode()
    body = client.get("/sitemap-projects.xml").content.decode()
    for lang in LANGUAGES:
        assert f"/{lang}/projects/solar/" in body
    assert "/projects/hidden-" not in body


def test_robots_txt_points_to_the_sitemap(client):
    body = client.get("/robots.txt").content.decode()
    assert "Disallow: /admin/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body


# --- query counts: the same at 10 and at 500 projects --------------------------------------------


def bulk_portfolio(size, today):
    """`size` published projects with sectors, locations, tasks and updates, and as many drafts."""
    commission = f.CommissionFactory()
    groups = [f.WorkingGroupFactory(commission=commission) for _ in range(3)]
    sectors = [f.SectorFactory() for _ in range(3)]
    country = f.CountryFactory(code="KZ")
    f.ExchangeRateFactory(currency="KZT")
    f.TradeFigureFactory(commission=commission, year=2025)
    f.EventFactory(commission=commission)
    f.DirectiveFactory(meeting=f.MeetingFactory(commission=commission))
    projects = Project.objects.bulk_create(
        Project(
            code=f"Q-{i:05d}",
            title=f"Bulk project {i}",
            slug=f"bulk-{i}",
            working_group=groups[i % 3],
            status=Project.Status.values[i % 6],
            confidence=Confidence.values[i % 6],
            investment_amount=Decimal(1_000_000 + i),
            investment_currency="KZT" if i % 2 else "USD",
            planned_start=datetime.date(2020 + i % 6, 1, 1),
            planned_end=datetime.date(2030, 1, 1),
            publication=Publication.PUBLISHED if i < size else Publication.DRAFT,
        )
        for i in range(size + size // 4 + 1)
    )
    Project.sectors.through.objects.bulk_create(
        Project.sectors.through(project=p, sector=sectors[i % 3]) for i, p in enumerate(projects)
    )
    ProjectLocation.objects.bulk_create(
        ProjectLocation(project=p, country=country, region=f"Region {i % 5}", latitude=42, longitude=70)
        for i, p in enumerate(projects)
    )
    Task.objects.bulk_create(
        Task(project=p, title="Done", status=Task.Status.DONE, completed_date=today - DAY, due_date=today)
        for p in projects
    )
    Task.objects.bulk_create(Task(project=p, title="Late", due_date=today - DAY) for p in projects)
    ProgressUpdate.objects.bulk_create(
        ProgressUpdate(project=p, title="Update", reported_on=today, publication=Publication.PUBLISHED)
        for p in projects
    )
    # Bulk inserts bypass the saves that keep the stored figures: refresh them, as the loaders do.
    stored_figures.refresh_all()
    return projects[7]


@pytest.mark.parametrize("size", [10, 500])
def test_query_counts_do_not_grow_with_the_portfolio(client, django_assert_num_queries, size, today):
    project = bulk_portfolio(size, today)
    assert Project.objects.published().count() == size
    # Home and reports read their demo count from the totals' query; the directory counts real and
    # demo projects for its `demo` filter in one more query.
    pages = [
        (url("projects:home"), 9),
        (url("projects:project-list"), 12),
        (url("projects:project-list") + "?sector=" + project.sectors.get().slug + "&status=implementation", 13),
        # + its results (1), money by year and transactions (3), the exchange rate its USD
        # equivalent used (1: a KZT project)
        (url("projects:project-detail", slug=project.slug), 14),
        (url("projects:report"), 20),  # + directive follow-up (1), indicators on track (2), money (2)
        (url("projects:report-workinggroup", slug=project.working_group.slug), 20),
        (url("projects:project-map"), 3),
    ]
    for address, queries in pages:
        with django_assert_num_queries(queries):
            assert client.get(address).status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "q=%00",
        "q=" + "a" * 3000,
        "investment_min=1e400",
        "investment_max=NaN",
        "start_year=99999999999999999999",
        "page=-1",
        "page=99999999999999999999999",
        "as_of=0001-01-01",
        "as_of=%00",
    ],
)
@pytest.mark.parametrize("name", ["projects:project-list", "projects:report"])
def test_hostile_input_never_gives_a_server_error(client, portfolio, name, query):
    response = client.get(url(name) + "?" + query)
    assert response.status_code in (200, 400, 404)
    assert "Partnership tracker" in response.content.decode()


def test_csv_download_defuses_spreadsheet_formulas(client, portfolio):
    Project.objects.filter(slug="solar").update(title='=HYPERLINK("http://evil")')
    rows = list(csv.DictReader(io.StringIO(body_of(client.get(url("projects:project-list") + "?format=csv")))))
    assert rows[0]["title"] == '\'=HYPERLINK("http://evil")'


def test_every_page_links_to_itself_in_the_other_languages(client, portfolio):
    body = client.get(url("projects:project-detail", "kk", slug="solar")).content.decode()
    for lang in LANGUAGES:
        assert f'<link rel="alternate" hreflang="{lang}" href="http://testserver/{lang}/projects/solar/">' in body


def test_filters_in_force_are_listed_each_with_a_link_that_removes_it(client, portfolio):
    response = client.get(url("projects:project-list") + "?status=pipeline&status=closed&q=rail&page=1")
    active = {item["label"]: item["url"] for item in response.context["active"]}
    assert active["Status: Closed"] == "?status=pipeline&q=rail"
    assert active["Search: “rail”"] == "?status=pipeline&status=closed"
    assert codes(client.get(url("projects:project-list") + active["Status: Closed"])) == ["KZUZ-002"]


def test_ids_are_unique_and_every_aria_reference_points_to_one(client, portfolio):
    addresses = public_urls(portfolio, "en")[:8] + [
        url("partnership:workinggroup-detail", slug="power"),
        url("partnership:meeting-detail", slug="tenth"),
        url("partnership:directive-list"),
        url("partnership:trade"),
    ]
    for address in addresses:
        body = client.get(address).content.decode()
        ids = re.findall(r'\sid="([^"]+)"', body)
        assert len(ids) == len(set(ids)), address
        for reference in re.findall(r'aria-(?:labelledby|describedby)="([^"]+)"', body):
            assert set(reference.split()) <= set(ids), (address, reference)


def test_sorting_puts_projects_without_the_value_last_either_way(client, portfolio):
    Project.objects.filter(slug="solar").update(investment_amount=None)
    ProjectFigures = Project.figures.related.related_model
    ProjectFigures.objects.filter(project__slug="solar").update(investment_usd=None)
    for ordering in ("investment", "-investment"):
        listed = codes(client.get(url("projects:project-list") + f"?ordering={ordering}"))
        assert listed[-1] == Project.objects.get(slug="solar").code, ordering
