"""CSV for every API list: the same filtered rows as the JSON, one row a record, flat columns.

Columns come from the serializer, so they are stable (the same header for an empty page).
Nested objects become dotted columns (`working_group.name`); lists are joined with "; "
(`sectors.slug` → "energy; transport"). Written by partnership.exports, the site's one CSV
writer, which keeps text that looks like a formula from running in a spreadsheet.
"""

from rest_framework import serializers
from rest_framework.renderers import BaseRenderer

from ..exports import csv_text

LIST_SEPARATOR = "; "


def serializer_columns(serializer, prefix=""):
    """Dotted column names of a serializer's readable fields, in declaration order."""
    columns = []
    for name, field in serializer.fields.items():
        if field.write_only:
            continue
        if isinstance(field, serializers.ListSerializer):
            field = field.child
        if isinstance(field, serializers.Serializer):
            columns += serializer_columns(field, f"{prefix}{name}.")
        else:
            columns.append(f"{prefix}{name}")
    return columns


def cell(value):
    if value is None:
        return ""
    if value is True or value is False:
        return "true" if value else "false"
    return value


def flatten(value, prefix="", out=None):
    """One record as {dotted column: cell value}."""
    out = {} if out is None else out
    if isinstance(value, dict):
        for key, item in value.items():
            flatten(item, f"{prefix}{key}.", out)
    elif isinstance(value, list):
        rows = [flatten(item) if isinstance(item, dict) else {"": cell(item)} for item in value]
        keys = dict.fromkeys(key for row in rows for key in row)
        for key in keys or [""]:
            column = f"{prefix}{key}" if key else prefix.rstrip(".")
            out[column] = LIST_SEPARATOR.join(str(row.get(key, "")) for row in rows)
    else:
        out[prefix.rstrip(".")] = cell(value)
    return out


class CSVRenderer(BaseRenderer):
    """text/csv, chosen with ?format=csv or `Accept: text/csv`."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        renderer_context = renderer_context or {}
        if isinstance(data, dict) and "results" in data:
            records = data["results"]
        elif isinstance(data, list):
            records = data
        else:
            records = [data]
        columns = self.columns(renderer_context.get("view"), records)
        rows = (flatten(record) for record in records)
        return csv_text(columns, ([row.get(column, "") for column in columns] for row in rows)).encode(self.charset)

    def columns(self, view, records):
        get_serializer = getattr(view, "get_serializer", None)
        if get_serializer is not None:
            try:
                return serializer_columns(get_serializer())
            except (AssertionError, AttributeError, TypeError):
                pass
        return list(dict.fromkeys(key for record in records for key in flatten(record)))
