import csv
import datetime
import io

import pytest
from django.http import QueryDict

from practices.csv_format import COLUMNS
from practices.exports import export_filename
from practices.filters import search_practices
from tests.factories import make_practice

pytestmark = pytest.mark.django_db


def download(client, query=""):
    response = client.get(f"/practices/export.csv?{query}")
    assert response.status_code == 200
    return response, b"".join(response.streaming_content)


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
    assert header == ",".join(COLUMNS)
    assert header == (
        "slug,title,original_title,description,country,country_name,territorial_validity,"
        "thematic_priorities,recommendations,strategic_challenges,cluster_support,region_code,"
        "region_name,typology,link,updated"
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
    # names of validities, regions and four taxonomies; the practices; four link tables a batch
    with django_assert_max_num_queries(12):
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
