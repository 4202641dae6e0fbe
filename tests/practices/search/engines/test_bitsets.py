from array import array

import pytest
from django.http import QueryDict
from hypothesis import given, settings
from hypothesis import strategies as st

from practices.models import Practice
from practices.search.engines import bitsets, rankings
from practices.search.engines.bitsets import IndexedResults
from practices.search.engines.rankings import keyword_ranking
from practices.search.facet_index.store import current_index
from practices.search.keywords import Keywords
from practices.search.selector import search
from tests.factories import make_practice

pytestmark = pytest.mark.django_db

SEARCHES = [
    "",
    "challenge=skills&priority=green-transition&support=intelligence",
    "country=FI&country=DK&sort=title",
    "typology=creative-digital-capitals",
    "q=cluster&sort=title",
    "q=-",
    "q=cluster",
    "q=innovation",
    "q=cluster&challenge=skills",
    "q=cluster&country=FI&country=DK",
    "q=circular+-flanders&priority=resilience",
    'q="smart+specialisation"+or+digital',
    "q=cluster&typology=creative-digital-capitals",
    "q=zzzznothing",
    "priority=resilience&priority=green-transition&priority_match=any",
    "q=cluster&challenge=skills&challenge=value-chains&challenge_match=any",
]
SLICES = [(0, 3), (3, 6), (2, 20), (14, 15), (0, 100), (7, 7)]


@pytest.fixture(autouse=True)
def no_rankings_from_other_tests():
    rankings.kept_rankings.clear()


def searched(query_string):
    result = search(QueryDict(query_string))
    assert not result.errors, result.errors
    return result.filterset


def indexed_results(filterset, queryset):
    """The results of the search in display order, from the index engine, each practice
    fetched from ``queryset``."""
    engine = search(filterset.data).engine
    assert isinstance(engine, bitsets.IndexEngine)
    return engine.ordered(lambda practices: practices if practices.query.order_by else queryset)


@pytest.mark.parametrize("query_string", SEARCHES)
def test_pages_from_the_index_are_the_database_pages(sample_practices, query_string):
    filterset = searched(query_string)
    indexed = indexed_results(filterset, filterset.queryset)
    database_order = [practice.slug for practice in filterset.qs]
    assert len(indexed) == len(database_order)
    for start, stop in SLICES:
        assert [p.slug for p in indexed[start:stop]] == database_order[start:stop]


def test_indexed_results_index_like_a_list(sample_practices):
    filterset = searched("q=cluster&challenge=skills")
    indexed = indexed_results(filterset, filterset.queryset)
    expected = [practice.slug for practice in filterset.qs]
    assert len(expected) > 2
    assert indexed[0].slug == expected[0]
    assert indexed[-1].slug == expected[-1]
    with pytest.raises(IndexError):
        indexed[len(expected)]
    with pytest.raises(IndexError):
        indexed[-len(expected) - 1]


@pytest.mark.parametrize("query_string", ["sort=-updated", "q=cluster&sort=country"])
def test_other_orders_are_left_to_the_database(sample_practices, query_string):
    filterset = searched(query_string)
    ordered = indexed_results(filterset, filterset.queryset)
    assert not isinstance(ordered, IndexedResults)
    assert list(ordered) == list(filterset.qs)


def test_a_ranking_is_reused_until_the_data_changes(sample_practices):
    published = Practice.objects.published()
    first = keyword_ranking(current_index(), published, Keywords.parse("cluster"))
    assert keyword_ranking(current_index(), published, Keywords.parse("cluster")) is first

    newcomer = make_practice(title="Cluster cluster cluster", description="Clusters.")
    after = keyword_ranking(current_index(), published, Keywords.parse("cluster"))
    assert after is not first
    assert len(after.positions) == len(first.positions) + 1
    filterset = searched("q=cluster")
    ranked = list(indexed_results(filterset, filterset.queryset)[0:100])
    assert newcomer in ranked
    assert ranked == list(filterset.qs)


