"""Overview pages kept per state of the data (explore/page_cache.py): a second visit costs
two small queries, and any write the page shows (a practice, a taxonomy, a factsheet) is seen
at once."""

import pytest

from factsheets.models import CountryFactsheet
from practices.models import Practice
from tests.factories import make_practice

pytestmark = pytest.mark.django_db

PAGES = ["/themes/", "/countries/dk/", "/compare/?country=DK&country=FI"]


@pytest.mark.parametrize("path", PAGES)
def test_a_second_visit_is_the_same_page_from_the_cache(
    sample_practices, client, django_assert_max_num_queries, path
):
    first = client.get(path)
    assert first.status_code == 200
    with django_assert_max_num_queries(2):  # the data version and the factsheets' last save
        second = client.get(path)
    assert second.status_code == 200
    assert second.content == first.content


@pytest.mark.parametrize("path", PAGES)
def test_a_published_practice_shows_at_once(sample_practices, client, path):
    before = client.get(path).content.decode()
    make_practice(slug="new-one", title="A brand new Danish practice", country="DK",
                  challenges=["skills"], recommendations=["r12"])  # fmt: skip
    after = client.get(path).content.decode()
    assert after != before
    danish = Practice.objects.published().filter(country="DK").count()
    if path == "/countries/dk/":
        assert "A brand new Danish practice" in after and f"{danish} practices" in after


def test_a_factsheet_edit_shows_at_once_on_the_country_page(sample_practices, client):
    client.get("/countries/dk/")
    CountryFactsheet.objects.create(country="DK", objectives="Clusters for each strength.")
    assert "Clusters for each strength." in client.get("/countries/dk/").content.decode()


def test_a_refused_comparison_is_not_kept(sample_practices, client, django_assert_num_queries):
    assert client.get("/compare/?country=DK").status_code == 400
    again = client.get("/compare/?country=DK")
    assert again.status_code == 400 and again.context is not None  # drawn anew, not kept
