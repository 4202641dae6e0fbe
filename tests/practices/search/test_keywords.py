import pytest
from django.db import connection
from django.http import QueryDict

from practices.models import Practice
from practices.search import fulltext
from practices.search.keywords import Clause, Keywords, excerpt_html, parse_websearch
from practices.text import fold
from tests.factories import make_practice
from tests.searching import search_practices


def test_fold_strips_case_and_accents_like_unaccent():
    assert (
        fold("Innovationsnetværk Øresund Straße Łódź") == "innovationsnetvaerk oresund strasse lodz"
    )


@pytest.mark.parametrize(
    ("query", "clauses"),
    [
        ("Skills training", [Clause(("skills",)), Clause(("training",))]),
        (
            '"circular economy" -plastic',
            [Clause(("circular economy",)), Clause(("plastic",), excluded=True)],
        ),
        ("helsinki OR moldova", [Clause(("helsinki", "moldova"))]),
        ('unclosed "quote', [Clause(("unclosed",)), Clause(("quote",))]),
        ("or - --", []),
    ],
)
def test_websearch_queries_are_read_like_postgresql_does(query, clauses):
    assert parse_websearch(query) == clauses


def _websearch(query):
    return Keywords.parse(query).websearch


def test_postgresql_is_given_the_query_as_we_read_it():
    assert _websearch('"Circular Economy" -plastic Skills OR training') == (
        '"circular economy" -"plastic" "skills" or "training"'
    )
    assert _websearch("a " + "-" * 190) == '"a"'
    assert _websearch("-" * 200) == ""


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "meaning"),
    [
        ("-" * 200, ""),
        ("a " + "-" * 190, "a"),
        ("-" * 190 + "a", "-a"),
        ("- " * 95 + "cluster", "cluster"),
        ("(" * 200, ""),
    ],
)
def test_runs_of_operators_are_searched_as_the_words_among_them(sample_practices, query, meaning):
    for sort in ["", "title"]:
        filterset = search_practices(QueryDict(mutable=True) | {"q": query, "sort": sort})
        assert filterset.is_valid()
        found = [practice.slug for practice in fulltext.with_headline(filterset.qs, query)]
        meant = search_practices(QueryDict(mutable=True) | {"q": meaning, "sort": sort})
        assert found == [practice.slug for practice in meant.qs]
    if not meaning:
        assert len(found) == 15
    if meaning == "cluster":
        assert 0 < len(found) < 15


def test_the_excerpt_marks_matches_and_escapes_everything_else():
    description = "Intro words here. <b>Bold</b> claims about Innovation networks & more."
    html = excerpt_html(description, "innovation")
    assert "<mark>Innovation</mark>" in html
    assert "&lt;b&gt;Bold&lt;/b&gt;" in html and "<b>" not in html
    assert "&amp;" in html


def test_a_headline_from_postgresql_keeps_only_our_markers_as_tags():
    html = excerpt_html("", "x", headline="<script>x</script> \x02clusters\x03 grow")
    assert html == "&lt;script&gt;x&lt;/script&gt; <mark>clusters</mark> grow"


@pytest.mark.django_db
def test_the_result_list_shows_an_excerpt_with_the_matched_words(sample_practices, client):
    content = client.get("/practices/", {"q": "ministry"}).content.decode()
    assert '<p class="summary">' in content
    assert "<mark>Ministry</mark>" in content


@pytest.mark.django_db
def test_results_agree_with_the_fallback_on_the_sample_data(sample_practices):
    """The same expected sets hold on SQLite (fallback) and PostgreSQL (full text)."""
    expectations = {
        "afnor": {"circular-economy-project-management-system"},
        '"cluster excellence denmark"': {"cluster-excellence-denmark"},
        "montenegro -latvia": {"smart-specialisation-strategy-montenegro"},
    }
    for query, expected in expectations.items():
        assert (
            set(search_practices(QueryDict(f"q={query}")).qs.values_list("slug", flat=True))
            == expected
        )


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_search_vector_is_kept_current_by_the_database(taxonomies):
    practice = make_practice(title="Hydrogen valleys", description="Electrolysers for industry.")
    assert Practice.objects.filter(search_vector="hydrogen").exists()
    Practice.objects.filter(pk=practice.pk).update(description="Batteries for trucks.")
    assert Practice.objects.filter(search_vector="batteries").exists()
    assert not Practice.objects.filter(search_vector="electrolysers").exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'practice_search_vector'")
        assert "USING gin (search_vector)" in cursor.fetchone()[0]


@pytest.mark.postgres
@pytest.mark.django_db
def test_search_vectors_stay_in_the_table_rows_for_fast_ranking():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstorage FROM pg_attribute "
            "WHERE attrelid = 'practices_practice'::regclass AND attname = 'search_vector'"
        )
        assert cursor.fetchone()[0] == "m"  # MAIN: compressed in the row, out of it last


@pytest.mark.postgres
@pytest.mark.django_db
def test_bulk_inserts_are_searchable_too(taxonomies):
    from practices.sampledata.synthetic import generate_practices

    generate_practices(count=20, seed=5)
    assert Practice.objects.filter(search_vector__isnull=True).count() == 0


@pytest.mark.postgres
@pytest.mark.django_db
def test_rank_puts_title_above_original_title_above_description(taxonomies):
    make_practice(slug="in-description", title="Alpha", description="About hydrogen.")
    make_practice(slug="in-title", title="Hydrogen programme", description="Words.")
    make_practice(
        slug="in-original", title="Beta", original_title="Hydrogen-Programm", description="Words."
    )
    ranked = list(search_practices(QueryDict("q=hydrogen")).qs.values_list("slug", flat=True))
    assert ranked == ["in-title", "in-original", "in-description"]


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgresql_headlines_mark_stemmed_matches(sample_practices, client):
    content = client.get("/practices/", {"q": "networking"}).content.decode()
    assert "<mark>networks</mark>" in content or "<mark>network</mark>" in content
