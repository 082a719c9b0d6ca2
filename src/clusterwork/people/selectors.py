"""Reads of people and roles, scoped to what the user may see."""

from django.db.models import Prefetch, Q, QuerySet

from .models import Person, RoleAssignment
from .scopes import scope_for


def people_visible_to(user) -> QuerySet[Person]:
    scope = scope_for(user)
    if scope.is_anonymous:
        return Person.objects.none()
    return Person.objects.filter(scope.person_filter()).select_related("school")


def person_list(user, *, search: str = "", role: str = "") -> QuerySet[Person]:
    queryset = people_visible_to(user).filter(archived_at__isnull=True)
    if search:
        queryset = queryset.filter(Q(full_name__icontains=search) | Q(email__icontains=search))
    if role:
        queryset = queryset.filter(
            id__in=RoleAssignment.objects.current().filter(role=role).values("person_id")
        )
    return queryset.prefetch_related(
        Prefetch(
            "roles",
            queryset=RoleAssignment.objects.current().select_related(
                "programme", "trust", "cluster", "school"
            ),
            to_attr="current_roles",
        )
    ).order_by("full_name")


def person_roles(person: Person) -> list[RoleAssignment]:
    """All of a person's roles, past and present, newest first."""
    return list(
        person.roles.select_related("programme", "trust", "cluster", "school").order_by("-start")
    )


def school_people(user, school) -> list[RoleAssignment]:
    """Current roles held at ``school`` by people the user may see."""
    visible = people_visible_to(user).values("id")
    return list(
        RoleAssignment.objects.current()
        .filter(school=school, person_id__in=visible)
        .select_related("person")
        .order_by("role", "person__full_name")
    )


# Above this many schools the picker lists none (a national programme's thousands of schools
# make a useless list); the school is then given by URN.
SCHOOL_CHOICES_MAX = 500


def appointable_scopes(user, person: Person | None = None) -> list[tuple[str, list]]:
    """What ``user`` may appoint people for, as grouped choices ``(group, [(value, label)])``
    with values ``"cluster:<id>"``, ``"programme:<id>"``, ``"trust:<id>"``, ``"school:<URN>"``:
    the same sets the role views check (people.views._may_change_scope). The person's own
    school comes first among the schools."""
    from clusterwork.clusters.models import Cluster, ClusterMembership, Programme
    from clusterwork.schools.models import School, Trust

    scope = scope_for(user)
    if scope.is_anonymous:
        return []
    programmes = Programme.objects.active()
    trusts = Trust.objects.filter(id__in=scope.trusts_admin)
    if scope.is_superuser:
        trusts = Trust.objects.filter(programmes__isnull=False).distinct()
    else:
        programmes = programmes.filter(
            Q(id__in=scope.programmes_admin) | Q(trust_id__in=scope.trusts_admin)
        )
    clusters = Cluster.objects.active().select_related("programme")
    if not scope.is_superuser:
        clusters = clusters.filter(
            Q(id__in=scope.clusters_write) | Q(programme__in=programmes.values("id"))
        )
    school_ids = ClusterMembership.objects.current().filter(cluster_id__in=clusters.values("id"))
    schools = list(
        School.objects.filter(id__in=school_ids.values("school_id")).order_by("name")[
            : SCHOOL_CHOICES_MAX + 1
        ]
    )
    if len(schools) > SCHOOL_CHOICES_MAX:
        schools = [s for s in schools if person is not None and s.pk == person.school_id]
    own = [s for s in schools if person is not None and s.pk == person.school_id]
    schools = own + [s for s in schools if s not in own]
    groups = [
        ("Schools", [(f"school:{s.urn}", f"{s.name} (URN {s.urn})") for s in schools]),
        (
            "Clusters",
            [
                (f"cluster:{c.pk}", f"{c.name} ({c.programme.name})")
                for c in clusters.order_by("programme__name", "name")
            ],
        ),
        ("Programmes", [(f"programme:{p.pk}", p.name) for p in programmes.order_by("name")]),
        ("Trusts", [(f"trust:{t.pk}", t.name) for t in trusts.order_by("name")]),
    ]
    return [(label, options) for label, options in groups if options]
