"""Reads of programmes, clusters and memberships, always scoped to what the user may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from clusterwork.people.models import Role, RoleAssignment
from clusterwork.people.scopes import scope_for

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


def cluster_list(user, *, programme=None, kind: str = "", search: str = "") -> QuerySet[Cluster]:
    """The clusters list: visible clusters with their current member count."""
    today = timezone.localdate()
    current = Q(memberships__start__lte=today) & (
        Q(memberships__end__isnull=True) | Q(memberships__end__gt=today)
    )
    queryset = clusters_visible_to(user).annotate(member_count=Count("memberships", filter=current))
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


def current_member_schools(cluster: Cluster):
    """The schools in ``cluster`` today, by name (a queryset: filter or choose from it)."""
    from clusterwork.schools.models import School

    return School.objects.filter(pk__in=cluster.memberships.current().values("school_id")).order_by(
        "name"
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


def current_role_holders(*, role: str, **scope) -> list[RoleAssignment]:
    return list(
        RoleAssignment.objects.current()
        .filter(role=role, **scope)
        .select_related("person__school")
        .order_by("person__full_name")
    )


def cluster_coordinators(cluster: Cluster) -> list[RoleAssignment]:
    return current_role_holders(role=Role.CLUSTER_COORDINATOR, cluster=cluster)


def cluster_people(cluster: Cluster) -> list[RoleAssignment]:
    """Current roles held for the cluster and for its member schools."""
    school_ids = [m.school_id for m in cluster_members(cluster)]
    return list(
        RoleAssignment.objects.current()
        .filter(Q(cluster=cluster) | Q(school_id__in=school_ids))
        .select_related("person", "school")
        .order_by("role", "school__name", "person__full_name")
    )


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


def programme_overview(programme: Programme, user) -> list[Cluster]:
    today = timezone.localdate()
    current = Q(memberships__start__lte=today) & (
        Q(memberships__end__isnull=True) | Q(memberships__end__gt=today)
    )
    return list(
        clusters_visible_to(user)
        .filter(programme=programme)
        .annotate(member_count=Count("memberships", filter=current))
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
