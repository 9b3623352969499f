"""Build outlines.json, the country outlines of the project map, from Natural Earth.

Run once by hand when the outlines should change; nothing here runs with the site, and the site
reads only the JSON this writes (projects/maps.py).

Source: Natural Earth's Admin 0 country boundaries at 1:50m, version 4.1.0, as TopoJSON in the
npm package `world-atlas` 2.0.2 (file countries-50m.json). Natural Earth is in the public domain
(https://www.naturalearthdata.com/about/terms-of-use/); the package's own ISC licence covers its
packaging only. Natural Earth draws boundaries as they are de facto on the ground; the map says
"Boundaries: Natural Earth" so the reader knows whose lines they are.

To rebuild (from the repository's root):

    cd /tmp && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python projects/mapdata/build_outlines.py /tmp/package/countries-50m.json

What it does: decodes the TopoJSON arcs (quantized, delta-encoded) into longitudes and latitudes;
simplifies each arc once with Douglas-Peucker, so that a border two countries share stays one line
with no gaps or slivers between them; joins the arcs into each country's rings; clips the rings to
the region's box (Sutherland-Hodgman); rounds to two decimals (about a kilometre). The result is
a few tens of kilobytes, in degrees, so that the site can project it as it likes.
"""

import json
import math
import sys
from pathlib import Path

from geometry import area, clip  # beside this script

OUT = Path(__file__).with_name("outlines.json")

# West, south, east, north in degrees: generously around the map's view (a conic projection
# bends the parallels, so the view's corners reach beyond the box of the region it shows).
BOX = (34.0, 27.0, 100.0, 62.0)

# Tolerance of the simplification in degrees of latitude (about 3 km; the map shows about
# 5 km per unit of its 640-unit width).
TOLERANCE = 0.03

# ISO 3166-1 numeric (Natural Earth's ids in world-atlas) to alpha-2, the codes the site uses.
CODES = {
    "004": "AF",
    "031": "AZ",
    "051": "AM",
    "156": "CN",
    "268": "GE",
    "356": "IN",
    "364": "IR",
    "368": "IQ",
    "398": "KZ",
    "417": "KG",
    "496": "MN",
    "586": "PK",
    "643": "RU",
    "762": "TJ",
    "792": "TR",
    "795": "TM",
    "860": "UZ",
}

# Where each country's name goes on the map (latitude, longitude), chosen by hand inside the part
# of the country the map shows; countries without one are drawn but not named.
LABELS = {
    "KZ": (48.3, 67.5),
    "UZ": (42.4, 62.6),
    "KG": (41.75, 74.6),
    "TJ": (38.65, 71.1),
    "TM": (39.4, 58.4),
    "AF": (36.1, 64.6),
    "RU": (54.9, 58.5),
    "CN": (44.6, 84.4),
    "IR": (36.5, 57.6),
    "MN": (47.5, 94.0),
    "PK": (31.5, 69.5),
}


def decode_arcs(topology):
    """Each arc as a list of (lon, lat) from the quantized, delta-encoded TopoJSON arcs."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def simplify(points, tolerance):
    """Douglas-Peucker on longitudes shrunk by the cosine of the region's latitude, ends kept."""
    if len(points) < 3:
        return points
    k = math.cos(math.radians(45))
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        x1, x2 = x1 * k, x2 * k
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy)
        worst, index = 0.0, None
        for i in range(first + 1, last):
            x, y = points[i][0] * k, points[i][1]
            distance = abs(dy * (x - x1) - dx * (y - y1)) / length if length else math.hypot(x - x1, y - y1)
            if distance > worst:
                worst, index = distance, i
        if index is not None and worst > tolerance:
            keep[index] = True
            stack.extend([(first, index), (index, last)])
    return [p for p, kept in zip(points, keep, strict=True) if kept]


def ring(arcs, indexes):
    """A closed ring from TopoJSON arc indexes (~i is arc i reversed)."""
    points = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def build(topology):
    arcs = [simplify(arc, TOLERANCE) for arc in decode_arcs(topology)]
    countries = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        code = CODES.get(geometry.get("id"))
        if code is None:
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        rings = []
        for polygon in polygons:
            for indexes in polygon:
                points = clip(ring(arcs, indexes), BOX)
                points = [(round(x, 2), round(y, 2)) for x, y in points]
                points = [p for i, p in enumerate(points) if p != points[i - 1]]
                # Drop what the clipping left empty and islets smaller than a map unit or so.
                if len(points) >= 3 and abs(area(points)) > 0.002:
                    rings.append([value for point in points for value in point])
        if rings:
            countries.append(
                {
                    "code": code,
                    "name": geometry["properties"]["name"],
                    "label": LABELS.get(code),
                    "rings": rings,
                }
            )
    countries.sort(key=lambda country: country["code"])
    unused = set(CODES.values()) - {country["code"] for country in countries}
    if unused:
        sys.exit(f"Countries outside the box, drop them from CODES: {sorted(unused)}")
    return {
        "source": "Natural Earth 1:50m Admin 0 countries, v4.1.0 (public domain), via world-atlas 2.0.2",
        "box": BOX,
        "countries": countries,
    }


def main(path):
    data = build(json.loads(Path(path).read_text()))
    OUT.write_text(json.dumps(data, separators=(",", ":")) + "\n")
    points = sum(len(r) // 2 for country in data["countries"] for r in country["rings"])
    print(f"{OUT}: {len(data['countries'])} countries, {points} points, {OUT.stat().st_size} bytes")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
