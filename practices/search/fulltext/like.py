"""Keyword search where the database has no full-text engine (an SQLite built without FTS5):
phrases matched as substrings of ``search_document``, a folded copy of the title, original
title and description. Correct, without stemming, slower at scale. Its "did you mean" (difflib
over recent titles and taxonomy names) serves SQLite's FTS5 engine too."""

import difflib

from django.db.models import Case, FloatField, Q, QuerySet, Value, When

from practices.search.keywords import Keywords, best_match, words_of

FALLBACK_TITLES = 5000


def matching(queryset: QuerySet, keywords: Keywords) -> QuerySet:
    condition = Q()
    for clause in keywords.clauses:
        alternatives = _any_phrase("search_document__contains", clause.alternatives)
        condition &= ~alternatives if clause.excluded else alternatives
    return queryset.filter(condition)


def with_relevance(queryset: QuerySet, keywords: Keywords) -> QuerySet:
    """1.0 for practices whose title holds every wanted clause, else 0.0."""
    in_title = Q()
    for clause in keywords.clauses:
        if not clause.excluded:
            in_title &= _any_phrase("title__icontains", clause.alternatives)
    if not in_title:
        return queryset.annotate(relevance=Value(0.0, output_field=FloatField()))
    return queryset.annotate(
        relevance=Case(
            When(in_title, then=Value(1.0)), default=Value(0.0), output_field=FloatField()
        )
    )


def with_headline(queryset: QuerySet, keywords: Keywords) -> QuerySet:
    return queryset  # excerpts are found in Python (keywords.excerpt_html)


def closest_word(term: str, published: QuerySet) -> str | None:
    """The word of the most recently updated titles closest to ``term``."""
    titles = published.order_by("-updated_at").values_list("title", flat=True)[:FALLBACK_TITLES]
    vocabulary = {word for title in titles for word in words_of(title)}
    return best_match(term, vocabulary)


def similar_tags(taxonomy: QuerySet, terms: list[str]) -> list:
    """Values of ``taxonomy`` whose names hold a word like one of ``terms``."""
    by_word = {}
    for tag in taxonomy:
        for word in words_of(tag.name):
            by_word.setdefault(word, tag)
    return list(
        dict.fromkeys(
            by_word[word]
            for term in terms
            for word in difflib.get_close_matches(term, list(by_word), n=1, cutoff=0.8)
        )
    )


def _any_phrase(lookup: str, phrases) -> Q:
    """A condition true when any of ``phrases`` matches through ``lookup``."""
    condition = Q()
    for phrase in phrases:
        condition |= Q(**{lookup: phrase})
    return condition
