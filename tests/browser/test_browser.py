"""A policymaker's path through the search, in Debian's Chromium driven by Playwright.

Screenshots land in test-artifacts/ for a person to look at.
"""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.shared_data import STIP_FILE, needs_stip_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (.ci/run does)")
    # Playwright's sync API runs an event loop in this thread; the fixtures' database calls
    # are still plain synchronous code, so Django's guard against async misuse does not apply.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def no_js_page(browser):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, java_script_enabled=False
    )
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    yield tab
    context.close()


def screenshot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)


def result_count(page):
    return " ".join(page.locator("#result-count").inner_text().split())


def apply_filters(page):
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_load_state()


def axe_violations(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return results.violations_count, results.generate_report()


def test_without_javascript_a_policymaker_narrows_the_search_and_follows_a_tag(
    sample_practices, live_server, no_js_page
):
    page = no_js_page
    page.goto(f"{live_server.url}/practices/")
    assert result_count(page) == "15 practices, 1–10 shown"

    page.get_by_label(re.compile(r"^Skills")).check()
    apply_filters(page)
    assert result_count(page) == "9 practices"

    page.get_by_label(re.compile(r"^Green transition")).check()
    apply_filters(page)
    assert result_count(page) == "5 practices"

    page.get_by_label(re.compile(r"^Intelligence")).check()
    apply_filters(page)
    assert result_count(page) == "4 practices"
    assert "challenge=skills" in page.url and "priority=green-transition" in page.url
    assert "support=intelligence" in page.url
    screenshot(page, "search-skills-green-intelligence")

    page.get_by_role("link", name="Innovation Networks Denmark").click()
    page.wait_for_load_state()
    assert page.url.endswith("/practices/innovation-networks-denmark/")
    assert page.get_by_role("heading", level=1).inner_text() == "Innovation Networks Denmark"
    back = page.get_by_role("link", name="Back to your search")
    assert back.get_attribute("href") == (
        "/practices/?challenge=skills&priority=green-transition&support=intelligence"
    )

    page.get_by_role("link", name="Internationalisation").click()
    page.wait_for_load_state()
    assert page.url.endswith("/practices/?challenge=internationalisation")
    assert result_count(page) == "7 practices"
    assert page.get_by_label(re.compile(r"^Internationalisation")).is_checked()

    page.go_back()
    assert page.url.endswith("/practices/innovation-networks-denmark/")
    page.go_back()
    assert result_count(page) == "4 practices"


def test_with_javascript_a_ticked_filter_applies_itself_and_back_restores_the_search(
    sample_practices, live_server, page
):
    page.goto(f"{live_server.url}/practices/")
    assert not page.get_by_role("button", name="Apply filters").is_visible()
    page.get_by_label(re.compile(r"^Skills")).check()
    page.wait_for_url("**/practices/?challenge=skills")
    expect(page.locator("#result-count")).to_have_text(re.compile(r"^\s*9 practices\s*$"))
    expect(page.locator("#live-status")).to_have_text("9 practices")
    assert page.get_by_label(re.compile(r"^Skills")).is_checked()
    assert page.evaluate("document.activeElement.id") == "challenge-skills"  # focus kept
    feed = page.locator('head link[rel="alternate"][type="application/atom+xml"]')
    assert feed.get_attribute("href") == "/practices/feed/?challenge=skills"  # the search shown

    page.get_by_label(re.compile(r"^Green transition")).check()
    page.wait_for_url("**/practices/?challenge=skills&priority=green-transition")
    expect(page.locator("#result-count")).to_have_text(re.compile(r"5 practices"))
    page.get_by_label("Sort").select_option("-updated")
    page.wait_for_url("**/practices/?sort=-updated&challenge=skills&priority=green-transition")
    screenshot(page, "search-applied-by-script")

    page.go_back()
    page.wait_for_url("**/practices/?challenge=skills&priority=green-transition")
    expect(page.locator("#result-count")).to_have_text(re.compile(r"5 practices"))
    page.go_back()
    page.wait_for_url("**/practices/?challenge=skills")
    expect(page.locator("#result-count")).to_have_text(re.compile(r"9 practices"))
    assert not page.get_by_label(re.compile(r"^Green transition")).is_checked()


def test_any_of_the_chosen_priorities_gives_their_union(sample_practices, live_server, page):
    page.goto(f"{live_server.url}/practices/?priority=resilience&priority=green-transition")
    expect(page.locator("#result-count")).to_have_text(re.compile(r"6 practices"))  # both
    page.locator("#facet-priority").get_by_label("any").check()
    page.wait_for_url("**priority_match=any")
    expect(page.locator("#result-count")).to_have_text(re.compile(r"11 practices"))


def test_a_stale_value_keeps_the_rest_of_the_search(sample_practices, live_server, page):
    page.goto(f"{live_server.url}/practices/?challenge=garbage&priority=green-transition")
    assert page.get_by_role("status").first.inner_text().startswith("“garbage” is not a value")
    assert result_count(page) == "8 practices"
    assert page.get_by_label(re.compile(r"^Green transition")).is_checked()


def test_a_chip_removes_its_filter(sample_practices, live_server, page):
    page.goto(f"{live_server.url}/practices/?challenge=skills&priority=green-transition")
    assert result_count(page) == "5 practices"
    page.get_by_role("link", name=re.compile(r"^Thematic priority: Green transition")).click()
    page.wait_for_url("**/practices/?challenge=skills")
    expect(page.locator("#result-count")).to_have_text(re.compile(r"9 practices"))
    page.get_by_role("link", name="Clear all").first.click()
    page.wait_for_url("**/practices/")
    expect(page.locator("#result-count")).to_have_text(re.compile(r"15 practices"))


def test_the_skip_link_comes_first_and_goes_to_the_results(sample_practices, live_server, page):
    page.goto(f"{live_server.url}/practices/?challenge=skills")
    page.wait_for_function("document.documentElement.classList.contains('js')")  # enhanced
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to the results"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "results"
    for _ in range(4):  # the sort, the chips (one and "Clear all"), then the first result
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()").startswith(
        "Business incubation and entrepreneurial support"
    )


