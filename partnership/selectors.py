"""Reads that aggregate on the commission side (list counts for the admin, directive follow-up).

Each takes a queryset already scoped to what the viewer may see. Relations to the portfolio are
reverse relations named by string, so this app never imports `projects`.
"""

from urllib.parse import urlencode

from django.db.models import Count, OuterRef, Subquery

from .models import DirectiveFollowUp


def with_counts(queryset, **relations):
    """Annotate, for each `name=relation`, the number of distinct related rows as `name`."""
    return queryset.annotate(**{name: Count(relation, distinct=True) for name, relation in relations.items()})


def directive_follow_up(directives, as_of=None, limit=10, scope=None):
    """The latest follow-up entry of each of `directives` up to `as_of`, latest first, in one query.

    Returns {"rows": [entry, …] (at most `limit`, each with its directive and meeting), "more": bool,
    "query": the tracker's query string for the same scope (e.g. "working_group=water")}.
    """
    entries = DirectiveFollowUp.objects.filter(directive__in=directives.values("pk"))
    if as_of is not None:
        entries = entries.filter(date__lte=as_of)
    latest = entries.filter(directive=OuterRef("directive")).order_by("-date", "-pk").values("pk")[:1]
    rows = list(
        entries.filter(pk=Subquery(latest)).select_related("directive__meeting").order_by("-date", "-pk")[: limit + 1]
    )
    return {"rows": rows[:limit], "more": len(rows) > limit, "query": urlencode(scope or {})}
