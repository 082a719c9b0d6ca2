"""Writes to programmes, clusters and memberships. Every write is one transaction, is
validated with clear messages, and is recorded in the history with who made it."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from clusterwork.core.audit import audited_archive, audited_save, audited_update
from clusterwork.core.dates import day_text
from clusterwork.core.errors import ServiceError

from .models import Cluster, ClusterMembership, Programme
from .selectors import SizeCheck, size_check


@transaction.atomic
def programme_create(
    *,
    actor,
    name: str,
    kind: str = Programme.Kind.NATIONAL_PROGRAMME,
    trust=None,
    description: str = "",
    min_cluster_size: int | None = None,
    max_cluster_size: int | None = None,
    target_cluster_size: int | None = None,
    governance: str = Programme.Governance.COORDINATED,
) -> Programme:
    programme = Programme(
        name=name.strip(),
        kind=kind,
        trust=trust,
        description=description,
        governance=governance,
        target_cluster_size=target_cluster_size,
    )
    if min_cluster_size is not None:
        programme.min_cluster_size = min_cluster_size
    if max_cluster_size is not None:
        programme.max_cluster_size = max_cluster_size
    if programme.max_cluster_size < programme.min_cluster_size:
        raise ServiceError(
            f"The largest cluster size ({programme.max_cluster_size}) is below the smallest "
            f"({programme.min_cluster_size}).",
            field="max_cluster_size",
        )
    audited_save(programme, actor)
    return programme


@transaction.atomic
def cluster_create(
    *,
    actor,
    programme: Programme,
    name: str,
    kind: str,
    lead_school=None,
    region: str = "",
    description: str = "",
    status: str = Cluster.Status.ACTIVE,
    started_on: dt.date | None = None,
) -> Cluster:
    if programme.is_archived:
        raise ServiceError(f"Programme “{programme}” is archived; it takes no new clusters.")
    name = name.strip()
    if Cluster.objects.active().filter(programme=programme, name__iexact=name).exists():
        raise ServiceError(f"{programme} already has a cluster called “{name}”.", field="name")
    cluster = Cluster(
        programme=programme,
        name=name,
        kind=kind,
        lead_school=lead_school,
        region=region,
        description=description,
        status=status,
        started_on=started_on,
    )
    audited_save(cluster, actor)
    return cluster


CLUSTER_EDITABLE_FIELDS = {
    "name",
    "kind",
    "lead_school",
    "region",
    "description",
    "status",
    "started_on",
}


@transaction.atomic
def cluster_update(*, actor, cluster: Cluster, reason: str = "", **changes) -> Cluster:
    def check(cluster, changes):
        if cluster.is_archived:
            raise ServiceError("This cluster is archived; restore it before changing it.")
        if "name" in changes:
            name = changes["name"].strip()
            clash = Cluster.objects.active().filter(programme=cluster.programme, name__iexact=name)
            if clash.exclude(pk=cluster.pk).exists():
                raise ServiceError(
                    f"{cluster.programme} already has a cluster called “{name}”.", field="name"
                )
            cluster.name = name

    return audited_update(
        cluster,
        actor=actor,
        changes=changes,
        editable=CLUSTER_EDITABLE_FIELDS,
        what="cluster",
        reason=reason,
        check=check,
    )


@transaction.atomic
def cluster_archive(
    *, actor, cluster: Cluster, on: dt.date | None = None, reason: str = ""
) -> Cluster:
    """Archive instead of delete: current memberships end on ``on`` and the cluster closes."""
    cluster = Cluster.objects.select_for_update().get(pk=cluster.pk)
    if cluster.is_archived:
        raise ServiceError("This cluster is already archived.")
    day = on or timezone.localdate()
    for membership in cluster.memberships.filter(end__isnull=True):
        membership_end(
            actor=actor,
            membership=membership,
            end=max(day, membership.start + dt.timedelta(days=1)),
            reason=reason or "cluster archived",
        )
    cluster.status = Cluster.Status.CLOSED
    audited_archive(cluster, actor, reason)
    return cluster


@transaction.atomic
def cluster_restore(*, actor, cluster: Cluster) -> Cluster:
    cluster = Cluster.objects.select_for_update().get(pk=cluster.pk)
    if not cluster.is_archived:
        raise ServiceError("This cluster is not archived.")
    if (
        Cluster.objects.active()
        .filter(programme=cluster.programme, name__iexact=cluster.name)
        .exists()
    ):
        raise ServiceError(
            f"Another active cluster is now called “{cluster.name}”; rename one first."
        )
    cluster.archived_at = None
    cluster.archived_by = None
    cluster.status = Cluster.Status.ACTIVE
    audited_save(cluster, actor, "restored")
    return cluster


def _overlapping(programme, school, start: dt.date, end: dt.date | None):
    """Memberships of ``school`` in ``programme`` that overlap [start, end)."""
    return ClusterMembership.objects.filter(programme=programme, school=school).overlapping(
        start, end
    )


@transaction.atomic
def membership_add(
    *,
    actor,
    cluster: Cluster,
    school,
    start: dt.date | None = None,
    end: dt.date | None = None,
    note: str = "",
) -> tuple[ClusterMembership, SizeCheck]:
    """Add ``school`` to ``cluster`` from ``start`` (default today).

    A school is in at most one cluster of a programme at any time (across programmes it may
    be in several). The cluster's size is returned as a check to show, never a block.
    """
    start = start or timezone.localdate()
    if end is not None and end <= start:
        raise ServiceError("A membership must end after it starts.", field="end")
    cluster = Cluster.objects.select_for_update().select_related("programme").get(pk=cluster.pk)
    if cluster.is_archived:
        raise ServiceError(f"{cluster} is archived; it takes no new members.")
    clash = _overlapping(cluster.programme, school, start, end).select_related("cluster").first()
    if clash is not None:
        if clash.cluster_id == cluster.pk:
            raise ServiceError(
                f"{school.name} is already a member of {cluster} from {day_text(clash.start)}."
            )
        until = f" to {day_text(clash.end)}" if clash.end else ""
        raise ServiceError(
            f"{school.name} is in {clash.cluster} (same programme, {cluster.programme}) from "
            f"{day_text(clash.start)}{until}; a school can be in only one cluster of a "
            f"programme at a time. Move it instead.",
            field="school",
        )
    membership = ClusterMembership(
        cluster=cluster, programme=cluster.programme, school=school, start=start, end=end, note=note
    )
    try:
        with transaction.atomic():
            audited_save(membership, actor)
    except IntegrityError as exc:  # a concurrent writer won the race
        raise ServiceError(
            f"{school.name} was added to a cluster of this programme meanwhile."
        ) from exc
    return membership, size_check(cluster)


@transaction.atomic
def membership_end(
    *, actor, membership: ClusterMembership, end: dt.date | None = None, reason: str = ""
) -> tuple[ClusterMembership, SizeCheck]:
    membership = ClusterMembership.objects.select_for_update().get(pk=membership.pk)
    end = end or timezone.localdate()
    if membership.end is not None:
        raise ServiceError(f"This membership already ended on {day_text(membership.end)}.")
    if end <= membership.start:
        raise ServiceError(
            f"The end date {day_text(end)} must be after the start date "
            f"{day_text(membership.start)}.",
            field="end",
        )
    membership.end = end
    membership.end_reason = reason
    audited_save(membership, actor, reason)
    return membership, size_check(membership.cluster)


@transaction.atomic
def membership_move(
    *, actor, school, to_cluster: Cluster, on: dt.date | None = None, reason: str = ""
) -> ClusterMembership:
    """Move ``school`` into ``to_cluster`` on ``on``: its membership of another cluster of the
    same programme ends that day and the new one starts, in one transaction."""
    day = on or timezone.localdate()
    current = (
        ClusterMembership.objects.select_for_update()
        .filter(programme=to_cluster.programme, school=school, end__isnull=True)
        .first()
    )
    if current is not None:
        if current.cluster_id == to_cluster.pk:
            raise ServiceError(f"{school.name} is already in {to_cluster}.")
        if day <= current.start:
            raise ServiceError(
                f"{school.name} joined {current.cluster} on {day_text(current.start)}; a move "
                f"must be dated after that."
            )
        membership_end(
            actor=actor, membership=current, end=day, reason=reason or f"moved to {to_cluster}"
        )
    membership, _ = membership_add(
        actor=actor, cluster=to_cluster, school=school, start=day, note=reason
    )
    return membership
