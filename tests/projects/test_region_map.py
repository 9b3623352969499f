"""The map of project places over the region's country outlines (projects/maps.py)."""

import json
import math
import re
from decimal import Decimal

import pytest

from projects import maps
from tests import factories as f
from tests.helpers import url

TASHKENT, ASTANA, ALMATY = (41.31, 69.28), (51.17, 71.45), (43.24, 76.95)


def _inside(lat, lon, rings):
    """Even-odd rule: is the point inside these rings of [lon, lat, lon, lat, …]?"""
    inside = False
    for flat in rings:
        points = list(zip(flat[::2], flat[1::2], strict=True))
        for (x1, y1), (x2, y2) in zip(points, points[-1:] + points[:-1], strict=True):
            if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
                inside = not inside
    return inside


def _outlines():
    return {country["code"]: country for country in json.loads(maps.OUTLINES.read_text())["countries"]}


def test_outlines_are_small_and_put_cities_in_their_countries():
    assert maps.OUTLINES.stat().st_size < 60_000
    outlines = _outlines()
    assert {"KZ", "UZ", "KG", "TJ", "TM", "AF", "RU", "CN"} <= set(outlines)
    assert _inside(*TASHKENT, outlines["UZ"]["rings"]) and not _inside(*TASHKENT, outlines["KZ"]["rings"])
    assert _inside(*ASTANA, outlines["KZ"]["rings"]) and not _inside(*ASTANA, outlines["RU"]["rings"])
    assert _inside(*ALMATY, outlines["KZ"]["rings"]) and not _inside(*ALMATY, outlines["KG"]["rings"])
    # Each country's name is written inside that country.
    for code, country in outlines.items():
        if country["label"]:
            assert _inside(*country["label"], country["rings"]), code


def test_projection_keeps_places_in_order_inside_the_view():
    view = maps.View.fitting([])
    (tx, ty), (ax, ay) = view.xy(*TASHKENT), view.xy(*ASTANA)
    assert 0 < tx < ax < view.width  # Astana is east of Tashkent
    assert 0 < ay < ty < view.height  # and north of it (SVG's y grows southwards)
    # About 1,100 km apart on the ground (great circle 1,098 km).
    assert 1080 < math.dist((tx, ty), (ax, ay)) / view.scale < 1120


@pytest.mark.parametrize("lat", [36.0, 41.0, 45.0, 50.0, 55.0])
def test_projection_keeps_areas_true(lat):
    """A cell of 0.1° by 0.1° has its true area on the map, north and south alike (equal-area)."""
    corners = [(lat, 60.0), (lat, 60.1), (lat + 0.1, 60.1), (lat + 0.1, 60.0)]
    points = [maps.project(*corner) for corner in corners]
    drawn = abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=True))) / 2
    true = maps.EARTH_KM**2 * math.radians(0.1) * (math.sin(math.radians(lat + 0.1)) - math.sin(math.radians(lat)))
    assert drawn == pytest.approx(true, rel=1e-3)


@pytest.fixture
def located(db):
    """Two published projects at Navoi, one at Astana."""
    kz, uz = f.CountryFactory(code="KZ"), f.CountryFactory(code="UZ")
    for title in ("Solar plant", "Copper mine"):
        f.LocationFactory(
            project=f.ProjectFactory(title=title),
            country=uz,
            region="Navoi region",
            place="Navoi",
            latitude=Decimal("40.10"),
            longitude=Decimal("65.37"),
        )
    f.LocationFactory(
        project=f.ProjectFactory(title="Grain terminal"),
        country=kz,
        region="Akmola region",
        place="Astana",
        latitude=Decimal("51.17"),
        longitude=Decimal("71.45"),
    )


def _circles(body):
    return {
        place: float(r)
        for place, r in re.findall(
            r'<a href="[^"]+" class="map-point"><title>([^,]+),[^<]*</title><circle [^>]*r="([\d.]+)"', body
        )
    }


def test_map_draws_named_country_outlines_and_links_countries_with_projects(client, located):
    body = client.get(url("projects:project-map")).content.decode()
    for name in (
        "Kazakhstan",
        "Uzbekistan",
        "Kyrgyzstan",
        "Tajikistan",
        "Turkmenistan",
        "Afghanistan",
        "Russia",
        "China",
    ):
        assert re.search(rf'<path class="map-country[^"]*" d="m[^"]+"><title>{name}</title></path>', body), name
    assert '<a href="/en/projects/?country=KZ" class="map-country-link"><path' in body
    assert '<a href="/en/projects/?country=UZ" class="map-country-link"><path' in body
    assert '/en/projects/?country=TJ"' not in body  # no projects there
    assert "Boundaries: Natural Earth" in body and "Caspian Sea" in body
    assert "Albers equal-area projection" in body
    assert "http" not in re.search(r"<svg.*</svg>", body, re.S).group(0).replace("http://www.w3.org/2000/svg", "")


def test_places_are_circles_whose_area_follows_the_count_linking_to_the_directory(client, located):
    body = client.get(url("projects:project-map")).content.decode()
    circles = _circles(body)
    assert set(circles) == {"Navoi", "Astana"}
    assert circles["Navoi"] == maps.MAX_RADIUS  # the busiest place
    assert circles["Navoi"] / circles["Astana"] == pytest.approx(math.sqrt(2), abs=0.02)  # twice the area
    navoi = re.search(r'<a href="([^"]+)" class="map-point"><title>Navoi', body).group(1).replace("&amp;", "&")
    listed = client.get(navoi).content.decode()
    assert "Solar plant" in listed and "Copper mine" in listed and "Grain terminal" not in listed
    assert "2 projects" in body and "1 project<" in body  # the legend


def test_map_names_countries_in_the_page_language(client, located):
    body = client.get(url("projects:project-map", "ru")).content.decode()
    assert "<title>Казахстан</title>" in body and "<title>Узбекистан</title>" in body
    assert "Границы: Natural Earth" in body and "500 км" in body
    body = client.get(url("projects:project-map", "uz")).content.decode()
    assert "<title>Oʻzbekiston</title>" in body


def test_a_place_outside_the_region_widens_the_view_and_names_its_country(client, located):
    far = f.CountryFactory(code="MY", name="Malaysia")
    f.LocationFactory(country=far, region="Selangor", place="Shah Alam", latitude=Decimal("3.07"), longitude=101.52)
    body = client.get(url("projects:project-map")).content.decode()
    width, height = (float(v) for v in re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', body).groups())
    x, y = (
        float(v) for v in re.search(r'<title>Shah Alam[^<]*</title><circle cx="([\d.]+)" cy="([\d.]+)"', body).groups()
    )
    assert 0 < x < width and 0 < y < height
    assert ">Malaysia</text>" in body
    assert "<title>Kazakhstan</title>" in body  # the outlines are still drawn


def test_outlines_are_drawn_once_per_process(client, located):
    client.get(url("projects:project-map"))
    before = maps._drawing.cache_info()
    client.get(url("projects:project-map"))
    after = maps._drawing.cache_info()
    assert after.hits == before.hits + 1 and after.misses == before.misses
