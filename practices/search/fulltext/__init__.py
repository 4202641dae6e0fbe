"""The full-text engine of a database, chosen in one place.

Each engine is a module with the same four verbs, all taking parsed ``Keywords``:

- ``matching(queryset, keywords)``: the practices that match;
- ``with_relevance(queryset, keywords)``: annotated with ``relevance``, higher is better;
- ``with_headline(queryset, keywords)``: annotated with ``headline`` where the database writes
  excerpts itself (PostgreSQL), else unchanged;
- ``closest_word(term, published)`` and ``similar_tags(taxonomy, terms)``: "did you mean".

``scores`` reads every match's relevance at once, for the in-memory rankings.
"""

from array import array
from types import ModuleType

from django.db import connections

from practices.search.fulltext import like as fulltext_like
from practices.search.fulltext import postgres as fulltext_postgres
from practices.search.fulltext import sqlite as fulltext_sqlite

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


def scores(queryset, keywords) -> tuple[array, array]:
    """(the ids of the practices of ``queryset`` matching ``keywords``, their relevance), in
    no particular order."""
    matches = queryset.search(keywords).with_relevance(keywords)
    if matches.db and connections[matches.db].vendor == "postgresql":
        return fulltext_postgres.scores(matches)
    ids, relevance = array("q"), array("d")
    for practice_id, score in matches.order_by().values_list("pk", "relevance"):
        ids.append(practice_id)
        relevance.append(score)
    return ids, relevance
