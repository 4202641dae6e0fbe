"""The real PostgreSQL stops under a running gunicorn, then comes back: the site answers a
friendly 503 meanwhile and recovers by itself, without a restart."""

import contextlib
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection, connections

from tests.services import free_port, start_redis

PROJECT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.postgres


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - our own server
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def cluster(action, check=True):
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    subprocess.run(
        [
            "pg_ctlcluster",
            "--skip-systemctl-redirect",
            version,
            "main",
            action,
            *(["-m", "fast"] if action == "stop" else []),
        ],
        check=check,
        capture_output=True,
    )


def wait_for(url, status, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if get(url)[0] == status:
                return True
        except OSError:
            pass
        time.sleep(0.5)
    return False


def needs_root_and_postgresql():
    if (
        not shutil.which("pg_ctlcluster")
        or os.geteuid() != 0
        or not os.path.isdir("/etc/postgresql")
    ):
        pytest.skip("stopping PostgreSQL needs root and pg_ctlcluster (CI has both)")


class Served(str):
    """The site's address, knowing its gunicorn master's process id (a worker's process title
    may not name the address: gunicorn renames its processes where setproctitle is installed)."""

    master_pid: int


@contextlib.contextmanager
def gunicorn(tmp_path, **environment_overrides):
    """The site under gunicorn (one worker) in production settings, on the test database."""
    settings_dict = connection.settings_dict
    database_url = (
        f"postgres://{settings_dict['USER']}@{settings_dict['HOST'] or '127.0.0.1'}:"
        f"{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}"
    )
    port = free_port()
    environment = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "fault-test-" + "k" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url,
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_ROOT": str(tmp_path / "static"),
        "DJANGO_SETTINGS_MODULE": "toolkit.settings",
        **environment_overrides,
    }
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=PROJECT,
        env=environment,
        check=True,
    )
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-w",
            "1",
            "-b",
            f"127.0.0.1:{port}",
            "toolkit.wsgi:application",
        ],
        cwd=PROJECT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "gunicorn.log").open("w"),
    )
    base = Served(f"http://127.0.0.1:{port}")
    base.master_pid = process.pid
    try:
        assert wait_for(f"{base}/healthz", 200), "gunicorn did not start"
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)
        print((tmp_path / "gunicorn.log").read_text()[-3000:])  # shown when the test fails


@pytest.fixture
def server(transactional_db, tmp_path):
    needs_root_and_postgresql()
    try:
        with gunicorn(tmp_path) as base:
            yield base
    finally:
        cluster("start", check=False)  # already running unless the test failed midway
        subprocess.run(["pg_isready", "-h", "127.0.0.1", "-t", "30"], capture_output=True)
        connections.close_all()  # this process's connections died with the server


def test_the_site_answers_503_while_postgresql_is_down_and_recovers_by_itself(server):
    assert get(f"{server}/practices/")[0] == 200
    cluster("stop")
    status, body = get(f"{server}/practices/")
    assert status == 503
    assert "temporarily unavailable" in body and "Traceback" not in body
    status, body = get(f"{server}/healthz")
    assert status == 503 and json.loads(body)["database"].startswith("unavailable")
    cluster("start")
    assert wait_for(f"{server}/healthz", 200), "the site did not recover"
    assert get(f"{server}/practices/")[0] == 200


PAGES = [
    "/practices/",
    "/practices/?challenge=skills&priority=green-transition",
    "/api/practices/?challenge=skills",
    "/practices/export.csv?challenge=skills",
    "/practices/newco-helsinki/",
]


def test_with_redis_down_every_page_is_served_and_it_comes_back_by_itself(
    transactional_db, tmp_path
):
    from django.core.management import call_command

    call_command("loaddata", "taxonomies", "frozen_samples", verbosity=0)
    port = free_port()
    redis = start_redis(port)
    try:
        with gunicorn(tmp_path, REDIS_URL=f"redis://127.0.0.1:{port}/0") as base:
            assert [get(f"{base}{page}")[0] for page in PAGES] == [200] * len(PAGES)
            redis.kill()
            redis.wait()
            assert [get(f"{base}{page}")[0] for page in PAGES] == [200] * len(PAGES)
            status, body = get(f"{base}/healthz")
            health = json.loads(body)
            assert status == 200 and health["database"] == "ok"
            assert health["cache"].startswith("unavailable, serving from memory")
            redis = start_redis(port)
            deadline = time.monotonic() + 20
            while json.loads(get(f"{base}/healthz")[1])["cache"] != "ok":
                assert time.monotonic() < deadline, "the cache did not come back"
                time.sleep(0.5)
            assert [get(f"{base}{page}")[0] for page in PAGES] == [200] * len(PAGES)
        log = (tmp_path / "gunicorn.log").read_text()
        assert log.count("Redis unavailable") == 1  # once a minute, not once a request
        assert "Traceback" not in log
    finally:
        redis.kill()
        redis.wait()


