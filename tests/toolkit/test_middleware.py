import gzip
import json
import logging
import re

import pytest
from django.db import OperationalError
from django.test import override_settings

pytestmark = pytest.mark.django_db

PAGES = [
    "/practices/",
    "/practices/newco-helsinki/",
    "/api/practices/",
    "/api/practices/newco-helsinki/",
    "/practices/export.csv",
    "/practices/no-such-practice/",
    "/admin/login/",
]


@pytest.mark.parametrize("path", PAGES)
def test_every_response_carries_the_security_headers(sample_practices, client, path):
    response = client.get(path)
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "geolocation=()" in response["Permissions-Policy"]
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@override_settings(
    SECURE_HSTS_SECONDS=31536000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True, SECURE_HSTS_PRELOAD=True
)
@pytest.mark.parametrize("path", ["/practices/", "/api/practices/", "/practices/export.csv"])
def test_https_responses_carry_hsts(sample_practices, client, path):
    response = client.get(path, secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_pages_have_no_inline_scripts_or_styles(sample_practices, client):
    for path in ["/practices/", "/practices/newco-helsinki/", "/practices/?q=zzzz"]:
        content = client.get(path).content.decode()
        scripts = re.findall(r"<script[^>]*>", content)
        assert all(" src=" in script for script in scripts)  # from files only
        assert "<style" not in content and "style=" not in content


def test_each_request_is_logged_as_one_json_line(sample_practices, client, caplog):
    with caplog.at_level(logging.INFO, logger="toolkit.requests"):
        client.get("/practices/?challenge=skills")
    (record,) = [r for r in caplog.records if r.name == "toolkit.requests"]
    line = json.loads(record.getMessage())
    assert line["method"] == "GET" and line["path"] == "/practices/" and line["status"] == 200
    assert line["ms"] >= 0


def test_a_lost_database_gives_a_friendly_503(sample_practices, client, monkeypatch):
    def unreachable(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("practices.views.search", unreachable)
    response = client.get("/practices/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    content = response.content.decode()
    assert "temporarily unavailable" in content
    assert "Traceback" not in content and "OperationalError" not in content


def test_the_error_pages_are_friendly_and_reveal_nothing(client, settings):
    from django.template.loader import render_to_string

    for template in ["404.html", "500.html", "503.html"]:
        html = render_to_string(template)
        assert '<main id="content"' in html and "<h1>" in html
        assert "Traceback" not in html


def test_public_pages_are_compressed_and_pages_with_a_csrf_token_are_not(sample_practices, client):
    compressed = client.get("/practices/?challenge=skills", HTTP_ACCEPT_ENCODING="gzip")
    assert compressed["Content-Encoding"] == "gzip"
    plain = client.get("/practices/?challenge=skills")
    assert len(compressed.content) * 3 < len(plain.content)
    assert gzip.decompress(compressed.content) == plain.content
    api = client.get("/api/practices/", HTTP_ACCEPT_ENCODING="gzip")
    assert api["Content-Encoding"] == "gzip"
    form = client.get("/practices/suggest/", HTTP_ACCEPT_ENCODING="gzip")
    assert "csrfmiddlewaretoken" in form.content.decode() and not form.has_header(
        "Content-Encoding"
    )
    admin_login = client.get("/admin/login/", HTTP_ACCEPT_ENCODING="gzip")
    assert not admin_login.has_header("Content-Encoding")