COVERED = """() => {
    const element = document.activeElement;
    const box = element.getBoundingClientRect();
    if (element === document.body || box.width === 0 || box.height === 0) return null;
    const x = box.left + box.width / 2, y = box.top + box.height / 2;
    const hit = document.elementFromPoint(x, y);
    const seen = hit && (hit === element || element.contains(hit) || hit.contains(element)
        || (element.labels && [...element.labels].some(label => label.contains(hit))));
    return seen ? null : (element.id || element.outerHTML.slice(0, 80));
}"""


def walk_with_tab(tab):
    """Tab through the page to its end; the focused elements found covered, and how many
    elements took focus."""
    covered, seen = [], set()
    for _ in range(400):
        tab.keyboard.press("Tab")
        if tab.evaluate("document.activeElement === document.body"):
            break
        key = tab.evaluate("document.activeElement.id || document.activeElement.outerHTML")
        if key in seen:
            break
        seen.add(key)
        if (hidden := tab.evaluate(COVERED)) is not None:
            covered.append(hidden)
    return covered, len(seen)


def test_tabbing_through_the_page_never_hides_the_focused_element(
    sample_practices, live_server, browser
):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    tab = context.new_page()
    tab.goto(f"{live_server.url}/practices/?challenge=skills&country=FI&country=DK")
    covered, focused = walk_with_tab(tab)
    context.close()
    assert focused > 60  # the whole page: results, every filter, the footer
    assert covered == []


def test_on_a_phone_tabbing_never_hides_the_focused_element_panel_closed_or_open(
    sample_practices, live_server, browser
):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    tab = context.new_page()
    tab.goto(f"{live_server.url}/practices/?challenge=skills&country=FI&country=DK")
    covered, focused = walk_with_tab(tab)
    assert focused > 10 and covered == []
    tab.get_by_role("button", name=re.compile(r"^Filters")).click()
    covered, focused = walk_with_tab(tab)
    context.close()
    assert focused > 50  # every filter, and nothing the panel covers
    assert covered == []


