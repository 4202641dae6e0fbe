"""Migration 0014's data step: the STIP practices imported before the import cleaned their
text, cleaned once, each as one new version; run here on the project's models, whose fields
include those of the migration's."""

import importlib

import pytest
from django.apps import apps

from practices.models import Practice
from tests.factories import make_practice

pytestmark = pytest.mark.django_db

migration = importlib.import_module("practices.migrations.0014_stip_text_clean")


def test_stip_practices_are_cleaned_once_each_as_a_version_with_their_tags(taxonomies):
    dirty = make_practice(
        slug="dirty",
        origin="stip",
        source_id="http://stip.oecd.org/2021/data/policyInitiatives/7",
        organisation="Enterprise Ireland (EI;)¬IDA Ireland (;)",
        challenges=("innovation",),
    )
    Practice.objects.filter(pk=dirty.pk).update(
        imported={"organisation": "Enterprise Ireland (EI;)¬IDA Ireland (;)"}, survey_year=None
    )
    clean = make_practice(
        slug="clean",
        origin="stip",
        source_id="http://stip.oecd.org/2021/data/policyInitiatives/8",
        organisation="Business Finland (BF)",
    )
    curated = make_practice(slug="curated", organisation="Agency (;)")
    revisions = dict(Practice.objects.values_list("slug", "revision"))
    versions = clean.history.count()

    migration.clean_stip_text(apps, None)

    dirty.refresh_from_db()
    assert dirty.organisation == "Enterprise Ireland (EI)\nIDA Ireland"
    assert dirty.imported == {"organisation": "Enterprise Ireland (EI)\nIDA Ireland"}
    assert dirty.revision == revisions["dirty"] + 1
    assert dirty.survey_year == 2021  # its URI is the 2021 survey's
    version = dirty.history.first()
    assert (version.history_change_reason, version.history_type) == (migration.REASON, "~")
    assert version.organisation == dirty.organisation and version.revision == dirty.revision
    assert [link.strategicchallenge.slug for link in version.challenges.all()] == ["innovation"]
    clean.refresh_from_db()
    assert clean.revision == revisions["clean"] and clean.history.count() == versions
    assert clean.survey_year == 2021
    curated.refresh_from_db()
    assert curated.organisation == "Agency (;)" and curated.survey_year is None

    migration.clean_stip_text(apps, None)  # once: a second run finds nothing to clean
    assert Practice.objects.get(pk=dirty.pk).revision == revisions["dirty"] + 1
