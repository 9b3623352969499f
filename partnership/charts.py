"""Charts drawn by the server as SVG markup: pure functions from rows of figures to SVG.

No style attributes (the Content-Security-Policy forbids inline styles): shapes carry classes
that static/css/site.css colours, and geometry as presentation attributes. Every chart has a
<title> and <desc> so that a screen reader can name it; the page shows the same figures in a
table beside it. Domain-free, so both apps can use it.
"""

import hashlib
import math

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

ROW = 34


def _r(value):
    """Coordinates to one decimal: shorter markup, same drawing."""
    return round(float(value), 1)


def _svg(width, height, title, desc, body, css):
    ident = "chart-" + hashlib.md5(f"{title}|{desc}|{width}".encode()).hexdigest()[:8]
    return mark_safe(
        f'<svg class="chart {escape(css)}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{ident}-t {ident}-d" xmlns="http://www.w3.org/2000/svg" '
        f'preserveAspectRatio="xMinYMin meet">'
        f'<title id="{ident}-t">{escape(title)}</title><desc id="{ident}-d">{escape(desc)}</desc>'
        f"{body}</svg>"
    )


def bar_chart(rows, *, title, desc, max_value=None, width=420, css=""):
    """Horizontal bars, one per row; a row is a dict with `label`, `value`, optional `text`
    (the value as the reader should see it) and `css` (an extra class for the bar)."""
    rows = list(rows)
    top = max_value if max_value is not None else max((float(r["value"] or 0) for r in rows), default=0)
    top = top or 1
    # Labels sit above their bar; the value follows the bar, so leave room for the longest one.
    longest = max((len(str(r.get("text", r["value"]))) for r in rows), default=0)
    bar_area = max(width - longest * 6.3 - 12, width / 3)
    parts = []
    for i, row in enumerate(rows):
        y = i * ROW
        value = float(row["value"] or 0)
        length = max(bar_area * value / top, 0)
        if value and length < 2:
            length = 2
        text = row.get("text", f"{value:g}")
        parts.append(
            format_html(
                '<g class="chart-row"><text class="chart-label" x="0" y="{}">{}</text>'
                '<rect class="bar {}" x="0" y="{}" width="{}" height="12" rx="2"></rect>'
                '<text class="chart-value" x="{}" y="{}">{}</text></g>',
                y + 12,
                row["label"],
                row.get("css", ""),
                y + 16,
                length,
                length + 6,
                y + 27,
                text,
            )
        )
    if not rows:
        parts.append('<text class="chart-empty" x="0" y="20">—</text>')
    height = max(len(rows) * ROW + 4, 30)
    return _svg(width, height, title, desc, "".join(parts), f"chart--bars {css}")


def trade_chart(rows, *, title, desc, target=None, target_text="", width=560, height=260):
    """Vertical bars of turnover by year, with the target as a dashed line.

    A row is a dict with `year`, `value`, `text` and `estimate`; `target` is a number (same unit).
    """
    rows = list(rows)
    top = max([float(r["value"] or 0) for r in rows] + [float(target or 0)], default=0) or 1
    top *= 1.1
    left, bottom, plot_h = 8, 28, height - 28 - 24
    n = max(len(rows), 1)
    slot = (width - left) / n
    bar_w = min(slot * 0.7, 48)
    parts = [f'<line class="chart-axis" x1="{left}" y1="{height - bottom}" x2="{width}" y2="{height - bottom}"></line>']
    for i, row in enumerate(rows):
        value = float(row["value"] or 0)
        h = plot_h * value / top
        x = left + i * slot + (slot - bar_w) / 2
        y = height - bottom - h
        css = "bar bar--estimate" if row.get("estimate") else "bar bar--trade"
        parts.append(
            format_html(
                '<g class="chart-row"><rect class="{}" x="{}" y="{}" width="{}" height="{}"></rect>'
                '<text class="chart-value chart-value--small" x="{}" y="{}" text-anchor="middle">{}</text>'
                '<text class="chart-label" x="{}" y="{}" text-anchor="middle">{}</text></g>',
                css,
                x,
                y,
                bar_w,
                h,
                x + bar_w / 2,
                y - 4,
                row.get("text", ""),
                x + bar_w / 2,
                height - bottom + 18,
                row["year"],
            )
        )
    if target:
        ty = height - bottom - plot_h * float(target) / top
        parts.append(
            format_html(
                '<line class="chart-target" x1="{}" y1="{}" x2="{}" y2="{}"></line>'
                '<text class="chart-target-label" x="{}" y="{}" text-anchor="end">{}</text>',
                left,
                ty,
                width,
                ty,
                width - 2,
                ty - 6,
                target_text,
            )
        )
    return _svg(width, height, title, desc, "".join(str(p) for p in parts), "chart--trade")


