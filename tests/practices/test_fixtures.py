import csv
import json
import re

import pytest
from django.core import serializers
from django.core.management import call_command
from django.test import override_settings

from practices.models import (
    Pillar,
    Practice,
    Recommendation,
    Region,
    StrategicChallenge,
    SupportType,
    TerritorialValidity,
    ThematicPriority,
    Typology,
)
from practices.sampledata.samples import fixture_path
from tests.shared_data import STIP_FILE, needs_stip_file

pytestmark = pytest.mark.django_db
OBJECTIVES = tuple(f"Objectives{number}" for number in range(1, 7))

ALL_MODELS = [
    TerritorialValidity,
    ThematicPriority,
    StrategicChallenge,
    SupportType,
    Pillar,
    Recommendation,
    Typology,
    Region,
    Practice,
]


def snapshot():
    return {
        model.__name__: json.loads(serializers.serialize("json", model.objects.order_by("pk")))
        for model in ALL_MODELS
    }


def test_taxonomies_hold_every_value_of_the_domain(taxonomies):
    assert list(TerritorialValidity.objects.values_list("slug", flat=True)) == [
        "national",
        "regional",
    ]
    assert list(ThematicPriority.objects.values_list("slug", flat=True)) == [
        "resilience",
        "green-transition",
        "digital-transition",
    ]
    assert list(StrategicChallenge.objects.values_list("slug", flat=True)) == [
        "innovation",
        "skills",
        "value-chains",
        "internationalisation",
    ]
    assert list(SupportType.objects.values_list("slug", flat=True)) == [
        "intelligence",
        "networking",
        "business-services",
    ]
    assert list(Recommendation.objects.values_list("slug", flat=True)) == [
        f"r{n}" for n in range(1, 16)
    ]
    assert [
        (pillar.name, [r.number for r in pillar.recommendations.order_by("number")])
        for pillar in Pillar.objects.all()
    ] == [
        ("LEAD GREEN TRANSITION", [1, 2, 3, 4, 5]),
        ("ACCELERATE DIGITAL TRANSITION", [6, 7, 8, 9, 10]),
        ("BUILD RESILIENCE", [11, 12, 13, 14, 15]),
    ]
    assert list(Typology.objects.values_list("number", "slug")) == [
        (1, "agri-textile"),
        (2, "agri-tourism"),
        (3, "energy-industry"),
        (4, "creative-digital-capitals"),
        (5, "health-local"),
        (6, "electronics-mobility"),
        (7, "non-specialised-diversified"),
    ]


def test_the_hand_written_samples_are_fifteen_with_newco_helsinki_retired(taxonomies):
    call_command("loaddata", "sample_practices", verbosity=0)
    assert Practice.objects.count() == 15
    published = set(Practice.objects.published().values_list("slug", flat=True))
    assert len(published) == 14 and "newco-helsinki" not in published
    # retired, not deleted: no source supports it, and it stays in the database and its history
    helsinki = Practice.objects.get(slug="newco-helsinki")
    assert (helsinki.country.code, helsinki.region.code) == ("FI", "FI1B")


def test_the_tests_frozen_samples_are_the_fifteen_all_published(sample_practices):
    assert Practice.objects.published().count() == 15
    helsinki = Practice.objects.get(slug="newco-helsinki")
    assert helsinki.region.typology.slug == "creative-digital-capitals"
    assert set(helsinki.recommendations.values_list("slug", flat=True)) == {"r9", "r12"}


def test_loading_the_fixtures_twice_changes_nothing(taxonomies):
    call_command("loaddata", "sample_practices", verbosity=0)
    before = snapshot()
    call_command("loaddata", "taxonomies", "sample_practices", verbosity=0)
    assert snapshot() == before


def test_make_run_shows_at_least_250_published_practices_from_55_countries(taxonomies, client):
    with override_settings(SIMPLE_HISTORY_ENABLED=False):
        call_command(
            "loaddata", "sample_practices", "stip_practices", "stip_practices_batch2", verbosity=0
        )
    published = Practice.objects.published()
    assert published.count() >= 250
    assert published.values("country").distinct().count() >= 55
    stip = published.filter(origin="stip")
    assert stip.count() >= 270 and not stip.filter(source_id="").exists()
    assert not stip.filter(tags_proposed=True).exists()  # tags read and assigned by a person
    assert all(
        len(description) >= 300 for description in stip.values_list("description", flat=True)
    )
    page = client.get(stip.first().get_absolute_url()).content.decode()
    assert "EC-OECD (2021), STIP Compass" in page
    assert client.get("/practices/").context["page"].paginator.count == published.count()


def _fixture_practices(*names):
    for name in names:
        for record in json.loads(fixture_path(name).read_text(encoding="utf-8")):
            if record["model"] == "practices.practice":
                yield record["fields"]


