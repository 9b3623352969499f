"""The `demo` filter (all, real only, demo only) on every surface that lists or adds up projects.

Each `?demo=real` answer is checked against a count made directly in the database, with the public
facts and a demo portfolio loaded.
"""

import csv
import datetime
import io
import xml.etree.ElementTree as ET
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Sum

from partnership.models import Event, WorkingGroup
from projects.models import Document, ExchangeRate, ProgressUpdate, Project, ProjectLocation, Publication, Task
from tests import factories as f
from tests.helpers import assert_error, body_of, url

pytestmark = pytest.mark.django_db

PUBLISHED = Publication.PUBLISHED
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def portfolio():
    """The seeded facts plus a demo portfolio: real and demo projects side by side."""
    call_command("seed", stdout=StringIO())
    call_command("seed", "--demo", "--projects", "30", stdout=StringIO())
    real = Project.objects.filter(publication=PUBLISHED, demo=False)
    demo = Project.objects.filter(publication=PUBLISHED, demo=True)
    assert real.exists() and demo.exists()
    return real, demo


def usd_total(projects):
    return projects.aggregate(usd=Sum("figures__investment_usd"))["usd"] or Decimal(0)


def money_text(value, projects=None):
    """How a total reads: its amount, or "no figure in US dollars" when none of `projects` has one."""
    from partnership.templatetags.site_tags import money

    if projects is not None and not projects.filter(figures__investment_usd__isnull=False).exists():
        return "no figure in US dollars"
    return money(value)


# --- the directory -------------------------------------------------------------------------------


def test_directory_real_only_lists_exactly_the_real_projects(client, portfolio):
    real, demo = portfolio
    page = client.get(url("projects:project-list"), {"demo": "real"})
    assert page.status_code == 200
    assert page.context["count"] == real.count()
    assert all(not project.demo for project in page.context["projects"])
    assert "notice--demo" not in page.content.decode()
    # The select offers the three choices, with real projects chosen.
    assert '<option value="real" selected>Real projects only</option>' in page.content.decode()

    everything = client.get(url("projects:project-list"))
    assert everything.context["count"] == real.count() + demo.count()
    text = everything.content.decode()
    assert "notice--demo" in text and f"{demo.count()} of these projects are fictional" in text

    only_demo = client.get(url("projects:project-list"), {"demo": "demo"})
    assert only_demo.context["count"] == demo.count()
    assert only_demo.context["demo_count"] == demo.count()


