"""The kinds of facets (``facets.kinds``); here the one derived from another facet, the country
groups (``kinds.Groups``): on both engines, a group finds exactly the practices of its
countries, and counts what its search finds, on every way out."""

import pytest
from django.http import QueryDict

from practices.country_groups import country_groups
from practices.models import Practice
from practices.search.engines.bitsets import IndexEngine
from practices.search.engines.sql import SqlEngine
from practices.search.selector import search
from tests.factories import make_practice
from tests.searching import api_slugs, csv_slugs, html_slugs

pytestmark = pytest.mark.django_db

# One published practice in each, named "in-<code>"; skills in a few of them.
COUNTRIES = (
    "DK FI IS NO SE FO EE LV LT DE FR PL EU CH LI AL BA XK ME MK RS AM AZ BY GE MD UA TR "
    "GB RU US SG CN"
).split()
WITH_SKILLS = {"DK", "NO", "EE", "DE", "RS", "US"}
EXPECTED = {
    "eu27": {"in-dk", "in-fi", "in-se", "in-ee", "in-lv", "in-lt", "in-de", "in-fr", "in-pl", "in-eu"},
    "efta": {"in-is", "in-no", "in-ch", "in-li"},
    "nordic": {"in-dk", "in-fi", "in-is", "in-no", "in-se", "in-fo"},
    "baltic": {"in-ee", "in-lv", "in-lt"},
    "western-balkans": {"in-al", "in-ba", "in-xk", "in-me", "in-mk", "in-rs"},
    "eastern-partnership": {"in-am", "in-az", "in-by", "in-ge", "in-md", "in-ua"},
    "eu-candidates": {
        "in-al", "in-ba", "in-ge", "in-md", "in-me", "in-mk", "in-rs", "in-tr", "in-ua",
    },
    "rest-of-world": {"in-gb", "in-ru", "in-us", "in-sg", "in-cn"},
}  # fmt: skip
ENGINES = ["index", "sql"]


@pytest.fixture
def practice_a_country(taxonomies):
    for code in COUNTRIES:
        challenges = ("skills",) if code in WITH_SKILLS else ("innovation",)
        make_practice(slug=f"in-{code.lower()}", country=code, challenges=challenges)
    make_practice(slug="draft-in-no", country="NO", is_published=False)  # never found


def searched(query, engine):
    """The search on the in-memory index (every published practice) or in SQL (the same
    practices, given as a queryset)."""
    if engine == "index":
        result = search(QueryDict(query), page=1, page_size=100)
        assert isinstance(result.engine, IndexEngine)
    else:
        published = Practice.objects.published()
        result = search(QueryDict(query), page=1, page_size=100, queryset=published)
        assert isinstance(result.engine, SqlEngine)
    assert not result.errors, result.errors
    return result


def slugs(result):
    found = [practice.slug for practice in result.page.object_list]
    assert len(found) == len(set(found)) == result.count
    return set(found)


def group_facet(result):
    return next(facet for facet in result.facets if facet.param == "country_group")


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("group", list(EXPECTED))
def test_a_group_finds_exactly_the_practices_of_its_countries(practice_a_country, group, engine):
    assert slugs(searched(f"country_group={group}", engine)) == EXPECTED[group]
    # the union of its countries' practices, searched by country
    (codes,) = [sorted(g.codes) for g in country_groups() if g.slug == group]
    by_country = searched("&".join(f"country={code}" for code in codes), engine)
    assert slugs(by_country) == EXPECTED[group]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # two groups: their union, a practice in both found once
        ("country_group=nordic&country_group=baltic", EXPECTED["nordic"] | EXPECTED["baltic"]),
        ("country_group=eu27&country_group=nordic", EXPECTED["eu27"] | EXPECTED["nordic"]),
        # with another facet: AND, as across any two facets
        ("country_group=nordic&challenge=skills", {"in-dk", "in-no"}),
        ("country_group=eu-candidates&challenge=skills", {"in-rs"}),
        ("country_group=nordic&country=NO", {"in-no"}),
        ("country_group=nordic&country=DE", set()),
    ],
)
def test_groups_combine_as_any_of_them_and_with_other_facets(
    practice_a_country, query, expected, engine
):
    assert slugs(searched(query, engine)) == expected


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    "query",
    [
        "",
        "challenge=skills",
        "country_group=nordic&country_group=baltic&challenge=skills",
        "country=NO",
    ],
)
def test_each_group_counts_what_its_search_finds(practice_a_country, query, engine):
    facet = group_facet(searched(query, engine))
    assert [option.slug for option in facet.options] == list(EXPECTED)
    for option in facet.options:
        # any chosen group matches, so a group's count is that of it alone with the rest
        params = QueryDict(query, mutable=True)
        params.setlist("country_group", [option.slug])
        assert option.count == searched(params.urlencode(), engine).count, option.slug
    if not query:
        assert {o.slug: o.count for o in facet.options} == {
            group: len(found) for group, found in EXPECTED.items()
        }


def test_both_engines_count_the_groups_alike(practice_a_country):
    query = "country_group=nordic&country_group=baltic&challenge=skills"
    counts = [[(o.slug, o.count) for o in group_facet(searched(query, e)).options] for e in ENGINES]
    assert counts[0] == counts[1]
    assert dict(counts[0])["nordic"] == 2 and dict(counts[0])["rest-of-world"] == 1


def test_the_page_the_api_the_export_and_the_feed_find_the_same_group(practice_a_country, client):
    query = "country_group=nordic&challenge=skills"
    assert set(html_slugs(client, query)) == {"in-dk", "in-no"}
    assert set(api_slugs(client, query)) == {"in-dk", "in-no"}
    assert set(csv_slugs(client, query)) == {"in-dk", "in-no"}
    feed = client.get(f"/practices/feed/?{query}").content.decode()
    assert feed.count("<entry>") == 2 and "/practices/in-dk/" in feed


def test_the_api_lists_the_groups_with_counts_and_refuses_an_unknown_one(
    practice_a_country, client
):
    facets = client.get("/api/practices/?challenge=skills").json()["facets"]
    assert {o["slug"]: o["count"] for o in facets["country_group"]}["nordic"] == 2
    taxonomies = client.get("/api/taxonomies/").json()["country_group"]
    assert taxonomies["label"] == "Country group"
    assert [value["name"] for value in taxonomies["values"]][:3] == [
        "EU-27", "EFTA", "Nordic countries",
    ]  # fmt: skip
    response = client.get("/api/practices/?country_group=scandinavia")
    assert response.status_code == 400
    assert "country_group" in response.json()


def test_the_page_leaves_out_an_unknown_group_and_reads_a_known_one_whatever_its_case(
    practice_a_country, client
):
    response = client.get("/practices/?country_group=Nordic&country_group=scandinavia")
    assert response.status_code == 400  # as for any value left out: programs hear of it
    assert response.context["page"].paginator.count == len(EXPECTED["nordic"])
    (notice,) = response.context["notices"]
    assert "scandinavia" in notice and "Country group" in notice


def test_a_practice_page_links_to_the_searches_of_its_country_groups(practice_a_country, client):
    body = client.get("/practices/in-no/").content.decode()
    assert 'href="/practices/?country_group=efta"' in body
    assert 'href="/practices/?country_group=nordic"' in body
    assert "country_group=eu27" not in body
