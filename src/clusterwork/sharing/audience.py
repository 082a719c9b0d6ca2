"""Who takes part in a cluster's (or a programme's) sharing, asked of the user's scope.

- **Reading** a cluster's library and threads: whoever sees the cluster (``can_view_cluster``).
- **Contributing** (adding to the library, starting threads, replying): whoever holds a role
  other than viewer for the cluster, its programme or trust, or a school that is a member of
  the cluster today; and whoever may change the cluster.
- **A programme's threads** are for its coordinators: the programme's own role holders (and
  its trust's), and the coordinators and development managers of its clusters. A viewer of
  the programme reads them; a school's staff do not see them.
"""

from __future__ import annotations

from django.db.models import Q

from clusterwork.people.models import Role
from clusterwork.people.scopes import scope_for

CONTRIBUTING = frozenset(Role.values) - {Role.VIEWER}
PROGRAMME_THREAD_ROLES = (Role.CLUSTER_COORDINATOR, Role.DEVELOPMENT_MANAGER)


def _member_school_ids(scope, cluster, roles) -> bool:
    schools = scope.ids("school", roles=roles)
    return bool(schools) and cluster.memberships.current().filter(school_id__in=schools).exists()


def contributes_to_cluster(user, cluster) -> bool:
    scope = scope_for(user)
    if scope.is_anonymous or not scope.can_view_cluster(cluster):
        return False
    if scope.can_change_cluster(cluster):
        return True
    programme = cluster.programme
    if scope.holds(CONTRIBUTING, cluster) or scope.holds(CONTRIBUTING, programme):
        return True
    if programme.trust_id and programme.trust_id in scope.ids("trust", roles=CONTRIBUTING):
        return True
    return _member_school_ids(scope, cluster, CONTRIBUTING)


def _coordinated_programme_ids(scope, roles=PROGRAMME_THREAD_ROLES) -> set[int]:
    from clusterwork.clusters.models import Cluster

    clusters = scope.ids("cluster", roles=roles)
    if not clusters:
        return set()
    return set(Cluster.objects.filter(id__in=clusters).values_list("programme_id", flat=True))


def programme_thread_filter(user, prefix: str = "") -> Q:
    """Programmes whose coordinators' threads ``user`` reads."""
    scope = scope_for(user)
    if scope.is_superuser:
        return Q(**{f"{prefix}pk__isnull": False})
    ids = scope.ids("programme") | _coordinated_programme_ids(scope)
    return Q(**{f"{prefix}id__in": sorted(ids)}) | Q(
        **{f"{prefix}trust_id__in": sorted(scope.ids("trust"))}
    )


def reads_programme_threads(user, programme) -> bool:
    scope = scope_for(user)
    if scope.is_superuser:
        return True
    if scope.is_anonymous:
        return False
    if scope.holds(None, programme) or programme.pk in _coordinated_programme_ids(scope):
        return True
    return programme.trust_id is not None and programme.trust_id in scope.ids("trust")


def contributes_to_programme(user, programme) -> bool:
    scope = scope_for(user)
    if scope.is_superuser or scope.can_change_programme(programme):
        return True
    if scope.is_anonymous:
        return False
    if scope.holds(CONTRIBUTING, programme):
        return True
    if programme.pk in _coordinated_programme_ids(scope):
        return True
    return programme.trust_id is not None and programme.trust_id in scope.ids(
        "trust", roles=CONTRIBUTING
    )


def my_schools(user):
    """The schools for which ``user`` may say "used in my school": those where they hold a
    role other than viewer, and the school they work at."""
    from clusterwork.schools.models import School

    scope = scope_for(user)
    ids = set(scope.ids("school", roles=CONTRIBUTING))
    person = getattr(user, "person", None) if hasattr(user, "person") else None
    if person is not None and person.school_id:
        ids.add(person.school_id)
    return School.objects.filter(pk__in=ids).order_by("name")


def person_of(user):
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return getattr(user, "person", None) if hasattr(user, "person") else None


def school_of(user, cluster=None):
    """The school a contribution is counted for: the person's school if it is a member of
    ``cluster`` (or any), else the first member school they hold a role at."""
    person = person_of(user)
    scope = scope_for(user)
    candidates = []
    if person is not None and person.school_id:
        candidates.append(person.school_id)
    candidates += sorted(scope.ids("school", roles=CONTRIBUTING))
    if not candidates:
        return None
    from clusterwork.schools.models import School

    if cluster is not None:
        members = set(cluster.memberships.current().values_list("school_id", flat=True))
        inside = [pk for pk in candidates if pk in members]
        if not inside:
            return None
        candidates = inside
    return School.objects.filter(pk=candidates[0]).first()
