import csv
import datetime
import io

import pytest
from django.db import transaction
from django.http import QueryDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from practices.exchange import exports, exports_postgresql
from practices.exchange.exports import export_filename, postgresql_csv_batches, python_csv_batches
from practices.models import Practice, StrategicChallenge, ThematicPriority, Typology
from practices.search.facets.registry import CHOICE, CSV_COLUMNS, TAGS, of_kind
from tests.factories import make_practice, make_region
from tests.searching import search_practices

pytestmark = pytest.mark.django_db


def download(client, query=""):
    response = client.get(f"/practices/export.csv?{query}")
    assert response.status_code == 200
    return response, b"".join(response.streaming_content)


def python_export(practices, url_prefix="/practices/"):
    return b"".join(python_csv_batches(practices, url_prefix=url_prefix))


def postgresql_export(practices):
    return b"".join(postgresql_csv_batches(practices))


def rows_of(body):
    assert body.startswith(b"\xef\xbb\xbf"), "UTF-8 byte-order mark for Excel"
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def test_the_export_is_streamed_csv_with_a_descriptive_file_name(sample_practices, client):
    response, _ = download(client, "challenge=skills&country=DK")
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = datetime.date.today().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="practices_challenge-skills_country-DK_{today}.csv"'
    )


def test_the_columns_are_the_public_contract(sample_practices, client):
    _, body = download(client)
    header = body.decode("utf-8-sig").splitlines()[0]
    assert header == ",".join(CSV_COLUMNS)
    assert header == (
        "slug,title,original_title,description,country,country_name,territorial_validity,"
        "thematic_priorities,recommendations,strategic_challenges,cluster_support,region_code,"
        "region_name,typology,link,updated,"
        # the columns of facets added since the first release come after
        "instrument_types,budget_range,evaluated,target_groups,"
        # then the practice's plain fields
        "start_year,end_year,organisation,evaluation_links,source_id,"
        # then what the import ignores: the page's address, the recommendations' names,
        # the groups of the country
        "url,recommendation_names,country_groups"
    )


def test_a_row_holds_names_joined_and_recommendation_slugs(sample_practices, client):
    _, body = download(client, "q=helsinki")
    (row,) = rows_of(body)
    assert row == {
        "slug": "newco-helsinki",
        "title": "Business incubation and entrepreneurial support for recovering from COVID-19 epidemic - NewCo Helsinki",
        "original_title": "Yritysten ja yrittäjyyden vauhdittamiseen, digitaalisten palveluiden kehittämiseen ja koronaepidemiasta palautuminen - NewCo Helsinki",
        "description": row["description"],
        "country": "FI",
        "country_name": "Finland",
        "territorial_validity": "Regional",
        "thematic_priorities": "Resilience; Digital transition",
        "recommendations": "r9; r12",
        "strategic_challenges": "Innovation; Skills; Value chains",
        "cluster_support": "Networking; Business services",
        "region_code": "FI1B",
        "region_name": "Helsinki-Uusimaa",
        "typology": "Creative digital / Capitals",
        "link": "",
        "updated": "2021-11-12",
        "instrument_types": "",
        "budget_range": "",
        "evaluated": "",
        "target_groups": "",
        "start_year": "",
        "end_year": "",
        "organisation": "",
        "evaluation_links": "",
        "source_id": "",
        "url": "http://testserver/practices/newco-helsinki/",
        "recommendation_names": (
            "Use clusters to initiate new and to reinforce existing Public-Private Partnerships"
            " (PPPs); Develop an active role of clusters in local labour markets"
        ),
        "country_groups": "EU-27; Nordic countries",
    }
    assert row["description"].startswith("The City of Helsinki invests EUR 9.7 million")
    assert "\n\nThe measure is not aimed at clusters" in row["description"]


def test_the_export_holds_every_match_not_one_page_in_the_page_order(taxonomies, client):
    for number in range(25):
        make_practice(slug=f"p{number:02}", title=f"Practice {24 - number:02}", country="FI")
    make_practice(slug="elsewhere", country="DK")
    _, body = download(client, "country=FI")
    slugs = [row["slug"] for row in rows_of(body)]
    expected = list(search_practices(QueryDict("country=FI")).qs.values_list("slug", flat=True))
    assert slugs == expected
    assert len(slugs) == 25 and slugs[0] == "p24"