def grouped_bar_chart(groups, series, *, title, desc, width=560, height=240):
    """Vertical bars in groups side by side (one group per year, say), with a legend.

    `groups` is a list of dicts with `label` and `values` (one number or None per series);
    `series` a list of (name, css class) pairs, in the order of the values.
    """
    groups = list(groups)
    top = max((float(v or 0) for g in groups for v in g["values"]), default=0) * 1.1 or 1
    left, bottom, legend_h = 8, 24, 22
    plot_h = height - bottom - legend_h - 8
    slot = (width - left) / max(len(groups), 1)
    bar_w = min(slot * 0.8 / max(len(series), 1), 28)
    base = height - bottom
    parts = [f'<line class="chart-axis" x1="{left}" y1="{base}" x2="{width}" y2="{base}"></line>']
    for i, (name, css) in enumerate(series):
        x = left + i * 150
        parts.append(
            format_html(
                '<g class="chart-legend"><rect class="bar {}" x="{}" y="2" width="12" height="12"></rect>'
                '<text class="chart-label" x="{}" y="13">{}</text></g>',
                css,
                x,
                x + 16,
                name,
            )
        )
    for i, group in enumerate(groups):
        start = left + i * slot + (slot - bar_w * len(series)) / 2
        for j, ((name, css), value) in enumerate(zip(series, group["values"], strict=True)):
            h = plot_h * float(value or 0) / top
            parts.append(
                format_html(
                    '<rect class="bar {}" x="{}" y="{}" width="{}" height="{}"><title>{}</title></rect>',
                    css,
                    _r(start + j * bar_w),
                    _r(base - h),
                    _r(max(bar_w - 2, 1)),
                    _r(h),
                    f"{group['label']}: {name}",
                )
            )
        parts.append(
            format_html(
                '<text class="chart-label" x="{}" y="{}" text-anchor="middle">{}</text>',
                _r(left + i * slot + slot / 2),
                base + 16,
                group["label"],
            )
        )
    if not groups:
        parts.append(f'<text class="chart-empty" x="0" y="{legend_h + 20}">—</text>')
    return _svg(width, height, title, desc, "".join(str(p) for p in parts), "chart--grouped")


# Date labels under a series chart (.chart-label in site.css): type size, the widest average
# character width as a share of it (no font metrics on the server), and the height of a row of labels.
SERIES_LABEL_SIZE = 12
SERIES_CHAR_WIDTH = 0.62
SERIES_ROW = 16


def _label_width(text):
    return len(text) * SERIES_LABEL_SIZE * SERIES_CHAR_WIDTH


def _label_rows(labels, width):
    """The row (0, 1, …) of each date label (x, text), in order: the first row where it keeps
    clear of the last label already there, so that dates close together alternate rows."""
    ends, rows = [], []
    for x, text in labels:
        half = _label_width(text) / 2
        start = min(max(x, half), width - half) - half
        row = next((i for i, end in enumerate(ends) if start >= end + 4), len(ends))
        if row == len(ends):
            ends.append(0)
        ends[row] = start + 2 * half
        rows.append(row)
    return rows


