"""The Excel export: the CSV's rows and columns, typed, formula-looking text kept as text."""

import csv
import datetime
import io
import re

import openpyxl
import pytest
from django.core.cache import cache
from django.test import override_settings

from practices.csv_format import restore_cell
from practices.models import Practice
from practices.search.facets.registry import CSV_COLUMNS
from tests.factories import make_practice

pytestmark = pytest.mark.django_db

HOSTILE = [
    '=HYPERLINK("http://evil.example","click")',
    "+41 44 000 00 00",
    "-2+3",
    "@SUM(A1:A9)",
    "'=already quoted",
    "\tindented",
]


def workbook(client, query=""):
    response = client.get(f"/practices/export.xlsx?{query}")
    assert response.status_code == 200, response.content[:300]
    body = b"".join(response.streaming_content)
    return response, openpyxl.load_workbook(io.BytesIO(body))


def csv_rows(client, query=""):
    body = b"".join(client.get(f"/practices/export.csv?{query}").streaming_content)
    reader = csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""))
    return [[restore_cell(cell) for cell in row] for row in reader]


def as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    return str(value)


def test_the_workbook_has_exactly_the_csv_rows_in_the_same_order(sample_practices, client):
    for query in ["", "challenge=skills&priority=green-transition", "q=cluster&sort=-updated"]:
        _, book = workbook(client, query)
        sheet = book["Practices"]
        rows = [[as_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
        assert rows == csv_rows(client, query), query
    assert rows[0] == list(CSV_COLUMNS)


def test_cells_are_typed_and_the_header_stays_in_view(taxonomies, client):
    make_practice(slug="typed", years=(2019, 2024), link="https://example.eu/more")
    response, book = workbook(client)
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].startswith('attachment; filename="practices_')
    sheet = book["Practices"]
    assert sheet.freeze_panes == "A2"
    row = {column: cell for column, cell in zip(CSV_COLUMNS, sheet[2], strict=True)}
    assert isinstance(row["updated"].value, datetime.datetime)
    assert row["updated"].number_format == "yyyy-mm-dd"
    assert (row["start_year"].value, row["end_year"].value) == (2019, 2024)
    assert row["url"].hyperlink.target == "http://testserver/practices/typed/"
    assert row["link"].hyperlink.target == "https://example.eu/more"


def test_formula_looking_text_is_text_never_a_formula(taxonomies, client):
    for number, text in enumerate(HOSTILE):
        make_practice(slug=f"hostile-{number}", title=text, organisation=text)
    _, book = workbook(client)
    sheet = book["Practices"]
    title, organisation = CSV_COLUMNS.index("title") + 1, CSV_COLUMNS.index("organisation") + 1
    seen = set()
    for row in range(2, sheet.max_row + 1):
        for column in (title, organisation):
            cell = sheet.cell(row, column)
            assert cell.data_type == "s", (cell.value, cell.data_type)  # never "f"
            seen.add(cell.value)
    assert seen == set(HOSTILE)  # exactly the text, with nothing prepended


def test_the_second_sheet_says_what_the_search_was_and_the_licence(sample_practices, client):
    _, book = workbook(client, "challenge=skills&country=DK&country=FI")
    about = dict(book["About"].iter_rows(values_only=True))
    assert about["Search"] == "challenge = skills; country = DK, FI"
    assert about["Practices"] == str(
        Practice.objects.published()
        .filter(challenges__slug="skills", country__in=["DK", "FI"])
        .count()
    )
    assert "CC BY 4.0" in about["Licence"]
    assert "EC-OECD (2021), STIP Compass" in about["Credit"]
    assert about["Made from"].startswith("http://testserver/practices/export.xlsx?")


def test_a_bad_search_is_refused_with_a_message(sample_practices, client):
    response = client.get("/practices/export.xlsx?challenge=blue")
    assert response.status_code == 400
    assert "challenge" in response.content.decode()


@override_settings(RATE_LIMITS={"api": "3/minute", "export": "2/minute"})
def test_the_workbook_counts_against_the_same_limit_as_the_csv(sample_practices, client):
    cache.clear()
    assert client.get("/practices/export.csv").status_code == 200
    assert client.get("/practices/export.xlsx").status_code == 200
    refused = client.get("/practices/export.xlsx")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0


def test_control_characters_and_long_text_survive(taxonomies, client):
    text = "bell\x07, vertical tab\x0b, unit separator\x1f and a name: Türkiye ✓ " + "x" * 5000
    make_practice(slug="odd", title="Odd", description=text)
    _, book = workbook(client)
    (row,) = book["Practices"].iter_rows(min_row=2, values_only=True)
    # XML cannot hold control characters: OOXML writes them as _xHHHH_, which Excel reads
    # back as the character (openpyxl leaves the escape as it is)
    stored = row[CSV_COLUMNS.index("description")]
    assert "_x0007_" in stored
    assert re.sub(r"_x([0-9A-F]{4})_", lambda m: chr(int(m[1], 16)), stored) == text
