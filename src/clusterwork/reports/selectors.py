"""Reads for the dashboards, always through the user's scope: a dashboard never counts a
cluster the user may not see, even on a trust's or a programme's page."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from clusterwork.clusters.models import Cluster, ClusterMembership, Programme
from clusterwork.clusters.selectors import clusters_visible_to, programmes_visible_to
from clusterwork.core.dated import in_force
from clusterwork.people.scopes import scope_for
from clusterwork.schools.models import School, Trust

from .figures import cohort_of


def trusts_visible_to(user) -> QuerySet[Trust]:
    """Trusts whose dashboard the user may open: those they hold a role for."""
    scope = scope_for(user)
    if scope.is_superuser:
        return Trust.objects.filter(programmes__isnull=False).distinct()
    return Trust.objects.filter(pk__in=sorted(scope.ids("trust")))


def dashboard_clusters(user, *, trust=None, programme=None) -> QuerySet[Cluster]:
    """The active clusters of a trust or a programme that the user may see."""
    clusters = clusters_visible_to(user).filter(archived_at__isnull=True)
    if trust is not None:
        clusters = clusters.filter(programme__trust=trust)
    if programme is not None:
        clusters = clusters.filter(programme=programme)
    return clusters.order_by("programme__name", "name", "pk")


def trust_programmes(user, trust) -> QuerySet[Programme]:
    return programmes_visible_to(user).filter(trust=trust, archived_at__isnull=True)


def cohort_years(clusters: QuerySet[Cluster]) -> dict[int, list[int]]:
    """{year of entry: [cluster ids]}, oldest cohort first."""
    cohorts: dict[int, list[int]] = {}
    for pk, started_on, created_at in clusters.values_list("pk", "started_on", "created_at"):
        year = cohort_of(Cluster(pk=pk, started_on=started_on, created_at=created_at))
        cohorts.setdefault(year, []).append(pk)
    return dict(sorted(cohorts.items()))


def cohort_clusters(user, programme, year: int) -> QuerySet[Cluster]:
    clusters = dashboard_clusters(user, programme=programme)
    return clusters.filter(pk__in=cohort_years(clusters).get(year, []))


def visible_memberships_of(user, school) -> QuerySet[ClusterMembership]:
    """The school's memberships (past and present) of clusters the user may see."""
    return ClusterMembership.objects.filter(
        school=school, cluster__in=clusters_visible_to(user).values("pk")
    )


def school_clusters(user, school) -> QuerySet[Cluster]:
    """The clusters the user may see that ``school`` is a member of today."""
    today = timezone.localdate()
    current = visible_memberships_of(user, school).filter(in_force(today))
    return Cluster.objects.filter(pk__in=current.values("cluster_id")).select_related("programme")


def member_schools_with_location(clusters: QuerySet[Cluster]):
    """(cluster id, school) of every member today, for maps."""
    today = timezone.localdate()
    return (
        ClusterMembership.objects.filter(in_force(today), cluster__in=clusters.values("pk"))
        .select_related("school")
        .order_by("cluster_id", "school__name")
    )


def member_points(clusters: QuerySet[Cluster], *, centroids: bool = False):
    """{cluster id: [(easting, northing) | (None, None, lat, lon)…]} of the member schools today
    as plain values; with ``centroids`` one averaged point per cluster, computed in the
    database (for thousands of clusters)."""
    from django.db.models import Avg, Count

    today = timezone.localdate()
    rows = ClusterMembership.objects.filter(in_force(today), cluster__in=clusters.values("pk"))
    if centroids:
        return {
            cid: [(e, n, lat, lon)]
            for cid, e, n, lat, lon, _ in rows.values("cluster_id")
            .annotate(
                e=Avg("school__easting"),
                n=Avg("school__northing"),
                lat=Avg("school__latitude"),
                lon=Avg("school__longitude"),
                k=Count("pk"),
            )
            .values_list("cluster_id", "e", "n", "lat", "lon", "k")
        }
    points: dict[int, list] = {}
    for cid, e, n, lat, lon in rows.values_list(
        "cluster_id", "school__easting", "school__northing", "school__latitude", "school__longitude"
    ):
        points.setdefault(cid, []).append((e, n, lat, lon))
    return points


def school_by_urn(urn) -> School | None:
    try:
        return School.objects.select_related("local_authority", "trust").get(urn=int(urn))
    except (ValueError, TypeError, School.DoesNotExist):
        return None
