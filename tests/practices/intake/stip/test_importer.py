"""The STIP Compass import, on small files written here in both layouts."""

import csv
import io

import pytest
from django.contrib.admin.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from practices.intake.stip.importer import import_stip
from practices.models import Practice

pytestmark = pytest.mark.django_db

COLUMNS = [
    "InitiativeID", "SurveyYear", "NameEnglish", "NameOriginalLanguage", "CountryCode",
    "StartDateYear", "EndDateYear", "ShortDescription", "Objectives1", "Objectives2",
    "NameResponsibleOrganisation", "YearlyBudgetRange", "InternetLinks1", "InternetLinks2",
    "HasBeenEvaluated", "LinksEvaluations1", "TH42", "TH47", "TH82", "TH92", "TG18", "TG31",
    "InstrumentTypeCode", "InstrumentTypeLabel", "F1:V1",
]  # fmt: skip
URI = "http://stip.oecd.org/2021/data/policyInitiatives/"


def row(number, **cells):
    values = {
        "InitiativeID": f"{URI}{number}",
        "SurveyYear": "2021",
        "NameEnglish": f"Cluster programme {number}",
        "CountryCode": "FIN",
        "ShortDescription": f"Supports clusters ({number}).",
        "YearlyBudgetRange": "1M-5M",
        "HasBeenEvaluated": "0",
        "TH47": "1",
        "InstrumentTypeCode": "PI021",
        "InstrumentTypeLabel": "Networking and collaborative platforms",
    }
    values.update(cells)
    return [values.get(column, "") for column in COLUMNS]


SAMPLE_ROWS = [
    row(
        1,
        NameOriginalLanguage="Klusteriohjelma",
        StartDateYear="2015.0",
        EndDateYear="2021.0",
        Objectives1="Grow networks.",
        Objectives2="Train people.",
        NameResponsibleOrganisation="Ministry of Economic Affairs",
        InternetLinks1="not a link",
        InternetLinks2="https://example.fi/clusters",
        HasBeenEvaluated="1",
        LinksEvaluations1="https://example.fi/evaluation",
        TH42="1",
        TG31="1",
    ),
    # the same initiative with a second instrument: one practice, both instrument types
    row(1, InstrumentTypeCode="PI017", InstrumentTypeLabel="Technology extension", TG18="1"),
    row(2, CountryCode="BEVLG", TH82="1", YearlyBudgetRange="Unknown"),
    row(3, CountryCode="BEFED", TH92="1", InstrumentTypeCode="PI031"),
    row(4, CountryCode="EU", HasBeenEvaluated=""),
    row(5, CountryCode="DEU", TH47="0"),  # another theme's initiative
]


def comma_file(rows=SAMPLE_ROWS, columns=COLUMNS):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue().encode()


