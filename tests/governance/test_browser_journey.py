"""Issue 12's journey in a real browser (Debian's Chromium via Playwright): the clerk records
attendance until the meeting is quorate; a member who declared an interest cannot vote; the
motion passes; the minutes PDF shows it. Screenshots and the PDF rendered to PNG land in
/tmp/governance-*.png for a person to look at.
"""

import datetime as dt
import os
import subprocess
from pathlib import Path

import pytest
from django.utils import timezone

from clusterwork.clusters import services as cluster_services
from clusterwork.governance import services
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
pytestmark = pytest.mark.browser


@pytest.fixture
def governed(transactional_db):
    trust = TrustFactory(name="Weald Academies Trust")
    programme = cluster_services.programme_create(
        actor=None, name="Weald cluster boards", kind="trust", trust=trust
    )
    cluster = cluster_services.cluster_create(
        actor=None, programme=programme, name="Weald", kind="mat_cluster"
    )
    names = ["Ashdown Primary School", "Birch Hill Primary School"]
    members = []
    for index, name in enumerate(names):
        school = SchoolFactory(name=name)
        cluster_services.membership_add(actor=None, cluster=cluster, school=school, start=START)
        for role, title in ((Role.HEADTEACHER, "Head"), (Role.CHAIR_OF_GOVERNORS, "Chair")):
            person = people_services.person_create(
                actor=None, full_name=f"{title} {'AB'[index]}. Member", school=school
            )
            people_services.role_assign(
                actor=None, person=person, role=role, school=school, start=START
            )
            members.append(person)
    clerk = people_services.person_create(
        actor=None, full_name="Clara Clerk", email="clerk@example.org", password=PASSWORD
    )
    board = services.board_create(actor=None, cluster=cluster)
    services.board_configure(
        actor=None, board=board, quorum_rule="half", trust_staff_places=0, trust_director_places=0
    )
    services.member_appoint(actor=None, board=board, person=clerk, capacity="clerk", start=START)
    meeting = services.meeting_create(
        actor=None,
        board=board,
        title="Spring board meeting",
        starts_at=timezone.now() + dt.timedelta(hours=1),
        location="Ashdown library",
    )
    item = services.item_add(
        actor=None,
        meeting=meeting,
        title="Shared SENCo",
        paper="A shared SENCo for both academies.",
    )
    services.motion_propose(actor=None, item=item, text="Agree a shared SENCo from January")
    return meeting, members


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
            page.screenshot(path=str(SHOTS / "governance-last.png"), full_page=True)
            browser.close()


def shot(page, name):
    page.screenshot(path=str(SHOTS / f"governance-{name}.png"), full_page=True)


def _select(form, label, text):
    form.get_by_label(label).select_option(label=text)


def test_the_clerk_runs_the_meeting_to_a_carried_motion_and_its_minutes(
    governed, page, live_server
):
    meeting, members = governed
    head_a, chair_a, head_b, chair_b = members
    page.goto(f"{live_server.url}/")
    page.get_by_label("Email address").fill("clerk@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}{meeting.get_absolute_url()}")
    quorum = page.locator("#quorum")
    assert "Not quorate" in quorum.inner_text()
    assert "0 of 4 voting members present; 2 needed" in quorum.inner_text()

    # Attendance, one member at a time, until the meeting is quorate.
    page.get_by_role("button", name=f"Present: {head_a.full_name}").click()
    assert "Not quorate" in page.locator("#quorum").inner_text()
    page.get_by_role("button", name=f"Apologies: {chair_b.full_name}").click()
    assert "Not quorate" in page.locator("#quorum").inner_text()
    page.get_by_role("button", name=f"Present (remote): {head_b.full_name}").click()
    assert page.locator("#quorum").inner_text().startswith("Quorate")
    page.get_by_role("button", name=f"Present: {chair_a.full_name}").click()
    assert "3 of 4 voting members present" in page.locator("#quorum").inner_text()
    shot(page, "quorate")

    # Head B declares an interest in the item, then cannot vote on it.
    form = page.locator("form").filter(has=page.get_by_role("button", name="Declare"))
    _select(form, "Item", "1. Shared SENCo")
    _select(form, "Person", head_b.full_name)
    form.get_by_label("Interest").fill("Their school would employ the SENCo")
    form.get_by_role("button", name="Declare").click()
    assert "Head B. Member — Their school would employ the SENCo" in page.content()
    vote = page.locator("form").filter(has=page.get_by_role("button", name="Record vote"))
    _select(vote, "Motion", "Agree a shared SENCo from January")
    _select(vote, "Person", head_b.full_name)
    vote.get_by_role("button", name="Record vote").click()
    assert "declared an interest in this item and cannot vote" in page.content()
    shot(page, "conflicted")

    for person in (head_a, chair_a):
        vote = page.locator("form").filter(has=page.get_by_role("button", name="Record vote"))
        _select(vote, "Motion", "Agree a shared SENCo from January")
        _select(vote, "Person", person.full_name)
        vote.get_by_role("button", name="Record vote").click()
        assert "Vote recorded." in page.content()
    close = page.locator("form").filter(has=page.get_by_role("button", name="Close the vote"))
    _select(close, "Motion", "Agree a shared SENCo from January")
    close.get_by_role("button", name="Close the vote").click()
    assert page.locator(f"#item-{meeting.items.get().pk} .outcome").inner_text() == ("Carried")
    shot(page, "carried")

    # The minutes as a PDF, rendered to PNG to look at.
    response = page.request.get(f"{live_server.url}{meeting.get_absolute_url()}minutes.pdf")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    pdf = SHOTS / "governance-minutes.pdf"
    pdf.write_bytes(response.body())
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    text = " ".join(text.split())
    assert "Agree a shared SENCo from January” — Carried" in text
    assert "Head B. Member (Their school would employ the SENCo) took no part" in text
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            str(pdf),
            str(SHOTS / "governance-minutes"),
        ],
        check=True,
    )
