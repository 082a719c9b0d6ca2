"""Issue 13 in a real browser (Debian's Chromium via Playwright): a trust admin opens the
trust dashboard, drills down to a cluster, then a school, exports the clusters list, and
downloads the board pack. Screenshots land in /tmp/impact-*.png for a person to look at."""

import csv
import io
import os
from pathlib import Path

import pytest

from tests.conftest import PASSWORD

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

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
def page():
    assert CHROMIUM.exists(), f"{CHROMIUM} is missing: apt-get install -y chromium"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-GB")
        # No tile server anywhere: the maps must read without one.
        page.route(
            "**/*",
            lambda route: (
                route.abort()
                if not route.request.url.startswith("http://localhost")
                else route.continue_()
            ),
        )
        try:
            yield page
        finally:
            browser.close()


def shot(page, name):
    page.screenshot(path=str(SHOTS / f"impact-{name}.png"), full_page=True)


def test_trust_admin_drills_down_exports_and_downloads_the_board_pack(
    transactional_db, trust_world, live_server, page
):
    w = trust_world
    page.goto(f"{live_server.url}/")
    page.get_by_label("Email address").fill("trust_admin@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Impact").click()
    page.get_by_role("link", name="Weald Learning Trust").first.click()
    page.get_by_role("heading", name="Weald Learning Trust — impact").wait_for()
    main = page.locator("main")
    assert "66.7%" in main.inner_text()
    assert page.locator("svg.plain-map").count() == 1
    assert "Gamma" not in main.inner_text()
    shot(page, "1-trust")

    # The clusters list exports exactly its rows.
    with page.expect_download(timeout=120_000) as download:
        page.get_by_role("link", name="CSV").click()
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text("utf-8-sig"))))
    assert [r[0] for r in rows[1:]] == ["Alpha", "Beta"]

    # Drill down: cluster, then school.
    page.locator("#clusters").get_by_role("link", name="Alpha", exact=True).click()
    page.get_by_role("heading", name="Alpha: impact").wait_for()
    assert "Fair tests" in page.locator("main").inner_text()
    shot(page, "2-cluster")
    first = sorted(w.schools[0:3], key=lambda s: s.name)[0]
    page.get_by_role("link", name=first.name).first.click()
    page.get_by_role("heading", name=f"{first.name}: impact").wait_for()
    assert "Meeting attendance by term" in page.locator("main").inner_text()
    shot(page, "3-school")

    # Back to the trust: the board pack as a PDF.
    page.goto(f"{live_server.url}/reports/trusts/{w.trust.pk}/")
    with page.expect_download(timeout=120_000) as download:
        page.get_by_role("link", name="Download the board pack (PDF)").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
    page.get_by_role("link", name="Board pack as a page").click()
    page.get_by_role("heading", name="Trust summary").wait_for()
    shot(page, "4-board-pack")
