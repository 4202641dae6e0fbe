import pytest
from django.http import QueryDict

from practices.comparison.table import compare, rows_of
from practices.models import Practice
from practices.search.facets.registry import FACETS
from tests.factories import make_practice, make_region

pytestmark = pytest.mark.django_db


def asked(*slugs):
    data = QueryDict(mutable=True)
    data.setlist("p", list(slugs))
    return data


def row(comparison, label):
    (found,) = [row for row in comparison.rows if row.label == label]
    return found


def shown(cell):
    """What a cell reads: its text, its values (a shared one with a ✓) or what empty means."""
    values = [f"{value.name}{' ✓' if value.shared else ''}" for value in cell.values]
    return [part for part in (cell.text, *values) if part] or [cell.empty]


@pytest.fixture
def two_practices(taxonomies):
    helsinki = make_practice(
        slug="helsinki",
        title="NewCo Helsinki",
        country="FI",
        territorial_validity="regional",
        region=make_region(),
        challenges=("innovation", "skills"),
        support=("networking",),
        priorities=("green-transition", "resilience"),
        recommendations=("r1",),
        years=(2019, None),
        organisation="City of Helsinki\nBusiness Finland",
        budget="1m-5m",
        evaluated=True,
        instruments=(),
        description="The City of Helsinki helps firms. It funds advisers for two years.",
        link="https://example.fi/newco",
    )
    oslo = make_practice(
        slug="oslo",
        title="Arena Oslo",
        country="NO",
        challenges=("innovation",),
        support=("networking", "intelligence"),
        priorities=(),
        recommendations=(),
        years=(2015, 2021),
        origin="stip",
        survey_year=2021,
        organisation="Innovation Norway",
    )
    oslo.mark_reviewed(by="A curator")
    oslo.save()
    return helsinki, oslo


def test_the_comparison_lays_out_every_field_in_order_with_each_practices_values(two_practices):
    comparison = compare(asked("helsinki", "oslo"))
    assert comparison.status == 200 and comparison.problems == []
    assert [practice.slug for practice in comparison.practices] == ["helsinki", "oslo"]
    table = {row.label: [shown(cell) for cell in row.cells] for row in comparison.rows}
    assert list(table) == [
        "Country",
        "Country groups",
        "Territorial validity",
        "Years",
        "Responsible organisation",
        "Yearly budget (EUR)",
        "Type of instrument",
        "Target groups",
        "Strategic challenges",
        "Thematic priorities",
        "Type of cluster support",
        "Expert-group recommendations",
        "Taxonomies",
        "Region",
        "Region typology",
        "Evaluated",
        "Summary",
        "Source",
    ]
    assert table["Country"] == [["Finland"], ["Norway"]]
    assert table["Country groups"] == [
        ["EU-27", "Nordic countries ✓"],
        ["EFTA", "Nordic countries ✓"],
    ]
    assert table["Territorial validity"] == [["Regional"], ["National"]]
    assert table["Years"] == [["2019 – no end year given"], ["2015–2021"]]
    assert table["Responsible organisation"] == [
        ["City of Helsinki", "Business Finland"],
        ["Innovation Norway"],
    ]
    assert table["Yearly budget (EUR)"] == [["1M-5M"], ["Not given"]]
    assert table["Type of instrument"] == [["None given"], ["None given"]]
    assert table["Strategic challenges"] == [["Innovation ✓", "Skills"], ["Innovation ✓"]]
    # empty: not yet decided on a practice nobody reviewed, does not apply on a reviewed one
    assert table["Thematic priorities"] == [
        ["Resilience", "Green transition"],
        ["Does not apply"],
    ]
    assert table["Type of cluster support"] == [["Networking ✓"], ["Intelligence", "Networking ✓"]]
    assert table["Expert-group recommendations"] == [
        ["1. Green transition drivers"],
        ["Does not apply"],
    ]
    assert table["Taxonomies"][0] == ["Not yet reviewed: an empty one is not yet decided"]
    assert table["Taxonomies"][1][0].endswith(": an empty one does not apply")
    assert table["Region"] == [["Helsinki-Uusimaa (FI1B)"], ["Not specific to one region"]]
    assert table["Region typology"] == [
        ["Creative digital / Capitals"],
        ["No region, so no typology"],
    ]
    assert table["Evaluated"] == [["Yes"], ["Unknown"]]
    assert table["Summary"] == [
        ["The City of Helsinki helps firms."],
        ["A measure that supports clusters."],
    ]
    assert table["Source"] == [
        ["Entered by the toolkit's curators", "Further information"],
        ["EC-OECD STIP Compass, 2021 survey"],
    ]


def test_an_unreviewed_practices_empty_taxonomy_reads_not_yet_decided(two_practices):
    helsinki, oslo = two_practices
    oslo.reviewed_at = None
    oslo.save()
    comparison = compare(asked("helsinki", "oslo"))
    assert shown(row(comparison, "Thematic priorities").cells[1]) == ["Not yet decided"]


def test_a_survey_record_without_an_end_year_says_none_was_reported_never_ongoing(two_practices):
    helsinki, oslo = two_practices
    oslo.end_year = None
    oslo.save()
    comparison = compare(asked("helsinki", "oslo"))
    assert shown(row(comparison, "Years").cells[1]) == ["2015 – no end year reported"]
    assert not any("ongoing" in str(cell) for row in comparison.rows for cell in row.cells)


