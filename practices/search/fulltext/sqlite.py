"""Keyword search on SQLite through FTS5, as close to the PostgreSQL path as SQLite allows.

Migration 0006 creates ``practices_fts``: each practice's title, original title and
description (rowid = practice id), kept current by triggers, tokenized by
``porter unicode61 remove_diacritics 2`` after the triggers fold the letters Unicode does not
decompose. So "clusters" finds "cluster", and case, accents and ligatures do not matter,
exactly as ``keywords.fold`` folds them (queries are folded by ``fold`` itself).

Queries arrive parsed (``Keywords``), like everywhere else: quoted phrases, ``-word`` to
exclude, ``or`` between alternatives. Every word goes to FTS5 inside double quotes and the
whole expression as an SQL parameter, so no user input is ever read as an FTS5 operator.

``fulltext.engine_for`` asks ``available`` and, when it says yes, uses this engine; otherwise
``fulltext_like``, whose "did you mean" this engine shares (FTS5 has no similarity search).
"""

import importlib
import re

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Case, Expression, F, FloatField, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

# FTS5 has no similarity search: "did you mean" is the fallback's, over words in Python.
from practices.search.fulltext.like import closest_word, similar_tags  # noqa: F401
from practices.search.keywords import Keywords

FTS_TABLE = "practices_fts"
# bm25 weight of a match in the title, the original title and the description. Ten to one
# keeps any title match above a description repeating the word (bm25 saturates each column at
# about twice one occurrence), like PostgreSQL's weights A, B and C (1, 0.4, 0.2).
COLUMN_WEIGHTS = (10.0, 5.0, 1.0)
TITLE_TIER = 1000.0  # above any bm25 score of a practice's text
# What unicode61 keeps of a \w word: letters and digits; an underscore separates words.
_TOKEN = re.compile(r"[^\W_]+")

# Migration 0006's triggers. SQLite drops a table's triggers with it, and Django remakes a
# table for many schema changes on SQLite: without them the index would go stale unseen.
_TRIGGERS = tuple(f"practices_practice_fts_{event}" for event in ("insert", "update", "delete"))

# (alias, database name) -> whether the FTS5 table and its triggers are there. Deployments
# migrate before they serve, so the answer holds for the life of the process.
_fts_tables: dict[tuple[str, str], bool] = {}


def available(connection: BaseDatabaseWrapper) -> bool:
    """Whether ``connection`` is SQLite with migration 0006's FTS5 table and the triggers that
    keep it current (neither exists on an SQLite built without FTS5). Asked of the database
    once per alias and database name."""
    if connection.vendor != "sqlite":
        return False
    key = (connection.alias, str(connection.settings_dict["NAME"]))
    if key not in _fts_tables:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE (type = 'table' AND name = %s) "
                "OR (type = 'trigger' AND name IN (%s, %s, %s))",
                [FTS_TABLE, *_TRIGGERS],
            )
            _fts_tables[key] = cursor.fetchone()[0] == 1 + len(_TRIGGERS)
    return _fts_tables[key]


def restore_index(connection: BaseDatabaseWrapper) -> bool:
    """Rebuild the FTS5 index, refilled from the practices, when its table is there without
    all of its triggers: SQLite drops a table's triggers with the table, and Django remakes
    ``practices_practice`` for many schema changes on SQLite. Runs after every ``migrate``;
    True when it rebuilt."""
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = %s", [FTS_TABLE]
        )
        if not cursor.fetchone()[0]:
            return False  # never created: an SQLite without FTS5, or not migrated yet
        cursor.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN (%s, %s, %s)",
            list(_TRIGGERS),
        )
        if cursor.fetchone()[0] == len(_TRIGGERS):
            return False
        # The statements of the migration that made the index, so both build the same one.
        migration = importlib.import_module("practices.migrations.0006_sqlite_full_text")
        for statement in (*migration.BACKWARD, *migration.FORWARD):
            cursor.execute(statement)
    _fts_tables.pop((connection.alias, str(connection.settings_dict["NAME"])), None)
    return True


def matching(queryset: QuerySet, keywords: Keywords) -> QuerySet:
    """``queryset`` narrowed to the practices matching ``keywords``; a query of exclusions
    only keeps everything else, and one with nothing searchable in it (such as "-", "or" or
    punctuation) leaves ``queryset`` as it is."""
    required, excluded = _expressions(keywords)
    if required:
        expression = " AND ".join(required)
        if excluded:
            expression = f"({expression}) NOT ({' OR '.join(excluded)})"
        return queryset.filter(pk__in=_matched_ids(expression))
    if excluded:
        return queryset.exclude(pk__in=_matched_ids(" OR ".join(excluded)))
    return queryset


