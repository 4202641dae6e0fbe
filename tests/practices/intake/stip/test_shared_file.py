"""The shared STIP Compass file (``shared/data/stip/``), imported into an empty database and
every draft published (forced here, as curators would after their review): no page, API
answer or export shows the survey's list separator or an empty acronym, and no organisation
is cut. One import, every check in one go."""

import csv
import html
import io
import re
import zipfile

from practices.intake.stip.clean import organisations
from practices.intake.stip.importer import import_stip
from practices.models import Practice
from tests.shared_data import STIP_FILE, needs_stip_file

# the list separator, and brackets empty or with a separator left dangling: "(;)", "(BF;)"
DEBRIS = re.compile(r"¬|\(\s*[;,]|[;,]\s*\)|\(\s*\)")
PERIOD = re.compile(r"<dt>Period</dt>\s*<dd>([^<]*)</dd>")


def body(response) -> str:
    assert response.status_code == 200, response
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content.decode()


def assert_clean(text, where):
    found = DEBRIS.search(html.unescape(text))  # "&quot;)" is no dangling separator
    assert found is None, f"{found.group()!r} in {where}: {text[found.start() - 80 : found.end()]}"


def xlsx_text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as book:
        return "".join(book.read(name).decode() for name in book.namelist())


@needs_stip_file
def test_the_shared_file_published_shows_no_list_separator_no_empty_acronym_no_cut_name(
    taxonomies, client
):
    with STIP_FILE.open(encoding="utf-8", newline="") as file:
        cells = {row["InitiativeID"]: row for row in csv.DictReader(file) if row["TH47"] == "1"}
    report = import_stip(STIP_FILE.read_bytes())
    assert report.ok and len(report.created) == len(cells) == 278
    Practice.objects.update(is_published=True, tags_proposed=False)
    practices = list(Practice.objects.order_by("slug"))

    # every organisation whole: as many as the file names, each ending as a name ends, its
    # brackets closed, every word of the file's cell kept
    for practice in practices:
        source = cells[practice.source_id]["NameResponsibleOrganisation"]
        names = practice.organisation_list
        assert len(names) == len(organisations(source)) == len(set(names))
        for name in names:
            assert name[-1].isalpha() or name[-1] in ").", name
            assert name.count("(") == name.count(")"), name
        stored_words = set(re.findall(r"\w+", practice.organisation))
        assert set(re.findall(r"\w+", source)) <= stored_words, practice.slug

    # the search pages, page after page, and every practice's page
    page, listed = 1, 0
    while True:
        response = client.get(f"/practices/?page={page}")
        assert_clean(body(response), f"search page {page}")
        listed += len(response.context["page"].object_list)
        if not response.context["page"].has_next():
            break
        page += 1
    assert listed == 278
    for practice in practices:
        page = body(client.get(f"/practices/{practice.slug}/"))
        assert_clean(page, practice.slug)
        period = PERIOD.search(page)
        if practice.start_year and practice.end_year is None:
            assert (
                period.group(1)
                == f"{practice.start_year} – no end year reported in the 2021 survey"
            )
        assert period is None or "ongoing" not in period.group(1), practice.slug

    # the API, its lists and every practice
    api_page = "/api/practices/?page_size=100"
    while api_page:
        answer = client.get(api_page)
        assert_clean(body(answer), api_page)
        api_page = answer.json()["next"]
    for practice in practices:
        assert_clean(body(client.get(f"/api/practices/{practice.slug}/")), practice.slug)

    # the exports and the feed
    exported = body(client.get("/practices/export.csv"))
    assert_clean(exported, "the CSV export")
    assert len(list(csv.DictReader(io.StringIO(exported)))) == 278
    workbook = client.get("/practices/export.xlsx")
    assert workbook.status_code == 200
    content = b"".join(workbook.streaming_content) if workbook.streaming else workbook.content
    assert_clean(xlsx_text(content), "the Excel export")
    assert_clean(body(client.get("/practices/feed/")), "the feed")
