import csv
import io
import json
from pathlib import Path

import pytest
from django.core import serializers
from django.core.management import CommandError, call_command
from django.db.models import Model
from django.utils import timezone

from practices.csv_format import FIRST_COLUMNS
from practices.intake.csv import importer as imports
from practices.intake.csv.importer import import_practices
from practices.models import Practice, Region
from practices.search.facets.registry import CSV_COLUMNS
from practices.versions import one_version
from tests.factories import make_practice, make_region

pytestmark = pytest.mark.django_db

# A copy of ../shared/data/sample_practices.csv, kept byte for byte.
SAMPLE_CSV = Path(__file__).resolve().parents[4] / "fixtures" / "sample_practices.csv"
HEADER = ",".join(FIRST_COLUMNS)  # the rows below have these cells
GOOD_ROW = (
    "new-practice,New practice,,A new measure.,FI,Finland,National,Resilience,r1,Skills,"
    "Networking,,,,https://example.eu/,2024-05-01"
)


def export_bytes(client):
    return b"".join(client.get("/practices/export.csv").streaming_content)


def database_snapshot():
    models: list[type[Model]] = [Practice, Region]
    return {
        model.__name__: json.loads(serializers.serialize("json", model.objects.order_by("pk")))
        for model in models
    }


def csv_file(*rows, header=HEADER):
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")


def exported_rows(client):
    """The rows of the site's CSV export, by column."""
    return list(csv.DictReader(io.StringIO(export_bytes(client).decode("utf-8-sig"))))


