import pytest
from django.http import QueryDict

from practices.search.did_you_mean import did_you_mean
from tests.factories import make_practice

pytestmark = pytest.mark.django_db


def test_a_misspelt_query_gets_the_corrected_words(sample_practices):
    suggestions = did_you_mean("inovation netwrks", QueryDict())
    assert suggestions[0].label == "innovation networks"
    assert suggestions[0].query_string == "q=innovation+networks"


def test_a_word_like_a_tag_suggests_the_filter_instead_of_the_keywords(sample_practices):
    suggestions = did_you_mean("skils", QueryDict("country=FI"))
    assert ("Strategic challenge: Skills", "country=FI&challenge=skills") in [
        (s.label, s.query_string) for s in suggestions
    ]


def test_nonsense_gets_no_suggestion(sample_practices):
    assert did_you_mean("zzzz qqqq", QueryDict()) == []


def test_the_page_offers_suggestions_when_nothing_is_found(sample_practices, client):
    content = client.get("/practices/", {"q": "helsinkki"}).content.decode()
    assert "Did you mean:" in content
    assert '<a href="?q=helsinki">helsinki</a>' in content


def test_a_value_without_practices_is_never_suggested(taxonomies):
    make_practice(slug="innovating", challenges=["innovation"], country="FI")
    assert did_you_mean("skils", QueryDict()) == []  # Skills: a name alike, no practice
    (innovation,) = did_you_mean("inovation", QueryDict())
    assert (innovation.label, innovation.count) == ("Strategic challenge: Innovation", 1)
    assert did_you_mean("inovation", QueryDict("country=DK")) == []  # none in Denmark


def test_only_a_search_with_filters_is_told_to_remove_one(sample_practices, client):
    keywords_only = " ".join(client.get("/practices/?q=zzzz").content.decode().split())
    assert "Try removing a filter" not in keywords_only
    assert "Try other or fewer words." in keywords_only
    filtered = " ".join(client.get("/practices/?q=zzzz&country=FI").content.decode().split())
    assert "Try removing a filter" in filtered
