"""Reads of the school directory."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from .models import LocalAuthority, School, Trust


def schools_visible_to(user) -> QuerySet[School]:
    """The directory is public GIAS data: every signed-in user may search all of it."""
    if user is None or not user.is_authenticated:
        return School.objects.none()
    return School.objects.all()


def trusts_visible_to(user) -> QuerySet[Trust]:
    if user is None or not user.is_authenticated:
        return Trust.objects.none()
    return Trust.objects.filter(archived_at__isnull=True)


def school_list(
    user,
    *,
    search: str = "",
    phase: str = "",
    local_authority: int | None = None,
    trust: int | None = None,
    cluster: int | None = None,
    status: str = "",
) -> QuerySet[School]:
    """Schools matching the filters. ``cluster`` only matches clusters the user may see."""
    queryset = schools_visible_to(user).select_related("local_authority", "trust")
    if search:
        search = search.strip()
        if search.isdigit():
            queryset = queryset.filter(Q(urn=int(search)) | Q(name__icontains=search))
        else:
            queryset = queryset.filter(
                Q(name__icontains=search)
                | Q(town__icontains=search)
                | Q(postcode__istartswith=search)
            )
    if phase:
        queryset = queryset.filter(phase=phase)
    if local_authority:
        queryset = queryset.filter(local_authority_id=local_authority)
    if trust:
        queryset = queryset.filter(trust_id=trust)
    if status == "open":
        queryset = queryset.filter(status__startswith="Open")
    elif status == "closed":
        queryset = queryset.exclude(status__startswith="Open")
    if cluster:
        from clusterwork.clusters.models import ClusterMembership
        from clusterwork.clusters.selectors import clusters_visible_to

        visible = clusters_visible_to(user).filter(pk=cluster).values("pk")
        queryset = queryset.filter(
            pk__in=ClusterMembership.objects.current()
            .filter(cluster_id__in=visible)
            .values("school_id")
        )
    return queryset.order_by("name", "urn")


def local_authority_choices() -> QuerySet[LocalAuthority]:
    return LocalAuthority.objects.order_by("name")


def trust_choices() -> QuerySet[Trust]:
    return Trust.objects.filter(archived_at__isnull=True).order_by("name")
