"""Related practices on a practice's page."""

import pytest

from practices.models import Practice
from practices.search.related import related_to
from tests.factories import make_practice

pytestmark = pytest.mark.django_db


def related_slugs(slug):
    practice = Practice.objects.with_tags().get(slug=slug)
    return [(item.practice.slug, item.shared) for item in related_to(practice)]


def test_the_most_shared_tags_come_first_with_the_reason(taxonomies):
    make_practice(slug="me", challenges=["skills", "innovation"], priorities=["green-transition"],
                  support=["networking"], description="Green skills for textile clusters.")  # fmt: skip
    make_practice(slug="all-three", challenges=["skills"], priorities=["green-transition"],
                  support=["networking"])  # fmt: skip
    make_practice(slug="one", challenges=["innovation"], support=["intelligence"])
    make_practice(slug="none", challenges=["value-chains"], support=["business-services"])
    make_practice(slug="draft", challenges=["skills", "innovation"], priorities=["green-transition"],
                  support=["networking"], is_published=False)  # fmt: skip
    assert related_slugs("me") == [
        ("all-three", ["Skills", "Green transition", "Networking"]),
        ("one", ["Innovation"]),
    ]


def test_among_equals_the_closest_text_comes_first(taxonomies):
    make_practice(slug="me", challenges=["skills"], description="Hydrogen valleys and fuel cells.")
    make_practice(
        slug="far", title="Far", challenges=["skills"], description="Tourism in the Alps."
    )
    make_practice(
        slug="near", title="Near", challenges=["skills"], description="Hydrogen fuel cells."
    )
    assert [slug for slug, _ in related_slugs("me")] == ["near", "far"]


def test_never_itself_a_draft_or_more_than_five(sample_practices, client):
    for slug in Practice.objects.published().values_list("slug", flat=True):
        found = [related for related, _ in related_slugs(slug)]
        assert slug not in found and len(found) <= 5
        assert set(found) <= set(Practice.objects.published().values_list("slug", flat=True))
    content = client.get("/practices/newco-helsinki/").content.decode()
    assert "Related practices" in content and "shares" in content
