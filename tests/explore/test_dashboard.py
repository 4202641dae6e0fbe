"""The country dashboards and the comparison of countries (explore/dashboard.py): every number
on the page is the count of the search its link opens, in a bounded number of queries."""

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pytest
from django.contrib.staticfiles import finders
from django.utils import timezone

from explore.dashboard import FEWEST, MOST, chosen_countries
from factsheets.models import CountryFactsheet
from tests.factories import make_practice
from tests.html_checker import html_errors

pytestmark = pytest.mark.django_db

THIS_YEAR = timezone.now().year
COMPARE = "/compare/?country=DK&country=FI&country=NO"


@pytest.fixture
def practices_with_years(sample_practices):
    """Beside the 15 samples (no years, instruments or budgets): practices that have them,
    and a draft that must count nowhere."""
    make_practice(
        slug="dk-since-2015", country="DK", years=(2015, None), budget="1m-5m",
        instruments=["networking-and-collaborative-platforms"], challenges=["skills"],
    )  # fmt: skip
    make_practice(
        slug="dk-2016-2018", country="DK", years=(2016, 2018), budget="1m-5m",
        instruments=["networking-and-collaborative-platforms", "grants-for-business-r-d-and-innovation"],
    )  # fmt: skip
    make_practice(slug="fi-2019-2022", country="FI", years=(2019, 2022), budget="5m-20m")
    make_practice(slug="no-ends-later", country="NO", years=(2020, THIS_YEAR + 4))
    make_practice(slug="draft", country="DK", years=(2010, None), is_published=False)


def result_count(client, query):
    return client.get(f"/practices/?{query}").context["page"].paginator.count


class CountedLinks(HTMLParser):
    """Every link to a search with the number it starts with ("5 practices of Denmark")."""

    def __init__(self):
        super().__init__()
        self.links, self._open = [], None

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href") or ""
        if tag == "a" and href.startswith("/practices/?"):
            self._open = [href, ""]

    def handle_data(self, data):
        if self._open is not None:
            self._open[1] += data

    def handle_endtag(self, tag):
        if tag == "a" and self._open is not None:
            href, text = self._open
            found = re.match(r"\s*(\d+)", text)
            if found:
                self.links.append((unquote(href.split("?", 1)[1] if "?" in href else ""),
                                   int(found.group(1))))  # fmt: skip
            self._open = None


def counted_links(response):
    parser = CountedLinks()
    parser.feed(response.content.decode())
    return parser.links


def measures_of(context_charts):
    for chart in context_charts:
        for group in getattr(chart, "groups", []):
            for bar in group.bars:
                yield bar.measure
        for column in getattr(chart, "columns", []):
            yield column.measure


def test_every_number_of_a_country_dashboard_is_the_count_of_the_search_it_links_to(
    practices_with_years, client
):
    response = client.get("/countries/dk/")
    assert response.status_code == 200
    dashboard = response.context["dashboard"]
    measures = list(measures_of([*dashboard.charts, dashboard.years]))
    for measure in measures:  # zeros too, though they are drawn without a link
        assert measure.count == result_count(client, measure.query), measure
    links = counted_links(response)
    chart_links = [link for link in links if "country=DK&" in link[0]]
    bars = [m for m in measures_of(dashboard.charts) if m.count and m.series.short == "DK"]
    years = [column for column in dashboard.years.columns if column.measure.count]
    assert len(chart_links) == 2 * (len(bars) + len(years))  # in the drawing and in the table
    for query, count in links:
        assert count == result_count(client, query), query
    assert dashboard.count == 4  # two samples and two with years; not the draft


def test_a_dashboard_draws_the_country_against_all_countries_by_share(practices_with_years, client):
    dashboard = client.get("/countries/dk/").context["dashboard"]
    charts = {chart.slug: chart for chart in dashboard.charts}
    assert list(charts) == [
        "chart-challenge", "chart-priority", "chart-support", "chart-recommendation",
        "chart-instrument", "chart-budget",
    ]  # fmt: skip
    skills = next(g for g in charts["chart-challenge"].groups if g.label == "Skills")
    denmark, everywhere = (bar.measure for bar in skills.bars)
    assert (denmark.series.short, denmark.total) == ("DK", 4)
    assert (everywhere.series.short, everywhere.total) == ("All", 19)
    assert denmark.query == "country=DK&challenge=skills" and everywhere.query == "challenge=skills"
    assert len(charts["chart-recommendation"].groups) == 15  # a gap shows as 0%
    # the 28 types of instrument: only those Denmark's practices have
    assert [g.label for g in charts["chart-instrument"].groups] == [
        "Grants for business R&D and innovation", "Networking and collaborative platforms",
    ]  # fmt: skip


