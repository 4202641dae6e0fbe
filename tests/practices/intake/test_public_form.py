"""Suggest a practice: the public form, the draft it makes, and its protections."""

import shutil
from html.parser import HTMLParser

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.mail.backends.base import BaseEmailBackend
from django.test import override_settings
from django.urls import reverse

from practices.models import Practice, Suggestion
from practices.publication import MIN_DESCRIPTION_LENGTH, problems_of
from tests.html_checker import html_errors

pytestmark = pytest.mark.django_db

URL = "/practices/suggest/"
DESCRIPTION = (
    "A regional programme that funds cluster managers to run joint projects on circular "
    "textiles with small firms and universities, and pays for shared test labs."
)
assert len(DESCRIPTION) >= MIN_DESCRIPTION_LENGTH  # a valid suggestion's, as publishing needs


def suggestion(**changes):
    data = {
        "title": "Circular textiles cluster",
        "country": "EE",
        "territorial_validity": "regional",
        "description": DESCRIPTION,
        "link": "https://example.ee/textiles",
        "challenges": ["innovation", "value-chains"],
        "priorities": ["green-transition"],
        "name": "Mari Tamm",
        "email": "mari@example.ee",
        "may_contact": "on",
        "website": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


@override_settings(CURATOR_EMAILS=["curator@example.eu"])
def test_a_suggestion_becomes_a_draft_with_its_submitter_kept_apart(taxonomies, client):
    response = client.post(URL, suggestion())
    assert response.status_code == 302
    assert response["Location"] == reverse("practices:suggest-thanks")
    practice = Practice.objects.get()
    assert (practice.title, practice.country.code, practice.territorial_validity.slug) == (
        "Circular textiles cluster",
        "EE",
        "regional",
    )
    assert practice.origin == "suggestion" and not practice.is_published
    assert set(practice.challenges.values_list("slug", flat=True)) == {"innovation", "value-chains"}
    assert set(practice.priorities.values_list("slug", flat=True)) == {"green-transition"}
    (version,) = practice.history.all()  # one version, its tags with it
    assert version.history_change_reason == "Suggested through the public form"
    assert version.history_user is None
    assert {link.strategicchallenge.slug for link in version.challenges.all()} == {
        "innovation",
        "value-chains",
    }
    submitter = Suggestion.objects.get(practice=practice)
    assert (submitter.name, submitter.email, submitter.may_contact) == (
        "Mari Tamm",
        "mari@example.ee",
        True,
    )
    (message,) = mail.outbox
    assert message.to == ["curator@example.eu"]
    assert "Circular textiles cluster" in message.subject
    assert "Thank you for your suggestion" in client.get(response["Location"]).content.decode()


def test_nothing_of_a_suggestion_is_public_until_published(taxonomies, client):
    client.post(URL, suggestion())
    practice = Practice.objects.get()
    assert client.get("/practices/").context["page"].paginator.count == 0
    assert client.get(practice.get_absolute_url()).status_code == 404
    assert client.get("/api/practices/").json()["count"] == 0
    practice.is_published = True
    practice.save()
    page = client.get(practice.get_absolute_url()).content.decode()
    assert "Circular textiles cluster" in page
    assert "Mari Tamm" not in page and "mari@example.ee" not in page
    api = client.get("/api/practices/").content.decode()
    export = b"".join(client.get("/practices/export.csv").streaming_content).decode()
    assert "mari@example.ee" not in api and "mari@example.ee" not in export


def test_the_honeypot_keeps_bots_out_without_telling_them(taxonomies, client):
    response = client.post(URL, suggestion(website="http://spam.example"))
    assert response.status_code == 302  # the same thank-you
    assert not Practice.objects.exists()


class _Page(HTMLParser):
    """A page as a browser reads it: every element's attributes, and what the suggestion
    form would send as it is shown (its text as typed, its choices as ticked)."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.elements = []  # (tag, attributes) in the page's order
        self.sends = {}  # field name -> [values], as submitting the form would
        self._select = self._textarea = None
        self._fieldset = None  # the open fieldset: {"aria-describedby": ..., "names": set()}
        self.fieldsets = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.elements.append((tag, attributes))
        name = attributes.get("name")
        if tag == "fieldset":
            self._fieldset = {
                "aria-describedby": attributes.get("aria-describedby"),
                "names": set(),
            }
            self.fieldsets.append(self._fieldset)
        elif tag == "input" and name and self._fieldset is not None:
            self._fieldset["names"].add(name)
        if tag == "input" and name not in (None, "csrfmiddlewaretoken", "website"):
            if attributes.get("type") in ("checkbox", "radio"):
                if "checked" in attributes:
                    self._send(name, attributes.get("value", "on"))
            else:
                self._send(name, attributes.get("value", ""))
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in attributes:
            self._send(self._select, attributes.get("value", ""))
        elif tag == "textarea":
            self._textarea = name
            self.sends.setdefault(name, [""])

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            # a browser drops the one line end that follows <textarea>
            self.sends[self._textarea] = [self.sends[self._textarea][0].removeprefix("\n")]
            self._textarea = None
        elif tag == "fieldset":
            self._fieldset = None

    def handle_data(self, data):
        if self._textarea:
            self.sends[self._textarea][0] += data

    def _send(self, name, value):
        self.sends.setdefault(name, []).append(value)

    def ids(self):
        return {attributes["id"] for _, attributes in self.elements if "id" in attributes}

    def typed(self):
        """What the form would send, without its empty fields."""
        return {name: values for name, values in self.sends.items() if values != [""]}


def sent(data):
    """``data`` as posted, in the shape of ``_Page.typed``, without the honeypot."""
    lists = {name: value if isinstance(value, list) else [value] for name, value in data.items()}
    return {name: values for name, values in lists.items() if values != [""] and name != "website"}


@pytest.fixture
def counters():
    """The suggestion limit's counters, from nothing."""
    cache.clear()
    yield
    cache.clear()


ADDRESS = "198.51.100.23"
LIMIT_OF_TWO = {"api": "1000/minute", "export": "1000/minute", "suggest": "2/hour"}


@override_settings(RATE_LIMITS=LIMIT_OF_TWO)
def test_six_attempts_from_one_address_four_with_errors_lose_nothing_and_the_two_valid_ones_arrive(
    taxonomies, client, counters
):
    attempts = [
        suggestion(description="Funds cluster managers."),  # too short
        suggestion(description=DESCRIPTION, email="mari@example"),  # one mistake left
        suggestion(title="Circular textiles cluster"),
        suggestion(title="Digital skills cluster", name="", territorial_validity=""),
        suggestion(title="Digital skills cluster", name="Mari Tamm", territorial_validity=""),
        suggestion(title="Digital skills cluster"),
    ]
    statuses = []
    for data in attempts:
        response = client.post(URL, data, REMOTE_ADDR=ADDRESS)
        statuses.append(response.status_code)
        if response.status_code == 400:
            assert _Page(response.content.decode()).typed() == sent(data)
    assert statuses == [400, 400, 302, 400, 400, 302]
    assert set(Practice.objects.values_list("title", "is_published")) == {
        ("Circular textiles cluster", False),
        ("Digital skills cluster", False),
    }
    assert set(Suggestion.objects.values_list("practice__title", "email")) == {
        ("Circular textiles cluster", "mari@example.ee"),
        ("Digital skills cluster", "mari@example.ee"),
    }


@override_settings(RATE_LIMITS=LIMIT_OF_TWO)
def test_a_third_valid_suggestion_over_a_limit_of_two_is_refused_and_shown_back_as_typed(
    taxonomies, client, counters
):
    for number in range(2):
        data = suggestion(title=f"Practice {number}")
        assert client.post(URL, data, REMOTE_ADDR=ADDRESS).status_code == 302
    one_too_many = suggestion(title="One too many", may_contact=None, priorities=None)
    refused = client.post(URL, one_too_many, REMOTE_ADDR=ADDRESS)
    assert refused.status_code == 429
    assert 3500 < int(refused["Retry-After"]) <= 3600
    content = refused.content.decode()
    assert "Too many suggestions from your address" in content
    assert "everything you typed is still in the form below" in content
    assert "please send it again in 60 minutes" in content
    assert _Page(content).typed() == sent(one_too_many)
    assert set(Practice.objects.values_list("title", flat=True)) == {"Practice 0", "Practice 1"}
    assert Suggestion.objects.count() == 2
    # mistakes still come back as mistakes over the limit, and cost nothing
    mistaken = client.post(URL, suggestion(email="nope"), REMOTE_ADDR=ADDRESS)
    assert mistaken.status_code == 400
    assert set(mistaken.context["form"].errors) == {"email"}
    other = client.post(URL, suggestion(title="From elsewhere"), REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 302


@override_settings(RATE_LIMITS=LIMIT_OF_TWO)
def test_bots_caught_by_the_honeypot_are_thanked_and_use_up_nothing(taxonomies, client, counters):
    for _ in range(3):
        response = client.post(URL, suggestion(website="http://spam.example"), REMOTE_ADDR=ADDRESS)
        assert response.status_code == 302
    assert not Practice.objects.exists()
    for number in range(2):
        data = suggestion(title=f"Practice {number}")
        assert client.post(URL, data, REMOTE_ADDR=ADDRESS).status_code == 302


def test_the_description_must_be_as_long_as_publishing_needs(taxonomies, client):
    page = client.get(URL).content.decode()
    assert f"At least {MIN_DESCRIPTION_LENGTH} characters: who runs it" in page
    padded = "  " + "x" * (MIN_DESCRIPTION_LENGTH - 1) + "  "  # spaces around do not count
    short = client.post(URL, suggestion(description=padded))
    assert short.status_code == 400
    assert f"at least {MIN_DESCRIPTION_LENGTH} characters" in short.content.decode()
    assert not Practice.objects.exists()
    long_enough = suggestion(description="x" * MIN_DESCRIPTION_LENGTH, support_types=["networking"])
    assert client.post(URL, long_enough).status_code == 302
    assert problems_of(Practice.objects.get()) == []  # nothing left to publish it


def described_fields(page):
    """{the control, or the fieldset by its inputs' name: its aria-describedby}"""
    described = {
        attributes["id"]: attributes["aria-describedby"]
        for tag, attributes in page.elements
        if tag != "fieldset" and "aria-describedby" in attributes
    }
    for fieldset in page.fieldsets:
        if fieldset["aria-describedby"]:
            (name,) = fieldset["names"]
            described[f"fieldset of {name}"] = fieldset["aria-describedby"]
    return described


def test_every_help_text_and_error_is_tied_to_its_field_by_ids_that_exist(taxonomies, client):
    empty = _Page(client.get(URL).content.decode())
    assert described_fields(empty) == {"id_description": "id_description_helptext"}
    assert empty.ids() >= {"id_description_helptext"}
    assert not [attributes for _, attributes in empty.elements if "aria-invalid" in attributes]

    data = suggestion(description="Too short.", email="nope", challenges=["nonsense"], name="")
    response = client.post(URL, data)
    page = _Page(response.content.decode())
    assert described_fields(page) == {
        "id_description": "id_description_helptext id_description_error",
        "id_email": "id_email_error",
        "id_name": "id_name_error",
        "fieldset of challenges": "id_challenges_error",
    }
    ids = page.ids()
    for references in described_fields(page).values():
        assert set(references.split()) <= ids
    invalid = {
        attributes["name"] for _, attributes in page.elements if "aria-invalid" in attributes
    }
    assert invalid == {"description", "email", "challenges", "name"}
    assert set(response.context["form"].errors) == invalid


def test_the_error_summary_links_to_each_field_in_error(taxonomies, client):
    data = suggestion(description="Too short.", territorial_validity="", challenges=["nonsense"])
    page = _Page(client.post(URL, data).content.decode())
    links = [
        attributes["href"]
        for tag, attributes in page.elements
        if tag == "a" and attributes.get("href", "").startswith("#id_")
    ]
    assert links == ["#id_territorial_validity_0", "#id_description", "#id_challenges_0"]
    assert {link.removeprefix("#") for link in links} <= page.ids()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "x" * 301}, "title"),
        ({"description": "Too short."}, "description"),
        ({"description": "x" * 5001}, "description"),
        ({"email": "not-an-address"}, "email"),
        ({"country": "ZZ"}, "country"),
        ({"link": "javascript:alert(1)"}, "link"),
        ({"challenges": ["nonsense"]}, "challenges"),
        ({"name": None}, "name"),
    ],
)
def test_bad_input_gets_a_clear_message_and_400(taxonomies, client, changes, field):
    response = client.post(URL, suggestion(**changes))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert 'role="alert"' in response.content.decode()
    assert not Practice.objects.exists()


