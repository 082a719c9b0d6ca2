"""JSON API for a cluster's vision, goals (with progress), projects, achievements, successes."""

import datetime as dt

from ninja import Router, Schema, Status

from clusterwork.clusters.access import access_cluster
from clusterwork.core.errors import ServiceError
from clusterwork.core.schemas import PersonRef, Ref, SchoolRef, reading, writing
from clusterwork.people.selectors import people_visible_to

from . import services
from .access import access_goal
from .models import Goal
from .selectors import cluster_plan, successes

router = Router(tags=["goals"])


class GoalUpdateOut(Schema):
    on: dt.date
    text: str
    status: str


class GoalOut(Schema):
    id: int
    cluster: Ref
    title: str
    description: str
    horizon: str
    ambition: str
    status: str
    owner: PersonRef | None
    target_date: dt.date | None
    achieved_on: dt.date | None
    updates: list[GoalUpdateOut]

    @staticmethod
    def resolve_updates(obj):
        return list(obj.updates.all())


class ProjectOut(Schema):
    id: int
    title: str
    kind: str
    status: str
    partner_kind: str
    partner_name: str
    resource: str
    starts_on: dt.date | None
    ends_on: dt.date | None
    schools: list[SchoolRef]

    @staticmethod
    def resolve_schools(obj):
        return list(obj.schools.all())


class AchievementOut(Schema):
    id: int
    title: str
    kind: str
    on: dt.date
    school: SchoolRef | None
    person: PersonRef | None
    amount_pence: int | None


class PlanOut(Schema):
    cluster: Ref
    vision: str | None
    goals: list[GoalOut]
    projects: list[ProjectOut]
    achievements: list[AchievementOut]


class SuccessOut(Schema):
    on: dt.date
    kind: str
    title: str
    detail: str
    who: str


@router.get("clusters/{int:cluster_id}", response=reading(PlanOut), summary="A cluster's plan")
def get_plan(request, cluster_id: int):
    cluster = access_cluster(request.auth, cluster_id)
    plan = cluster_plan(cluster)
    return {
        "cluster": cluster,
        "vision": plan.vision.statement if plan.vision else None,
        "goals": [g for _, goals in plan.goals_by_horizon for g in goals],
        "projects": plan.projects,
        "achievements": plan.achievements,
    }


@router.get(
    "clusters/{int:cluster_id}/successes",
    response=reading(list[SuccessOut]),
    summary="A cluster's timeline of successes",
)
def list_successes(request, cluster_id: int, since: dt.date | None = None):
    return successes(access_cluster(request.auth, cluster_id), since=since)


class GoalIn(Schema):
    cluster: int
    title: str
    horizon: str
    ambition: str = Goal.Ambition.SIMPLE.value
    description: str = ""
    owner: int | None = None
    target_date: dt.date | None = None


@router.post("", response=writing(GoalOut, 201), summary="Add a goal")
def create_goal(request, payload: GoalIn):
    cluster = access_cluster(request.auth, payload.cluster, perm="goals.plan_cluster")
    owner = None
    if payload.owner is not None:
        owner = people_visible_to(request.auth).filter(pk=payload.owner).first()
        if owner is None:
            raise ServiceError(f"No person {payload.owner} that you can see.", field="owner")
    data = payload.dict(exclude={"cluster", "owner"})
    return Status(
        201, services.goal_create(actor=request.auth, cluster=cluster, owner=owner, **data)
    )


@router.get("{int:goal_id}", response=reading(GoalOut), summary="Get a goal")
def get_goal(request, goal_id: int):
    return access_goal(request.auth, goal_id)


class ProgressIn(Schema):
    text: str
    status: str
    on: dt.date | None = None


@router.post("{int:goal_id}/progress", response=writing(GoalOut), summary="Record progress")
def record_progress(request, goal_id: int, payload: ProgressIn):
    """The cluster's coordinator, the programme, or the goal's owner may report progress."""
    goal = access_goal(request.auth, goal_id, perm="goals.report_progress")
    services.goal_progress(actor=request.auth, goal=goal, **payload.dict())
    goal.refresh_from_db()
    return goal


# Mounted under /api/v1/ by clusterwork.api.main.
ROUTES = [("/goals/", router)]
