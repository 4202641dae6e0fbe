import pytest

from practices.models import Practice
from practices.search.facets.registry import PARAMS
from tests.factories import make_practice
from tests.searching import api_slugs, csv_slugs, html_slugs

pytestmark = pytest.mark.django_db

SEARCHES = [
    "",
    "challenge=skills&priority=green-transition",
    "challenge=skills&priority=green-transition&support=intelligence",
    "typology=creative-digital-capitals",
    "country=FI&country=DK",
    "q=Innovationsnetv%C3%A6rk",
    "q=cluster&sort=-updated",
    "q=innovation+networks",
    "sort=country",
]


@pytest.mark.parametrize("query", SEARCHES)
def test_the_page_the_api_and_the_export_return_the_same_practices_in_the_same_order(
    sample_practices, client, query
):
    html = html_slugs(client, query)
    assert api_slugs(client, query) == html
    assert csv_slugs(client, query) == html


@pytest.mark.parametrize("query", SEARCHES)
def test_api_facets_are_the_facet_counts_of_the_page(sample_practices, client, query):
    api_facets = client.get(f"/api/practices/?{query}").json()["facets"]
    page_facets = client.get(f"/practices/?{query}").context["facets"]
    assert list(api_facets) == list(PARAMS)
    assert api_facets == {
        facet.param: [{"slug": o.slug, "name": o.name, "count": o.count} for o in facet.options]
        for facet in page_facets
    }


def test_the_list_is_paginated_with_count_next_and_previous(sample_practices, client):
    body = client.get("/api/practices/?page_size=10&page=2").json()
    assert body["count"] == 15
    assert len(body["results"]) == 5
    assert body["next"] is None
    assert body["previous"].endswith("/api/practices/?page_size=10")
    assert client.get("/api/practices/").json()["next"] is None  # default page of 20


def test_a_practice_reads_like_its_csv_row_with_tags_as_objects(sample_practices, client):
    body = client.get("/api/practices/newco-helsinki/").json()
    assert body["url"] == "http://testserver/practices/newco-helsinki/"
    assert body["country"] == "FI" and body["country_name"] == "Finland"
    assert body["territorial_validity"] == {"slug": "regional", "name": "Regional"}
    assert body["thematic_priorities"] == [
        {"slug": "resilience", "name": "Resilience"},
        {"slug": "digital-transition", "name": "Digital transition"},
    ]
    assert [r["slug"] for r in body["recommendations"]] == ["r9", "r12"]
    assert body["recommendations"][1] == {
        "slug": "r12",
        "name": "Develop an active role of clusters in local labour markets",
        "number": 12,
        "pillar": "BUILD RESILIENCE",
    }
    assert body["region_code"] == "FI1B" and body["region_name"] == "Helsinki-Uusimaa"
    assert body["typology"] == {
        "slug": "creative-digital-capitals",
        "name": "Creative digital / Capitals",
    }
    assert body["updated"] == "2021-11-12"


def test_a_practice_carries_its_facts(taxonomies, client):
    make_practice(
        slug="facts",
        years=(2019, None),
        organisation="Business Finland",
        evaluation_links="https://example.eu/r1\nhttps://example.eu/r2",
        source_id="http://stip.oecd.org/2021/data/policyInitiatives/99",
        target_groups=["smes"],
        instruments=["innovation-vouchers"],
        budget="5m-20m",
        evaluated=True,
    )
    body = client.get("/api/practices/facts/").json()
    assert {name: body[name] for name in list(body)[-10:]} == {
        "instrument_types": [{"slug": "innovation-vouchers", "name": "Innovation vouchers"}],
        "budget_range": {"slug": "5m-20m", "name": "5M-20M"},
        "evaluated": True,
        "target_groups": [{"slug": "smes", "name": "SMEs"}],
        "start_year": 2019,
        "end_year": None,
        "organisation": "Business Finland",
        "evaluation_links": ["https://example.eu/r1", "https://example.eu/r2"],
        "source_id": "http://stip.oecd.org/2021/data/policyInitiatives/99",
        # derived from the country, as the CSV's column
        "country_groups": [
            {"slug": "eu27", "name": "EU-27"},
            {"slug": "nordic", "name": "Nordic countries"},
        ],
    }


def test_a_practice_without_region_has_nulls(sample_practices, client):
    body = client.get("/api/practices/cluster-programme-latvia/").json()
    assert body["region_code"] is None and body["typology"] is None
    assert body["recommendations"] == []


def test_a_region_of_unknown_typology_has_a_null_typology(taxonomies, client):
    from tests.factories import make_region

    make_practice(slug="brussels", region=make_region(code="BE10", name="Brussels", typology=None))
    body = client.get("/api/practices/brussels/").json()
    assert body["region_code"] == "BE10" and body["typology"] is None


def test_drafts_are_invisible_to_the_api(taxonomies, client):
    make_practice(slug="draft", is_published=False)
    assert client.get("/api/practices/draft/").status_code == 404
    assert client.get("/api/practices/").json()["count"] == 0


