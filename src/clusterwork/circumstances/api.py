"""JSON API for changes in circumstances and staff turnover."""

import datetime as dt

from ninja import Router, Schema, Status

from clusterwork.clusters.access import access_cluster
from clusterwork.core.errors import ServiceError
from clusterwork.core.schemas import PersonRef, Ref, SchoolRef, reading, writing
from clusterwork.people.models import RoleAssignment
from clusterwork.people.selectors import people_visible_to
from clusterwork.schools.models import School, Trust

from . import services
from .selectors import cluster_changes

router = Router(tags=["changes"])


class CircumstanceOut(Schema):
    id: int
    kind: str
    title: str
    occurred_on: dt.date
    school: SchoolRef | None
    impact: str
    description: str
    response: str
    review_on: dt.date | None


class StaffChangeOut(Schema):
    id: int
    kind: str
    role: str
    school: SchoolRef | None
    person: PersonRef
    replacement: PersonRef | None
    starts_on: dt.date
    ends_on: dt.date | None
    review_on: dt.date | None
    handover_notes: str
    actions_moved: int


class ChangesOut(Schema):
    cluster: Ref
    circumstances: list[CircumstanceOut]
    staff_changes: list[StaffChangeOut]


@router.get(
    "clusters/{int:cluster_id}", response=reading(ChangesOut), summary="A cluster's changes"
)
def get_changes(request, cluster_id: int):
    cluster = access_cluster(request.auth, cluster_id)
    data = cluster_changes(cluster)
    return {"cluster": cluster, **{k: data[k] for k in ("circumstances", "staff_changes")}}


class CircumstanceIn(Schema):
    kind: str
    title: str
    school_urn: int | None = None
    trust_id: int | None = None
    occurred_on: dt.date | None = None
    impact: str = "medium"
    description: str = ""
    response: str = ""
    review_on: dt.date | None = None


@router.post(
    "clusters/{int:cluster_id}/circumstances",
    response=writing(CircumstanceOut, 201),
    summary="Record a change in circumstances",
)
def record_circumstance(request, cluster_id: int, payload: CircumstanceIn):
    cluster = access_cluster(request.auth, cluster_id, perm="circumstances.record_change")
    data = payload.dict(exclude={"school_urn", "trust_id"})
    school = School.objects.filter(urn=payload.school_urn).first() if payload.school_urn else None
    if payload.school_urn and school is None:
        raise ServiceError(f"No school has URN {payload.school_urn}.", field="school_urn")
    trust = Trust.objects.filter(pk=payload.trust_id).first() if payload.trust_id else None
    if payload.trust_id and trust is None:
        raise ServiceError(f"No trust {payload.trust_id}.", field="trust_id")
    return Status(
        201,
        services.circumstance_record(
            actor=request.auth, cluster=cluster, school=school, trust=trust, **data
        ),
    )


class StaffChangeIn(Schema):
    role_assignment_id: int
    kind: str
    starts_on: dt.date
    ends_on: dt.date | None = None
    review_on: dt.date | None = None
    replacement_person_id: int | None = None
    handover_notes: str = ""


@router.post(
    "clusters/{int:cluster_id}/staff-changes",
    response=writing(StaffChangeOut, 201),
    summary="Record a staff change",
)
def record_staff_change(request, cluster_id: int, payload: StaffChangeIn):
    cluster = access_cluster(request.auth, cluster_id, perm="circumstances.record_staff_change")
    assignment = RoleAssignment.objects.filter(pk=payload.role_assignment_id).first()
    if assignment is None:
        raise ServiceError("No such role assignment.", field="role_assignment_id")
    replacement = None
    if payload.replacement_person_id:
        replacement = (
            people_visible_to(request.auth).filter(pk=payload.replacement_person_id).first()
        )
        if replacement is None:
            raise ServiceError("No such person.", field="replacement_person_id")
    return Status(
        201,
        services.staff_change_record(
            actor=request.auth,
            cluster=cluster,
            assignment=assignment,
            kind=payload.kind,
            starts_on=payload.starts_on,
            ends_on=payload.ends_on,
            review_on=payload.review_on,
            replacement=replacement,
            handover_notes=payload.handover_notes,
        ),
    )


# Mounted under /api/v1/ by clusterwork.api.main.
ROUTES = [("/changes/", router)]
