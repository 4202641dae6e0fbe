"""A factsheet's facts: the budget in words, what a curator may not enter, the fixtures."""

import json
from collections import Counter
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError

from factsheets.models import CountryFactsheet, Source
from practices.sampledata.samples import PRACTICE_FIXTURES as PRACTICE_FIXTURE_NAMES
from practices.sampledata.samples import fixture_path

pytestmark = pytest.mark.django_db

M = Decimal(1_000_000)


@pytest.mark.parametrize(
    ("low", "high", "year", "words"),
    [
        (50 * M, 100 * M, 2021, "EUR 50–100 million a year (2021)"),
        (0, 1 * M, 2021, "EUR up to 1 million a year (2021)"),
        (2500000, 2500000, None, "EUR 2.5 million a year"),
        (500 * M, None, 2020, "EUR more than 500 million a year (2020)"),
        (Decimal(250000), Decimal(750000), None, "EUR 250 000–750 000 a year"),
        (None, None, 2021, ""),
    ],
)
def test_the_budget_reads_as_words(low, high, year, words):
    factsheet = CountryFactsheet(country="DK", budget_low=low, budget_high=high, budget_year=year)
    assert factsheet.budget == words


def test_a_total_budget_in_another_currency():
    factsheet = CountryFactsheet(
        country="NO", budget_low=80 * M, budget_high=80 * M, budget_currency="NOK",
        budget_period="total", budget_year=2022,
    )  # fmt: skip
    assert factsheet.budget == "NOK 80 million in total (2022)"


@pytest.mark.parametrize(
    ("fields", "field_in_error"),
    [
        ({"budget_low": 5, "budget_high": 1}, "budget_high"),
        ({"budget_low": 5, "budget_currency": ""}, "budget_currency"),
        ({"budget_currency": "EURO"}, "budget_currency"),
        ({"budget_year": 1066}, "budget_year"),
        ({"policy_level": "federal"}, "policy_level"),
    ],
)
def test_a_curator_is_told_what_is_wrong(fields, field_in_error):
    factsheet = CountryFactsheet(country="DK", **fields)
    with pytest.raises(ValidationError) as refused:
        factsheet.full_clean()
    assert field_in_error in refused.value.message_dict


def test_every_field_but_the_country_is_optional():
    factsheet = CountryFactsheet(country="ES")
    factsheet.full_clean()
    factsheet.save()
    assert factsheet.budget == "" and factsheet.programme_list == []


def test_the_fixtures_hold_a_dated_and_sourced_factsheet_for_every_country_they_should(
    taxonomies,
):
    call_command("loaddata", "factsheets", verbosity=0)
    factsheets = list(CountryFactsheet.objects.prefetch_related("sources"))
    assert len(factsheets) >= 40
    assert {factsheet.country.code for factsheet in factsheets} >= expected_countries()
    for factsheet in factsheets:
        factsheet.full_clean()  # every filled section has a supporting source
        assert factsheet.policy_level and factsheet.objectives, factsheet
        sources = list(factsheet.sources.all())
        assert sources, factsheet
        for source in sources:
            source.full_clean()
            assert source.year == 2021 and source.sections, source  # the survey's year
            assert source.url.startswith("http")
    # facts from STIP Compass carry the OECD's credit
    stip = Source.objects.filter(url__startswith="http://stip.oecd.org/")
    assert stip.count() == Source.objects.count()
    assert all(source.title.startswith("EC-OECD (2021), STIP Compass") for source in stip)
    assert all(
        factsheet.updated_at.isoformat() == "2026-12-07T12:00:00+00:00" for factsheet in factsheets
    )


