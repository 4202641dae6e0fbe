import importlib
import sqlite3
from types import SimpleNamespace

import pytest
from django.db import DatabaseError, connection
from django.db.models import F
from django.http import QueryDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from practices.models import Practice, TerritorialValidity
from practices.search import fulltext
from practices.search.fulltext import sqlite as fulltext_sqlite
from practices.search.keywords import Keywords
from practices.text import fold
from tests.factories import make_practice
from tests.searching import search_practices

migration = importlib.import_module("practices.migrations.0006_sqlite_full_text")


def _sqlite_library_has_fts5():
    probe = sqlite3.connect(":memory:")
    try:
        probe.execute(
            f"CREATE VIRTUAL TABLE probe USING fts5(body, tokenize = '{migration.TOKENIZER}')"
        )
    except sqlite3.OperationalError:
        return False
    finally:
        probe.close()
    return True


if connection.vendor != "sqlite":
    _no_fts5 = "FTS5 is SQLite's full-text search; PostgreSQL searches its own search_vector"
elif not _sqlite_library_has_fts5():
    _no_fts5 = "this SQLite is built without FTS5, so searches use the LIKE fallback"
else:
    _no_fts5 = ""
# Checked against the SQLite library, not the database: a migration that failed to create the
# table must fail these tests, not skip them.
needs_fts5 = pytest.mark.skipif(bool(_no_fts5), reason=_no_fts5)

HOSTILE_QUERIES = [
    "",
    "-",
    "--",
    "or",
    "OR or -",
    '"',
    '"unclosed quote',
    "AND",
    "NOT hydrogen",
    "NEAR(hydrogen valleys)",
    "NEAR/2",
    "^hydrogen",
    "hydro*",
    "title:hydrogen",
    "{title original_title}: hydrogen",
    'description:"x"',
    "'",
    "\\",
    "hydrogen\\",
    "🙂",
    "🙂 hydrogen",
    "!" * 200,
    "-" * 200,
    "()",
    "___",
    "'; DROP TABLE practices_fts; --",
    "a" * 200,
]
NOTHING_SEARCHABLE = [
    "",
    "-",
    "or",
    "OR or -",
    '"',
    "'",
    "\\",
    "🙂",
    "!" * 200,
    "-" * 200,
    "()",
    "___",
]


def fts(query, queryset=None):
    """Slugs of the practices ``fulltext_sqlite.matching`` finds."""
    queryset = Practice.objects.all() if queryset is None else queryset
    return set(
        fulltext_sqlite.matching(queryset, Keywords.parse(query)).values_list("slug", flat=True)
    )


def ranked(query, queryset=None):
    queryset = Practice.objects.all() if queryset is None else queryset
    matches = fulltext_sqlite.matching(queryset, Keywords.parse(query))
    return list(
        fulltext_sqlite.with_relevance(matches, Keywords.parse(query))
        .order_by(F("relevance").desc(), "title", "pk")
        .values_list("slug", flat=True)
    )


@pytest.fixture
def fresh_availability(monkeypatch):
    """An empty cache of ``available``, so a test that changes the schema leaves no answer
    behind for the next."""
    monkeypatch.setattr(fulltext_sqlite, "_fts_tables", {})
    monkeypatch.setattr(fulltext, "_engines", {})


class _SchemaEditor:
    """What RunPython hands the migration's functions: a connection and ``execute``."""

    def __init__(self, connection):
        self.connection = connection
        self.executed = []

    def execute(self, sql, params=()):
        self.executed.append(sql)
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)


@needs_fts5
@pytest.mark.django_db
def test_the_fts5_index_is_there_on_sqlite(taxonomies, fresh_availability):
    assert fulltext_sqlite.available(connection)


@needs_fts5
@pytest.mark.django_db
def test_words_are_found_in_any_of_their_english_forms(taxonomies):
    make_practice(slug="singular", title="Cluster support", description="Words.")
    make_practice(slug="plural", title="Alpha", description="Clusters grow and network.")
    make_practice(slug="networking", title="Beta", description="Networking events.")
    make_practice(slug="unrelated", title="Hydrogen valleys", description="Electrolysers.")
    assert fts("clusters") == {"singular", "plural"}
    assert fts("cluster") == {"singular", "plural"}
    assert fts("networks") == {"plural", "networking"}
    assert fts("electrolyser") == {"unrelated"}


