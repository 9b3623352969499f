"""Rows of selectors.totals_by() labelled for a chart and its table."""

from django.utils.translation import gettext as _

from partnership.models import Sector
from partnership.templatetags.site_tags import money

from ..models import Confidence, Project


def label_rows(rows, labels, *, css_prefix="", text=money):
    """Turn totals_by() rows into chart rows with readable labels."""
    return [
        {
            "key": row["key"],
            "label": str(labels.get(row["key"], _("not given"))),
            "value": row["usd"] if text is money else row["count"],
            "count": row["count"],
            "usd": row["usd"],
            "unpriced": row["unpriced"],
            "text": text(row["usd"]) if text is money else str(row["count"]),
            "css": f"{css_prefix}{row['key']}" if css_prefix else "",
        }
        for row in rows
    ]


def sector_rows(rows):
    names = {s.pk: s.name for s in Sector.objects.all()}
    return label_rows(rows, names)


def status_rows(rows):
    return label_rows(rows, dict(Project.Status.choices), css_prefix="bar--", text=count_text)


def confidence_rows(rows):
    return label_rows(rows, dict(Confidence.choices), css_prefix="bar--", text=count_text)


def count_text(count):
    return count
