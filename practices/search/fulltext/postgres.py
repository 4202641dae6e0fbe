"""Keyword search on PostgreSQL: a trigger-kept, weighted ``search_vector`` (title above
original title above description; English stemming; accents removed; migrations 0003 and
0007) read with ``websearch_to_tsquery``; headlines by ``ts_headline``; "did you mean" by
trigram word similarity (pg_trgm)."""

import sys
from array import array

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    TrigramWordSimilarity,
)
from django.db import connections
from django.db.models import F, QuerySet

from practices.search.keywords import HEADLINE_START, HEADLINE_STOP, Keywords, best_match, words_of

SEARCH_CONFIG = "english"
SIMILARITY = 0.5


def _tsquery(keywords: Keywords) -> SearchQuery:
    # Written anew from the parsed clauses, so PostgreSQL reads what we read (see
    # ``Keywords.websearch``).
    return SearchQuery(keywords.websearch, config=SEARCH_CONFIG, search_type="websearch")


def matching(queryset: QuerySet, keywords: Keywords) -> QuerySet:
    return queryset.filter(search_vector=_tsquery(keywords))


def with_relevance(queryset: QuerySet, keywords: Keywords) -> QuerySet:
    return queryset.annotate(relevance=SearchRank(F("search_vector"), _tsquery(keywords)))


def scores(matches: QuerySet) -> tuple[array, array]:
    """(ids, relevance) of ``matches`` (annotated by ``with_relevance``), sent by PostgreSQL as
    two strings of binary numbers: tens of thousands of rows read as two values, not parsed
    one by one (that took half the time of ranking a common word)."""
    sql, params = matches.order_by().values("pk", "relevance").query.sql_with_params()
    with connections[matches.db].cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(string_agg(int8send(m.pk), ''), ''),"  # noqa: S608
            " coalesce(string_agg(float4send(m.relevance), ''), '')"
            f" FROM ({sql}) AS m",
            params,
        )
        id_bytes, score_bytes = cursor.fetchone()
    ids, relevance = array("q"), array("f")
    ids.frombytes(bytes(id_bytes))
    relevance.frombytes(bytes(score_bytes))
    if sys.byteorder == "little":  # sent big-endian
        ids.byteswap()
        relevance.byteswap()
    return ids, array("d", relevance)


def with_headline(queryset: QuerySet, keywords: Keywords) -> QuerySet:
    """``headline``: the best fragment of the description with the matched words between
    control-character markers (see ``keywords.excerpt_html``)."""
    return queryset.annotate(
        headline=SearchHeadline(
            "description",
            _tsquery(keywords),
            config=SEARCH_CONFIG,
            start_sel=HEADLINE_START,
            stop_sel=HEADLINE_STOP,
            max_words=30,
            min_words=12,
            max_fragments=2,
            fragment_delimiter=" … ",
        )
    )


def closest_word(term: str, published: QuerySet) -> str | None:
    """The word of the most similar title closest to ``term``."""
    title = (
        published.annotate(similarity=TrigramWordSimilarity(term, "title"))
        .filter(similarity__gte=SIMILARITY)
        .order_by("-similarity")
        .values_list("title", flat=True)
        .first()
    )
    return None if title is None else best_match(term, words_of(title))


def similar_tags(taxonomy: QuerySet, terms: list[str]) -> list:
    """Values of ``taxonomy`` whose names hold a word like one of ``terms``, best first."""
    found = []
    for term in terms:
        found += list(
            taxonomy.annotate(similarity=TrigramWordSimilarity(term, "name"))
            .filter(similarity__gte=SIMILARITY)
            .order_by("-similarity")[:1]
        )
    return list(dict.fromkeys(found))
