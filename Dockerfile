# Production image: gunicorn behind your TLS-terminating proxy, PostgreSQL via DATABASE_URL.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY pyproject.toml README.md ./
COPY toolkit ./toolkit
COPY practices ./practices
RUN pip install .

COPY . .
# collectstatic needs settings that import; these throwaway values never reach runtime.
RUN DEBUG=false SECRET_KEY=collectstatic-only ALLOWED_HOSTS=localhost \
    DATABASE_URL=sqlite:////tmp/build.sqlite3 python manage.py collectstatic --noinput

RUN useradd --system --uid 10001 --home-dir /app toolkit \
    && mkdir -p /app/var/pending-imports && chown -R toolkit /app/var
# Previewed imports wait here between preview and confirmation; with several containers, set
# IMPORTS_STORAGE_BACKEND to shared object storage instead (docs/configuration.md).
VOLUME ["/app/var"]
USER toolkit

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD python -c "import os, sys, urllib.request as r; host = os.environ['ALLOWED_HOSTS'].split(',')[0].lstrip('.'); sys.exit(r.urlopen(r.Request('http://127.0.0.1:8000/healthz', headers={'Host': host}), timeout=4).status != 200)"
CMD ["gunicorn", "--config", "gunicorn.conf.py", "toolkit.wsgi:application"]
