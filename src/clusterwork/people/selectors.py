"""Reads of people and roles, scoped to what the user may see."""

from django.db.models import Prefetch, Q, QuerySet

from .models import Person, RoleAssignment
from .scopes import scope_for

ROLE_SCOPE_RELATIONS = ("programme", "trust", "cluster", "school")


def people_visible_to(user) -> QuerySet[Person]:
    scope = scope_for(user)
    if scope.is_anonymous:
        return Person.objects.none()
    return Person.objects.filter(scope.person_filter()).select_related("school")


def roles_visible_to(user) -> QuerySet[RoleAssignment]:
    """Role assignments whose scope the user may see.

    A person the user may see can also hold roles in programmes or clusters the user may not
    see; listing those would name them, so they are left out. Schools and trusts are the
    public directory and always shown.
    """
    scope = scope_for(user)
    if scope.is_anonymous:
        return RoleAssignment.objects.none()
    return RoleAssignment.objects.filter(
        Q(cluster__isnull=True) | scope.cluster_filter("cluster__"),
        Q(programme__isnull=True) | scope.programme_filter("programme__"),
    ).select_related(*ROLE_SCOPE_RELATIONS)


def person_list(user, *, search: str = "", role: str = "") -> QuerySet[Person]:
    queryset = people_visible_to(user).filter(archived_at__isnull=True)
    if search:
        queryset = queryset.filter(Q(full_name__icontains=search) | Q(email__icontains=search))
    if role:
        queryset = queryset.filter(
            id__in=RoleAssignment.objects.current().filter(role=role).values("person_id")
        )
    return with_current_roles(queryset, user).order_by("full_name")


def with_current_roles(queryset, user):
    """People with ``current_roles``: the roles they hold today that ``user`` may see."""
    return queryset.prefetch_related(
        Prefetch("roles", queryset=roles_visible_to(user).current(), to_attr="current_roles")
    )


def person_roles(user, person: Person) -> list[RoleAssignment]:
    """The person's roles that ``user`` may see, past and present, newest first."""
    return list(roles_visible_to(user).filter(person=person).order_by("-start", "role"))


def school_people(user, school) -> list[RoleAssignment]:
    """Current roles held at ``school`` by people the user may see."""
    visible = people_visible_to(user).values("id")
    return list(
        RoleAssignment.objects.current()
        .filter(school=school, person_id__in=visible)
        .select_related("person")
        .order_by("role", "person__full_name")
    )


def role_holders(*, role: str, on=None, **scope) -> list[RoleAssignment]:
    """Who holds ``role`` for the given scope (``cluster=…``, ``school=…``) on ``on``."""
    return list(
        RoleAssignment.objects.current(on)
        .filter(role=role, **scope)
        .select_related("person__school")
        .order_by("person__full_name")
    )


def personal_data_requests(user, *, kind: str = "") -> QuerySet:
    from django.db.models import Q

    from .models import PersonalDataRequest

    rows = PersonalDataRequest.objects.select_related("person", "requested_by")
    if not user.is_superuser:
        mine = Q(requested_by=user)
        if getattr(user, "person", None) is not None:
            mine |= Q(person=user.person)
        rows = rows.filter(mine)
    if kind:
        rows = rows.filter(kind=kind)
    return rows.order_by("-requested_at", "-id")


def home_oversight(request, user) -> dict | None:
    """The home page's "Oversight" panel for trust and programme admins and superusers: the
    audit trail and the personal data requests."""
    from .audit import audit_scope

    if not audit_scope(user).any:
        return None
    return {"is_dpo": user.is_superuser}