def as_csv_file(rows):
    """``rows`` (by column) written back as a CSV file."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode()


def problems_of(report):
    return [(problem.row, problem.column) for problem in report.problems]


def test_the_shared_sample_file_imports_as_it_is(taxonomies):
    report = import_practices(SAMPLE_CSV.read_bytes())
    assert report.ok, [str(p) for p in report.problems]
    assert len(report.created) == 15
    assert Practice.objects.published().count() == 15
    moldova = Practice.objects.get(slug="eu4moldova-focal-regions-programme")
    assert moldova.updated_at.date().isoformat() == "2023-06-28"
    assert set(Region.objects.values_list("code", flat=True)) == {"FI1B", "DK01", "CY00"}


def test_export_import_export_gives_a_byte_identical_file(sample_practices, client):
    make_practice(
        slug="formulas",
        title="=1+2",
        original_title="@mention",
        description="-minus first\n\n+plus second",
        link="https://example.eu/a?b=c",
        region=Region.objects.get(code="DK01"),
        years=(2019, None),
        organisation="+Agency, for Innovation",
        evaluation_links="https://example.eu/r1\nhttps://example.eu/r2",
        source_id="http://stip.oecd.org/2021/data/policyInitiatives/99",
        target_groups=["smes", "women"],
        instruments=["innovation-vouchers"],
        budget="5m-20m",
        evaluated=False,
    )
    first = export_bytes(client)
    Practice.objects.all().delete()
    Region.objects.all().delete()
    report = import_practices(first)
    assert report.ok, [str(p) for p in report.problems]
    assert len(report.created) == 16
    formulas = Practice.objects.get(slug="formulas")
    assert (formulas.title, formulas.organisation) == ("=1+2", "+Agency, for Innovation")
    assert (formulas.start_year, formulas.end_year, formulas.evaluated) == (2019, None, False)
    assert formulas.evaluation_link_list == ["https://example.eu/r1", "https://example.eu/r2"]
    assert {group.slug for group in formulas.target_groups.all()} == {"smes", "women"}
    assert export_bytes(client) == first


def test_reimporting_an_export_changes_nothing(sample_practices, client):
    exported = export_bytes(client)
    before = database_snapshot()
    report = import_practices(exported)
    assert report.ok and len(report.unchanged) == 15 and not report.created and not report.updated
    assert database_snapshot() == before


def test_the_country_groups_column_is_written_for_readers_and_ignored(sample_practices, client):
    exported = exported_rows(client)
    assert {row["country_groups"] for row in exported if row["country"] == "NO"} == {
        "EFTA; Nordic countries"
    }
    for row in exported:
        row["country_groups"] = "Atlantis"  # derived from the country: nothing to check
    before = database_snapshot()
    report = import_practices(as_csv_file(exported))
    assert report.ok and len(report.unchanged) == 15
    assert database_snapshot() == before


def test_a_changed_row_updates_the_practice_by_slug(sample_practices, client):
    exported = export_bytes(client).decode("utf-8-sig")
    changed = exported.replace(
        "Circular Flanders,Vlaanderen Circulair", "Circular Flanders (VC),Vlaanderen Circulair"
    )
    report = import_practices(changed.encode())
    assert report.updated == ["circular-flanders"]
    assert Practice.objects.get(slug="circular-flanders").title == "Circular Flanders (VC)"


def test_names_or_slugs_are_accepted_for_tags_whatever_the_case(taxonomies):
    row = (
        "mixed,Mixed,,Text.,fi,Finland,REGIONAL,green-transition; digital TRANSITION,R3; r4,"
        "skills; Value Chains,intelligence; Business services,FI1B,Helsinki-Uusimaa,"
        "creative-digital-capitals,,"
    )
    report = import_practices(csv_file(row))
    assert report.ok, [str(p) for p in report.problems]
    practice = Practice.objects.get(slug="mixed")
    assert practice.country.code == "FI" and practice.territorial_validity.slug == "regional"
    assert set(practice.priorities.values_list("slug", flat=True)) == {
        "green-transition",
        "digital-transition",
    }
    assert set(practice.recommendations.values_list("slug", flat=True)) == {"r3", "r4"}
    assert set(practice.challenges.values_list("slug", flat=True)) == {"skills", "value-chains"}
    assert practice.region.typology.slug == "creative-digital-capitals"
    assert practice.is_published


def test_a_file_without_the_column_of_a_later_facet_leaves_that_facet_as_it_is(
    sample_practices, client, monkeypatch
):
    """A facet added after the first release (here, as if cluster support had been) may be
    missing from a file written before it existed."""
    monkeypatch.setattr(
        imports, "FIRST_COLUMNS", [c for c in FIRST_COLUMNS if c != "cluster_support"]
    )
    exported = io.StringIO(export_bytes(client).decode("utf-8-sig"), newline="")
    without_support = []
    for cells in csv.reader(exported):
        del cells[FIRST_COLUMNS.index("cluster_support")]
        without_support.append(cells)
    without_support[1:] = [
        [cell.replace("Business incubation", "Incubation") for cell in cells]
        for cells in without_support[1:]
    ]
    buffer = io.StringIO()
    csv.writer(buffer).writerows(without_support)
    helsinki = Practice.objects.get(slug="newco-helsinki")
    support_before = set(helsinki.support_types.values_list("slug", flat=True))

    report = import_practices(buffer.getvalue().encode())
    assert report.ok, [str(problem) for problem in report.problems]
    assert report.updated == ["newco-helsinki"]
    helsinki.refresh_from_db()
    assert helsinki.title.startswith("Incubation and entrepreneurial support")
    assert set(helsinki.support_types.values_list("slug", flat=True)) == support_before
    assert support_before == {"business-services", "networking"}
    header_without_title = ",".join(c for c in FIRST_COLUMNS if c != "title")
    refused = import_practices(csv_file(header=header_without_title))
    assert "missing title" in str(refused.problems[0])


def test_an_empty_updated_is_set_to_now(taxonomies):
    before = timezone.now()
    report = import_practices(csv_file(GOOD_ROW.removesuffix("2024-05-01")))
    after = timezone.now()
    assert report.ok
    practice = Practice.objects.get(slug="new-practice")
    assert before <= practice.updated_at <= after
    assert practice.created_at == practice.updated_at


def test_a_dry_run_reports_and_writes_nothing(sample_practices):
    before = database_snapshot()
    report = import_practices(csv_file(GOOD_ROW), dry_run=True)
    assert report.created == ["new-practice"]
    assert report.summary() == "Dry run: 1 to create, 0 to update, 0 unchanged; nothing written."
    assert database_snapshot() == before


BAD_FILES = {
    "unknown country": (csv_file(GOOD_ROW.replace(",FI,", ",XX,")), [(2, "country")]),
    "unknown tag": (
        csv_file(GOOD_ROW.replace("Resilience", "Blue economy")),
        [(2, "thematic_priorities")],
    ),
    "unknown recommendation": (
        csv_file(GOOD_ROW.replace(",r1,", ",r16,")),
        [(2, "recommendations")],
    ),
    "missing title": (csv_file(GOOD_ROW.replace("New practice", "")), [(2, "title")]),
    "malformed URL": (
        csv_file(GOOD_ROW.replace("https://example.eu/", "not a url")),
        [(2, "link")],
    ),
    "malformed date": (csv_file(GOOD_ROW.replace("2024-05-01", "01/05/2024")), [(2, "updated")]),
    "duplicate slug": (csv_file(GOOD_ROW, GOOD_ROW), [(3, "slug")]),
    "unknown typology": (
        csv_file(GOOD_ROW.replace(",,,,https", ",XX11,Somewhere,Mountains,https")),
        [(2, "typology")],
    ),
    "wrong header": (csv_file(GOOD_ROW, header=HEADER.replace("title", "name", 1)), [(1, "")]),
    "short row": (csv_file("only,three,cells"), [(2, "")]),
    "not UTF-8": (
        csv_file(GOOD_ROW).replace(b"New practice", "Nouvelle pratiqu\xe9".encode("latin-1")),
        [(2, "")],
    ),
    "JSON, not CSV": (b'{"practices": [{"slug": "x"}]}\n', [(1, "")]),
    "binary, not CSV": (b"PK\x03\x04\x00\x00binary", [(1, "")]),
    "empty": (b"", [(1, "")]),
}


FULL_HEADER = ",".join(CSV_COLUMNS)


def full_row(**later):
    """``GOOD_ROW`` with a cell for every later column: empty unless given."""
    return ",".join([GOOD_ROW, *(later.get(column, "") for column in CSV_COLUMNS[16:])])


BAD_FILES |= {
    "year not a number": (
        csv_file(full_row(start_year="2O21"), header=FULL_HEADER),
        [(2, "start_year")],
    ),
    "year in other digits": (
        csv_file(full_row(start_year="²⁰²¹"), header=FULL_HEADER),
        [(2, "start_year")],
    ),
    "year out of range": (
        csv_file(full_row(end_year="20210"), header=FULL_HEADER),
        [(2, "end_year")],
    ),
    "ends before it starts": (
        csv_file(full_row(start_year="2021", end_year="2019"), header=FULL_HEADER),
        [(2, "end_year")],
    ),
    "malformed evaluation link": (
        csv_file(
            full_row(evaluation_links='"https://example.eu/\nreport.pdf"'), header=FULL_HEADER
        ),
        [(2, "evaluation_links")],
    ),
    "source id twice": (
        csv_file(
            full_row(source_id="stip-1"),
            full_row(source_id="stip-1").replace("new-practice", "other"),
            header=FULL_HEADER,
        ),
        [(3, "source_id")],
    ),
    "unknown target group": (
        csv_file(full_row(target_groups="SMEs; Martians"), header=FULL_HEADER),
        [(2, "target_groups")],
    ),
}


def test_a_source_id_held_by_another_practice_is_refused(sample_practices):
    make_practice(slug="holder", source_id="stip-7")
    report = import_practices(csv_file(full_row(source_id="stip-7"), header=FULL_HEADER))
    assert [str(problem) for problem in report.problems] == [
        "row 2, column source_id: 'stip-7' is the source of another practice, 'holder'."
    ]
    assert not Practice.objects.filter(slug="new-practice").exists()


def test_the_facts_of_a_full_row_are_imported(taxonomies):
    row = full_row(
        start_year="2015",
        end_year="2027",
        organisation="Business Finland",
        evaluation_links='"https://example.eu/a\r\n\r\n https://example.eu/b "',
        source_id="http://stip.oecd.org/2021/data/policyInitiatives/1",
        target_groups="smes; Women",
    )
    assert import_practices(csv_file(row, header=FULL_HEADER)).ok
    practice = Practice.objects.get(slug="new-practice")
    assert (practice.start_year, practice.end_year) == (2015, 2027)
    assert practice.organisation == "Business Finland"
    assert practice.evaluation_links == "https://example.eu/a\nhttps://example.eu/b"
    assert practice.source_id == "http://stip.oecd.org/2021/data/policyInitiatives/1"
    assert {group.slug for group in practice.target_groups.all()} == {"smes", "women"}


def test_several_organisations_are_kept_whole_one_a_line_however_long(taxonomies):
    names = [f"Ministry number {number} of a long list of ministries" for number in range(12)]
    quoted = '"' + "\r\n".join([*names[:6], "  ", *names[6:]]) + '"'
    assert import_practices(csv_file(full_row(organisation=quoted), header=FULL_HEADER)).ok
    practice = Practice.objects.get(slug="new-practice")
    assert practice.organisation_list == names
    assert len(practice.organisation) > 300


@pytest.mark.parametrize("kind", BAD_FILES)
def test_a_bad_file_is_refused_whole_with_row_and_column(sample_practices, kind):
    content, expected_problems = BAD_FILES[kind]
    before = database_snapshot()
    report = import_practices(content)
    assert not report.ok
    assert problems_of(report) == expected_problems, [str(p) for p in report.problems]
    assert not report.created and not report.updated
    assert database_snapshot() == before


def test_every_problem_of_the_file_is_listed(taxonomies):
    content = csv_file(
        GOOD_ROW,
        GOOD_ROW.replace("new-practice", "second")
        .replace(",FI,", ",XX,")
        .replace("Skills", "Sailing"),
        GOOD_ROW.replace("new-practice", "third").replace("https://example.eu/", "ftp//x"),
    )
    report = import_practices(content)
    assert problems_of(report) == [(3, "country"), (3, "strategic_challenges"), (4, "link")]
    assert (
        str(report.problems[0])
        == "row 3, column country: 'XX' is not an ISO 3166-1 alpha-2 country code."
    )
    assert not Practice.objects.exists()


def test_a_new_region_is_created_with_its_typology(taxonomies):
    report = import_practices(
        csv_file(
            GOOD_ROW.replace(
                ",,,,https", ",ES30,Comunidad de Madrid,Creative digital / Capitals,https"
            )
        )
    )
    assert report.ok
    region = Region.objects.get(code="ES30")
    assert (
        region.name == "Comunidad de Madrid" and region.typology.slug == "creative-digital-capitals"
    )


def test_a_new_region_without_a_typology_is_created_with_its_group_unknown(taxonomies):
    report = import_practices(csv_file(GOOD_ROW.replace(",,,,https", ",BE10,Brussels,,https")))
    assert report.ok
    assert Region.objects.get(code="BE10").typology is None


def test_a_typology_given_for_a_region_of_unknown_group_is_refused(taxonomies):
    make_region(code="BE10", name="Brussels", typology=None)
    report = import_practices(
        csv_file(GOOD_ROW.replace(",,,,https", ",BE10,Brussels,Agri-textile,https"))
    )
    assert problems_of(report) == [(2, "typology")]
    assert "no known typology" in report.problems[0].message


def test_the_command_imports_and_summarises(taxonomies, tmp_path, capsys):
    path = tmp_path / "practices.csv"
    path.write_bytes(SAMPLE_CSV.read_bytes())
    call_command("import_practices", str(path), "--dry-run")
    assert "Dry run: 15 to create, 0 to update, 0 unchanged" in capsys.readouterr().out
    assert not Practice.objects.exists()
    call_command("import_practices", str(path))
    assert "15 created, 0 updated, 0 unchanged." in capsys.readouterr().out
    assert Practice.objects.count() == 15


def test_the_command_refuses_a_bad_file_listing_each_problem(taxonomies, tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_file(GOOD_ROW.replace(",FI,", ",XX,")))
    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("import_practices", str(path))
    assert "bad.csv: row 2, column country: 'XX' is not" in capsys.readouterr().err
    assert not Practice.objects.exists()


def test_the_command_reports_a_missing_file(taxonomies, tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_practices", str(tmp_path / "missing.csv"))


def test_the_evaluated_column_reads_yes_no_or_empty(sample_practices, client):
    exported = exported_rows(client)
    for row in exported:
        row["evaluated"] = {"newco-helsinki": "Yes", "circular-flanders": "no"}.get(row["slug"], "")

    assert import_practices(as_csv_file(exported)).ok
    evaluated = dict(Practice.objects.values_list("slug", "evaluated"))
    assert (evaluated["newco-helsinki"], evaluated["circular-flanders"]) == (True, False)
    assert evaluated["cluster-programme-latvia"] is None
    exported[0]["evaluated"] = "maybe"
    report = import_practices(as_csv_file(exported))
    assert [(p.row, p.column) for p in report.problems] == [(2, "evaluated")]


def test_an_untouched_export_of_edited_practices_imports_as_a_no_op(sample_practices, client):
    practice = Practice.objects.get(slug="newco-helsinki")
    with one_version(practice, reason="an edit in the admin"):
        practice.title = "NewCo Helsinki"
        practice.save()  # updated now, at a time of day an export's date cannot hold
    exported = export_bytes(client)
    versions = Practice.history.count()
    before = database_snapshot()
    report = import_practices(exported, source_name="export.csv")
    assert (report.created, report.updated, len(report.unchanged)) == ([], [], 15)
    assert database_snapshot() == before
    assert Practice.history.count() == versions


def test_a_changed_practice_is_updated_now_as_one_version_naming_the_file(sample_practices, client):
    exported = export_bytes(client).decode("utf-8-sig")
    changed = exported.replace("Circular Flanders,Vlaanderen", "Circular Flanders (VC),Vlaanderen")
    started = timezone.now()
    report = import_practices(changed.encode(), source_name="flanders.csv")
    assert report.changes == {
        "circular-flanders": [("title", "Circular Flanders", "Circular Flanders (VC)")]
    }
    practice = Practice.objects.get(slug="circular-flanders")
    assert practice.updated_at >= started  # not the file's 2021 date
    (version,) = practice.history.all()
    assert version.history_change_reason == "Imported from flanders.csv"
    assert version.title == "Circular Flanders (VC)"
    assert {link.strategicchallenge.slug for link in version.challenges.all()} == set(
        practice.challenges.values_list("slug", flat=True)
    )


def test_the_preview_lists_each_change_old_to_new(sample_practices, client):
    rows = exported_rows(client)
    for row in rows:
        if row["slug"] == "newco-helsinki":
            row["thematic_priorities"] = "Green transition"
            row["country"] = "DK"
            row["end_year"] = "2030"  # none given before

    report = import_practices(as_csv_file(rows), dry_run=True)
    assert report.changes == {
        "newco-helsinki": [
            ("country", "FI", "DK"),
            ("end year", "", "2030"),
            ("thematic priorities", "Digital transition; Resilience", "Green transition"),
        ]
    }
    assert report.updated == ["newco-helsinki"] and len(report.unchanged) == 14


def test_a_confirmation_is_refused_when_a_practice_changed_since_the_preview(
    sample_practices, client
):
    exported = export_bytes(client).decode("utf-8-sig")
    changed = exported.replace("Circular Flanders,Vlaanderen", "Circular Flanders (VC),Vlaanderen")
    preview = import_practices(changed.encode(), dry_run=True)
    colleague = Practice.objects.get(slug="newco-helsinki")
    with one_version(colleague, reason="a colleague, meanwhile"):
        colleague.title = "NewCo"
        colleague.save()
    before = database_snapshot()
    report = import_practices(changed.encode(), revisions_seen=preview.revisions)
    assert [(p.column, p.message[:40]) for p in report.problems] == [
        ("slug", "'newco-helsinki' was created or saved by")
    ]
    assert database_snapshot() == before
    again = import_practices(changed.encode(), dry_run=True)
    assert import_practices(changed.encode(), revisions_seen=again.revisions).ok


def test_a_draft_whose_fields_already_match_the_file_is_published(sample_practices, client):
    exported = export_bytes(client)
    Practice.objects.filter(slug="circular-flanders").update(is_published=False)
    report = import_practices(exported)
    assert report.updated == ["circular-flanders"]
    assert "circular-flanders" not in report.unchanged
    assert Practice.objects.get(slug="circular-flanders").is_published
    assert Practice.objects.filter(is_published=False).count() == 0


def test_the_preview_names_a_new_region_and_a_publication_and_lists_the_unchanged(
    sample_practices, client
):
    rows = exported_rows(client)
    for row in rows:
        if row["slug"] == "newco-helsinki":
            row["region_code"] = "dk01"  # any case: read as the code
    Practice.objects.filter(slug="circular-flanders").update(is_published=False)
    report = import_practices(as_csv_file(rows), dry_run=True)
    assert report.changes == {
        "newco-helsinki": [("region", "FI1B", "DK01")],
        "circular-flanders": [("published", "no", "yes")],
    }
    assert sorted(report.unchanged) == sorted(
        row["slug"] for row in rows if row["slug"] not in report.changes
    )
