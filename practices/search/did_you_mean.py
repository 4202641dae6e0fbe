""" "Did you mean": help for keywords that found nothing.

A corrected query from words of practice titles, and the taxonomy values of the registry's
facets whose names resemble the words typed. How "resemble" is measured is the full-text
engine's (``search.fulltext``): trigram similarity on PostgreSQL, difflib elsewhere. A
suggestion is offered only when its search finds something: another empty page helps no one.
"""

from dataclasses import dataclass

from django.http import QueryDict

from practices.models import Practice
from practices.search.facets.registry import FACETS
from practices.search.fulltext import engine_for
from practices.search.keywords import Keywords
from practices.search.selector import search

MAX_TERMS = 3


@dataclass(frozen=True)
class Suggestion:
    label: str
    query_string: str
    count: int = 0  # the practices its search finds


def _found(label: str, params: QueryDict, using: str) -> Suggestion | None:
    """The suggestion of the search ``params``, if it finds any published practice."""
    result = search(params, page=None, queryset=None if using == "default" else _published(using))
    if result.errors or not result.count:
        return None
    return Suggestion(label, params.urlencode(), result.count)


def _published(using):
    return Practice.objects.using(using).published()


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
        suggestions.append(_found(" ".join(words), with_words, using))
    for spec in FACETS:
        if spec.model is None:
            continue
        for tag in engine.similar_tags(spec.model.objects.using(using), terms):
            as_filter = params.copy()
            as_filter.pop("q", None)
            if tag.slug not in as_filter.getlist(spec.param):
                as_filter.appendlist(spec.param, tag.slug)
            label = f"{spec.model._meta.verbose_name.capitalize()}: {tag.name}"
            suggestions.append(_found(label, as_filter, using))
    return [suggestion for suggestion in suggestions if suggestion is not None]