def test_on_a_phone_results_come_first_and_the_filters_open_over_them(
    sample_practices, live_server, browser
):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    phone = context.new_page()
    phone.goto(f"{live_server.url}/practices/?challenge=skills&priority=green-transition")
    first = phone.locator(".result-list h3 a").first.bounding_box()
    assert first["y"] + first["height"] <= 844, first  # visible without scrolling
    screenshot(phone, "phone-results-first")
    phone.get_by_role("button", name=re.compile(r"^Filters \(2 selected\)")).click()
    assert phone.locator("#filters").is_visible()
    phone.get_by_label(re.compile(r"^Intelligence")).check()
    phone.wait_for_url("**support=intelligence")
    expect(phone.get_by_role("link", name="Show 4 results")).to_be_visible()
    screenshot(phone, "phone-filters-open")
    phone.get_by_role("link", name="Show 4 results").click()
    assert not phone.locator("#filters").is_visible()
    assert phone.evaluate("document.activeElement.id") == "results"
    context.close()


NORDIC_GREEN_SKILLS = [
    "Cluster Excellence Denmark (CED)",
    "Innovation Networks Denmark",
    "NCE - Norwegian Centres of Expertise",
]


@pytest.mark.parametrize("javascript", [True, False])
def test_on_a_phone_nordic_green_transition_and_skills_take_four_taps_from_the_home_page(
    sample_practices, live_server, browser, javascript
):
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        java_script_enabled=javascript,
    )
    phone = context.new_page()
    phone.goto(f"{live_server.url}/")
    taps = []

    def tap(locator, step):
        locator.tap()
        taps.append(step)

    # 1: a place on the home page opens the search with its filters in sight
    tap(phone.get_by_role("link", name="Nordic countries"), "Nordic countries")
    phone.wait_for_url("**country_group=nordic#filters")
    assert phone.locator("#filters").is_visible()
    expect(phone.locator("#country_group-nordic")).to_be_checked()
    # 2, 3: the themes, each box a tap (with a script the results follow at once)
    tap(phone.locator("#facet-priority").get_by_text("Green transition"), "Green transition")
    if javascript:
        phone.wait_for_url("**priority=green-transition*")
    tap(phone.locator("#facet-challenge").get_by_text("Skills"), "Skills")
    if javascript:
        phone.wait_for_url("**challenge=skills*")
        expect(phone.get_by_role("link", name="Show 3 results")).to_be_visible()
        screenshot(phone, "phone-nordic-green-skills-filters")
        # 4: back to the results, which the panel covered
        tap(phone.get_by_role("link", name="Show 3 results"), "Show 3 results")
        assert not phone.locator("#filters").is_visible()
    else:
        # 4: without a script the form is sent, and the page comes back with its results
        tap(phone.get_by_role("button", name="Apply filters"), "Apply filters")
        phone.wait_for_url("**challenge=skills*")
    assert len(taps) <= 4, taps
    assert result_count(phone).startswith("3 practices")
    titles = phone.locator(".result-list h3 a")
    assert titles.all_inner_texts() == NORDIC_GREEN_SKILLS
    first = titles.first.bounding_box()
    assert first["y"] >= 0 and first["y"] + first["height"] <= 844, first  # in sight
    query = phone.url.split("?", 1)[1].split("#")[0]
    assert sorted(query.split("&")) == [
        "challenge=skills", "country_group=nordic", "priority=green-transition",
    ]  # fmt: skip
    screenshot(phone, f"phone-nordic-green-skills-{'js' if javascript else 'no-js'}")
    context.close()


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("list", "/practices/"),
        ("list-filtered", "/practices/?challenge=skills&country=FI&country=DK&q=innovation"),
        ("list-problem", "/practices/?priority=unknown"),
        ("detail", "/practices/newco-helsinki/"),
        ("not-found", "/practices/no-such-practice/"),
        ("suggest", "/practices/suggest/"),
        ("home", "/"),
        ("themes", "/themes/"),
        ("typologies", "/typologies/"),
        ("countries", "/countries/"),
        ("country", "/countries/dk/"),
        ("country-without-factsheet", "/countries/md/"),
        ("data", "/data/"),
        ("api-docs", "/api/docs/"),
    ],
)
def test_axe_finds_no_accessibility_violations(
    sample_practices, factsheets, live_server, page, name, path
):
    page.goto(f"{live_server.url}{path}")
    screenshot(page, f"page-{name}")
    count, report = axe_violations(page)
    assert count == 0, report


