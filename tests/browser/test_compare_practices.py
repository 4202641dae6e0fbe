"""A policymaker picks three practices from the search results and compares them, on a desktop
and on a phone, with and without JavaScript."""

import re

import pytest

from tests.browser.test_browser import (  # noqa: F401 (fixtures)
    axe_violations,
    browser,
    screenshot,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHOSEN = ["Circular Flanders", "Innovation Networks Denmark", "Norwegian Arena programme"]


def overflow(tab):
    return tab.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_three_practices_chosen_from_the_results_are_compared_side_by_side(
    sample_practices,
    live_server,
    browser,  # noqa: F811 (the fixture imported above)
    javascript,
):
    context = browser.new_context(
        viewport={"width": 1366, "height": 900}, java_script_enabled=javascript
    )
    tab = context.new_page()
    tab.goto(f"{live_server.url}/practices/?challenge=innovation")
    for title in CHOSEN:
        card = tab.locator("li", has=tab.get_by_role("link", name=title, exact=True))
        card.get_by_role("link", name="Add to comparison").click()
        tab.wait_for_load_state()
        assert "challenge=innovation" in tab.url  # the search stays as it was
    tray = tab.locator(".compare-tray")
    assert "(3 of 4)" in tray.inner_text()
    if javascript:
        count, report = axe_violations(tab)  # the tray and the cards' links
        assert count == 0, report
    # filtering keeps the choice: the form carries it
    tab.locator("#support-networking").check()
    if not javascript:
        tab.get_by_role("button", name="Apply filters").click()
    tab.wait_for_url(re.compile(r"support=networking"))
    assert tab.locator(".compare-tray li").count() == 3
    tab.get_by_role("link", name="Compare (3)").click()
    tab.wait_for_load_state()
    assert "/compare/practices/?p=" in tab.url
    headers = tab.locator(".compare thead th .compare-title").all_inner_texts()
    assert sorted(headers) == sorted(CHOSEN)
    if javascript:
        screenshot(tab, "compare-practices-1366")
        count, report = axe_violations(tab)
        assert count == 0, report
    tab.get_by_role("link", name=f"Remove {headers[0]} from the comparison").click()
    tab.wait_for_load_state()
    assert tab.locator(".compare thead th .compare-title").all_inner_texts() == headers[1:]
    context.close()


def test_the_comparison_reads_on_a_phone_scrolling_inside_its_own_region(
    sample_practices,
    live_server,
    browser,  # noqa: F811 (the fixture imported above)
):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    tab = context.new_page()
    tab.goto(
        f"{live_server.url}/compare/practices/?p=circular-flanders"
        "&p=innovation-networks-denmark&p=norwegian-arena-programme"
    )
    screenshot(tab, "compare-practices-390")
    assert overflow(tab) == 0  # the page itself does not scroll sideways
    region = tab.get_by_role("region", name="3 practices, field by field")
    assert region.evaluate("element => element.scrollWidth > element.clientWidth")
    region.focus()
    tab.keyboard.press("ArrowRight")  # a keyboard scrolls it (smoothly: waited for)
    for _ in range(50):
        if region.evaluate("element => element.scrollLeft") > 0:
            break
        tab.wait_for_timeout(100)
    assert region.evaluate("element => element.scrollLeft") > 0
    count, report = axe_violations(tab)
    assert count == 0, report
    context.close()