FACTS = {
    "years": (2019, 2024),
    "organisation": '=Ministry of "Economy", Innovation',
    "evaluation_links": "https://example.eu/report-1\nhttps://example.eu/report,2",
    "source_id": "http://stip.oecd.org/2021/data/policyInitiatives/99",
    "target_groups": ["smes", "entrepreneurs"],
    "instruments": ["networking-and-collaborative-platforms"],
    "budget": "1m-5m",
    "evaluated": True,
}


def test_a_row_holds_the_facts_of_the_practice(taxonomies, client):
    make_practice(slug="facts", **FACTS)
    _, body = download(client)
    (row,) = rows_of(body)
    assert {column: row[column] for column in CSV_COLUMNS[16:]} == {
        "instrument_types": "Networking and collaborative platforms",
        "budget_range": "1M-5M",
        "evaluated": "yes",
        "target_groups": "SMEs; Entrepreneurs",
        "start_year": "2019",
        "end_year": "2024",
        "organisation": '\'=Ministry of "Economy", Innovation',
        "evaluation_links": "https://example.eu/report-1\nhttps://example.eu/report,2",
        "source_id": "http://stip.oecd.org/2021/data/policyInitiatives/99",
        "url": "http://testserver/practices/facts/",
        "recommendation_names": "",
        "country_groups": "EU-27; Nordic countries",
    }


def test_a_region_of_unknown_typology_exports_an_empty_typology_cell(taxonomies, client):
    make_practice(slug="brussels", region=make_region(code="BE10", name="Brussels", typology=None))
    _, body = download(client)
    (row,) = rows_of(body)
    assert (row["region_code"], row["region_name"], row["typology"]) == ("BE10", "Brussels", "")


def test_drafts_are_never_exported(taxonomies, client):
    make_practice(slug="public")
    make_practice(slug="draft", is_published=False)
    _, body = download(client)
    assert [row["slug"] for row in rows_of(body)] == ["public"]


def test_formula_cells_are_neutralised(taxonomies, client):
    make_practice(
        slug="evil",
        title='=HYPERLINK("http://evil.example","click")',
        description="+cmd|' /C calc'!A0",
    )
    _, body = download(client)
    (row,) = rows_of(body)
    assert row["title"] == '\'=HYPERLINK("http://evil.example","click")'
    assert row["description"] == "'+cmd|' /C calc'!A0"


def test_a_bad_search_answers_400_with_the_reason(sample_practices, client):
    response = client.get("/practices/export.csv?priority=nope")
    assert response.status_code == 400
    assert "Thematic priority (priority): Select a valid choice. nope" in response.content.decode()


def test_the_search_page_links_to_the_export_of_the_same_search(sample_practices, client):
    content = client.get("/practices/?challenge=skills&priority=green-transition").content.decode()
    assert (
        'href="/practices/export.csv?challenge=skills&amp;priority=green-transition" download'
        in content
    )


def test_export_query_count_does_not_grow_with_rows(
    taxonomies, client, django_assert_max_num_queries
):
    for _ in range(30):
        make_practice(priorities=["resilience"], recommendations=["r1"], country="FI")
    # names of regions, of each single-valued taxonomy (validities) and of each taxonomy of
    # tags (four); ids; then on SQLite the practices and each link table a batch, on PostgreSQL
    # a savepoint, its settings and one statement
    budget = 3 + len(of_kind(CHOICE)) + 2 * len(of_kind(TAGS))
    with django_assert_max_num_queries(budget):
        download(client)


def test_the_file_name_is_safe_and_bounded():
    params = QueryDict('q=a/b\\c"d&country=FI', mutable=True)
    name = export_filename(params, today=datetime.date(2026, 11, 25))
    assert name == "practices_q-a-b-c-d_country-FI_2026-11-25.csv"
    assert (
        export_filename(QueryDict(), today=datetime.date(2026, 11, 25))
        == "practices_2026-11-25.csv"
    )
    long = export_filename(QueryDict("q=" + "x" * 500), today=datetime.date(2026, 11, 25))
    assert len(long) < 160


