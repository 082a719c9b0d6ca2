"""JSON API for programmes, clusters and dated memberships.

Same rules as the pages: objects come through the access helpers (404 if the caller may not
see them, 403 if read-only), lists through the scoped selectors, writes through the services.
"""

import datetime as dt
from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from ninja import FilterLookup, FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate

from clusterwork.core.errors import ServiceError
from clusterwork.core.schemas import (
    Pagination,
    PersonRef,
    Ref,
    SchoolRef,
    choice_of,
    is_archived,
    listing,
    reading,
    writing,
)
from clusterwork.schools.selectors import schools_visible_to

from . import services
from .access import access_cluster, access_membership, access_programme
from .models import Cluster, ClusterMembership, Programme
from .selectors import (
    cluster_coordinators,
    cluster_list,
    cluster_members,
    memberships_visible_to,
    programme_overview,
    programmes_visible_to,
    size_check,
)

ProgrammeKind = choice_of(Programme.Kind)
Governance = choice_of(Programme.Governance)
ClusterKind = choice_of(Cluster.Kind)
ClusterStatus = choice_of(Cluster.Status)

programmes_router = Router(tags=["clusters"])
router = Router(tags=["clusters"])
memberships_router = Router(tags=["clusters"])


class SizeCheckOut(Schema):
    """The cluster's size against its programme's bounds: advice to show, never a block."""

    size: int
    minimum: int
    maximum: int
    ok: bool
    message: str


def _school(user, urn: int, field: str):
    """The school named in a request body. The directory is public, so an unknown URN is a
    mistake in the request (400), not something hidden (404)."""
    school = schools_visible_to(user).filter(urn=urn).first()
    if school is None:
        raise ServiceError(f"No school has URN {urn}.", field=field)
    return school


# ----- programmes ------------------------------------------------------------------------


class ProgrammeOut(Schema):
    id: int
    name: str
    kind: ProgrammeKind
    governance: Governance
    trust: Ref | None
    description: str
    min_cluster_size: int
    max_cluster_size: int
    target_cluster_size: int | None
    archived: bool

    resolve_archived = staticmethod(is_archived)


class ProgrammeClusterOut(Schema):
    id: int
    name: str
    kind: ClusterKind
    status: ClusterStatus
    region: str
    member_count: int
    coordinators: list[PersonRef]

    @staticmethod
    def resolve_coordinators(obj) -> list:
        return [role.person for role in obj.current_coordinators]


class ProgrammeDetailOut(ProgrammeOut):
    clusters: list[ProgrammeClusterOut]

    @staticmethod
    def resolve_clusters(obj) -> list:
        return obj.cluster_overview


class ProgrammeFilter(FilterSchema):
    q: Annotated[str | None, FilterLookup("name__icontains")] = None
    kind: ProgrammeKind | None = None


@programmes_router.get("", response=listing(ProgrammeOut), summary="List programmes")
@paginate(Pagination)
def list_programmes(request, filters: Query[ProgrammeFilter]):
    queryset = programmes_visible_to(request.auth).select_related("trust")
    return filters.filter(queryset).order_by("name", "id")


@programmes_router.get(
    "{int:programme_id}", response=reading(ProgrammeDetailOut), summary="Get a programme"
)
def get_programme(request, programme_id: int):
    """The programme with its active clusters (those you may see) and their coordinators."""
    programme = access_programme(request.auth, programme_id)
    programme.cluster_overview = programme_overview(programme, request.auth)
    return programme


# ----- clusters --------------------------------------------------------------------------


class ClusterOut(Schema):
    id: int
    name: str
    kind: ClusterKind
    status: ClusterStatus
    programme: Ref
    lead_school: SchoolRef | None
    region: str
    started_on: dt.date | None
    archived: bool
    member_count: int

    resolve_archived = staticmethod(is_archived)


class MemberSchoolOut(Schema):
    urn: int
    name: str
    phase: str
    town: str
    local_authority: str | None
    trust: str | None

    @staticmethod
    def resolve_local_authority(obj) -> str | None:
        return obj.local_authority.name if obj.local_authority_id else None

    @staticmethod
    def resolve_trust(obj) -> str | None:
        return obj.trust.name if obj.trust_id else None


class MemberOut(Schema):
    membership_id: int
    school: MemberSchoolOut
    start: dt.date
    end: dt.date | None

    @staticmethod
    def resolve_membership_id(obj) -> int:
        return obj.pk


class ClusterDetailOut(ClusterOut):
    description: str
    members: list[MemberOut]
    size_check: SizeCheckOut
    coordinators: list[PersonRef]


