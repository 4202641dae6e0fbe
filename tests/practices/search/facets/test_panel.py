import pytest
from django.http import QueryDict

from practices.search.facets.registry import FACETS
from practices.search.selector import search
from tests.searching import search_practices

pytestmark = pytest.mark.django_db

# any chosen value matches: an option is counted as the only value of its facet
SINGLE_VALUED = {"territorial_validity", "typology", "country", "country_group"}


def facets_for(query_string):
    result = search(QueryDict(query_string))
    assert not result.errors
    return {facet.param: facet for facet in result.facets}


def count_by_clicking(query_string, param, slug):
    """The number of results after ticking the option, as a person would."""
    params = QueryDict(query_string, mutable=True)
    if param in SINGLE_VALUED:
        params.setlist(param, [slug])  # counted as the only value of its field
    elif slug not in params.getlist(param):
        params.appendlist(param, slug)
    return search_practices(params).qs.count()


@pytest.mark.parametrize(
    "query_string",
    [
        "",
        "challenge=skills",
        "challenge=skills&priority=green-transition",
        "challenge=skills&priority=green-transition&support=intelligence",
        "country=FI&country=DK",
        "country_group=nordic&country_group=baltic&challenge=skills",
        "q=cluster&territorial_validity=national",
        "typology=creative-digital-capitals",
    ],
)
def test_every_facet_count_equals_the_count_you_get_by_clicking(sample_practices, query_string):
    facets = facets_for(query_string)
    assert set(facets) == {spec.param for spec in FACETS}
    for param, facet in facets.items():
        # no sample practice says when it started (years are tested in test_filters)
        assert facet.options or param == "year", param
        for option in facet.options:
            assert option.count == count_by_clicking(query_string, param, option.slug), (
                param,
                option.slug,
            )


def test_choosing_a_country_does_not_zero_the_others(sample_practices):
    countries = {option.slug: option for option in facets_for("country=FI")["country"].options}
    assert countries["FI"].selected and countries["FI"].count == 1
    assert countries["DK"].count == 2 and not countries["DK"].selected
    assert countries["NO"].count == 2


def test_tag_counts_follow_the_current_results(sample_practices):
    priorities = {
        o.slug: o.count
        for o in facets_for("challenge=skills&priority=green-transition")["priority"].options
    }
    assert priorities == {"resilience": 4, "green-transition": 5, "digital-transition": 3}


def test_countries_list_only_those_with_published_practices_by_name(sample_practices):
    names = [option.name for option in facets_for("")["country"].options]
    assert names == sorted(names)
    assert len(names) == 13  # 15 practices; Norway and Denmark hold two each
    assert "Finland" in names and "Moldova" in names and "Germany" not in names


def test_countries_with_results_come_first_and_the_rest_behind_show_all(sample_practices):
    country = facets_for("country=BE&challenge=skills")["country"]
    first = [(o.name, o.count, o.selected) for o in country.shown_first]
    assert first == [
        ("Belgium", 1, True),
        ("Denmark", 2, False),
        ("Finland", 1, False),
        ("France", 1, False),
        ("Lithuania", 1, False),
        ("Norway", 1, False),
        ("Portugal", 1, False),
        ("Türkiye", 1, False),
    ]
    behind = [option.name for option in country.behind_show_all]
    assert behind == ["Cyprus", "Latvia", "Moldova", "Montenegro", "Poland"]
    assert all(option.count == 0 for option in country.behind_show_all)
    # nothing folded where every country has results, nor in another facet
    assert not facets_for("")["country"].behind_show_all
    typology = facets_for("country=FI")["typology"]
    assert typology.shown_first == typology.options and not typology.behind_show_all


def test_a_chosen_country_without_results_stays_in_sight(sample_practices):
    country = facets_for("country=CY&challenge=value-chains&country_group=baltic")["country"]
    assert ("Cyprus", 0) in [(o.name, o.count) for o in country.shown_first]


def test_an_option_with_no_results_shows_zero(sample_practices):
    typologies = {o.slug: o.count for o in facets_for("country=FI")["typology"].options}
    assert typologies["creative-digital-capitals"] == 1
    assert typologies["agri-textile"] == 0


def test_each_option_knows_the_query_that_toggles_it(sample_practices):
    support = {
        o.slug: o for o in facets_for("challenge=skills&support=intelligence")["support"].options
    }
    assert support["intelligence"].toggle_query == "challenge=skills"
    assert (
        support["networking"].toggle_query
        == "challenge=skills&support=intelligence&support=networking"
    )


def test_recommendations_read_with_their_number_and_short_name(sample_practices, client):
    recommendation = facets_for("")["recommendation"].options[4]
    assert recommendation.name == "5. Green transition intermediaries"
    assert recommendation.count == 1
    # the same name in a chip and in the API's facets; the full one on the practice's page
    page = client.get("/practices/?recommendation=r12")
    assert ("Expert-group recommendation: 12. Local labour markets", "") in page.context["chips"]
    api = client.get("/api/practices/?recommendation=r12").json()["facets"]["recommendation"]
    assert {"slug": "r12", "name": "12. Local labour markets", "count": 1} in api
    detail = client.get("/practices/newco-helsinki/").content.decode()
    assert "BUILD RESILIENCE: Develop an active role of clusters in local labour markets" in detail
