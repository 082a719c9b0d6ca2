"""What the home page shows: the user's roles, programmes and clusters, or site counts."""

from django.db.models import Count, Q

from clusterwork.clusters.models import Cluster
from clusterwork.clusters.selectors import (
    cluster_list,
    programmes_visible_to,
)
from clusterwork.people.models import Person, RoleAssignment
from clusterwork.schools.models import School, Trust

HOME_LIST_SIZE = 50


def site_counts(user) -> dict:
    return {
        "schools": School.objects.count(),
        "open_schools": School.objects.filter(status__startswith="Open").count(),
        "trusts": Trust.objects.filter(archived_at__isnull=True).count(),
        "programmes": programmes_visible_to(user).filter(archived_at__isnull=True).count(),
        "clusters": Cluster.objects.filter(archived_at__isnull=True).count(),
        "people": Person.objects.filter(archived_at__isnull=True).count(),
    }


def own_roles(person) -> list[RoleAssignment]:
    if person is None:
        return []
    return list(
        RoleAssignment.objects.current()
        .filter(person=person)
        .select_related("programme", "trust", "cluster", "school")
        .order_by("role")
    )


def own_programmes(user):
    return list(
        programmes_visible_to(user)
        .filter(archived_at__isnull=True)
        .annotate(cluster_count=Count("clusters", filter=Q(clusters__archived_at__isnull=True)))
        .order_by("name")[:HOME_LIST_SIZE]
    )


def own_clusters(user):
    return list(cluster_list(user)[:HOME_LIST_SIZE])
