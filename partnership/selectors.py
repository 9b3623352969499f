"""Reads that aggregate on the commission side (list counts for the admin).

Each takes a queryset already scoped to what the viewer may see. Relations to the portfolio are
reverse relations named by string, so this app never imports `projects`.
"""

from django.db.models import Count


def with_counts(queryset, **relations):
    """Annotate, for each `name=relation`, the number of distinct related rows as `name`."""
    return queryset.annotate(**{name: Count(relation, distinct=True) for name, relation in relations.items()})
