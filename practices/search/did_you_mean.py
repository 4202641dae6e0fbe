""" "Did you mean": help for keywords that found nothing.

A corrected query from words of practice titles, and the taxonomy values of the registry's
facets whose names resemble the words typed. How "resemble" is measured is the full-text
engine's (``search.fulltext``): trigram similarity on PostgreSQL, difflib elsewhere.
"""

from dataclasses import dataclass

from django.http import QueryDict

from practices.models import Practice
from practices.search.facets.registry import FACETS
from practices.search.fulltext import engine_for
from practices.search.keywords import Keywords

MAX_TERMS = 3


@dataclass(frozen=True)
class Suggestion:
    label: str
    query_string: str


def did_you_mean(
    keywords: Keywords | str, params: QueryDict, *, using: str = "default"
) -> list[Suggestion]:
    """Suggestions for a keyword query that found nothing: a corrected query, and taxonomy
    values whose names resemble the words typed (as filters, replacing the keywords)."""
    terms = [term for phrase in Keywords.of(keywords).wanted_phrases for term in phrase.split()][
        :MAX_TERMS
    ]
    if not terms:
        return []
    engine = engine_for(using)
    suggestions = []
    published = Practice.objects.using(using).published()
    corrected = [engine.closest_word(term, published) for term in terms]
    if any(word and word != term for word, term in zip(corrected, terms, strict=True)):
        words = [word or term for word, term in zip(corrected, terms, strict=True)]
        with_words = params.copy()
        with_words["q"] = " ".join(words)
        suggestions.append(Suggestion(" ".join(words), with_words.urlencode()))
    for spec in FACETS:
        if spec.model is None:
            continue
        for tag in engine.similar_tags(spec.model.objects.using(using), terms):
            as_filter = params.copy()
            as_filter.pop("q", None)
            if tag.slug not in as_filter.getlist(spec.param):
                as_filter.appendlist(spec.param, tag.slug)
            label = f"{spec.model._meta.verbose_name.capitalize()}: {tag.name}"
            suggestions.append(Suggestion(label, as_filter.urlencode()))
    return suggestions
