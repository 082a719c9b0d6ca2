"""A trust's finance officer in a real browser (Debian's Chromium via Playwright): proposes a
shared SENCo split by pupils, agrees it, reads the split and an academy's statement, then
deploys a teacher and sees a double booking refused. Screenshots in /tmp/services-*.png."""

import datetime as dt
import os
from pathlib import Path

import pytest

from clusterwork.clusters import services as cluster_services
from clusterwork.people import services as people_services
from clusterwork.people.models import Role
from tests.conftest import PASSWORD
from tests.factories import SchoolFactory, TrustFactory

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
START = dt.date(2024, 9, 1)
NAMES = [
    ("Downs Academy", 900),
    ("Oakfield Primary Academy", 210),
    ("Millbrook Primary Academy", 315),
    ("Ashcombe Primary Academy", 420),
]


@pytest.fixture
def trust_world(transactional_db):
    trust = TrustFactory(name="Weald Academies Trust")
    programme = cluster_services.programme_create(
        actor=None, name="Weald cluster boards", kind="trust", trust=trust
    )
    cluster = cluster_services.cluster_create(
        actor=None, programme=programme, name="Weald North", kind="mat_cluster"
    )
    schools = []
    for name, pupils in NAMES:
        school = SchoolFactory(name=name, number_of_pupils=pupils, trust=trust)
        cluster_services.membership_add(actor=None, cluster=cluster, school=school, start=START)
        schools.append(school)
    officer = people_services.person_create(
        actor=None, full_name="Fran Finance", email="fran@example.org", password=PASSWORD
    )
    people_services.role_assign(
        actor=None, person=officer, role=Role.FINANCE_OFFICER, trust=trust, start=START
    )
    teacher = people_services.person_create(
        actor=None, full_name="Theo Maths", job_title="Teacher", school=schools[0]
    )
    return cluster, schools, teacher


@pytest.fixture
def page():
    assert CHROMIUM.exists(), f"{CHROMIUM} is missing: apt-get install -y chromium"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-GB")
        try:
            yield page
        finally:
            browser.close()


def shot(page, name):
    page.screenshot(path=str(SHOTS / f"services-{name}.png"), full_page=True)


@pytest.mark.browser
def test_finance_officer_agrees_a_shared_senco_and_deploys_a_teacher(
    trust_world, page, live_server
):
    cluster, schools, teacher = trust_world
    page.goto(f"{live_server.url}/")
    page.get_by_label("Email address").fill("fran@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/services/clusters/{cluster.pk}/")
    page.get_by_role("link", name="Propose a cluster service").click()
    form = page.locator("main form")
    form.get_by_label("Name", exact=True).fill("Shared SENCo")
    form.get_by_label("Kind").select_option("senco")
    form.get_by_label("Provider", exact=True).select_option("school")
    form.get_by_label("Provider school").select_option(label=str(schools[0]))
    form.get_by_label("Annual cost (£)").fill("36750.00")
    form.get_by_label("Shared").select_option("pupils")
    form.get_by_label("Census date").fill("2024-10-03")
    form.get_by_label("From").fill("2024-09-01")
    form.get_by_role("button", name="Propose").click()
    page.wait_for_url("**/services/*/")
    assert "Proposed" in page.content()
    page.get_by_role("link", name="Agree the service").click()
    page.get_by_role("button", name="Agree").click()
    page.wait_for_url("**/services/*/")
    page.goto(page.url + "?year=2024")
    text = page.locator("main").inner_text()
    # £36,750 by 900 / 210 / 315 / 420 pupils (1,845): exact shares
    assert "Agreed" in text
    assert "900 pupils" in text and "£17,926.83" in text
    shot(page, "service")

    page.goto(f"{live_server.url}/services/statements/{schools[1].urn}/2024.html")
    body = page.locator("body").inner_text()
    assert "Shared services statement" in body and "£4,182.93" in body
    shot(page, "statement")

    page.goto(f"{live_server.url}/services/clusters/{cluster.pk}/deployments/")
    form = page.locator("main form").last
    form.get_by_label("Teacher").select_option(label="Theo Maths")
    form.get_by_label("Home school").select_option(label=str(schools[0]))
    form.get_by_label("Host school").select_option(label=str(schools[2]))
    form.get_by_label("Purpose").select_option("specialist")
    form.get_by_label("From").fill("2025-01-06")
    form.get_by_label("Until (first day back)").fill("2025-03-31")
    form.get_by_label("Weekday").select_option("1")
    form.get_by_label("Day rate (£)").fill("310.00")
    form.get_by_label("On-cost (%)").fill("25")
    form.get_by_role("button", name="Deploy").click()
    page.wait_for_load_state()
    assert "Deployment of Theo Maths recorded" in page.content()
    # the same Tuesdays at another school: refused, with the reason, nothing saved
    form = page.locator("main form").last
    form.get_by_label("Teacher").select_option(label="Theo Maths")
    form.get_by_label("Home school").select_option(label=str(schools[0]))
    form.get_by_label("Host school").select_option(label=str(schools[3]))
    form.get_by_label("Purpose").select_option("cover")
    form.get_by_label("From").fill("2025-02-04")
    form.get_by_label("Until (first day back)").fill("2025-02-05")
    form.get_by_label("Day rate (£)").fill("200.00")
    form.get_by_role("button", name="Deploy").click()
    page.wait_for_load_state()
    assert "cannot be double-booked" in page.content()
    shot(page, "deployments")
