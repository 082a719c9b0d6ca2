"""JSON API for programme stages: the board, a cluster's stage and checklist, applications."""

import datetime as dt

from django.http import Http404
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from clusterwork.clusters.access import access_cluster, access_programme
from clusterwork.core.errors import ServiceError
from clusterwork.core.schemas import Pagination, Ref, SchoolRef, listing, reading, writing
from clusterwork.schools.models import School

from . import services
from .access import access_application
from .models import Application, ChecklistItem
from .selectors import applications_visible_to, cluster_stage_status, programme_board

router = Router(tags=["stages"])
applications_router = Router(tags=["stages"])


class StageOut(Schema):
    id: int
    key: str
    name: str
    order: int


class BoardClusterOut(Schema):
    cluster: Ref
    since: dt.date
    next_stage: str | None
    blockers: list[str]


class BoardColumnOut(Schema):
    stage: StageOut
    clusters: list[BoardClusterOut]
    applications: list[Ref]


class BoardOut(Schema):
    programme: Ref
    columns: list[BoardColumnOut]
    unplaced: list[Ref]


@router.get(
    "programmes/{int:programme_id}/board", response=reading(BoardOut), summary="Programme board"
)
def get_board(request, programme_id: int):
    """Every cluster you may see by stage, with the checklist items blocking its next move."""
    programme = access_programme(request.auth, programme_id)
    board = programme_board(request.auth, programme)
    return {
        "programme": programme,
        "columns": [
            {
                "stage": column.stage,
                "clusters": [
                    {
                        "cluster": card.cluster,
                        "since": card.row.entered_on,
                        "next_stage": card.next_stage.name if card.next_stage else None,
                        "blockers": card.blockers,
                    }
                    for card in column.clusters
                ],
                "applications": [{"id": a.pk, "name": a.cluster_name} for a in column.applications],
            }
            for column in board.columns
        ],
        "unplaced": board.unplaced,
    }


class ChecklistLineOut(Schema):
    item_id: int
    text: str
    when: str
    done: bool
    done_on: dt.date | None


class ClusterStageOut(Schema):
    cluster: Ref
    stage: StageOut | None
    since: dt.date | None
    next_stage: StageOut | None
    checklist: list[ChecklistLineOut]
    blockers: list[str]


def _stage_out(cluster):
    status = cluster_stage_status(cluster)
    lines = status.exit_items + status.entry_items
    return {
        "cluster": cluster,
        "stage": status.row.stage if status.row else None,
        "since": status.row.entered_on if status.row else None,
        "next_stage": status.next_stage,
        "checklist": [
            {
                "item_id": line.item.pk,
                "text": line.item.text,
                "when": line.item.when,
                "done": line.done,
                "done_on": line.tick.done_on if line.tick else None,
            }
            for line in lines
        ],
        "blockers": status.blockers,
    }


@router.get(
    "clusters/{int:cluster_id}", response=reading(ClusterStageOut), summary="A cluster's stage"
)
def get_cluster_stage(request, cluster_id: int):
    return _stage_out(access_cluster(request.auth, cluster_id))


class TickIn(Schema):
    done: bool = True
    note: str = ""


@router.post(
    "clusters/{int:cluster_id}/checklist/{int:item_id}",
    response=writing(ClusterStageOut),
    summary="Tick a checklist item",
)
def tick_checklist_item(request, cluster_id: int, item_id: int, payload: TickIn):
    cluster = access_cluster(request.auth, cluster_id, perm="stages.tick_checklist")
    item = ChecklistItem.objects.filter(pk=item_id, stage__programme=cluster.programme).first()
    if item is None:
        raise Http404
    services.checklist_set(
        actor=request.auth, cluster=cluster, item=item, done=payload.done, note=payload.note[:300]
    )
    return _stage_out(cluster)


class AdvanceIn(Schema):
    on: dt.date | None = None
    note: str = ""


@router.post(
    "clusters/{int:cluster_id}/advance",
    response=writing(ClusterStageOut),
    summary="Move a cluster on to the next stage",
)
def advance_cluster_stage(request, cluster_id: int, payload: AdvanceIn):
    """Refused (400, naming the open items) while the checklist is incomplete."""
    cluster = access_cluster(request.auth, cluster_id, perm="stages.advance_stage")
    services.stage_advance(actor=request.auth, cluster=cluster, on=payload.on, note=payload.note)
    return _stage_out(cluster)


class ApplicationOut(Schema):
    id: int
    programme: Ref
    cluster_name: str
    region: str
    aims: str
    status: str
    submitted_on: dt.date
    coordinator_name: str
    coordinator_email: str
    schools: list[SchoolRef]
    panel_notes: str
    decided_on: dt.date | None
    cluster: Ref | None

    @staticmethod
    def resolve_schools(obj):
        return list(obj.schools.all())


class ApplicationIn(Schema):
    programme: int
    cluster_name: str
    aims: str
    school_urns: list[int]
    coordinator_name: str
    coordinator_email: str
    lead_school_urn: int | None = None
    region: str = ""


class DecisionIn(Schema):
    accept: bool
    notes: str
    on: dt.date | None = None


@applications_router.get("", response=listing(ApplicationOut), summary="List applications")
@paginate(Pagination)
def list_applications(request, programme: int | None = None, status: str | None = None):
    queryset = applications_visible_to(request.auth).select_related("programme", "cluster")
    if programme:
        queryset = queryset.filter(programme_id=programme)
    if status:
        queryset = queryset.filter(status=status)
    return queryset.prefetch_related("schools").order_by("-submitted_on", "id")


@applications_router.get(
    "{int:application_id}", response=reading(ApplicationOut), summary="Get an application"
)
def get_application(request, application_id: int):
    return access_application(request.auth, application_id)


@applications_router.post(
    "", response=writing(ApplicationOut, 201), summary="Record an application"
)
def create_application(request, payload: ApplicationIn):
    programme = access_programme(request.auth, payload.programme, perm="stages.add_application")
    schools = list(School.objects.filter(urn__in=payload.school_urns))
    missing = sorted(set(payload.school_urns) - {s.urn for s in schools})
    if missing:
        raise ServiceError(
            f"No school has URN {', '.join(map(str, missing))}.", field="school_urns"
        )
    lead = next((s for s in schools if s.urn == payload.lead_school_urn), None)
    if payload.lead_school_urn and lead is None:
        raise ServiceError(
            "The lead school must be one of the applying schools.", field="lead_school_urn"
        )
    application = services.application_submit(
        actor=request.auth,
        programme=programme,
        cluster_name=payload.cluster_name,
        aims=payload.aims,
        schools=schools,
        coordinator_name=payload.coordinator_name,
        coordinator_email=payload.coordinator_email,
        lead_school=lead,
        region=payload.region,
    )
    return Status(201, application)


@applications_router.post(
    "{int:application_id}/decision",
    response=writing(ApplicationOut),
    summary="Record the panel's decision",
)
def decide_application(request, application_id: int, payload: DecisionIn):
    application = access_application(request.auth, application_id, perm="stages.decide_application")
    return services.application_decide(
        actor=request.auth,
        application=application,
        accept=payload.accept,
        notes=payload.notes,
        on=payload.on,
    )


__all__ = ["Application", "applications_router", "router"]


# Mounted under /api/v1/ by clusterwork.api.main.
ROUTES = [("/stages/", router), ("/applications/", applications_router)]
