"""Publishing and unpublishing a selection from the admin's list."""

import pytest
from django.contrib.admin.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from practices.models import Practice
from tests.factories import make_practice
from tests.practices.admin.test_practice import COMPLETE_DESCRIPTION, versions_of

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:practices_practice_changelist")


def act(staff_client, action, practices):
    """Run the action on the selection; what the list then says."""
    staff_client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [practice.pk for practice in practices]},
    )
    return [(m.level_tag, m.message) for m in staff_client.get(CHANGELIST).context["messages"]]


def test_publishing_a_selection_publishes_the_complete_drafts_and_says_why_not_the_rest(
    taxonomies, staff_client
):
    complete = [
        make_practice(slug=f"complete-{n}", is_published=False, description=COMPLETE_DESCRIPTION)
        for n in range(3)
    ]
    short = make_practice(slug="short", title="Too short", is_published=False, support=())
    public = make_practice(slug="public", description=COMPLETE_DESCRIPTION)
    public_versions = len(versions_of(public))
    with CaptureQueriesContext(connection) as queries:
        staff_client.post(
            CHANGELIST,
            {"action": "publish", "_selected_action": [p.pk for p in [*complete, short, public]]},
        )
    # read now: the next request empties the connection's log
    prefetches = [q["sql"] for q in queries.captured_queries if "_prefetch_related_val" in q["sql"]]
    said = [(m.level_tag, m.message) for m in staff_client.get(CHANGELIST).context["messages"]]
    assert said == [
        (
            "warning",
            "Not published: Too short: the description is shorter than 150 characters; "
            "no type of cluster support.",
        ),
        ("success", "3 practices published."),
    ]
    assert set(Practice.objects.filter(is_published=True).values_list("slug", flat=True)) == {
        "complete-0",
        "complete-1",
        "complete-2",
        "public",
    }
    assert len(versions_of(public)) == public_versions  # already published: untouched
    for practice in complete:
        assert versions_of(practice)[0].history_change_reason == "Published from the list"
        entry = LogEntry.objects.get(object_id=str(practice.pk))
        assert entry.get_change_message() == "Changed Published."
    # the rules read the tags of the whole selection at once, not a practice at a time
    assert len([sql for sql in prefetches if "practice_challenges" in sql]) == 1


def test_unpublishing_one_practice_says_it_in_the_singular(taxonomies, staff_client):
    public = make_practice(slug="public", description=COMPLETE_DESCRIPTION)
    draft = make_practice(slug="draft", is_published=False)
    assert act(staff_client, "unpublish", [public, draft]) == [
        ("success", "1 practice unpublished.")
    ]
    assert not Practice.objects.filter(is_published=True).exists()
    assert versions_of(public)[0].history_change_reason == "Unpublished from the list"
    assert act(staff_client, "unpublish", [public]) == [("success", "0 practices unpublished.")]
