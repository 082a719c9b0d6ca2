"""Issue 4: a coordinator runs a cluster in a real browser (Debian's Chromium via Playwright).

They schedule a meeting, record its register once it has started, and see the engagement flag
change for the school that missed it; then they open the prepared email to its headteacher.

Invitations to a meeting still to come are emailed and attendance is taken once it has started,
so the journey really waits for its meeting to start. The engagement list counts meetings from the
minute they start, so the meeting starts on a whole minute shortly ahead: the wait is about a
minute.
Screenshots land in /tmp/journey-*.png for a person to look at.
"""

import datetime as dt
import os
import time
import uuid
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core import mail
from django.utils import timezone

from clusterwork.clusters import services as cluster_services
from clusterwork.core.tasks import IMMEDIATE_BACKEND
from clusterwork.meetings import services
from clusterwork.meetings.services import AttendanceEntry
from clusterwork.people import services as people_services
from clusterwork.people.models import Role
from tests.conftest import PASSWORD, START
from tests.factories import SchoolFactory

# Playwright's sync API runs an event loop in this thread; the ORM calls here are deliberate.
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
SCHOOL_NAMES = [
    "Birchwood Primary School",
    "Cedar Park Primary School",
    "Elmbridge Primary School",
    "Hazel Grove Primary School",
]
# Time to fill in and submit the scheduling form before the meeting starts.
FORM_MARGIN = dt.timedelta(seconds=25)


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    # Invitation and engagement emails are sent in the request, not by a worker.
    settings.TASKS = {"default": {"BACKEND": IMMEDIATE_BACKEND}}


@pytest.fixture(autouse=True)
def _own_cache(settings):
    # The engagement list caches its rows, and the configured cache (a table, or Redis) outlives
    # transactional tests and is shared with other xdist workers: give this test its own,
    # shared by the live server thread, without clearing anyone else's.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"journey-{uuid.uuid4()}",
        }
    }


@pytest.fixture
def cluster_world(transactional_db, _own_cache):
    """One cluster of four schools, each with a subject leader and a headteacher, and three
    past meetings: Birchwood came to 1 of them, Cedar Park to 1, the others to all 3."""
    programme = cluster_services.programme_create(actor=None, name="Primary Science Clusters")
    cluster = cluster_services.cluster_create(
        actor=None, programme=programme, name="Downs", kind="subject_network", region="Surrey"
    )
    coordinator = people_services.person_create(
        actor=None, full_name="Cora Ordinator", email="cora@example.org", password=PASSWORD
    )
    people_services.role_assign(
        actor=None,
        person=coordinator,
        role=Role.CLUSTER_COORDINATOR,
        cluster=cluster,
        start=START,
    )
    schools, leaders, heads = [], [], []
    for n, name in enumerate(SCHOOL_NAMES):
        school = SchoolFactory(name=name)
        cluster_services.membership_add(actor=None, cluster=cluster, school=school, start=START)
        leader = people_services.person_create(
            actor=None,
            full_name=f"Leader {name.split()[0]}",
            email=f"leader{n}@example.org",
            school=school,
        )
        people_services.role_assign(
            actor=None, person=leader, role=Role.SUBJECT_LEADER, school=school, start=START
        )
        head = people_services.person_create(
            actor=None,
            full_name=f"Head {name.split()[0]}",
            email=f"head{n}@example.org",
            school=school,
        )
        people_services.role_assign(
            actor=None, person=head, role=Role.HEADTEACHER, school=school, start=START
        )
        schools.append(school)
        leaders.append(leader)
        heads.append(head)

    actor = coordinator.user
    came = {0: [False, True, False], 1: [False, False, True]}  # by school, oldest first
    for week, weeks_ago in enumerate((3, 2, 1)):
        # Invitations go out before a meeting; the service then moves it to when it was held.
        starts_at = timezone.now().replace(microsecond=0) + dt.timedelta(days=1)
        event = services.event_create(
            actor=actor,
            cluster=cluster,
            title=f"Cluster meeting {week + 1}",
            starts_at=starts_at,
            ends_at=starts_at + dt.timedelta(hours=2),
            location="Science lab, Birchwood",
        )
        services.invite_by_role(actor=actor, event=event, role=Role.SUBJECT_LEADER)
        held = timezone.now().replace(microsecond=0) - dt.timedelta(weeks=weeks_ago)
        event = services.event_update(
            actor=actor, event=event, starts_at=held, ends_at=held + dt.timedelta(hours=2)
        )
        services.record_attendance(
            actor=actor,
            event=event,
            entries=[
                AttendanceEntry(
                    person=leader,
                    status="attended" if came.get(n, [True] * 3)[week] else "absent",
                )
                for n, leader in enumerate(leaders)
            ],
        )
    mail.outbox.clear()
    return SimpleNamespace(
        cluster=cluster, coordinator=coordinator, schools=schools, leaders=leaders, heads=heads
    )


