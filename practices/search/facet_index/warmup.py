"""Build the search index, and everything else a first request builds, before a server
answers anyone, so that no visitor pays for it.

gunicorn loads the application once in its master process and calls ``warm`` there before it
forks the workers (``gunicorn.conf.py``); each worker starts with the index in memory,
shared with the others page by page until one of them changes it (copy on write). A worker
then only checks the data version on its first request, as on every other. ``warm`` also
sends the busiest pages through the whole stack once (templates compiled, the maps drawn,
every module imported).
"""

import contextlib
import ctypes
import gc
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connections
from django.test import Client

from practices.search.facet_index.store import current_index

logger = logging.getLogger("toolkit.warmup")
FIRST_PAGES = ("/practices/", "/", "/countries/")


def warm(using: str = "default") -> bool:
    """Build the index of ``using``; False (and a warning) if the database cannot be read:
    the server still starts, and the first request builds it instead."""
    started = time.perf_counter()
    try:
        index = current_index(using)
        if using == "default":
            _visit(FIRST_PAGES)
    except DatabaseError as error:
        logger.warning("Search index not built before serving: %s", error)
        return False
    finally:
        # no connection may cross the fork: each worker opens its own
        connections.close_all()
        _release_free_memory()
    logger.info(
        "Search index of %d practices built in %.0f ms before serving",
        len(index.ids),
        (time.perf_counter() - started) * 1000,
    )
    return True


def _release_free_memory():
    """Hand the memory the build freed back to the system before the workers fork, so that
    none of them starts with it (at 1,000,000 practices: 171 MB resident after the build,
    116 MB after). Where the C library cannot (not glibc), nothing happens."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).malloc_trim(0)


def connect(using: str = "default") -> bool:
    """In a freshly forked worker, open its own connections to the database and the cache
    before it takes a request (the first request of every worker paid for them); False (and
    a warning) if the database cannot be reached: the first request tries again."""
    try:
        connections[using].ensure_connection()
    except DatabaseError as error:
        logger.warning("Worker started without a database connection: %s", error)
        return False
    # A cache that cannot be reached (Redis down) must not stop a worker from starting: the
    # pages answer without it (bench/redis_down.py).
    with contextlib.suppress(Exception):
        cache.get("warm-connection")
    return True


def _visit(paths):
    """Each page once, through every middleware and template, as a visitor would."""
    host = next(
        (name for name in settings.ALLOWED_HOSTS if name != "*" and not name.startswith(".")),
        "localhost",
    )
    client = Client(HTTP_HOST=host)
    for path in paths:
        response = client.get(path, secure=settings.SECURE_SSL_REDIRECT)
        if response.status_code != 200:
            logger.warning("Warming %s answered %s", path, response.status_code)
