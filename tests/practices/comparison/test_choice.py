import pytest
from django.http import QueryDict

from practices.comparison.choice import (
    Choice,
    choice_of,
    chosen_slugs,
    mark_cards,
    practice_page_choice,
    tray_links,
)
from practices.models import Practice
from tests.factories import make_practice

pytestmark = pytest.mark.django_db


@pytest.fixture
def five(taxonomies):
    return [make_practice(slug=slug, title=slug.title()) for slug in "abcde"]


def test_the_chosen_slugs_keep_the_addresss_order_and_its_repeats_without_blanks():
    assert chosen_slugs(QueryDict("p=b&p=a&p=&p=%20&p=b&q=x")) == ["b", "a", "b"]


def test_an_address_without_a_choice_asks_the_database_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert choice_of(QueryDict("challenge=skills")) == Choice()


def test_the_choice_keeps_published_practices_once_in_order_and_says_what_it_left_out(
    five, django_assert_num_queries
):
    make_practice(slug="draft", is_published=False)
    with django_assert_num_queries(1):
        choice = choice_of(QueryDict("p=c&p=draft&p=a&p=c&p=gone"))
    assert choice.slugs == ["c", "a"]
    assert choice.notices == [
        "“draft” is not a published practice: it was left out of your comparison.",
        "“gone” is not a published practice: it was left out of your comparison.",
    ]
    assert choice.query == "p=c&p=a" and not choice.full
    assert choice.compare_href == "/compare/practices/?p=c&p=a"


def test_the_choice_keeps_the_first_four_of_more(five):
    choice = choice_of(QueryDict("p=e&p=d&p=c&p=b&p=a"))
    assert choice.slugs == ["e", "d", "c", "b"] and choice.full
    assert choice.notices == [
        "At most 4 practices can be compared: the first 4 you chose are kept."
    ]


def test_each_card_adds_its_practice_or_removes_it_and_comes_back_to_itself(five):
    choice = choice_of(QueryDict("p=b"))
    cards = list(Practice.objects.filter(slug__in=["a", "b"]))
    mark_cards(cards, choice, "challenge=skills&page=2")
    a, b = cards
    assert (a.compared, b.compared) == (False, True)
    assert a.compare_toggle_href == "?challenge=skills&page=2&p=b&p=a#practice-a"
    assert b.compare_toggle_href == "?challenge=skills&page=2#practice-b"
    mark_cards(cards, choice, "")
    assert a.compare_toggle_href == "?p=b&p=a#practice-a"


def test_the_tray_removes_each_chosen_practice_from_the_same_search(five):
    choice = choice_of(QueryDict("p=a&p=b"))
    assert [(practice.slug, href) for practice, href in tray_links(choice, "q=x")] == [
        ("a", "?q=x&p=b"),
        ("b", "?q=x&p=a"),
    ]


def test_a_practice_page_adds_itself_to_the_choice_of_the_search_it_came_from(five):
    (a, b, c, d, e) = five
    from_search = "/practices/?challenge=skills&p=b&page=2"
    assert practice_page_choice(a, from_search) == {
        "chosen": False,
        "full": False,
        "others": 1,
        "most": 4,
        "add_href": "/practices/?challenge=skills&page=2&p=b&p=a#practice-a",
        "back_href": "/practices/?challenge=skills&page=2&p=b",
        "compare_href": "/compare/practices/?p=b&p=a",
    }
    chosen = practice_page_choice(b, from_search)
    assert chosen["chosen"] and chosen["back_href"] == "/practices/?challenge=skills&page=2"
    full = practice_page_choice(e, "/practices/?p=a&p=b&p=c&p=d")
    assert full["full"] and full["back_href"] == "/practices/?p=a&p=b&p=c&p=d"


def test_a_practice_page_opened_from_elsewhere_starts_a_choice_on_the_search_page(five):
    assert practice_page_choice(five[0], None) == {
        "chosen": False,
        "full": False,
        "others": 0,
        "most": 4,
        "add_href": "/practices/?p=a#practice-a",
        "back_href": "/practices/",
        "compare_href": "",
    }
