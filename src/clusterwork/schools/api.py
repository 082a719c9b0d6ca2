"""JSON API for the school directory: schools, trusts, local authorities (public GIAS data,
readable by every signed-in caller)."""

import datetime as dt
from typing import Annotated, Literal

from django.db.models import Count
from ninja import FilterLookup, FilterSchema, Query, Router, Schema
from ninja.pagination import paginate

from clusterwork.core.schemas import Pagination, Ref, SchoolRef, choice_of, listing, reading

from .access import access_school_by_urn, access_trust
from .models import Phase, Trust
from .selectors import local_authority_choices, school_list, school_memberships, trusts_visible_to

TrustKind = choice_of(Trust.Kind)
PhaseName = choice_of(Phase)

router = Router(tags=["schools"])
trusts_router = Router(tags=["schools"])
local_authorities_router = Router(tags=["schools"])


class LocalAuthorityOut(Schema):
    id: int
    code: str
    name: str


class LocalAuthorityListOut(LocalAuthorityOut):
    school_count: int


class SchoolOut(Schema):
    urn: int
    name: str
    establishment_type: str
    phase: str
    status: str
    is_open: bool
    local_authority: LocalAuthorityOut | None
    trust: Ref | None
    town: str
    postcode: str
    latitude: float | None
    longitude: float | None
    number_of_pupils: int | None
    statutory_low_age: int | None
    statutory_high_age: int | None
    ofsted_rating: str
    ofsted_date: dt.date | None
    open_date: dt.date | None
    close_date: dt.date | None
    website: str


class SchoolMembershipOut(Schema):
    """A cluster this school belongs (or belonged) to, among clusters the caller may see."""

    id: int
    cluster: Ref
    programme: Ref
    start: dt.date
    end: dt.date | None


class SchoolDetailOut(SchoolOut):
    memberships: list[SchoolMembershipOut]


class SchoolFilter(FilterSchema):
    q: str | None = None
    phase: PhaseName | None = None
    local_authority: int | None = None
    trust: int | None = None
    cluster: int | None = None
    status: Literal["open", "closed"] | None = None


class TrustOut(Schema):
    id: int
    name: str
    kind: TrustKind
    gias_code: str
    companies_house_number: str
    school_count: int


class TrustDetailOut(TrustOut):
    schools: list[SchoolRef]

    @staticmethod
    def resolve_schools(obj) -> list:
        return obj.school_list


class TrustFilter(FilterSchema):
    q: Annotated[str | None, FilterLookup(["name__icontains", "gias_code__iexact"])] = None
    kind: TrustKind | None = None


@router.get("", response=listing(SchoolOut), summary="List schools")
@paginate(Pagination)
def list_schools(request, filters: Query[SchoolFilter]):
    """Search the directory. `q` matches name, town, postcode start or URN; `cluster` only
    matches clusters you may see; `status` is `open` or `closed`."""
    return school_list(
        request.auth,
        search=filters.q or "",
        phase=filters.phase or "",
        local_authority=filters.local_authority,
        trust=filters.trust,
        cluster=filters.cluster,
        status=filters.status or "",
    )


@router.get("{int:urn}", response=reading(SchoolDetailOut), summary="Get a school")
def get_school(request, urn: int):
    school = access_school_by_urn(request.auth, urn)
    school.memberships = school_memberships(request.auth, school)
    return school


@trusts_router.get("", response=listing(TrustOut), summary="List trusts")
@paginate(Pagination)
def list_trusts(request, filters: Query[TrustFilter]):
    queryset = trusts_visible_to(request.auth).annotate(school_count=Count("schools"))
    return filters.filter(queryset).order_by("name", "id")


@trusts_router.get("{int:trust_id}", response=reading(TrustDetailOut), summary="Get a trust")
def get_trust(request, trust_id: int):
    trust = access_trust(request.auth, trust_id)
    trust.school_list = list(trust.schools.order_by("name", "urn").only("urn", "name"))
    trust.school_count = len(trust.school_list)
    return trust


@local_authorities_router.get(
    "", response=listing(LocalAuthorityListOut), summary="List local authorities"
)
@paginate(Pagination)
def list_local_authorities(request):
    return local_authority_choices().annotate(school_count=Count("schools"))


# Mounted under /api/v1/ by clusterwork.api.main.
ROUTES = [
    ("/schools/", router),
    ("/trusts/", trusts_router),
    ("/local-authorities/", local_authorities_router),
]