def test_the_years_count_a_practice_without_an_end_up_to_this_year_and_say_so(
    practices_with_years, client
):
    response = client.get("/countries/dk/")
    years = response.context["dashboard"].years
    active = {column.year: column.measure.count for column in years.columns}
    assert min(active) == 2015 and max(active) == THIS_YEAR  # the draft's 2010 is not there
    assert (active[2015], active[2016], active[2018], active[2019], active[THIS_YEAR]) == (
        1, 2, 2, 1, 1,
    )  # fmt: skip
    assert f"one with no end year reported counts as active in every year up to {THIS_YEAR}" in (
        years.description
    )
    assert "ongoing" not in response.content.decode().lower()
    norway = client.get("/countries/no/").context["dashboard"].years
    assert max(column.year for column in norway.columns) == THIS_YEAR  # planned years left out


def test_a_dashboard_says_what_its_numbers_are_and_how_many_were_reviewed(
    practices_with_years, client
):
    page = " ".join(client.get("/countries/dk/").content.decode().split())
    assert "what curators have gathered so far, not all of Denmark’s cluster policy" in page
    assert "of 4 published practices" in page  # the review coverage of Denmark's
    assert '<svg viewBox="0 0 480' in page and 'role="img"' in page
    assert '<details class="chart-table"> <summary>Show as table' in page


def test_a_country_without_practices_has_no_charts(sample_practices, client):
    CountryFactsheet.objects.create(country="ES", policy_level="regional")
    response = client.get("/countries/es/")
    assert response.context["dashboard"] is None
    assert "<svg" not in response.content.decode()


def test_a_dashboard_takes_a_bounded_number_of_queries(
    practices_with_years, client, django_assert_max_num_queries
):
    # Two searches (Denmark's and everything's), each 11 queries today (the data version and
    # the options of nine taxonomies), and the factsheet and the review coverage.
    client.get("/countries/dk/")  # the index is built once per data version
    with django_assert_max_num_queries(24):
        assert client.get("/countries/dk/").status_code == 200


def test_every_number_of_a_comparison_is_the_count_of_the_search_it_links_to(
    practices_with_years, factsheets, client
):
    response = client.get(COMPARE)
    assert response.status_code == 200
    comparison = response.context["comparison"]
    assert [country.code for country in comparison.countries] == ["DK", "FI", "NO"]
    for measure in measures_of([*comparison.charts, *comparison.years]):
        assert measure.count == result_count(client, measure.query), measure
    links = counted_links(response)
    assert len(links) > 40
    for query, count in links:
        assert count == result_count(client, query), query


def test_a_comparison_puts_each_chart_on_one_scale_and_the_factsheets_side_by_side(
    practices_with_years, factsheets, client
):
    response = client.get(COMPARE)
    comparison = response.context["comparison"]
    for chart in comparison.charts:
        assert [series.short for series in chart.series] == ["DK", "FI", "NO"]
        largest = max(bar.measure.share for group in chart.groups for bar in group.bars)
        assert largest <= chart.scale < largest + 0.1 or (largest == 0 and chart.scale == 0.1)
    assert len({chart.top for chart in comparison.years}) == 1  # the years on one scale too
    assert len({len(chart.columns) for chart in comparison.years}) == 1  # over the same years
    facts = {row.label: row for row in comparison.facts}
    assert [c.result.count for c in facts["Published practices"].cells] == [4, 2, 3]
    level = facts["Level of the policy"].cells
    assert level == [
        CountryFactsheet.objects.get(country=code).get_policy_level_display()
        for code in ("DK", "FI", "NO")
    ]
    # each cell says how old its facts are, from the sources supporting that section
    assert facts["Level of the policy"].as_of == [
        CountryFactsheet.objects.of(code).dating["level"].as_of for code in ("DK", "FI", "NO")
    ]
    assert all(as_of.startswith("Facts as of 20") for as_of in facts["Programmes"].as_of)
    assert facts["Sources"].as_of == ["", "", ""]
    page = response.content.decode()
    assert facts["Programmes"].as_of[0] in page
    assert 'role="region" tabindex="0" aria-labelledby="compare-facts-caption"' in page
    assert '<link rel="stylesheet" href="/static/css/charts.css">' in page
    assert "@media print" in Path(finders.find("css/charts.css")).read_text()  # prints well