def test_the_list_reads_well_on_a_phone(sample_practices, live_server, browser):
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    phone = context.new_page()
    phone.goto(f"{live_server.url}/practices/?challenge=skills")
    screenshot(phone, "phone-list")
    overflow = phone.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    context.close()
    assert overflow <= 0


def test_a_suggestion_made_in_the_browser_waits_in_the_review_queue(taxonomies, live_server, page):
    from practices.models import Practice

    page.goto(f"{live_server.url}/practices/")
    page.get_by_role("link", name="Suggest a practice").click()
    page.get_by_label("Title of the practice").fill("Circular textiles cluster")
    page.get_by_label("Country").select_option("EE")
    page.get_by_label("Regional").check()
    page.get_by_label("What the practice does").fill("Too short.")
    page.get_by_label("Your name").fill("Mari Tamm")
    page.get_by_label("Your email address").fill("mari@example.ee")
    page.get_by_role("button", name="Send the suggestion").click()
    assert page.get_by_role("alert").is_visible()  # the description is too short
    screenshot(page, "suggest-problem")
    assert page.get_by_label("Title of the practice").input_value() == "Circular textiles cluster"
    page.get_by_label("What the practice does").fill(
        "A regional programme that funds cluster managers to run joint projects on circular "
        "textiles with small firms and universities, and pays for shared test labs."
    )
    page.get_by_label("Innovation").check()
    page.get_by_label("You may contact me about this suggestion").check()
    page.get_by_role("button", name="Send the suggestion").click()
    assert page.get_by_role("heading", name="Thank you for your suggestion").is_visible()
    screenshot(page, "suggest-thanks")

    practice = Practice.objects.get()
    assert practice.origin == "suggestion" and not practice.is_published
    assert practice.suggestion.email == "mari@example.ee"
    page.goto(f"{live_server.url}/practices/")
    assert result_count(page) == "No practices match this search"


def test_axe_finds_nothing_on_the_suggestion_form_empty_or_sent_back_with_mistakes(
    taxonomies, live_server, page
):
    page.goto(f"{live_server.url}/practices/suggest/")
    count, report = axe_violations(page)
    assert count == 0, report
    page.get_by_label("Title of the practice").fill("Circular textiles cluster")
    page.get_by_label("What the practice does").fill("Too short.")
    page.get_by_label("Your email address").fill("mari@")
    page.get_by_role("button", name="Send the suggestion").click()
    page.wait_for_load_state()
    assert page.get_by_role("alert").is_visible()
    screenshot(page, "suggest-mistakes")
    count, report = axe_violations(page)
    assert count == 0, report
    assert page.get_by_label("Title of the practice").input_value() == "Circular textiles cluster"
    page.get_by_role("link", name=re.compile(r"^What the practice does: ")).click()
    assert page.evaluate("document.activeElement.id") == "id_description"  # ready to correct