def with_relevance(queryset: QuerySet, keywords: Keywords) -> QuerySet:
    """``queryset`` with ``relevance``: a float, higher for better matches of ``keywords``
    (bm25, a title match weighing more than one in the original title, more than one in the
    description), 0.0 for practices that do not match or when only exclusions were given."""
    required, _ = _expressions(keywords)
    if not required:
        return queryset.annotate(relevance=Value(0.0, output_field=FloatField()))
    expression = " AND ".join(required)
    # bm25 barely counts a word found in most practices ("innovation"), so on its own it can
    # put a practice with one query word in its title above one with all of them there. A
    # title holding every required word comes first, as PostgreSQL's weight A makes it.
    in_title = Case(
        When(pk__in=_matched_ids(f"title : ({expression})"), then=Value(TITLE_TIER)),
        default=Value(0.0),
        output_field=FloatField(),
    )
    return queryset.annotate(relevance=in_title + Coalesce(_Bm25(expression, F("pk")), Value(0.0)))


def with_headline(queryset: QuerySet, keywords: Keywords) -> QuerySet:
    return queryset  # excerpts are found in Python (keywords.excerpt_html)


class _Bm25(Expression):
    """The relevance of a practice (the expression given, usually ``F("pk")``) for an FTS5
    ``match`` expression; NULL when it does not match.

    The matches and their scores are computed once per query, not once per row: the subquery
    in FROM does not refer to the outer row, so SQLite runs it once and looks each practice up
    in an automatic index on it; ``LIMIT -1`` (no limit) keeps SQLite from merging it into the
    per-row lookup, which would run the full-text query and bm25's statistics again for every
    practice (4 s instead of 60 ms for 10,000 matches among 20,000 practices).
    """

    output_field = FloatField()

    def __init__(self, match: str, practice_id):
        super().__init__()
        self.match = match
        self.practice_id = practice_id

    def get_source_expressions(self):
        return [self.practice_id]

    def set_source_expressions(self, exprs):
        (self.practice_id,) = exprs

    def as_sql(self, compiler, connection):
        id_sql, id_params = compiler.compile(self.practice_id)
        return f"({_SCORES} WHERE scored.practice_id = {id_sql})", (self.match, *id_params)


# Names and weights are this module's constants; the FTS5 expression is always a parameter.
_MATCHED_IDS = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # noqa: S608
_SCORES = (
    "SELECT scored.relevance FROM (SELECT rowid AS practice_id, "  # noqa: S608
    f"-bm25({FTS_TABLE}, {', '.join(map(str, COLUMN_WEIGHTS))}) AS relevance "
    f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s LIMIT -1) AS scored"
)


def _matched_ids(expression: str) -> RawSQL:
    return RawSQL(_MATCHED_IDS, (expression,))  # noqa: S611 - the expression is a parameter


def _expressions(keywords: Keywords) -> tuple[list[str], list[str]]:
    """FTS5 expressions for ``keywords``: the required clauses (each an OR of its
    alternatives) and the excluded phrases. Phrases without a letter or digit are left out, as
    PostgreSQL leaves out words without lexemes."""
    required, excluded = [], []
    for clause in keywords.clauses:
        # Repeats are dropped (dict keys keep the order): "a a a ..." means "a", and FTS5 and
        # bm25 would otherwise do the work once per repeat.
        phrases = list(dict.fromkeys(filter(None, map(_fts5_phrase, clause.alternatives))))
        if not phrases:
            continue
        if clause.excluded:
            excluded.extend(phrase for phrase in phrases if phrase not in excluded)
        else:
            alternatives = f"({' OR '.join(phrases)})"
            if alternatives not in required:
                required.append(alternatives)
    return required, excluded


def _fts5_phrase(phrase: str) -> str:
    """The FTS5 phrase for a folded ``phrase``: each word an FTS5 string (quotes doubled,
    though parsing leaves none), joined by ``+``; "" when nothing is left."""
    words = _TOKEN.findall(phrase)
    return " + ".join('"' + word.replace('"', '""') + '"' for word in words)
