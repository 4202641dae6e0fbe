import pytest
from django.db import connection
from django.http import QueryDict

from practices.models import DataVersion, Practice, ThematicPriority
from practices.search.facet_index.triggers import ensure_triggers, watched_tables
from practices.search.selector import search

pytestmark = pytest.mark.django_db


def version():
    return DataVersion.objects.get(pk=1).version


def test_every_table_the_search_reads_is_watched():
    assert set(watched_tables()) == {
        "practices_practice",
        "practices_practice_priorities",
        "practices_practice_challenges",
        "practices_practice_support_types",
        "practices_practice_recommendations",
        "practices_region",
        "practices_territorialvalidity",
        "practices_thematicpriority",
        "practices_strategicchallenge",
        "practices_supporttype",
        "practices_recommendation",
        "practices_typology",
        "practices_practice_instrument_types",
        "practices_practice_target_groups",
        "practices_instrumenttype",
        "practices_budgetrange",
        "practices_targetgroup",
    }


def test_every_watched_table_has_its_triggers_after_migrate():
    assert ensure_triggers() == []  # the test database was migrated: nothing is missing


def test_renaming_a_taxonomy_value_shows_in_the_next_facet_panel(sample_practices, client):
    assert "Resilience" in client.get("/practices/").content.decode()
    before = version()
    ThematicPriority.objects.filter(slug="resilience").update(name="Crisis resilience")
    assert version() != before
    assert "Crisis resilience" in client.get("/practices/").content.decode()


def test_a_trigger_lost_with_a_remade_table_comes_back(sample_practices):
    table = "practices_practice_priorities"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP TRIGGER {table}_bumps_version ON {table}")
        else:
            for event in ["insert", "update", "delete"]:
                cursor.execute(f"DROP TRIGGER {table}_{event}_bumps_version")
    practice = Practice.objects.get(slug="newco-helsinki")
    green = ThematicPriority.objects.get(slug="green-transition")
    before = version()
    practice.priorities.add(green)
    assert version() == before  # unseen: the index would go stale

    assert ensure_triggers() == [table]
    practice.priorities.remove(green)
    assert version() != before
    counts = {f.param: f for f in search(QueryDict()).facets}["priority"].options
    assert {o.slug: o.count for o in counts}["green-transition"] == 8