def test_a_curator_imports_stip_drafts_reviews_one_and_publishes_it(
    taxonomies, live_server, page, django_user_model, tmp_path
):
    from practices.models import Practice
    from tests.practices.intake.stip.test_importer import official_file

    django_user_model.objects.create_superuser("curator", "c@example.eu", "a-long-password-1")
    stip_file = tmp_path / "stip_official.csv"
    stip_file.write_bytes(official_file())
    sign_in(page, live_server, "curator")
    page.goto(f"{live_server.url}/admin/practices/practice/")
    page.get_by_role("link", name="Import from STIP Compass").click()
    page.get_by_label("STIP Compass file").set_input_files(stip_file)
    page.get_by_role("button", name="Preview the import").click()
    expect(page.locator(".import-counts li").first).to_have_text("4 new")
    screenshot(page, "admin-stip-preview")
    assert not Practice.objects.exists()
    expect(page.get_by_role("button", name="Confirm the import")).to_have_count(2)
    page.get_by_role("button", name="Confirm the import").first.click()
    page.wait_for_url("**/admin/practices/practice/?is_published__exact=0&origin__exact=stip")
    assert page.get_by_text("4 created (drafts)").is_visible()
    screenshot(page, "admin-review-queue")
    assert page.get_by_text("its proposed tags are not confirmed").first.is_visible()

    page.get_by_role("link", name="Cluster programme 1", exact=True).click()
    page.get_by_label("Description").fill(
        "A national programme that funds cluster organisations to build networks of firms and "
        "research centres, with advice on technology, training and joint projects abroad."
    )
    page.get_by_label("Networking", exact=True).check()
    page.get_by_label("Published").check()
    page.get_by_role("button", name="Save", exact=True).first.click()
    page.wait_for_load_state()
    assert page.locator(".errornote").is_visible()  # the proposed tags are not confirmed yet
    screenshot(page, "admin-publish-refused")
    page.get_by_label("Tags proposed, not confirmed").uncheck()
    page.get_by_role("button", name="Save", exact=True).first.click()
    page.wait_for_load_state()
    assert page.get_by_text("was changed successfully").is_visible()
    assert list(Practice.objects.published().values_list("slug", flat=True)) == [
        "cluster-programme-1-stip-1"
    ]
    page.goto(f"{live_server.url}/practices/cluster-programme-1-stip-1/")
    assert page.get_by_role("heading", name="Cluster programme 1").is_visible()
    assert page.get_by_text("EC-OECD (2021), STIP Compass").is_visible()


STAFF_PASSWORD = "a-long-password-1"  # noqa: S105 (test accounts only)


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


def save_practice(page):
    page.get_by_role("button", name="Save", exact=True).first.click()
    page.wait_for_load_state()


def test_the_practice_list_fits_a_1366_px_screen_with_both_sidebars_open(
    sample_practices, live_server, browser, django_user_model
):
    from tests.factories import make_practice

    make_practice(  # a draft with much to say in "still lacks"
        title="A suggested practice whose title goes on about clusters and regions",
        description="Short.",
        challenges=(),
        support=(),
        is_published=False,
        origin="suggestion",
    )
    django_user_model.objects.create_superuser("curator", "c@example.eu", STAFF_PASSWORD)
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    tab = context.new_page()
    sign_in(tab, live_server, "curator")
    tab.goto(f"{live_server.url}/admin/practices/practice/")
    screenshot(tab, "admin-list-1366")
    assert tab.locator("#nav-sidebar").is_visible()
    table = tab.locator("#result_list").bounding_box()
    filters = tab.locator("#changelist-filter").bounding_box()
    scrolls = "(box => box.scrollWidth - box.clientWidth)(document.querySelector('.results'))"
    hidden_by_scrolling = tab.evaluate(scrolls)
    context.close()
    assert table["x"] + table["width"] <= filters["x"] <= 1366  # every column, "updated" too
    assert hidden_by_scrolling <= 0


def test_a_curator_reverts_a_version_and_its_tags_come_back(
    sample_practices, live_server, page, django_user_model
):
    from practices.models import Practice
    from practices.versions import one_version

    django_user_model.objects.create_superuser("curator", "c@example.eu", "a-long-password-1")
    practice = Practice.objects.get(slug="newco-helsinki")
    with one_version(practice, reason="as loaded"):
        practice.save()
    sign_in(page, live_server, "curator")
    page.goto(f"{live_server.url}/admin/practices/practice/{practice.pk}/change/")
    page.get_by_label("Value chains", exact=True).uncheck()
    page.get_by_label("Digital transition", exact=True).uncheck()
    page.get_by_label("Green transition", exact=True).check()
    page.get_by_label("Reason for this change").fill("Retagged after the 2025 review")
    save_practice(page)
    assert set(practice.challenges.values_list("slug", flat=True)) == {"innovation", "skills"}

    page.goto(f"{live_server.url}/admin/practices/practice/{practice.pk}/history/")
    screenshot(page, "admin-history")
    assert page.get_by_role("cell", name="Retagged after the 2025 review").is_visible()
    page.get_by_role("link", name="What changed").first.click()
    assert (
        page.locator("#content-main")
        .get_by_role("rowheader", name="Strategic challenges")
        .is_visible()
    )
    screenshot(page, "admin-compare")
    page.get_by_role("link", name="Open the older version (to restore it)").click()
    assert page.get_by_label("Value chains", exact=True).is_checked()  # the old version's own tags
    assert page.get_by_label("Digital transition", exact=True).is_checked()
    assert not page.get_by_label("Green transition", exact=True).is_checked()
    screenshot(page, "admin-old-version")
    page.get_by_role("button", name="Revert").first.click()
    page.wait_for_load_state()
    assert set(practice.challenges.values_list("slug", flat=True)) == {
        "innovation",
        "skills",
        "value-chains",
    }
    assert set(practice.priorities.values_list("slug", flat=True)) == {
        "resilience",
        "digital-transition",
    }
    latest = practice.history.first()
    assert latest.history_change_reason.startswith("Reverted to the version of")
    assert latest.history_user.username == "curator"


