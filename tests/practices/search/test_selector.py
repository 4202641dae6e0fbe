"""``SearchResult.choosing``: the counts of a search with one more value chosen, as the search
its link opens gives them, on the index and in SQL."""

import pytest
from django.http import QueryDict

from practices.models import Practice
from practices.search.engines.bitsets import IndexEngine
from practices.search.engines.sql import SqlEngine
from practices.search.facets.registry import FACETS
from practices.search.selector import search

pytestmark = pytest.mark.django_db


def option_of(result, param, slug):
    facet = next(facet for facet in result.facets if facet.param == param)
    return next(option for option in facet.options if option.slug == slug)


def nonzero(counts):
    """Every facet's counts without zeros (the index counts every value, SQL only those it
    finds)."""
    return {spec.param: {key: n for key, n in counts[spec.param].items() if n} for spec in FACETS}


@pytest.mark.parametrize("over", ["index", "sql"])
@pytest.mark.parametrize(
    ("query_string", "param", "slug"),
    [
        ("", "challenge", "skills"),
        ("", "country", "FI"),
        ("priority=green-transition", "recommendation", "r1"),
        ("country=DK", "country", "FI"),  # any one country matches: Denmark or Finland
        ("q=cluster&challenge=innovation", "support", "networking"),
        ("priority=resilience&priority=green-transition&priority_match=any", "priority", "digital-transition"),
    ],
)  # fmt: skip
def test_choosing_an_option_counts_what_the_search_with_it_counts(
    sample_practices, over, query_string, param, slug
):
    queryset = Practice.objects.published() if over == "sql" else None
    result = search(QueryDict(query_string), page=None, queryset=queryset)
    assert isinstance(result.engine, SqlEngine if over == "sql" else IndexEngine)
    chosen = result.choosing(option_of(result, param, slug))
    params = QueryDict(query_string, mutable=True)
    params.appendlist(param, slug)
    expected = search(params, page=None, queryset=Practice.objects.published())
    assert chosen.count == expected.count == expected.filterset.qs.count()
    assert nonzero(chosen.counts) == nonzero(expected.engine.counts)
