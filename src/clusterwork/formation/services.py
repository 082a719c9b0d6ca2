"""Writes for cluster formation: start a run, record its progress and result, accept it into
the programme's clusters (through the clusters services, so membership history is kept),
discard it, run it again with the same inputs, and save a what-if change."""

from __future__ import annotations

import logging
import time

from django.db import transaction
from django.utils import timezone

from clusterwork.clusters import services as cluster_services
from clusterwork.clusters.models import Cluster, ClusterMembership, Programme
from clusterwork.core.audit import audited_save, user_or_none
from clusterwork.core.errors import ServiceError
from clusterwork.people.scopes import scope_for

from .models import FormationRun
from .proposal import build_problem, clean_params, proposal_from_result, run_engine
from .sites import Site, sites_from_inputs, sites_to_inputs

logger = logging.getLogger(__name__)

PROGRESS_EVERY_SECONDS = 0.5


def _require_change(actor, programme) -> None:
    # Pages check access first; this guards the commands and any other caller.
    if user_or_none(actor) is None:
        return
    if not scope_for(actor).can_change_programme(programme):
        raise ServiceError(f"You may not change the clusters of {programme}.")


def default_params(programme: Programme | None) -> dict:
    if programme is None:
        return {}
    return {
        "min_size": programme.min_cluster_size,
        "max_size": programme.max_cluster_size,
        "target_size": programme.target_cluster_size,
    }


@transaction.atomic
def formation_run_start(
    *,
    actor,
    programme: Programme | None = None,
    trust=None,
    sites: list[Site],
    params: dict,
    selection: str = "",
    rerun_of: FormationRun | None = None,
) -> FormationRun:
    """Check the inputs and queue a background run. Inputs that can never give a clustering
    (bounds, conflicting constraints, bad coordinates) are refused here, before any work."""
    if programme is None and trust is None:
        raise ServiceError("A formation run is for a programme or a trust.")
    if programme is not None:
        _require_change(actor, programme)
        if programme.is_archived:
            raise ServiceError(f"{programme} is archived.")
    params = clean_params(params, defaults=default_params(programme))
    build_problem(sites, params)
    run = FormationRun(
        programme=programme,
        trust=trust or (programme.trust if programme else None),
        started_by=user_or_none(actor),
        parameters=params,
        inputs=sites_to_inputs(sites, selection),
        seed=params["seed"],
        rerun_of=rerun_of,
        progress_message="Waiting for a worker",
    )
    audited_save(run, actor, "started")
    from .tasks import run_formation

    # Enqueued in the same transaction: with the database backend the task row commits
    # together with the run, so a worker never sees a task for a run that does not exist.
    run_formation.enqueue(run.pk)
    return run


SELECTION_PARAMETERS = (
    "min_size",
    "max_size",
    "n_clusters",
    "target_size",
    "keep_trusts_together",
    "need_phase",
    "need_flag",
    "max_km",
    "max_pupils",
    "incremental",
    "move_cost_km",
    "time_limit",
    "seed",
)


@transaction.atomic
def formation_run_for_selection(
    *,
    actor,
    programme: Programme,
    include_members: bool = False,
    la=None,
    trust: str = "",
    urns: str = "",
    **settings,
) -> FormationRun:
    """Start a run for the schools a selection names (today's members of ``programme``'s
    clusters, a local authority's open schools, a trust's by name or number, URNs), with the
    run form's settings; a setting left empty takes the programme's default."""
    from .selectors import find_trust, parse_urns, schools_for_selection
    from .sites import sites_from_schools

    trust = find_trust(trust) if trust else None
    urns = parse_urns(urns) if urns else []
    schools = schools_for_selection(
        programme=programme, programme_members=include_members, trust=trust, la=la, urns=urns
    )
    params = {k: settings[k] for k in SELECTION_PARAMETERS if settings.get(k) is not None}
    selection = ", ".join(
        part
        for part in (
            "programme members" if include_members else "",
            f"LA {la}" if la else "",
            f"trust {trust}" if trust else "",
            f"{len(urns)} URN(s)" if urns else "",
        )
        if part
    )
    return formation_run_start(
        actor=actor,
        programme=programme,
        sites=sites_from_schools(schools, programme=programme),
        params=params,
        selection=selection,
    )


