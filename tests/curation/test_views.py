import pytest
from django.urls import reverse

from curation.models import TagDecision
from practices.models import Practice
from tests.factories import make_practice

DESCRIPTION = (
    "A national programme that funds cluster organisations to run renewable energy projects "
    "with their member firms, with training for their staff and matchmaking between them."
)


@pytest.fixture
def drafts(taxonomies):
    first = make_practice(
        slug="first",
        title="First draft",
        description=DESCRIPTION,
        is_published=False,
        challenges=(),
        support=(),
    )
    second = make_practice(
        slug="second",
        title="SECOND DRAFT IN CAPITALS",
        description="Short.",
        is_published=False,
        country="DK",
    )
    make_practice(slug="published", title="Published", description=DESCRIPTION)
    return first, second


def review_data(practice, **changes):
    data = {
        "title": practice.title,
        "description": practice.description,
        "known_revision": practice.revision,
        "challenge": [t.slug for t in practice.challenges.all()],
        "support": [t.slug for t in practice.support_types.all()],
        "priority": [],
        "recommendation": [],
        "accept_above": "70",
    }
    data.update(changes)
    return data


def test_the_queue_lists_the_drafts_only_with_what_each_lacks(curator_client, drafts):
    response = curator_client.get(reverse("curation:queue"))
    assert response.status_code == 200
    shown = [draft.slug for draft, _, _ in response.context["rows"]]
    assert shown == ["first", "second"]
    lacks = {draft.slug: lacks for draft, lacks, _ in response.context["rows"]}
    assert "a strategic challenge" in lacks["first"]
    assert "a description of 150 characters" in lacks["second"]
    assert "title in capitals" in response.content.decode()


def test_the_queue_filters_by_country_and_by_what_is_lacking(curator_client, drafts):
    by_country = curator_client.get(reverse("curation:queue"), {"country": "dk"})
    assert [d.slug for d, _, _ in by_country.context["rows"]] == ["second"]
    lacking = curator_client.get(reverse("curation:queue"), {"lacks": "challenge"})
    assert [d.slug for d, _, _ in lacking.context["rows"]] == ["first"]


def test_someone_without_the_curator_role_is_refused(client, django_user_model, drafts):
    viewer = django_user_model.objects.create_user(
        "viewer", password="x-long-password-1", is_staff=True
    )
    client.force_login(viewer)
    assert client.get(reverse("curation:queue")).status_code == 403
    assert client.get(reverse("curation:review", args=[drafts[0].pk])).status_code == 403


def test_an_unknown_draft_is_a_404(curator_client, drafts):
    assert curator_client.get(reverse("curation:review", args=[999999])).status_code == 404


