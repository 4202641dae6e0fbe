"""The Atom feed of a search."""

import xml.etree.ElementTree as ElementTree

import pytest

from tests.factories import make_practice
from tests.searching import html_slugs

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def feed_of(client, query):
    response = client.get(f"/practices/feed/?{query}")
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/atom+xml")
    return ElementTree.fromstring(response.content)  # noqa: S314 - our own feed


def slugs_of(feed):
    return [
        entry.find(f"{ATOM}link").get("href").rstrip("/").rsplit("/", 1)[1]
        for entry in feed.findall(f"{ATOM}entry")
    ]


@pytest.mark.parametrize(
    "query",
    ["", "challenge=skills&priority=green-transition", "country=DK", "q=cluster&country=FI"],
)
def test_the_feed_lists_the_search_most_recently_updated_first(sample_practices, client, query):
    make_practice(slug="draft", is_published=False, challenges=["skills"], country="DK")
    feed = feed_of(client, query)
    assert slugs_of(feed) == html_slugs(client, f"{query}&sort=-updated")
    assert "draft" not in slugs_of(feed)
    for entry in feed.findall(f"{ATOM}entry"):  # what Atom 1.0 requires of an entry
        assert entry.find(f"{ATOM}id").text and entry.find(f"{ATOM}title").text
        assert entry.find(f"{ATOM}updated").text


def test_the_feed_is_titled_after_its_search_and_links_back(sample_practices, client):
    feed = feed_of(client, "challenge=skills&country=DK")
    assert feed.find(f"{ATOM}title").text == "Cluster Policy Toolkit: Skills, Denmark"
    links = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}
    assert links["alternate"].endswith("/practices/?challenge=skills&country=DK")
    assert links["self"].endswith("/practices/feed/?challenge=skills&country=DK")
    assert feed.find(f"{ATOM}updated").text


def test_the_feed_names_its_author_as_atom_requires(sample_practices, client):
    author = feed_of(client, "country=DK").find(f"{ATOM}author")
    assert author is not None and author.find(f"{ATOM}name").text == "Cluster Policy Toolkit"


def test_the_feed_holds_at_most_fifty(taxonomies, client):
    for number in range(55):
        make_practice(slug=f"p{number}")
    assert len(slugs_of(feed_of(client, ""))) == 50


def test_a_bad_search_gets_a_400_naming_it(sample_practices, client):
    response = client.get("/practices/feed/?challenge=garbage")
    assert response.status_code == 400
    assert "Strategic challenges (challenge)" in response.content.decode()


def test_the_search_page_links_to_its_feed(sample_practices, client):
    content = client.get("/practices/?challenge=skills").content.decode()
    assert (
        '<link rel="alternate" type="application/atom+xml" title="Feed of this search" '
        'href="/practices/feed/?challenge=skills">'
    ) in content
