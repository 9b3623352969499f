"""The date labels under the commission page's portfolio chart stay inside the chart and apart."""

import datetime
import html
import re
from io import StringIO

import pytest
from django.core.management import call_command

from partnership import charts
from tests.helpers import LANGUAGES, url

LABEL = re.compile(r'<text class="chart-label" x="([\d.-]+)" y="([\d.-]+)" text-anchor="middle">([^<]*)</text>')


def assert_labels_fit(svg):
    """Each label's box, 12-unit type at 0.6 of its size per character, is inside the viewBox and
    clear of every other label."""
    width, height = map(float, re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg).groups())
    boxes = []
    for x, y, text in LABEL.findall(svg):
        half = len(html.unescape(text)) * 12 * 0.6 / 2
        x, y = float(x), float(y)
        box = (x - half, y - 12, x + half, y + 3)
        assert box[0] >= 0 and box[2] <= width and box[1] >= 0 and box[3] <= height, text
        for other, b in boxes:
            assert not (box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3]), (text, other)
        boxes.append((text, box))
    return [text for text, _box in boxes]


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGUAGES)
def test_portfolio_chart_date_labels_are_inside_and_apart(client, lang):
    call_command("seed", stdout=StringIO())
    body = client.get(url("partnership:commission-detail", lang)).content.decode()
    svg = re.search(r'<svg class="chart chart--series".*?</svg>', body, re.S).group(0)
    assert len(assert_labels_fit(svg)) == 4  # December 2022, 5 April 2024, August 2024, October 2024


def test_dates_close_together_take_turns_in_rows_and_the_ends_stay_inside():
    start = datetime.date(2024, 1, 1)
    points = [
        {"date": start + datetime.timedelta(days=30 * i), "value": i, "text": str(i), "label": f"September {2020 + i}"}
        for i in range(6)
    ]
    svg = str(charts.series_chart(points, title="Series", desc="Monthly"))
    assert len(assert_labels_fit(svg)) == 6
    assert len({y for _x, y, _text in LABEL.findall(svg)}) > 1
    # Every dot is still drawn above the lowest row of labels.
    lowest = max(float(y) for _x, y, _text in LABEL.findall(svg))
    assert all(
        float(cy) < lowest - 12 for cy in re.findall(r'<circle class="bar bar--trade" cx="[\d.]+" cy="([\d.]+)"', svg)
    )
