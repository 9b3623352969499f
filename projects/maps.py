"""The map of project places, drawn by the server as SVG over the region's country outlines.

The outlines are Natural Earth's (public domain), converted once into mapdata/outlines.json by
mapdata/build_outlines.py; nothing is fetched at run time. The projection is Albers equal-area
conic with standard parallels 40°N and 50°N, centred on 67°E: areas compare truly across the
region and shapes are barely bent between the parallels that bound Central Asia. Places are
circles whose area is proportional to their number of projects. Like partnership.charts, the
markup has no style attributes (the Content-Security-Policy forbids them): classes that
static/css/site.css colours, and geometry.
"""

import functools
import json
import math
from pathlib import Path

from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from partnership import charts

from .mapdata.geometry import clip

OUTLINES = Path(__file__).with_name("mapdata") / "outlines.json"

# The projection: standard parallels, and the origin of its coordinates (the view's centre).
PARALLELS = (40.0, 50.0)
ORIGIN = (45.0, 67.0)
EARTH_KM = 6371.0

# The region the map always shows (south, west, north, east): Kazakhstan, Uzbekistan and their
# neighbours; it grows to take in any place outside it.
REGION = (35.3, 45.8, 56.2, 88.4)

WIDTH = 640
MARGIN = 12  # room kept around places that lie outside the region, in map units

# Circles: the busiest place gets MAX_RADIUS, the others an area in proportion to their count;
# MIN_RADIUS keeps a place with one project visible and clickable beside a very busy one.
MAX_RADIUS, MIN_RADIUS = 18.0, 3.0
LEGEND_WIDTH = 192
# Place labels (.map-label in site.css): type size in map units, and the widest average character
# width as a share of it, so that estimated boxes are never narrower than the drawn text.
LABEL_SIZE = 11
CHAR_WIDTH = 0.62

# Names of the countries in outlines.json, in the page's language.
NAMES = {
    "AF": _("Afghanistan"),
    "AM": _("Armenia"),
    "AZ": _("Azerbaijan"),
    "CN": _("China"),
    "GE": _("Georgia"),
    "IN": _("India"),
    "IQ": _("Iraq"),
    "IR": _("Iran"),
    "KG": _("Kyrgyzstan"),
    "KZ": _("Kazakhstan"),
    "MN": _("Mongolia"),
    "PK": _("Pakistan"),
    "RU": _("Russia"),
    "TJ": _("Tajikistan"),
    "TM": _("Turkmenistan"),
    "TR": _("Turkey"),
    "UZ": _("Uzbekistan"),
}
# Countries small on this map get a smaller name.
SMALL_NAMES = {"AF", "AZ", "IR", "KG", "MN", "PK", "TJ"}
# Water the outlines leave open, named (latitude, longitude).
WATERS = [(_("Caspian Sea"), 42.3, 50.6)]


def project(lat, lon):
    """Albers equal-area conic: kilometres east and north of ORIGIN (Snyder, Map Projections, 14)."""
    phi1, phi2 = (math.radians(p) for p in PARALLELS)
    n = (math.sin(phi1) + math.sin(phi2)) / 2
    c = math.cos(phi1) ** 2 + 2 * n * math.sin(phi1)
    rho0 = math.sqrt(c - 2 * n * math.sin(math.radians(ORIGIN[0]))) / n
    rho = math.sqrt(c - 2 * n * math.sin(math.radians(float(lat)))) / n
    theta = n * math.radians(float(lon) - ORIGIN[1])
    return EARTH_KM * rho * math.sin(theta), EARTH_KM * (rho0 - rho * math.cos(theta))


class View:
    """The part of the projected plane the SVG shows, scaled to WIDTH map units."""

    def __init__(self, box):
        self.west, self.south, self.east, self.north = box  # in kilometres
        self.scale = WIDTH / (self.east - self.west)  # map units per kilometre
        self.width = WIDTH
        self.height = round((self.north - self.south) * self.scale)

    @classmethod
    def fitting(cls, points):
        """The region, grown to take in every point (lat, lon) with a margin."""
        south, west, north, east = REGION
        edge = [(south + (north - south) * i / 8, lon) for i in range(9) for lon in (west, east)]
        edge += [(lat, west + (east - west) * i / 8) for i in range(9) for lat in (south, north)]
        xs, ys = zip(*(project(lat, lon) for lat, lon in edge), strict=True)
        # The projected region's box: parallels are arcs, so its corners reach a little past it.
        box = [min(xs), min(ys), max(xs), max(ys)]
        span = box[2] - box[0]
        margin = MARGIN * span / WIDTH
        for lat, lon in points:
            x, y = project(lat, lon)
            box = [min(box[0], x - margin), min(box[1], y - margin), max(box[2], x + margin), max(box[3], y + margin)]
        return cls(tuple(round(v, 1) for v in box))

    def xy(self, lat, lon):
        """SVG coordinates of a latitude and longitude."""
        x, y = project(lat, lon)
        return (x - self.west) * self.scale, (self.north - y) * self.scale


