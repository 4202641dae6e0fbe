"""A policymaker compares Denmark, Finland and Norway in Chromium: from the countries table
without JavaScript, then on a desktop and a phone, with axe finding nothing."""

import pytest
from django.core.management import call_command
from django.test import override_settings

from practices.search.facet_index.warmup import warm
from tests.browser.test_browser import (  # noqa: F401 (fixtures)
    axe_violations,
    browser,
    no_js_page,
    screenshot,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
COMPARE = "/compare/?country=DK&country=FI&country=NO"


@pytest.fixture
def all_samples(taxonomies):
    """The sample practices and the STIP Compass ones (with years, instruments, budgets), and
    the factsheets, as the development server has them."""
    with override_settings(SIMPLE_HISTORY_ENABLED=False):
        call_command(
            "loaddata", "sample_practices", "stip_practices", "stip_practices_batch2",
            "factsheets", verbosity=0,
        )  # fmt: skip
    warm()  # the index the pages count on, built before the first page waits for it


def test_without_javascript_ticking_three_countries_opens_their_comparison(
    all_samples,
    live_server,
    no_js_page,  # noqa: F811 (the fixture imported above)
):
    page = no_js_page
    page.goto(f"{live_server.url}/countries/")
    for name in ("Denmark", "Finland", "Norway"):
        page.get_by_label(f"Compare {name}").check()
    page.get_by_role("button", name="Compare the ticked countries").click()
    page.wait_for_load_state()
    assert page.url.endswith(COMPARE)
    heading = page.get_by_role("heading", level=1).inner_text()
    assert heading == "Denmark, Finland and Norway compared"

    page.goto(f"{live_server.url}/countries/dk/")
    page.get_by_label("Compare Denmark with").select_option(label="Sweden")
    page.get_by_role("button", name="Compare", exact=True).click()
    page.wait_for_load_state()
    assert page.url.endswith("/compare/?country=DK&country=SE")
    assert page.get_by_role("heading", level=1).inner_text() == "Denmark and Sweden compared"


@pytest.mark.parametrize("width, height", [(1366, 900), (390, 844)])
def test_a_comparison_and_a_dashboard_read_well_on_a_desktop_and_a_phone(
    all_samples,
    live_server,
    browser,  # noqa: F811 (the fixture imported above)
    width,
    height,
):
    context = browser.new_context(viewport={"width": width, "height": height})
    tab = context.new_page()
    for name, path in [
        ("compare-dk-fi-no", COMPARE),
        ("dashboard-dk", "/countries/dk/"),
        ("dashboard-fr", "/countries/fr/"),
        ("compare-too-few", "/compare/?country=DK"),
    ]:
        tab.goto(f"{live_server.url}{path}")
        screenshot(tab, f"{name}-{width}")
        overflow = tab.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, (name, overflow)
        count, report = axe_violations(tab)
        assert count == 0, (name, report)

    tab.goto(f"{live_server.url}{COMPARE}")
    facts = tab.get_by_role(
        "region", name="Factsheets of Denmark, Finland and Norway, field by field"
    )
    scrolls = facts.evaluate("region => region.scrollWidth > region.clientWidth")
    assert scrolls == (width < 800)  # on a phone the countries scroll within their region
    facts.focus()  # the keyboard can reach it to scroll it
    assert tab.evaluate("document.activeElement.getAttribute('role')") == "region"
    tab.get_by_text("Show as table: Strategic challenges").first.click()
    table = tab.locator("#compare-challenge-heading + .help ~ details table")
    assert table.get_by_role("row").count() == 1 + 4  # the head and a row per challenge

    tab.emulate_media(media="print")
    tab.set_viewport_size({"width": 680, "height": 960})  # A4 within its margins
    assert not tab.locator(".compare-change").is_visible()
    assert facts.evaluate("region => region.scrollWidth <= region.clientWidth + 1")
    screenshot(tab, f"compare-print-{width}")
    context.close()