def expected_countries() -> set[str]:
    """Every country with at least 3 published practices in the fixtures and every EU member
    the STIP file covers. Not the EU itself: a factsheet's levels (national, regional) are a
    country's, and the EU's own cluster policy is the ECCP's subject, not a factsheet's."""
    published = Counter(
        entry["fields"]["country"]
        for name in PRACTICE_FIXTURE_NAMES
        for entry in json.loads(fixture_path(name).read_text(encoding="utf-8"))
        if entry["model"] == "practices.practice" and entry["fields"]["is_published"]
    )
    return ({code for code, count in published.items() if count >= 3} | EU_MEMBERS_IN_STIP) - {"EU"}


# The EU members with initiatives in the STIP Compass 2021 cluster-policy file
# (tests/practices/test_fixtures.py checks this list against the file where it is present).
EU_MEMBERS_IN_STIP = {
    "AT", "BE", "BG", "CY", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HU", "IE", "IT", "LT",
    "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI",
}  # fmt: skip


def stip_source(factsheet, name, **sections):
    return Source.objects.create(
        factsheet=factsheet,
        title=f"EC-OECD (2021), STIP Compass, initiative: {name}",
        url=f"http://stip.oecd.org/2021/data/policyInitiatives/{len(name)}",
        year=2021,
        **{f"supports_{section}": True for section in sections},
    )


def test_each_section_is_dated_by_the_latest_of_its_own_sources():
    factsheet = CountryFactsheet.objects.create(
        country="DK", policy_level="national", objectives="Strong clusters.", results="Good."
    )
    stip_source(factsheet, "Clusters", level=True, objectives=True)
    Source.objects.create(
        factsheet=factsheet, title="An evaluation", year=2024, supports_results=True,
        supports_objectives=True,
    )  # fmt: skip
    dating = CountryFactsheet.objects.of("DK").dating
    assert dating["level"].as_of == "Facts as of 2021 (STIP Compass, 2021 survey)"
    assert dating["objectives"].year == 2024
    assert dating["objectives"].as_of == "Facts as of 2024 (An evaluation)"
    assert dating["results"].as_of == "Facts as of 2024 (An evaluation)"
    assert dating["budget"].as_of == "No source listed" and dating["budget"].year is None


def test_clean_refuses_a_filled_section_that_no_source_supports_and_names_it():
    factsheet = CountryFactsheet.objects.create(
        country="DK", policy_level="national", programmes="Clusters, since 2021", results="Good."
    )
    stip_source(factsheet, "Clusters", level=True)
    with pytest.raises(ValidationError) as refused:
        factsheet.full_clean()
    assert set(refused.value.message_dict) == {"programmes", "results"}
    assert "tick 'programmes'" in refused.value.message_dict["programmes"][0]


def test_clean_accepts_a_supported_factsheet_and_changes_nothing_else():
    factsheet = CountryFactsheet.objects.create(
        country="DK", policy_level="national", budget_low=M, budget_high=5 * M,
        budget_currency="EUR", budget_note="The programme alone.",
    )  # fmt: skip
    stip_source(factsheet, "Clusters", level=True, budget=True)
    before = {field.attname: getattr(factsheet, field.attname) for field in factsheet._meta.fields}
    factsheet.full_clean()
    after = {field.attname: getattr(factsheet, field.attname) for field in factsheet._meta.fields}
    assert after == before
    assert factsheet.unsupported_sections(factsheet.sources.all()) == []


def test_an_unsaved_factsheet_with_facts_has_no_source_yet_unless_its_form_checks_them():
    factsheet = CountryFactsheet(country="DK", objectives="Strong clusters.")
    with pytest.raises(ValidationError) as refused:
        factsheet.full_clean()
    assert list(refused.value.message_dict) == ["objectives"]
    factsheet.defer_source_check = True  # the admin's inline checks the sources it is given
    factsheet.full_clean()


def test_a_source_must_support_a_section():
    factsheet = CountryFactsheet.objects.create(country="DK")
    source = Source(factsheet=factsheet, title="A report", year=2021)
    with pytest.raises(ValidationError):
        source.full_clean()
    with pytest.raises(IntegrityError):
        source.save()  # the database holds the rule too