def test_a_country_page_and_the_countries_table_lead_to_a_comparison(practices_with_years, client):
    page = client.get("/countries/dk/").content.decode()
    assert '<form class="compare-with" method="get" action="/compare/">' in page
    assert '<input type="hidden" name="country" value="DK">' in page
    assert '<option value="DK">' not in page and '<option value="FI">Finland</option>' in page
    table = client.get("/countries/").content.decode()
    assert '<input type="checkbox" name="country" value="FI" id="compare-FI">' in table
    assert client.get("/compare/?country=DK&country=FI").status_code == 200


@pytest.mark.parametrize(
    "query, message",
    [
        ("country=DK", "Choose at least 2 countries to compare (1 chosen)."),
        ("country=DK&country=dk", "Choose at least 2 countries to compare (1 chosen)."),
        ("country=ZZ&country=DK", "No country with practices or a factsheet has the code “ZZ”"),
        ("country=DK&country=<b>", "the code “&lt;B&gt;”"),
        ("country=" + "&country=".join(["DK", "FI", "NO", "BE", "FR", "LV"]),
         "Choose at most 5 countries to compare (6 chosen)."),
    ],
)  # fmt: skip
def test_a_comparison_of_too_few_too_many_or_unknown_countries_says_what_is_wrong(
    sample_practices, client, query, message
):
    response = client.get(f"/compare/?{query}")
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert '<form class="compare-pick"' in page  # and a form to pick again
    assert "comparison" not in response.context


def test_the_comparison_page_without_countries_is_a_form_to_pick_them(sample_practices, client):
    response = client.get("/compare/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<input type="checkbox" name="country" value="DK">' in page
    assert 'role="alert"' not in page


def test_a_comparison_takes_a_bounded_number_of_queries(
    practices_with_years, factsheets, client, django_assert_max_num_queries
):
    # One search per country and one of everything (for the names and the form), 11 queries
    # each today; the factsheets with their sources and the review coverage
    client.get(COMPARE)
    with django_assert_max_num_queries(4 * 11 + 3):
        assert client.get(COMPARE).status_code == 200
    five = "/compare/?country=DK&country=FI&country=NO&country=BE&country=LV"
    client.get(five)
    with django_assert_max_num_queries(6 * 11 + 3):
        assert client.get(five).status_code == 200


def test_chosen_countries_keep_the_order_given_without_repeats():
    known = {"DK": "Denmark", "FI": "Finland", "NO": "Norway"}
    assert chosen_countries(["no", "DK", "NO", " fi "], known) == (["NO", "DK", "FI"], [])
    assert (FEWEST, MOST) == (2, 5)
    codes, problems = chosen_countries([], known)
    assert codes == [] and problems == ["Choose at least 2 countries to compare."]


@pytest.mark.html_checker
@pytest.mark.skipif(shutil.which("java") is None, reason="the Nu HTML checker runs on Java")
def test_the_nu_html_checker_finds_no_error_in_the_dashboards_and_comparisons(
    practices_with_years, factsheets, client, tmp_path
):
    pages = {
        "dashboard-dk": "/countries/dk/",
        "dashboard-no": "/countries/no/",
        "compare": COMPARE,
        "compare-empty": "/compare/",
        "compare-too-few": "/compare/?country=DK",
    }
    responses = {name: client.get(url) for name, url in pages.items()}
    assert html_errors(responses, tmp_path) == []


def test_a_country_with_a_factsheet_and_no_practice_compares_at_zero(
    practices_with_years, factsheets, client
):
    response = client.get("/compare/?country=DE&country=DK")
    assert response.status_code == 200
    germany, denmark = response.context["comparison"].countries
    assert (germany.result.count, denmark.result.count) == (0, 4)
    for chart in response.context["comparison"].charts:
        assert all(group.bars[0].measure.share == 0 for group in chart.groups)
    years = response.context["comparison"].years
    assert [chart.series.short for chart in years] == ["DE", "DK"]
    assert all(column.measure.count == 0 for column in years[0].columns)
