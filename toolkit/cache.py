"""Redis as a cache that may fail: losing it costs speed, never the service.

Redis holds only cached searches and rate-limit counters. When it cannot be reached, each
operation goes to a cache in this process's memory instead (so pages are still served, and
rate limits still hold, per process), the failure is logged at most once a minute, and Redis
is tried again after a few seconds: service returns to normal by itself when it is back.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

log = logging.getLogger("toolkit.cache")

RETRY_SECONDS = 5  # how long Redis is left alone after a failure
LOG_EVERY_SECONDS = 60


class FailSoftRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._fallback = LocMemCache(f"fallback-{id(self)}", {"OPTIONS": {"MAX_ENTRIES": 5000}})
        self._down_until = 0.0
        self._logged_at = -LOG_EVERY_SECONDS
        self._lock = threading.Lock()

    @property
    def failing(self) -> bool:
        return time.monotonic() < self._down_until

    def ping(self):
        """Ask Redis itself (never the fallback): raises when it cannot be reached."""
        self._cache.get_client().ping()

    def _call(self, name, *args, **kwargs):
        if self.failing:
            return getattr(self._fallback, name)(*args, **kwargs)
        try:
            return getattr(RedisCache, name)(self, *args, **kwargs)
        except (RedisError, OSError) as error:
            self._failed(error)
            return getattr(self._fallback, name)(*args, **kwargs)

    def _failed(self, error):
        now = time.monotonic()
        with self._lock:
            self._down_until = now + RETRY_SECONDS
            if now - self._logged_at >= LOG_EVERY_SECONDS:
                self._logged_at = now
                log.error(
                    "Redis unavailable (%s): serving from this process's memory, retrying "
                    "every %s s",
                    error,
                    RETRY_SECONDS,
                )

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", key, version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", keys, version)

    def clear(self):
        return self._call("clear")