def test_saving_a_review_makes_one_version_with_its_reason_and_opens_the_next_draft(
    curator_client, drafts, curator
):
    first, second = drafts
    versions_before = Practice.history.filter(id=first.pk).count()
    data = review_data(first, challenge=["skills"], support=["networking"], action="publish")
    response = curator_client.post(reverse("curation:review", args=[first.pk]), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("curation:review", args=[second.pk])
    first.refresh_from_db()
    assert first.is_published
    assert {t.slug for t in first.challenges.all()} == {"skills"}
    versions = Practice.history.filter(id=first.pk)
    assert versions.count() == versions_before + 1
    assert versions.first().history_change_reason == "Reviewed in the workspace and published"
    assert versions.first().history_user == curator
    assert first.is_reviewed and first.reviewed_by == "curator"
    assert versions.first().reviewed_by == "curator"
    added = TagDecision.objects.filter(practice=first, outcome="added")
    assert sorted(added.values_list("taxonomy", "value")) == [
        ("challenge", "skills"),
        ("support", "networking"),
    ]


def test_a_draft_that_cannot_be_published_keeps_what_was_typed_and_saves_nothing(
    curator_client, drafts
):
    _, second = drafts
    versions_before = Practice.history.filter(id=second.pk).count()
    data = review_data(second, title="Second draft, retitled", action="publish")
    response = curator_client.post(reverse("curation:review", args=[second.pk]), data)
    assert response.status_code == 400
    assert (
        "Not published: the description is shorter than 150 characters" in response.content.decode()
    )
    assert 'value="Second draft, retitled"' in response.content.decode()
    second.refresh_from_db()
    assert second.title == "SECOND DRAFT IN CAPITALS" and not second.is_published
    assert Practice.history.filter(id=second.pk).count() == versions_before
    assert not TagDecision.objects.exists()


def test_a_review_over_a_newer_version_is_refused_with_the_typing_kept(curator_client, drafts):
    first, _ = drafts
    data = review_data(
        first, title="My new title", challenge=["skills"], support=["networking"], action="save"
    )
    first.title = "Someone else's title"
    first.save()
    response = curator_client.post(reverse("curation:review", args=[first.pk]), data)
    assert response.status_code == 409
    assert 'value="My new title"' in response.content.decode()
    first.refresh_from_db()
    assert first.title == "Someone else's title"
    assert not TagDecision.objects.exists()


def test_accept_above_ticks_the_suggestions_over_the_percentage_and_saves_nothing(
    curator_client, drafts, monkeypatch
):
    from curation import views
    from curation.tagging.suggester import Suggested

    first, _ = drafts
    versions_before = Practice.history.filter(id=first.pk).count()
    monkeypatch.setattr(
        views.service,
        "suggestions_of",
        lambda practice, suggester=None: {
            "challenge": [
                Suggested("skills", 0.9, "words: training"),
                Suggested("value-chains", 0.5, "like: X"),
            ],
            "support": [],
            "priority": [],
            "recommendation": [],
        },
    )
    data = review_data(first, action="accept", accept_above="80")
    response = curator_client.post(reverse("curation:review", args=[first.pk]), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form["challenge"].value() == ["skills"]
    assert Practice.history.filter(id=first.pk).count() == versions_before
    # then saving records skills accepted and value chains rejected
    saved = review_data(first, challenge=["skills"], support=["networking"], action="save")
    curator_client.post(reverse("curation:review", args=[first.pk]), saved)
    outcomes = dict(
        TagDecision.objects.filter(taxonomy="challenge").values_list("value", "outcome")
    )
    assert outcomes == {"skills": "accepted", "value-chains": "rejected"}


def test_bulk_confirm_and_publish_act_on_the_ticked_drafts_only(curator_client, drafts, taxonomies):
    first, second = drafts
    Practice.objects.filter(pk=second.pk).update(tags_proposed=True)
    versions = {p.pk: Practice.history.filter(id=p.pk).count() for p in drafts}
    response = curator_client.post(
        reverse("curation:queue"), {"action": "confirm", "practice": [second.pk]}
    )
    assert response.status_code == 302
    second.refresh_from_db()
    first.refresh_from_db()
    assert not second.tags_proposed
    assert Practice.history.filter(id=second.pk).count() == versions[second.pk] + 1
    assert Practice.history.filter(id=first.pk).count() == versions[first.pk]
    # publishing: the second is too short, the first lacks tags: neither is published
    curator_client.post(
        reverse("curation:queue"), {"action": "publish", "practice": [first.pk, second.pk]}
    )
    assert not Practice.objects.filter(pk__in=[first.pk, second.pk], is_published=True).exists()


def test_a_title_in_capitals_is_flagged_with_a_proposal_the_curator_may_take(
    curator_client, drafts
):
    _, second = drafts
    queue = curator_client.get(reverse("curation:queue")).content.decode()
    assert "proposed “Second Draft in Capitals”" in queue
    data = review_data(second, action="recase")
    response = curator_client.post(reverse("curation:review", args=[second.pk]), data)
    assert response.status_code == 200
    assert response.context["form"]["title"].value() == "Second Draft in Capitals"
    second.refresh_from_db()
    assert second.title == "SECOND DRAFT IN CAPITALS"  # nothing saved until the curator saves


def test_the_review_screen_shows_the_stip_themes_by_name(curator_client, taxonomies):
    practice = make_practice(slug="stip-draft", origin="stip", is_published=False)
    Practice.objects.filter(pk=practice.pk).update(source_themes=["TH47", "TH92"])
    page = curator_client.get(reverse("curation:review", args=[practice.pk])).content.decode()
    assert "TH92: Green energy transitions (Research and innovation for society)" in page


def test_the_queue_kept_in_a_form_is_read_again_never_passed_on_raw(curator_client, drafts):
    first, second = drafts
    data = review_data(first, action="skip", queue="country=dk&evil=%0d%0aSet-Cookie:x")
    response = curator_client.post(reverse("curation:review", args=[first.pk]), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("curation:review", args=[second.pk]) + (
        "?queue=country%3DDK"
    )
    bulk = curator_client.post(
        reverse("curation:queue"), {"action": "confirm", "queue": "lacks=%0d%0a"}
    )
    assert bulk["Location"] == reverse("curation:queue")


def test_the_queue_costs_the_same_queries_for_two_drafts_or_twenty(
    curator_client, drafts, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        curator_client.get(reverse("curation:queue"))
    for number in range(18):
        make_practice(slug=f"more-{number}", is_published=False)
    with django_assert_max_num_queries(12):
        response = curator_client.get(reverse("curation:queue"))
    assert len(response.context["rows"]) == 20


def test_a_review_screen_costs_a_bounded_number_of_queries(
    curator_client, drafts, django_assert_max_num_queries
):
    with django_assert_max_num_queries(16):
        assert (
            curator_client.get(reverse("curation:review", args=[drafts[0].pk])).status_code == 200
        )