def _path(rings, view):
    """An SVG path, relative moves in tenths of a unit, of rings of [lon, lat, lon, lat, …]."""
    parts = []
    last = (0, 0)
    box = (-4, -4, view.width + 4, view.height + 4)
    for flat in rings:
        # Only what the view shows (and a little more, so that no cut edge shows).
        points = clip([view.xy(flat[i + 1], flat[i]) for i in range(0, len(flat), 2)], box)
        if len(points) < 3:
            continue
        tenths = [(round(x * 10), round(y * 10)) for x, y in points]
        steps = []
        for i, point in enumerate(tenths):
            dx, dy = point[0] - last[0], point[1] - last[1]
            if i and not (dx or dy):
                continue
            steps.append(f"{_n(dx)}{_n(dy, True)}")
            last = point
        parts.append("m" + " ".join(steps) + "z")
        last = tenths[0]  # after "z" the pen is back at the ring's start
    return "".join(parts)


def _n(tenths, joined=False):
    """A number of tenths as the shortest SVG number; a space before it unless it is negative."""
    text = f"{abs(tenths) // 10}" if tenths % 10 == 0 else f"{abs(tenths) / 10:.1f}".removeprefix("0")
    sign = "-" if tenths < 0 else (" " if joined else "")
    return sign + text


@functools.cache
def _outlines():
    return json.loads(OUTLINES.read_text())["countries"]


@functools.lru_cache(maxsize=8)
def _drawing(box):
    """The static part of a view: each country's path and the graticule, computed once per box
    and process (the outlines never change while the site runs)."""
    view = View(box)
    countries = [
        (country["code"], _path(country["rings"], view), country["label"] and view.xy(*country["label"]))
        for country in _outlines()
    ]
    return [(code, d, label) for code, d, label in countries if d], _graticule(view)


def _graticule(view, step=5):
    """Parallels and meridians every `step` degrees as polylines, each labelled where it enters
    the view (parallels on the left, meridians at the top)."""
    lines, labels = [], []
    inside = lambda p: 2 <= p[0] <= view.width - 2 and 2 <= p[1] <= view.height - 2  # noqa: E731
    for lat in range(0, 90, step):
        points = [view.xy(lat, lon / 2) for lon in range(0, 360)]
        shown = [p for p in points if inside(p)]
        if len(shown) > 1:
            lines.append(shown)
            if shown[0][0] < 10 and shown[0][1] > 20:
                labels.append((shown[0][0] + 3, shown[0][1] - 3, f"{lat}°N"))
    for lon in range(0, 180, step):
        points = [view.xy(lat / 2, lon) for lat in range(0, 180)]
        shown = [p for p in points if inside(p)]
        if len(shown) > 1:
            lines.append(shown)
            if shown[-1][1] < 10 and shown[-1][0] < view.width - 30:
                labels.append((shown[-1][0] + 3, shown[-1][1] + 10, f"{lon}°E"))
    d = "".join("M" + "L".join(f"{charts._r(x)} {charts._r(y)}" for x, y in line[::6] + line[-1:]) for line in lines)
    return d, labels


def radius(count, most):
    """Circle area in proportion to the count; the busiest place has MAX_RADIUS."""
    return max(MAX_RADIUS * math.sqrt(count / max(most, 1)), MIN_RADIUS)


def region_map(points, *, title, desc, links=None, areas=()):
    """The region's country outlines with places as circles.

    A point is a dict as for partnership.charts.map_chart (`lat`, `lon`, `label`, `url`, optional
    `place`, `key`, `count`); points at one place are one circle, labelled for the largest places.
    `links` maps a country code to the directory of its projects: those countries are shaded and
    link there. `areas` are (name, lat, lon) labels for countries the outlines do not cover.
    """
    links = links or {}
    points = [p for p in points if p.get("lat") is not None and p.get("lon") is not None]
    view = View.fitting([(float(p["lat"]), float(p["lon"])) for p in points])
    countries, (grid, grid_labels) = _drawing((view.west, view.south, view.east, view.north))
    parts = [
        format_html('<rect class="map-sea" x="0" y="0" width="{}" height="{}"></rect>', view.width, view.height),
    ]
    for code, d, _label in countries:
        path = format_html(
            '<path class="map-country{}" d="{}"><title>{}</title></path>',
            " map-country--linked" if code in links else "",
            d,
            NAMES.get(code, code),
        )
        parts.append(
            format_html('<a href="{}" class="map-country-link">{}</a>', links[code], path) if code in links else path
        )
    parts.append(format_html('<path class="map-grid" d="{}"></path>', grid))
    parts.extend(
        format_html('<text class="map-grid-label" x="{}" y="{}">{}</text>', charts._r(x), charts._r(y), text)
        for x, y, text in grid_labels
    )
    for code, _d, label in countries:
        if label and 0 < label[0] < view.width and 0 < label[1] < view.height:
            parts.append(
                format_html(
                    '<text class="map-area{}" x="{}" y="{}" text-anchor="middle">{}</text>',
                    " map-area--small" if code in SMALL_NAMES else "",
                    charts._r(label[0]),
                    charts._r(label[1]),
                    NAMES.get(code, code),
                )
            )
    for name, lat, lon in WATERS:
        x, y = view.xy(lat, lon)
        parts.append(
            format_html(
                '<text class="map-water" x="{}" y="{}" text-anchor="middle">{}</text>', charts._r(x), charts._r(y), name
            )
        )
    for name, lat, lon in areas:
        x, y = view.xy(lat, lon)
        parts.append(
            format_html(
                '<text class="map-area" x="{}" y="{}" text-anchor="middle">{}</text>', charts._r(x), charts._r(y), name
            )
        )
    places = charts._places(points)
    most = max((place["count"] for place in places), default=1)
    labels = _labels(view, places, most)
    # The largest circles first, so that a small one on top of a large one can still be clicked.
    for place in sorted(places, key=lambda place: -place["count"]):
        parts.append(_circle(view, place, labels.get(id(place)), most))
    parts.extend(_legend(view, most, sizes=bool(places)))
    return charts._svg(view.width, view.height, title, desc, "".join(str(p) for p in parts), "chart--map chart--region")