@needs_fts5
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("INNOVATIONSNETVAERK", {"danish-letters", "danish-ascii"}),
        ("Innovationsnetværk", {"danish-letters", "danish-ascii"}),
        ("yrittajyyden", {"finnish"}),
        ("YRITTÄJYYDEN", {"finnish"}),
        ("lodz", {"letters"}),
        ("Łódź", {"letters"}),
        ("strasse", {"letters"}),
        ("STRAẞE", {"letters"}),
        ("oresund", {"letters"}),
        ("thingvellir", {"letters"}),
        ("financing", {"letters"}),
        ("καινοτομια", {"greek"}),
        ("ΚΑΙΝΟΤΟΜΊΑ", {"greek"}),
        ("район", {"bulgarian"}),
        ("РАИОН", {"bulgarian"}),
        ("cafe", {"decomposed"}),
        ("café", {"decomposed"}),
        ("danmark", {"danish-letters"}),
    ],
)
def test_case_accents_and_ligatures_do_not_matter_either_way(taxonomies, query, expected):
    make_practice(slug="danish-letters", title="Innovationsnetværk Danmark", description="Ord.")
    make_practice(slug="danish-ascii", title="Alpha", original_title="INNOVATIONSNETVAERK")
    make_practice(slug="finnish", title="Beta", original_title="Yrittäjyyden vauhdittaminen")
    make_practice(
        slug="letters", title="Gamma", description="Łódź, Straße, Øresund, Þingvellir, ﬁnancing."
    )
    make_practice(slug="greek", title="Delta", original_title="Καινοτομία")
    make_practice(slug="bulgarian", title="Epsilon", original_title="Район за развитие")
    make_practice(slug="decomposed", title="Zeta", description="Cafe\u0301 culture.")
    assert fts(query) == expected


@needs_fts5
@pytest.mark.django_db
@pytest.mark.parametrize("letter", list(migration.FOLDED_LETTERS))
def test_every_letter_the_triggers_fold_is_folded_as_fold_does(taxonomies, letter):
    assert migration.FOLDED_LETTERS[letter] == fold(letter)
    make_practice(slug="with-letter", title=f"Ab{letter}cd xyz", description="Words.")
    make_practice(slug="without", title="Abcd xyz", description="Words.")
    assert fts(f"ab{letter}cd") == {"with-letter"}
    assert fts(fold(f"ab{letter}cd")) == {"with-letter"}


@needs_fts5
@pytest.mark.django_db
def test_quoted_phrases_need_the_words_side_by_side(taxonomies):
    make_practice(slug="adjacent", title="Circular economy hub", description="Words.")
    make_practice(slug="apart", title="Economy that is circular", description="Words.")
    assert fts('"circular economy"') == {"adjacent"}
    assert fts("circular economy") == {"adjacent", "apart"}
    assert fts('"economy circular"') == set()


@needs_fts5
@pytest.mark.django_db
def test_exclusions_or_and_exclusions_only(taxonomies):
    make_practice(slug="hydrogen", title="Hydrogen valleys", description="Electrolysers.")
    make_practice(slug="hydrogen-batteries", title="Hydrogen and batteries", description="Cars.")
    make_practice(slug="textiles", title="Textile recycling", description="Fibres.")
    assert fts("hydrogen -batteries") == {"hydrogen"}
    assert fts("hydrogen -battery -cars") == {"hydrogen"}
    assert fts("hydrogen or textile") == {"hydrogen", "hydrogen-batteries", "textiles"}
    assert fts("batteries or textile -fibres") == {"hydrogen-batteries"}
    assert fts("-hydrogen") == {"textiles"}
    assert fts("-batteries -textile") == {"hydrogen"}
    assert fts("-nowhere") == {"hydrogen", "hydrogen-batteries", "textiles"}


@needs_fts5
@pytest.mark.django_db
def test_rank_puts_title_above_original_title_above_description(taxonomies):
    make_practice(
        slug="in-description",
        title="Alpha",
        description="Hydrogen, hydrogen and more hydrogen: about hydrogen.",
    )
    make_practice(slug="in-title", title="Zeta hydrogen programme", description="Words.")
    make_practice(
        slug="in-original", title="Beta", original_title="Hydrogen-Programm", description="Words."
    )
    make_practice(slug="elsewhere", title="Aardvark", description="Batteries.")
    assert ranked("hydrogen") == ["in-title", "in-original", "in-description"]


