"""Rows of figures by status, confidence and sector, ready for a chart and its table."""

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


def sector_rows(queryset):
    names = {s.pk: s.name for s in Sector.objects.all()}
    return label_rows(queryset.totals_by("sectors"), names)


def status_rows(queryset):
    rows = {row["key"]: row for row in queryset.totals_by("status")}
    ordered = [rows[value] for value in Project.Status.values if value in rows]
    return label_rows(ordered, dict(Project.Status.choices), css_prefix="bar--", text=lambda v: v)


def confidence_rows(queryset):
    rows = {row["key"]: row for row in queryset.totals_by("confidence")}
    ordered = [rows[value] for value in Confidence.values if value in rows]
    return label_rows(ordered, dict(Confidence.choices), css_prefix="bar--", text=lambda v: v)
