"""Settings are read in a fresh interpreter each time: they are fixed once imported."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "x" * 20 + "a-production-secret-key-with-enough-entropy-0123456789",
    "ALLOWED_HOSTS": "toolkit.example.eu",
    "DATABASE_URL": "postgres://toolkit@127.0.0.1:5432/toolkit",
}


def run_django(args, **overrides):
    environment = {
        k: v for k, v in os.environ.items() if k not in {*PRODUCTION, "DJANGO_SETTINGS_MODULE"}
    }
    environment.update({k: v for k, v in overrides.items() if v is not None})
    environment["DJANGO_SETTINGS_MODULE"] = "toolkit.settings"
    return subprocess.run(
        [sys.executable, *args],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def read_setting(expression, **overrides):
    code = f"import django; django.setup(); from django.conf import settings; print({expression})"
    return run_django(["-c", code], **overrides)


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_refuses_to_start_without_required_settings(missing):
    result = read_setting("settings.DEBUG", **{**PRODUCTION, missing: None})
    assert result.returncode != 0
    assert f"Set {missing}" in result.stderr


def test_development_needs_nothing_but_debug():
    result = read_setting(
        "settings.DATABASES['default']['ENGINE'], settings.SECRET_KEY[:15]", DEBUG="true"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.db.backends.sqlite3 django-insecure"


def test_a_mistyped_boolean_is_an_error_not_a_guess():
    result = read_setting("settings.DEBUG", DEBUG="flase")
    assert result.returncode != 0
    assert "DEBUG='flase' is not a boolean" in result.stderr


def test_database_url_switches_to_postgresql():
    result = read_setting("settings.DATABASES['default']['ENGINE']", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.db.backends.postgresql"


def test_check_deploy_is_clean_in_production_settings():
    result = run_django(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout
