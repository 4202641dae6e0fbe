import pytest
from django.urls import reverse

from practices.models import Practice
from tests.factories import make_practice

pytestmark = pytest.mark.django_db


def listed_slugs(response):
    return {practice.slug for practice in response.context["page"].object_list}


def test_home_leads_to_the_practice_list(taxonomies, client):
    response = client.get("/")
    assert response.status_code == 200
    assert f'href="{reverse("practices:list")}"' in response.content.decode()


def test_list_shows_exactly_the_published_practices_never_a_draft(taxonomies, client):
    make_practice(slug="published-one", title="Published one")
    make_practice(slug="draft-one", title="Draft one", is_published=False)
    response = client.get("/practices/")
    assert response.status_code == 200
    assert listed_slugs(response) == {"published-one"}
    assert b"Draft one" not in response.content
    assert b'href="/practices/published-one/"' in response.content


def result_cards(content):
    """The HTML of each result card, without the filters (which name countries and
    priorities too)."""
    results = content.split('<ol class="result-list"', 1)[1].split("</ol>", 1)[0]
    return results.split('<article class="card">')[1:]


def test_list_shows_title_country_and_thematic_priorities(taxonomies, client):
    make_practice(
        title="Innovation Networks Denmark",
        country="DK",
        territorial_validity="regional",
        priorities=["resilience"],
    )
    make_practice(title="Cluster Programme Latvia", country="LV", priorities=[])
    cards = result_cards(client.get("/practices/").content.decode())
    assert len(cards) == 2
    latvia, denmark = cards  # in title order
    assert "Innovation Networks Denmark" in denmark
    assert "Denmark · Regional" in denmark
    assert "Resilience" in denmark
    assert "Latvia · National" in latvia and "Resilience" not in latvia


def test_detail_page_shows_every_field(sample_practices, client):
    response = client.get("/practices/newco-helsinki/")
    content = response.content.decode()
    assert response.status_code == 200
    for expected in [
        "Business incubation and entrepreneurial support for recovering from COVID-19 epidemic",
        "Yritysten ja yrittäjyyden vauhdittamiseen",
        "The City of Helsinki invests EUR 9.7 million",
        "Finland",
        "Regional",
        "Resilience",
        "Digital transition",
        "ACCELERATE DIGITAL TRANSITION: Use clusters to initiate new and to reinforce existing",
        "BUILD RESILIENCE: Develop an active role of clusters in local labour markets",
        "Value chains",
        "Business services",
        "Helsinki-Uusimaa (FI1B)",
        "Creative digital / Capitals",
        "12 November 2021",
    ]:
        assert expected in content, expected


def test_detail_page_keeps_paragraphs_and_marks_the_external_link(sample_practices, client):
    content = client.get("/practices/innovation-networks-denmark/").content.decode()
    assert content.count("<p>A programme of the Danish Ministry") == 1
    assert "<p>The programme grants about EUR 10 million" in content
    content = client.get("/practices/circular-economy-project-management-system/").content.decode()
    assert (
        'href="https://www.afnor.org/en/news/practical-guide-circular-economy/" target="_blank" rel="noopener noreferrer"'
        in content
    )
    assert "external site, opens in a new tab" in content


def test_every_tag_on_a_detail_page_links_to_the_filtered_list(sample_practices, client):
    content = client.get("/practices/newco-helsinki/").content.decode()
    for query in [
        "country=FI",
        "territorial_validity=regional",
        "priority=resilience",
        "priority=digital-transition",
        "challenge=value-chains",
        "support=business-services",
        "recommendation=r9",
        "recommendation=r12",
        "typology=creative-digital-capitals",
    ]:
        assert f'href="/practices/?{query}"' in content, query


def test_a_draft_has_no_public_detail_page(taxonomies, client):
    make_practice(slug="work-in-progress", is_published=False)
    assert client.get("/practices/work-in-progress/").status_code == 404


def test_an_unknown_practice_answers_a_friendly_404(client):
    response = client.get("/practices/no-such-practice/")
    assert response.status_code == 404
    assert b"Page not found" in response.content


def test_a_practice_opened_from_a_search_links_back_to_it(sample_practices, client):
    search = "http://testserver/practices/?challenge=skills&page=2"
    content = client.get("/practices/newco-helsinki/", HTTP_REFERER=search).content.decode()
    assert (
        '<a class="back-link" href="/practices/?challenge=skills&amp;page=2">Back to your search</a>'
        in content
    )
    for elsewhere in [
        "http://evil.example/practices/?q=x",
        "http://testserver/practices/suggest/",
        "",
    ]:
        content = client.get("/practices/newco-helsinki/", HTTP_REFERER=elsewhere).content.decode()
        assert "Back to your search" not in content


def test_a_practice_page_is_kept_until_the_data_changes(
    sample_practices, client, django_assert_max_num_queries
):
    from django.core.cache import cache

    cache.clear()
    first = client.get("/practices/newco-helsinki/")
    assert first.status_code == 200
    with django_assert_max_num_queries(1):  # the data version only
        again = client.get("/practices/newco-helsinki/")
    assert again.content == first.content
    practice = Practice.objects.get(slug="newco-helsinki")
    practice.title = "NewCo Helsinki, renamed"
    practice.save()
    assert "NewCo Helsinki, renamed" in client.get("/practices/newco-helsinki/").content.decode()
    # from a search: its own page, with the way back
    back = client.get(
        "/practices/newco-helsinki/",
        HTTP_REFERER="http://testserver/practices/?challenge=skills",
    )
    assert 'href="/practices/?challenge=skills"' in back.content.decode()
    assert client.get("/practices/no-such-practice/").status_code == 404
    assert client.get("/practices/no-such-practice/").status_code == 404  # not kept as a page


def test_a_facet_the_page_does_not_lay_out_is_listed_with_links_that_find_the_practice(
    taxonomies, client, monkeypatch
):
    from practices import views
    from practices.search.facets.registry import FACETS
    from tests.factories import make_region

    practice = make_practice(
        priorities=("green-transition",),
        recommendations=("r1",),
        region=make_region(),
        instruments=("policy-intelligence",),
        budget="1m-5m",
        evaluated=True,
        years=(2015, 2020),
        target_groups=("higher-education-institutes",),
    )
    # as if the page laid out none of them: each would be listed by the registry alone
    monkeypatch.setattr(views, "LAID_OUT_ON_THE_PAGE", frozenset())
    page = client.get(practice.get_absolute_url()).content.decode()
    listed = views.more_facts(Practice.objects.with_tags().get(pk=practice.pk))
    spans = {spec.label for spec in FACETS if spec.end_path}
    assert [label for label, _ in listed] == [s.label for s in FACETS if s.label not in spans]
    for label, links in listed:
        assert f"<dt>{label}</dt>" in page
        for _, query in links:
            found = client.get(f"/practices/?{query}").context["page"].object_list
            assert practice in list(found), (label, query)


def test_a_stip_practice_says_no_end_year_was_reported_and_credits_its_survey(taxonomies, client):
    make_practice(
        slug="stip-programme",
        origin="stip",
        source_id="http://stip.oecd.org/2021/data/policyInitiatives/1",
        survey_year=2021,
        years=(2008, None),
        organisation="Enterprise Ireland (EI)\nIDA Ireland",
    )
    page = client.get("/practices/stip-programme/").content.decode()
    assert "<dd>2008 – no end year reported in the 2021 survey</dd>" in page
    assert "ongoing" not in page
    assert "<dt>Responsible organisations</dt>" in page
    assert (
        '<ul class="organisations"><li>Enterprise Ireland (EI)</li><li>IDA Ireland</li></ul>'
        in (page)
    )
    assert ", 2021 survey. Facts from EC-OECD (2021), STIP Compass: International Database" in page
    assert 'href="https://creativecommons.org/licenses/by/4.0/" rel="license">' in page


def test_a_curators_practice_without_an_end_year_says_none_was_given(taxonomies, client):
    make_practice(slug="curated", years=(2019, None), organisation="City of Helsinki")
    page = client.get("/practices/curated/").content.decode()
    assert "<dd>2019 – no end year given</dd>" in page
    assert "<dt>Responsible organisation</dt>\n        <dd>City of Helsinki</dd>" in page
    assert "STIP Compass" not in page and "ongoing" not in page
    listing = client.get("/practices/").content.decode()
    assert "2019 – no end year given" in listing


def test_an_empty_taxonomy_reads_not_yet_decided_until_the_practice_is_reviewed(taxonomies, client):
    practice = make_practice(slug="no-priorities", priorities=(), recommendations=())
    page = client.get(practice.get_absolute_url()).content.decode()
    assert page.count("Not yet decided") == 2  # priorities and recommendations
    assert "Does not apply" not in page
    assert "Not yet reviewed: an empty one is not yet decided" in page
    practice.mark_reviewed(by="A curator")
    practice.save()
    page = client.get(practice.get_absolute_url()).content.decode()
    assert page.count("Does not apply") == 2
    assert "Not yet decided" not in page
    assert "Reviewed on" in page


def test_a_region_of_unknown_typology_shows_its_name_and_says_its_group_is_not_known(
    taxonomies, client
):
    from tests.factories import make_region

    brussels = make_region(code="BE10", name="Brussels", typology=None)
    practice = make_practice(title="In Brussels", territorial_validity="regional", region=brussels)
    detail = client.get(practice.get_absolute_url())
    assert detail.status_code == 200
    page = detail.content.decode()
    assert "Brussels (BE10)" in page
    assert "Typology: not known" in page
    assert "?typology=" not in page.split("Brussels (BE10)")[1].split("</dd>")[0]
    listing = client.get("/practices/?q=brussels")
    assert listing.status_code == 200
    assert practice in list(listing.context["page"].object_list)