@transaction.atomic
def formation_run_rerun(*, actor, run: FormationRun) -> FormationRun:
    """Queue the same inputs and parameters (and seed) again, to reproduce a proposal."""
    if run.programme is not None:
        _require_change(actor, run.programme)
    return formation_run_start(
        actor=actor,
        programme=run.programme,
        trust=run.trust,
        sites=sites_from_inputs(run.inputs),
        params=run.parameters,
        selection=run.inputs.get("selection", ""),
        rerun_of=run,
    )


def formation_run_execute(*, run_id: int) -> FormationRun:
    """Run the engine for a queued run (called by the background task)."""
    with transaction.atomic():
        run = FormationRun.objects.select_for_update().get(pk=run_id)
        if run.status != FormationRun.Status.QUEUED:
            return run  # already taken by another worker, or discarded meanwhile
        run.status = FormationRun.Status.RUNNING
        run.started_at = timezone.now()
        run.progress, run.progress_message = 0, "Building clusters"
        audited_save(run, None)
    limit = float(run.parameters.get("time_limit") or 30)
    last = [0.0]

    def progress(seconds, objective, phase):
        now = time.monotonic()
        if now - last[0] < PROGRESS_EVERY_SECONDS:
            return
        last[0] = now
        FormationRun.objects.filter(pk=run_id).update(
            progress=min(99, int(100 * seconds / limit)),
            progress_message=f"Best so far: {objective / 1000:,.1f} km in total ({phase})",
        )

    try:
        result = run_engine(sites_from_inputs(run.inputs), run.parameters, progress=progress)
    except ServiceError as exc:
        result, error = {}, exc.text
    except Exception as exc:  # the run must end as failed, never stay "running" forever
        logger.exception("formation run %s crashed", run_id)
        result, error = {}, f"The engine stopped with an error: {exc}"
    else:
        error = "" if result["status"] in ("optimal", "feasible") else result["message"]
    with transaction.atomic():
        run = FormationRun.objects.select_for_update().get(pk=run_id)
        run.result = result
        run.error = error
        run.status = FormationRun.Status.FAILED if error else FormationRun.Status.DONE
        run.progress = 100
        run.progress_message = "Failed" if error else "Proposal ready"
        run.finished_at = timezone.now()
        audited_save(run, None, "finished")
    return run


def _cluster_kind(programme: Programme) -> str:
    existing = Cluster.objects.filter(programme=programme).values_list("kind", flat=True).first()
    if existing:
        return existing
    if programme.kind == Programme.Kind.TRUST or programme.trust_id:
        return Cluster.Kind.MAT_CLUSTER
    return Cluster.Kind.LOCAL_PARTNERSHIP


def _check_unchanged(run: FormationRun, sites: list[Site]) -> None:
    """Refuse to apply a proposal computed against clusters that have changed since."""
    today = {
        m.school_id: m.cluster_id
        for m in ClusterMembership.objects.current().filter(
            programme=run.programme, school_id__in=[s.school_id for s in sites]
        )
    }
    changed = [s.name for s in sites if today.get(s.school_id) != s.current_cluster_id]
    if changed:
        raise ServiceError(
            f"The clusters have changed since this proposal was made ({len(changed)} school(s), "
            f"e.g. {changed[0]}). Run it again with today's clusters before accepting."
        )