PRACTICE_FIXTURE_NAMES = ("sample_practices", "stip_practices", "stip_practices_batch2")


def test_no_sample_practice_says_it_is_ongoing():
    # a blank end year is "none reported", never "still running"
    saying = [
        fields["slug"]
        for fields in _fixture_practices(*PRACTICE_FIXTURE_NAMES)
        if re.search(r"\bongoing\b|still running", fields["description"], re.IGNORECASE)
    ]
    assert saying == []


def test_every_reviewed_sample_practice_has_a_challenge_a_support_type_and_who_reviewed_it():
    reviewed = [f for f in _fixture_practices(*PRACTICE_FIXTURE_NAMES) if f.get("reviewed_at")]
    assert len(reviewed) >= 200
    assert all(f["challenges"] and f["support_types"] and f["reviewed_by"] for f in reviewed)


def _runs_of_eight_words(text) -> set[str]:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return {" ".join(words[i : i + 8]) for i in range(len(words) - 7)}


@needs_stip_file
def test_no_stip_description_shares_a_run_of_eight_words_with_its_source():
    sources = {}
    with open(STIP_FILE, encoding="utf-8", newline="") as stip:
        for row in csv.DictReader(stip):
            text = " ".join(
                row.get(column, "") for column in ("ShortDescription", "Background", *OBJECTIVES)
            )
            sources[row["InitiativeID"]] = sources.get(row["InitiativeID"], "") + " " + text
    copied = {}
    for fields in _fixture_practices("stip_practices", "stip_practices_batch2"):
        shared = _runs_of_eight_words(fields["description"]) & _runs_of_eight_words(
            sources[fields["source_id"]]
        )
        if shared:
            copied[fields["slug"]] = sorted(shared)[:2]
    assert copied == {}


@needs_stip_file
def test_no_factsheet_text_shares_a_run_of_eight_words_with_the_stip_file():
    # factsheets summarise a country's initiatives together: compared with the whole file
    stip_runs = set()
    with open(STIP_FILE, encoding="utf-8", newline="") as stip:
        for row in csv.DictReader(stip):
            text = " ".join(
                row.get(column, "")
                for column in (
                    "ShortDescription",
                    "Background",
                    *OBJECTIVES,
                    "InstrumentDescription",
                )
            )
            stip_runs |= _runs_of_eight_words(text)
    copied = {}
    for record in json.loads(fixture_path("factsheets").read_text(encoding="utf-8")):
        if record["model"] != "factsheets.countryfactsheet":
            continue
        fields = record["fields"]
        for name in ("objectives", "results", "budget_note"):
            shared = _runs_of_eight_words(fields[name]) & stip_runs
            if shared:
                copied[f"{fields['country']} {name}"] = sorted(shared)[:2]
    assert copied == {}


@needs_stip_file
def test_every_eu_member_in_the_stip_file_has_a_factsheet():
    from tests.factsheets.test_models import EU_MEMBERS_IN_STIP

    with open(STIP_FILE, encoding="utf-8", newline="") as stip:
        jurisdictions = {row["CountryCode"] for row in csv.DictReader(stip)}
    eu = {"AUT": "AT", "BEL": "BE", "BGR": "BG", "HRV": "HR", "CYP": "CY", "CZE": "CZ",
          "DNK": "DK", "EST": "EE", "FIN": "FI", "FRA": "FR", "DEU": "DE", "GRC": "GR",
          "HUN": "HU", "IRL": "IE", "ITA": "IT", "LVA": "LV", "LTU": "LT", "LUX": "LU",
          "MLT": "MT", "NLD": "NL", "POL": "PL", "PRT": "PT", "ROU": "RO", "SVK": "SK",
          "SVN": "SI", "ESP": "ES", "SWE": "SE"}  # fmt: skip
    in_file = {eu["BEL" if code.startswith("BE") else code] for code in jurisdictions
               if code in eu or code.startswith("BE")}  # fmt: skip
    assert in_file == EU_MEMBERS_IN_STIP
    with_factsheet = {
        record["fields"]["country"]
        for record in json.loads(fixture_path("factsheets").read_text(encoding="utf-8"))
        if record["model"] == "factsheets.countryfactsheet"
    }
    assert in_file <= with_factsheet


def test_the_stip_fixtures_give_no_region_a_typology_no_source_states():
    """A region's Panorama group is given only where a citable source states it; the
    regions the STIP practices name have none in such a source, so their group is unknown."""
    regions = [
        record["fields"]
        for name in ("stip_practices", "stip_practices_batch2")
        for record in json.loads(fixture_path(name).read_text(encoding="utf-8"))
        if record["model"] == "practices.region"
    ]
    assert {region["code"] for region in regions} == {"BE10", "BE22"}
    assert all(region["typology"] is None for region in regions)
