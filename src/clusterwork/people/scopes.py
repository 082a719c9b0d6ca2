"""Who may see and change what: the one role-aware permission model.

A ``UserScope`` is built once per request from the user's role assignments (all of them,
past and future: a person holds few) and answers three kinds of question:

- **roles on a day** — ``holds(roles, obj, on=day)``, ``roles_for(obj, on=day)`` and
  ``ids(kind, roles=…, on=day)``: "is she the chair of governors of this school?", "did he
  coordinate this cluster on 1 March?", "which schools does she lead as headteacher?". Apps
  build their own permissions from these (the chair votes; the lead school's headteacher
  approves claims);
- **may this user …** (today) — ``can_view_cluster``, ``can_change_programme``, … used by the
  ``rules`` predicates of every app and by the access helpers;
- **which rows** (today) — ``Q`` filters for the selectors (``cluster_filter`` …), so lists and
  detail pages agree.

How roles reach objects:

- held for a **programme**: sees it, its clusters, their memberships and people; a
  programme admin changes all of those;
- held for a **trust**: sees the programmes the trust runs, and all of the above for them; a
  trust admin changes them, and the trust's record;
- held for a **cluster**: sees it, its programme (to read), its members and their people; a
  cluster coordinator changes it;
- held for a **school**: sees the clusters the school is a member of that day, and their
  programmes; changes nothing.

A viewer reads at any scope. The school directory (public GIAS data) is open to every
signed-in user; everything Clusterwork adds to it is scoped here. No module outside
``people`` reads a scope's insides: they ask it these questions.

The scope knows the shapes of the four kinds of object a role is held for (a cluster belongs
to a programme, a programme may be run by a trust, a school is a member of clusters), and
follows them through the ORM relations of ``RoleAssignment`` and ``Person``: it imports no
other app, so every app may import it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Q
from django.utils import timezone

from clusterwork.core.dated import in_force

from .models import SCOPE_FIELDS, Role

# The roles that change what they are held for (everyone else reads).
CHANGING_ROLES: dict[str, str] = {
    Role.PROGRAMME_ADMIN: "programme",
    Role.TRUST_ADMIN: "trust",
    Role.CLUSTER_COORDINATOR: "cluster",
}
ALL_ROLES = frozenset(Role.values)


@dataclass(frozen=True)
class Holding:
    """One role assignment as the scope keeps it."""

    role: str
    kind: str  # "programme" | "trust" | "cluster" | "school"
    object_id: int
    start: dt.date
    end: dt.date | None
    # A cluster's programme, so "which programmes do my clusters belong to" needs no query.
    programme_id: int | None = None

    def in_force(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or self.end > day)


def _kind_of(obj) -> str:
    kind = obj._meta.model_name
    if kind not in SCOPE_FIELDS:
        raise TypeError(f"A role is held for a programme, trust, cluster or school, not a {kind}.")
    return kind


def _roles(roles) -> frozenset[str]:
    if roles is None:
        return ALL_ROLES
    if isinstance(roles, str):
        return frozenset([roles])
    return frozenset(roles)


def _everything(prefix: str) -> Q:
    # Not Q(): an empty Q vanishes when OR-ed with another (Q(a) | Q() is Q(a)).
    return Q(**{f"{prefix}pk__isnull": False})


def _ids_q(field_name: str, ids: Iterable[int]) -> Q:
    ids = sorted(ids)
    return Q(**{f"{field_name}__in": ids}) if ids else Q(pk__in=[])


def _programmes_q(prefix: str, programmes, trusts) -> Q:
    """Programmes by id, or run by one of the trusts."""
    return _ids_q(f"{prefix}id", programmes) | _ids_q(f"{prefix}trust_id", trusts)


def _clusters_q(prefix: str, clusters, programmes, trusts) -> Q:
    """Clusters by id, or in one of the programmes, or in a programme one of the trusts runs."""
    return (
        _ids_q(f"{prefix}id", clusters)
        | _ids_q(f"{prefix}programme_id", programmes)
        | _ids_q(f"{prefix}programme__trust_id", trusts)
    )


@dataclass
class UserScope:
    user_id: int | None
    is_superuser: bool = False
    person_id: int | None = None
    holdings: tuple[Holding, ...] = ()
    today: dt.date = field(default_factory=timezone.localdate)

    @property
    def is_anonymous(self) -> bool:
        return self.user_id is None

    @property
    def has_any_role(self) -> bool:
        return self.is_superuser or any(h.in_force(self.today) for h in self.holdings)

    # ----- roles on a day ----------------------------------------------------------------

    def _held(self, roles=None, on=None):
        wanted, day = _roles(roles), on or self.today
        return (h for h in self.holdings if h.role in wanted and h.in_force(day))

    def holds(self, roles, obj=None, *, on: dt.date | None = None) -> bool:
        """Does the user hold ``roles`` (one role or several) for ``obj`` (a programme,
        trust, cluster or school; None: for anything) on ``on`` (default today)?"""
        if obj is None:
            return any(True for _ in self._held(roles, on))
        kind = _kind_of(obj)
        return any(h.kind == kind and h.object_id == obj.pk for h in self._held(roles, on))

    def roles_for(self, obj, *, on: dt.date | None = None) -> set[str]:
        """The roles the user holds for ``obj`` itself on ``on`` (not reached through others)."""
        kind = _kind_of(obj)
        return {h.role for h in self._held(None, on) if h.kind == kind and h.object_id == obj.pk}

    def ids(self, kind: str, *, roles=None, on: dt.date | None = None) -> frozenset[int]:
        """Ids of the ``kind`` objects for which the user holds ``roles`` on ``on``."""
        return frozenset(h.object_id for h in self._held(roles, on) if h.kind == kind)

    # ----- reach today ---------------------------------------------------------------------

    def _changing(self, kind: str) -> frozenset[int]:
        roles = [role for role, held_for in CHANGING_ROLES.items() if held_for == kind]
        return self.ids(kind, roles=roles)

    @cached_property
    def _member_clusters(self) -> tuple[frozenset[int], frozenset[int]]:
        """(cluster ids, their programme ids) of the clusters the user's schools are members
        of today: one query, asked the first time a question needs it."""
        school_ids = self.ids("school")
        if not school_ids:
            return frozenset(), frozenset()
        from .models import RoleAssignment

        rows = (
            RoleAssignment.objects.filter(school_id__in=school_ids)
            .filter(in_force(self.today, "school__cluster_memberships__"))
            .values_list(
                "school__cluster_memberships__cluster_id",
                "school__cluster_memberships__programme_id",
            )
            .distinct()
        )
        rows = list(rows)
        return frozenset(c for c, _ in rows), frozenset(p for _, p in rows)

    @property
    def _cluster_ids(self) -> frozenset[int]:
        return self.ids("cluster") | self._member_clusters[0]

    @property
    def _programme_ids(self) -> frozenset[int]:
        """Programmes seen directly or through one of the user's clusters."""
        through_clusters = {
            h.programme_id for h in self._held() if h.kind == "cluster" and h.programme_id
        }
        return self.ids("programme") | through_clusters | self._member_clusters[1]

    # ----- row filters (for selectors) -----------------------------------------------------

    def programme_filter(self, prefix: str = "") -> Q:
        if self.is_superuser:
            return _everything(prefix)
        return _programmes_q(prefix, self._programme_ids, self.ids("trust"))

    def cluster_filter(self, prefix: str = "") -> Q:
        if self.is_superuser:
            return _everything(prefix)
        return _clusters_q(prefix, self._cluster_ids, self.ids("programme"), self.ids("trust"))

    def changeable_programme_filter(self, prefix: str = "") -> Q:
        if self.is_superuser:
            return _everything(prefix)
        return _programmes_q(prefix, self._changing("programme"), self._changing("trust"))

    def changeable_cluster_filter(self, prefix: str = "") -> Q:
        if self.is_superuser:
            return _everything(prefix)
        changing = self._changing
        return _clusters_q(prefix, changing("cluster"), changing("programme"), changing("trust"))

    def person_filter(self) -> Q:
        """People the user may see: themselves, anyone who holds (or held) a role for
        something the user sees, and the staff of the schools in the clusters they see."""
        if self.is_superuser:
            return _everything("")
        from .models import Person, RoleAssignment

        def at_visible_member_school(prefix: str) -> Q:
            memberships = f"{prefix}school__cluster_memberships__"
            return in_force(self.today, memberships) & self.cluster_filter(
                f"{memberships}cluster__"
            )

        my_schools = _ids_q("school_id", self.ids("school"))
        holders = RoleAssignment.objects.filter(
            (Q(cluster__isnull=False) & self.cluster_filter("cluster__"))
            | (Q(programme__isnull=False) & self.programme_filter("programme__"))
            | _ids_q("trust_id", self.ids("trust"))
            | my_schools
            | at_visible_member_school("")
        ).values("person_id")
        staff = Person.objects.filter(my_schools | at_visible_member_school("")).values("id")
        mine = Q(id=self.person_id) if self.person_id else Q(pk__in=[])
        return mine | Q(id__in=holders) | Q(id__in=staff)

    # ----- single-object checks (for rules predicates) ---------------------------------------

    def can_view_programme(self, programme) -> bool:
        return (
            self.is_superuser
            or programme.id in self._programme_ids
            or (programme.trust_id is not None and programme.trust_id in self.ids("trust"))
        )

    def can_change_programme(self, programme) -> bool:
        return (
            self.is_superuser
            or programme.id in self._changing("programme")
            or (programme.trust_id is not None and programme.trust_id in self._changing("trust"))
        )

    def can_view_cluster(self, cluster) -> bool:
        if self.is_superuser or cluster.id in self.ids("cluster"):
            return True
        if cluster.programme_id in self.ids("programme"):
            return True
        trusts = self.ids("trust")
        if trusts and cluster.programme.trust_id in trusts:
            return True
        return cluster.id in self._member_clusters[0]

    def can_change_cluster(self, cluster) -> bool:
        if self.is_superuser or cluster.id in self._changing("cluster"):
            return True
        return self.can_change_programme(cluster.programme)

    def can_view_person(self, person) -> bool:
        if self.is_superuser or (self.person_id and person.id == self.person_id):
            return True
        from .models import Person

        return Person.objects.filter(self.person_filter(), pk=person.pk).exists()

    def can_change_person(self, person) -> bool:
        """Everyone may change their own record; otherwise whoever may appoint for something
        the person holds a role for today, or change a cluster their school is in today."""
        if self.is_superuser or (self.person_id and person.id == self.person_id):
            return True
        if not self.can_view_person(person):
            return False
        roles = person.roles.filter(in_force(self.today)).select_related(
            "cluster__programme", "programme", "trust", "school"
        )
        if any(self.can_appoint_for(role.scope) for role in roles):
            return True
        return person.school_id is not None and self.can_appoint_for(person.school)

    def can_change_trust(self, trust) -> bool:
        return self.is_superuser or trust.id in self._changing("trust")

    def can_appoint_for(self, obj) -> bool:
        """May the user give (or end) roles for ``obj``? For a school: when they may change
        a cluster the school is a member of today."""
        kind = _kind_of(obj)
        if kind == "cluster":
            return self.can_change_cluster(obj)
        if kind == "programme":
            return self.can_change_programme(obj)
        if kind == "trust":
            return self.can_change_trust(obj)
        if self.is_superuser:
            return True
        clusters = obj.cluster_memberships.filter(in_force(self.today)).select_related(
            "cluster__programme"
        )
        return any(self.can_change_cluster(m.cluster) for m in clusters)


def build_scope(user) -> UserScope:
    if user is None or not user.is_authenticated:
        return UserScope(user_id=None)
    if user.is_superuser:
        return UserScope(user_id=user.pk, is_superuser=True)
    from .models import RoleAssignment

    person = getattr(user, "person", None) if hasattr(user, "person") else None
    if person is None or person.is_archived:
        return UserScope(user_id=user.pk)
    holdings = []
    for (
        role,
        start,
        end,
        programme_id,
        trust_id,
        cluster_id,
        school_id,
        cluster_programme,
    ) in RoleAssignment.objects.filter(person=person).values_list(
        "role",
        "start",
        "end",
        "programme_id",
        "trust_id",
        "cluster_id",
        "school_id",
        "cluster__programme_id",
    ):
        kind, object_id = next(
            (name, value)
            for name, value in zip(
                SCOPE_FIELDS, (programme_id, trust_id, cluster_id, school_id), strict=True
            )
            if value
        )
        holdings.append(Holding(role, kind, object_id, start, end, cluster_programme))
    return UserScope(user_id=user.pk, person_id=person.pk, holdings=tuple(holdings))


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
