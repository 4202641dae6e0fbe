"""The health check a load balancer or an orchestrator asks: ``/healthz``."""

import logging

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import JsonResponse
from redis.exceptions import RedisError


def healthz(request):
    """What works and what is degraded, as JSON: ``{"database": "ok", "cache": "ok"}``, each
    "ok" or the error. 200 while pages can be served (a cache down costs speed, not service),
    503 when they cannot (the database is down)."""
    checks = {"database": _check_database(), "cache": _check_cache()}
    status = 200 if checks["database"] == "ok" else 503
    return JsonResponse(checks, status=status)


def _check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        logging.getLogger("toolkit.database").error("Health check: %s", error)
        return "unavailable"  # the details, which name hosts and users, go to the log
    return "ok"


def _check_cache() -> str:
    ping = getattr(cache, "ping", None)
    if ping is None:
        return "ok"  # in this process's memory
    try:
        ping()
    except (RedisError, OSError) as error:
        logging.getLogger("toolkit.cache").warning("Health check: %s", error)
        return "unavailable, serving from memory"
    return "ok"
