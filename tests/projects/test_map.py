"""The map of project places: one dot and one table row per place, counted by the database."""

import re
from decimal import Decimal

import pytest

from projects import selectors
from projects.models import Project, ProjectLocation, Publication
from tests import factories as f
from tests.helpers import url

pytestmark = pytest.mark.django_db


@pytest.fixture
def places():
    """Two published projects in Navoi, one in Almaty (also in Navoi without coordinates), and
    drafts, submitted and returned projects in Navoi that must never count."""
    kz, uz = f.CountryFactory(code="KZ", name="Kazakhstan"), f.CountryFactory(code="UZ", name="Uzbekistan")
    f.ExchangeRateFactory(currency="KZT", units_per_usd=Decimal("500"))
    solar = f.ProjectFactory(title="Solar plant", investment_amount=Decimal("5000000"))
    mine = f.ProjectFactory(title="Copper mine", investment_amount=Decimal("1000000000"), investment_currency="KZT")
    wind = f.ProjectFactory(title="Wind farm", investment_amount=Decimal("3000000"))
    for project, lat in ((solar, "40.10"), (mine, "40.20")):
        f.LocationFactory(project=project, country=uz, region="Navoi region", place="Navoi", latitude=Decimal(lat))
    f.LocationFactory(
        project=wind, country=kz, region="Almaty region", place="Almaty", latitude=Decimal("43.2"), longitude=76.9
    )
    f.LocationFactory(project=wind, country=uz, region="Navoi region", place="Zarafshan", latitude=None, longitude=None)
    for state in (Publication.DRAFT, Publication.SUBMITTED, Publication.RETURNED):
        hidden = f.ProjectFactory(title=f"Hidden {state}", publication=state, investment_amount=Decimal("9e12"))
        f.LocationFactory(project=hidden, country=uz, region="Navoi region", place="Navoi")
        f.LocationFactory(project=hidden, country=kz, region="Secret region", place="Secret place")
    return {"solar": solar, "mine": mine, "wind": wind}


def test_places_count_published_projects_only_with_their_usd_total(places):
    rows = selectors.map_places(Project.objects.published())
    by_place = {(row["country"].code, row["region"], row["place"]): row for row in rows}
    assert set(by_place) == {
        ("UZ", "Navoi region", "Navoi"),
        ("KZ", "Almaty region", "Almaty"),
        ("UZ", "Navoi region", "Zarafshan"),
    }
    navoi = by_place["UZ", "Navoi region", "Navoi"]
    assert navoi["projects"] == 2
    assert navoi["usd"] == Decimal("7000000")  # 5 million USD and 1 billion KZT at 500
    assert (navoi["lat"], navoi["lon"]) == (40.15, 69.2)
    assert rows[0] is navoi  # most projects first
    assert by_place["UZ", "Navoi region", "Zarafshan"]["lat"] is None


def test_map_page_shows_one_dot_and_row_per_place_linking_to_the_directory(client, places):
    body = client.get(url("projects:project-map")).content.decode()
    assert body.count("<circle") == 2  # Zarafshan has no coordinates: a row, no dot
    assert "Navoi (2)" in body
    assert "Navoi, Navoi region, Uzbekistan: 2 projects" in body
    rows = re.findall(r'<tr><th scope="row"><a href="([^"]+)">([^<]+)</a>.*?<td class="num">(\d+)</td>', body)
    assert [(name, count) for _, name, count in rows] == [("Navoi", "2"), ("Almaty", "1"), ("Zarafshan", "1")]
    assert '<td class="num">7 million</td>' in body
    assert "Hidden" not in body and "Secret" not in body
    listed = client.get(rows[0][0].replace("&amp;", "&")).content.decode()
    assert "Solar plant" in listed and "Copper mine" in listed and "Wind farm" in listed
    almaty = client.get(rows[1][0].replace("&amp;", "&")).content.decode()
    assert "Wind farm" in almaty and "Solar plant" not in almaty


def test_map_table_is_capped_and_the_page_stays_small_with_many_places(client, today):
    kz = f.CountryFactory(code="KZ", name="Kazakhstan")
    projects = Project.objects.bulk_create(
        f.ProjectFactory.build_batch(300, working_group=f.WorkingGroupFactory(), publication=Publication.PUBLISHED)
    )
    ProjectLocation.objects.bulk_create(
        ProjectLocation(
            project=project,
            country=kz,
            region=f"Region {i}",
            region_en=f"Region {i}",
            place=f"Village {i}",
            place_en=f"Village {i}",
            latitude=Decimal(40 + i / 100),
            longitude=Decimal(60 + i / 50),
        )
        for i, project in enumerate(projects)
    )
    response = client.get(url("projects:project-map"))
    body = response.content.decode()
    assert body.count("<circle") == 300  # every place on the map
    assert body.count('<tr><th scope="row">') == 200
    assert "100 more places are not listed here." in body
    assert '<a href="/en/projects/?country=KZ">projects in Kazakhstan</a>' in body
    assert len(response.content) < 200_000


def test_map_without_locations_says_so(client):
    body = client.get(url("projects:project-map")).content.decode()
    assert "No locations recorded yet." in body
    assert "<svg" in body and "<circle" not in body


def test_map_speaks_the_page_language(client, places):
    body = client.get(url("projects:project-map", "ru")).content.decode()
    assert ">Места<" in body
    assert "Navoi, Navoi region, Uzbekistan: 2 проекта" in body
