"""Build the search index before a server answers anyone, so that no visitor pays for it.

gunicorn loads the application once in its master process and calls ``warm`` there before it
forks the workers (``gunicorn.conf.py``); each worker starts with the index in memory,
shared with the others page by page until one of them changes it (copy on write). A worker
then only checks the data version on its first request, as on every other.
"""

import logging
import time

from django.db import DatabaseError, connections

from practices.search.index import current_index

logger = logging.getLogger("toolkit.warmup")


def warm(using: str = "default") -> bool:
    """Build the index of ``using``; False (and a warning) if the database cannot be read:
    the server still starts, and the first request builds it instead."""
    started = time.perf_counter()
    try:
        index = current_index(using)
    except DatabaseError as error:
        logger.warning("Search index not built before serving: %s", error)
        return False
    finally:
        # no connection may cross the fork: each worker opens its own
        connections.close_all()
    logger.info(
        "Search index of %d practices built in %.0f ms before serving",
        len(index.ids),
        (time.perf_counter() - started) * 1000,
    )
    return True