class ClusterFilter(FilterSchema):
    programme: int | None = None
    kind: ClusterKind | None = None
    status: ClusterStatus | None = None
    q: str | None = None


class ClusterCreateIn(Schema):
    programme: int
    name: str
    kind: ClusterKind
    lead_school_urn: int | None = None
    region: str = ""
    description: str = ""
    status: ClusterStatus = Cluster.Status.ACTIVE.value
    started_on: dt.date | None = None


class ClusterUpdateIn(Schema):
    """Send only the fields to change. ``reason`` goes into the change history."""

    name: str | None = None
    kind: ClusterKind | None = None
    lead_school_urn: int | None = None
    region: str | None = None
    description: str | None = None
    status: ClusterStatus | None = None
    started_on: dt.date | None = None
    reason: str = ""


class ArchiveIn(Schema):
    on: dt.date | None = None
    reason: str = ""


def _cluster_detail(user, cluster: Cluster) -> Cluster:
    members = cluster_members(cluster)
    cluster.members = members
    cluster.member_count = len(members)
    cluster.size_check = size_check(cluster, size=len(members))
    cluster.coordinators = [role.person for role in cluster_coordinators(cluster)]
    return cluster


@router.get("", response=listing(ClusterOut), summary="List clusters")
@paginate(Pagination)
def list_clusters(request, filters: Query[ClusterFilter]):
    """Active (not archived) clusters you may see, with their current member counts."""
    queryset = cluster_list(
        request.auth, programme=filters.programme, kind=filters.kind or "", search=filters.q or ""
    )
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    return queryset


@router.get("{int:cluster_id}", response=reading(ClusterDetailOut), summary="Get a cluster")
def get_cluster(request, cluster_id: int):
    """The cluster, its members today and its size against the programme's bounds."""
    return _cluster_detail(request.auth, access_cluster(request.auth, cluster_id))


@router.post("", response=writing(ClusterDetailOut, 201), summary="Create a cluster")
def create_cluster(request, payload: ClusterCreateIn):
    """Programme admins (and trust admins, for their trust's programmes) create clusters."""
    user = request.auth
    with transaction.atomic():
        programme = access_programme(
            user, payload.programme, perm="clusters.add_cluster", lock=True
        )
        lead = (
            _school(user, payload.lead_school_urn, "lead_school_urn")
            if payload.lead_school_urn is not None
            else None
        )
        cluster = services.cluster_create(
            actor=user,
            programme=programme,
            name=payload.name,
            kind=payload.kind,
            lead_school=lead,
            region=payload.region,
            description=payload.description,
            status=payload.status,
            started_on=payload.started_on,
        )
    return Status(201, _cluster_detail(user, cluster))


@router.patch("{int:cluster_id}", response=writing(ClusterDetailOut), summary="Change a cluster")
def update_cluster(request, cluster_id: int, payload: ClusterUpdateIn):
    user = request.auth
    changes = payload.dict(exclude_unset=True)
    reason = changes.pop("reason", "")
    for required in ("name", "kind", "status"):
        if required in changes and changes[required] is None:
            raise ServiceError(f"A cluster's {required} cannot be empty.", field=required)
    for text in ("region", "description"):
        if text in changes and changes[text] is None:
            changes[text] = ""
    with transaction.atomic():
        cluster = access_cluster(user, cluster_id, perm="clusters.change_cluster", lock=True)
        if "lead_school_urn" in changes:
            urn = changes.pop("lead_school_urn")
            changes["lead_school"] = (
                _school(user, urn, "lead_school_urn") if urn is not None else None
            )
        cluster = services.cluster_update(actor=user, cluster=cluster, reason=reason, **changes)
    return _cluster_detail(user, cluster)


@router.post(
    "{int:cluster_id}/archive", response=writing(ClusterDetailOut), summary="Archive a cluster"
)
def archive_cluster(request, cluster_id: int, payload: ArchiveIn | None = None):
    """Archive instead of delete: current memberships end on ``on`` (default today)."""
    user = request.auth
    payload = payload or ArchiveIn()
    with transaction.atomic():
        cluster = access_cluster(user, cluster_id, perm="clusters.change_cluster", lock=True)
        cluster = services.cluster_archive(
            actor=user, cluster=cluster, on=payload.on, reason=payload.reason
        )
    return _cluster_detail(user, cluster)


# ----- memberships -----------------------------------------------------------------------