def test_an_empty_search_exports_the_header_alone(taxonomies, client):
    _, body = download(client, "country=DK")
    assert body.decode("utf-8-sig") == ",".join(CSV_COLUMNS) + "\r\n"


@pytest.mark.postgres
def test_postgresql_writes_the_sample_export_byte_for_byte_as_python_does(sample_practices):
    make_practice(
        slug="formulas",
        title='=HYPERLINK("http://evil.example","click")',
        original_title="'@mention",
        description='-minus first, "quoted"\r\n\r\n+plus second',
        link="https://example.eu/a?b=c,d",
        country="XK",
        region=make_region(code="DK99", name='Hovedstaden, "capital"', typology="agri-textile"),
        priorities=["digital-transition", "resilience"],
        recommendations=["r12", "r9", "r1"],
        **FACTS,
    )
    make_practice(slug="unknown-group", region=make_region(code="BE10", typology=None))
    practices = Practice.objects.order_by("title", "pk")
    exported = postgresql_export(practices)
    assert exported.count(b"\r\n") >= practices.count()
    assert exported == python_export(practices)


@pytest.mark.postgres
def test_on_postgresql_the_view_exports_the_lines_the_database_writes(
    sample_practices, client, monkeypatch
):
    expected = python_export(search_practices(QueryDict()).qs, "http://testserver/practices/")

    def refuse(practices, **kwargs):
        raise AssertionError("the Python path ran on PostgreSQL")

    monkeypatch.setattr(exports, "python_csv_batches", refuse)
    _, body = download(client)
    assert body == b"\xef\xbb\xbf" + (",".join(CSV_COLUMNS) + "\r\n").encode() + expected


@pytest.mark.postgres
def test_postgresql_hands_the_lines_over_a_batch_at_a_time_in_the_search_order(
    taxonomies, monkeypatch
):
    monkeypatch.setattr(exports_postgresql, "LINES_PER_FETCH", 4)
    for number in range(10):
        make_practice(slug=f"p{number}", title=f"Practice {number}")
    practices = Practice.objects.order_by("-title")
    pieces = list(postgresql_csv_batches(practices))
    assert [piece.count(b"\r\n") for piece in pieces] == [4, 4, 2]
    slugs = [line.split(",")[0] for line in b"".join(pieces).decode().splitlines()]
    assert slugs == [f"p{number}" for number in reversed(range(10))]


@pytest.mark.postgres
def test_postgresql_lists_tags_in_the_taxonomy_order_not_by_name(taxonomies):
    for position, slug in enumerate(["digital-transition", "resilience", "green-transition"]):
        ThematicPriority.objects.filter(slug=slug).update(position=position)
    StrategicChallenge.objects.update(position=0)  # a tie: the names decide
    make_practice(
        slug="tagged",
        priorities=["resilience", "green-transition", "digital-transition"],
        challenges=["value-chains", "skills", "innovation"],
        recommendations=["r15", "r2", "r10"],
    )
    practices = Practice.objects.all()
    exported = postgresql_export(practices).decode()
    (row,) = csv.DictReader(io.StringIO(",".join(CSV_COLUMNS) + "\r\n" + exported))
    assert row["thematic_priorities"] == "Digital transition; Resilience; Green transition"
    assert row["strategic_challenges"] == "Innovation; Skills; Value chains"
    assert row["recommendations"] == "r2; r10; r15"
    assert postgresql_export(practices) == python_export(practices)


def add_priorities(count):
    ThematicPriority.objects.bulk_create(
        ThematicPriority(slug=f"extra-{number}", name=f"Extra {number}", position=10 + number)
        for number in range(count)
    )


@pytest.mark.postgres
def test_postgresql_writes_the_tags_of_a_taxonomy_of_63_values(taxonomies, monkeypatch):
    add_priorities(60)  # and the 3 of the fixture: the last one takes bit 62
    make_practice(slug="tagged", priorities=["resilience", "extra-30", "extra-59"])
    practices = Practice.objects.all()
    expected = python_export(practices)
    assert b"Resilience; Extra 30; Extra 59" in expected

    def refuse(practices):
        raise AssertionError("the Python path ran")

    monkeypatch.setattr(exports, "python_csv_batches", refuse)
    assert postgresql_export(practices) == expected


