"""Formation runs: start → background task → proposal → accept through the cluster services
(membership history, the right actor), discard, re-run, and the safety checks."""

import datetime as dt

import pytest

from clusterwork.clusters import services as cluster_services
from clusterwork.clusters.models import Cluster, ClusterMembership
from clusterwork.core.errors import ServiceError
from clusterwork.core.tasks import IMMEDIATE_BACKEND
from clusterwork.formation.models import FormationRun
from clusterwork.formation.services import (
    formation_run_accept,
    formation_run_discard,
    formation_run_rerun,
    formation_run_start,
)
from clusterwork.formation.sites import sites_from_schools
from clusterwork.people.models import Role

from ..conftest import make_persona
from .test_feature_command import LA, import_la

TODAY = dt.date.today()


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": IMMEDIATE_BACKEND}}


@pytest.fixture
def trust_setup(db, tmp_path):
    """A trust-run programme whose admin forms clusters of Hartlepool schools."""
    schools = import_la(tmp_path, LA)
    programme = cluster_services.programme_create(
        actor=None, name="Hartlepool Partnership", min_cluster_size=3, max_cluster_size=8
    )
    admin = make_persona("hartlepool_admin", Role.PROGRAMME_ADMIN, programme=programme)
    viewer = make_persona("hartlepool_viewer", Role.VIEWER, programme=programme)
    return programme, schools, admin, viewer


def start(programme, schools, actor, **params):
    params.setdefault("time_limit", 2)
    return formation_run_start(
        actor=actor,
        programme=programme,
        sites=sites_from_schools(schools, programme=programme),
        params=params,
        selection="test",
    )


def test_run_is_queued_executed_and_accepted_into_clusters_with_history(trust_setup):
    programme, schools, admin, _ = trust_setup
    run = start(programme, schools, admin)
    run.refresh_from_db()
    assert run.status == FormationRun.Status.DONE, run.error
    assert run.progress == 100 and run.started_by == admin
    assert run.result["status"] in ("optimal", "feasible")
    assert len(run.inputs["sites"]) == 38 and run.inputs["sites"][0]["easting"]
    k = len(run.result["hubs"])

    formation_run_accept(actor=admin, run=run)
    run.refresh_from_db()
    assert run.status == FormationRun.Status.ACCEPTED and run.decided_by == admin
    clusters = list(Cluster.objects.active().filter(programme=programme))
    assert len(clusters) == k
    hub_urns = {run.inputs["sites"][h]["urn"] for h in run.result["hubs"]}
    assert {c.lead_school.urn for c in clusters} == hub_urns
    towns = {s.town for s in schools}
    assert all(c.name.split(" ")[0] in towns for c in clusters)  # named after the hub's town
    memberships = ClusterMembership.objects.filter(programme=programme)
    assert memberships.count() == 38
    for membership in memberships:
        assert 3 <= membership.cluster.memberships.count() <= 8
        record = membership.history.get()
        assert record.history_user == admin and record.history_type == "+"
    assert run.history.filter(history_user=admin, history_change_reason="accepted").exists()


def test_accepting_a_rerun_moves_schools_with_dated_history(trust_setup):
    programme, schools, admin, _ = trust_setup
    old = cluster_services.cluster_create(
        actor=None, programme=programme, name="Old Mixed", kind="subject_network"
    )
    start_day = TODAY - dt.timedelta(days=30)
    for school in schools[::4]:  # ten schools spread over the whole town
        cluster_services.membership_add(actor=None, cluster=old, school=school, start=start_day)
    run = start(programme, schools, admin)
    run.refresh_from_db()
    formation_run_accept(actor=admin, run=run)
    moved = 0
    for school in schools[::4]:
        history = list(ClusterMembership.objects.filter(programme=programme, school=school))
        current = [m for m in history if m.end is None]
        assert len(current) == 1
        if current[0].cluster_id != old.pk:
            ended = [m for m in history if m.cluster_id == old.pk]
            assert ended[0].end == TODAY and ended[0].start == start_day
            assert ended[0].history.first().history_user == admin
            moved += 1
    assert moved >= 2  # ten schools cannot stay in one cluster of at most eight


def test_incremental_run_moves_no_locked_school(trust_setup):
    programme, schools, admin, _ = trust_setup
    alpha = cluster_services.cluster_create(
        actor=None, programme=programme, name="Alpha", kind="subject_network"
    )
    beta = cluster_services.cluster_create(
        actor=None, programme=programme, name="Beta", kind="subject_network"
    )
    before = {}
    for i, school in enumerate(schools[:8]):
        cluster = alpha if i % 2 else beta
        cluster_services.membership_add(
            actor=None, cluster=cluster, school=school, start=TODAY - dt.timedelta(days=10)
        )
        before[school.pk] = cluster.pk
    run = start(programme, schools, admin, incremental=True)
    run.refresh_from_db()
    assert run.status == FormationRun.Status.DONE, run.error
    formation_run_accept(actor=admin, run=run)
    for school_pk, cluster_pk in before.items():
        memberships = ClusterMembership.objects.filter(programme=programme, school_id=school_pk)
        assert memberships.count() == 1  # never ended, never moved
        assert memberships.get().cluster_id == cluster_pk
    assert ClusterMembership.objects.filter(programme=programme, end__isnull=True).count() == 38


