"""A factsheet's facts: the budget in words, what a curator may not enter, the fixtures."""

import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from factsheets.models import CountryFactsheet, Source

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


def test_the_fixtures_hold_at_least_ten_factsheets_each_with_dated_sources(taxonomies):
    call_command("loaddata", "factsheets", verbosity=0)
    factsheets = list(CountryFactsheet.objects.prefetch_related("sources"))
    assert len(factsheets) >= 10
    sample_countries = {
        entry["fields"]["country"]
        for name in ("sample_practices", "stip_practices")
        for entry in json.loads(Path(f"fixtures/{name}.json").read_text(encoding="utf-8"))
        if entry["model"] == "practices.practice"
    }
    for factsheet in factsheets:
        factsheet.full_clean()
        assert factsheet.country.code in sample_countries
        assert factsheet.policy_level and factsheet.objectives
        sources = list(factsheet.sources.all())
        assert sources, factsheet
        for source in sources:
            source.full_clean()
            assert 2000 <= source.year <= 2026 and source.url.startswith("http")
    # facts from STIP Compass carry the OECD's credit
    stip = Source.objects.filter(url__startswith="http://stip.oecd.org/")
    assert stip.exists()
    assert all(source.title.startswith("EC-OECD (2021), STIP Compass") for source in stip)