def test_two_curators_edit_the_same_practice_and_the_second_save_is_refused(
    sample_practices, live_server, browser, django_user_model
):
    from practices.models import Practice
    from practices.versions import one_version

    for name in ("anna", "ben"):
        django_user_model.objects.create_superuser(name, f"{name}@example.eu", "a-long-password-1")
    practice = Practice.objects.get(slug="newco-helsinki")
    with one_version(practice, reason="as loaded"):  # as load_samples records it
        practice.save()
    url = f"{live_server.url}/admin/practices/practice/{practice.pk}/change/"
    sessions = []
    for name in ("anna", "ben"):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        tab = context.new_page()
        sign_in(tab, live_server, name)
        tab.goto(url)
        sessions.append((context, tab))
    (anna_context, anna), (ben_context, ben) = sessions

    anna.get_by_label("Title:", exact=True).fill("NewCo Helsinki (Anna)")
    save_practice(anna)
    assert anna.get_by_text("was changed successfully").is_visible()

    ben.get_by_label("Title:", exact=True).fill("NewCo Helsinki (Ben)")
    save_practice(ben)
    notice = ben.locator(".errornote, .errorlist.nonfield").first
    assert notice.is_visible()
    assert "anna saved this practice" in ben.content()
    assert "NewCo Helsinki (Anna)" in ben.content()
    assert "description:" not in ben.content()  # Anna's browser sent CR LF line ends: no change
    screenshot(ben, "admin-concurrent-edit-refused")
    assert (
        ben.get_by_label("Title:", exact=True).input_value() == "NewCo Helsinki (Ben)"
    )  # not lost either
    practice.refresh_from_db()
    assert practice.title == "NewCo Helsinki (Anna)"
    anna_context.close()
    ben_context.close()


@pytest.mark.parametrize(("width", "height"), [(1366, 900), (390, 844)])
def test_pages_at_desktop_and_phone_widths_and_in_print(
    sample_practices, factsheets, live_server, browser, width, height
):
    context = browser.new_context(viewport={"width": width, "height": height})
    tab = context.new_page()
    for name, path in [
        ("list", "/practices/?q=cluster&challenge=skills"),
        ("detail", "/practices/newco-helsinki/"),
        ("home", "/"),
        ("themes", "/themes/"),
        ("typologies", "/typologies/"),
        ("countries", "/countries/?sort=-count"),
        ("country", "/countries/no/"),
        ("country-factsheet-only", "/countries/de/"),
        ("data", "/data/"),
        ("api-docs", "/api/docs/"),
    ]:
        tab.goto(f"{live_server.url}{path}")
        screenshot(tab, f"{name}-{width}")
        overflow = tab.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, (name, overflow)
        count, report = axe_violations(tab)
        assert count == 0, (name, report)
    tab.emulate_media(media="print")
    assert not tab.locator(".site-header nav").is_visible()
    assert tab.get_by_role("heading", level=1).is_visible()
    screenshot(tab, f"detail-print-{width}")
    context.close()


