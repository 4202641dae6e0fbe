"""After a write, the index applies the practices the change log names (PostgreSQL) and then
holds exactly what a rebuild would (the same practices in title order, the same practices
under each facet value): after every kind of write, an import, and writes from two other
processes at once."""

import subprocess
import sys
import textwrap

import pytest
from django.conf import settings
from django.db import connection
from django.http import QueryDict

from practices.models import Practice, PracticeChange, Region, ThematicPriority, Typology
from practices.search import fulltext
from practices.search.facet_index import build as build_module
from practices.search.facet_index import changes as changes_module
from practices.search.facet_index import store as index_module
from practices.search.facet_index.store import current_index
from practices.search.selector import search
from tests.factories import make_practice

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


BUILD = build_module.build_index


def rebuilt():
    """The index as a rebuild makes it now."""
    return BUILD("default", -1, logged=False)


def in_title_order(index, bits):
    return [index.ids[position] for position in index.in_title_order(bits)]


def contents(index) -> dict:
    """What an index holds, whatever slots it gave the practices: the published practices in
    title order, and under each facet value, in title order."""
    return {
        "everything": in_title_order(index, index.everything),
        "bits": {
            param: {key: in_title_order(index, bits) for key, bits in values.items()}
            for param, values in index.bits.items()
        },
    }


def assert_exact(index):
    fresh = rebuilt()
    assert contents(index) == contents(fresh)
    assert list(fresh.ids) == list(
        Practice.objects.published().order_by("title", "pk").values_list("pk", flat=True)
    )
    assert search(QueryDict("")).count == Practice.objects.published().count()
    listed = search(QueryDict(""), page=1, page_size=100).page
    assert [practice.pk for practice in listed] == list(fresh.ids[:100])


@pytest.fixture
def indexed(sample_practices):
    index_module._indexes.clear()
    first = current_index()
    assert first.read_changes_from is not None  # outside a transaction: it reads the log
    return first


