"""The real PostgreSQL stops under a running gunicorn, then comes back: the site answers a
friendly 503 meanwhile and recovers by itself, without a restart."""

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


@pytest.fixture
def server(transactional_db, tmp_path):
    if (
        not shutil.which("pg_ctlcluster")
        or os.geteuid() != 0
        or not os.path.isdir("/etc/postgresql")
    ):
        pytest.skip("stopping PostgreSQL needs root and pg_ctlcluster (CI has both)")
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
        cluster("start", check=False)  # already running unless the test failed midway
        subprocess.run(["pg_isready", "-h", "127.0.0.1", "-t", "30"], capture_output=True)
        connections.close_all()  # this process's connections died with the server


def test_the_site_answers_503_while_postgresql_is_down_and_recovers_by_itself(server):
    assert get(f"{server}/practices/")[0] == 200
    cluster("stop")
    status, body = get(f"{server}/practices/")
    assert status == 503
    assert "temporarily unavailable" in body and "Traceback" not in body
    assert get(f"{server}/healthz") == (503, "database unavailable\n")
    cluster("start")
    assert wait_for(f"{server}/healthz", 200), "the site did not recover"
    assert get(f"{server}/practices/")[0] == 200
