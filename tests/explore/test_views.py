"""The explore pages: every number is the count of the search it links to."""

import pytest
from django.core.cache import cache

from practices.models import Practice
from tests.factories import make_practice, make_region

pytestmark = pytest.mark.django_db


def result_count(client, query):
    return client.get(f"/practices/?{query}").context["page"].paginator.count


def test_every_number_on_the_home_page_is_what_its_link_shows(sample_practices, client):
    make_practice(slug="draft", is_published=False, challenges=["skills"], country="MT")
    response = client.get("/")
    assert response.status_code == 200
    groups = dict(response.context["entry_points"])
    assert list(groups) == [
        "Strategic challenges",
        "Thematic priority",
        "Type of cluster support",
        "Region typology",
    ]
    checked = 0
    for entries in groups.values():
        for entry in entries:
            assert entry.count == result_count(client, entry.query), entry
            checked += 1
    assert checked == 4 + 3 + 3 + 7
    skills = next(e for e in groups["Strategic challenges"] if e.label == "Skills")
    assert skills.count == 9  # the draft is not counted
    totals = response.context["totals"]
    assert totals["practices"] == result_count(client, "") == 15
    published_countries = set(Practice.objects.published().values_list("country", flat=True))
    assert totals["countries"] == len(published_countries) == 13
    content = response.content.decode()
    assert '<a href="/practices/?challenge=skills">Skills</a>' in content
    (places,) = response.context["place_points"]
    assert places[0] == "Country group"
    assert [(entry.label, entry.count) for entry in places[1]] == [
        ("EU-27", 10), ("EFTA", 2), ("Nordic countries", 5), ("Baltic states", 2),
        ("Western Balkans", 1), ("Eastern Partnership", 1), ("EU candidate countries", 3),
        ("Rest of the world", 0),
    ]  # fmt: skip
    for entry in places[1]:
        assert entry.count == result_count(client, entry.query), entry
    # a place opens the filters, to narrow by theme next
    assert '<a href="/practices/?country_group=nordic#filters">Nordic countries</a>' in content


def test_the_home_page_lists_the_most_recently_updated_practices(sample_practices, client):
    make_practice(slug="draft", is_published=False)
    recent = [practice.slug for practice in client.get("/").context["recent"]]
    newest_first = client.get("/practices/?sort=-updated").context["page"].object_list
    assert recent == [practice.slug for practice in newest_first][:5]
    assert "draft" not in recent


def test_the_home_page_and_the_data_page_give_the_same_last_change(sample_practices, client):
    import datetime

    from factsheets.models import CountryFactsheet

    latest_practice = Practice.objects.published().latest("updated_at").updated_at
    make_practice(slug="draft", is_published=False)  # a draft's save changes nothing public
    assert client.get("/").context["totals"]["last_update"] == latest_practice
    # a factsheet saved later is a change of the published data on both pages
    CountryFactsheet.objects.create(country="MD", policy_level="none")
    later = CountryFactsheet.objects.get(country="MD").updated_at
    assert later > latest_practice
    home = client.get("/")
    data = client.get("/data/")
    assert home.context["totals"]["last_update"] == data.context["changed"] == later
    day = later.astimezone(datetime.UTC).strftime("%Y-%m-%d")
    assert f'<time datetime="{day}">' in home.content.decode()
    assert f'<time datetime="{day}T' in data.content.decode()


def cells_of(table):
    for name, query, total, cells in table.rows:
        yield name, query, total
        for cell in cells:
            yield name, cell.query, cell.count


