"""The OpenAPI description is checked against real responses, not just parsed."""

import jsonschema
import pytest

from tests.factories import make_practice

pytestmark = pytest.mark.django_db


@pytest.fixture
def openapi(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    return response.json()


def validate(document, schema, instance):
    """Validate ``instance`` against ``schema``, resolving $refs inside the OpenAPI document."""
    jsonschema.Draft202012Validator({**document, **schema}).validate(instance)


def response_schema(document, path, status="200"):
    return document["paths"][path]["get"]["responses"][status]["content"]["application/json"][
        "schema"
    ]


def test_the_description_is_openapi_3_with_every_endpoint(openapi):
    assert openapi["openapi"].startswith("3.")
    assert set(openapi["paths"]) == {
        "/api/practices/",
        "/api/practices/{slug}/",
        "/api/taxonomies/",
    }
    parameters = {p["name"] for p in openapi["paths"]["/api/practices/"]["get"]["parameters"]}
    assert parameters >= {
        "q",
        "territorial_validity",
        "priority",
        "challenge",
        "support",
        "recommendation",
        "typology",
        "country",
        "sort",
        "page",
        "page_size",
    }


def test_real_list_responses_match_the_description(sample_practices, client, openapi):
    schema = response_schema(openapi, "/api/practices/")
    for query in ["", "challenge=skills&page_size=2", "typology=creative-digital-capitals"]:
        validate(openapi, schema, client.get(f"/api/practices/?{query}").json())


def test_a_real_detail_response_matches_the_description(sample_practices, client, openapi):
    schema = response_schema(openapi, "/api/practices/{slug}/")
    for slug in ["newco-helsinki", "cluster-programme-latvia"]:
        validate(openapi, schema, client.get(f"/api/practices/{slug}/").json())


def test_a_practice_with_every_fact_matches_the_description(taxonomies, client, openapi):
    make_practice(
        slug="facts",
        years=(2019, 2023),
        organisation="Business Finland",
        evaluation_links="https://example.eu/r1",
        source_id="http://stip.oecd.org/2021/data/policyInitiatives/99",
        target_groups=["smes"],
        instruments=["innovation-vouchers"],
        budget="5m-20m",
        evaluated=False,
    )
    schema = response_schema(openapi, "/api/practices/{slug}/")
    body = client.get("/api/practices/facts/").json()
    validate(openapi, schema, body)
    body["evaluation_links"] = "https://example.eu/r1"  # a string, not a list
    with pytest.raises(jsonschema.ValidationError):
        validate(openapi, schema, body)


def test_real_taxonomies_match_the_description(sample_practices, client, openapi):
    schema = response_schema(openapi, "/api/taxonomies/")
    validate(openapi, schema, client.get("/api/taxonomies/").json())


def test_a_real_error_matches_the_description(sample_practices, client, openapi):
    schema = response_schema(openapi, "/api/practices/", "400")
    validate(openapi, schema, client.get("/api/practices/?priority=nope").json())


def test_the_schema_would_catch_a_wrong_response(sample_practices, client, openapi):
    schema = response_schema(openapi, "/api/practices/")
    body = client.get("/api/practices/").json()
    body["results"][0]["thematic_priorities"] = "Resilience"
    with pytest.raises(jsonschema.ValidationError):
        validate(openapi, schema, body)


def test_the_filters_list_their_allowed_values_from_the_taxonomies(sample_practices, openapi):
    from practices.models import StrategicChallenge

    parameters = {
        p["name"]: p["schema"] for p in openapi["paths"]["/api/practices/"]["get"]["parameters"]
    }
    challenges = list(StrategicChallenge.objects.values_list("slug", flat=True))
    assert parameters["challenge"] == {
        "type": "array",
        "items": {"type": "string", "enum": challenges},
    }
    assert parameters["evaluated"]["items"]["enum"] == ["yes", "no"]
    assert parameters["country_group"]["items"]["enum"] == [
        "eu27", "efta", "nordic", "baltic", "western-balkans", "eastern-partnership",
        "eu-candidates", "rest-of-world",
    ]  # fmt: skip
    assert parameters["year"]["items"] == {"type": "integer", "minimum": 1900, "maximum": 2100}
    assert parameters["page"] == {"type": "integer", "minimum": 1, "default": 1}
    assert parameters["page_size"]["minimum"] == 1 and parameters["page_size"]["maximum"] == 100
    assert parameters["q"]["maxLength"] == 200
    assert set(openapi["paths"]["/api/practices/"]["get"]["responses"]) == {
        "200", "400", "404", "414", "429", "503",
    }  # fmt: skip
    detail = openapi["paths"]["/api/practices/{slug}/"]["get"]
    assert {"404", "414", "429", "503"} <= set(detail["responses"])
    assert "Retry-After" in detail["responses"]["429"]["headers"]