@transaction.atomic
def formation_run_accept(*, actor, run: FormationRun, on=None) -> FormationRun:
    """Apply the proposal to the programme's clusters, from ``on`` (default today).

    Clusters that keep most of their schools are updated in place; new ones are created and
    named after the hub school's town; schools move with ``membership_move`` so every
    membership keeps its dates; a cluster left with no members is archived.
    """
    from clusterwork.schools.models import School

    run = (
        FormationRun.objects.select_for_update(of=("self",))
        .select_related("programme")
        .get(pk=run.pk)
    )
    if run.programme is None:
        raise ServiceError("This run is not for a programme, so there are no clusters to update.")
    _require_change(actor, run.programme)
    if run.status != FormationRun.Status.DONE:
        raise ServiceError(
            "Only a finished proposal can be accepted; this run is "
            f"{run.get_status_display().lower()}."
        )
    sites = sites_from_inputs(run.inputs)
    outside = [s.name for s in sites if s.school_id is None]
    if outside:
        raise ServiceError(
            f"{len(outside)} site(s) are not schools in the directory (e.g. {outside[0]}); "
            "such a proposal can be exported but not accepted."
        )
    _check_unchanged(run, sites)
    programme = run.programme
    existing_names = (
        Cluster.objects.active().filter(programme=programme).values_list("name", flat=True)
    )
    proposal = proposal_from_result(sites, run.result, existing_names=list(existing_names))
    if proposal is None:
        raise ServiceError("This run has no clustering to accept.")
    day = on or timezone.localdate()
    schools = School.objects.in_bulk([s.school_id for s in sites])
    reason = f"formation run {run.pk}"
    kind = _cluster_kind(programme)
    for proposed in proposal.clusters:
        hub = schools[proposed.hub.school_id]
        if proposed.existing_id:
            cluster = Cluster.objects.get(pk=proposed.existing_id)
            if cluster.lead_school_id != hub.pk:
                cluster = cluster_services.cluster_update(
                    actor=actor, cluster=cluster, lead_school=hub, reason=reason
                )
        else:
            cluster = cluster_services.cluster_create(
                actor=actor,
                programme=programme,
                name=proposed.name,
                kind=kind,
                lead_school=hub,
                region=hub.town,
                started_on=day,
                description=f"Formed by {reason}.",
            )
        for site in proposed.members:
            if site.current_cluster_id == cluster.pk:
                continue
            school = schools[site.school_id]
            if site.current_cluster_id:
                cluster_services.membership_move(
                    actor=actor, school=school, to_cluster=cluster, on=day, reason=reason
                )
            else:
                cluster_services.membership_add(
                    actor=actor, cluster=cluster, school=school, start=day, note=reason
                )
    for cluster_id, _name in proposal.retired:
        cluster = Cluster.objects.get(pk=cluster_id)
        if not cluster.is_archived and not cluster.memberships.filter(end__isnull=True).exists():
            cluster_services.cluster_archive(actor=actor, cluster=cluster, on=day, reason=reason)
    return _decided(run, actor, FormationRun.Status.ACCEPTED)


@transaction.atomic
def formation_run_discard(*, actor, run: FormationRun) -> FormationRun:
    run = (
        FormationRun.objects.select_for_update(of=("self",))
        .select_related("programme")
        .get(pk=run.pk)
    )
    if run.programme is not None:
        _require_change(actor, run.programme)
    if run.status in {FormationRun.Status.ACCEPTED, FormationRun.Status.DISCARDED}:
        raise ServiceError(f"This run is already {run.get_status_display().lower()}.")
    if run.status == FormationRun.Status.RUNNING:
        raise ServiceError("This run is still working; discard it when it has finished.")
    return _decided(run, actor, FormationRun.Status.DISCARDED)


def _decided(run: FormationRun, actor, status) -> FormationRun:
    """Record who accepted or discarded the run, and when."""
    run.status, run.decided_at, run.decided_by = status, timezone.now(), user_or_none(actor)
    audited_save(run, actor, str(status))
    return run


@transaction.atomic
def whatif_apply(*, actor, programme: Programme, changes, on=None) -> int:
    """Apply what-if changes (school → cluster of ``programme``) as moves or additions."""
    _require_change(actor, programme)
    if not changes:
        raise ServiceError("There are no changes to save.")
    day = on or timezone.localdate()
    for school, cluster in changes:
        if cluster.programme_id != programme.pk:
            raise ServiceError(f"{cluster} is not a cluster of {programme}.")
        current = ClusterMembership.objects.filter(
            programme=programme, school=school, end__isnull=True
        ).first()
        if current is not None:
            cluster_services.membership_move(
                actor=actor, school=school, to_cluster=cluster, on=day, reason="what-if change"
            )
        else:
            cluster_services.membership_add(
                actor=actor, cluster=cluster, school=school, start=day, note="what-if change"
            )
    return len(changes)
