"""Helpers shared by the benchmarks: a database filled with synthetic practices, reused."""

import datetime
import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

PROJECT = Path(__file__).resolve().parent.parent
RESULTS = PROJECT / "bench" / "results"
PYTHON = sys.executable


def django_env(database_url, **extra):
    env = {**os.environ, "DEBUG": "false", "SECRET_KEY": "bench-only-not-secret-" + "x" * 40}
    env.update(
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=database_url,
        SECURE_SSL_REDIRECT="false",
        DJANGO_SETTINGS_MODULE="toolkit.settings",
        LOG_LEVEL="WARNING",
    )
    env.update(extra)
    return env


def manage(database_url, *args, capture=False):
    return subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=PROJECT,
        env=django_env(database_url),
        check=True,
        capture_output=capture,
        text=True,
    )


def write_report(name: str, text: str, data) -> None:
    """The table as bench/results/<name>-<date>.md and the figures as <name>-latest.json."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}-{datetime.date.today().isoformat()}.md").write_text(text)
    (RESULTS / f"{name}-latest.json").write_text(json.dumps(data, indent=2))


def database_exists(database_url) -> bool:
    """Whether the benchmark's database is there yet (SQLite: its file)."""
    if not database_url.startswith(("postgres://", "postgresql://")):
        return Path(database_url.removeprefix("sqlite:///")).exists()
    import psycopg

    parts = urlsplit(database_url)
    server = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(server, autocommit=True) as connection:
        found = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [parts.path.lstrip("/")]
        )
        return found.fetchone() is not None


def create_postgresql_database(database_url):
    """Create the benchmark's PostgreSQL database if it does not exist yet."""
    import psycopg

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    server = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(server, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(
                psycopg.sql.SQL("CREATE DATABASE {}").format(psycopg.sql.Identifier(name))
            )
            print(f"Created database {name}")


def prepare_database(database_url, count, seed):
    """Migrate and fill the database with ``count`` synthetic practices, unless it already
    holds exactly that."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    if database_url.startswith(("postgres://", "postgresql://")):
        create_postgresql_database(database_url)
    manage(database_url, "migrate", "--noinput", "-v0")
    probe = (
        "from practices.models import Practice;"
        "print(Practice.objects.filter(is_synthetic=True).count(), Practice.objects.count())"
    )
    output = manage(database_url, "shell", "-c", probe, capture=True).stdout
    synthetic, total = map(int, output.strip().splitlines()[-1].split())
    if synthetic == count and total == count:
        print(f"Reusing {count} synthetic practices in {database_url}")
        return
    if total:
        raise SystemExit(
            f"{database_url} holds other data ({total} practices); use an empty database."
        )
    manage(database_url, "loaddata", "taxonomies", "-v0")
    print(f"Generating {count} synthetic practices (seed {seed}) in {database_url} ...")
    manage(database_url, "generate_practices", "--count", str(count), "--seed", str(seed))


def default_sqlite_url():
    return f"sqlite:///{RESULTS / 'bench.sqlite3'}"
