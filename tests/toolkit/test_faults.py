"""The real PostgreSQL stops under a running gunicorn, then comes back: the site answers a
friendly 503 meanwhile and recovers by itself, without a restart."""

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection, connections

PROJECT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.postgres


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


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
    base = f"http://127.0.0.1:{port}"
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


def start_redis(port):
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise AssertionError("redis-server did not start")


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

    call_command("loaddata", "taxonomies", "sample_practices", verbosity=0)
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
