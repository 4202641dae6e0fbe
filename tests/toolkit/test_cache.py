"""Redis as a cache that may fail, against a real redis-server this test starts and stops."""

import logging
import shutil
import time

import pytest
from redis.exceptions import RedisError

from tests.services import free_port, start_redis
from toolkit import cache as fail_soft
from toolkit.cache import FailSoftRedisCache


@pytest.fixture
def redis_port():
    if not shutil.which("redis-server"):
        pytest.fail("redis-server is missing: apt-get install redis-server (.ci/run does)")
    return free_port()


def make_cache(port):
    return FailSoftRedisCache(
        f"redis://127.0.0.1:{port}/0",
        {"OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5}},
    )


def test_with_redis_down_the_cache_works_from_memory_and_logs_once(redis_port, caplog):
    cache = make_cache(redis_port)  # nothing listens on the port
    with caplog.at_level(logging.ERROR, logger="toolkit.cache"):
        assert cache.get("missing", "default") == "default"
        cache.set("search", [1, 2, 3])
        assert cache.get("search") == [1, 2, 3]
        assert cache.get_or_set("built", lambda: "value") == "value"
        assert cache.add("limit", 1) and cache.incr("limit") == 2  # counters, per process
    errors = [record for record in caplog.records if record.name == "toolkit.cache"]
    assert len(errors) == 1 and "Redis unavailable" in errors[0].getMessage()
    with pytest.raises(RedisError):  # the health check asks Redis itself
        cache.ping()


def test_the_cache_returns_to_redis_by_itself_when_it_is_back(redis_port, monkeypatch):
    monkeypatch.setattr(fail_soft, "RETRY_SECONDS", 0.2)
    cache = make_cache(redis_port)
    cache.set("before", "in memory")
    assert cache.failing
    redis = start_redis(redis_port)
    try:
        time.sleep(0.3)
        cache.set("after", "in redis")
        assert not cache.failing
        cache.ping()
        other = make_cache(redis_port)  # another process would see it: it is in Redis
        assert other.get("after") == "in redis"
        redis.kill()
        redis.wait()
        assert cache.get("after", "gone") == "gone"  # Redis lost it; no error
        assert cache.failing
    finally:
        redis.kill()
        redis.wait()
