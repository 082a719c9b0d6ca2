"""Reads for cluster formation: runs the user may see, the schools a selection names, and the
what-if view of a programme's clusters with pending changes applied."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from clusterwork.clusters.models import Cluster, ClusterMembership
from clusterwork.clusters.selectors import SizeCheck, programmes_visible_to
from clusterwork.core.errors import ServiceError
from clusterwork.people.scopes import scope_for
from clusterwork.schools.models import LocalAuthority, School, Trust

from .models import FormationRun
from .proposal import mean_km
from .sites import Site, site_for_school


def runs_visible_to(user) -> QuerySet[FormationRun]:
    scope = scope_for(user)
    if scope.is_anonymous:
        return FormationRun.objects.none()
    queryset = FormationRun.objects.select_related("programme", "trust", "started_by")
    if scope.is_superuser:
        return queryset
    return queryset.filter(
        Q(programme__in=programmes_visible_to(user))
        | Q(programme__isnull=True, trust_id__in=scope.ids("trust"))
    )


def programme_runs(user, programme) -> list[FormationRun]:
    return list(runs_visible_to(user).filter(programme=programme)[:50])


def find_trust(value: str) -> Trust:
    value = str(value).strip()
    queryset = Trust.objects.filter(archived_at__isnull=True)
    if value.isdigit():
        trust = queryset.filter(Q(pk=int(value)) | Q(gias_code=value)).first()
    else:
        matches = list(queryset.filter(name__iexact=value)[:2])
        trust = matches[0] if len(matches) == 1 else None
    if trust is None:
        raise ServiceError(f"No trust called or numbered “{value}”.", field="trust")
    return trust


def find_local_authority(value: str) -> LocalAuthority:
    value = str(value).strip()
    la = LocalAuthority.objects.filter(Q(name__iexact=value) | Q(code=value)).first()
    if la is None:
        raise ServiceError(f"No local authority called “{value}”.", field="la")
    return la


def schools_for_selection(
    *, programme=None, programme_members: bool = False, trust=None, la=None, urns=()
) -> list[School]:
    """The schools a selection names: current members of ``programme``'s clusters, the open
    schools of a trust or local authority, and any URNs. Unknown URNs are refused."""
    found: dict[int, School] = {}
    base = School.objects.select_related("trust", "local_authority")
    if programme_members:
        if programme is None:
            raise ServiceError("Choose a programme to take its cluster members.")
        members = ClusterMembership.objects.current().filter(
            programme=programme, cluster__archived_at__isnull=True
        )
        for school in base.filter(pk__in=members.values("school_id")):
            found[school.pk] = school
    if trust is not None:
        for school in base.filter(trust=trust, status__startswith="Open"):
            found[school.pk] = school
    if la is not None:
        for school in base.filter(local_authority=la, status__startswith="Open"):
            found[school.pk] = school
    urns = [int(u) for u in urns]
    if urns:
        by_urn = {s.urn: s for s in base.filter(urn__in=urns)}
        missing = [u for u in urns if u not in by_urn]
        if missing:
            raise ServiceError(
                f"{len(missing)} URN(s) are not in the school directory: "
                f"{', '.join(map(str, missing[:10]))}.",
                field="urns",
            )
        for school in by_urn.values():
            found[school.pk] = school
    return sorted(found.values(), key=lambda s: s.urn)


def parse_urns(text: str) -> list[int]:
    parts = [p for p in text.replace("\n", ",").replace(" ", ",").split(",") if p.strip()]
    bad = [p for p in parts if not p.strip().isdigit()]
    if bad:
        raise ServiceError(f"These are not URNs: {', '.join(bad[:10])}.", field="urns")
    urns = [int(p) for p in parts]
    repeated = sorted({u for u in urns if urns.count(u) > 1})
    if repeated:
        raise ServiceError(
            f"URN listed more than once: {', '.join(map(str, repeated))}.", field="urns"
        )
    return urns


# ----- what-if ------------------------------------------------------------------------------


@dataclass
class WhatIfCluster:
    cluster: Cluster
    rows: list[tuple[Site, float, bool]] = field(default_factory=list)  # site, km, changed
    hub: Site | None = None
    size_check: SizeCheck | None = None
    before_size: int = 0
    before_mean_km: float = 0.0
    before_max_km: float = 0.0

    @property
    def size(self) -> int:
        return len(self.rows)

    @property
    def mean_km(self) -> float:
        return sum(km for _, km, _ in self.rows) / len(self.rows) if self.rows else 0.0

    @property
    def max_km(self) -> float:
        return max((km for _, km, _ in self.rows), default=0.0)


def _hub_and_distances(sites: list[Site], lead_urn):
    """The lead school is the hub when it is a member; otherwise the member closest in total
    to the others (the medoid), as the engine would choose."""
    if not sites:
        return None, []
    hub = next((s for s in sites if s.urn == lead_urn), None)
    if hub is None:
        hub = min(
            sites,
            key=lambda h: sum(
                math.hypot(s.easting - h.easting, s.northing - h.northing) for s in sites
            ),
        )
    return hub, [
        math.hypot(s.easting - hub.easting, s.northing - hub.northing) / 1000 for s in sites
    ]


def whatif_view(programme, user, changes: list[tuple[School, Cluster]]):
    """The programme's clusters today and with ``changes`` (school → cluster) applied."""
    clusters = list(
        Cluster.objects.active()
        .filter(programme=programme)
        .select_related("lead_school")
        .order_by("name")
    )
    memberships = list(
        ClusterMembership.objects.current()
        .filter(programme=programme, cluster__in=clusters)
        .select_related("school__trust", "cluster")
    )
    located: dict[int, Site] = {}
    before: dict[int, list[Site]] = {c.pk: [] for c in clusters}
    after: dict[int, list[Site]] = {c.pk: [] for c in clusters}
    unlocated = []
    for m in memberships:
        try:
            site = site_for_school(m.school, membership=m)
        except ServiceError:
            unlocated.append(m.school)
            continue
        located[m.school_id] = site
        before[m.cluster_id].append(site)
    moved = {school.pk: cluster.pk for school, cluster in changes}
    for m in memberships:
        site = located.get(m.school_id)
        if site is not None and m.school_id not in moved:
            after[m.cluster_id].append(site)
    changed_urns = set()
    for school, cluster in changes:
        site = located.get(school.pk) or site_for_school(school)
        after[cluster.pk].append(site)
        changed_urns.add(school.urn)
    result = []
    for cluster in clusters:
        lead = cluster.lead_school.urn if cluster.lead_school_id else None
        hub_before, d_before = _hub_and_distances(before[cluster.pk], lead)
        hub, distances = _hub_and_distances(after[cluster.pk], lead)
        view = WhatIfCluster(
            cluster=cluster,
            rows=sorted(
                (
                    (s, km, s.urn in changed_urns)
                    for s, km in zip(after[cluster.pk], distances, strict=True)
                ),
                key=lambda r: r[0].name,
            ),
            hub=hub,
            size_check=SizeCheck(
                len(after[cluster.pk]), programme.min_cluster_size, programme.max_cluster_size
            ),
            before_size=len(before[cluster.pk]),
            before_mean_km=mean_km(d_before),
            before_max_km=max(d_before, default=0.0),
        )
        result.append(view)
    return result, unlocated