def test_the_form_has_labels_and_works_without_javascript(taxonomies, client):
    content = client.get(URL).content.decode()
    assert '<form class="suggest" method="post" action="/practices/suggest/"' in content
    assert '<label for="id_title">Title of the practice</label>' in content
    assert "<legend>Strategic challenges (optional)</legend>" in content
    assert "<script" not in content


def test_two_suggestions_of_the_same_title_both_arrive_under_their_own_addresses(
    taxonomies, client
):
    first = client.post(URL, suggestion())
    second = client.post(URL, suggestion(email="someone@example.ee"))
    assert (first.status_code, second.status_code) == (302, 302)
    assert sorted(Practice.objects.values_list("slug", flat=True)) == [
        "circular-textiles-cluster-suggested",
        "circular-textiles-cluster-suggested-2",
    ]
    assert Suggestion.objects.count() == 2


def test_a_title_with_nothing_to_spell_an_address_gets_the_fallback_slug(taxonomies, client):
    assert client.post(URL, suggestion(title="¿¡!")).status_code == 302
    practice = Practice.objects.get()
    assert practice.slug == "suggested-practice-suggested"
    assert (practice.description, practice.link) == (DESCRIPTION, "https://example.ee/textiles")


class _MailServerDown(BaseEmailBackend):
    """As Django's SMTP backend behaves when its server refuses the connection."""

    def send_messages(self, email_messages):
        if not self.fail_silently:
            raise ConnectionRefusedError("the mail server is down")
        return 0


