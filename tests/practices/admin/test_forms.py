"""The change form's refusal of a stale edit says who saved, when, and what they changed."""

import datetime

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from practices.admin.forms import stale_edit_message
from practices.models import Practice
from practices.versions import one_version
from tests.factories import make_practice

pytestmark = pytest.mark.django_db

KEEP_YOURS = (
    "Your changes are not saved, so nothing of theirs is lost: copy what you need from "
    "this form, open the practice again and make your change on its current version."
)


@pytest.fixture
def edited_twice(taxonomies, django_user_model):
    """A practice opened at its first revision, then saved twice by a colleague."""
    colleague = django_user_model.objects.create_user("colleague")
    practice = make_practice(slug="shared", title="First title " + "y" * 100)
    opened = Practice.history.filter(id=practice.pk).first().revision
    with one_version(practice, reason="one", user=colleague):
        practice.title = "Second title " + "x" * 100
        practice.save()
    with one_version(practice, reason="two", user=colleague):
        practice.link = "https://example.eu/"
        practice.save()
    # saved in the past, in the same order, so "when" cannot be read off the clock
    saved = datetime.datetime(2026, 1, 2, 3, 4, tzinfo=datetime.UTC)
    oldest_first = Practice.history.filter(id=practice.pk).order_by("history_id")
    for hours, version in enumerate(reversed(oldest_first)):
        moment = saved - datetime.timedelta(hours=hours)
        Practice.history.filter(history_id=version.history_id).update(history_date=moment)
    when = date_format(timezone.localtime(saved), "DATETIME_FORMAT")
    return practice, opened, when


def test_the_refusal_lists_every_change_since_the_version_the_form_opened(edited_twice):
    practice, opened, when = edited_twice
    old, new = "First title " + "y" * 100, Practice.objects.get(pk=practice.pk).title
    assert stale_edit_message(practice.pk, opened) == (
        f"colleague saved this practice on {when}, after you opened it, and changed "
        f"title: “{old[:79]}…” → “{new[:79]}…”; link to further information: “” → “https://example.eu/”. "
        + KEEP_YOURS
    )


def test_a_form_opened_on_an_unknown_revision_compares_the_two_latest_versions(edited_twice):
    practice, _, when = edited_twice
    assert stale_edit_message(practice.pk, None) == (
        f"colleague saved this practice on {when}, after you opened it, and changed "
        "link to further information: “” → “https://example.eu/”. " + KEEP_YOURS
    )


def test_a_save_that_changed_nothing_visible_says_so(edited_twice):
    practice = Practice.objects.get(pk=edited_twice[0].pk)  # another person's form
    with one_version(practice, reason="three"):
        practice.save()
    latest = Practice.history.filter(id=practice.pk).first()
    when = date_format(timezone.localtime(latest.history_date), "DATETIME_FORMAT")
    assert stale_edit_message(practice.pk, latest.revision) == (
        f"Someone saved this practice on {when}, after you opened it, and changed "
        "nothing you can see (the practice was saved unchanged). " + KEEP_YOURS
    )


def test_a_practice_without_versions_is_named_as_a_whole(taxonomies):
    practice = make_practice(slug="quiet")
    Practice.history.filter(id=practice.pk).delete()
    assert stale_edit_message(practice.pk, 1) == (
        "Someone saved this practice, after you opened it, and changed the practice. " + KEEP_YOURS
    )


def test_a_form_opened_on_an_unknown_revision_of_a_practice_with_one_version(taxonomies):
    practice = make_practice(slug="once")
    latest = Practice.history.filter(id=practice.pk).first()
    Practice.history.filter(id=practice.pk).exclude(history_id=latest.history_id).delete()
    when = date_format(timezone.localtime(latest.history_date), "DATETIME_FORMAT")
    assert stale_edit_message(practice.pk, 999) == (
        f"Someone saved this practice on {when}, after you opened it, and changed the practice. "
        + KEEP_YOURS
    )


def test_publishing_through_the_form_is_refused_with_proposed_tags_or_no_description(
    taxonomies, staff_client
):
    from django.urls import reverse

    from tests.practices.admin.test_practice import COMPLETE_DESCRIPTION, change_form_data

    practice = make_practice(slug="proposed", is_published=False, description=COMPLETE_DESCRIPTION)
    Practice.objects.filter(pk=practice.pk).update(tags_proposed=True)
    url, data = change_form_data(staff_client, practice)
    data.update(
        is_published="on",
        tags_proposed="on",
        challenges=list(practice.challenges.values_list("pk", flat=True)),
        support_types=list(practice.support_types.values_list("pk", flat=True)),
    )
    sent = {k: v for k, v in data.items() if v is not None}
    refused = staff_client.post(url, sent)
    assert refused.status_code == 200
    assert "its proposed tags are not confirmed" in refused.content.decode()
    # a description left empty: the field's own error, never a server error
    sent.update(description="", tags_proposed="")
    empty = staff_client.post(url, sent)
    assert empty.status_code == 200
    assert "description is shorter than 150 characters" in empty.content.decode()
    assert not Practice.objects.get(pk=practice.pk).is_published
    assert reverse("admin:practices_practice_change", args=[practice.pk]) == url
