"""JSON API for people (only those the caller may see), their roles, and the caller."""

from typing import Annotated

from django.db.models import Prefetch, Q
from ninja import FilterLookup, FilterSchema, Query, Router, Schema
from ninja.pagination import paginate

from clusterwork.api.schemas import Pagination, RoleOut, SchoolRef, choice_of, listing, reading

from .access import access_person
from .models import Person, Role, RoleAssignment
from .selectors import people_visible_to

RoleName = choice_of(Role)

router = Router(tags=["people"])
me_router = Router(tags=["people"])


def visible_roles(user):
    """Role assignments whose scope the caller may see.

    A person the caller may see can also hold roles in programmes or clusters the caller may
    not see; listing those would name them, so they are left out. Schools and trusts are the
    public directory and always shown.
    """
    from clusterwork.clusters.selectors import clusters_visible_to, programmes_visible_to

    return RoleAssignment.objects.filter(
        Q(cluster__isnull=True)
        | Q(cluster__in=clusters_visible_to(user, include_archived=True).values("pk")),
        Q(programme__isnull=True) | Q(programme__in=programmes_visible_to(user).values("pk")),
    ).select_related("programme", "trust", "cluster", "school")


class PersonOut(Schema):
    id: int
    full_name: str
    email: str
    job_title: str
    school: SchoolRef | None
    archived: bool
    current_roles: list[RoleOut]

    @staticmethod
    def resolve_archived(obj) -> bool:
        return obj.is_archived


class PersonFilter(FilterSchema):
    q: Annotated[str | None, FilterLookup(["full_name__icontains", "email__icontains"])] = None
    role: RoleName | None = None
    school_urn: Annotated[int | None, FilterLookup("school__urn")] = None

    def filter_role(self, role):
        """People holding ``role`` today."""
        if role is None:
            return Q()
        return Q(id__in=RoleAssignment.objects.current().filter(role=role).values("person_id"))


class MeOut(Schema):
    id: int
    email: str
    full_name: str
    is_superuser: bool
    person: PersonOut | None


def _with_current_roles(queryset, user):
    return queryset.prefetch_related(
        Prefetch(
            "roles",
            queryset=visible_roles(user).current(),
            to_attr="current_roles",
        )
    )


@router.get("", response=listing(PersonOut), summary="List people")
@paginate(Pagination)
def list_people(request, filters: Query[PersonFilter]):
    """People you may see (not archived), with their current roles."""
    queryset = people_visible_to(request.auth).filter(archived_at__isnull=True)
    queryset = _with_current_roles(filters.filter(queryset), request.auth)
    return queryset.order_by("full_name", "id")


@router.get("{int:person_id}", response=reading(PersonOut), summary="Get a person")
def get_person(request, person_id: int):
    person = access_person(request.auth, person_id)
    person.current_roles = list(visible_roles(request.auth).current().filter(person=person))
    return person


@router.get("{int:person_id}/roles", response=reading(list[RoleOut]), summary="A person's roles")
def person_roles(request, person_id: int):
    """All the person's roles you may see, past, present and future, newest first."""
    person = access_person(request.auth, person_id)
    return list(visible_roles(request.auth).filter(person=person).order_by("-start", "role"))


@me_router.get("", response=reading(MeOut), summary="Who am I")
def me(request):
    """The caller: their account, their person record and current roles."""
    user = request.auth
    person = (
        _with_current_roles(Person.objects.select_related("school"), user).filter(user=user).first()
    )
    return {
        "id": user.pk,
        "email": user.email,
        "full_name": user.full_name,
        "is_superuser": user.is_superuser,
        "person": person,
    }
