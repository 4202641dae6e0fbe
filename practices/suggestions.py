""" "Did you mean": help for keywords that found nothing.

On PostgreSQL, trigram word similarity (pg_trgm) against practice titles and taxonomy names;
elsewhere the same idea with difflib over the taxonomy names and recent titles.
"""

import difflib
import re
from dataclasses import dataclass

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connections
from django.http import QueryDict

from practices.models import (
    Practice,
    Recommendation,
    StrategicChallenge,
    SupportType,
    TerritorialValidity,
    ThematicPriority,
    Typology,
)
from practices.search import fold, parse_websearch

TAXONOMY_PARAMS = [
    ("challenge", StrategicChallenge),
    ("priority", ThematicPriority),
    ("support", SupportType),
    ("territorial_validity", TerritorialValidity),
    ("typology", Typology),
    ("recommendation", Recommendation),
]
MAX_TERMS = 3
SIMILARITY = 0.5
FALLBACK_TITLES = 5000
_WORD = re.compile(r"\w{3,}")


@dataclass(frozen=True)
class Suggestion:
    label: str
    query_string: str


def did_you_mean(query: str, params: QueryDict, *, using: str = "default") -> list[Suggestion]:
    """Suggestions for a keyword query that found nothing: a corrected query, and taxonomy
    values whose names resemble the words typed (as filters, replacing the keywords)."""
    terms = [
        term
        for clause in parse_websearch(query)
        if not clause.excluded
        for phrase in clause.alternatives
        for term in phrase.split()
    ][:MAX_TERMS]
    if not terms:
        return []
    full_text = connections[using].vendor == "postgresql"
    suggestions = []
    corrected = [
        (_closest_title_word(term, using) if full_text else _closest_word_fallback(term, using))
        for term in terms
    ]
    if any(word and word != term for word, term in zip(corrected, terms, strict=True)):
        words = [word or term for word, term in zip(corrected, terms, strict=True)]
        with_words = params.copy()
        with_words["q"] = " ".join(words)
        suggestions.append(Suggestion(" ".join(words), with_words.urlencode()))
    for param, model in TAXONOMY_PARAMS:
        for tag in _similar_tags(model, terms, using, full_text):
            as_filter = params.copy()
            as_filter.pop("q", None)
            if tag.slug not in as_filter.getlist(param):
                as_filter.appendlist(param, tag.slug)
            suggestions.append(
                Suggestion(
                    f"{model._meta.verbose_name.capitalize()}: {tag.name}", as_filter.urlencode()
                )
            )
    return suggestions


def _closest_title_word(term, using):
    title = (
        Practice.objects.using(using)
        .published()
        .annotate(similarity=TrigramWordSimilarity(term, "title"))
        .filter(similarity__gte=SIMILARITY)
        .order_by("-similarity")
        .values_list("title", flat=True)
        .first()
    )
    if title is None:
        return None
    return _best_match(term, _WORD.findall(fold(title)))


def _closest_word_fallback(term, using):
    titles = (
        Practice.objects.using(using)
        .published()
        .order_by("-updated_at")
        .values_list("title", flat=True)
    )[:FALLBACK_TITLES]
    vocabulary = {word for title in titles for word in _WORD.findall(fold(title))}
    return _best_match(term, vocabulary)


def _best_match(term, words):
    matches = difflib.get_close_matches(term, list(words), n=1, cutoff=0.75)
    return matches[0] if matches else None


def _similar_tags(model, terms, using, full_text):
    tags = model.objects.using(using)
    if full_text:
        found = []
        for term in terms:
            found += list(
                tags.annotate(similarity=TrigramWordSimilarity(term, "name"))
                .filter(similarity__gte=SIMILARITY)
                .order_by("-similarity")[:1]
            )
        return list(dict.fromkeys(found))
    by_word = {}
    for tag in tags:
        for word in _WORD.findall(fold(tag.name)):
            by_word.setdefault(word, tag)
    return list(
        dict.fromkeys(
            by_word[w]
            for term in terms
            for w in difflib.get_close_matches(term, list(by_word), n=1, cutoff=0.8)
        )
    )
