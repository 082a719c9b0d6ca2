"""Issue 11's journey in a real browser (Debian's Chromium via Playwright): a member school's
headteacher submits a claim with its receipt, the lead school's business manager approves and
pays it, and the budget page shows the new balance. Screenshots: /tmp/funding-journey-*.png.
"""

import os
from pathlib import Path

import pytest
from django.utils import timezone

from clusterwork.clusters import services as cluster_services
from clusterwork.funding import services
from clusterwork.funding.models import BudgetLine, Claim
from clusterwork.people import services as people_services
from clusterwork.people.models import Role
from tests.conftest import PASSWORD, START
from tests.factories import SchoolFactory

from .helpers import PDF, lines_for, year_span

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
def funded_cluster(transactional_db, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    programme = cluster_services.programme_create(actor=None, name="Primary Science Clusters")
    services.model_install_defaults(actor=None, programme=programme)
    schools = [
        SchoolFactory(name=name)
        for name in (
            "Oakfield Primary School",
            "Willow Bank Primary School",
            "Ashby Primary School",
        )
    ]
    cluster = cluster_services.cluster_create(
        actor=None,
        programme=programme,
        name="Riverside Science Cluster",
        kind="subject_network",
        lead_school=schools[0],
    )
    for school in schools:
        cluster_services.membership_add(actor=None, cluster=cluster, school=school, start=START)

    def person(name, email, role, school):
        made = people_services.person_create(
            actor=None, full_name=name, email=email, school=school, password=PASSWORD
        )
        people_services.role_assign(actor=None, person=made, role=role, school=school, start=START)
        return made

    head = person("Wendy Willow", "wendy@example.org", Role.HEADTEACHER, schools[1])
    manager = person("Oscar Oakes", "oscar@example.org", Role.BUSINESS_MANAGER, schools[0])
    start, end = year_span()
    budget = services.budget_create(
        actor=None, cluster=cluster, year=1, start=start, end=end, lines=lines_for(programme)
    )
    receipt = tmp_path / "receipt-thermometers.pdf"
    receipt.write_bytes(PDF)
    return cluster, budget, schools, head, manager, receipt


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
            page.screenshot(path=str(SHOTS / "funding-journey-last.png"), full_page=True)
            browser.close()


def shot(page, name):
    page.screenshot(path=str(SHOTS / f"funding-journey-{name}.png"), full_page=True)


def sign_in(page, live_server, email):
    page.goto(f"{live_server.url}/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")


@pytest.mark.browser
def test_a_school_claims_the_lead_school_approves_and_pays_and_the_balance_moves(
    live_server, page, funded_cluster
):
    cluster, budget, schools, head, manager, receipt = funded_cluster

    # The member school's headteacher claims for a receipt.
    sign_in(page, live_server, "wendy@example.org")
    page.goto(f"{live_server.url}/funding/clusters/{cluster.pk}/")
    page.get_by_role("link", name="New claim").click()
    form = page.locator("main form")
    form.get_by_label("What it paid for").select_option(
        label="Part B · Resources identified from cluster and school audits"
    )
    assert form.get_by_label("Claiming school").input_value() == str(schools[1].pk)
    form.get_by_label("Date of the activity").fill(timezone.localdate().isoformat())
    form.get_by_label("Description").fill("Digital thermometers for the themed box")
    form.get_by_label("Amount (£)").fill("125.50")
    form.get_by_label("Invoice or receipt").set_input_files(str(receipt))
    assert form.get_by_label("Submit to the lead school now").is_checked()
    shot(page, "1-claim-form")
    form.get_by_role("button", name="Save the claim").click()
    page.wait_for_selector("text=submitted to the lead school")
    shot(page, "2-submitted")
    claim = Claim.objects.get()
    assert claim.status == Claim.Status.SUBMITTED and claim.amount_pence == 12_550
    page.get_by_role("button", name="Sign out").click()

    # The lead school's business manager finds it in the queue, approves and pays it.
    sign_in(page, live_server, "oscar@example.org")
    page.goto(f"{live_server.url}/funding/lead-schools/")
    page.get_by_role("link", name=schools[0].name).click()
    page.wait_for_selector("text=claim waiting for a decision")
    shot(page, "3-lead-school-queue")
    page.get_by_role("link", name=claim.reference).first.click()
    page.get_by_role("link", name="Download the invoice or receipt").wait_for()
    page.get_by_role("button", name="Approve").click()
    page.wait_for_selector("text=approved: £125.50 committed")
    shot(page, "4-approved")
    page.get_by_label("Payment reference").fill("BACS 2231")
    page.get_by_role("button", name="Record payment").click()
    page.wait_for_selector("text=paid (£125.50)")
    shot(page, "5-paid")

    # The budget page shows the new balance.
    page.get_by_role("link", name="Year 1").first.click()
    part_b = page.locator("table tbody tr").filter(has_text="Part B").first
    cells = part_b.locator("td").all_inner_texts()
    assert cells[4] == "£125.50" and cells[5] == "£374.50", cells
    shot(page, "6-budget")
    line = BudgetLine.objects.get(pk=claim.line_id)
    assert (line.paid_pence, line.available_pence) == (12_550, 37_450)
    claim.refresh_from_db()
    assert claim.paid_reference == "BACS 2231" and claim.paid_by == manager.user