def test_directory_downloads_follow_the_demo_filter(client, portfolio):
    real, _demo = portfolio
    response = client.get(url("projects:project-list"), {"demo": "real", "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(body_of(response))))
    assert len(rows) == real.count()
    assert {row["code"] for row in rows} == set(real.values_list("code", flat=True))
    assert {row["demo"] for row in rows} == {"False"}
    data = client.get(url("projects:project-list"), {"demo": "demo", "format": "json"}).json()
    assert data["count"] == Project.objects.filter(publication=PUBLISHED, demo=True).count()


def test_directory_says_what_is_wrong_with_a_bad_demo_value(client, portfolio):
    page = client.get(url("projects:project-list"), {"demo": "fake"})
    assert page.status_code == 400
    text = page.content.decode()
    assert "Real or demo data" in text and "use “real”, “demo”, or leave it empty" in text
    # ?demo= (empty) means all projects.
    assert client.get(url("projects:project-list"), {"demo": ""}).status_code == 200


# --- home, reports, the commission and working-group pages -----------------------------------------


def test_home_shows_real_and_demo_apart_and_real_alone(client, portfolio, today):
    real, demo = portfolio
    event = f.EventFactory(demo=True, published=True, start_date=today + datetime.timedelta(days=1))
    assert event in client.get(url("projects:home")).context["events"]
    page = client.get(url("projects:home"))
    text = page.content.decode()
    totals = page.context["totals"]
    assert (totals["real_count"], totals["demo_count"]) == (real.count(), demo.count())
    assert totals["real_usd"] == usd_total(real) and totals["demo_usd"] == usd_total(demo)
    assert f"{real.count()} real projects, {money_text(usd_total(real), real)}" in text
    assert f"{demo.count()} demo projects, {money_text(usd_total(demo))}" in text
    assert "notice--demo" in text and "?demo=real" in text

    page = client.get(url("projects:home"), {"demo": "real"})
    text = page.content.decode()
    assert page.context["totals"]["count"] == real.count()
    assert page.context["totals"]["usd"] == usd_total(real)
    assert "notice--demo" not in text and "demo projects," not in text
    assert all(not update.project.demo for update in page.context["updates"])
    assert all(not event.demo for event in page.context["events"])
    assert "Showing real projects only." in text

    bad = client.get(url("projects:home"), {"demo": "maybe"})
    assert bad.status_code == 400 and "Real or demo data" in bad.content.decode()


@pytest.mark.parametrize("scope", ["commission", "working_group", "sector"])
def test_each_report_counts_real_projects_alone(client, portfolio, scope):
    real, demo = portfolio
    if scope == "commission":
        address, subset = url("projects:report"), real
    elif scope == "working_group":
        group = WorkingGroup.objects.filter(projects__in=real).filter(projects__in=demo).distinct().first()
        address = url("projects:report-workinggroup", slug=group.slug)
        subset = real.filter(working_group=group)
    else:
        sector = real.filter(sectors__isnull=False).first().sectors.first()
        address = url("projects:report-sector", slug=sector.slug)
        subset = real.filter(sectors=sector)
    page = client.get(address, {"demo": "real"})
    assert page.status_code == 200
    assert page.context["totals"]["count"] == subset.count()
    assert page.context["totals"]["usd"] == usd_total(subset)
    assert page.context["demo_count"] == 0
    assert "notice--demo" not in page.content.decode()
    mixed = client.get(address)
    assert mixed.context["demo_count"] == mixed.context["totals"]["demo_count"] > 0
    assert "notice--demo" in mixed.content.decode()
    bad = client.get(address, {"demo": "yes"})
    assert bad.status_code == 400 and "leave it empty for all" in bad.content.decode()


def test_commission_and_working_group_pages_show_real_and_demo_apart(client, portfolio):
    real, demo = portfolio
    page = client.get(url("partnership:commission-detail"))
    text = page.content.decode()
    assert "notice--demo" in text
    assert f"{real.count()} real projects, {money_text(usd_total(real), real)}" in text
    assert f"{demo.count()} demo projects" in text

    group = WorkingGroup.objects.filter(projects__in=real).filter(projects__in=demo).distinct().first()
    text = client.get(group.get_absolute_url()).content.decode()
    group_real = real.filter(working_group=group)
    assert f"{group_real.count()} real project" in text and "notice--demo" in text
    assert f"{group.slug}/?demo=real" in text  # the notice links to the group's report of real projects


def test_no_demo_notice_without_demo_data(client):
    call_command("seed", stdout=StringIO())
    for address in (url("projects:home"), url("projects:report"), url("partnership:commission-detail")):
        text = client.get(address).content.decode()
        assert "notice--demo" not in text and "demo projects," not in text


# --- the map and the feeds ------------------------------------------------------------------------


def test_map_real_only_has_only_real_projects_places(client, portfolio):
    real, _demo = portfolio
    page = client.get(url("projects:project-map"), {"demo": "real"})
    assert page.status_code == 200
    places = page.context["places"]
    expected = set(
        ProjectLocation.objects.filter(project__in=real).values_list("country__code", "region_en", "place_en")
    )
    assert {(p["country"].code, p["region_en"], p["place_en"]) for p in places} == expected
    assert sum(place["demo"] for place in places) == 0
    assert "notice--demo" not in page.content.decode()

    mixed = client.get(url("projects:project-map"))
    demo_places = [place for place in mixed.context["places"] if place["demo"]]
    assert demo_places and "notice--demo" in mixed.content.decode()
    assert "badge--demo" in mixed.content.decode()
    assert client.get(url("projects:project-map"), {"demo": "x"}).status_code == 400


def feed_entries(response):
    root = ET.fromstring(body_of(response))
    return root.findall(f"{ATOM}entry")


def test_feed_real_only_and_demo_entries_marked(client, portfolio):
    real, _demo = portfolio
    updates = ProgressUpdate.objects.filter(publication=PUBLISHED, project__publication=PUBLISHED)
    real_updates = updates.filter(project__demo=False).count()
    entries = feed_entries(client.get(url("projects:update-feed"), {"demo": "real"}))
    assert len(entries) == min(real_updates, 50)
    assert all("Demo data" not in entry.find(f"{ATOM}title").text for entry in entries)

    entries = feed_entries(client.get(url("projects:update-feed"), {"demo": "demo"}))
    assert entries
    for entry in entries:
        assert entry.find(f"{ATOM}title").text.endswith("(Demo data)")
        assert "Demo data" in [c.get("term") for c in entry.findall(f"{ATOM}category")]
    bad = client.get(url("projects:update-feed"), {"demo": "nope"})
    assert bad.status_code == 400 and "leave it empty for all" in bad.content.decode()


# --- the API --------------------------------------------------------------------------------------

API_LISTS = {
    "projects": lambda: Project.objects.filter(publication=PUBLISHED, demo=False),
    "tasks": lambda: Task.objects.filter(project__publication=PUBLISHED, project__demo=False),
    "progress-updates": lambda: ProgressUpdate.objects.filter(
        publication=PUBLISHED, project__publication=PUBLISHED, project__demo=False
    ),
    "documents": lambda: Document.objects.filter(published=True, project__publication=PUBLISHED, project__demo=False),
    "exchange-rates": lambda: ExchangeRate.objects.filter(demo=False),
    "events": lambda: Event.objects.filter(published=True, demo=False),
}


@pytest.mark.parametrize("resource", list(API_LISTS))
def test_every_api_list_filters_real_only(api, portfolio, resource):
    address = f"/api/v1/{resource}/"
    real = api.get(address, {"demo": "real"})
    assert real.status_code == 200, real.content[:300]
    assert real.json()["count"] == API_LISTS[resource]().count()
    everything = api.get(address).json()["count"]
    assert api.get(address, {"demo": ""}).json()["count"] == everything
    assert api.get(address, {"demo": "demo"}).json()["count"] == everything - real.json()["count"]
    body = assert_error(api.get(address, {"demo": "fictional"}), 400, "demo")
    assert "leave it empty for all" in str(body["errors"]["demo"])


def test_api_organisations_filter_by_their_own_demo_flag(api, portfolio):
    rows = api.get("/api/v1/organisations/", {"demo": "demo", "page_size": 100}).json()["results"]
    assert rows and all(row["demo"] for row in rows)
    rows = api.get("/api/v1/organisations/", {"demo": "real", "page_size": 100}).json()["results"]
    assert all(not row["demo"] for row in rows)


def test_api_summary_reports_real_and_demo_and_filters(api, portfolio):
    real, demo = portfolio
    totals = api.get("/api/v1/summary/").json()["totals"]
    assert (totals["real_count"], totals["demo_count"]) == (real.count(), demo.count())
    assert Decimal(totals["real_usd"]) == usd_total(real).quantize(Decimal("0.01"))
    assert totals["count"] == real.count() + demo.count()

    totals = api.get("/api/v1/summary/", {"demo": "real"}).json()["totals"]
    assert (totals["count"], totals["demo_count"]) == (real.count(), 0)
    rows = api.get("/api/v1/summary/by-working-group/", {"demo": "real"}).json()
    assert sum(row["count"] for row in rows) == real.count()
    assert all(row["demo_count"] == 0 for row in rows)
    rows = api.get("/api/v1/summary/by-status/").json()
    assert sum(row["demo_count"] for row in rows) == demo.count()
    assert_error(api.get("/api/v1/summary/", {"demo": "half"}), 400, "demo")


def test_demo_wording_in_every_language(client, portfolio):
    real, demo = portfolio
    expected = {
        "ru": ("Показать только реальные проекты", "демонстрационн", "Только реальные проекты"),
        "kk": ("Тек нақты жобаларды көрсету", "демо-жоба", "Тек нақты жобалар"),
        "uz": ("Faqat haqiqiy loyihalarni koʻrsatish", "ta demo loyiha", "Faqat haqiqiy loyihalar"),
    }
    for lang, (notice, split, choice) in expected.items():
        home = client.get(url("projects:home", lang=lang)).content.decode()
        assert notice in home and split in home, lang
        directory = client.get(url("projects:project-list", lang=lang)).content.decode()
        assert f">{choice}</option>" in directory, lang