def label_box(x, y, anchor, text):
    """The box (left, top, right, bottom) a map label takes, estimated: LABEL_SIZE-unit type whose
    characters average at most CHAR_WIDTH of it (no font metrics on the server)."""
    width = len(text) * LABEL_SIZE * CHAR_WIDTH
    left = x - width if anchor == "end" else x
    return (left, y - LABEL_SIZE, left + width, y + LABEL_SIZE * 0.3)


def _overlap(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _labels(view, places, most):
    """Labels for the largest places, each (x, y, anchor, text) by id(place): beside its circle,
    on the side towards the middle of the map, else on the other side; a label that would overlap
    one already placed, or leave the view, is left out (the place keeps its circle, its <title>
    and its row in the table)."""
    placed, labels = [], {}
    for place in sorted(places, key=lambda place: -place["count"])[: charts.LABELLED_PLACES]:
        x, y = view.xy(place["lat"], place["lon"])
        r = radius(place["count"], most)
        text = place["place"] if place["count"] == 1 else f"{place['place']} ({place['count']})"
        sides = [(x + r + 3, "start"), (x - r - 3, "end")]
        if x > view.width * 0.6:  # labels on the right half go to the circle's left, to stay inside
            sides.reverse()
        for lx, anchor in sides:
            box = label_box(lx, y + 4, anchor, text)
            inside = box[0] >= 0 and box[2] <= view.width and box[1] >= 0 and box[3] <= view.height
            if inside and not any(_overlap(box, other) for other in placed):
                placed.append(box)
                labels[id(place)] = (lx, y + 4, anchor, text)
                break
    return labels


def _circle(view, place, label, most):
    x, y = view.xy(place["lat"], place["lon"])
    r = radius(place["count"], most)
    if label:
        lx, ly, anchor, text = label
        label = format_html(
            '<text class="map-label" x="{}" y="{}" text-anchor="{}">{}</text>',
            charts._r(lx),
            charts._r(ly),
            anchor,
            text,
        )
    else:
        label = ""
    return format_html(
        '<a href="{}" class="map-point"><title>{}</title><circle cx="{}" cy="{}" r="{}"></circle>{}</a>',
        place["url"],
        place["labels"],
        charts._r(x),
        charts._r(y),
        charts._r(r),
        label,
    )


def _legend(view, most, sizes=True):
    """Bottom right, over the Tarim basin, away from the region's places: the circles of the
    busiest place and of one project (when there are places), a scale bar and the source of the
    boundaries."""
    circles = 2 * MAX_RADIUS + 8 if sizes else 0
    height = circles + 44
    left, top = view.width - LEGEND_WIDTH - 4, view.height - height - 4
    yield format_html(
        '<rect class="map-legend" x="{}" y="{}" width="{}" height="{}" rx="3"></rect>', left, top, LEGEND_WIDTH, height
    )
    x, cy = left + 8, top + 6 + MAX_RADIUS
    for count in ([most, 1] if most > 1 else [1]) if sizes else []:
        r = charts._r(radius(count, most))
        yield format_html(
            '<ellipse class="map-legend-circle" cx="{}" cy="{}" rx="{}" ry="{}"></ellipse>'
            '<text class="map-legend-text" x="{}" y="{}">{}</text>',
            charts._r(x + r),
            cy,
            r,
            r,
            charts._r(x + 2 * r + 4),
            cy + 4,
            ngettext("%(count)s project", "%(count)s projects", count) % {"count": count},
        )
        x += 2 * r + 70
    # 500 km: true along the standard parallels, within about 1% between them.
    y = top + circles + 12
    length = 500 * view.scale
    yield format_html(
        '<path class="map-scale" d="M{} {}v4h{}v-4"></path><text class="map-legend-text" x="{}" y="{}">{}</text>',
        left + 8,
        y,
        charts._r(length),
        charts._r(left + 12 + length),
        y + 5,
        _("500 km"),
    )
    yield format_html(
        '<text class="map-credit" x="{}" y="{}">{}</text>', left + 8, y + 22, _("Boundaries: Natural Earth")
    )