def test_a_long_facet_narrows_as_one_types_and_axe_finds_nothing_on_a_phone(
    sample_practices, live_server, browser
):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    phone = context.new_page()
    phone.goto(f"{live_server.url}/practices/?challenge=skills")
    count, report = axe_violations(phone)
    assert count == 0, report
    phone.get_by_role("button", name=re.compile(r"^Filters")).click()
    phone.locator("#facet-country > summary").click()
    # the countries with results first, the others (no skills practice) behind "show all"
    expect(phone.locator("#facet-country-more")).not_to_have_attribute("open", "")
    phone.locator("#facet-country").get_by_label("Find in this list").fill("nor")
    visible = phone.locator("#facet-country .facet-options li:visible")
    expect(visible).to_have_count(1)
    assert visible.first.inner_text().startswith("Norway")
    # what is typed is found behind "show all" too
    phone.locator("#facet-country").get_by_label("Find in this list").fill("cyp")
    expect(visible).to_have_count(1)
    assert visible.first.inner_text().startswith("Cyprus (0")
    # and "show all" opens from the keyboard
    phone.locator("#facet-country").get_by_label("Find in this list").fill("")
    phone.locator("#facet-country-more > summary").focus()
    phone.keyboard.press("Enter")
    expect(phone.locator("#facet-country-more")).to_have_attribute("open", "")
    phone.keyboard.press("Tab")
    assert phone.evaluate("document.activeElement.id") == "country-CY"
    screenshot(phone, "phone-filters-country-box")
    count, report = axe_violations(phone)
    context.close()
    assert count == 0, report


def test_a_curator_enrols_a_second_factor_in_the_browser(
    taxonomies, live_server, page, django_user_model, settings
):
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.STAFF_2FA_REQUIRED = True
    curator = django_user_model.objects.create_superuser("curator", "c@example.eu", STAFF_PASSWORD)
    sign_in(page, live_server, "curator")  # the password alone: not enrolled yet
    page.goto(f"{live_server.url}/admin/practices/practice/")
    page.wait_for_url("**/admin/two-factor/")
    assert page.get_by_role("img", name="QR code").is_visible()
    count, report = axe_violations(page)
    assert count == 0, report
    screenshot(page, "admin-two-factor-enrol")
    device = TOTPDevice.objects.get(user=curator, confirmed=False)
    code = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    page.get_by_label("Code from your app").fill(f"{code:06d}")
    page.get_by_role("button", name="Confirm").click()
    assert page.get_by_text("Keep these recovery codes somewhere safe").is_visible()
    assert page.locator(".recovery-codes li").count() == 10
    page.get_by_role("link", name="Continue to the admin").click()
    page.wait_for_url("**/admin/")
    assert page.get_by_role("link", name="Practices").first.is_visible()


@pytest.mark.parametrize("path", ["/", "/themes/", "/typologies/", "/countries/", "/countries/dk/"])
def test_the_explore_pages_work_without_javascript_and_their_links_open_searches(
    sample_practices, live_server, no_js_page, path
):
    no_js_page.goto(f"{live_server.url}{path}")
    link = no_js_page.locator("main a[href^='/practices/?']").first
    label = link.inner_text()
    link.click()
    no_js_page.wait_for_load_state()
    assert "/practices/?" in no_js_page.url, label
    assert result_count(no_js_page)  # axe needs scripts: it checks these pages with them on


def test_the_keyboard_reaches_every_country_of_the_map_and_of_the_table(
    sample_practices, live_server, page
):
    page.goto(f"{live_server.url}/countries/")
    countries = page.locator("table.countries tbody th a").all_inner_texts()
    on_the_map, in_the_table = set(), set()
    for _ in range(300):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement === document.body"):
            break
        label = page.evaluate("document.activeElement.getAttribute('aria-label')")
        if label and page.evaluate("!!document.activeElement.closest('.country-map')"):
            on_the_map.add(label.split(":")[0])
        else:
            in_the_table.add(page.evaluate("document.activeElement.textContent.trim()"))
    assert len(countries) == 13
    assert set(countries) <= in_the_table
    assert on_the_map == set(countries)
    page.locator("#map-europe").get_by_role("link", name="Cyprus: 1 practice").click()
    page.wait_for_url("**/countries/cy/")
    screenshot(page, "country-reached-from-the-map")


