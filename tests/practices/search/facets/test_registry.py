"""Every facet of the registry reaches every place that reads it: a facet forgotten by one of
them fails here."""

import pytest
from django.http import QueryDict

from practices.csv_format import COLUMNS
from practices.search.facet_index.store import current_index
from practices.search.facets.registry import (
    CHOICE,
    CSV_COLUMNS,
    FACET_QUERY_PARAMS,
    FACETS,
    FIELD,
    FIXED,
    GROUPS,
    PARAMS,
    SPAN,
    TAGS,
    THROUGH,
    FacetSpec,
    csv_columns,
    of_kind,
)
from practices.search.filters import PracticeFilter


def test_each_facet_is_stored_the_way_its_kind_says():
    assert [spec.param for spec in of_kind(TAGS)] == [
        "challenge",
        "priority",
        "support",
        "recommendation",
        "instrument",
        "target_group",
    ]
    assert [spec.param for spec in of_kind(CHOICE)] == ["territorial_validity", "budget"]
    assert [spec.param for spec in of_kind(FIELD)] == ["country"]
    assert [spec.param for spec in of_kind(FIXED)] == ["evaluated"]
    assert [spec.param for spec in of_kind(THROUGH)] == ["typology"]
    assert [spec.param for spec in of_kind(SPAN)] == ["year"]
    assert [spec.param for spec in of_kind(GROUPS)] == ["country_group"]
    assert all(spec.multi_valued == (spec.kind in (TAGS, SPAN)) for spec in FACETS)


def test_the_filterset_has_one_filter_per_facet_between_keywords_and_sort():
    filters = PracticeFilter.base_filters
    assert list(filters) == ["q", *FACET_QUERY_PARAMS, "sort"]
    assert [name for name in FACET_QUERY_PARAMS if name.endswith("_match")] == [
        "challenge_match",
        "priority_match",
        "support_match",
        "recommendation_match",
        "instrument_match",
        "target_group_match",
    ]
    for spec in FACETS:
        assert filters[spec.param].label == spec.label
        assert filters[spec.param].field_name == spec.path
        # every selected value required within a multi-valued facet, any within a single one
        assert filters[spec.param].conjoined == spec.multi_valued


def test_a_facet_added_later_appends_its_column_after_every_existing_one():
    later = FacetSpec("language", "language", "Language", "language")
    assert csv_columns([*FACETS, later]) == (*COLUMNS, "language")
    assert csv_columns(FACETS) == CSV_COLUMNS == tuple(COLUMNS)  # today: the format's own


def test_every_facet_has_a_csv_column_but_spans_which_have_their_start_and_end():
    assert {spec.csv_column for spec in FACETS if spec.kind != SPAN} <= set(CSV_COLUMNS)
    assert all(spec.csv_column is None for spec in of_kind(SPAN))


@pytest.mark.django_db
def test_the_index_page_and_api_count_every_facet(sample_practices, client):
    # the index holds the stored facets; a derived one's bits are made from another's
    stored = [spec.param for spec in FACETS if not spec.kind.derived]
    assert stored == [param for param in PARAMS if param != "country_group"]
    assert list(current_index().bits) == stored
    assert [facet.param for facet in client.get("/practices/").context["facets"]] == list(PARAMS)
    assert list(client.get("/api/practices/").json()["facets"]) == list(PARAMS)
    assert list(client.get("/api/taxonomies/").json()) == list(PARAMS)


@pytest.mark.django_db
def test_a_facet_value_read_from_the_url_is_the_key_the_engines_count_by(sample_practices):
    filterset = PracticeFilter(
        QueryDict("priority=resilience&country=FI&typology=creative-digital-capitals")
    )
    assert filterset.is_valid()
    selected = filterset.criteria().selected
    assert selected["country"] == {"FI"}
    resilience = {option.pk for option in filterset.form.cleaned_data["priority"]}
    assert selected["priority"] == resilience
    assert all(isinstance(key, int) for key in selected["typology"])


def test_a_countrys_name_reads_in_the_active_language_whoever_asked_first():
    from django.utils import translation

    from practices.search.facets.registry import FACETS

    country = next(spec for spec in FACETS if spec.param == "country")
    with translation.override("fr"):
        assert country.option_name("FI") == "Finlande"
    with translation.override("en"):
        assert country.option_name("FI") == "Finland"  # not the French kept from before
