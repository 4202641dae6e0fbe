"""Versions of a practice: comparisons stay readable whatever was deleted since."""

import pytest
from django.http import QueryDict

from practices.models import Practice, Region
from practices.search.selector import search_params
from practices.versions import differences, one_version
from tests.factories import make_practice, make_region

pytestmark = pytest.mark.django_db


def test_a_version_naming_a_deleted_region_still_compares(taxonomies):
    old_region = make_region(code="XX01", name="Old region", typology="agri-textile")
    practice = make_practice(slug="moved", region=old_region)
    with one_version(practice, reason="placed"):
        practice.save()
    with one_version(practice, reason="moved"):
        practice.region = make_region(code="XX02", name="New region", typology="agri-textile")
        practice.save()
    Region.objects.filter(code="XX01").delete()  # nothing uses it any more
    newer, older = Practice.history.filter(id=practice.pk)[:2]
    (change,) = [d for d in differences(older, newer) if d.label == "region"]
    assert change.old.startswith("#") and change.new == "XX02 New region"


def test_revisions_only_go_up_even_from_an_old_version(taxonomies):
    practice = make_practice(slug="p")
    for _ in range(3):
        practice.save()
    revision = Practice.objects.get(pk=practice.pk).revision
    old = Practice.history.filter(id=practice.pk).last().instance  # carries an old revision
    old.save()
    assert Practice.objects.get(pk=practice.pk).revision == revision + 1


def test_a_search_reads_one_way_of_combining_the_last_as_the_form_does():
    params = search_params(QueryDict("challenge=a&challenge_match=any&challenge_match=all"))
    assert params.urlencode() == "challenge=a"
    params = search_params(QueryDict("challenge=a&challenge_match=all&challenge_match=any"))
    assert params.urlencode() == "challenge=a&challenge_match=any"


def test_a_comparison_reads_choices_yes_no_and_empty_values_in_words(taxonomies):
    from practices.models import BudgetRange

    practice = make_practice(slug="worded", country="FI")
    first = Practice.history.filter(id=practice.pk).first()
    with one_version(practice, reason="facts found"):
        practice.country = "DK"
        practice.evaluated = True
        practice.budget_range = BudgetRange.objects.get(slug="1m-5m")
        practice.save()
    second = Practice.history.filter(id=practice.pk).first()
    with one_version(practice, reason="facts corrected"):
        practice.evaluated = False
        practice.budget_range = None
        practice.save()
    third = Practice.history.filter(id=practice.pk).first()
    assert [(d.label, d.old, d.new) for d in differences(first, second)] == [
        ("country", "Finland", "Denmark"),
        ("yearly budget", "", "1M-5M"),
        ("evaluated", "", "yes"),
    ]
    assert [(d.label, d.old, d.new) for d in differences(second, third)] == [
        ("yearly budget", "1M-5M", ""),
        ("evaluated", "yes", "no"),
    ]


def test_a_comparison_leaves_out_what_no_person_edits(taxonomies):
    practice = make_practice(slug="kept")
    first = Practice.history.filter(id=practice.pk).first()
    with one_version(practice, reason="saved again"):
        practice.save()  # a new revision and date, nothing a person changed
    latest = Practice.history.filter(id=practice.pk).first()
    assert (latest.revision, latest.updated_at) != (first.revision, first.updated_at)
    assert differences(first, latest) == []


def test_a_stored_value_outside_the_fields_choices_reads_as_itself(taxonomies):
    practice = make_practice(slug="legacy")
    first = Practice.history.filter(id=practice.pk).first()
    with one_version(practice, reason="an origin from an older release"):
        practice.origin = "legacy"  # not among the choices
        practice.save()
    latest = Practice.history.filter(id=practice.pk).first()
    assert [(d.label, d.old, d.new) for d in differences(first, latest)] == [
        ("origin", "Curator", "legacy")
    ]
