"""What a signed-in user may see and change, derived from their current role assignments.

One ``UserScope`` is computed per user per request (one query) and answers both kinds of
question the product asks: "may this user see/change this object?" (used by the ``rules``
predicates and the access helpers) and "which rows may this user see?" (``Q`` filters used by
every selector). Keeping both in one place is what stops list pages and detail pages from
disagreeing.

The school and trust *directory* (public GIAS data, Open Government Licence) is readable by any
signed-in user; everything the product adds to it — clusters, memberships, people, roles —
is scoped.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field

from django.db.models import Q

from .models import Role

READ_ONLY_ROLES = {Role.VIEWER}


@dataclass
class UserScope:
    user_id: int | None
    is_superuser: bool = False
    person_id: int | None = None
    programmes_admin: set[int] = field(default_factory=set)
    programmes_read: set[int] = field(default_factory=set)
    trusts_admin: set[int] = field(default_factory=set)
    trusts_read: set[int] = field(default_factory=set)
    clusters_write: set[int] = field(default_factory=set)
    clusters_read: set[int] = field(default_factory=set)
    schools_read: set[int] = field(default_factory=set)

    @property
    def is_anonymous(self) -> bool:
        return self.user_id is None

    @property
    def has_any_role(self) -> bool:
        return self.is_superuser or bool(
            self.programmes_read or self.trusts_read or self.clusters_read or self.schools_read
        )

    # ----- row filters (for selectors) ---------------------------------------------------

    def programme_filter(self) -> Q:
        if self.is_superuser:
            return Q()
        from clusterwork.clusters.models import Cluster, ClusterMembership

        member_of = (
            ClusterMembership.objects.current()
            .filter(school_id__in=self.schools_read)
            .values("cluster_id")
        )
        via_clusters = Cluster.objects.filter(
            Q(id__in=self.clusters_read) | Q(id__in=member_of)
        ).values("programme_id")
        return (
            Q(id__in=self.programmes_read)
            | Q(trust_id__in=self.trusts_read)
            | Q(id__in=via_clusters)
        )

    def cluster_filter(self, prefix: str = "") -> Q:
        if self.is_superuser:
            return Q()
        from clusterwork.clusters.models import ClusterMembership

        member_of = (
            ClusterMembership.objects.current()
            .filter(school_id__in=self.schools_read)
            .values("cluster_id")
        )
        return (
            Q(**{f"{prefix}programme_id__in": self.programmes_read})
            | Q(**{f"{prefix}programme__trust_id__in": self.trusts_read})
            | Q(**{f"{prefix}id__in": self.clusters_read})
            | Q(**{f"{prefix}id__in": member_of})
        )

    def person_filter(self) -> Q:
        """People the user may see: themselves and anyone holding (or who held) a role, or
        working at a school, inside what the user can see."""
        if self.is_superuser:
            return Q()
        from clusterwork.clusters.models import Cluster, ClusterMembership, Programme

        clusters = Cluster.objects.filter(self.cluster_filter()).values("id")
        programmes = Programme.objects.filter(self.programme_filter()).values("id")
        schools = (
            ClusterMembership.objects.current().filter(cluster_id__in=clusters).values("school_id")
        )
        from .models import RoleAssignment

        role_holders = RoleAssignment.objects.filter(
            Q(cluster_id__in=clusters)
            | Q(programme_id__in=programmes)
            | Q(trust_id__in=self.trusts_read)
            | Q(school_id__in=schools)
            | Q(school_id__in=self.schools_read)
        ).values("person_id")
        mine = Q(id=self.person_id) if self.person_id else Q(pk__in=[])
        return (
            mine
            | Q(id__in=role_holders)
            | Q(school_id__in=schools)
            | Q(school_id__in=self.schools_read)
        )

    # ----- single-object checks (for rules predicates) -----------------------------------

    def can_view_programme(self, programme) -> bool:
        if self.is_superuser or programme.id in self.programmes_read:
            return True
        if programme.trust_id and programme.trust_id in self.trusts_read:
            return True
        from clusterwork.clusters.models import Programme

        return Programme.objects.filter(self.programme_filter(), pk=programme.pk).exists()

    def can_change_programme(self, programme) -> bool:
        return (
            self.is_superuser
            or programme.id in self.programmes_admin
            or (programme.trust_id is not None and programme.trust_id in self.trusts_admin)
        )

    def can_view_cluster(self, cluster) -> bool:
        if self.is_superuser or cluster.id in self.clusters_read:
            return True
        if cluster.programme_id in self.programmes_read:
            return True
        if self.trusts_read and cluster.programme.trust_id in self.trusts_read:
            return True
        if not self.schools_read:
            return False
        return cluster.memberships.current().filter(school_id__in=self.schools_read).exists()

    def can_change_cluster(self, cluster) -> bool:
        if self.is_superuser or cluster.id in self.clusters_write:
            return True
        return self.can_change_programme(cluster.programme)

    def can_view_person(self, person) -> bool:
        if self.is_superuser or (self.person_id and person.id == self.person_id):
            return True
        from .models import Person

        return Person.objects.filter(self.person_filter(), pk=person.pk).exists()

    def can_change_person(self, person) -> bool:
        if self.is_superuser or (self.person_id and person.id == self.person_id):
            return True
        if not self.can_view_person(person):
            return False
        for role in person.roles.current().select_related("cluster__programme", "programme"):
            if role.cluster_id and self.can_change_cluster(role.cluster):
                return True
            if role.programme_id and self.can_change_programme(role.programme):
                return True
            if role.trust_id and role.trust_id in self.trusts_admin:
                return True
        return False

    def can_change_trust(self, trust) -> bool:
        return self.is_superuser or trust.id in self.trusts_admin


def build_scope(user) -> UserScope:
    if user is None or not user.is_authenticated:
        return UserScope(user_id=None)
    if user.is_superuser:
        return UserScope(user_id=user.pk, is_superuser=True)
    from .models import RoleAssignment

    scope = UserScope(user_id=user.pk)
    person = getattr(user, "person", None) if hasattr(user, "person") else None
    if person is None or person.is_archived:
        return scope
    scope.person_id = person.pk
    for role, programme_id, trust_id, cluster_id, school_id in (
        RoleAssignment.objects.current()
        .filter(person=person)
        .values_list("role", "programme_id", "trust_id", "cluster_id", "school_id")
    ):
        writes = role not in READ_ONLY_ROLES
        if programme_id:
            scope.programmes_read.add(programme_id)
            if role == Role.PROGRAMME_ADMIN:
                scope.programmes_admin.add(programme_id)
        elif trust_id:
            scope.trusts_read.add(trust_id)
            if role == Role.TRUST_ADMIN:
                scope.trusts_admin.add(trust_id)
        elif cluster_id:
            scope.clusters_read.add(cluster_id)
            if writes and role == Role.CLUSTER_COORDINATOR:
                scope.clusters_write.add(cluster_id)
        elif school_id:
            scope.schools_read.add(school_id)
    return scope


def scope_for(user) -> UserScope:
    """The user's scope, computed once and kept on the user object for this request."""
    if user is None:
        return UserScope(user_id=None)
    cached = getattr(user, "_clusterwork_scope", None)
    if cached is None:
        cached = build_scope(user)
        # AnonymousUser may refuse new attributes; then the scope is simply recomputed.
        with contextlib.suppress(AttributeError):
            user._clusterwork_scope = cached
    return cached


def forget_scope(user) -> None:
    """Drop the cached scope (after a role change within the same request or test)."""
    if hasattr(user, "_clusterwork_scope"):
        del user._clusterwork_scope
