"""templates/factsheets/factsheet.html: a whole factsheet, each section with the date of its
facts, the sources with theirs, the OECD's credit, and apart, when our record changed."""

from html import unescape

import pytest
from django.template.loader import render_to_string

from factsheets.models import CountryFactsheet, Source

pytestmark = pytest.mark.django_db


def render(country):
    factsheet = CountryFactsheet.objects.of(country)
    html = render_to_string("factsheets/factsheet.html", {"factsheet": factsheet})
    return unescape(" ".join(html.split()))


def test_each_section_says_how_old_its_facts_are_apart_from_the_record_date(factsheets):
    page = render("DK")
    assert page.count("Facts as of 2021 (STIP Compass, 2021 survey)") >= 4
    assert 'Factsheet last updated <time datetime="2026-12-07">7 December 2026</time>' in page
    assert "Facts from EC-OECD (2021), STIP Compass" in page
    assert (
        "EC-OECD (2021), STIP Compass, initiative: Denmark's National Clusters - Innovationskraft"
        "</a> (2021 survey; supports: level of the policy, policy objectives, policy instruments, "
        "programmes, budget)"
    ) in page


def test_a_factsheet_without_stip_sources_names_its_own_and_carries_no_credit():
    factsheet = CountryFactsheet.objects.create(country="ME", policy_level="none")
    Source.objects.create(
        factsheet=factsheet, title="A ministry's report", year=2024, supports_level=True
    )
    page = render("ME")
    assert 'No cluster policy<p class="help">Facts as of 2024 (A ministry\'s report)</p>' in page
    assert "A ministry's report (2024; supports: level of the policy)" in page
    assert "STIP Compass" not in page
