"""Full-text search of projects: PostgreSQL's text search with a GIN index, plain matching elsewhere.

Each language's columns are parsed with that language's configuration where PostgreSQL ships one
(English, Russian); Kazakh, Uzbek and the project code use the language-neutral `simple` one.
Every word of the query must match the start of a word in some language (so "rail" finds
"railway"); results are ranked when no other order is asked for.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Q

# The query keeps letters and digits only, so that no input can break the tsquery syntax.
WORD = re.compile(r"\w+", re.UNICODE)
MAX_WORDS = 10
CONFIGS = (
    ("english", ("title_en", "summary_en")),
    ("russian", ("title_ru", "summary_ru")),
    ("simple", ("code", "title_kk", "summary_kk", "title_uz", "summary_uz")),
)


def document():
    """The tsvector every project is searched by; the GIN index in Project.Meta is built on it."""
    vectors = [SearchVector(*fields, config=config) for config, fields in CONFIGS]
    combined = vectors[0]
    for vector in vectors[1:]:
        combined = combined + vector
    return combined


def _query(words):
    terms = []
    for config, _fields in CONFIGS:
        # A prefix match in each configuration, ORed: 'rail' matches 'railway' in English, 'желез' in Russian.
        text = " & ".join(f"{word}:*" for word in words)
        terms.append(SearchQuery(text, config=config, search_type="raw"))
    query = terms[0]
    for term in terms[1:]:
        query = query | term
    return query


def words_of(text):
    return [word.lower() for word in WORD.findall(text or "")][:MAX_WORDS]


def search(queryset, text, fallback_fields):
    """Projects matching every word of `text`, annotated with `search_rank` on PostgreSQL."""
    words = words_of(text)
    if not words:
        return queryset
    if connection.vendor != "postgresql":
        for word in words:
            condition = Q()
            for field in fallback_fields:
                condition |= Q(**{f"{field}__icontains": word})
            queryset = queryset.filter(condition)
        return queryset
    query = _query(words)
    # Filtering on the very expression of the index lets PostgreSQL use it.
    condition = Q(search_document=query)
    if any(character.isdigit() for character in text):
        # The text parser reads "KZUZ-003" as a word and a negative number: match codes as typed.
        condition |= Q(code__icontains=text.strip())
    return (
        queryset.annotate(search_document=document())
        .filter(condition)
        .annotate(search_rank=SearchRank(document(), query))
    )