def test_every_number_on_the_themes_page_is_what_its_link_shows(sample_practices, client):
    make_practice(slug="draft", is_published=False, challenges=["skills"], recommendations=["r1"])
    response = client.get("/themes/")
    assert response.status_code == 200
    checked = 0
    for name in ["challenges_by_priority", "gaps_by_typology", "gaps_by_country"]:
        table = response.context[name]
        for label, query, count in cells_of(table):
            assert count == result_count(client, query), (name, label, query)
            checked += 1
    for _, entries in response.context["recommendations"]:
        for entry in entries:
            assert entry.count == result_count(client, entry.query), entry
            checked += 1
    assert checked == (4 * 4) + (15 * 8) + (15 * 9) + 15
    gaps = response.context["gaps_by_typology"]
    assert [name for _, name in gaps.columns][:2] == ["Agri-textile", "Agri-tourism"]
    assert 'class="gap"' in response.content.decode()  # some recommendations have none yet


def test_the_themes_page_costs_a_handful_of_queries_however_many_rows_it_counts(
    sample_practices, client, django_assert_max_num_queries
):
    client.get("/themes/")  # the facet index is built once a process, not by a page
    for number in range(20):
        make_practice(slug=f"more-{number}", challenges=["skills"], recommendations=["r2"])
    client.get("/themes/")
    cache.clear()  # the page drawn anew (not the kept one), on an index already current
    with django_assert_max_num_queries(15):
        response = client.get("/themes/")
    totals = {name: total for name, _, total, _ in response.context["challenges_by_priority"].rows}
    skills = Practice.objects.filter(is_published=True, challenges__slug="skills").count()
    assert totals["Skills"] == skills >= 20


def test_the_typologies_page_counts_what_its_links_show(sample_practices, client):
    make_practice(slug="draft", is_published=False, region=Practice.objects.get(
        slug="newco-helsinki").region)  # fmt: skip
    response = client.get("/typologies/")
    groups = response.context["groups"]
    assert [group.typology.panorama_regions for group in groups] == [37, 22, 35, 19, 21, 17, 50]
    for group in groups:
        assert group.practices.count == result_count(client, group.practices.query)
    capitals = next(g for g in groups if g.typology.slug == "creative-digital-capitals")
    assert [(region.code, entry.count) for region, entry in capitals.regions] == [
        ("DK01", 1),
        ("FI1B", 1),  # the draft placed there is not counted
    ]
    assert "19 regions in the Panorama" in response.content.decode()


def test_a_region_of_unknown_group_is_listed_apart_and_counted_in_no_group(
    sample_practices, client
):
    def group_counts(response):
        return {group.typology.slug: group.practices.count for group in response.context["groups"]}

    before = group_counts(client.get("/typologies/"))
    brussels = make_region(code="BE10", name="Brussels", typology=None)
    make_practice(slug="in-brussels", territorial_validity="regional", region=brussels)
    response = client.get("/typologies/")
    unknown = response.context["regions_of_unknown_group"]
    assert [(region.code, entry.count) for region, entry in unknown] == [("BE10", 1)]
    assert group_counts(response) == before
    for group in response.context["groups"]:
        assert "BE10" not in [region.code for region, _ in group.regions]
    assert "Regions of unknown group" in response.content.decode()


def test_the_countries_table_counts_what_its_links_show_and_sorts(sample_practices, client):
    make_practice(slug="draft", is_published=False, country="MT")
    rows = client.get("/countries/").context["rows"]
    published = Practice.objects.published()
    assert {row.code for row in rows} == set(published.values_list("country", flat=True))
    assert [row.name for row in rows] == sorted(row.name for row in rows)
    assert "MT" not in [row.code for row in rows]  # a draft makes no country appear
    for row in rows:
        assert row.practices.count == result_count(client, row.practices.query)
    by_count = client.get("/countries/?sort=-count").context["rows"]
    assert [row.practices.count for row in by_count] == sorted(
        (row.practices.count for row in rows), reverse=True
    )


