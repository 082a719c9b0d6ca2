"""A real browser: a development manager logs a delivery and sees what remains; a head books a
themed box, and an overlapping booking is refused naming the clash. Screenshots in /tmp."""

import os

import pytest
from django.utils import timezone

from tests.conftest import PASSWORD
from tests.resources.helpers import book, days, themed_box
from tests.web.test_browser import SHOTS, browser_page  # noqa: F401  (the fixture)

from .helpers import development_manager, example_two

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _sign_in(page, url, email):
    page.goto(f"{url}/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{url}/")


@pytest.mark.browser
def test_delivery_logged_and_box_booked_in_a_browser(
    transactional_db,
    live_server,
    world,
    browser_page,  # noqa: F811
):

    manager = development_manager(world.science)
    manager.user.set_password(PASSWORD)
    manager.user.save()
    package, items = example_two(world.alpha, manager=manager)
    page = browser_page
    _sign_in(page, live_server.url, manager.user.email)
    page.goto(f"{live_server.url}/packages/caseload/")
    page.get_by_role("link", name="Cluster working").click()
    page.get_by_role("link", name="Log a delivery").click()
    page.get_by_label("Item").select_option(label=str(items["strategic_support"]))
    page.get_by_label("Delivered on").fill(timezone.localdate().isoformat())
    page.get_by_label("Amount").fill("1.5")
    page.get_by_label("Delivered by").select_option(label=str(manager))
    page.get_by_label("Notes").fill("Strategy morning with the heads")
    page.get_by_role("button", name="Log delivery").click()
    page.wait_for_selector("text=Delivery logged.")
    row = page.locator("tr", has_text="Strategic support from the local development manager").first
    assert "8.5" in row.inner_text()  # 10 agreed, 1.5 delivered
    assert page.locator(".chart-svg svg").count() == 1
    page.screenshot(path=str(SHOTS / "clusterwork-package.png"), full_page=True)

    box = themed_box(world)
    book(box, world.schools[1], days(3), days(8))
    page.context.clear_cookies()
    _sign_in(page, live_server.url, "head@example.org")
    page.goto(f"{live_server.url}{box.get_absolute_url()}")
    page.get_by_label("For school").select_option(value=str(world.schools[0].pk))
    page.get_by_label("From").fill(days(5).isoformat())
    page.get_by_label("Back on").fill(days(9).isoformat())
    page.get_by_role("button", name="Book").click()
    page.get_by_text("which overlaps those dates").first.wait_for()
    assert world.schools[1].name in page.inner_text("main")
    page.get_by_label("From").fill(days(8).isoformat())
    page.get_by_label("Back on").fill(days(10).isoformat())
    page.get_by_role("button", name="Book").click()
    page.wait_for_selector("text=Booked.")
    assert page.locator("td.cal-booked").count() >= 7
    page.screenshot(path=str(SHOTS / "clusterwork-resource.png"), full_page=True)
