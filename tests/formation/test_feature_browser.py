"""A programme admin forms clusters in a real browser: programme page → Form clusters → a run on
twelve real Hartlepool schools → proposal with maps and tables → accept → the new clusters on
the programme page. Screenshots land in /tmp/clusterwork-formation-*.png."""

import os

import pytest

from clusterwork.clusters import services as cluster_services
from clusterwork.clusters.models import Cluster, ClusterMembership
from clusterwork.core.tasks import IMMEDIATE_BACKEND
from clusterwork.formation.models import FormationRun
from clusterwork.people.models import Role
from tests.conftest import PASSWORD, make_persona
from tests.web.test_browser import SHOTS, browser_page  # noqa: F401 (a fixture)

from .test_feature_command import LA, import_la

# live_server runs the pages in a thread beside this synchronous test.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.fixture
def partnership(transactional_db, tmp_path, settings):
    # The run finishes inside the request that starts it, so the test needs no worker.
    settings.TASKS = {"default": {"BACKEND": IMMEDIATE_BACKEND}}
    schools = import_la(tmp_path, LA)[:12]
    programme = cluster_services.programme_create(
        actor=None,
        name="Hartlepool Partnership",
        min_cluster_size=3,
        max_cluster_size=6,
        target_cluster_size=4,
    )
    admin = make_persona("hartlepool_admin", Role.PROGRAMME_ADMIN, programme=programme)
    return programme, schools, admin


@pytest.mark.browser
def test_programme_admin_forms_clusters_and_accepts_them(
    live_server,
    partnership,
    browser_page,  # noqa: F811
):
    programme, schools, admin = partnership
    page = browser_page
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Email address").fill(admin.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/programmes/{programme.pk}/")
    assert page.get_by_text("No clusters yet.").is_visible()
    page.get_by_role("navigation", name="Running this programme").get_by_role(
        "link", name="Formation runs"
    ).click()
    page.get_by_role("link", name="Form clusters").click()
    page.get_by_role("heading", name="Form clusters").wait_for()
    # The programme has no members yet: name the schools by URN instead.
    page.get_by_label("Today's members of this programme's clusters").uncheck()
    page.get_by_label("Add schools by URN").fill("\n".join(str(s.urn) for s in schools))
    page.get_by_text("Search settings").click()
    page.get_by_label("Time limit (seconds)").fill("5")
    page.screenshot(path=str(SHOTS / "clusterwork-formation-start.png"), full_page=True)
    page.get_by_role("button", name="Start the run").click()

    page.get_by_role("heading", name="Proposal", exact=True).wait_for()
    run = FormationRun.objects.get()
    assert run.status == FormationRun.Status.DONE, run.error
    assert page.get_by_text(f"Run {run.pk} started with 12 schools.").is_visible()
    clusters_table = page.get_by_role("table", name="Proposed clusters, their hubs and distances")
    rows = clusters_table.locator("tbody tr")
    k = len(run.result["hubs"])
    assert rows.count() == k and 2 <= k <= 4
    # Both maps drew every school even though no map tile can load here, and say so.
    page.wait_for_selector("[data-formation-map=proposed-points] .leaflet-interactive")
    assert page.locator("[data-formation-map=proposed-points] .leaflet-interactive").count() == 12
    page.get_by_text("The map background could not load").first.wait_for()
    assert "None of these schools is in a cluster of this programme today." in page.content()
    page.screenshot(path=str(SHOTS / "clusterwork-formation-proposal.png"), full_page=True)

    page.get_by_role("button", name="Accept: update the clusters").click()
    page.get_by_text(f"The proposal was applied to the clusters of {programme}.").wait_for()
    assert page.get_by_text("Status: Accepted by").is_visible()

    page.get_by_role("link", name=programme.name).first.click()
    page.wait_for_url(f"**/programmes/{programme.pk}/")
    created = list(Cluster.objects.active().filter(programme=programme))
    assert len(created) == k
    for cluster in created:
        assert page.get_by_role("link", name=cluster.name, exact=True).is_visible()
    assert ClusterMembership.objects.current().filter(programme=programme).count() == 12
    assert page.locator(".card", has_text="member schools").inner_text().startswith("12")
    page.screenshot(path=str(SHOTS / "clusterwork-formation-accepted.png"), full_page=True)