def test_accept_is_refused_when_clusters_changed_since_the_run(trust_setup):
    programme, schools, admin, _ = trust_setup
    run = start(programme, schools[:12], admin)
    cluster = cluster_services.cluster_create(
        actor=None, programme=programme, name="Newcomer", kind="subject_network"
    )
    cluster_services.membership_add(actor=None, cluster=cluster, school=schools[0])
    with pytest.raises(ServiceError, match="changed since this proposal"):
        formation_run_accept(actor=admin, run=run)
    run.refresh_from_db()
    assert run.status == FormationRun.Status.DONE


def test_read_only_user_may_not_start_or_accept(trust_setup):
    programme, schools, admin, viewer = trust_setup
    with pytest.raises(ServiceError, match="may not change"):
        start(programme, schools[:12], viewer)
    run = start(programme, schools[:12], admin)
    with pytest.raises(ServiceError, match="may not change"):
        formation_run_accept(actor=viewer, run=run)
    assert not Cluster.objects.filter(programme=programme).exists()


def test_discard_and_rerun_reproduce_the_same_proposal(trust_setup):
    programme, schools, admin, _ = trust_setup
    run = start(programme, schools[:20], admin, seed=7)
    run.refresh_from_db()
    again = formation_run_rerun(actor=admin, run=run)
    again.refresh_from_db()
    assert again.rerun_of == run and again.seed == 7
    assert again.inputs == run.inputs and again.parameters == run.parameters
    assert again.result["labels"] == run.result["labels"]
    assert again.result["objective"] == pytest.approx(run.result["objective"])
    formation_run_discard(actor=admin, run=run)
    run.refresh_from_db()
    assert run.status == FormationRun.Status.DISCARDED
    with pytest.raises(ServiceError, match="Only a finished proposal"):
        formation_run_accept(actor=admin, run=run)
    with pytest.raises(ServiceError, match="already discarded"):
        formation_run_discard(actor=admin, run=run)


def test_start_refuses_settings_that_cannot_be_met(trust_setup):
    programme, schools, admin, _ = trust_setup
    with pytest.raises(ServiceError, match="cannot be met"):
        start(programme, schools[:5], admin, min_size=3, max_size=3)
    with pytest.raises(ServiceError, match="time limit"):
        start(programme, schools[:5], admin, time_limit=0)
    assert not FormationRun.objects.exists()


def _give_pupils(schools):
    """Pupil numbers for the Hartlepool schools: the shipped England extract has no
    NumberOfPupils column (a full GIAS download has), so the test sets them, 100–700."""
    for school in schools:
        school.number_of_pupils = 100 + (school.urn * 37) % 601
        school.save(update_fields=["number_of_pupils"])


def test_pupil_cap_bounds_every_clusters_pupils(trust_setup):
    programme, schools, admin, _ = trust_setup
    _give_pupils(schools)
    pupils = {s.urn: s.number_of_pupils for s in schools}
    cap = 2000
    run = start(programme, schools, admin, max_pupils=cap, time_limit=5)
    run.refresh_from_db()
    assert run.status == FormationRun.Status.DONE, run.error
    assert run.parameters["max_pupils"] == cap
    sites = run.inputs["sites"]
    totals = {}
    for i, c in enumerate(run.result["labels"]):
        totals[c] = totals.get(c, 0) + pupils[sites[i]["urn"]]
    assert max(totals.values()) <= cap
    assert len(totals) >= sum(pupils.values()) / cap
    # without the cap the same schools form clusters over it (so the cap did the work)
    free = start(programme, schools, admin, time_limit=2)
    free.refresh_from_db()
    free_totals = {}
    for i, c in enumerate(free.result["labels"]):
        free_totals[c] = free_totals.get(c, 0) + pupils[free.inputs["sites"][i]["urn"]]
    assert max(free_totals.values()) > cap


def test_pupil_cap_refuses_missing_numbers_and_a_school_over_it(trust_setup):
    programme, schools, admin, _ = trust_setup
    with pytest.raises(ServiceError, match="38 of the 38 schools have none") as caught:
        start(programme, schools, admin, max_pupils=2000)
    assert caught.value.field == "max_pupils"
    _give_pupils(schools)
    biggest = max(schools, key=lambda s: s.number_of_pupils)
    with pytest.raises(ServiceError, match=f"{biggest.name} \\(URN {biggest.urn}\\) alone has"):
        start(programme, schools, admin, max_pupils=biggest.number_of_pupils - 1)
    with pytest.raises(ServiceError, match="at least 1"):
        start(programme, schools, admin, max_pupils=0)
    assert not FormationRun.objects.exists()
