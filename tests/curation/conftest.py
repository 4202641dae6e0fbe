import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import override_settings


@pytest.fixture
def all_sample_practices(taxonomies):
    """Every practice ``make run`` loads: the hand-written samples and the STIP-based ones."""
    with override_settings(SIMPLE_HISTORY_ENABLED=False):
        call_command(
            "loaddata", "sample_practices", "stip_practices", "stip_practices_batch2", verbosity=0
        )


@pytest.fixture
def curator(django_user_model):
    user = django_user_model.objects.create_user(
        "curator", "curator@example.eu", "a-long-password-1", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Curators"))
    return user


@pytest.fixture
def curator_client(client, curator):
    client.force_login(curator)
    return client