@pytest.fixture
def page():
    assert CHROMIUM.exists(), f"{CHROMIUM} is missing: apt-get install -y chromium"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-GB")
        page.route("https://tile.openstreetmap.org/**", lambda route: route.abort())
        try:
            yield page
        finally:
            page.screenshot(path=str(SHOTS / "journey-last.png"), full_page=True)
            browser.close()


def shot(page, name):
    page.screenshot(path=str(SHOTS / f"journey-{name}.png"), full_page=True)


def next_minute_step(margin=FORM_MARGIN):
    now = timezone.localtime()
    step = now.replace(second=0, microsecond=0) + dt.timedelta(minutes=1)
    while step - now < margin:
        step += dt.timedelta(minutes=1)
    return step


def fill_meeting_form(page, title, starts, *, hours, location):
    """Fill the schedule / record form; every subject leader is invited by default."""
    form = page.locator("main form")
    form.get_by_label("Title").fill(title)
    form.get_by_label("Starts").fill(f"{starts:%Y-%m-%dT%H:%M}")
    form.get_by_label("Ends").fill(f"{starts + dt.timedelta(hours=hours):%Y-%m-%dT%H:%M}")
    form.get_by_label("Location").fill(location)
    assert form.get_by_label("Every subject leader").is_checked()
    return form


def sign_in(page, live_server):
    page.goto(f"{live_server.url}/")
    page.get_by_label("Email address").fill("cora@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")


def engagement_row(page, school):
    return page.locator("#engagement-table tbody tr").filter(has_text=school.name)


