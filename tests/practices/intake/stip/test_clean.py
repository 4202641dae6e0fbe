"""Cleaning STIP Compass text, on cells as the 2021 survey file writes them."""

import csv
import re

import pytest

from practices.intake.stip.clean import (
    clean_line,
    clean_organisation,
    clean_paragraphs,
    cleaned_fields,
    organisation_lines,
    organisations,
    shorten,
    split_list,
)
from tests.shared_data import STIP_FILE, needs_stip_file


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Luxinnovation (;)", ["Luxinnovation"]),
        ("Business Finland (BF;)", ["Business Finland (BF)"]),
        ("BELVAL funds (;Fonds Belval)", ["BELVAL funds (Fonds Belval)"]),
        (
            "Department of Industry, Science, Energy and Resources (DISER;)¬Commonwealth "
            "Scientific and Industrial Research Organisation (CSIRO;)",
            [
                "Department of Industry, Science, Energy and Resources (DISER)",
                "Commonwealth Scientific and Industrial Research Organisation (CSIRO)",
            ],
        ),
        ("Enterprise Ireland (EI;)¬IDA Ireland (;)", ["Enterprise Ireland (EI)", "IDA Ireland"]),
        (
            "Ministry of the Economy (MECO;Ministère de l'Économie)",
            ["Ministry of the Economy (MECO; Ministère de l'Économie)"],
        ),
        ("FedDev Ontario (FedDev Ontario;FedDev Ontario)", ["FedDev Ontario"]),
        (
            "Health Cluster Portugal (HCP;Health Cluster Portugal)",
            ["Health Cluster Portugal (HCP)"],
        ),
        ("French Regions (-;Régions de France)", ["French Regions (Régions de France)"]),
        (
            "Directorate-General for Economic Activities; (DGAE;Direção Geral das Atividades "
            "Económicas)",
            [
                "Directorate-General for Economic Activities (DGAE; Direção Geral das Atividades "
                "Económicas)"
            ],
        ),
        (
            'National University ""Yuri Kondratyuk Poltava Polytechnic"" (NUPP;Національний '
            'університет ""Полтавська політехніка імені Юрія Кондратюка"")',
            [
                'National University "Yuri Kondratyuk Poltava Polytechnic" (NUPP; Національний '
                'університет "Полтавська політехніка імені Юрія Кондратюка")'
            ],
        ),
        ("Department of Defence (;)¬Department of Defence (;)", ["Department of Defence"]),
        ("", []),
    ],
)
def test_organisations_are_split_at_the_list_separator_and_their_brackets_tidied(cell, expected):
    assert organisations(cell) == expected


def test_a_long_list_of_organisations_is_kept_whole_one_a_line():
    cell = (
        "Federal Ministry for Climate Action, Environment, Energy, Mobility, Innovation and "
        "Technology (BMK;Bundesministerium für Klimaschutz, Umwelt, Energie, Mobilität, "
        "Innovation und Technologie)¬Federal Ministry for Digital and Economic Affairs (BMDW;"
        "Bundesministerium für Digitalisierung und Wirtschaftsstandort)¬Research Promotion "
        "Agency (FFG;Österreichische Forschungsförderungsgesellschaft)"
    )
    stored = organisation_lines(cell)
    assert len(stored) > 300
    assert stored.splitlines()[-1] == (
        "Research Promotion Agency (FFG; Österreichische Forschungsförderungsgesellschaft)"
    )
    assert "Wirtschaftsstandort)" in stored  # where the old import cut it: "Wirtschaftss"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (
            'INTERNATIONAL TECHNOPARK OF IT-STARTUPS ""ASTANA HUB""',
            'INTERNATIONAL TECHNOPARK OF IT-STARTUPS "ASTANA HUB"',
        ),
        ('Programme """"quoted""""', 'Programme "quoted"'),
        ("  Cluster\t programme \u00a0 2021 ", "Cluster programme 2021"),
        ("Innovation¬Networks", "Innovation; Networks"),
        ("Cluster programme ()", "Cluster programme"),
        ("Cluster programme (CP;)", "Cluster programme (CP)"),
        ("Klusteriohjelma", "Klusteriohjelma"),
    ],
)
def test_a_line_has_its_quotes_once_its_lists_joined_and_its_spaces_single(cell, expected):
    assert clean_line(cell) == expected


def test_a_description_keeps_its_paragraphs_and_line_breaks():
    text = 'The ""cluster""  programme.\r\nSecond  line.\n\n\n\nObjectives:   grow.'
    assert clean_paragraphs(text) == 'The "cluster" programme.\nSecond line.\n\nObjectives: grow.'


def test_a_stored_list_one_a_line_is_read_as_a_list_too():
    assert split_list("Business Finland (BF)\n\nIDA Ireland\n") == [
        "Business Finland (BF)",
        "IDA Ireland",
    ]
    assert clean_organisation("IDA Ireland (;)") == "IDA Ireland"


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("Short title", 300, "Short title"),
        ("Предоставление из федерального бюджета субсидий", 30, "Предоставление из…"),
        ("Onewordlongerthanthelimit", 10, "Onewordlo…"),
        ("Cut after a comma, here", 20, "Cut after a comma…"),
    ],
)
def test_shortening_never_cuts_a_word_and_says_it_shortened(text, limit, expected):
    assert shorten(text, limit) == expected
    assert len(shorten(text, limit)) <= limit


def test_only_the_fields_cleaning_changes_are_given():
    values = {"title": "Clean title", "organisation": "Luxinnovation (;)", "country": "LU"}
    assert cleaned_fields(values) == {"organisation": "Luxinnovation"}


def stip_cells():
    with STIP_FILE.open(encoding="utf-8", newline="") as file:
        return [row for row in csv.DictReader(file) if row["TH47"] == "1"]


@needs_stip_file
def test_cleaning_the_whole_shared_file_loses_no_word_and_is_stable():
    columns = ["NameEnglish", "NameOriginalLanguage", "ShortDescription", "Background"]
    for cells in stip_cells():
        for column in columns:
            once = clean_paragraphs(cells[column])
            assert clean_paragraphs(once) == once
            assert "¬" not in once and '""' not in once and "(;" not in once
        stored = organisation_lines(cells["NameResponsibleOrganisation"])
        assert organisation_lines(stored) == stored
        for name in stored.splitlines():
            assert "(;" not in name and ";)" not in name and "()" not in name
            assert name[-1].isalpha() or name[-1] in ").", name
        # every word of the source is still there (a repeated name is written once)
        for word in re.findall(r"\w+", cells["NameResponsibleOrganisation"]):
            assert word in stored
