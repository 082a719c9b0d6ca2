"""Issue 15 in a real browser (Debian's Chromium via Playwright).

A subject leader uploads a lesson to the cluster's library. A leader at another school finds
it by its tag, marks it used in her school and asks about it in a thread, attaching it. The
first leader is notified (in the product and by email), opens the thread and replies (htmx
swaps the reply in). Screenshots land in /tmp/sharing-*.png for a person to look at.
"""

import os
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core import mail

from clusterwork.clusters import services as cluster_services
from clusterwork.core.tasks import IMMEDIATE_BACKEND
from clusterwork.people import services as people_services
from clusterwork.people.models import Role
from clusterwork.sharing.models import ItemUse, LibraryItem, Notification, Post
from tests.conftest import PASSWORD, START
from tests.factories import SchoolFactory

from .data import PDF

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = pytest.mark.browser

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


@pytest.fixture(autouse=True)
def _immediate_tasks(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": IMMEDIATE_BACKEND}}
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def cluster_world(transactional_db):
    programme = cluster_services.programme_create(actor=None, name="Primary Science Clusters")
    cluster = cluster_services.cluster_create(
        actor=None, programme=programme, name="Downs", kind="subject_network", region="Surrey"
    )
    leaders = []
    for n, (school_name, leader_name) in enumerate(
        (("Birchwood Primary School", "Ann Archer"), ("Cedar Park Primary School", "Bea Brook"))
    ):
        school = SchoolFactory(name=school_name)
        cluster_services.membership_add(actor=None, cluster=cluster, school=school, start=START)
        leader = people_services.person_create(
            actor=None,
            full_name=leader_name,
            email=f"leader{n}@example.org",
            school=school,
            password=PASSWORD,
        )
        people_services.role_assign(
            actor=None, person=leader, role=Role.SUBJECT_LEADER, school=school, start=START
        )
        leaders.append(leader)
    mail.outbox.clear()
    return SimpleNamespace(cluster=cluster, ann=leaders[0], bea=leaders[1])


@pytest.fixture
def browser():
    assert CHROMIUM.exists(), f"{CHROMIUM} is missing: apt-get install -y chromium"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield launched
        finally:
            launched.close()


def shot(page, name):
    page.screenshot(path=str(SHOTS / f"sharing-{name}.png"), full_page=True)


def signed_in(browser, live_server, email):
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page.goto(f"{live_server.url}/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")
    return page


def test_a_lesson_is_shared_found_by_tag_used_discussed_and_answered(
    cluster_world, live_server, browser, tmp_path
):
    w = cluster_world
    lesson = tmp_path / "Magnet hunt Year 3.pdf"
    lesson.write_bytes(PDF)

    # 1. Ann uploads her lesson to the Downs library.
    ann = signed_in(browser, live_server, "leader0@example.org")
    ann.goto(f"{live_server.url}/clusters/{w.cluster.pk}/library/")
    ann.get_by_role("link", name="Share something").click()
    form = ann.locator("main form")
    form.get_by_label("Title").fill("Magnet hunt: a Year 3 forces lesson")
    form.get_by_label("File", exact=True).check()
    form.locator("input[type=file]").set_input_files(str(lesson))
    form.get_by_label("Summary").fill("Pupils test which classroom objects are magnetic.")
    form.get_by_label("Key stage or phase").select_option("ks2")
    form.get_by_label("Tags").fill("Magnets, Forces")
    shot(ann, "1-upload-form")
    form.get_by_role("button", name="Share it").click()
    ann.wait_for_selector("text=is in the library")
    item = LibraryItem.objects.get(title="Magnet hunt: a Year 3 forces lesson")
    assert item.school.name == "Birchwood Primary School"
    assert ann.get_by_role("link", name="Download Magnet hunt Year 3.pdf").is_visible()
    shot(ann, "2-item")

    # 2. Bea, at another school, finds it by its tag in the library and marks it used.
    bea = signed_in(browser, live_server, "leader1@example.org")
    bea.get_by_role("link", name="Library").first.click()
    bea.get_by_label("Tag", exact=True).select_option("Magnets")
    bea.wait_for_url("**tag=Magnets**")
    results = bea.locator("#results")
    results.get_by_role("link", name="Magnet hunt: a Year 3 forces lesson").wait_for()
    assert "1 item." in results.inner_text()
    shot(bea, "3-found-by-tag")
    results.get_by_role("link", name="Magnet hunt: a Year 3 forces lesson").click()
    with bea.expect_download() as download:
        bea.get_by_role("link", name="Download Magnet hunt Year 3.pdf").click()
    assert Path(download.value.path()).read_bytes() == PDF
    bea.get_by_text("Used it in your school?").click()
    bea.get_by_label("How it went").fill("Year 4 loved it")
    bea.get_by_role("button", name="Mark as used in my school").click()
    bea.wait_for_selector("text=Used in 1 school")
    assert ItemUse.objects.get(item=item).school.name == "Cedar Park Primary School"
    shot(bea, "4-marked-used")

    # 3. She asks about it in a thread of the cluster, attaching it.
    bea.goto(f"{live_server.url}/clusters/{w.cluster.pk}/discussion/")
    bea.get_by_text("Start a thread").click()
    thread_form = bea.locator("main form").last
    thread_form.get_by_label("Title").fill("Magnet hunt: which magnets did you use?")
    thread_form.get_by_label("Message").fill(
        "We tried the magnet hunt. @Ann Archer, which magnets did you use?"
    )
    thread_form.get_by_label("Attach from the library").select_option(label=item.title)
    thread_form.get_by_role("button", name="Start thread").click()
    bea.wait_for_selector("text=Thread started")
    shot(bea, "5-question")

    # 4. Ann is told, in the product and by email, and replies in place.
    assert [m.to for m in mail.outbox] == [["leader0@example.org"]]
    assert "mentioned you" in mail.outbox[0].subject
    ann.goto(f"{live_server.url}/")
    ann.get_by_role("link", name="Notifications").click()
    assert "New:" in ann.locator("main").inner_text()
    shot(ann, "6-notified")
    ann.get_by_role("link", name="Magnet hunt: which magnets did you use?").click()
    assert not Notification.objects.filter(user=w.ann.user, read_at__isnull=True).exists()
    url_before = ann.url
    ann.get_by_label("Your reply").fill("Bar magnets from the science cupboard — two per table.")
    ann.get_by_role("button", name="Post reply").click()
    ann.locator("#conversation").get_by_text("two per table").wait_for()
    assert ann.url == url_before  # htmx swapped the conversation in; no page load
    assert Post.objects.filter(body__contains="two per table").exists()
    shot(ann, "7-replied")
    # Bea follows the thread she started: she hears of the reply.
    assert mail.outbox[-1].to == ["leader1@example.org"]
    assert "Ann Archer replied" in mail.outbox[-1].subject
    bea.reload()
    bea.get_by_text("two per table").wait_for()
