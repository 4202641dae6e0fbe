"""The documented backup and restore (docs/operations.md, "Backup and restore") round-trips the data."""

import json

import pytest
from django.contrib.auth.models import Group, User
from django.core import serializers
from django.core.management import call_command

from practices.models import Practice, Region

pytestmark = pytest.mark.django_db(transaction=True)

BACKUP_ARGS = [
    "--natural-foreign",
    "--natural-primary",
    "--exclude=contenttypes",
    "--exclude=auth.permission",
    "--exclude=admin.logentry",
    "--exclude=sessions",
    "--exclude=axes",
]


def snapshot():
    """Everything but database ids, which a restore may renumber."""
    return {
        model.__name__: json.loads(
            serializers.serialize(
                "json",
                model.objects.order_by(*ordering),
                use_natural_foreign_keys=True,
                use_natural_primary_keys=True,
            )
        )
        for model, ordering in [(Practice, ["slug"]), (Region, ["code"]), (User, ["username"])]
    } | {
        "groups": {
            g.name: sorted(g.permissions.values_list("codename", flat=True))
            for g in Group.objects.all()
        },
        # dumpdata's JSON keeps times to the millisecond (pg_dump keeps them exactly)
        "history": sorted(
            (
                version.history_id,
                version.slug,
                version.title,
                version.history_type,
                version.history_date.replace(
                    microsecond=version.history_date.microsecond // 1000 * 1000
                ),
            )
            for version in Practice.history.all()
        ),
    }


def test_a_backup_restores_into_an_empty_database(
    sample_practices, tmp_path, django_user_model, settings
):
    django_user_model.objects.create_superuser("curator", "c@example.eu", "a-long-password-1")
    call_command("populate_history", "--auto", stdout=None)
    before = snapshot()
    backup = tmp_path / "backup.json.gz"
    call_command("dumpdata", *BACKUP_ARGS, output=str(backup), verbosity=0)

    call_command("flush", interactive=False, verbosity=0)
    assert not Practice.objects.exists()
    settings.SIMPLE_HISTORY_ENABLED = False  # as documented: restoring replays no new versions
    call_command("loaddata", str(backup), verbosity=0)
    assert snapshot() == before
