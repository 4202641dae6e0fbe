"""The interface's languages: English alone switched on, the machinery ready for the other eight."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

from practices.models import Practice

pytestmark = pytest.mark.django_db

TEMPLATES_DIR = Path(settings.BASE_DIR) / "templates"
WITH_FRENCH = [("en", "English"), ("fr", "Français")]


def test_nine_languages_are_declared_and_english_alone_is_switched_on():
    assert [code for code, _name, _complete in settings.INTERFACE_LANGUAGES] == [
        "en", "de", "fr", "it", "es", "pl", "ro", "nl", "pt",
    ]  # fmt: skip
    assert settings.LANGUAGES == [("en", "English")]
    assert settings.LANGUAGE_CODE == "en"


def test_english_pages_keep_their_unprefixed_addresses_and_show_no_switcher(client):
    response = client.get("/practices/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in html
    assert "hreflang" not in html
    assert "language-switcher" not in html
    # a browser asking for French gets English, never a redirect
    response = client.get("/practices/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()
    assert client.get("/fr/practices/").status_code == 404


@override_settings(LANGUAGES=WITH_FRENCH)
def test_a_second_language_answers_under_its_prefix_with_switcher_and_hreflang(client):
    response = client.get("/fr/practices/?q=skills&country=DE")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fr">' in html
    # both versions named, the search kept
    assert (
        '<link rel="alternate" hreflang="en" href="http://testserver/practices/?q=skills&amp;country=DE">'
        in html
    )
    assert (
        '<link rel="alternate" hreflang="fr" href="http://testserver/fr/practices/?q=skills&amp;country=DE">'
        in html
    )
    switcher = re.search(r'<nav class="language-switcher".*?</nav>', html, re.S).group()
    assert (
        'href="/practices/?q=skills&amp;country=DE" hreflang="en" lang="en">English</a>' in switcher
    )
    assert 'hreflang="fr" lang="fr" aria-current="true">Français</a>' in switcher
    # English stays unprefixed, and says so
    response = client.get("/practices/")
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()


@override_settings(LANGUAGES=WITH_FRENCH)
def test_machine_addresses_stay_outside_the_language_prefix(client):
    assert client.get("/healthz").status_code == 200
    assert client.get("/fr/healthz").status_code == 404
    assert client.get(settings.API_PREFIX.rstrip("/") + "/").status_code != 404
    assert client.get("/fr" + settings.API_PREFIX).status_code == 404
    assert client.get("/fr/admin/").status_code == 404


# Left in English for now: what only staff see (the admin's, the curators' workspace), and the
# API's documentation, a page drawn from the OpenAPI description, which stays English with it.
ENGLISH_TEMPLATES = ("admin/", "curation/", "api/")
# Attributes a visitor reads or hears: their values are interface text too.
READ_ATTRIBUTES = re.compile(r'\b(?:aria-label|title|placeholder|alt)="([^"]*)"')
# Words that are the same in every language (names, not interface text).
SAME_IN_EVERY_LANGUAGE = {"CC", "BY", "JSON", "Excel", "EC", "OECD", "STIP", "Compass"}


def untranslated_words(source):
    """The visible English words of a template's source once translated text is set aside."""
    text = re.sub(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", " ", source, flags=re.S)
    text = re.sub(r"{#.*?#}", " ", text, flags=re.S)
    text = re.sub(r"{%\s*blocktranslate\b.*?{%\s*endblocktranslate\s*%}", " ", text, flags=re.S)
    text = re.sub(r"{%\s*translate\b.*?%}", " ", text)
    text = re.sub(r"{{.*?}}", " ", text, flags=re.S)
    # a literal argument of a tag or filter may be visible: default:"None given"
    literals = re.findall(r'{%[^%]*?:"([^"]*)"', text)
    text = re.sub(r"{%.*?%}", " ", text, flags=re.S)
    read = READ_ATTRIBUTES.findall(text)
    text = re.sub(r"<[^>]*>", " ", text)
    text = re.sub(r"&\w+;", " ", text)
    words = re.findall(r"[A-Za-z][A-Za-z’']+", " ".join([text, *read, *literals]))
    return [word for word in words if word not in SAME_IN_EVERY_LANGUAGE]


def public_templates():
    for path in sorted(TEMPLATES_DIR.rglob("*.html")):
        name = path.relative_to(TEMPLATES_DIR).as_posix()
        if not name.startswith(ENGLISH_TEMPLATES):
            yield name, path


@pytest.mark.parametrize(("name", "path"), list(public_templates()), ids=lambda v: str(v))
def test_no_public_template_leaves_english_outside_the_translation_machinery(name, path):
    assert untranslated_words(path.read_text()) == [], name


def test_the_check_sees_text_left_outside():
    assert untranslated_words('<p title="Open it">{% translate "Hi" %} Search</p>') == [
        "Search",
        "Open",
        "it",
    ]
    assert untranslated_words("{% blocktranslate %}Two\nlines{% endblocktranslate %}") == []
    assert untranslated_words('{{ empty|default:"None given" }}') == []


@override_settings(LANGUAGES=WITH_FRENCH)
def test_an_unprefixed_address_stays_english_whatever_the_browser_asks(client):
    response = client.get("/practices/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_makemessages_finds_the_interface_strings(tmp_path, monkeypatch):
    # the sources seen through links from a folder of their own, so that the catalogue is
    # written there and not into the project's locale/
    sources = tmp_path / "sources"
    sources.mkdir()
    for name in ("templates", "toolkit", "practices", "explore", "factsheets", "opendata"):
        (sources / name).symlink_to(Path(settings.BASE_DIR) / name)
    monkeypatch.chdir(sources)
    with override_settings(LOCALE_PATHS=[tmp_path]):
        call_command("makemessages", locale=["de"], symlinks=True, verbosity=0)
    catalogue = (tmp_path / "de" / "LC_MESSAGES" / "django.po").read_text()
    assert 'msgid "Skip to main content"' in catalogue  # a template's {% translate %}
    assert 'msgid_plural "%(counter)s practices"' in catalogue  # a count's plural forms
    assert 'msgid "Strategic challenges (optional)"' in catalogue  # a form's label
    assert 'msgid "Type of cluster support"' in catalogue  # a facet's label
    # every template tag made a well-formed entry: msgfmt checks the placeholders
    po_file = tmp_path / "de" / "LC_MESSAGES" / "django.po"
    subprocess.run(["msgfmt", "--check", "-o", str(tmp_path / "de.mo"), str(po_file)], check=True)


@override_settings(LANGUAGES=WITH_FRENCH)
def test_every_public_page_answers_in_a_second_language(sample_practices, client):
    practice = Practice.objects.published().first()
    pages = [
        "/fr/",
        "/fr/practices/",
        "/fr/practices/?q=skills",
        "/fr/themes/",
        "/fr/typologies/",
        "/fr/countries/",
        "/fr/data/",
        "/fr/practices/suggest/",
        f"/fr/practices/{practice.slug}/",
        f"/fr/countries/{practice.country.code.lower()}/",
    ]
    for address in pages:
        response = client.get(address)
        assert response.status_code == 200, address
        html = response.content.decode()
        assert '<html lang="fr">' in html, address
        assert 'hreflang="en"' in html, address