@pytest.mark.browser
def test_coordinator_schedules_records_attendance_and_sees_flag_change(
    live_server, cluster_world, page
):
    w = cluster_world
    birchwood, cedar = w.schools[0], w.schools[1]

    sign_in(page, live_server)

    # Cluster → its meetings → engagement before the new meeting: nobody flagged yet.
    page.get_by_role("link", name="Downs", exact=True).first.click()
    page.wait_for_url(f"**/clusters/{w.cluster.pk}/")
    page.get_by_role("navigation", name="Running this cluster").get_by_role(
        "link", name="Meetings"
    ).click()
    page.wait_for_url(f"**/meetings/cluster/{w.cluster.pk}/")
    assert page.get_by_role("heading", name="Meetings of Downs").is_visible()
    shot(page, "1-meetings")
    page.get_by_role("link", name="Engagement", exact=True).click()
    assert "0 flagged of 4 schools" in page.locator("#engagement-summary").inner_text()
    for school in (birchwood, cedar):
        row = engagement_row(page, school)
        assert "1 of 3" in row.inner_text()
        assert row.get_by_text("OK", exact=True).is_visible()
    shot(page, "2-engagement-before")
    page.go_back()

    # Schedule: a start already past is refused (past meetings have a form of their own).
    page.get_by_role("link", name="Schedule a meeting").click()
    assert page.get_by_role("heading", name="Schedule a meeting for Downs").is_visible()
    earlier = timezone.localtime().replace(second=0, microsecond=0) - dt.timedelta(minutes=10)
    form = fill_meeting_form(
        page, "Spring term cluster meeting", earlier, hours=1, location="Science lab, Cedar Park"
    )
    form.get_by_role("button", name="Schedule and send invitations").click()
    assert page.get_by_text("That start is in the past").first.is_visible()
    shot(page, "3-schedule-past-refused")

    # ...so it is scheduled to start shortly, inviting every member school's subject leader.
    starts = next_minute_step()
    form.get_by_label("Starts").fill(f"{starts:%Y-%m-%dT%H:%M}")
    form.get_by_label("Ends").fill(f"{starts + dt.timedelta(hours=1):%Y-%m-%dT%H:%M}")
    shot(page, "4-schedule-form")
    form.get_by_role("button", name="Schedule and send invitations").click()
    page.wait_for_url("**/meetings/*/")
    assert page.get_by_text(
        "Scheduled “Spring term cluster meeting”. Invited 4 people."
    ).is_visible()
    invitees = page.locator("#invitees tbody")
    for leader in w.leaders:
        assert invitees.get_by_role("row").filter(has_text=leader.full_name).is_visible()
    invited = {m.to[0] for m in mail.outbox if "Spring term cluster meeting" in m.subject}
    assert invited == {leader.email for leader in w.leaders}
    shot(page, "5-scheduled")
    meeting_url = page.url

    # Birchwood's leader sends apologies ahead of the meeting, which may be recorded at once...
    page.get_by_label(f"Attendance of {w.leaders[0].full_name}").select_option(label="Apologies")
    page.get_by_role("button", name="Save attendance").click()
    page.wait_for_selector("#register-saved")
    assert page.get_by_text("Attendance saved (1 changed).").is_visible()
    # ...and count against nobody until the meeting has been held.
    page.get_by_role("link", name="Downs meetings").click()
    page.get_by_role("link", name="Engagement", exact=True).click()
    assert "0 flagged of 4 schools" in page.locator("#engagement-summary").inner_text()
    assert "1 of 3" in engagement_row(page, birchwood).inner_text()

    # Time passes until the meeting has started; then the rest of the register is taken.
    time.sleep(max(0.0, (starts - timezone.now()).total_seconds() + 1))
    page.goto(meeting_url)
    apologies = page.get_by_label(f"Attendance of {w.leaders[0].full_name}")
    assert apologies.input_value() == "apologies"
    statuses = {
        w.leaders[1]: "Substitute sent",  # Cedar Park is represented by someone else
        w.leaders[2]: "Attended",
        w.leaders[3]: "Attended",
    }
    for leader, status in statuses.items():
        page.get_by_label(f"Attendance of {leader.full_name}").select_option(label=status)
    page.get_by_label(f"Substitute for {w.leaders[1].full_name}", exact=True).fill(
        "Sam Supply (Year 4 teacher)"
    )
    page.get_by_role("button", name="Save attendance").click()
    page.wait_for_selector("#register-saved")
    assert page.get_by_text("Attendance saved (3 changed).").is_visible()
    summary = page.locator("#register-summary").inner_text()
    assert summary == "4 invited · 3 came · 3 of 4 schools represented"
    shot(page, "6-attendance-saved")

    # The engagement list now flags Birchwood, and only Birchwood.
    page.get_by_role("link", name="Downs meetings").click()
    page.get_by_role("link", name="Engagement", exact=True).click()
    assert "1 flagged of 4 schools" in page.locator("#engagement-summary").inner_text()
    flagged = engagement_row(page, birchwood)
    assert "1 of 4" in flagged.inner_text()
    assert flagged.get_by_text("Low attendance").is_visible()
    for school in w.schools[1:]:
        row = engagement_row(page, school)
        assert row.get_by_text("OK", exact=True).is_visible()
        assert "Low attendance" not in row.inner_text()
        assert row.get_by_role("link", name="Email the headteacher").count() == 0
    assert "2 of 4" in engagement_row(page, cedar).inner_text()
    shot(page, "7-engagement-after")

    # The follow-up email to Birchwood's headteacher is prepared with their name.
    flagged.get_by_role("link", name=f"Email the headteacher of {birchwood.name}").click()
    assert page.get_by_role(
        "heading", name=f"Email the headteacher of {birchwood.name}"
    ).is_visible()
    head = w.heads[0]
    to = page.get_by_label("To")
    assert to.locator("option:checked").inner_text() == f"{head.full_name} <{head.email}>"
    assert page.get_by_label("Message").input_value().startswith(f"Dear {head.full_name},")
    assert (
        "attended 1 of the cluster's last 4 meetings" in page.get_by_label("Message").input_value()
    )
    shot(page, "8-email-prepared")
    page.get_by_role("button", name="Send email").click()
    page.wait_for_url(f"**/meetings/engagement/cluster/{w.cluster.pk}/")
    assert page.get_by_text(f"Email to {head.full_name} queued to send.").is_visible()
    sent = [m for m in mail.outbox if m.to == [head.email]]
    assert len(sent) == 1 and f"Dear {head.full_name}," in sent[0].body
    shot(page, "9-email-sent")