def test_a_country_page_lists_exactly_its_published_practices(sample_practices, client):
    make_practice(slug="draft", is_published=False, country="DK")
    response = client.get("/countries/dk/")
    assert response.status_code == 200
    summary = response.context["summary"]
    danish = set(Practice.objects.published().filter(country="DK").values_list("slug", flat=True))
    assert {practice.slug for practice in summary["practices"]} == danish
    assert summary["count"] == result_count(client, summary["query"]) == len(danish)
    for _, entries in summary["by_theme"]:
        for entry in entries:
            assert entry.count == result_count(client, entry.query)
    assert "No factsheet has been written for Denmark yet." in response.content.decode()
    assert client.get("/countries/DK/")["Location"] == "/countries/dk/"
    assert client.get("/countries/mt/").status_code == 404  # only a draft
    assert client.get("/countries/zz/").status_code == 404


def test_a_country_page_shows_its_factsheet_and_a_factsheet_alone_makes_a_page(
    sample_practices, client
):
    from factsheets.models import CountryFactsheet, Source

    denmark = CountryFactsheet.objects.create(
        country="DK", policy_level="national", objectives="Clusters for each strength.",
        instruments="mixed", budget_low=50_000_000, budget_high=100_000_000, budget_year=2021,
    )  # fmt: skip
    Source.objects.create(
        factsheet=denmark,
        title="A report",
        url="https://example.eu/r",
        year=2021,
        supports_level=True,
    )
    CountryFactsheet.objects.create(country="ES", policy_level="regional")
    content = client.get("/countries/dk/").content.decode()
    for text in [
        "National",
        "Clusters for each strength.",
        "Financial and technical assistance",
        "EUR 50–100 million a year (2021)",
        '<a href="https://example.eu/r" rel="external noopener">A report</a> (2021; supports: '
        "level of the policy)",
        "Facts as of 2021",  # the level, from the one source supporting it
        "No source listed",  # the objectives, which no source supports
    ]:
        assert text in content
    assert "No factsheet has been written" not in content

    spain = client.get("/countries/es/")
    assert spain.status_code == 200 and spain.context["summary"] is None
    assert "No practice of Spain is published yet." in spain.content.decode()
    rows = {row.code: row for row in client.get("/countries/").context["rows"]}
    assert rows["ES"].practices.count == 0 == result_count(client, rows["ES"].practices.query)
    table = client.get("/countries/").content.decode()
    assert table.count(">Yes</td>") == 2  # Denmark's and Spain's factsheets


def test_a_factsheet_drawn_from_stip_compass_credits_it(sample_practices, factsheets, client):
    from factsheets.models import CountryFactsheet, Source

    credit = "Facts from EC-OECD (2021), STIP Compass"
    assert credit in client.get("/countries/dk/").content.decode()
    own = CountryFactsheet.objects.create(country="MD", policy_level="none")
    Source.objects.create(
        factsheet=own, title="A ministry's report", year=2024, supports_level=True
    )
    assert credit not in client.get("/countries/md/").content.decode()


def test_the_themes_page_says_how_many_practices_were_reviewed_and_what_a_gap_means(
    sample_practices, client
):
    from practices.models import Practice

    published = Practice.objects.published().count()
    reviewed = Practice.objects.get(slug="newco-helsinki")
    reviewed.mark_reviewed(by="A curator")
    reviewed.save()
    page = " ".join(client.get("/themes/").content.decode().split())
    assert (
        f"1 of {published} published practices has had every taxonomy reviewed by a person" in page
    )
    assert f"The other {published - 1} are not yet reviewed" in page
    assert "over the practices of one region (a national practice has none)" in page


def test_a_country_whose_practices_are_all_reviewed_says_a_missing_tag_does_not_apply(
    sample_practices, client
):
    from practices.models import Practice

    for practice in Practice.objects.filter(country="FI"):
        practice.mark_reviewed(by="A curator")
        practice.save()
    finland = " ".join(client.get("/countries/fi/").content.decode().split())
    assert "Every published practice here has had every taxonomy reviewed" in finland
    denmark = " ".join(client.get("/countries/dk/").content.decode().split())
    assert "not yet decided" in denmark