@needs_fts5
@pytest.mark.django_db
def test_relevance_composes_with_filters_and_pages(taxonomies):
    make_practice(slug="fi-title", title="Hydrogen Finland", country="FI")
    make_practice(slug="fi-description", title="Alpha", description="Hydrogen.", country="FI")
    make_practice(slug="se-title", title="Hydrogen Sweden", country="SE")
    finnish = Practice.objects.filter(country="FI")
    assert ranked("hydrogen", finnish) == ["fi-title", "fi-description"]
    page = fulltext_sqlite.with_relevance(
        fulltext_sqlite.matching(finnish, Keywords.parse("hydrogen")), Keywords.parse("hydrogen")
    )
    page = page.order_by(F("relevance").desc(), "title", "pk")[1:2]
    assert [practice.slug for practice in page] == ["fi-description"]
    assert page[0].relevance > 0


@needs_fts5
@pytest.mark.django_db
def test_relevance_is_zero_without_anything_to_rank(taxonomies):
    make_practice(slug="hydrogen", title="Hydrogen valleys")
    make_practice(slug="textiles", title="Textile recycling")

    def relevance(query):
        annotated = fulltext_sqlite.with_relevance(Practice.objects.all(), Keywords.parse(query))
        return dict(annotated.values_list("slug", "relevance"))

    scores = relevance("textile")
    assert scores["hydrogen"] == 0.0 < scores["textiles"]
    for query in ["-hydrogen", "", "-"]:
        assert relevance(query) == {"hydrogen": 0.0, "textiles": 0.0}


@needs_fts5
@pytest.mark.django_db
def test_the_triggers_keep_the_index_current(taxonomies):
    practice = make_practice(
        slug="valleys", title="Hydrogen valleys", description="Electrolysers for industry."
    )
    assert fts("electrolysers") == {"valleys"}
    # A raw UPDATE, bypassing Practice.save()
    Practice.objects.filter(pk=practice.pk).update(description="Batteries for trucks.")
    assert fts("batteries") == {"valleys"}
    assert fts("electrolysers") == set()
    practice.refresh_from_db()
    practice.original_title = "Vetylaaksot"
    practice.save()
    assert fts("vetylaaksot") == {"valleys"}
    assert fts("batteries") == {"valleys"}
    Practice.objects.filter(pk=practice.pk).update(is_published=False)  # text unchanged
    assert fts("hydrogen batteries vetylaaksot") == {"valleys"}
    practice.delete()
    assert fts("hydrogen") == set()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM practices_fts")
        assert cursor.fetchone()[0] == 0


@needs_fts5
@pytest.mark.django_db
def test_bulk_inserts_are_indexed_too(taxonomies):
    national = TerritorialValidity.objects.get(slug="national")
    Practice.objects.bulk_create(
        Practice(
            slug=f"bulk-{number}",
            title=f"Bulk practice {number}",
            description="Seaweed farming." if number % 2 else "Offshore wind.",
            country="FI",
            territorial_validity=national,
        )
        for number in range(10)
    )
    assert fts("seaweed") == {"bulk-1", "bulk-3", "bulk-5", "bulk-7", "bulk-9"}
    assert fts("wind -seaweed") == {"bulk-0", "bulk-2", "bulk-4", "bulk-6", "bulk-8"}


@needs_fts5
@pytest.mark.django_db
@pytest.mark.parametrize("query", NOTHING_SEARCHABLE)
def test_a_query_with_nothing_searchable_leaves_the_practices_as_they_are(taxonomies, query):
    make_practice(slug="hydrogen", title="Hydrogen valleys")
    make_practice(slug="textiles", title="Textile recycling")
    assert fts(query) == {"hydrogen", "textiles"}
    assert set(ranked(query)) == {"hydrogen", "textiles"}