def test_rows_whose_values_differ_are_marked_and_rows_alike_are_not(two_practices):
    comparison = compare(asked("helsinki", "oslo"))
    differing = {row.label for row in comparison.rows if row.differs}
    alike = {row.label for row in comparison.rows if not row.differs}
    # summaries and sources always differ: they are not marked
    assert alike == {"Type of instrument", "Target groups", "Summary", "Source"}
    assert "Country" in differing and "Strategic challenges" in differing


def test_a_value_is_marked_shared_only_when_every_practice_holds_it(two_practices, taxonomies):
    make_practice(slug="riga", country="LV", challenges=("skills",), support=("networking",))
    comparison = compare(asked("helsinki", "oslo", "riga"))
    challenges = row(comparison, "Strategic challenges")
    assert [shown(cell) for cell in challenges.cells] == [
        ["Innovation", "Skills"],
        ["Innovation"],
        ["Skills"],
    ]
    support = row(comparison, "Type of cluster support")
    assert [shown(cell) for cell in support.cells] == [
        ["Networking ✓"],
        ["Intelligence", "Networking ✓"],
        ["Networking ✓"],
    ]


def test_each_value_of_a_facet_links_to_its_search(two_practices):
    comparison = compare(asked("helsinki", "oslo"))
    (innovation, skills) = row(comparison, "Strategic challenges").cells[0].values
    assert (innovation.href, skills.href) == (
        "/practices/?challenge=innovation",
        "/practices/?challenge=skills",
    )
    assert row(comparison, "Country").cells[1].values[0].href == "/practices/?country=NO"
    assert row(comparison, "Evaluated").cells[0].values[0].href == "/practices/?evaluated=yes"


def test_every_facet_of_the_registry_has_a_row_but_the_years_the_period_gives(two_practices):
    helsinki, oslo = two_practices
    rows = rows_of(list(Practice.objects.with_tags().filter(slug__in=["helsinki", "oslo"])))
    labels = {row.label for row in rows}
    from practices.comparison.table import LAID_OUT

    for spec in FACETS:
        if spec.param != "year":
            assert LAID_OUT.get(spec.param, spec.label) in labels


@pytest.mark.parametrize(
    ("chosen", "status", "problems", "ways_on"),
    [
        (
            [],
            400,
            [
                "Choose at least 2 practices to compare, with “Add to comparison” on the search "
                "page or on a practice's page."
            ],
            [("Choose practices on the search page", "/practices/")],
        ),
        (
            ["helsinki"],
            400,
            [
                "Choose at least 2 practices to compare, with “Add to comparison” on the search "
                "page or on a practice's page."
            ],
            [("Choose more on the search page", "/practices/?p=helsinki")],
        ),
        (
            ["helsinki", "oslo", "helsinki"],
            400,
            ["“helsinki” is chosen 2 times: each practice is compared once."],
            [
                ("Compare the 2 practices, each once", "/compare/practices/?p=helsinki&p=oslo"),
                ("Choose more on the search page", "/practices/?p=helsinki&p=oslo"),
            ],
        ),
        (
            ["helsinki", "no-such-practice", "oslo"],
            404,
            ["“no-such-practice” is not a published practice (its address may have changed)."],
            [
                ("Compare the 2 practices, each once", "/compare/practices/?p=helsinki&p=oslo"),
                ("Choose more on the search page", "/practices/?p=helsinki&p=oslo"),
            ],
        ),
        (
            ["helsinki", "draft"],
            404,
            [
                "“draft” is not a published practice (its address may have changed).",
                "Choose at least 2 practices to compare, with “Add to comparison” on the search "
                "page or on a practice's page.",
            ],
            [("Choose more on the search page", "/practices/?p=helsinki")],
        ),
        (
            ["a", "b", "c", "d", "e"],
            400,
            ["You chose 5 practices: at most 4 can be compared at once."],
            [
                ("Compare the first 4", "/compare/practices/?p=a&p=b&p=c&p=d"),
                ("Choose which to compare on the search page", "/practices/?p=a&p=b&p=c&p=d"),
            ],
        ),
    ],
)
def test_a_choice_it_cannot_compare_says_why_and_how_to_go_on(
    two_practices, chosen, status, problems, ways_on
):
    make_practice(slug="draft", is_published=False)
    comparison = compare(asked(*chosen))
    assert (comparison.status, comparison.problems, comparison.ways_on) == (
        status,
        problems,
        ways_on,
    )
    assert comparison.practices == [] and comparison.rows == []


def test_removing_a_column_leaves_the_comparison_of_the_others_or_the_search_page(
    two_practices, taxonomies
):
    make_practice(slug="riga")
    three = compare(asked("helsinki", "oslo", "riga"))
    assert [href for _, href in three.columns] == [
        "/compare/practices/?p=oslo&p=riga",
        "/compare/practices/?p=helsinki&p=riga",
        "/compare/practices/?p=helsinki&p=oslo",
    ]
    two = compare(asked("helsinki", "oslo"))
    assert [href for _, href in two.columns] == ["/practices/?p=oslo", "/practices/?p=helsinki"]
    assert two.search_href == "/practices/?p=helsinki&p=oslo" and not two.full
