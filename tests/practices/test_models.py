import datetime

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from practices.models import Practice, Region, TerritorialValidity, Typology
from tests.factories import make_practice, make_region

pytestmark = pytest.mark.django_db


def test_a_duplicate_slug_is_refused_by_the_database(taxonomies):
    make_practice(slug="innovation-networks-denmark")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_practice(slug="innovation-networks-denmark")
    assert Practice.objects.filter(slug="innovation-networks-denmark").count() == 1


def test_a_practice_without_a_country_is_refused_by_the_database(taxonomies):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_practice(country="")
    assert not Practice.objects.exists()


def test_a_practice_without_a_territorial_validity_is_refused(taxonomies):
    with pytest.raises(IntegrityError), transaction.atomic():
        Practice.objects.create(slug="x", title="X", description="d", country="FI")


def test_an_empty_title_is_refused_by_the_database(taxonomies):
    with pytest.raises(IntegrityError), transaction.atomic():
        Practice.objects.create(
            slug="untitled",
            title="",
            description="d",
            country="FI",
            territorial_validity=TerritorialValidity.objects.get(slug="national"),
        )


def test_a_territorial_validity_in_use_cannot_be_deleted(taxonomies):
    make_practice(territorial_validity="regional")
    with pytest.raises(ProtectedError):
        TerritorialValidity.objects.get(slug="regional").delete()


def test_a_typology_with_regions_cannot_be_deleted(taxonomies):
    make_region(typology="agri-tourism", code="CY00", name="Kypros")
    with pytest.raises(ProtectedError):
        Typology.objects.get(slug="agri-tourism").delete()
    assert Region.objects.filter(code="CY00").exists()


def test_saving_refreshes_the_folded_search_text(taxonomies):
    practice = make_practice(title="Innovationsnetværk Danmark", description="Støtte til klynger")
    assert practice.search_document == "innovationsnetvaerk danmark støtte til klynger".replace(
        "ø", "o"
    )


def test_saving_touches_updated_at_unless_told_to_keep_it(taxonomies):
    practice = make_practice()
    kept = datetime.datetime(2021, 11, 12, tzinfo=datetime.UTC)
    practice.updated_at = kept
    practice.save(touch=False)
    practice.refresh_from_db()
    assert practice.updated_at == kept

    practice.title = "Renamed"
    practice.save()
    practice.refresh_from_db()
    assert practice.updated_at > kept


def test_published_holds_only_published_practices(taxonomies):
    make_practice(slug="public")
    make_practice(slug="draft", is_published=False)
    assert set(Practice.objects.published().values_list("slug", flat=True)) == {"public"}


def test_paragraphs_split_the_description_on_blank_lines(taxonomies):
    practice = make_practice(description="First paragraph.\r\n\r\nSecond\nparagraph.\n\n\n")
    assert practice.paragraphs == ["First paragraph.", "Second\nparagraph."]


def test_a_recommendation_reads_as_pillar_and_title(taxonomies):
    from practices.models import Recommendation

    assert str(Recommendation.objects.get(slug="r5")) == (
        "LEAD GREEN TRANSITION: Use clusters as intermediaries to support the green transition"
    )


@pytest.mark.parametrize(
    ("origin", "survey_year", "years", "expected"),
    [
        ("stip", 2021, (2008, None), "2008 – no end year reported"),
        ("stip", None, (2008, None), "2008 – no end year reported"),
        ("curator", None, (2008, None), "2008 – no end year given"),
        ("suggestion", None, (2019, None), "2019 – no end year given"),
        ("curator", None, (2015, 2021), "2015–2021"),
        ("curator", None, (2021, 2021), "2021"),
        ("curator", None, (None, 2021), ""),
    ],
)
def test_a_blank_end_year_reads_as_none_reported_or_given_never_as_ongoing(
    taxonomies, origin, survey_year, years, expected
):
    practice = make_practice(origin=origin, survey_year=survey_year, years=years)
    assert practice.years == expected
    assert "ongoing" not in practice.years and "since" not in practice.years


def test_organisations_are_kept_one_a_line_without_blank_lines(taxonomies):
    practice = make_practice(organisation="Business Finland (BF)  \r\n\r\n  \r\nIDA Ireland\r\n")
    practice.refresh_from_db()
    assert practice.organisation == "Business Finland (BF)\nIDA Ireland"
    assert practice.organisation_list == ["Business Finland (BF)", "IDA Ireland"]
    whole = "\n".join(f"Ministry number {number} of a long list" for number in range(20))
    practice.organisation = whole
    practice.save()
    practice.refresh_from_db()
    assert practice.organisation == whole and len(whole) > 300  # never cut
