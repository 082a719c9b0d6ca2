"""A real browser (Debian's Chromium through Playwright) signs in and uses the pages.

Screenshots land in /tmp/clusterwork-*.png for a person to look at.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS = Path(os.environ.get("CLUSTERWORK_SCREENSHOTS", "/tmp"))


@pytest.fixture
def browser_page():
    # Missing Chromium is a broken environment, not a reason to skip quietly.
    assert CHROMIUM.exists(), (
        f"{CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium) "
        "to run the browser tests."
    )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-GB")
        page.on("console", lambda message: print("console:", message.type, message.text))
        # No network here: refuse map tiles at once instead of waiting for them to time out.
        page.route("https://tile.openstreetmap.org/**", lambda route: route.abort())
        try:
            yield page
        finally:
            # Whatever happened, leave a picture of the last page for the person debugging.
            page.screenshot(path=str(SHOTS / "clusterwork-last.png"), full_page=True)
            browser.close()


@pytest.mark.browser
def test_coordinator_signs_in_and_sees_their_cluster(
    transactional_db, live_server, world, browser_page
):
    from tests.conftest import PASSWORD

    page = browser_page
    page.goto(f"{live_server.url}/")
    assert "/login/" in page.url
    page.get_by_label("Email address").fill("coordinator@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", name="Your clusters").is_visible()
    page.screenshot(path=str(SHOTS / "clusterwork-home.png"), full_page=True)

    page.get_by_role("link", name="Alpha", exact=True).first.click()
    page.wait_for_url(f"**/clusters/{world.alpha.pk}/")
    members = page.locator("#members")
    for school in world.schools[:3]:
        assert members.get_by_role("link", name=school.name).is_visible()
    assert world.schools[3].name not in members.inner_text()  # beta's school
    # Leaflet drew the markers from the json_script even though no tile can load.
    page.wait_for_selector(".leaflet-marker-icon")
    assert page.locator(".leaflet-marker-icon").count() == 3
    page.screenshot(path=str(SHOTS / "clusterwork-cluster.png"), full_page=True)

    # Add a school through the htmx typeahead; the members table updates in place.
    page.get_by_text("Add a school").click()
    page.get_by_label("Find a school by name or URN").fill(world.schools[6].name)
    page.get_by_role("button", name=world.schools[6].name).click()
    assert page.get_by_label("School URN").input_value() == str(world.schools[6].urn)
    page.get_by_role("button", name="Add school").click()
    page.wait_for_selector(f"text={world.schools[6].name} added to Alpha.")
    assert members.get_by_role("link", name=world.schools[6].name).is_visible()
    assert page.url.endswith(f"/clusters/{world.alpha.pk}/")  # no full reload happened

    # Refused input is shown in place too: adding the same school again says why.
    page.get_by_text("Add a school").click()
    page.get_by_label("School URN").fill(str(world.schools[6].urn))
    page.get_by_role("button", name="Add school").click()
    members.get_by_text(f"{world.schools[6].name} is already a member of").wait_for()
    assert page.url.endswith(f"/clusters/{world.alpha.pk}/")

    # A phone-sized screen: the tables scroll sideways inside their frame, nothing overflows.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/clusters/{world.alpha.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(SHOTS / "clusterwork-cluster-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto(f"{live_server.url}/schools/")
    page.get_by_label("Search").fill(world.schools[0].name)
    page.wait_for_selector("#results-count:has-text('1 school found')")
    assert "q=" in page.url  # hx-push-url keeps the filtered view linkable
    page.screenshot(path=str(SHOTS / "clusterwork-schools.png"), full_page=True)


@pytest.mark.browser
def test_skip_link_is_the_first_stop_for_keyboard_users(
    transactional_db, live_server, browser_page
):
    page = browser_page
    page.goto(f"{live_server.url}/login/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Skip to main content"
    page.screenshot(path=str(SHOTS / "clusterwork-login.png"))
