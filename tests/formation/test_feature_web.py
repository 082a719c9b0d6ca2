"""The formation pages with the personas: the programme admin starts, watches, accepts;
read-only users get 403 on writes; outsiders get 404 on everything of the programme."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from clusterwork.clusters.models import Cluster, ClusterMembership
from clusterwork.core.tasks import IMMEDIATE_BACKEND
from clusterwork.formation.models import FormationRun
from clusterwork.formation.sites import sites_from_schools, sites_to_inputs


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": IMMEDIATE_BACKEND}}


FORM = {
    "include_members": "on",
    "min_size": "3",
    "max_size": "12",
    "n_clusters": "2",
    "time_limit": "5",
    "seed": "0",
}


def start_run(client, world):
    response = client.post(reverse("formation:run_new", args=[world.science.pk]), FORM)
    assert response.status_code == 302, response.content.decode()[:2000]
    return FormationRun.objects.get()


def test_programme_admin_starts_sees_and_accepts_a_proposal(world, login):
    client = login(world.users.programme_admin)
    assert client.get(reverse("formation:run_new", args=[world.science.pk])).status_code == 200
    run = start_run(client, world)
    assert run.status == FormationRun.Status.DONE, run.error
    page = client.get(reverse("formation:run_detail", args=[run.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Proposed clusters" in html and "Today's clusters" in html
    assert 'data-formation-map="proposed-points"' in html and "vendor/leaflet/leaflet.js" in html
    assert "<table>" in html  # the tables stand without the map
    assert "Accept: update the clusters" in html
    points = json.loads(
        html.split('id="proposed-points" type="application/json">')[1].split("<")[0]
    )
    assert len(points) == 6 and sum(p["hub"] for p in points) == 2
    csv_response = client.get(reverse("formation:run_export", args=[run.pk, "csv"]))
    assert csv_response.status_code == 200 and csv_response.content.count(b"\n") == 7

    response = client.post(reverse("formation:run_accept", args=[run.pk]))
    assert response.status_code == 302
    run.refresh_from_db()
    assert (
        run.status == FormationRun.Status.ACCEPTED and run.decided_by == world.users.programme_admin
    )
    current = ClusterMembership.objects.current().filter(programme=world.science)
    assert current.count() == 6
    assert Cluster.objects.active().filter(programme=world.science).count() == 2


def test_running_run_page_polls_with_an_accessible_progress_bar(world, login):
    client = login(world.users.programme_admin)
    sites = sites_from_schools(world.schools[:6], programme=world.science)
    # A run row as a worker leaves it mid-way (no engine result involved).
    run = FormationRun.objects.create(
        programme=world.science,
        started_by=world.users.programme_admin,
        parameters={"time_limit": 30, "min_size": 3, "max_size": 12},
        inputs=sites_to_inputs(sites, "test"),
        status=FormationRun.Status.RUNNING,
        started_at=timezone.now(),
        progress=40,
        progress_message="Best so far: 3.2 km",
    )
    url = reverse("formation:run_detail", args=[run.pk])
    partial = client.get(url + "?poll=1", headers={"HX-Request": "true"})
    html = partial.content.decode()
    assert 'role="progressbar"' in html and 'aria-valuenow="40"' in html
    assert 'hx-trigger="every 1s"' in html and "aria-live" in html
    assert "<html" not in html
    run.status = FormationRun.Status.FAILED
    run.save()
    finished = client.get(url + "?poll=1", headers={"HX-Request": "true"})
    assert finished.headers.get("HX-Refresh") == "true"


@pytest.mark.parametrize("persona", ["head", "viewer", "coordinator"])
def test_users_who_may_not_change_the_programme_get_403_on_every_formation_page(
    world, login, persona
):
    # A run, its proposal and the what-if page list every school of the programme and where
    # it would go: they see the programme, so 403 (not 404), but none of its formation pages.
    admin_client = login(world.users.programme_admin)
    run = start_run(admin_client, world)
    client = login(getattr(world.users, persona))
    for url in (
        reverse("formation:run_detail", args=[run.pk]),
        reverse("formation:run_export", args=[run.pk, "csv"]),
        reverse("formation:run_list", args=[world.science.pk]),
        reverse("formation:whatif", args=[world.science.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert world.beta.name not in response.content.decode(), url
    assert client.get(reverse("formation:run_new", args=[world.science.pk])).status_code == 403
    assert (
        client.post(reverse("formation:run_new", args=[world.science.pk]), FORM).status_code == 403
    )
    for name in ("run_accept", "run_discard", "run_rerun"):
        assert client.post(reverse(f"formation:{name}", args=[run.pk])).status_code == 403
    run.refresh_from_db()
    assert run.status == FormationRun.Status.DONE
    assert FormationRun.objects.count() == 1


def test_outsider_gets_404_on_every_page_of_the_programme(world, login):
    run = start_run(login(world.users.programme_admin), world)
    client = login(world.users.outsider)
    pk = world.science.pk
    for url in (
        reverse("formation:run_list", args=[pk]),
        reverse("formation:run_new", args=[pk]),
        reverse("formation:whatif", args=[pk]),
        reverse("formation:run_detail", args=[run.pk]),
        reverse("formation:run_export", args=[run.pk, "geojson"]),
    ):
        assert client.get(url).status_code == 404, url
    for name in ("run_accept", "run_discard", "run_rerun"):
        assert client.post(reverse(f"formation:{name}", args=[run.pk])).status_code == 404


def test_start_form_shows_the_cause_of_impossible_settings(world, login):
    client = login(world.users.programme_admin)
    data = dict(FORM, n_clusters="", min_size="4", max_size="4")
    response = client.post(reverse("formation:run_new", args=[world.science.pk]), data)
    assert response.status_code == 200  # a refused form: its errors, never 400
    assert "cannot be met" in response.content.decode()
    assert not FormationRun.objects.exists()


def test_what_if_previews_a_move_and_saves_it_through_membership_services(world, login):
    client = login(world.users.programme_admin)
    url = reverse("formation:whatif", args=[world.science.pk])
    mover = world.schools[3]  # in beta
    page = client.get(url)
    assert page.status_code == 200 and "Alpha" in page.content.decode()
    preview = client.post(
        url,
        {"action": "add", "urn": mover.urn, "cluster": world.alpha.pk},
        headers={"HX-Request": "true"},
    )
    html = preview.content.decode()
    assert preview.status_code == 200 and "<html" not in html
    assert "4 (was 3)" in html and "2 (was 3)" in html
    assert f'value="{mover.urn}:{world.alpha.pk}"' in html
    assert ClusterMembership.objects.current().get(school=mover).cluster == world.beta

    viewer = login(world.users.viewer)
    denied = viewer.post(url, {"action": "save", "change": f"{mover.urn}:{world.alpha.pk}"})
    assert denied.status_code == 403

    client = login(world.users.programme_admin)
    saved = client.post(url, {"action": "save", "change": f"{mover.urn}:{world.alpha.pk}"})
    assert saved.status_code == 302
    history = ClusterMembership.objects.filter(school=mover, programme=world.science)
    assert history.count() == 2
    assert history.get(end__isnull=True).cluster == world.alpha
    ended = history.get(end__isnull=False)
    assert ended.history.first().history_user == world.users.programme_admin