class MembershipOut(Schema):
    id: int
    cluster: Ref
    programme: Ref
    school: SchoolRef
    start: dt.date
    end: dt.date | None
    note: str
    end_reason: str
    is_current: bool

    @staticmethod
    def resolve_is_current(obj) -> bool:
        return obj.is_current()


class MembershipChangeOut(Schema):
    membership: MembershipOut
    size_check: SizeCheckOut


class MembershipFilter(FilterSchema):
    cluster: int | None = None
    programme: int | None = None
    school_urn: Annotated[int | None, FilterLookup("school__urn")] = None
    on: dt.date | None = None

    def filter_on(self, day):
        """Memberships in force on ``day``: start ≤ day < end (end exclusive, open if null)."""
        if day is None:
            return Q()
        return Q(start__lte=day) & (Q(end__isnull=True) | Q(end__gt=day))


class MembershipCreateIn(Schema):
    cluster: int
    school_urn: int
    start: dt.date | None = None
    end: dt.date | None = None
    note: str = ""


class MembershipEndIn(Schema):
    end: dt.date | None = None
    reason: str = ""


class MembershipMoveIn(Schema):
    school_urn: int
    to_cluster: int
    on: dt.date | None = None
    reason: str = ""


@memberships_router.get("", response=listing(MembershipOut), summary="List memberships")
@paginate(Pagination)
def list_memberships(request, filters: Query[MembershipFilter]):
    """Memberships (past, present and future) of clusters you may see. With ``on`` only those
    in force that day."""
    queryset = memberships_visible_to(request.auth)
    return filters.filter(queryset).order_by("-start", "school__name", "id")


@memberships_router.get(
    "{int:membership_id}", response=reading(MembershipOut), summary="Get a membership"
)
def get_membership(request, membership_id: int):
    return access_membership(request.auth, membership_id)


@memberships_router.post(
    "", response=writing(MembershipChangeOut, 201), summary="Add a school to a cluster"
)
def create_membership(request, payload: MembershipCreateIn):
    """A school is in at most one cluster of a programme at a time; adding it to a second
    answers 400 (move it instead)."""
    user = request.auth
    with transaction.atomic():
        cluster = access_cluster(user, payload.cluster, perm="clusters.change_cluster", lock=True)
        school = _school(user, payload.school_urn, "school_urn")
        membership, check = services.membership_add(
            actor=user,
            cluster=cluster,
            school=school,
            start=payload.start,
            end=payload.end,
            note=payload.note,
        )
    return Status(201, {"membership": membership, "size_check": check})


@memberships_router.post(
    "{int:membership_id}/end", response=writing(MembershipChangeOut), summary="End a membership"
)
def end_membership(request, membership_id: int, payload: MembershipEndIn | None = None):
    user = request.auth
    payload = payload or MembershipEndIn()
    with transaction.atomic():
        membership = access_membership(
            user, membership_id, perm="clusters.change_clustermembership", lock=True
        )
        membership, check = services.membership_end(
            actor=user, membership=membership, end=payload.end, reason=payload.reason
        )
    return {"membership": membership, "size_check": check}


@memberships_router.post(
    "move", response=writing(MembershipChangeOut), summary="Move a school to another cluster"
)
def move_membership(request, payload: MembershipMoveIn):
    """End the school's membership of its current cluster in the programme on ``on`` and start
    one in ``to_cluster`` the same day. You need to be able to change both clusters."""
    user = request.auth
    with transaction.atomic():
        to_cluster = access_cluster(
            user, payload.to_cluster, perm="clusters.change_cluster", lock=True
        )
        school = _school(user, payload.school_urn, "school_urn")
        current = (
            ClusterMembership.objects.filter(
                programme_id=to_cluster.programme_id, school=school, end__isnull=True
            )
            .exclude(cluster=to_cluster)
            .first()
        )
        if current is not None:
            try:
                access_membership(
                    user, current.pk, perm="clusters.change_clustermembership", lock=True
                )
            except (Http404, PermissionDenied):
                raise PermissionDenied(
                    f"{school.name} is in another cluster of {to_cluster.programme} that you "
                    "may not change; ask its coordinator or a programme admin to move it."
                ) from None
        membership = services.membership_move(
            actor=user,
            school=school,
            to_cluster=to_cluster,
            on=payload.on,
            reason=payload.reason,
        )
    return {"membership": membership, "size_check": size_check(to_cluster)}


# Mounted under /api/v1/ by clusterwork.api.main.
ROUTES = [
    ("/programmes/", programmes_router),
    ("/clusters/", router),
    ("/memberships/", memberships_router),
]
