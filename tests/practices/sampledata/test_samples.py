"""make run's loading: the sample data arrives once and never overwrites a curator's work."""

import pytest
from django.core.management import call_command

from practices.models import Practice, StrategicChallenge, TargetGroup
from practices.sampledata.samples import PRACTICE_FIXTURES, _practice_slugs

pytestmark = pytest.mark.django_db

SAMPLE_COUNT = sum(len(_practice_slugs(name)) for name in PRACTICE_FIXTURES)


def load(capsys=None):
    call_command("load_samples")
    return capsys.readouterr().out if capsys else None


def edit_newco():
    practice = Practice.objects.get(slug="newco-helsinki")
    practice.description = "A curator's own words."
    practice.save()
    practice.challenges.set(StrategicChallenge.objects.filter(slug="skills"))
    return Practice.objects.get(pk=practice.pk)


def test_loading_twice_with_an_edit_between_keeps_the_edit(capsys):
    load()
    assert Practice.objects.count() == SAMPLE_COUNT
    edited = edit_newco()
    TargetGroup.objects.filter(slug="smes").update(name="Small firms")
    out = load(capsys)
    practice = Practice.objects.get(slug="newco-helsinki")
    assert practice.description == "A curator's own words."
    assert set(practice.challenges.values_list("slug", flat=True)) == {"skills"}
    assert (practice.updated_at, practice.revision) == (edited.updated_at, edited.revision)
    assert TargetGroup.objects.get(slug="smes").name == "Small firms"
    assert Practice.objects.count() == SAMPLE_COUNT
    assert "sample_practices: not loaded, 15 of its 15 practices are in the database" in out


def test_a_deleted_sample_practice_does_not_come_back(capsys):
    load()
    Practice.objects.filter(slug="newco-helsinki").delete()
    load()
    assert not Practice.objects.filter(slug="newco-helsinki").exists()


def test_a_taxonomy_value_a_release_adds_arrives_on_an_existing_database():
    load()
    TargetGroup.objects.filter(slug="women").delete()
    load()
    assert TargetGroup.objects.filter(slug="women").exists()


def test_each_loaded_practice_has_one_version_with_its_tags():
    load()
    practice = Practice.objects.get(slug="newco-helsinki")
    (version,) = practice.history.all()
    assert version.history_change_reason == "Loaded from the sample data"
    assert {tag.strategicchallenge.slug for tag in version.challenges.all()} == {
        "innovation",
        "skills",
        "value-chains",
    }


def test_reset_says_what_it_would_overwrite_and_writes_only_when_told(capsys):
    load()
    edit_newco()
    Practice.objects.filter(slug="circular-flanders").delete()
    call_command("reset_samples")
    out = capsys.readouterr().out
    assert "newco-helsinki: description, strategic challenges" in out
    assert "circular-flanders: missing: would be added back" in out
    assert "Differing from the sample data: 2 practices. Nothing was changed" in out
    assert Practice.objects.get(slug="newco-helsinki").description == "A curator's own words."
    call_command("reset_samples", "--yes")
    assert "Reset 2 practices to the sample data." in capsys.readouterr().out
    practice = Practice.objects.get(slug="newco-helsinki")
    assert practice.description.startswith("The City of Helsinki invests")
    assert practice.history.first().history_change_reason == "Reset to the sample data"
    assert Practice.objects.filter(slug="circular-flanders").exists()
    call_command("reset_samples")
    assert "nothing to reset" in capsys.readouterr().out


def test_reset_writes_only_what_the_fixture_lists(capsys):
    load()
    practice = Practice.objects.get(slug="newco-helsinki")
    practice.title = "Edited"
    practice.organisation = "City of Helsinki"  # a field the fixture does not list
    practice.start_year = 2021
    practice.save()
    call_command("reset_samples", "newco-helsinki", "--yes")
    practice.refresh_from_db()
    assert practice.title.startswith("Business incubation")
    assert (practice.organisation, practice.start_year) == ("City of Helsinki", 2021)


def test_factsheets_arrive_once_and_a_deleted_one_stays_deleted(capsys):
    from factsheets.models import CountryFactsheet

    out = load(capsys)
    count = CountryFactsheet.objects.count()
    assert count >= 10 and f"factsheets: {count} added" in out
    denmark = CountryFactsheet.objects.get(country="DK")
    assert denmark.history.get().history_change_reason == "Loaded from the sample data"
    denmark.objectives = "A curator's own words."
    denmark.save()
    CountryFactsheet.objects.get(country="NO").delete()
    out = load(capsys)
    assert "factsheets: 0 added" in out
    assert CountryFactsheet.objects.get(country="DK").objectives == "A curator's own words."
    assert not CountryFactsheet.objects.filter(country="NO").exists()
    assert CountryFactsheet.objects.count() == count - 1


def test_reset_samples_puts_a_revised_factsheet_back_with_the_fixtures_sources(capsys):
    from factsheets.models import CountryFactsheet, Source

    load()
    denmark = CountryFactsheet.objects.get(country="DK")
    stip_titles = sorted(denmark.sources.values_list("title", flat=True))
    denmark.objectives = "An older text."
    denmark.save()
    Source.objects.create(factsheet=denmark, title="An old website", year=2021, supports_level=True)
    call_command("reset_samples")
    assert "factsheet-dk: policy objectives, sources" in capsys.readouterr().out
    call_command("reset_samples", "factsheet-dk", "--yes")
    assert "Reset 0 practices and 1 factsheet to the sample data." in capsys.readouterr().out
    denmark.refresh_from_db()
    assert denmark.objectives.startswith("Denmark funds a small set of national cluster")
    assert sorted(denmark.sources.values_list("title", flat=True)) == stip_titles
    assert denmark.history.first().history_change_reason == "Reset to the sample data"
    call_command("reset_samples")
    assert "nothing to reset" in capsys.readouterr().out