@pytest.mark.postgres
def test_postgresql_leaves_a_taxonomy_of_64_values_to_python(taxonomies, monkeypatch):
    add_priorities(61)
    make_practice(slug="tagged", priorities=["resilience", "extra-60"])
    practices = Practice.objects.all()
    expected = python_export(practices)
    assert b"Resilience; Extra 60" in expected
    handed_over = []

    def python_path(practices, **kwargs):
        handed_over.append(practices)
        return python_csv_batches(practices, **kwargs)

    monkeypatch.setattr(exports, "python_csv_batches", python_path)
    assert postgresql_export(practices) == expected
    assert handed_over == [practices]


# Pieces a spreadsheet or a CSV reader could trip on, mixed with arbitrary text (PostgreSQL
# text holds neither NUL nor lone surrogates).
HOSTILE_PIECES = [
    "=", "+", "-", "@", "\t", "\r", "\n", "\r\n", "'", "''", "'=", "'+", "'-", "'@", "'\t",
    "'\r", '"', '""', ",", ";", "; ", " ", "é", "Ω≈ç√", "🚀", "=SUM(A1)", 'a,"b"',
]  # fmt: skip
any_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=12,
)
hostile_text = st.lists(st.one_of(st.sampled_from(HOSTILE_PIECES), any_text), max_size=6).map(
    "".join
)
practice_values = st.fixed_dictionaries(
    {
        "slug": hostile_text,
        "title": hostile_text.filter(bool),
        "original_title": hostile_text,
        "description": hostile_text,
        "link": hostile_text,
        "country": st.sampled_from(["FI", "DK", "XK", "ZZ", "=1", "'-", '",']),
        "territorial_validity": st.sampled_from(["national", "regional"]),
        "priorities": st.lists(
            st.sampled_from(["resilience", "green-transition", "digital-transition"]),
            unique=True,
        ),
        "challenges": st.lists(
            st.sampled_from(["innovation", "skills", "value-chains", "internationalisation"]),
            unique=True,
        ),
        "support": st.lists(
            st.sampled_from(["intelligence", "networking", "business-services"]), unique=True
        ),
        "recommendations": st.lists(
            st.sampled_from([f"r{number}" for number in range(1, 16)]), unique=True, max_size=5
        ),
        "region": st.sampled_from([None, "plain", "hostile"]),
        "updated_at": st.datetimes(
            min_value=datetime.datetime(1900, 1, 1),
            max_value=datetime.datetime(2200, 1, 1),
            timezones=st.sampled_from(
                [
                    datetime.UTC,
                    datetime.timezone(datetime.timedelta(hours=14)),
                    datetime.timezone(datetime.timedelta(hours=-12)),
                ]
            ),
        ),
    }
)


@pytest.mark.postgres
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    practices=st.lists(practice_values, min_size=1, max_size=4),
    challenge_name=hostile_text,
    region_name=hostile_text,
    typology_name=hostile_text,
)
def test_postgresql_and_python_write_the_same_bytes_for_hostile_text(
    taxonomies, practices, challenge_name, region_name, typology_name
):
    with transaction.atomic():
        StrategicChallenge.objects.filter(slug="skills").update(name=challenge_name)
        Typology.objects.filter(slug="agri-textile").update(name=typology_name)
        regions = {
            None: None,
            "plain": make_region(code="FI1B", name="Helsinki-Uusimaa"),
            "hostile": make_region(
                code=region_name[:10], name=region_name, typology="agri-textile"
            ),
        }
        for number, values in enumerate(practices):
            fields = {name: value for name, value in values.items() if name != "updated_at"}
            practice = make_practice(
                **{
                    **fields,
                    "slug": f"{values['slug']}~{number}",
                    "region": regions[values["region"]],
                }
            )
            Practice.objects.filter(pk=practice.pk).update(updated_at=values["updated_at"])
        queryset = Practice.objects.order_by("title", "pk")
        assert postgresql_export(queryset) == python_export(queryset)
        transaction.set_rollback(True)
