"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py toolkit.wsgi:application`.

Every value can be overridden from the environment (WEB_CONCURRENCY, PORT, ...)."""

import multiprocessing
import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
# Sync workers: the views are short database reads; two per core plus one is the usual start.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))  # a CSV export of 100,000 rows takes ~15 s
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak can never grow without bound.
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Request lines up to twice the API's query-string limit reach Django, which answers a too
# long API query with a JSON 414 (toolkit.middleware.MAX_API_QUERY_BYTES); gunicorn refuses
# longer lines itself.
limit_request_line = 8190

# Load the application once in the master and build the search index there before the
# workers fork (practices/search/facet_index/warmup.py): a freshly started worker answers its first
# request as fast as any other, and the workers share the index's memory until they change
# it. GUNICORN_WARM_INDEX=false starts workers cold (each builds on its first request).
preload_app = os.environ.get("GUNICORN_WARM_INDEX", "true").lower() not in ("0", "false", "no")


def when_ready(server):
    if preload_app:
        from explore.world_map import europe, world
        from practices.search.facet_index.warmup import warm

        warm()
        # the maps' shapes, drawn once per process (about a second): drawn here, every worker
        # shares them instead of its first /countries/ request waiting for them
        europe()
        world()


def post_fork(server, worker):
    if preload_app:
        from practices.search.facet_index.warmup import connect

        connect()