def test_unpublishing_drops_a_practice_from_the_ranked_pages(sample_practices):
    filterset = searched("q=cluster")
    top = indexed_results(filterset, filterset.queryset)[0]
    Practice.objects.filter(pk=top.pk).update(is_published=False)
    filterset = searched("q=cluster")
    assert top not in list(indexed_results(filterset, filterset.queryset)[0:100])


def test_only_the_most_recent_rankings_are_kept(sample_practices, monkeypatch):
    monkeypatch.setattr(rankings, "MAX_RANKINGS", 2)
    index, published = current_index(), Practice.objects.published()
    cluster = keyword_ranking(index, published, Keywords.parse("cluster"))
    keyword_ranking(index, published, Keywords.parse("innovation"))
    assert (
        keyword_ranking(index, published, Keywords.parse("cluster")) is cluster
    )  # now the most recent
    keyword_ranking(
        index, published, Keywords.parse("skills")
    )  # drops "innovation", the least recent
    assert keyword_ranking(index, published, Keywords.parse("cluster")) is cluster
    assert [key[-1] for key in rankings.kept_rankings] == ["skills", "cluster"]


def test_rankings_kept_stay_within_their_memory_budget(sample_practices, monkeypatch):
    index, published = current_index(), Practice.objects.published()
    cluster = keyword_ranking(index, published, Keywords.parse("cluster"))
    monkeypatch.setattr(rankings, "MOST_RANKING_BYTES", cluster.size + 1)
    innovation = keyword_ranking(index, published, Keywords.parse("innovation"))
    assert [key[-1] for key in rankings.kept_rankings] == ["innovation"]  # both would not fit
    assert keyword_ranking(index, published, Keywords.parse("innovation")) is innovation
    monkeypatch.setattr(rankings, "MOST_RANKING_BYTES", 0)
    keyword_ranking(index, published, Keywords.parse("skills"))
    assert [key[-1] for key in rankings.kept_rankings] == ["skills"]  # the newest is kept


def test_a_repeated_keyword_search_does_not_rank_again(
    sample_practices, client, django_assert_max_num_queries
):
    url = "/practices/?q=cluster&page=2"
    first = client.get(url)
    assert first.status_code == 200
    # the data version, the page's practices, then their priorities, challenges and support
    with django_assert_max_num_queries(5) as captured:
        again = client.get(url)
    assert again.content == first.content
    assert not any("relevance" in query["sql"].lower() for query in captured.captured_queries)


def test_equal_relevance_is_ordered_by_title_as_the_database_orders_it(taxonomies):
    from tests.factories import make_practice

    # the same text, so the same relevance; titles created out of order, one with an accent
    for slug, title in [("c", "Zeta"), ("a", "Émile"), ("b", "alpha"), ("d", "Beta")]:
        make_practice(slug=slug, title=title, description="A hydrogen valley for the region.")
    make_practice(slug="best", title="Hydrogen first", description="Hydrogen, hydrogen.")
    filterset = searched("q=hydrogen")
    database_order = [practice.slug for practice in filterset.qs]
    assert database_order[0] == "best"
    assert [p.slug for p in indexed_results(filterset, filterset.queryset)[0:10]] == (
        database_order
    )


def test_a_ranking_is_shared_with_the_other_processes(sample_practices, django_assert_num_queries):
    from django.core.cache import cache

    cache.clear()
    index = current_index()
    published = Practice.objects.published()
    first = keyword_ranking(index, published, Keywords.parse("cluster"))
    rankings.kept_rankings.clear()  # as another process, with none of its own
    with django_assert_num_queries(0):  # read from the shared cache, not ranked again
        second = keyword_ranking(index, published, Keywords.parse("cluster"))
    assert second is not first
    assert (list(second.positions), list(second.scores), second.bits) == (
        list(first.positions),
        list(first.scores),
        first.bits,
    )


@settings(max_examples=300, deadline=None)
@given(st.lists(st.floats(allow_nan=False, allow_infinity=False), max_size=40))
def test_scores_sort_best_first_as_integers_and_come_back_unchanged(relevance):
    keys = rankings._descending(array("d", relevance))
    best_first = sorted(relevance, key=lambda score: -score)
    assert list(rankings._scores(sorted(keys))) == [score + 0.0 for score in best_first]