@override_settings(
    CURATOR_EMAILS=["curator@example.eu"],
    EMAIL_BACKEND=f"{__name__}._MailServerDown",
)
def test_a_mail_server_down_loses_no_suggestion(taxonomies, client):
    assert client.post(URL, suggestion()).status_code == 302
    assert Practice.objects.filter(title="Circular textiles cluster").exists()


@override_settings(CURATOR_EMAILS=["curator@example.eu"])
def test_the_curators_mail_names_the_practice_and_links_to_its_draft(taxonomies, client):
    client.post(URL, suggestion(title="A" * 120))
    practice = Practice.objects.get()
    (message,) = mail.outbox
    assert message.subject == "Suggested practice: " + "A" * 100
    assert message.body == (
        f"Someone suggested a practice for the toolkit: {'A' * 120}\n\n"
        f"It waits as a draft in the review queue: /admin/practices/practice/{practice.pk}/change/\n"
    )


@pytest.mark.html_checker
@pytest.mark.skipif(shutil.which("java") is None, reason="the Nu HTML checker runs on Java")
@override_settings(RATE_LIMITS=LIMIT_OF_TWO)
def test_the_nu_html_checker_finds_no_error_in_the_form_empty_with_mistakes_or_over_the_limit(
    taxonomies, client, counters, tmp_path
):
    mistakes = suggestion(
        description="Too short.", email="nope", challenges=["nonsense"], territorial_validity=""
    )
    pages = {"empty": client.get(URL), "mistakes": client.post(URL, mistakes)}
    for number in range(2):
        client.post(URL, suggestion(title=f"Practice {number}"))
    pages["over-the-limit"] = client.post(URL, suggestion(title="One too many"))
    assert [response.status_code for response in pages.values()] == [200, 400, 429]
    assert html_errors(pages, tmp_path) == []
