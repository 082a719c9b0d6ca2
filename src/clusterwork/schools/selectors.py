"""Reads of the school directory."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from clusterwork.core.dated import in_force
from clusterwork.people.scopes import scope_for

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
        # A school is in a cluster through the memberships the clusters app attaches to it;
        # only a cluster the user may see filters anything.
        memberships = "cluster_memberships__"
        queryset = queryset.filter(
            in_force(timezone.localdate(), memberships),
            scope_for(user).cluster_filter(f"{memberships}cluster__"),
            **{f"{memberships}cluster_id": cluster},
        )
    return queryset.order_by("name", "urn")


def school_memberships(user, school: School):
    """Every membership of ``school`` in a cluster the user may see, newest first."""
    return list(
        school.cluster_memberships.filter(scope_for(user).cluster_filter("cluster__"))
        .select_related("cluster", "programme")
        .order_by("-start")
    )


def trust_programmes(user, trust: Trust):
    """The programmes ``trust`` runs that the user may see."""
    return list(trust.programmes.filter(scope_for(user).programme_filter()).order_by("name"))


def local_authority_choices() -> QuerySet[LocalAuthority]:
    return LocalAuthority.objects.order_by("name")


def trust_choices() -> QuerySet[Trust]:
    return Trust.objects.filter(archived_at__isnull=True).order_by("name")


def appointable_trusts(user, person=None) -> list[tuple[int, str]]:
    """Trusts the user may appoint people for: a trust admin's own trusts (for a superuser,
    every trust that runs a programme)."""
    from clusterwork.people.models import Role

    scope = scope_for(user)
    if scope.is_superuser:
        trusts = Trust.objects.filter(programmes__isnull=False).distinct()
    else:
        trusts = Trust.objects.filter(id__in=scope.ids("trust", roles=[Role.TRUST_ADMIN]))
    return [(t.pk, t.name) for t in trusts.order_by("name")]


def map_points(schools) -> list[dict]:
    """The schools that have a location, as the map script draws them."""
    return [
        {"name": s.name, "lat": s.latitude, "lng": s.longitude, "url": s.get_absolute_url()}
        for s in schools
        if s.has_location
    ]