@pytest.fixture
def builds(monkeypatch):
    """The indexes built (not applied) from now on."""
    made = []
    original = build_module.build_index

    def counted(*args, **kwargs):
        made.append(original(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(build_module, "build_index", counted)
    return made


def test_a_save_that_keeps_the_title_is_applied_not_rebuilt(indexed, builds):
    practice = Practice.objects.get(slug="newco-helsinki")
    practice.description += " More."
    practice.save()
    practice.priorities.add(ThematicPriority.objects.get(slug="green-transition"))
    practice.challenges.clear()
    after = current_index()
    assert after is not indexed and not builds  # applied
    assert after.ids == indexed.ids and not after.late  # nothing moved
    assert_exact(after)


WRITES = {
    "created": lambda: make_practice(slug="brand-new", title="Aa first", priorities=["resilience"]),
    "created last": lambda: make_practice(slug="last", title="Zz last", support=["intelligence"]),
    "created between": lambda: make_practice(slug="between", title="NEW between"),
    "unpublished": lambda: Practice.objects.filter(slug="circular-flanders").update(
        is_published=False
    ),
    "republished": lambda: Practice.objects.filter(slug="circular-flanders").update(
        is_published=True
    ),
    "retitled": lambda: Practice.objects.filter(slug="newco-helsinki").update(title="A new title"),
    "retitled again": lambda: Practice.objects.filter(slug="newco-helsinki").update(
        title="Zz newco"
    ),
    "deleted": lambda: Practice.objects.filter(slug="cluster-policy-poland").delete(),
    "same title as another": lambda: make_practice(
        slug="twin", title=Practice.objects.get(slug="circular-flanders").title
    ),
    "accents and case": lambda: make_practice(slug="accent", title="école des clusters"),
}


@pytest.mark.parametrize("write", list(WRITES))
def test_a_write_that_moves_the_order_is_applied_exactly(indexed, builds, write):
    WRITES[write]()
    after = current_index()
    assert not builds  # applied, not rebuilt
    assert_exact(after)


def test_writes_of_every_kind_in_a_row_stay_exact(indexed, builds):
    for write in WRITES.values():  # each placed among the late ones before it
        write()
        assert_exact(current_index())
    assert not builds
    assert current_index().late  # the new and retitled practices


def test_an_import_of_fifty_practices_is_applied_exactly(indexed, builds):
    from practices.search.engines.rankings import kept_rankings

    kept_rankings.clear()
    search(QueryDict("q=cluster"))  # a ranking to carry over
    for number in range(50):
        make_practice(
            slug=f"imported-{number}",
            title=f"{'BCDEFGHIJKLMNOPQRSTUVWXYZ'[number % 25]}mported cluster {number}",
            description="An imported cluster measure.",
            priorities=["green-transition"] if number % 2 else [],
        )
    after = current_index()
    assert not builds and len(after.late) == 50
    assert_exact(after)
    for query in ["q=cluster", "q=cluster&priority=green-transition", "priority=green-transition"]:
        found = search(QueryDict(query), page=1, page_size=100)
        expected = search(QueryDict(query), queryset=Practice.objects.published().order_by())
        database = list(found.filterset.qs.values_list("slug", flat=True))
        assert [p.slug for p in found.page] == database[:100], query
        assert found.count == len(database) == expected.count


def test_too_many_late_practices_rebuild(indexed, builds, monkeypatch):
    monkeypatch.setattr(changes_module, "MOST_LATE", 2)
    for number in range(3):
        make_practice(slug=f"late-{number}", title=f"Late {number}")
        current_index()
    assert len(builds) == 1 and not current_index().late  # the third rebuilt
    assert_exact(current_index())


def test_a_region_change_rebuilds(indexed, builds):
    Region.objects.filter(code="FI1B").update(typology=Typology.objects.get(slug="agri-textile"))
    assert_exact(current_index())
    assert len(builds) == 1


def test_more_changes_than_worth_applying_rebuild(indexed, builds, monkeypatch):
    monkeypatch.setattr(changes_module, "MOST_CHANGES_APPLIED", 2)
    Practice.objects.filter(slug__in=["newco-helsinki", "circular-flanders", "cluster-policy-poland"]).update(
        description="Changed."
    )  # fmt: skip
    after = current_index()
    assert len(builds) == 1
    assert_exact(after)


def test_an_emptied_change_log_makes_every_index_rebuild(indexed, builds):
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE practices_practicechange")
    Practice.objects.filter(slug="newco-helsinki").update(description="Changed.")
    assert PracticeChange.objects.filter(practice_id=None).exists()
    after = current_index()
    assert len(builds) == 1
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
        if round % 3 == 0:  # it moves in title order
            practice.title = f"{'MAZ'[round % 3 + round // 3 % 2]} {slug} {round}"
        practice.save()
        if round % 4 == 0:  # a new practice, as an import adds one, or a published one hidden
            new = Practice.objects.get(slug=slug)
            new.pk, new.slug, new.title = None, f"{slug}-copy-{round}", f"{slug} copy {round}"
            new.save()
            new.priorities.add(tag)
        if round == 9:
            Practice.objects.filter(slug=f"{slug}-copy-0").update(is_published=False)
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


def test_a_keyword_ranking_follows_an_applied_save_exactly(indexed, builds):
    from practices.search.engines.rankings import kept_rankings

    kept_rankings.clear()
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
    assert not builds  # applied, so the ranking was carried over
    published = Practice.objects.published()
    expected = list(
        fulltext.by_relevance(fulltext.matching(published, "cluster"), "cluster").values_list(
            "slug", flat=True
        )
    )
    assert [p.slug for p in after.page] == expected[:100]
    assert after.count == len(expected)


def test_a_ranking_follows_several_applied_saves_in_a_row(indexed, monkeypatch):
    from practices.search.engines import rankings

    rankings.kept_rankings.clear()
    carried = []
    original = rankings._carried_over
    monkeypatch.setattr(
        rankings, "_carried_over", lambda *args: carried.append(1) or original(*args)
    )
    search(QueryDict("q=cluster"))  # ranked on this version
    for slug in ["newco-helsinki", "circular-flanders"]:  # two saves, no keyword search between
        practice = Practice.objects.get(slug=slug)
        practice.description = "A cluster, a cluster: " + practice.description
        practice.save()
        current_index()  # each applied in turn
    result = search(QueryDict("q=cluster"), page=1, page_size=100)
    assert carried == [1]
    published = Practice.objects.published()
    expected = list(
        fulltext.by_relevance(fulltext.matching(published, "cluster"), "cluster").values_list(
            "slug", flat=True
        )
    )
    assert [p.slug for p in result.page] == expected[:100] and result.count == len(expected)


def test_a_ranking_is_not_shared_between_indexes_whose_slots_differ(indexed):
    """At one data version, a process that applied a new practice holds it in a new slot, one
    that rebuilt holds it in its place in title order: a ranking one of them shares is only
    read by an index of the same layout."""
    from django.core.cache import cache

    from practices.search.engines import rankings
    from practices.search.keywords import Keywords

    make_practice(slug="aaa", title="Aaa cluster first", description="Cluster cluster.")
    applied = current_index()
    rebuilt_here = BUILD("default", applied.version, logged=True)
    assert applied.layout != rebuilt_here.layout and applied.ids != rebuilt_here.ids
    cache.clear()
    rankings.kept_rankings.clear()
    published, keywords = Practice.objects.published(), Keywords.parse("cluster")
    rankings.keyword_ranking(rebuilt_here, published, keywords)  # shared
    rankings.kept_rankings.clear()  # as another process
    ranked = rankings.keyword_ranking(applied, published, keywords)
    expected = list(
        fulltext.by_relevance(fulltext.matching(published, "cluster"), "cluster").values_list(
            "pk", flat=True
        )
    )
    assert [applied.ids[position] for position in ranked.positions] == expected


def test_random_writes_with_clustered_titles_stay_exact(indexed, builds):
    """Titles that fall next to one another (as an import's do), retitled, hidden, shown
    again and deleted in a random order: after each write the index holds what a rebuild
    would, without rebuilding."""
    import random

    chooser = random.Random(17)
    made = []
    for step in range(45):
        action = chooser.choice(["create", "create", "retitle", "unpublish", "publish", "delete"])
        title = f"{chooser.choice('ABM')}{chooser.choice('aab')} {chooser.randint(0, 9)}"
        if action == "create" or not made:
            made.append(make_practice(slug=f"random-{step}", title=title).pk)
        else:
            chosen = Practice.objects.filter(pk=chooser.choice(made))
            if action == "retitle":
                chosen.update(title=title)
            elif action == "delete":
                made.remove(chosen.get().pk)
                chosen.delete()
            else:
                chosen.update(is_published=action == "publish")
        assert_exact(current_index())
    assert not builds
