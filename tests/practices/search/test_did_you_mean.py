import pytest
from django.http import QueryDict

from practices.search.did_you_mean import did_you_mean

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