def test_taxonomies_list_every_value_with_published_counts(sample_practices, client):
    body = client.get("/api/taxonomies/").json()
    assert list(body) == list(PARAMS)
    assert body["challenge"] == {
        "label": "Strategic challenges",
        "values": [
            {"slug": "innovation", "name": "Innovation", "count": 12},
            {"slug": "skills", "name": "Skills", "count": 9},
            {"slug": "value-chains", "name": "Value chains", "count": 7},
            {"slug": "internationalisation", "name": "Internationalisation", "count": 7},
        ],
    }
    assert len(body["recommendation"]["values"]) == 15
    assert len(body["typology"]["values"]) == 7


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("priority=blue-economy", "priority"),
        ("country=ZZ", "country"),
        ("sort=price", "sort"),
        ("page=abc", "page"),
        ("page=0", "page"),
        ("page_size=101", "page_size"),
        ("page_size=0", "page_size"),
        ("page_size=ten", "page_size"),
        ("q=" + "x" * 201, "q"),
    ],
)
def test_bad_parameters_answer_400_naming_the_parameter(sample_practices, client, query, parameter):
    response = client.get(f"/api/practices/?{query}")
    assert response.status_code == 400
    assert list(response.json()) == [parameter]


def test_an_oversized_page_answers_404_naming_the_page(sample_practices, client):
    response = client.get("/api/practices/?page=99999999999999999999")
    assert response.status_code == 404
    assert response.json()["detail"].startswith("There is no page 99999999999999999999")


def test_api_list_query_count_does_not_grow_with_the_data(
    taxonomies, client, django_assert_max_num_queries
):
    for number in range(60):
        make_practice(
            priorities=["resilience"], recommendations=[f"r{number % 15 + 1}"], country="FI"
        )
    # 24 with the four tag relations: one prefetch each
    with django_assert_max_num_queries(20 + len(Practice._meta.many_to_many)):
        assert client.get("/api/practices/?page_size=50&priority=resilience").status_code == 200


def test_every_api_error_is_json(sample_practices, client):
    cases = {
        "/api/practices/%C3%A9t%C3%A9/": 404,  # a non-ASCII slug matches no address
        "/api/practices/no-such-practice/": 404,
        "/api/nowhere/": 404,
        "/api/practices/?page=": 400,
        "/api/practices/?page_size=": 400,
        "/api/practices/?page=0": 400,
        "/api/practices/?page_size=101": 400,
        "/api/practices/?challenge=": 400,
        "/api/practices/?sort=": 400,
        "/api/practices/?challenge_match=": 400,
        "/api/practices/?page=99": 404,
        "/api/practices/?q=" + "a" * 4100: 414,
    }
    for address, status in cases.items():
        response = client.get(address)
        assert response.status_code == status, address
        assert response["Content-Type"] == "application/json", address
        assert response.json(), address
    # the page stays as forgiving as before: an empty value is no value
    assert client.get("/practices/?sort=").status_code in (200, 302)


def test_the_api_starts_at_an_index_of_its_endpoints(client):
    index = client.get("/api/").json()
    assert index["practices"] == "http://testserver/api/practices/"
    assert index["openapi"] == "http://testserver/api/openapi.json"
    assert index["documentation"] == "http://testserver/api/docs/"
    for address in index.values():
        path = address.removeprefix("http://testserver").replace("{slug}/", "")
        assert client.get(path).status_code == 200, path


def test_the_documentation_page_shows_every_operation_and_allowed_value(sample_practices, client):
    from practices.models import TargetGroup

    content = client.get("/api/docs/").content.decode()
    for operation in ["GET /api/practices/", "GET /api/practices/{slug}/", "GET /api/taxonomies/"]:
        assert f"<code>{operation}</code>" in content
    for name in ["challenge", "challenge_match", "page_size", "year", "q", "sort"]:
        assert f"<code>{name}</code>" in content
    assert "from 1 to 100" in content and "at most 200 characters" in content
    assert TargetGroup.objects.first().slug in content
    assert "<script" not in content  # drawn on the server, from our own files


@pytest.mark.parametrize(
    "address",
    [
        "/api/practices/",
        "/api/practices/newco-helsinki/",
        "/api/taxonomies/",
        "/api/openapi.json",
        "/data/catalog.jsonld",
        "/practices/export.csv",
        "/practices/export.xlsx",
        "/practices/feed/",
    ],
)
def test_public_read_only_data_is_open_to_any_origin(sample_practices, client, address):
    response = client.get(address, HTTP_ORIGIN="https://notebook.example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    assert not response.cookies


@pytest.mark.parametrize("address", ["/admin/login/", "/practices/", "/practices/suggest/", "/"])
def test_pages_and_the_admin_are_not_open_to_other_origins(sample_practices, client, address):
    response = client.get(address, HTTP_ORIGIN="https://notebook.example.org")
    assert "Access-Control-Allow-Origin" not in response


def test_a_browser_asking_first_may_read_the_api(sample_practices, client):
    response = client.options(
        "/api/practices/",
        HTTP_ORIGIN="https://notebook.example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response["Access-Control-Allow-Methods"]
