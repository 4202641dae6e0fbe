import pytest
from django.core.cache import cache
from django.test import override_settings

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_counters():
    cache.clear()
    yield
    cache.clear()


@override_settings(RATE_LIMITS={"api": "3/minute", "export": "2/minute"})
def test_the_api_answers_429_with_retry_after_past_the_limit(sample_practices, client):
    assert [client.get("/api/practices/").status_code for _ in range(3)] == [200, 200, 200]
    response = client.get("/api/practices/")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60


@override_settings(RATE_LIMITS={"api": "3/minute", "export": "2/minute"})
def test_the_export_answers_429_with_retry_after_past_the_limit(sample_practices, client):
    assert [client.get("/practices/export.csv").status_code for _ in range(2)] == [200, 200]
    response = client.get("/practices/export.csv")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert "Too many exports" in response.content.decode()


@override_settings(RATE_LIMITS={"api": "1/minute", "export": "1/minute"})
def test_limits_are_per_client(sample_practices, client):
    assert client.get("/api/practices/", REMOTE_ADDR="192.0.2.1").status_code == 200
    assert client.get("/api/practices/", REMOTE_ADDR="192.0.2.1").status_code == 429
    assert client.get("/api/practices/", REMOTE_ADDR="192.0.2.2").status_code == 200


@override_settings(RATE_LIMITS={"api": "1/minute", "export": "1/minute"})
def test_the_search_page_itself_is_not_limited(sample_practices, client):
    assert {client.get("/practices/").status_code for _ in range(5)} == {200}
