"""Arbitrary, repeated, oversized and malicious parameters never cause a 500 and are never
echoed into HTML unescaped. Budget: EXAMPLES per parameter per endpoint, plus mixed runs."""

from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

EXAMPLES = 25
ENDPOINTS = ["/practices/", "/api/practices/", "/practices/export.csv"]
PARAMETERS = [
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
]
NASTY = [
    "' OR 1=1 --",
    "1; DROP TABLE practices_practice;",
    '"><script>alert(1)</script>',
    "<img src=x onerror=alert(1)>",
    "\x00",
    "a\x00b",
    "%00",
    "../../etc/passwd",
    "{{ 7*7 }}",
    "${jndi:ldap://x}",
    "Ω≈ç√∫",
    "🚀" * 50,
    "x" * 5000,
    "-1",
    "0",
    "1e309",
    "99999999999999999999999",
    "skills",
    "green-transition",
    "FI",
    "r15",
    "title",
    "-updated",
]
value = st.one_of(
    st.sampled_from(NASTY),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300),
)
values = st.lists(value, min_size=1, max_size=4)
relaxed = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def check(client, path, pairs):
    response = client.get(f"{path}?{urlencode(pairs)}")
    assert response.status_code < 500, (path, pairs, response.status_code)
    if response.get("Content-Type", "").startswith("text/html"):
        body = response.content.decode()
        for _, raw in pairs:
            if any(char in raw for char in "<>\"'") and len(raw) > 3:
                assert raw not in body, f"unescaped echo of {raw!r}"
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)


@pytest.mark.parametrize("path", ENDPOINTS)
@pytest.mark.parametrize("parameter", PARAMETERS)
def test_no_value_of_a_parameter_causes_an_error(sample_practices, client, path, parameter):
    @relaxed
    @given(values)
    def run(chosen):
        check(client, path, [(parameter, v) for v in chosen])

    run()


@pytest.mark.parametrize("path", ENDPOINTS)
def test_no_mix_of_parameters_causes_an_error(sample_practices, client, path):
    @relaxed
    @given(st.lists(st.tuples(st.sampled_from([*PARAMETERS, "unknown", ""]), value), max_size=12))
    def run(pairs):
        check(client, path, pairs)

    run()


def test_keywords_have_a_length_limit_with_a_clear_message(sample_practices, client):
    response = client.get("/practices/", {"q": "x" * 201})
    assert response.status_code == 400
    assert "Ensure this value has at most 200 characters (it has 201)." in response.content.decode()


def test_a_nul_byte_in_a_slug_is_a_clear_400(sample_practices, client):
    response = client.get("/practices/?priority=%00")
    assert response.status_code == 400
    assert client.get("/api/practices/?country=%00").status_code == 400
