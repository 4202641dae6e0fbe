"""Cleaning once the text of STIP practices imported before the import cleaned it."""

import pytest
from django.core.management import call_command

from practices.intake.stip.cleanup import REASON, clean_stip_practices
from practices.models import Practice
from tests.factories import make_practice

pytestmark = pytest.mark.django_db

DIRTY = {
    "title": 'MOONSHOT ""FLANDERS CO2 NEUTRAL""',
    "organisation": "Department of Industry, Science, Energy and Resources (DISER;)¬"
    "Commonwealth Scientific and Industrial Research Organisation (CSIRO;)",
    "description": "A  programme.\n\n\n\nObjectives:  grow.",
}
CLEAN = {
    "title": 'MOONSHOT "FLANDERS CO2 NEUTRAL"',
    "organisation": "Department of Industry, Science, Energy and Resources (DISER)\n"
    "Commonwealth Scientific and Industrial Research Organisation (CSIRO)",
    "description": "A programme.\n\nObjectives: grow.",
}


def stip_practice(**fields):
    return make_practice(
        slug="moonshot",
        origin="stip",
        source_id="http://stip.oecd.org/2021/data/policyInitiatives/1",
        challenges=("innovation", "skills"),
        **{**DIRTY, **fields},
    )


def test_each_stip_practice_is_cleaned_as_one_new_version_with_its_tags(taxonomies):
    practice = stip_practice()
    Practice.objects.filter(pk=practice.pk).update(imported={**DIRTY, "country": "AU"})
    updated_at = Practice.objects.get(pk=practice.pk).updated_at
    versions_before = practice.history.count()
    assert clean_stip_practices() == {"moonshot": ["title", "description", "organisation"]}
    practice = Practice.objects.get(pk=practice.pk)
    assert {name: getattr(practice, name) for name in CLEAN} == CLEAN
    assert practice.imported == {**CLEAN, "country": "AU"}  # still reads as nobody's edit
    assert practice.updated_at == updated_at  # the same words: no new date on its page
    assert practice.history.count() == versions_before + 1
    version = practice.history.first()
    assert version.history_change_reason == REASON == "Cleaned STIP text"
    assert version.organisation == CLEAN["organisation"]
    assert {link.strategicchallenge.slug for link in version.challenges.all()} == {
        "innovation",
        "skills",
    }
    assert "moonshot" in practice.search_document  # refreshed from the clean title


def test_cleaning_again_or_a_curators_practice_changes_nothing(taxonomies):
    stip_practice()
    curated = make_practice(slug="curated", organisation="Kept (;) as written¬by a curator")
    clean_stip_practices()
    revisions = dict(Practice.objects.values_list("slug", "revision"))
    assert clean_stip_practices() == {}
    assert dict(Practice.objects.values_list("slug", "revision")) == revisions
    curated.refresh_from_db()
    assert curated.organisation == "Kept (;) as written¬by a curator"


def test_a_dry_run_lists_and_writes_nothing(taxonomies, capsys):
    practice = stip_practice()
    call_command("clean_stip_text", "--dry-run")
    out = capsys.readouterr().out
    assert "moonshot: title, description, organisation" in out
    assert "Dry run: 1 practice to clean; nothing written." in out
    assert Practice.objects.get(pk=practice.pk).organisation == DIRTY["organisation"]
    call_command("clean_stip_text")
    assert "Cleaned 1 practice, each as a new version." in capsys.readouterr().out
    assert Practice.objects.get(pk=practice.pk).organisation == CLEAN["organisation"]
