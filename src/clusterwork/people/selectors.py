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
