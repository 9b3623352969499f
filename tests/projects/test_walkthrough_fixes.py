"""Defects a browser walk-through found at 10,000 demo projects: a region listed twice in the
directory's facet, mixed places marked demo on the map, overlapping map labels, and counts shown
without their thousands grouped."""

import html
import re
from io import StringIO

import pytest
from django.core.management import call_command

from projects.models import Project, Publication
from tests import factories as f
from tests.helpers import url

pytestmark = pytest.mark.django_db


def region_options(response):
    facet = next(facet for facet in response.context["facets"] if facet["name"] == "region")
    return [(option["value"], option["label"], option["count"]) for option in facet["options"]]


# --- 1. the region facet --------------------------------------------------------------------------


@pytest.fixture
def astana():
    """One seeded-like location in Astana with its region translated, two demo-like ones in English only."""
    kz = f.CountryFactory(code="KZ")
    f.LocationFactory(
        project=f.ProjectFactory(), country=kz, region_en="Astana", region_ru="Астана", region_kk="Астана"
    )
    for _ in range(2):
        f.LocationFactory(project=f.ProjectFactory(demo=True), country=kz, region_en="Astana", region_ru="")
    f.LocationFactory(project=f.ProjectFactory(demo=True), country=kz, region_en="Shymkent", region_ru="")


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", [("Astana", "Astana", 3), ("Shymkent", "Shymkent", 1)]),
        ("ru", [("Astana", "Астана", 3), ("Shymkent", "Shymkent", 1)]),
        ("kk", [("Astana", "Астана", 3), ("Shymkent", "Shymkent", 1)]),
        ("uz", [("Astana", "Astana", 3), ("Shymkent", "Shymkent", 1)]),
    ],
)
def test_region_facet_lists_each_region_once_in_the_readers_language_with_its_total(client, astana, lang, expected):
    response = client.get(url("projects:project-list", lang))
    assert region_options(response) == expected
    # The option's value gives the count it shows.
    chosen = client.get(url("projects:project-list", lang), {"region": "Astana"})
    assert chosen.context["count"] == 3
    assert region_options(chosen) == [("Astana", expected[0][1], 3), ("Shymkent", "Shymkent", 1)]


# --- 2. the map: demo marks and labels ------------------------------------------------------------


def place_rows(body):
    table = body[body.index('id="places-title"') :]
    rows = re.findall(r"<tr><th scope=\"row\">(.*?)</tr>", table, re.S)
    return {re.search(r'<a href="[^"]*">([^<]*)</a>', row).group(1): row for row in rows}


def test_a_place_is_marked_demo_only_if_all_its_projects_are(client):
    kz = f.CountryFactory(code="KZ")
    shymkent = {"country": kz, "region_en": "Shymkent", "latitude": 42.3, "longitude": 69.6}
    f.LocationFactory(project=f.ProjectFactory(), **shymkent)
    for _ in range(2):
        f.LocationFactory(project=f.ProjectFactory(demo=True), **shymkent)
    f.LocationFactory(
        project=f.ProjectFactory(demo=True), country=kz, region_en="Aktobe", latitude=50.3, longitude=57.2
    )
    body = client.get(url("projects:project-map")).content.decode()
    rows = place_rows(body)
    assert "Demo data" not in rows["Shymkent"]
    assert "including 2 demo projects" in rows["Shymkent"]
    assert "Demo data" in rows["Aktobe"]
    assert "including" not in rows["Aktobe"]
    assert "Shymkent, Kazakhstan: 3 projects, including 2 demo projects</title>" in body
    assert "Aktobe, Kazakhstan: 1 project · Demo data</title>" in body
    ru = client.get(url("projects:project-map", "ru")).content.decode()
    assert "в том числе 2 демонстрационных проекта" in ru


LABEL = re.compile(r'<text class="map-label" x="([\d.-]+)" y="([\d.-]+)" text-anchor="(start|end)">([^<]*)</text>')


def label_boxes(body):
    """Each drawn label's box, from 11-unit type at most 0.62 of its size wide per character."""
    boxes = []
    for x, y, anchor, text in LABEL.findall(body):
        x, y, width = float(x), float(y), len(html.unescape(text)) * 11 * 0.62
        left = x - width if anchor == "end" else x
        boxes.append((html.unescape(text), (left, y - 11, left + width, y + 3.3)))
    return boxes


@pytest.mark.parametrize(
    ("lang", "crowded"),
    [("en", {"Tashkent", "Gulistan border post", "Maktaaral"}), ("ru", {"Ташкент", "Пункт пропуска «Гулистан»"})],
)
def test_no_two_labels_of_the_real_places_overlap(client, lang, crowded):
    call_command("seed", stdout=StringIO())
    response = client.get(url("projects:project-map", lang), {"demo": "real"})
    body = response.content.decode()
    boxes = label_boxes(body)
    assert crowded <= {text for text, _box in boxes}  # close neighbours still carry their names
    width, height = map(float, re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', body).groups())
    for i, (text, a) in enumerate(boxes):
        assert a[0] >= 0 and a[2] <= width and a[1] >= 0 and a[3] <= height, text
        for other, b in boxes[i + 1 :]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (text, other)
    # A place without a label keeps its circle with its title, and its row in the table.
    located = [place for place in response.context["places"] if place["lat"] is not None]
    assert body.count('<a href="/') > len(located)
    assert len(re.findall(r'class="map-point"><title>[^<]+</title><circle', body)) == len(located)


# --- 4. counts with their thousands grouped ------------------------------------------------------


@pytest.fixture
def thousands():
    """1,001 real and 1,000 demo published projects."""
    group = f.WorkingGroupFactory()
    Project.objects.bulk_create(
        Project(
            code=f"B-{i:05d}",
            title=f"Project {i}",
            slug=f"bulk-{i}",
            working_group=group,
            status=Project.Status.IMPLEMENTATION,
            publication=Publication.PUBLISHED,
            demo=i >= 1001,
        )
        for i in range(2001)
    )


@pytest.mark.parametrize(
    ("lang", "real", "demo", "all_"),
    [
        ("en", "1,001 real projects", "1,000 demo projects", "2,001 projects"),
        ("ru", "1\xa0001 реальный проект", "1\xa0000 демонстрационных проектов", "2\xa0001 проект"),
    ],
)
def test_counts_in_the_demo_notice_split_and_directory_heading_are_grouped(client, thousands, lang, real, demo, all_):
    home = client.get(url("projects:home", lang)).content.decode()
    split = home[home.index('class="demo-split"') :]
    assert real in split and demo in split
    notice = home[home.index("notice--demo") :]
    assert ("1,000 of these projects" if lang == "en" else "1\xa0000 из этих проектов") in notice
    directory = client.get(url("projects:project-list", lang)).content.decode()
    heading = re.search(r'<h2 id="results-title"[^>]*>([^<]*)</h2>', directory).group(1)
    assert heading == all_
