import json

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

pytestmark = pytest.mark.django_db

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


def test_sample_practices_are_the_fifteen_real_ones_all_published(sample_practices):
    assert Practice.objects.count() == 15
    assert Practice.objects.published().count() == 15
    helsinki = Practice.objects.get(slug="newco-helsinki")
    assert helsinki.country.code == "FI"
    assert helsinki.region.code == "FI1B"
    assert helsinki.region.typology.slug == "creative-digital-capitals"
    assert set(helsinki.recommendations.values_list("slug", flat=True)) == {"r9", "r12"}


def test_loading_the_fixtures_twice_changes_nothing(sample_practices):
    before = snapshot()
    call_command("loaddata", "taxonomies", "sample_practices", verbosity=0)
    assert snapshot() == before


def test_make_run_shows_at_least_75_published_practices_from_35_countries(taxonomies, client):
    with override_settings(SIMPLE_HISTORY_ENABLED=False):
        call_command("loaddata", "sample_practices", "stip_practices", verbosity=0)
    published = Practice.objects.published()
    assert published.count() >= 75
    assert published.values("country").distinct().count() >= 35
    stip = published.filter(origin="stip")
    assert stip.count() >= 60 and not stip.filter(source_id="").exists()
    assert not stip.filter(tags_proposed=True).exists()  # tags read and assigned by a person
    assert all(
        len(description) >= 300 for description in stip.values_list("description", flat=True)
    )
    page = client.get(stip.first().get_absolute_url()).content.decode()
    assert "EC-OECD (2021), STIP Compass" in page
    assert client.get("/practices/").context["page"].paginator.count == published.count()