@pytest.fixture
def upcoming_meeting(cluster_world):
    # Made before the browser starts: ORM calls under Playwright's greenlet get a connection
    # of their own that nothing closes, and PostgreSQL then refuses to drop the test database.
    starts_at = timezone.now().replace(microsecond=0) + dt.timedelta(days=2)
    event = services.event_create(
        actor=cluster_world.coordinator.user,
        cluster=cluster_world.cluster,
        title="Summer term cluster meeting",
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=1),
        location="Science lab, Elmbridge",
    )
    services.invite_by_role(
        actor=cluster_world.coordinator.user, event=event, role=Role.SUBJECT_LEADER
    )
    return event


@pytest.mark.browser
def test_register_refused_before_the_meeting_starts_says_why(
    live_server, cluster_world, upcoming_meeting, page
):
    """A refused register must say why where it was submitted (htmx 2 drops 4xx answers, so
    the view answers the htmx form with the register and its error summary)."""
    w = cluster_world
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/meetings/{upcoming_meeting.pk}/")
    attendance = page.get_by_label(f"Attendance of {w.leaders[2].full_name}")
    attendance.select_option(label="Attended")
    page.get_by_role("button", name="Save attendance").click()
    alert = page.locator("#register").get_by_role("alert")
    assert "Attendance can be recorded once the event has started" in alert.inner_text()
    assert page.locator("#register-saved").count() == 0
    # The register comes back as it was entered, so nothing has to be chosen again...
    assert attendance.input_value() == "attended"
    shot(page, "register-refused")
    page.reload()  # ...but nothing was saved
    assert attendance.input_value() == ""
    assert "0 came" in page.locator("#register-summary").inner_text()


@pytest.mark.browser
def test_coordinator_records_a_past_meeting_and_its_register(live_server, cluster_world, page):
    """A meeting that was never entered beforehand: record it, its register filled from the
    roles held on its day, then mark who came; nobody is emailed."""
    w = cluster_world
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/meetings/cluster/{w.cluster.pk}/")
    page.get_by_role("link", name="Record a past meeting").click()
    assert page.get_by_role("heading", name="Record a past meeting of Downs").is_visible()
    held = timezone.localtime().replace(second=0, microsecond=0) - dt.timedelta(days=9)
    form = fill_meeting_form(
        page, "Moderation afternoon", held, hours=2, location="Hall, Birchwood"
    )
    shot(page, "past-1-form")
    form.get_by_role("button", name="Record and take the register").click()
    page.get_by_text("with 4 people on its register").wait_for()
    statuses = ("Attended", "Attended", "Absent", "Apologies")
    for leader, status in zip(w.leaders, statuses, strict=True):
        page.get_by_label(f"Attendance of {leader.full_name}").select_option(label=status)
    page.get_by_role("button", name="Save attendance").click()
    page.wait_for_selector("#register-saved")
    summary = page.locator("#register-summary").inner_text()
    assert "4 invited" in summary and "2 came" in summary
    assert page.get_by_role("heading", name="Add to the register").is_visible()
    shot(page, "past-2-register")
    assert mail.outbox == []
