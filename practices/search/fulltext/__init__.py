"""The full-text engine of a database, chosen in one place.

Each engine is a module with the same four verbs, all taking parsed ``Keywords``:

- ``matching(queryset, keywords)``: the practices that match;
- ``with_relevance(queryset, keywords)``: annotated with ``relevance``, higher is better;
- ``with_headline(queryset, keywords)``: annotated with ``headline`` where the database writes
  excerpts itself (PostgreSQL), else unchanged;
- ``closest_word(term, published)`` and ``similar_tags(taxonomy, terms)``: "did you mean".

The functions of the same names below take a queryset and a query (text or ``Keywords``) and
ask the queryset's database's engine; ``scores`` reads every match's relevance at once, for the
in-memory rankings.
"""

from array import array
from types import ModuleType

from django.db import connections
from django.db.models import F, FloatField, Value

from practices.search.fulltext import like as fulltext_like
from practices.search.fulltext import postgres as fulltext_postgres
from practices.search.fulltext import sqlite as fulltext_sqlite
from practices.search.keywords import Keywords

# (alias, database name) -> engine. Deployments migrate before they serve, so the answer holds
# for the life of the process.
_engines: dict[tuple[str, str], ModuleType] = {}


def engine_for(using: str) -> ModuleType:
    """PostgreSQL's full text, SQLite's FTS5 where migration 0006 could create it, else the
    substring fallback; chosen once per database."""
    connection = connections[using]
    key = (using, str(connection.settings_dict["NAME"]))
    if key not in _engines:
        _engines[key] = _choose(connection)
    return _engines[key]


def _choose(connection) -> ModuleType:
    if connection.vendor == "postgresql":
        return fulltext_postgres
    if fulltext_sqlite.available(connection):
        return fulltext_sqlite
    return fulltext_like


def matching(queryset, keywords: Keywords | str):
    """The practices of ``queryset`` matching a websearch-style keyword query (quotes, -word,
    or), whatever the case or accents. A query with nothing searchable in it (such as "-" or
    "or") changes nothing."""
    keywords = Keywords.of(keywords)
    if not keywords:
        return queryset
    return engine_for(queryset.db).matching(queryset, keywords)


def with_relevance(queryset, keywords: Keywords | str):
    """Annotate ``relevance``: title above original title above description, as each engine
    can best tell."""
    keywords = Keywords.of(keywords)
    if not keywords:
        return queryset.annotate(relevance=Value(0.0, output_field=FloatField()))
    return engine_for(queryset.db).with_relevance(queryset, keywords)


def by_relevance(queryset, keywords: Keywords | str):
    """Best matches first (see ``with_relevance``), then by title."""
    keywords = Keywords.of(keywords)
    if not keywords:  # nothing to rank by
        return queryset.order_by("title", "pk")
    return with_relevance(queryset, keywords).order_by(F("relevance").desc(), "title", "pk")


def with_headline(queryset, keywords: Keywords | str):
    """Where the database writes excerpts (PostgreSQL), annotate ``headline``: the best
    fragment of the description with the matched words marked (see
    ``keywords.excerpt_html``)."""
    keywords = Keywords.of(keywords)
    if not keywords:
        return queryset
    return engine_for(queryset.db).with_headline(queryset, keywords)


def scores(queryset, keywords) -> tuple[array, array]:
    """(the ids of the practices of ``queryset`` matching ``keywords``, their relevance), in
    no particular order."""
    matches = with_relevance(matching(queryset, keywords), keywords)
    if matches.db and connections[matches.db].vendor == "postgresql":
        return fulltext_postgres.scores(matches)
    ids, relevance = array("q"), array("d")
    for practice_id, score in matches.order_by().values_list("pk", "relevance"):
        ids.append(practice_id)
        relevance.append(score)
    return ids, relevance
