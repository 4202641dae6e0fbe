"""The search page as a person uses it: counts, pages, chips, messages and query budget."""

import re

import pytest

from tests.factories import make_practice

pytestmark = pytest.mark.django_db

# Bounded, whatever the number of practices: count + page + three tag prefetches + one aggregate
# per facet + the taxonomy lists + validating the chosen slugs.
LIST_PAGE_QUERY_BUDGET = 24


def result_count(response):
    content = response.content.decode()
    start = content.index('id="result-count">') + len('id="result-count">')
    text = content[start : content.index("</h2>", start)]
    return re.sub(r"<[^>]+>", "", text)


def listed_slugs(response):
    return [practice.slug for practice in response.context["page"].object_list]


def test_the_count_line_reads_like_the_platform(sample_practices, client):
    response = client.get("/practices/", {"challenge": "skills"})
    assert " ".join(result_count(response).split()) == "9 practices"
    response = client.get("/practices/", {"page": "2"})
    assert " ".join(result_count(response).split()) == "15 practices, 11–15 shown"
    one = client.get("/practices/", {"q": "afnor"})
    assert " ".join(result_count(one).split()) == "1 practice"
    assert "Download this practice as CSV" in one.content.decode()
    assert len(listed_slugs(response)) == 5


def test_ten_practices_a_page_and_the_pages_are_navigable(sample_practices, client):
    first = client.get("/practices/")
    assert len(listed_slugs(first)) == 10
    content = first.content.decode()
    assert 'href="?page=2" rel="next"' in content
    second = client.get("/practices/", {"page": 2})
    assert set(listed_slugs(first)).isdisjoint(listed_slugs(second))


def test_page_links_keep_the_filters(sample_practices, client):
    content = client.get("/practices/", {"challenge": "innovation"}).content.decode()
    assert 'href="?challenge=innovation&amp;page=2" rel="next"' in content


def test_selected_filters_show_as_removable_chips(sample_practices, client):
    response = client.get("/practices/?challenge=skills&priority=green-transition&q=cluster")
    content = response.content.decode()
    assert response.context["chips"] == [
        ("Keywords: cluster", "challenge=skills&priority=green-transition"),
        ("Strategic challenges: Skills", "q=cluster&priority=green-transition"),
        ("Thematic priority: Green transition", "q=cluster&challenge=skills"),
    ]
    assert 'href="/practices/?q=cluster&amp;challenge=skills"' in content
    assert "Clear all" in content


def test_checked_boxes_and_counts_reflect_the_search(sample_practices, client):
    content = client.get("/practices/?challenge=skills").content.decode()
    assert 'name="challenge" value="skills" id="challenge-skills" checked' in content
    assert 'name="priority" value="green-transition" id="priority-green-transition">' in content
    assert 'Green transition <span class="count" data-count="5">' in content


def test_an_unknown_value_is_left_out_with_a_notice_and_the_rest_is_searched(
    sample_practices, client
):
    response = client.get("/practices/?challenge=garbage&priority=green-transition")
    assert response.status_code == 400  # the page shows the rest; programs hear of the mistake
    content = response.content.decode()
    assert (
        "“garbage” is not a value of “Strategic challenges”: it was left out, and the rest of "
        "your search is shown."
    ) in content
    shown = {practice.slug for practice in response.context["page"].object_list}
    assert shown == set(found_slugs("priority=green-transition")) and len(shown) == 8
    assert response.context["query_string"] == "priority=green-transition"


def test_values_are_read_whatever_their_case(sample_practices, client):
    response = client.get("/practices/?country=dk&priority=Green-Transition&priority_match=ANY")
    assert response.status_code == 200
    assert not response.context["notices"]
    assert response.context["query_string"] == (
        "priority=green-transition&priority_match=any&country=DK"
    )
    assert {p.slug for p in response.context["page"].object_list} == set(
        found_slugs("country=DK&priority=green-transition")
    )


def test_keywords_without_a_word_are_left_out_with_a_notice(sample_practices, client):
    response = client.get("/practices/?q=%40%23%24%25&country=FI")
    assert response.status_code == 200
    assert "“@#$%” has no word to search for, so it was left out." in response.content.decode()
    assert response.context["query_string"] == "country=FI"
    assert not any(label.startswith("Keywords") for label, _ in response.context["chips"])


def test_the_api_stays_strict_about_unknown_values(sample_practices, client):
    response = client.get("/api/practices/?challenge=garbage&priority=green-transition")
    assert response.status_code == 400
    assert "challenge" in response.json()


@pytest.mark.parametrize("page", ["two", "-1", "1.5", "0", "²"])
def test_a_page_that_is_not_a_page_number_gets_a_message_and_400(sample_practices, client, page):
    response = client.get("/practices/", {"page": page})
    assert response.status_code == 400
    assert b'role="alert"' in response.content
    assert "Page (page): A whole number from 1, such as page=2." in response.content.decode()
    # the API reads page numbers the same way
    assert client.get("/api/practices/", {"page": page}).status_code == 400


def test_an_oversized_page_number_gets_a_message_and_404(sample_practices, client):
    response = client.get("/practices/", {"page": "999999999999999999999999"})
    assert response.status_code == 404
    assert "they fill 2 pages" in response.content.decode()


def test_a_search_with_no_results_says_so(sample_practices, client):
    response = client.get("/practices/", {"q": "zeppelin"})
    assert response.status_code == 200
    assert "No practices match this search" in response.content.decode()


def test_html_in_keywords_is_escaped(sample_practices, client):
    content = client.get("/practices/", {"q": "<script>alert(1)</script>"}).content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


def test_the_page_works_without_javascript_as_a_get_form(sample_practices, client):
    content = client.get("/practices/").content.decode()
    assert '<form class="search" id="search" method="get" action="/practices/"' in content
    assert '<button type="submit" class="apply">Apply filters</button>' in content
    assert '<a class="filters-toggle" href="#filters"' in content  # a plain link to the panel
    # one script, from a file, deferred: the page is whole before it runs, and without it
    assert content.count("<script") == 1
    assert '<script src="/static/js/search.js" defer></script>' in content


@pytest.mark.parametrize("number_of_practices", [10, 200])
def test_list_page_query_count_does_not_grow_with_the_data(
    taxonomies, client, django_assert_max_num_queries, number_of_practices
):
    for number in range(number_of_practices):
        make_practice(
            priorities=["resilience", "green-transition"][: number % 3],
            challenges=["skills", "innovation"],
            support=["intelligence"],
            recommendations=[f"r{number % 15 + 1}"],
            country=["FI", "DK", "FR", "NO"][number % 4],
        )
    with django_assert_max_num_queries(LIST_PAGE_QUERY_BUDGET):
        response = client.get(
            "/practices/?challenge=skills&priority=resilience&country=FI&country=DK&q=practice"
        )
    assert response.status_code == 200
    with django_assert_max_num_queries(LIST_PAGE_QUERY_BUDGET):
        assert client.get("/practices/").status_code == 200


def found_slugs(query_string):
    from django.http import QueryDict

    from tests.searching import search_practices

    return list(search_practices(QueryDict(query_string)).qs.values_list("slug", flat=True))


def test_a_form_sent_without_javascript_lands_on_the_short_address(sample_practices, client):
    response = client.get(
        "/practices/?q=&sort=&challenge_match=all&challenge=skills&priority_match=any"
        "&priority=resilience&support_match=all"
    )
    assert response.status_code == 302
    assert response["Location"] == (
        "/practices/?challenge=skills&priority_match=any&priority=resilience"
    )
    assert client.get("/practices/?challenge=skills").status_code == 200