def official_file(rows=SAMPLE_ROWS):
    """The layout of the download from stip.oecd.org: a byte-order mark, pipes, and a second
    header row describing each column."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="|")
    writer.writerow(COLUMNS)
    writer.writerow([f"Description of {column}" for column in COLUMNS])
    writer.writerows(rows)
    return "\ufeff".encode() + buffer.getvalue().encode()


def imported():
    return {practice.source_id.rsplit("/", 1)[1]: practice for practice in Practice.objects.all()}


def slugs(manager):
    return set(manager.values_list("slug", flat=True))


def test_each_initiative_becomes_one_draft_with_its_facts(taxonomies):
    report = import_stip(comma_file())
    assert report.ok, [str(p) for p in report.problems]
    assert len(report.created) == 4
    practices = imported()
    assert set(practices) == {"1", "2", "3", "4"}  # 5 is not a cluster policy
    assert not Practice.objects.published().exists()
    first = practices["1"]
    assert first.slug == "cluster-programme-1-stip-1"
    assert (first.title, first.original_title) == ("Cluster programme 1", "Klusteriohjelma")
    assert first.description == "Supports clusters (1).\n\nObjectives: Grow networks. Train people."
    assert (first.start_year, first.end_year) == (2015, 2021)
    assert first.organisation == "Ministry of Economic Affairs"
    assert first.budget_range.slug == "1m-5m"
    assert first.evaluated is True
    assert first.evaluation_links == "https://example.fi/evaluation"
    assert first.link == "https://example.fi/clusters"  # the first that is a web address
    assert slugs(first.instrument_types) == {
        "networking-and-collaborative-platforms",
        "technology-extension-and-business-advisory-services",
    }
    assert slugs(first.target_groups) == {"smes", "entrepreneurs"}
    assert first.origin == "stip" and first.tags_proposed
    assert first.source_id == f"{URI}1"


def test_countries_and_territorial_validity_follow_the_rules(taxonomies):
    import_stip(comma_file())
    practices = imported()
    assert (practices["1"].country.code, practices["1"].territorial_validity.slug) == (
        "FI",
        "national",
    )
    assert (practices["2"].country.code, practices["2"].territorial_validity.slug) == (
        "BE",
        "regional",
    )
    assert (practices["3"].country.code, practices["3"].territorial_validity.slug) == (
        "BE",
        "national",
    )
    assert practices["4"].country.code == "EU"
    assert practices["4"].country.name == "European Union"
    assert practices["4"].evaluated is None
    assert practices["2"].budget_range is None  # "Unknown"


def test_tags_are_proposed_from_themes_and_instruments(taxonomies):
    report = import_stip(comma_file())
    practices = imported()
    assert slugs(practices["1"].challenges) == {"innovation"}  # TH42
    assert slugs(practices["1"].support_types) == {"networking", "business-services"}
    assert slugs(practices["2"].priorities) == {"digital-transition"}  # TH82
    assert slugs(practices["3"].priorities) == {"green-transition"}  # TH92
    assert slugs(practices["3"].support_types) == {"intelligence"}  # PI031
    assert not practices["4"].challenges.exists() and not practices["4"].recommendations.exists()
    assert report.proposed_tags == {
        "innovation": 1,
        "networking": 3,
        "business-services": 1,
        "digital-transition": 1,
        "green-transition": 1,
        "intelligence": 1,
    }


def test_the_official_layout_gives_the_same_records(taxonomies):
    import_stip(official_file())
    from_official = {
        key: (p.slug, p.title, p.country.code, p.start_year, slugs(p.instrument_types))
        for key, p in imported().items()
    }
    Practice.objects.all().delete()
    import_stip(comma_file())
    from_comma = {
        key: (p.slug, p.title, p.country.code, p.start_year, slugs(p.instrument_types))
        for key, p in imported().items()
    }
    assert from_official == from_comma and len(from_comma) == 4


def test_columns_it_does_not_know_are_ignored(taxonomies):
    columns = [*COLUMNS, "TH999", "SomethingNew"]
    rows = [[*cells, "1", "later survey"] for cells in SAMPLE_ROWS]
    assert import_stip(comma_file(rows, columns)).ok
    assert len(imported()) == 4


def test_a_second_import_changes_nothing(taxonomies):
    import_stip(comma_file())
    before = {p.pk: p.updated_at for p in Practice.objects.all()}
    report = import_stip(comma_file())
    assert (report.created, report.updated, len(report.unchanged)) == ([], [], 4)
    assert {p.pk: p.updated_at for p in Practice.objects.all()} == before


def test_a_curators_edit_survives_a_reimport_and_the_source_still_updates_the_rest(taxonomies):
    import_stip(comma_file())
    practice = imported()["1"]
    practice.title = "Finnish cluster programme"
    practice.save()
    practice.challenges.set([])  # the curator removes a proposed tag
    newer = [
        row(1, NameEnglish="Cluster programme 1 (renewed)", TH42="1", StartDateYear="2016")
        if cells[0] == f"{URI}1" and cells[COLUMNS.index("InstrumentTypeCode")] == "PI021"
        else cells
        for cells in SAMPLE_ROWS
    ]
    report = import_stip(comma_file(newer))
    practice.refresh_from_db()
    assert practice.title == "Finnish cluster programme"
    assert practice.start_year == 2016  # nobody had changed it: the source's new value
    assert not practice.challenges.exists()
    assert ("cluster-programme-1-stip-1", "title", "Finnish cluster programme",
            "Cluster programme 1 (renewed)") in report.conflicts  # fmt: skip
    assert report.updated == ["cluster-programme-1-stip-1"]
    assert Practice.objects.count() == 4  # updated by source id, never duplicated


def test_a_dry_run_writes_nothing(taxonomies):
    report = import_stip(comma_file(), dry_run=True)
    assert len(report.created) == 4 and report.summary().startswith("Dry run")
    assert not Practice.objects.exists()


@pytest.mark.parametrize(
    ("rows", "row_number", "column"),
    [
        ([row(1, StartDateYear="soon")], 2, "StartDateYear"),
        ([row(1, StartDateYear="2020", EndDateYear="2019")], 2, "EndDateYear"),
        ([row(1), row(2, CountryCode="XXX")], 3, "CountryCode"),
        ([row(1, InitiativeID="1333")], 2, "InitiativeID"),
        ([row(1, YearlyBudgetRange="a lot")], 2, "YearlyBudgetRange"),
        ([row(1, HasBeenEvaluated="maybe")], 2, "HasBeenEvaluated"),
        ([row(1, TH47="yes")], 2, "TH47"),
        ([row(1, NameEnglish="")], 2, "NameEnglish"),
        ([row(1), row(2)[:-3]], 3, ""),
    ],
)
def test_a_broken_file_changes_nothing_and_says_where(taxonomies, rows, row_number, column):
    import_stip(comma_file())
    before = sorted(Practice.objects.values_list("slug", "title", "updated_at"))
    report = import_stip(comma_file([*rows, row(9)]))
    assert [(p.row, p.column) for p in report.problems] == [(row_number, column)]
    assert report.summary().startswith("Refused")
    assert sorted(Practice.objects.values_list("slug", "title", "updated_at")) == before


def test_a_file_that_is_not_a_stip_export_is_refused(taxonomies):
    assert str(import_stip(b"slug,title\nx,y\n").problems[0]).startswith(
        "row 1: Not a STIP Compass export: no column InitiativeID"
    )
    assert "not UTF-8" in str(import_stip(b"\xff\xfe\x00broken").problems[0])


def test_drafts_are_nowhere_public(taxonomies, client):
    import_stip(comma_file())
    assert client.get("/practices/").context["page"].paginator.count == 0
    assert client.get("/api/practices/").json()["count"] == 0
    assert client.get("/practices/cluster-programme-1-stip-1/").status_code == 404
    export = b"".join(client.get("/practices/export.csv").streaming_content)
    assert b"stip" not in export


def test_the_command_reports_conflicts_and_proposed_tags(taxonomies, tmp_path, capsys):
    path = tmp_path / "stip.csv"
    path.write_bytes(comma_file())
    call_command("import_stip", str(path))
    assert "4 created (drafts)" in capsys.readouterr().out
    Practice.objects.filter(source_id=f"{URI}2").update(title="Edited")
    path.write_bytes(comma_file([row(2, NameEnglish="Renamed", CountryCode="BEVLG", TH82="1")]))
    call_command("import_stip", str(path))
    out = capsys.readouterr().out
    assert "conflict: cluster-programme-2-stip-2 title: kept 'Edited', source says 'Renamed'" in out
    assert "Proposed tags (practices): digital-transition 1, networking 1" in out
    path.write_bytes(b"not,a,stip,file\n")
    with pytest.raises(CommandError, match="Refused"):
        call_command("import_stip", str(path))


def test_the_admin_shows_a_curators_edit_beside_the_sources_value(taxonomies, staff_client):
    import_stip(comma_file())
    practice = imported()["2"]
    page = staff_client.get(f"/admin/practices/practice/{practice.pk}/change/").content.decode()
    assert "None: the practice holds what its source said at the last import." in page
    Practice.objects.filter(pk=practice.pk).update(title="Flemish clusters")
    page = staff_client.get(f"/admin/practices/practice/{practice.pk}/change/").content.decode()
    assert "<strong>title</strong>: here &#x27;Flemish clusters&#x27;; the source says" in page
    assert "&#x27;Cluster programme 2&#x27;" in page


def test_a_published_import_shows_its_facts_and_credits_the_oecd(taxonomies, client):
    import_stip(comma_file())
    Practice.objects.filter(source_id=f"{URI}1").update(is_published=True)
    page = client.get("/practices/cluster-programme-1-stip-1/").content.decode()
    for expected in [
        "2015 – 2021",
        "Ministry of Economic Affairs",
        'href="/practices/?budget=1m-5m"',
        'href="/practices/?instrument=networking-and-collaborative-platforms"',
        'href="/practices/?target_group=smes"',
        'Yes: <a class="external" href="https://example.fi/evaluation"',
        f'Source: <a class="external" href="{URI}1"',
        "EC-OECD (2021), STIP Compass",
    ]:
        assert expected in page, expected


def upload_stip(staff_client, content, theme="TH47"):
    return staff_client.post(
        reverse("admin:practices_practice_import_stip"),
        {"file": SimpleUploadedFile("stip.csv", content, content_type="text/csv"), "theme": theme},
    )


def confirm_stip(staff_client, preview):
    return staff_client.post(
        reverse("admin:practices_practice_import_stip"),
        {"confirm": "1", "token": preview.context["token"]},
    )


def test_the_admin_previews_a_stip_upload_then_imports_drafts(taxonomies, staff_client):
    preview = upload_stip(staff_client, official_file())
    page = preview.content.decode()
    assert "<strong>4</strong> new</a>" in page
    # the proposed tags, by name, counted
    assert "<tr><td>Networking</td><td>Types of cluster support</td><td>3</td></tr>" in page
    assert "cluster-programme-1-stip-1" in page
    assert not Practice.objects.exists(), "nothing is written before the confirmation"
    response = confirm_stip(staff_client, preview)
    assert response.status_code == 302
    assert response["Location"].endswith("?is_published__exact=0&origin__exact=stip")
    assert set(imported()) == {"1", "2", "3", "4"}
    assert not Practice.objects.published().exists()
    assert LogEntry.objects.filter(change_message="Imported from stip.csv.").count() == 4


def test_the_admin_preview_of_a_reimport_lists_the_conflicts(taxonomies, staff_client):
    import_stip(comma_file())
    Practice.objects.filter(source_id=f"{URI}2").update(title="Flemish clusters")
    renamed = [row(2, NameEnglish="Renamed", CountryCode="BEVLG", TH82="1")]
    page = upload_stip(staff_client, comma_file(renamed)).content.decode()
    assert "<strong>1</strong> with conflicts</a>" in page
    assert "<li>Title: you have Flemish clusters; the file proposes Renamed</li>" in page


def test_the_admin_keeps_the_theme_of_the_preview(taxonomies, staff_client):
    preview = upload_stip(staff_client, comma_file([row(5, TH47="0", TH92="1")]), theme="TH92")
    assert "<strong>1</strong> new</a>" in preview.content.decode()
    confirm_stip(staff_client, preview)
    assert set(imported()) == {"5"}


def test_the_admin_refuses_a_bad_theme_or_a_broken_file(taxonomies, staff_client):
    response = upload_stip(staff_client, comma_file(), theme="47; DROP")
    assert "A STIP theme code, e.g. TH47." in response.content.decode()
    assert "token" not in response.context
    response = upload_stip(staff_client, comma_file([row(1, StartDateYear="soon")]))
    assert "<td>2</td><td>StartDateYear</td>" in response.content.decode()
    assert "token" not in response.context
    assert not Practice.objects.exists()


def test_each_practice_an_import_writes_is_one_version_naming_the_file(taxonomies):
    import_stip(comma_file(), source_name="stip-2021.csv")
    first = imported()["1"]
    (version,) = first.history.all()
    assert version.history_change_reason == "Imported from stip-2021.csv"
    assert {link.instrumenttype.code for link in version.instrument_types.all()} == {
        "PI021",
        "PI017",
    }
    renewed = [
        row(2, NameEnglish="Renamed", CountryCode="BEVLG", TH82="1", YearlyBudgetRange="Unknown")
    ]
    report = import_stip(comma_file(renewed), source_name="stip-2023.csv")
    assert report.changes == {
        "cluster-programme-2-stip-2": [("title", "Cluster programme 2", "Renamed")]
    }  # (field's label, now, after the import), in words
    assert imported()["2"].history.first().history_change_reason == "Imported from stip-2023.csv"


def test_a_confirmation_is_refused_when_a_practice_changed_since_the_preview(taxonomies):
    import_stip(comma_file())
    renewed = comma_file([row(2, NameEnglish="Renamed", CountryCode="BEVLG", TH82="1")])
    preview = import_stip(renewed, dry_run=True)
    Practice.objects.get(source_id=f"{URI}2").save()  # someone saves it meanwhile
    report = import_stip(renewed, revisions_seen=preview.revisions)
    assert [(p.row, p.column) for p in report.problems] == [(2, "InitiativeID")]
    assert imported()["2"].title == "Cluster programme 2"


def test_after_a_conflict_the_import_remembers_the_sources_new_value(taxonomies):
    import_stip(comma_file())
    practice = imported()["2"]
    practice.title = "Edited by a curator"
    practice.save()
    renamed = [
        row(2, CountryCode="BEVLG", TH82="1", YearlyBudgetRange="Unknown", NameEnglish="Renamed")
        if cells[0] == f"{URI}2"
        else cells
        for cells in SAMPLE_ROWS
    ]
    import_stip(comma_file(renamed))
    practice.refresh_from_db()
    assert practice.title == "Edited by a curator"  # kept
    assert practice.imported["title"] == "Renamed"  # what the source says now
    # the curator takes the source's new title: no longer a conflict on the next import
    practice.title = "Renamed"
    practice.save()
    again = import_stip(comma_file(renamed))
    assert not [conflict for conflict in again.conflicts if conflict[1] == "title"]
    assert "cluster-programme-2-stip-2" in again.unchanged


def test_reimporting_an_unchanged_file_costs_the_same_queries_for_3_or_9_initiatives(taxonomies):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_of_a_reimport(count):
        Practice.objects.all().delete()
        content = comma_file([row(number) for number in range(1, count + 1)])
        assert len(import_stip(content).created) == count
        with CaptureQueriesContext(connection) as queries:
            report = import_stip(content)
        assert len(report.unchanged) == count
        return len(queries)

    assert queries_of_a_reimport(3) == queries_of_a_reimport(9)


def test_the_report_writes_each_change_of_a_reimport_in_words(taxonomies):
    import_stip(comma_file())
    changed = [
        row(4, CountryCode="EU", HasBeenEvaluated="", TH82="1", TH92="1", StartDateYear="2019")
        if cells[0] == f"{URI}4"
        else cells
        for cells in SAMPLE_ROWS
    ]
    report = import_stip(comma_file(changed), dry_run=True)
    assert report.changes == {
        "cluster-programme-4-stip-4": [
            ("start year", "", "2019"),
            ("STIP themes", "TH47", "TH47, TH82, TH92"),
            ("thematic priorities", "", "Digital transition, Green transition"),
        ]
    }


def test_the_text_an_import_stores_is_clean_and_whole(taxonomies):
    long_original = "Предоставление из федерального бюджета субсидий " * 15  # 750 characters
    organisations = (
        "Federal Ministry for Climate Action, Environment, Energy, Mobility, Innovation and "
        "Technology (BMK;Bundesministerium für Klimaschutz, Umwelt, Energie, Mobilität, "
        "Innovation und Technologie)¬Federal Ministry for Digital and Economic Affairs (BMDW;"
        "Bundesministerium für Digitalisierung und Wirtschaftsstandort)¬Research Promotion "
        "Agency (FFG;Österreichische Forschungsförderungsgesellschaft)¬IDA Ireland (;)"
    )
    content = comma_file(
        [
            row(
                1,
                NameEnglish='MOONSHOT  ""FLANDERS CO2 NEUTRAL""',
                NameOriginalLanguage=long_original,
                ShortDescription='Supports  ""clusters"".',
                Objectives1="Grow   networks.",
                NameResponsibleOrganisation=organisations,
            )
        ]
    )
    assert import_stip(content).ok
    practice = imported()["1"]
    assert practice.title == 'MOONSHOT "FLANDERS CO2 NEUTRAL"'  # capitals kept: a curator's call
    assert practice.description == 'Supports "clusters".\n\nObjectives: Grow networks.'
    assert practice.organisation_list == [
        "Federal Ministry for Climate Action, Environment, Energy, Mobility, Innovation and "
        "Technology (BMK; Bundesministerium für Klimaschutz, Umwelt, Energie, Mobilität, "
        "Innovation und Technologie)",
        "Federal Ministry for Digital and Economic Affairs (BMDW; Bundesministerium für "
        "Digitalisierung und Wirtschaftsstandort)",
        "Research Promotion Agency (FFG; Österreichische Forschungsförderungsgesellschaft)",
        "IDA Ireland",
    ]
    assert len(practice.original_title) <= 500
    # shortened at a word, and says so
    assert practice.original_title.endswith(" из…") and long_original.startswith(
        practice.original_title[:-1]
    )
    assert practice.survey_year == 2021
    assert import_stip(content).unchanged == [practice.slug]  # the cleaned text is stable


def test_a_name_that_cleans_to_nothing_is_a_problem_not_an_error(taxonomies):
    report = import_stip(comma_file([row(1, NameEnglish=' "" (;) ')]))
    assert [(p.row, p.column, p.message) for p in report.problems] == [
        (2, "NameEnglish", "Missing: every initiative needs a name.")
    ]
