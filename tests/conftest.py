import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings


def pytest_collection_modifyitems(config, items):
    """PostgreSQL-only tests run in the PostgreSQL leg of CI; on SQLite they are skipped, and
    the reason says so."""
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (runs in the PostgreSQL leg of CI)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def taxonomies(db):
    call_command("loaddata", "taxonomies", verbosity=0)


@pytest.fixture
def factsheets(db):
    """The country factsheets of the sample data."""
    call_command("loaddata", "factsheets", verbosity=0)


@pytest.fixture
def sample_practices(taxonomies):
    """The 15 hand-written practices as the tests know them, all published (the frozen copy
    in tests/fixtures/, not the product's revised samples), loaded without recording versions,
    as a restore does; tests of history record their own."""
    with override_settings(SIMPLE_HISTORY_ENABLED=False):
        call_command("loaddata", "frozen_samples", verbosity=0)


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_superuser(
        "curator", "curator@example.eu", "a-long-password-1"
    )
    client.force_login(user)
    return client
