"""Titles in capitals, told and recased as a proposal, on titles of the STIP Compass 2021 file;
the expected capitalisations are the ones curators chose for the sample practices."""

import csv
import json
from pathlib import Path

import pytest

from practices.intake.stip.clean import clean_line, organisation_lines
from practices.text import acronyms_in, fold, is_all_caps, proposed_capitalisation
from tests.shared_data import STIP_FILE, needs_stip_file


@pytest.mark.parametrize(
    "title",
    [
        "10-10 MYSTIE FRAMEWORK",
        "CLUSTERS4FUTURE",
        "STEM HUB",
        "AplusB SCALE UP",  # a brand in mixed case does not hide the capitals
        "NATIONAL THEMATIC NETWORKS Boosters",  # three words of four in capitals
        'THE INNOVATION CLUSTER "PARK OF INNOVATION TECHNOLOGIES "TECHGarden.kz"',
    ],
)
def test_a_title_written_in_capitals_is_told(title):
    assert is_all_caps(title)


@pytest.mark.parametrize(
    "title",
    [
        "LRM",  # an acronym alone
        "H2USA",
        "EU SME",
        "NRC Supercluster Support Programs",
        "Industry Growth Centres Initiative",
        "MANUFACTURING OF THE Future programme",  # half and half: a curator's choice
        "",
        "2021",
    ],
)
def test_a_title_in_mixed_case_or_an_acronym_alone_is_not_told(title):
    assert not is_all_caps(title)


@pytest.mark.parametrize(
    ("title", "proposed"),
    [
        ("10-10 MYSTIE FRAMEWORK", "10-10 Mystie Framework"),
        ("GRANTS FOR COLLABORATIVE R&D PROJECTS", "Grants for Collaborative R&D Projects"),
        ("NRC SUPERCLUSTER SUPPORT PROGRAMS", "NRC Supercluster Support Programs"),
        (
            "BUSINESS INCUBATORS ENABLED TO PROVIDE HIGH VALUE SERVICES TO SMES",
            "Business Incubators Enabled to Provide High Value Services to SMEs",
        ),
        ("THE 11TH DEVELOPMENT PLAN OF TURKEY-CLUSTERS", "The 11th Development Plan of Turkey-Clusters"),
        ("5G VALLEY OPEN TEST AREA", "5G Valley Open Test Area"),
        ("CLUSTERS4FUTURE", "Clusters4Future"),
        ("DIGITAL INNOVATION HUBS (DIH) NETWORK", "Digital Innovation Hubs (DIH) Network"),
        ("[NCBR] BIOSTRATEG - ENVIRONMENT, AGRICULTURE AND FORESTRY",
         "[NCBR] Biostrateg - Environment, Agriculture and Forestry"),
        ("LEARNING SYSTEMS - GERMANY'S PLATFORM FOR ARTIFICIAL INTELLIGENCE",
         "Learning Systems - Germany's Platform for Artificial Intelligence"),
        ("GROWTH THROUGH INNOVATION: THE REGIONAL STREAM", "Growth through Innovation: The Regional Stream"),
        ("AplusB SCALE UP", "AplusB Scale Up"),
        ("INTERNATIONAL TECHNOPARK OF IT-STARTUPS \"ASTANA HUB\"",
         "International Technopark of IT-Startups \"Astana Hub\""),
        ("Industry Growth Centres Initiative", "Industry Growth Centres Initiative"),  # as it is
    ],
)  # fmt: skip
def test_a_title_in_capitals_is_proposed_in_title_case_keeping_its_acronyms(title, proposed):
    assert proposed_capitalisation(title) == proposed


def test_the_organisations_acronyms_stay_in_capitals():
    organisation = "Department of Industry, Science, Energy and Resources (DISER)"
    assert acronyms_in(organisation) == {"DISER"}
    assert proposed_capitalisation("DISER CLUSTER GRANTS") == "Diser Cluster Grants"
    assert (
        proposed_capitalisation("DISER CLUSTER GRANTS", acronyms=acronyms_in(organisation))
        == "DISER Cluster Grants"
    )
    assert acronyms_in("MINISTRY OF ECONOMY") == set()  # capitals throughout say nothing


@needs_stip_file
def test_the_proposal_is_what_curators_chose_for_65_of_the_70_sample_practices():
    """The titles of the sample STIP practices as the 2021 file writes them, against the
    titles curators gave them (``fixtures/stip_practices.json``): the proposal differs only
    where a rule cannot know a brand (MAGNET, TAKEOFF, go-cluster) or a curator went further."""
    with STIP_FILE.open(encoding="utf-8", newline="") as file:
        rows = {row["InitiativeID"]: row for row in csv.DictReader(file)}
    fixture = Path(__file__).parents[2] / "fixtures" / "stip_practices.json"
    differing = set()
    for entry in json.loads(fixture.read_text(encoding="utf-8")):
        cells = rows[entry["fields"]["source_id"]]
        title = clean_line(cells["NameEnglish"])
        acronyms = acronyms_in(organisation_lines(cells["NameResponsibleOrganisation"]))
        if proposed_capitalisation(title, acronyms=acronyms) != entry["fields"]["title"]:
            differing.add(title)
    assert differing == {
        "AplusB SCALE UP",  # curated: "AplusB Scale-up"
        "NETWORKS OF COMPETENCE GERMANY - GO-CLUSTER PROJECT",
        "GENERIC TECHNOLOGIES R&D CONSORTIA - MAGNET",
        'THE INNOVATION CLUSTER "PARK OF INNOVATION TECHNOLOGIES "TECHGarden.kz"',
        "TAKEOFF - UNIVERSITY OF MALTA KNOWLEDGE-BASED INCUBATOR",
    }


def test_folding_still_lowers_and_strips_accents():
    assert fold("Innovationsnetværk") == "innovationsnetvaerk"
