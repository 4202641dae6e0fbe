"""The comparison page (practices.views.practice_compare) and the ways to it: the search
page's tray and cards, a practice's page."""

import re
import shutil

import pytest
from django.core.cache import cache

from tests.factories import make_practice
from tests.html_checker import html_errors

pytestmark = pytest.mark.django_db

THREE = "/compare/practices/?p=innovation-networks-denmark&p=newco-helsinki&p=circular-flanders"


def text_of(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_comparison_links_each_column_to_its_practice_and_marks_shared_and_differing(
    sample_practices, client
):
    response = client.get(THREE)
    assert response.status_code == 200
    page = response.content.decode()
    for slug in ["innovation-networks-denmark", "newco-helsinki", "circular-flanders"]:
        assert f'<a class="compare-title" href="/practices/{slug}/">' in page
    assert '<caption id="compare-caption">3 practices, field by field</caption>' in page
    assert 'role="region" aria-labelledby="compare-caption"' in page and 'tabindex="0"' in page
    assert '<meta name="robots" content="noindex">' in page
    # the marks read out, not shown by colour alone
    assert "(shared by all)" in page
    assert text_of(page).count("Differs") >= 3
    assert '<th scope="row">Country <span class="row-mark">Differs</span></th>' in page


def test_the_page_asks_the_same_few_queries_for_two_practices_or_four(
    sample_practices, client, django_assert_max_num_queries
):
    two = "/compare/practices/?p=innovation-networks-denmark&p=newco-helsinki"
    four = THREE + "&p=cluster-programme-latvia"
    for address in (two, four):
        # the practices, their single values, one query for each tag relation
        with django_assert_max_num_queries(7):
            assert client.get(address).status_code == 200


@pytest.mark.parametrize(
    ("address", "status", "message", "way_on"),
    [
        ("/compare/practices/", 400, "Choose at least 2 practices", "/practices/"),
        (
            "/compare/practices/?p=newco-helsinki",
            400,
            "Choose at least 2 practices",
            "/practices/?p=newco-helsinki",
        ),
        (
            "/compare/practices/?p=newco-helsinki&p=newco-helsinki&p=circular-flanders",
            400,
            "“newco-helsinki” is chosen 2 times",
            "/compare/practices/?p=newco-helsinki&amp;p=circular-flanders",
        ),
        (
            "/compare/practices/?p=newco-helsinki&p=circular-flanders&p=nope",
            404,
            "“nope” is not a published practice",
            "/compare/practices/?p=newco-helsinki&amp;p=circular-flanders",
        ),
        (
            "/compare/practices/?p=a&p=b&p=c&p=d&p=e",
            400,
            "at most 4 can be compared",
            "/compare/practices/?p=a&amp;p=b&amp;p=c&amp;p=d",
        ),
    ],
)
def test_a_choice_it_cannot_compare_answers_4xx_with_a_page_to_go_on_from(
    sample_practices, client, address, status, message, way_on
):
    response = client.get(address)
    page = response.content.decode()
    assert response.status_code == status
    assert '<div class="problems" role="alert">' in page and message in page
    assert f'href="{way_on}"' in page
    assert "<table" not in page


def test_an_unpublished_practice_is_never_compared(sample_practices, client):
    make_practice(slug="a-draft", title="A secret draft", is_published=False)
    response = client.get("/compare/practices/?p=newco-helsinki&p=circular-flanders&p=a-draft")
    assert response.status_code == 404
    assert "A secret draft" not in response.content.decode()


# The search page carries the choice.


def listed(response):
    return [practice.slug for practice in response.context["page"].object_list]


def test_the_search_ignores_the_choice_and_its_links_and_form_carry_it(sample_practices, client):
    plain = client.get("/practices/?territorial_validity=national")
    carried = client.get(
        "/practices/?territorial_validity=national&p=newco-helsinki&p=circular-flanders"
    )
    assert carried.status_code == 200
    assert listed(carried) == listed(plain)
    assert carried.context["page"].paginator.count == plain.context["page"].paginator.count
    page = carried.content.decode()
    assert '<input type="hidden" name="p" value="newco-helsinki">' in page
    assert '<input type="hidden" name="p" value="circular-flanders">' in page
    # the pages, the chips and "Clear all" keep it; the exports and the feed do not need it
    assert carried.context["page"].paginator.num_pages == 2
    assert (
        'href="?territorial_validity=national&amp;p=newco-helsinki&amp;p=circular-flanders'
        '&amp;page=2"' in page
    )
    assert (
        'href="/practices/?p=newco-helsinki&amp;p=circular-flanders">Territorial validity' in page
    )
    assert 'href="/practices/?p=newco-helsinki&amp;p=circular-flanders">Clear all' in page
    assert 'href="/practices/export.csv?territorial_validity=national"' in page
    assert 'href="/compare/practices/?p=newco-helsinki&amp;p=circular-flanders">Compare (2)' in page


def test_the_tray_lists_the_choice_with_removal_links_and_each_card_adds_or_removes(
    sample_practices, client
):
    page = client.get("/practices/?challenge=skills&p=newco-helsinki").content.decode()
    tray = page.split('<section class="compare-tray"', 1)[1].split("</section>", 1)[0]
    assert 'Your comparison <span class="count">(1 of 4)</span>' in tray
    assert '<a class="remove" href="?challenge=skills">Remove' in tray
    assert "Add at least one more practice to compare." in tray
    assert (
        'href="?challenge=skills#practice-newco-helsinki" aria-describedby="title-newco-helsinki">'
        "Remove from comparison" in page
    )
    assert (
        'href="?challenge=skills&amp;p=newco-helsinki&amp;p=innovation-networks-denmark'
        '#practice-innovation-networks-denmark" aria-describedby="title-innovation-networks-denmark">'
        "Add to comparison" in page
    )


def test_a_full_choice_offers_no_more_adding_and_says_why(sample_practices, client):
    four = "p=newco-helsinki&p=circular-flanders&p=innovation-networks-denmark&p=cluster-programme-latvia"
    page = client.get(f"/practices/?{four}&p=cluster-policy-poland").content.decode()
    assert "At most 4 practices can be compared: the first 4 you chose are kept." in page
    assert "You have chosen the most that can be compared: remove one to add another." in page
    assert ">Add to comparison</a>" not in page
    assert page.count('<input type="hidden" name="p"') == 4


def test_a_choice_costs_the_search_page_one_query(sample_practices, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get("/practices/?challenge=skills")  # the index and the panel, kept
    with CaptureQueriesContext(connection) as plain:
        client.get("/practices/?challenge=skills")
    with CaptureQueriesContext(connection) as carried:
        client.get("/practices/?challenge=skills&p=newco-helsinki&p=circular-flanders")
    assert len(carried) == len(plain) + 1


def test_the_export_feed_and_api_ignore_the_choice(sample_practices, client):
    for address in ["/practices/export.csv", "/practices/feed/", "/api/practices/"]:
        plain = client.get(f"{address}?challenge=skills")
        carried = client.get(f"{address}?challenge=skills&p=newco-helsinki")
        assert carried.status_code == plain.status_code == 200, address
        body = b"".join(carried) if carried.streaming else carried.content
        plain_body = b"".join(plain) if plain.streaming else plain.content
        assert body.count(b"newco") == plain_body.count(b"newco"), address


# A practice's page


def test_a_practice_page_offers_to_add_it_to_a_comparison(sample_practices, client):
    cache.clear()
    page = client.get("/practices/newco-helsinki/").content.decode()
    assert (
        '<a class="compare-add" href="/practices/?p=newco-helsinki#practice-newco-helsinki">'
        "Add to comparison</a>" in page
    )
    from_search = client.get(
        "/practices/newco-helsinki/",
        HTTP_REFERER="http://testserver/practices/?challenge=skills&p=circular-flanders",
    ).content.decode()
    assert (
        'href="/practices/?challenge=skills&amp;p=circular-flanders&amp;p=newco-helsinki'
        '#practice-newco-helsinki">Add to comparison</a>' in from_search
    )
    assert (
        'href="/compare/practices/?p=circular-flanders&amp;p=newco-helsinki">'
        "Compare it with the 1 practice chosen</a>" in from_search
    )


@pytest.mark.html_checker
@pytest.mark.skipif(shutil.which("java") is None, reason="the Nu HTML checker runs on Java")
def test_the_nu_html_checker_finds_no_error_in_the_comparison_and_the_ways_to_it(
    sample_practices, client, tmp_path
):
    cache.clear()
    pages = {
        "comparison": client.get(THREE),
        "refused": client.get("/compare/practices/?p=newco-helsinki&p=nope"),
        "search-with-a-choice": client.get("/practices/?challenge=skills&p=newco-helsinki"),
        "practice-from-a-search": client.get(
            "/practices/newco-helsinki/",
            HTTP_REFERER="http://testserver/practices/?p=circular-flanders",
        ),
    }
    assert [response.status_code for response in pages.values()] == [200, 404, 200, 200]
    assert html_errors(pages, tmp_path) == []
