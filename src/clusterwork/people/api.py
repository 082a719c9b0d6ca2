"""JSON API for people (only those the caller may see), their roles, and the caller."""

import datetime as dt
from typing import Annotated

from django.db.models import Q
from ninja import FilterLookup, FilterSchema, Query, Router, Schema
from ninja.pagination import paginate

from clusterwork.core.schemas import (
    Pagination,
    SchoolRef,
    choice_of,
    is_archived,
    listing,
    reading,
)

from .access import access_person
from .models import Person, Role, RoleAssignment
from .selectors import people_visible_to, roles_visible_to, with_current_roles

RoleName = choice_of(Role)


class RoleOut(Schema):
    id: int
    role: str
    role_label: str
    scope_kind: str
    scope_id: int
    scope_name: str
    start: dt.date
    end: dt.date | None
    is_current: bool

    @staticmethod
    def resolve_role_label(obj) -> str:
        return obj.get_role_display()

    @staticmethod
    def resolve_scope_id(obj) -> int:
        return getattr(obj, f"{obj.scope_kind}_id")

    @staticmethod
    def resolve_scope_name(obj) -> str:
        scope = obj.scope
        return scope.name if scope is not None else ""

    @staticmethod
    def resolve_is_current(obj) -> bool:
        return obj.is_current()


router = Router(tags=["people"])
me_router = Router(tags=["people"])


class PersonOut(Schema):
    id: int
    full_name: str
    email: str
    job_title: str
    school: SchoolRef | None
    archived: bool
    current_roles: list[RoleOut]

    resolve_archived = staticmethod(is_archived)


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


@router.get("", response=listing(PersonOut), summary="List people")
@paginate(Pagination)
def list_people(request, filters: Query[PersonFilter]):
    """People you may see (not archived), with their current roles."""
    queryset = people_visible_to(request.auth).filter(archived_at__isnull=True)
    queryset = with_current_roles(filters.filter(queryset), request.auth)
    return queryset.order_by("full_name", "id")


@router.get("{int:person_id}", response=reading(PersonOut), summary="Get a person")
def get_person(request, person_id: int):
    person = access_person(request.auth, person_id)
    person.current_roles = list(roles_visible_to(request.auth).current().filter(person=person))
    return person


@router.get("{int:person_id}/roles", response=reading(list[RoleOut]), summary="A person's roles")
def person_roles(request, person_id: int):
    """All the person's roles you may see, past, present and future, newest first."""
    person = access_person(request.auth, person_id)
    return list(roles_visible_to(request.auth).filter(person=person).order_by("-start", "role"))


@me_router.get("", response=reading(MeOut), summary="Who am I")
def me(request):
    """The caller: their account, their person record and current roles."""
    user = request.auth
    person = (
        with_current_roles(Person.objects.select_related("school"), user).filter(user=user).first()
    )
    return {
        "id": user.pk,
        "email": user.email,
        "full_name": user.full_name,
        "is_superuser": user.is_superuser,
        "person": person,
    }


# Mounted under /api/v1/ by clusterwork.api.main.
ROUTES = [("/people/", router), ("/me", me_router)]