@needs_fts5
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("NOT hydrogen", {"operators"}),
        ("hydrogen AND", {"operators"}),
        ("near", {"operators"}),
        ("NEAR(hydrogen valleys)", set()),  # the phrase "near hydrogen", then "valleys"
        ("^hydrogen", {"operators", "valleys"}),
        ("hydrogen*", {"operators", "valleys"}),
        ("title:hydrogen", set()),  # the phrase "title hydrogen"
        ('"hydrogen valleys', {"valleys"}),  # unclosed quote: the words as they are
        ("🙂 valleys", {"valleys"}),
        ("valleys ___", {"valleys"}),
        ("'; DROP TABLE practices_fts; --", set()),
    ],
)
def test_fts5_syntax_in_a_query_is_read_as_plain_words(taxonomies, query, expected):
    make_practice(slug="operators", title="Hydrogen AND batteries NOT near", description="Ord.")
    make_practice(slug="valleys", title="Hydrogen valleys", description="Ord.")
    assert fts(query) == expected
    assert set(ranked(query)) == expected


@needs_fts5
@pytest.mark.django_db
@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    query=st.one_of(
        st.text(max_size=200),
        st.lists(
            st.sampled_from(
                [
                    '"',
                    "-",
                    "or",
                    "OR",
                    "AND",
                    "NOT",
                    "NEAR",
                    "(",
                    ")",
                    "*",
                    "^",
                    ":",
                    "title:",
                    "+",
                    "{",
                    "}",
                    "hydrogen",
                    "valleys",
                    "'",
                    "\\",
                    "🙂",
                    "æ",
                    "_",
                    " ",
                ]
            ),
            max_size=40,
        ).map("".join),
    )
)
def test_no_query_makes_fts5_fail(taxonomies, query):
    if not Practice.objects.exists():  # Hypothesis reuses the test's transaction
        make_practice(slug="valleys", title="Hydrogen valleys", description="Ord.")
    assert fts(query) <= {"valleys"}
    assert set(ranked(query)) <= {"valleys"}


# What each hostile query finds among the 15 sample practices: all of them when nothing in it
# can be searched for, none when its words are in no practice. PostgreSQL drops English stop
# words ("and") and words without lexemes ("___"), and then matches nothing.
_EVERYTHING_ON_SQLITE_NOTHING_ON_POSTGRESQL = {"AND", "___"}


@pytest.mark.django_db
@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_the_search_page_takes_any_query_and_finds_what_it_means(sample_practices, query):
    everything = set(Practice.objects.values_list("slug", flat=True))
    if query in _EVERYTHING_ON_SQLITE_NOTHING_ON_POSTGRESQL:
        expected = everything if connection.vendor == "sqlite" else set()
    elif query in NOTHING_SEARCHABLE or query == "--":
        expected = everything
    else:  # words (hydrogen, quote, near, ...) that no sample practice holds
        expected = set()
    for sort in ["", "title"]:
        filterset = search_practices({"q": query, "sort": sort})
        assert filterset.is_valid()
        assert set(filterset.qs.values_list("slug", flat=True)) == expected


@needs_fts5
@pytest.mark.django_db
def test_fts5_finds_what_the_fallback_finds_where_stemming_does_not_matter(
    sample_practices, monkeypatch
):
    queries = {
        "afnor": 1,
        '"cluster excellence denmark"': 1,
        "montenegro -latvia": 1,
        "helsinki or moldova": 2,
        "INNOVATIONSNETVÆRK": 1,
        "yrittajyyden": 1,
        "norwegian -launched": 1,
        "denmark or poland -excellence": 2,
        '"vlaanderen circulair"': 1,
        "-denmark -norwegian": 11,
    }
    published = Practice.objects.published()
    with monkeypatch.context() as patched:
        patched.setattr(fulltext_sqlite, "available", lambda connection: False)
        patched.setattr(fulltext, "_engines", {})
        fallback = {query: fulltext.matching(published, query) for query in queries}
        assert all("LIKE" in str(found.query) for found in fallback.values())
        fallback = {
            query: set(found.values_list("slug", flat=True)) for query, found in fallback.items()
        }
    for query, count in queries.items():
        assert fts(query, published) == fallback[query]
        assert len(fallback[query]) == count, query


@needs_fts5
@pytest.mark.django_db
def test_the_search_page_uses_fts5_on_sqlite(taxonomies):
    """Fails until PracticeQuerySet.search and with_relevance call practices.fulltext_sqlite."""
    make_practice(slug="in-description", title="Alpha", description="Hydrogen networking.")
    make_practice(slug="in-title", title="Zeta hydrogen networks", description="Words.")
    make_practice(
        slug="in-original", title="Beta", original_title="Hydrogen-Netzwerke", description="Words."
    )
    results = search_practices(QueryDict("q=networked hydrogen")).qs
    assert list(results.values_list("slug", flat=True)) == ["in-title", "in-description"]
    results = search_practices(QueryDict("q=hydrogen")).qs
    assert list(results.values_list("slug", flat=True)) == [
        "in-title",
        "in-original",
        "in-description",
    ]


