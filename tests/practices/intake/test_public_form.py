"""Suggest a practice: the public form, the draft it makes, and its protections."""

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.test import override_settings
from django.urls import reverse

from practices.models import Practice, Suggestion

pytestmark = pytest.mark.django_db

URL = "/practices/suggest/"
DESCRIPTION = (
    "A regional programme that funds cluster managers to run joint projects on circular "
    "textiles with small firms and universities."
)


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


@override_settings(RATE_LIMITS={"api": "1000/minute", "export": "1000/minute", "suggest": "2/hour"})
def test_each_address_may_suggest_a_few_practices_an_hour(taxonomies, client):
    from django.core.cache import cache

    cache.clear()
    for number in range(2):
        assert client.post(URL, suggestion(title=f"Practice {number}")).status_code == 302
    refused = client.post(URL, suggestion(title="One too many"))
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "Too many suggestions" in refused.content.decode()
    assert Practice.objects.count() == 2
    other = client.post(URL, suggestion(title="From elsewhere"), REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 302


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