def series_chart(points, *, title, desc, width=560, height=240):
    """A figure over time: dots joined by a line, placed by date, each labelled with its value.

    A point is a dict with `date` (a date), `value`, `text` (the value as the reader should see
    it) and `label` (the date as the reader should see it).
    """
    points = sorted(points, key=lambda p: p["date"])
    top = max((float(p["value"] or 0) for p in points), default=0) * 1.15 or 1
    left, right = 24, 24
    first = points[0]["date"].toordinal() if points else 0
    span = (points[-1]["date"].toordinal() - first) if points else 0

    def x_of(point):
        share = (point["date"].toordinal() - first) / span if span else 0.5
        return left + share * (width - left - right)

    rows = _label_rows([(x_of(point), str(point["label"])) for point in points], width)
    bottom = 28 + SERIES_ROW * max(rows, default=0)
    plot_h = height - bottom - 24

    def xy(point):
        return x_of(point), height - bottom - plot_h * float(point["value"] or 0) / top

    parts = [f'<line class="chart-axis" x1="0" y1="{height - bottom}" x2="{width}" y2="{height - bottom}"></line>']
    if len(points) > 1:
        line = " ".join(f"{_r(x)},{_r(y)}" for x, y in map(xy, points))
        parts.append(f'<polyline class="chart-axis" fill="none" points="{line}"></polyline>')
    for point, row in zip(points, rows, strict=True):
        x, y = xy(point)
        half = _label_width(str(point["label"])) / 2
        label_x = min(max(x, half), width - half)  # kept inside the view at either end
        parts.append(
            format_html(
                '<g class="chart-row"><circle class="bar bar--trade" cx="{}" cy="{}" r="5"></circle>'
                '<text class="chart-value" x="{}" y="{}" text-anchor="middle">{}</text>'
                '<text class="chart-label" x="{}" y="{}" text-anchor="middle">{}</text></g>',
                _r(x),
                _r(y),
                _r(x),
                _r(y - 10),
                point["text"],
                _r(label_x),
                height - bottom + 18 + SERIES_ROW * row,
                point["label"],
            )
        )
    if not points:
        parts.append('<text class="chart-empty" x="0" y="20">—</text>')
    return _svg(width, height, title, desc, "".join(str(p) for p in parts), "chart--series")


# --- map -------------------------------------------------------------------------------------------

TILE = 256


def _mercator(lat, lon, zoom):
    """Web Mercator pixel coordinates at a zoom level (the projection of map tiles)."""
    scale = TILE * 2**zoom
    lat = max(min(lat, 85.0), -85.0)
    x = (lon + 180.0) / 360.0 * scale
    rad = math.radians(lat)
    y = (1 - math.log(math.tan(rad) + 1 / math.cos(rad)) / math.pi) / 2 * scale
    return x, y


# How many of the largest places carry a name on the map (all of them when there are no more).
LABELLED_PLACES = 12


