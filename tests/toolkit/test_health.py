import pytest

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok"}


def test_healthz_says_what_is_down_without_naming_hosts_or_users(client, monkeypatch):
    from django.db import OperationalError

    def unreachable(*args, **kwargs):
        raise OperationalError('connection to server at "db.internal" failed: user "toolkit"')

    monkeypatch.setattr("toolkit.health.connection.cursor", unreachable)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "unavailable", "cache": "ok"}
    assert b"db.internal" not in response.content
