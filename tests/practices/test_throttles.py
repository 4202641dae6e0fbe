import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.test import RequestFactory, override_settings

from practices.throttles import SuggestRateThrottle, seconds_to_wait, wait_in_words

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


ONE_SUGGESTION_AN_HOUR = {"api": "1/minute", "export": "1/minute", "suggest": "1/hour"}


def suggestion_request(address="192.0.2.1", user=None):
    request = RequestFactory().post("/practices/suggest/", REMOTE_ADDR=address)
    request.user = user or AnonymousUser()
    return request


@override_settings(RATE_LIMITS=ONE_SUGGESTION_AN_HOUR)
def test_the_suggestion_limit_looks_without_counting_and_counts_what_was_accepted():
    throttle = SuggestRateThrottle()
    looks = [seconds_to_wait(throttle, suggestion_request()) for _ in range(3)]
    assert looks == [None, None, None]
    throttle.count_accepted(suggestion_request())
    assert 3590 < seconds_to_wait(SuggestRateThrottle(), suggestion_request()) <= 3600
    assert seconds_to_wait(SuggestRateThrottle(), suggestion_request("192.0.2.2")) is None


@override_settings(RATE_LIMITS=ONE_SUGGESTION_AN_HOUR)
def test_staff_signed_in_are_neither_counted_nor_limited(django_user_model):
    curator = django_user_model.objects.create_user("curator", is_staff=True)
    for _ in range(2):
        SuggestRateThrottle().count_accepted(suggestion_request(user=curator))
        assert seconds_to_wait(SuggestRateThrottle(), suggestion_request(user=curator)) is None
    assert seconds_to_wait(SuggestRateThrottle(), suggestion_request()) is None


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (1, "1 second"),
        (40, "40 seconds"),
        (60, "1 minute"),
        (61, "2 minutes"),
        (3600, "60 minutes"),
        (7200, "120 minutes"),
        (7201, "3 hours"),
        (86400, "24 hours"),
    ],
)
def test_a_wait_reads_in_seconds_minutes_or_hours_rounded_up(seconds, words):
    assert wait_in_words(seconds) == words