class _View:
    """The box of latitudes and longitudes the map shows, at the tile zoom that fits its width."""

    def __init__(self, points, width, min_span):
        if points:
            lats = [float(p["lat"]) for p in points]
            lons = [float(p["lon"]) for p in points]
            lat_c, lon_c = (min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2
            lat_span = max(max(lats) - min(lats), min_span / 2) * 1.3
            lon_span = max(max(lons) - min(lons), min_span) * 1.3
        else:
            lat_c, lon_c, lat_span, lon_span = 45.0, 65.0, min_span, min_span * 2
        self.south, self.north = lat_c - lat_span / 2, lat_c + lat_span / 2
        self.west, self.east = lon_c - lon_span / 2, lon_c + lon_span / 2
        self.step = 5 if max(lat_span, lon_span) > 6 else 1
        # The zoom whose pixels fit the box best; the drawing is then scaled to the SVG's width.
        self.zoom = 0
        while self.zoom < 12:
            left, _ = _mercator(self.north, self.west, self.zoom + 1)
            right, _ = _mercator(self.north, self.east, self.zoom + 1)
            if right - left > width:
                break
            self.zoom += 1
        self.x0, self.y0 = _mercator(self.north, self.west, self.zoom)
        self.x1, self.y1 = _mercator(self.south, self.east, self.zoom)
        self.width = width
        self.scale = width / (self.x1 - self.x0)
        self.height = round((self.y1 - self.y0) * self.scale)

    def project(self, lat, lon):
        """SVG coordinates of a latitude and longitude."""
        x, y = _mercator(float(lat), float(lon), self.zoom)
        return (x - self.x0) * self.scale, (y - self.y0) * self.scale


def _tiles(view, tile_url):
    size = TILE * view.scale
    for tx in range(int(view.x0 // TILE), int(view.x1 // TILE) + 1):
        for ty in range(int(view.y0 // TILE), int(view.y1 // TILE) + 1):
            href = tile_url.replace("{z}", str(view.zoom)).replace("{x}", str(tx)).replace("{y}", str(ty))
            yield format_html(
                '<image class="map-tile" href="{}" x="{}" y="{}" width="{}" height="{}"></image>',
                href,
                (tx * TILE - view.x0) * view.scale,
                (ty * TILE - view.y0) * view.scale,
                size,
                size,
            )


def _grid(view):
    step = view.step
    for lat in range(math.ceil(view.south / step) * step, math.floor(view.north) + 1, step):
        _, y = view.project(lat, view.west)
        yield format_html(
            '<line class="map-grid" x1="0" y1="{}" x2="{}" y2="{}"></line>'
            '<text class="map-grid-label" x="4" y="{}">{}°N</text>',
            y,
            view.width,
            y,
            y - 3,
            lat,
        )
    for lon in range(math.ceil(view.west / step) * step, math.floor(view.east) + 1, step):
        x, _ = view.project(view.south, lon)
        yield format_html(
            '<line class="map-grid" x1="{}" y1="0" x2="{}" y2="{}"></line>'
            '<text class="map-grid-label" x="{}" y="{}">{}°E</text>',
            x,
            x,
            view.height,
            x + 3,
            view.height - 4,
            lon,
        )


def _places(points):
    """Points at the same place (its `key`, else its `place`, else its rounded coordinates) as one
    dict per place: mean `lat` and `lon`, the points' labels, the first one's `url` and `place`,
    and `count`, the sum of the points' counts (one each unless given)."""
    groups = {}
    for p in points:
        key = p.get("key") or p.get("place") or (round(float(p["lat"]), 1), round(float(p["lon"]), 1))
        groups.setdefault(key, []).append(p)
    return [
        {
            "lat": sum(float(p["lat"]) for p in group) / len(group),
            "lon": sum(float(p["lon"]) for p in group) / len(group),
            "labels": "; ".join(p["label"] for p in group),
            "url": group[0]["url"],
            "place": group[0].get("place") or group[0]["label"],
            "count": sum(p.get("count", 1) for p in group),
        }
        for group in groups.values()
    ]


MIN_RADIUS, MAX_RADIUS = 5, 16


def _dot(view, place, labelled, most):
    x, y = view.project(place["lat"], place["lon"])
    # Area grows with the count, up to MAX_RADIUS for the busiest place, so that dots stay apart
    # however large the portfolio.
    radius = MIN_RADIUS + (MAX_RADIUS - MIN_RADIUS) * math.sqrt((place["count"] - 1) / max(most - 1, 1))
    text = place["place"] if place["count"] == 1 else f"{place['place']} ({place['count']})"
    # Labels of dots in the right part of the map go to their left, so they stay inside it.
    right = x > view.width * 0.6
    label = (
        format_html(
            '<text class="map-label" x="{}" y="{}" text-anchor="{}">{}</text>',
            _r(x - radius - 3 if right else x + radius + 3),
            _r(y + 4),
            "end" if right else "start",
            text,
        )
        if labelled
        else ""
    )
    return format_html(
        '<a href="{}" class="map-point"><title>{}</title><circle cx="{}" cy="{}" r="{}"></circle>{}</a>',
        place["url"],
        place["labels"],
        _r(x),
        _r(y),
        _r(radius),
        label,
    )


def map_chart(points, *, title, desc, tile_url="", width=640, height=400, min_span=8.0, areas=()):
    """Places as dots on a latitude/longitude grid; map tiles underneath when a tile URL template
    ({z}/{x}/{y}) is given.

    A point is a dict with `lat`, `lon`, `label`, `url` and optional `place`, `key` and `count`
    (how many projects it stands for): points at the same place are drawn as one dot, sized by
    their count and labelled with the place and the count. The largest places carry their name.
    `areas` are (name, lat, lon) labels such as countries, drawn faintly underneath. Without
    tiles the labelled grid, the area and place names still tell the story. `height` follows
    from the width and the places shown."""
    points = [p for p in points if p.get("lat") is not None and p.get("lon") is not None]
    view = _View(points, width, min_span)
    parts = [f'<rect class="map-sea" x="0" y="0" width="{width}" height="{view.height}"></rect>']
    if tile_url:
        parts.extend(_tiles(view, tile_url))
    parts.extend(_grid(view))
    for name, lat, lon in areas:
        x, y = view.project(lat, lon)
        parts.append(
            format_html('<text class="map-area" x="{}" y="{}" text-anchor="middle">{}</text>', _r(x), _r(y), name)
        )
    places = _places(points)
    largest = sorted(places, key=lambda place: -place["count"])[:LABELLED_PLACES]
    labelled = {id(place) for place in largest}
    most = max((place["count"] for place in places), default=1)
    parts.extend(_dot(view, place, id(place) in labelled, most) for place in places)
    return _svg(width, view.height, title, desc, "".join(str(p) for p in parts), "chart--map")