def test_a_statement_past_the_time_limit_gets_a_503_and_the_worker_goes_on(
    transactional_db, tmp_path
):
    """A lock held by a long import blocks every read of the practices: the page does not
    wait for it past the limit."""
    import psycopg
    from django.core.management import call_command

    call_command("loaddata", "taxonomies", "frozen_samples", verbosity=0)
    settings_dict = connection.settings_dict
    with gunicorn(tmp_path, STATEMENT_TIMEOUT_MS="1000") as base:
        assert get(f"{base}/practices/newco-helsinki/")[0] == 200
        holder = psycopg.connect(
            host=settings_dict["HOST"] or "127.0.0.1",
            port=settings_dict["PORT"] or 5432,
            user=settings_dict["USER"],
            dbname=settings_dict["NAME"],
        )
        try:
            holder.execute("LOCK TABLE practices_practice IN ACCESS EXCLUSIVE MODE")
            started = time.monotonic()
            # a keyword never searched before must read the practices
            status, body = get(f"{base}/practices/?q=innovation")
            assert status == 503 and "temporarily unavailable" in body
            status, body = get(f"{base}/api/practices/newco-helsinki/")
            assert status == 503 and json.loads(body)["detail"].startswith("The service is")
            assert time.monotonic() - started < 8  # two requests, each cut at about 1 s
            # a practice's page kept from before the lock still answers
            assert get(f"{base}/practices/newco-helsinki/")[0] == 200
        finally:
            holder.rollback()
            holder.close()
        assert get(f"{base}/practices/newco-helsinki/")[0] == 200  # the same worker, healthy
        assert get(f"{base}/practices/?challenge=skills")[0] == 200
        log = (tmp_path / "gunicorn.log").read_text()
        assert "canceling statement due to statement timeout" in log
        assert "WORKER TIMEOUT" not in log


def test_a_worker_killed_during_an_export_leaves_nothing_behind(transactional_db, tmp_path):
    from django.core.management import call_command

    call_command("loaddata", "taxonomies", "frozen_samples", verbosity=0)
    with gunicorn(tmp_path) as base:
        workers = subprocess.run(
            ["pgrep", "-P", str(base.master_pid)], capture_output=True, text=True
        ).stdout.split()
        response = urllib.request.urlopen(f"{base}/practices/export.csv", timeout=10)  # noqa: S310
        assert response.read(20).startswith(b"\xef\xbb\xbfslug,")
        newest = max(map(int, workers))  # the one worker (the newest child, if a test adds one)
        os.kill(newest, 9)
        response.close()
        assert wait_for(f"{base}/healthz", 200), "no worker came back"
        status, body = get(f"{base}/practices/export.csv?challenge=skills")
        assert status == 200 and body.count("\r\n") == 10  # the header and nine practices
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND state LIKE 'idle in transaction%%'"
        )
        assert cursor.fetchone()[0] == 0


def test_an_import_cut_off_mid_way_writes_nothing(transactional_db):
    """The import's database connection is killed while it writes the third practice: the
    transaction dies with it, and nothing of the file is stored."""
    import psycopg
    from django.core.management import call_command

    from practices.intake.csv.importer import import_practices
    from practices.models import Practice

    call_command("loaddata", "taxonomies", verbosity=0)
    sample = (PROJECT / "fixtures" / "sample_practices.csv").read_bytes()
    settings_dict = connection.settings_dict
    connection.ensure_connection()
    backend_pid = connection.connection.info.backend_pid

    calls = []

    def cut_off(done, total):
        calls.append(done)
        if calls.count(3) == 2:  # rows are checked first, then written: the second pass
            with psycopg.connect(
                host=settings_dict["HOST"] or "127.0.0.1",
                port=settings_dict["PORT"] or 5432,
                user=settings_dict["USER"],
                dbname=settings_dict["NAME"],
                autocommit=True,
            ) as killer:
                killer.execute("SELECT pg_terminate_backend(%s)", [backend_pid])

    with pytest.raises(Exception):  # noqa: B017 - whichever error the dead connection gives
        import_practices(sample, progress=cut_off)
    assert calls.count(3) == 2  # it was cut off while writing, after two practices
    connections.close_all()
    assert Practice.objects.count() == 0
    assert Practice.history.count() == 0
    report = import_practices(sample)  # and the same file imports whole afterwards
    assert report.ok and len(report.created) == 15
