"""Server-drawn SVG charts: accessible names, no inline styles, bars in proportion."""

import re

import pytest

from partnership import charts


def bar_widths(svg):
    return [float(w) for w in re.findall(r'<rect class="bar[^"]*" x="0" y="[\d.]+" width="([\d.]+)"', svg)]


def test_bar_chart_has_title_desc_and_bars_in_proportion():
    svg = charts.bar_chart(
        [{"label": "Energy", "value": 200, "text": "200"}, {"label": "Rail", "value": 50, "text": "50"}],
        title="Investment by sector",
        desc="USD by sector",
    )
    assert 'role="img"' in svg
    assert "<title" in svg and "Investment by sector</title>" in svg
    assert "USD by sector</desc>" in svg
    wide, narrow = bar_widths(svg)
    assert wide == 4 * narrow
    assert "style=" not in svg


def test_bar_chart_scales_to_a_given_maximum():
    rows = [{"label": "Group", "value": 50, "text": "50%"}]
    (full,) = bar_widths(charts.bar_chart(rows, title="t", desc="d"))
    (half,) = bar_widths(charts.bar_chart(rows, title="t", desc="d", max_value=100))
    assert half == pytest.approx(full / 2, abs=0.1)


def test_long_value_texts_leave_room_beside_the_bar():
    rows = [{"label": "Energy", "value": 1, "text": "648,9 миллионов USD"}]
    svg = charts.bar_chart(rows, title="t", desc="d", width=420)
    (width,) = bar_widths(svg)
    assert width + 6 + len(rows[0]["text"]) * 6 <= 420


def test_labels_are_escaped():
    svg = charts.bar_chart([{"label": "<script>x</script>", "value": 1}], title="<b>", desc="&")
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert "<title" in svg and "&lt;b&gt;</title>" in svg


def test_empty_chart_still_renders():
    svg = charts.bar_chart([], title="Nothing", desc="No rows")
    assert svg.startswith("<svg") and "Nothing</title>" in svg


def test_trade_chart_marks_estimates_and_draws_the_target_above_the_bars():
    svg = charts.trade_chart(
        [
            {"year": 2023, "value": 3, "text": "3", "estimate": False},
            {"year": 2024, "value": 4, "text": "4", "estimate": True},
        ],
        title="Trade",
        desc="By year",
        target=10,
        target_text="Target 10",
    )
    assert svg.count("bar--estimate") == 1
    target_y = float(re.search(r'class="chart-target" x1="\d+" y1="([\d.]+)"', svg).group(1))
    bar_tops = [float(y) for y in re.findall(r'<rect class="bar[^"]*" x="[\d.]+" y="([\d.]+)"', svg)]
    assert all(target_y < top for top in bar_tops)
    assert "Target 10" in svg and ">2023<" in svg


def test_map_places_points_by_coordinates_and_adds_tiles_only_when_asked():
    points = [
        {"lat": 41.3, "lon": 69.2, "label": "Tashkent", "url": "/a/"},
        {"lat": 51.1, "lon": 71.4, "label": "Astana", "url": "/b/"},
        {"lat": None, "lon": None, "label": "Nowhere", "url": "/c/"},
    ]
    svg = charts.map_chart(points, title="Map", desc="Places")
    circles = re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)"', svg)
    assert len(circles) == 2
    (tx, ty), (ax, ay) = [(float(x), float(y)) for x, y in circles]
    assert ay < ty  # Astana is further north, so higher up
    assert ax > tx  # and further east
    assert "<image" not in svg
    assert "Tashkent" in svg and "°N" in svg
    tiled = charts.map_chart(points, title="Map", desc="Places", tile_url="https://t.example/{z}/{x}/{y}.png")
    assert re.search(r'href="https://t\.example/\d+/\d+/\d+\.png"', tiled)


def test_map_draws_one_dot_per_place_with_its_project_count_and_names_areas():
    points = [
        {"lat": 41.31, "lon": 69.24, "label": "A", "place": "Tashkent", "url": "/a/"},
        {"lat": 41.29, "lon": 69.28, "label": "B", "place": "Tashkent", "url": "/b/"},
        {"lat": 43.24, "lon": 76.89, "label": "C", "place": "Almaty", "url": "/c/"},
    ]
    svg = charts.map_chart(points, title="Map", desc="Places", areas=[("Uzbekistan", 41, 64)])
    assert svg.count("<circle") == 2
    assert "Tashkent (2)" in svg
    assert ">Almaty<" in svg
    assert 'class="map-area"' in svg and ">Uzbekistan<" in svg
    assert "<title>A; B</title>" in svg


def test_map_sizes_dots_by_their_counts_and_names_only_the_largest_places():
    points = [
        {"lat": 40 + i / 10, "lon": 60 + i / 5, "label": f"P{i}", "place": f"Place {i}", "count": i + 1, "url": "/"}
        for i in range(20)
    ]
    svg = charts.map_chart(points, title="Map", desc="Places")
    radii = [float(r) for r in re.findall(r'<circle cx="[\d.]+" cy="[\d.]+" r="([\d.]+)"', svg)]
    assert len(radii) == 20 and radii == sorted(radii) and radii[0] < radii[-1]
    assert ">Place 19 (20)<" in svg and ">Place 8 (9)<" in svg
    assert ">Place 7 (8)<" not in svg  # the eight smallest keep their name in the dot's title only
    assert svg.count('class="map-label"') == charts.LABELLED_PLACES
    assert "<title>P7</title>" in svg


def test_map_dots_stay_small_however_many_projects_a_place_has():
    """At 10,000 projects a place can hold hundreds: its dot must not cover its neighbours."""
    points = [
        {"lat": 41 + i, "lon": 62 + i, "label": f"P{i}", "place": f"Place {i}", "count": count, "url": "/"}
        for i, count in enumerate([1, 40, 452, 3000])
    ]
    svg = charts.map_chart(points, title="Map", desc="Places")
    radii = [float(r) for r in re.findall(r'<circle cx="[\d.]+" cy="[\d.]+" r="([\d.]+)"', svg)]
    assert radii[0] == charts.MIN_RADIUS and max(radii) == charts.MAX_RADIUS
    assert radii == sorted(radii)
