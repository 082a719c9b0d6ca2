"""Reads of programmes, clusters and memberships, always scoped to what the user may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from clusterwork.core.dated import in_force
from clusterwork.people.models import Person, Role, RoleAssignment
from clusterwork.people.scopes import scope_for
from clusterwork.people.selectors import role_holders
from clusterwork.schools.models import School

from .models import Cluster, ClusterMembership, Programme


def programmes_visible_to(user) -> QuerySet[Programme]:
    scope = scope_for(user)
    if scope.is_anonymous:
        return Programme.objects.none()
    return Programme.objects.filter(scope.programme_filter())


def clusters_visible_to(user, *, include_archived: bool = False) -> QuerySet[Cluster]:
    scope = scope_for(user)
    if scope.is_anonymous:
        return Cluster.objects.none()
    queryset = Cluster.objects.filter(scope.cluster_filter())
    if not include_archived:
        queryset = queryset.filter(archived_at__isnull=True)
    return queryset.select_related("programme", "lead_school")


def memberships_visible_to(user) -> QuerySet[ClusterMembership]:
    scope = scope_for(user)
    if scope.is_anonymous:
        return ClusterMembership.objects.none()
    return ClusterMembership.objects.filter(
        scope.cluster_filter(prefix="cluster__")
    ).select_related("cluster", "school", "programme")


def with_member_count(queryset, on: dt.date | None = None):
    """Clusters with ``member_count``: their member schools on ``on`` (default today)."""
    day = on or timezone.localdate()
    return queryset.annotate(
        member_count=Count("memberships", filter=in_force(day, "memberships__"))
    )


def programme_list(user) -> QuerySet[Programme]:
    """Active programmes the user may see, with their number of active clusters."""
    return (
        programmes_visible_to(user)
        .filter(archived_at__isnull=True)
        .select_related("trust")
        .annotate(cluster_count=Count("clusters", filter=Q(clusters__archived_at__isnull=True)))
        .order_by("name")
    )


def cluster_list(user, *, programme=None, kind: str = "", search: str = "") -> QuerySet[Cluster]:
    """The clusters list: visible clusters with their current member count."""
    queryset = with_member_count(clusters_visible_to(user))
    if programme is not None:
        queryset = queryset.filter(programme=programme)
    if kind:
        queryset = queryset.filter(kind=kind)
    if search:
        queryset = queryset.filter(Q(name__icontains=search) | Q(region__icontains=search))
    return queryset.order_by("programme__name", "name")


def cluster_members(cluster: Cluster, *, on: dt.date | None = None) -> list[ClusterMembership]:
    """Memberships in force on ``on`` (default today), with the school and its LA and trust."""
    day = on or timezone.localdate()
    return list(
        cluster.memberships.on(day)
        .select_related("school__local_authority", "school__trust")
        .order_by("school__name")
    )


def member_schools(cluster: Cluster, *, on: dt.date | None = None) -> QuerySet[School]:
    """The schools in ``cluster`` on ``on`` (default today), by name (a queryset: filter or
    choose from it)."""
    day = on or timezone.localdate()
    return School.objects.filter(pk__in=cluster.memberships.on(day).values("school_id")).order_by(
        "name"
    )


def _audience(cluster, programme, day):
    """The clusters, member schools (on ``day``) and programme role condition of a cluster,
    or of every active cluster of a programme."""
    if cluster is not None:
        clusters, for_programme = [cluster.pk], Q(pk__in=[])
    else:
        clusters, for_programme = programme.clusters.active().values("id"), Q(programme=programme)
    schools = ClusterMembership.objects.on(day).filter(cluster_id__in=clusters).values("school_id")
    return clusters, schools, for_programme


def cluster_roles(
    cluster: Cluster | None = None, *, programme: Programme | None = None, on: dt.date | None = None
) -> QuerySet[RoleAssignment]:
    """The roles held on ``on`` (default today) for the cluster and for its member schools that
    day; with ``programme`` instead, for every active cluster of the programme, their member
    schools and the programme itself."""
    day = on or timezone.localdate()
    clusters, schools, for_programme = _audience(cluster, programme, day)
    return (
        RoleAssignment.objects.on(day)
        .filter(Q(cluster_id__in=clusters) | Q(school_id__in=schools) | for_programme)
        .select_related("person__school", "school")
        .order_by("role", "school__name", "person__full_name")
    )


def cluster_people(
    cluster: Cluster | None = None, *, programme: Programme | None = None, on: dt.date | None = None
) -> QuerySet[Person]:
    """Who is in a cluster on day ``on`` (default today): everyone holding one of its
    ``cluster_roles`` that day, and the staff of its member schools. Archived people are left
    out; people whose role has ended are not in it. With ``programme``: the same across the
    programme's active clusters, with the programme's own role holders."""
    day = on or timezone.localdate()
    _, schools, _ = _audience(cluster, programme, day)
    holders = cluster_roles(cluster, programme=programme, on=day).values("person_id")
    return (
        Person.objects.active()
        .filter(Q(id__in=holders) | Q(school_id__in=schools))
        .select_related("school")
        .order_by("full_name")
    )


def cluster_membership_history(cluster: Cluster) -> list[ClusterMembership]:
    return list(cluster.memberships.select_related("school").order_by("-start", "school__name"))


def cluster_on(school, programme: Programme, day: dt.date) -> Cluster | None:
    """Which cluster of ``programme`` was ``school`` in on ``day``?"""
    membership = (
        ClusterMembership.objects.on(day)
        .filter(school=school, programme=programme)
        .select_related("cluster")
        .first()
    )
    return membership.cluster if membership else None


def school_cluster_history(user, school) -> list[ClusterMembership]:
    """Every membership of ``school`` in clusters the user may see, newest first."""
    return list(memberships_visible_to(user).filter(school=school).order_by("-start"))


def cluster_coordinators(cluster: Cluster) -> list[RoleAssignment]:
    return role_holders(role=Role.CLUSTER_COORDINATOR, cluster=cluster)


def move_targets(user, cluster: Cluster) -> QuerySet[Cluster]:
    """Other active clusters of the same programme that the user may change."""
    return (
        Cluster.objects.active()
        .filter(programme_id=cluster.programme_id)
        .filter(scope_for(user).changeable_cluster_filter())
        .exclude(pk=cluster.pk)
        .order_by("name")
    )


def changeable_clusters(user) -> QuerySet[Cluster]:
    """Active clusters the user may change."""
    scope = scope_for(user)
    if scope.is_anonymous:
        return Cluster.objects.none()
    return (
        Cluster.objects.active()
        .filter(scope.changeable_cluster_filter())
        .select_related("programme")
        .order_by("programme__name", "name")
    )


def changeable_programmes(user) -> QuerySet[Programme]:
    """Active programmes the user may change."""
    scope = scope_for(user)
    if scope.is_anonymous:
        return Programme.objects.none()
    return Programme.objects.active().filter(scope.changeable_programme_filter()).order_by("name")


@dataclass(frozen=True)
class SizeCheck:
    size: int
    minimum: int
    maximum: int

    @property
    def ok(self) -> bool:
        return self.minimum <= self.size <= self.maximum

    @property
    def message(self) -> str:
        if self.size < self.minimum:
            return f"{self.size} member schools: below this programme's minimum of {self.minimum}."
        if self.size > self.maximum:
            return f"{self.size} member schools: above this programme's maximum of {self.maximum}."
        return f"{self.size} member schools, within {self.minimum}–{self.maximum}."


def size_check(cluster: Cluster, *, size: int | None = None) -> SizeCheck:
    if size is None:
        size = cluster.memberships.current().count()
    programme = cluster.programme
    return SizeCheck(size, programme.min_cluster_size, programme.max_cluster_size)


def programme_summary(programme: Programme, user) -> dict:
    """The programme page's figures: its clusters (visible to the user) with their members,
    how many schools in all, and how many clusters are outside the size range."""
    clusters = programme_overview(programme, user)
    low, high = programme.min_cluster_size, programme.max_cluster_size
    return {
        "clusters": clusters,
        "total_members": sum(c.member_count for c in clusters),
        "warning_count": sum(1 for c in clusters if not low <= c.member_count <= high),
    }


def programme_overview(programme: Programme, user) -> list[Cluster]:
    return list(
        with_member_count(clusters_visible_to(user).filter(programme=programme))
        .prefetch_related(
            Prefetch(
                "roles",
                queryset=RoleAssignment.objects.current()
                .filter(role=Role.CLUSTER_COORDINATOR)
                .select_related("person"),
                to_attr="current_coordinators",
            )
        )
        .order_by("name")
    )


# ----- what a user may appoint people for (the role form's picker) ---------------------------

# Above this many schools the picker lists none but the person's own (a national programme's
# thousands of schools make a useless list); the school is then given by URN.
SCHOOL_CHOICES_MAX = 500


def appointable_clusters(user, person=None) -> list[tuple[int, str]]:
    return [(c.pk, f"{c.name} ({c.programme.name})") for c in changeable_clusters(user)]


def appointable_programmes(user, person=None) -> list[tuple[int, str]]:
    return [(p.pk, p.name) for p in changeable_programmes(user)]


def appointable_schools(user, person=None) -> list[tuple[int, str]]:
    """The member schools of the clusters the user may change, ``person``'s own first."""
    members = ClusterMembership.objects.current().filter(
        cluster_id__in=changeable_clusters(user).values("id")
    )
    schools = list(
        School.objects.filter(id__in=members.values("school_id")).order_by("name")[
            : SCHOOL_CHOICES_MAX + 1
        ]
    )
    own_id = person.school_id if person is not None else None
    if len(schools) > SCHOOL_CHOICES_MAX:
        schools = [s for s in schools if s.pk == own_id]
    schools.sort(key=lambda s: s.pk != own_id)  # stable: the rest stay by name
    return [(s.urn, f"{s.name} (URN {s.urn})") for s in schools]


def schools_to_add(cluster: Cluster, query: str, limit: int = 10) -> list[School]:
    """Schools of the directory matching ``query`` (name, or URN), not members today."""
    if len(query) < 2:
        return []
    match = Q(name__icontains=query) | (Q(urn=int(query)) if query.isdigit() else Q(pk__in=[]))
    return list(
        School.objects.filter(match)
        .exclude(pk__in=cluster.memberships.current().values("school_id"))
        .select_related("local_authority")
        .order_by("name")[:limit]
    )