@needs_fts5
@pytest.mark.django_db
def test_the_migration_can_be_reversed_and_refills_the_index(sample_practices, fresh_availability):
    editor = _SchemaEditor(connection)
    migration.drop_search_index(None, editor)
    assert not fulltext_sqlite.available(connection)
    assert fulltext_sqlite.FTS_TABLE not in connection.introspection.table_names()
    make_practice(slug="while-away", title="Hydrogen valleys")  # no triggers now
    fulltext_sqlite._fts_tables.clear()
    migration.create_search_index(None, editor)
    assert fulltext_sqlite.available(connection)
    assert fts("afnor") == {"circular-economy-project-management-system"}
    assert fts("hydrogen") == {"while-away"}
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM practices_fts")
        assert cursor.fetchone()[0] == Practice.objects.count() == 16


@needs_fts5
@pytest.mark.django_db
def test_without_its_triggers_the_index_is_not_used(taxonomies, fresh_availability):
    """A table remade by a later migration loses its triggers, and the index goes stale."""
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER practices_practice_fts_update")
    assert not fulltext_sqlite.available(connection)


@needs_fts5
@pytest.mark.django_db
def test_after_a_migration_that_lost_the_triggers_the_index_is_rebuilt(
    sample_practices, fresh_availability
):
    assert not fulltext_sqlite.restore_index(connection)  # whole: nothing to do
    with connection.cursor() as cursor:
        for event in fulltext_sqlite._TRIGGERS:
            cursor.execute(f"DROP TRIGGER {event}")
    make_practice(slug="while-away", title="Hydrogen valleys")  # not indexed: no triggers
    assert fts("hydrogen") == set()
    assert fulltext_sqlite.restore_index(connection)
    assert fulltext_sqlite.available(connection)
    assert fts("hydrogen") == {"while-away"}
    assert fts("afnor") == {"circular-economy-project-management-system"}


@pytest.mark.django_db
def test_the_migration_does_nothing_on_other_databases():
    def refuse(*args, **kwargs):
        raise AssertionError("the migration touched the database")

    postgresql = SimpleNamespace(vendor="postgresql", cursor=refuse, alias="default")
    editor = SimpleNamespace(connection=postgresql, execute=refuse)
    migration.create_search_index(None, editor)
    migration.drop_search_index(None, editor)
    assert not fulltext_sqlite.available(postgresql)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="simulates an SQLite without FTS5")
@pytest.mark.django_db
def test_the_migration_does_nothing_on_an_sqlite_without_fts5(monkeypatch):
    def no_fts5(action, *args):
        return sqlite3.SQLITE_DENY if action == sqlite3.SQLITE_CREATE_VTABLE else sqlite3.SQLITE_OK

    connection.ensure_connection()
    connection.connection.set_authorizer(no_fts5)
    try:
        with pytest.raises(DatabaseError), connection.cursor() as cursor:
            cursor.execute("CREATE VIRTUAL TABLE temp.probe USING fts5(body)")
        assert not migration.fts5_available(connection)
        editor = SimpleNamespace(connection=connection, execute=pytest.fail)
        migration.create_search_index(None, editor)
    finally:
        connection.connection.set_authorizer(None)


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgresql_has_no_fts5_table():
    assert fulltext_sqlite.FTS_TABLE not in connection.introspection.table_names()
    assert not fulltext_sqlite.available(connection)


@needs_fts5
@pytest.mark.django_db
def test_scores_are_computed_once_per_search_not_once_per_practice(taxonomies):
    """Ranking 10,000 matches among 20,000 practices took 0.3 s, and 3.5 s when SQLite merged
    the scores' subquery into the per-practice lookup (a full-text query per practice); the
    plan then no longer names the subquery."""
    ranking = fulltext_sqlite.with_relevance(Practice.objects.all(), Keywords.parse("hydrogen"))
    sql, params = ranking.order_by(F("relevance").desc()).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = [row[-1] for row in cursor.fetchall()]
    assert any("scored" in step for step in plan), plan
