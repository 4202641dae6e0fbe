"""After a write, the index applies the practices the change log names (PostgreSQL) and is then
exactly what a rebuild would be: after every kind of write, and after writes from two other
processes at once."""

import subprocess
import sys
import textwrap

import pytest
from django.conf import settings
from django.db import connection
from django.http import QueryDict

from practices.models import Practice, PracticeChange, Region, ThematicPriority, Typology
from practices.search import index as index_module
from practices.search.index import current_index
from practices.search.selector import search
from tests.factories import make_practice

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def rebuilt():
    """The index as a rebuild makes it now."""
    return index_module._build("default", -1, logged=False)


def assert_exact(index):
    fresh = rebuilt()
    assert index.ids == fresh.ids
    assert index.everything == fresh.everything
    assert index.bits == fresh.bits
    assert search(QueryDict("")).count == Practice.objects.published().count()


@pytest.fixture
def indexed(sample_practices):
    index_module._indexes.clear()
    first = current_index()
    assert first.read_changes_from is not None  # outside a transaction: it reads the log
    return first


def test_a_save_that_keeps_the_title_is_applied_not_rebuilt(indexed):
    practice = Practice.objects.get(slug="newco-helsinki")
    practice.description += " More."
    practice.save()
    practice.priorities.add(ThematicPriority.objects.get(slug="green-transition"))
    practice.challenges.clear()
    after = current_index()
    assert after is not indexed and after.ids is indexed.ids  # applied in place
    assert_exact(after)


@pytest.mark.parametrize(
    "write",
    [
        lambda: make_practice(slug="brand-new", priorities=["resilience"]),
        lambda: Practice.objects.filter(slug="circular-flanders").update(is_published=False),
        lambda: Practice.objects.filter(slug="newco-helsinki").update(title="A new title"),
        lambda: Practice.objects.filter(slug="newco-helsinki").delete(),
        lambda: Region.objects.filter(code="FI1B").update(
            typology=Typology.objects.get(slug="agri-textile")
        ),
    ],
    ids=["created", "unpublished", "retitled", "deleted", "region"],
)
def test_a_write_that_moves_the_order_or_a_region_rebuilds(indexed, write):
    write()
    after = current_index()
    assert after.ids is not indexed.ids  # rebuilt
    assert_exact(after)


def test_more_changes_than_worth_applying_rebuild(indexed, monkeypatch):
    monkeypatch.setattr(index_module, "MOST_CHANGES_APPLIED", 2)
    Practice.objects.filter(slug__in=["newco-helsinki", "circular-flanders", "cluster-policy-poland"]).update(
        description="Changed."
    )  # fmt: skip
    after = current_index()
    assert after.ids is not indexed.ids
    assert_exact(after)


def test_an_emptied_change_log_makes_every_index_rebuild(indexed):
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE practices_practicechange")
    Practice.objects.filter(slug="newco-helsinki").update(description="Changed.")
    assert PracticeChange.objects.filter(practice_id=None).exists()
    after = current_index()
    assert after.ids is not indexed.ids
    assert_exact(after)


WRITER = textwrap.dedent(
    """
    import sys
    import django
    django.setup()
    from practices.models import Practice, ThematicPriority
    slug, priority = sys.argv[1], sys.argv[2]
    tag = ThematicPriority.objects.get(slug=priority)
    for round in range(15):
        practice = Practice.objects.get(slug=slug)
        if round % 2:
            practice.priorities.remove(tag)
        else:
            practice.priorities.add(tag)
        practice.description = practice.description + "."
        practice.save()
    """
)


def test_writes_from_two_processes_at_once_leave_the_index_exact(indexed):
    database = settings.DATABASES["default"]
    url = (
        f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
        f"{database['PORT'] or 5432}/{database['NAME']}"
    )
    environment = {
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "PATH": "/usr/bin:/bin",
    }
    writers = [
        subprocess.Popen(  # noqa: S603
            [sys.executable, "-c", WRITER, slug, priority],
            env=environment,
            cwd=settings.BASE_DIR,
        )
        for slug, priority in [("newco-helsinki", "resilience"), ("circular-flanders", "digital-transition")]
    ]  # fmt: skip
    while any(writer.poll() is None for writer in writers):  # read while they write
        assert search(QueryDict("priority=resilience")).count >= 0
    assert [writer.returncode for writer in writers] == [0, 0]
    assert_exact(current_index())


def test_a_keyword_ranking_follows_an_applied_save_exactly(indexed):
    from practices.search.index_engine import forget_rankings

    forget_rankings()
    query = "q=cluster"
    before = [p.slug for p in search(QueryDict(query), page=1, page_size=100).page]
    practice = Practice.objects.get(slug=before[-1])  # the last match becomes the best one
    practice.description = "Cluster cluster cluster clusters: " + practice.description
    practice.save()
    other = Practice.objects.get(slug=before[0])  # and the first no longer matches
    other.title, other.description = other.title, "Nothing to find here."
    other.original_title = ""
    other.save()
    after = search(QueryDict(query), page=1, page_size=100)
    assert current_index().ids is indexed.ids  # applied, so the ranking was carried over
    expected = list(
        Practice.objects.published()
        .search("cluster")
        .by_relevance("cluster")
        .values_list("slug", flat=True)
    )
    assert [p.slug for p in after.page] == expected[:100]
    assert after.count == len(expected)


def test_a_ranking_follows_several_applied_saves_in_a_row(indexed, monkeypatch):
    from practices.search import index_engine

    index_engine.forget_rankings()
    carried = []
    original = index_engine._carried_over
    monkeypatch.setattr(
        index_engine, "_carried_over", lambda *args: carried.append(1) or original(*args)
    )
    search(QueryDict("q=cluster"))  # ranked on this version
    for slug in ["newco-helsinki", "circular-flanders"]:  # two saves, no keyword search between
        practice = Practice.objects.get(slug=slug)
        practice.description = "A cluster, a cluster: " + practice.description
        practice.save()
        current_index()  # each applied in turn
    result = search(QueryDict("q=cluster"), page=1, page_size=100)
    assert carried == [1]
    expected = list(
        Practice.objects.published()
        .search("cluster")
        .by_relevance("cluster")
        .values_list("slug", flat=True)
    )
    assert [p.slug for p in result.page] == expected[:100] and result.count == len(expected)
