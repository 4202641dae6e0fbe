"""The index is built before a server answers anyone (gunicorn's master, before forking)."""

import runpy
from pathlib import Path

import pytest
from django.db import OperationalError

from explore import world_map
from practices.models import Practice
from practices.search.facet_index import store as index
from practices.search.facet_index import warmup
from tests.factories import make_practice

pytestmark = pytest.mark.django_db(transaction=True)

GUNICORN_CONF = Path(__file__).resolve().parents[4] / "gunicorn.conf.py"


def test_warming_builds_the_index_and_leaves_no_connection_to_fork(taxonomies, monkeypatch):
    make_practice(slug="one")
    index._indexes.clear()
    world_map.europe.cache_clear()
    closed = []
    monkeypatch.setattr(warmup.connections, "close_all", lambda: closed.append(True))
    assert warmup.warm() is True
    built = index._indexes["default"]
    assert list(built.ids) == [Practice.objects.get(slug="one").pk]
    assert closed == [True]  # no connection crosses the fork
    assert index.current_index() is built  # the first request finds it current
    assert world_map.europe.cache_info().currsize == 1  # the countries page was drawn


def test_a_database_down_at_start_does_not_stop_the_server(monkeypatch, caplog):
    def unreachable(using):
        raise OperationalError("connection refused")

    monkeypatch.setattr(warmup, "current_index", unreachable)
    assert warmup.warm() is False
    assert "not built before serving" in caplog.text


@pytest.mark.parametrize(("setting", "preloaded"), [(None, True), ("false", False)])
def test_gunicorn_preloads_and_warms_unless_told_not_to(monkeypatch, setting, preloaded):
    if setting is None:
        monkeypatch.delenv("GUNICORN_WARM_INDEX", raising=False)
    else:
        monkeypatch.setenv("GUNICORN_WARM_INDEX", setting)
    conf = runpy.run_path(str(GUNICORN_CONF))
    assert conf["preload_app"] is preloaded
    assert callable(conf["when_ready"]) and callable(conf["post_fork"])


def test_a_forked_worker_connects_before_its_first_request(monkeypatch):
    database = warmup.connections["default"]
    opened = []
    original = database.ensure_connection
    monkeypatch.setattr(database, "ensure_connection", lambda: opened.append(original()))
    assert warmup.connect() is True
    assert opened and database.connection is not None


def test_a_worker_starts_without_a_database_and_says_so(monkeypatch, caplog):
    def refused():
        raise OperationalError("connection refused")

    monkeypatch.setattr(warmup.connections["default"], "ensure_connection", refused)
    assert warmup.connect() is False
    assert "without a database connection" in caplog.text


def test_a_worker_starts_when_the_cache_cannot_be_reached(monkeypatch):
    def unreachable(*args, **kwargs):
        raise RuntimeError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(warmup.cache, "get", unreachable)
    assert warmup.connect() is True


def test_gunicorn_draws_the_maps_before_the_workers_fork(monkeypatch):
    from explore import world_map

    monkeypatch.delenv("GUNICORN_WARM_INDEX", raising=False)
    monkeypatch.setattr(warmup, "warm", lambda: True)
    world_map.europe.cache_clear()
    world_map.world.cache_clear()
    runpy.run_path(str(GUNICORN_CONF))["when_ready"](server=None)
    # drawn in the master, so each worker's first /countries/ finds them ready
    assert world_map.europe.cache_info().currsize == 1
    assert world_map.world.cache_info().currsize == 1