def test_screenshots_for_the_readme(sample_practices, factsheets, live_server, browser):
    """The README's pictures: the search, a practice, the map. They land in test-artifacts/;
    `make screenshots` writes them to docs/screenshots/ (README_SCREENSHOTS)."""
    folder = Path(os.environ.get("README_SCREENSHOTS", ARTIFACTS / "readme"))
    folder.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    tab = context.new_page()
    for name, path, ready in [
        ("search", "/practices/?challenge=skills&priority=green-transition", "#result-count"),
        ("practice", "/practices/newco-helsinki/", "h1"),
        ("countries", "/countries/", "#map-europe"),
    ]:
        tab.goto(f"{live_server.url}{path}")
        expect(tab.locator(ready).first).to_be_visible()
        tab.screenshot(path=folder / f"{name}.png")
        assert (folder / f"{name}.png").stat().st_size > 10_000
    context.close()


@needs_stip_file
def test_the_preview_of_the_shared_stip_file_is_short_and_paged_without_javascript(
    taxonomies, live_server, browser, django_user_model
):
    """Over the sample data (whose 70 STIP practices curators rewrote: conflicts), the real
    file's preview: counts first, one list of 50 at a time, Confirm above and below, and
    every link working without JavaScript, on a laptop's screen and a phone's."""
    from django.core.management import call_command

    call_command("loaddata", "stip_practices", verbosity=0)
    django_user_model.objects.create_superuser("curator", "c@example.eu", STAFF_PASSWORD)
    for name, viewport in [("laptop", (1366, 900)), ("phone", (390, 844))]:
        context = browser.new_context(
            viewport={"width": viewport[0], "height": viewport[1]}, java_script_enabled=False
        )
        page = context.new_page()
        sign_in(page, live_server, "curator")
        page.goto(f"{live_server.url}/admin/practices/practice/import-stip/")
        page.get_by_label("STIP Compass file").set_input_files(STIP_FILE)
        page.get_by_role("button", name="Preview the import").click()
        counts = page.locator(".import-counts li")
        expect(counts).to_have_text(
            [
                "208 new",
                "0 changed",
                "0 unchanged",
                re.compile(r"^70 with conflicts\s*\d+ conflicting fields in 70 practices"),
            ]
        )
        expect(page.get_by_role("button", name="Confirm the import")).to_have_count(2)
        expect(page.locator(".import-preview tbody tr")).to_have_count(50)
        page.screenshot(path=ARTIFACTS / f"admin-stip-preview-{name}-top.png")
        page.locator("#preview-list").scroll_into_view_if_needed()
        page.screenshot(path=ARTIFACTS / f"admin-stip-preview-{name}-list.png")
        # the whole page, as tall as a person scrolls: 16,635 px on a laptop before it was
        # paged (50 practices with conflicts take about 6,700 now, and 18,000 on a phone)
        limit = 16_635 / 2 if name == "laptop" else 16_635 * 1.25
        assert screenshot_height(page, f"admin-stip-preview-{name}") < limit
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport[0]
        page.get_by_role("link", name="Next 50").click()
        expect(page.locator(".import-preview caption")).to_contain_text("51–70 on this page")
        page.get_by_role("link", name="208 new").click()
        expect(page.locator(".import-list li")).to_have_count(50)
        assert screenshot_height(page, f"admin-stip-preview-new-{name}") < 16_635 / 4
        context.close()


def screenshot_height(page, name) -> int:
    """The height of the full-page screenshot ``screenshot`` takes, read from its PNG."""
    screenshot(page, name)
    header = (ARTIFACTS / f"{name}.png").read_bytes()[16:24]
    return int.from_bytes(header[4:], "big")


def test_a_stip_practice_lists_its_organisations_and_credits_its_survey(
    taxonomies, live_server, browser
):
    from django.core.management import call_command

    call_command("loaddata", "stip_practices", verbosity=0)
    for name, viewport in [("laptop", (1366, 900)), ("phone", (390, 844))]:
        context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
        page = context.new_page()
        page.goto(
            f"{live_server.url}/practices/competence-centres-for-excellent-technologies-programme"
            "-stip-3816/"
        )
        organisations = page.locator(".facts .organisations li")
        expect(organisations).to_have_count(3)
        expect(organisations.last).to_have_text(
            "Research Promotion Agency (FFG; Österreichische Forschungsförderungsgesellschaft)"
        )
        expect(page.locator(".source")).to_contain_text(", 2021 survey. Facts from EC-OECD (2021)")
        screenshot(page, f"stip-practice-{name}")
        context.close()
