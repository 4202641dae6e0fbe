"""A curator reviews drafts in the workspace with the keyboard only, in Chromium."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import override_settings

from tests.browser.test_browser import (  # noqa: F401 (fixtures)
    STAFF_PASSWORD,
    axe_violations,
    browser,
    page,
    screenshot,
    sign_in,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DRAFTS = 5


@pytest.fixture
def five_stip_drafts(taxonomies):
    from curation.tagging import service
    from practices.models import Practice

    with override_settings(SIMPLE_HISTORY_ENABLED=False):
        call_command("loaddata", "frozen_samples", "stip_practices", verbosity=0)
    slugs = list(
        Practice.objects.filter(origin="stip").order_by("slug").values_list("slug", flat=True)
    )[:DRAFTS]
    Practice.objects.filter(slug__in=slugs).update(is_published=False, tags_proposed=True)
    service.train()
    return slugs


def tab_to(tab, element_id, limit=300):
    """Press Tab until the element with ``element_id`` has the focus."""
    for _ in range(limit):
        if tab.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
        tab.keyboard.press("Tab")
    pytest.fail(f"Tab never reached #{element_id}")


def test_a_curator_reviews_five_stip_drafts_with_the_keyboard_only(
    five_stip_drafts,
    live_server,
    page,  # noqa: F811 (the fixture imported above)
    django_user_model,
):
    from curation.models import TagDecision
    from practices.models import Practice

    curator = django_user_model.objects.create_user(
        "reviewer", "r@example.eu", STAFF_PASSWORD, is_staff=True
    )
    curator.groups.add(Group.objects.get(name="Curators"))
    versions_before = {
        slug: Practice.history.filter(slug=slug).count() for slug in five_stip_drafts
    }
    sign_in(page, live_server, "reviewer")
    page.goto(f"{live_server.url}/admin/review/")
    # the first draft, reached from the queue with the keyboard
    first = Practice.objects.filter(is_published=False).order_by("created_at", "pk").first()
    link_id = page.get_by_role("link", name=first.title, exact=True).get_attribute("id")
    tab_to(page, link_id)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()
    changed = None
    for number in range(DRAFTS):
        heading = page.locator("h1").inner_text()
        assert heading.startswith("Review: "), heading
        with page.expect_navigation():
            page.keyboard.press("a")  # tick every suggestion above 70 %
        page.wait_for_load_state()
        if number == 0:
            changed = heading.removeprefix("Review: ")
            box = page.locator("#id_priority_0")  # Resilience: a value the curator adds
            was_ticked = box.is_checked()
            suggested = box.evaluate("b => b.closest('li').classList.contains('suggested')")
            tab_to(page, "id_priority_0")
            page.keyboard.press("Space")
            assert box.is_checked() != was_ticked
        if number == 1:
            screenshot(page, "review-workspace-1366")
        with page.expect_navigation():
            page.keyboard.press("p")  # publish and go to the next draft
        page.wait_for_load_state()
    assert page.url.endswith("/admin/review/")
    assert page.get_by_text("reviewed and published").is_visible()

    published = Practice.objects.filter(slug__in=five_stip_drafts, is_published=True)
    assert published.count() == DRAFTS
    for slug in five_stip_drafts:
        versions = Practice.history.filter(slug=slug)
        assert versions.count() == versions_before[slug] + 1
        assert versions.first().history_change_reason == "Reviewed in the workspace and published"
        assert versions.first().history_user == curator
    resilience = TagDecision.objects.filter(
        practice__title=changed, taxonomy="priority", value="resilience"
    )
    ticked = not was_ticked
    if suggested:
        assert [r.outcome for r in resilience] == ["accepted" if ticked else "rejected"]
    elif ticked:
        assert [r.outcome for r in resilience] == ["added"]
    else:
        assert not resilience.exists()
    accepted = TagDecision.objects.filter(outcome="accepted").count()
    assert accepted > 0
    assert TagDecision.objects.values("practice").distinct().count() == DRAFTS
    # the acceptance figures on the queue add up to what was recorded
    page.goto(f"{live_server.url}/admin/review/")
    shown = sum(
        int(cell)
        for cell in page.locator(
            "table[aria-labelledby=acceptance] tbody tr td:nth-of-type(2)"
        ).all_inner_texts()
    )
    assert shown == accepted
    count, report = axe_violations(page)
    assert count == 0, report
    screenshot(page, "review-queue-1366")


def test_the_review_screen_on_a_phone_has_no_accessibility_violations(
    five_stip_drafts,
    live_server,
    browser,  # noqa: F811 (the fixture imported above)
    django_user_model,
):
    from practices.models import Practice

    django_user_model.objects.create_superuser("admin", "a@example.eu", STAFF_PASSWORD)
    context = browser.new_context(viewport={"width": 390, "height": 844})
    phone = context.new_page()
    sign_in(phone, live_server, "admin")
    phone.goto(f"{live_server.url}/admin/review/")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the queue is {width} px wide on a 390 px phone"
    screenshot(phone, "review-queue-390")
    draft = Practice.objects.get(slug=five_stip_drafts[0])
    phone.goto(f"{live_server.url}/admin/review/{draft.pk}/")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width} px wide on a 390 px phone"
    count, report = axe_violations(phone)
    screenshot(phone, "review-workspace-390")
    context.close()
    assert count == 0, report
