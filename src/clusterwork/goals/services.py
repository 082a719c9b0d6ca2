"""Writes for a cluster's vision, goals, projects and achievements."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from clusterwork.clusters.models import Cluster
from clusterwork.clusters.selectors import cluster_people
from clusterwork.core.audit import audited_archive, audited_save, audited_update, user_or_none
from clusterwork.core.errors import ServiceError

from .models import Achievement, Goal, GoalUpdate, Project, Vision


def _open_cluster(cluster: Cluster) -> None:
    if cluster.is_archived:
        raise ServiceError(f"{cluster} is archived; restore it before planning its work.")


def _member_schools(cluster: Cluster, schools) -> None:
    current = set(cluster.memberships.current().values_list("school_id", flat=True))
    outside = [s.name for s in schools if s.pk not in current]
    if outside:
        raise ServiceError(
            f"Not member schools of {cluster}: {', '.join(outside)}.", field="schools"
        )


@transaction.atomic
def vision_set(
    *, actor, cluster: Cluster, statement: str, agreed_on: dt.date | None = None
) -> Vision:
    _open_cluster(cluster)
    if not statement.strip():
        raise ServiceError("Write the vision the schools have agreed.", field="statement")
    vision = Vision.objects.select_for_update().filter(cluster=cluster).first() or Vision(
        cluster=cluster
    )
    vision.statement = statement.strip()
    vision.agreed_on = agreed_on
    audited_save(vision, actor)
    return vision


def _check_owner(cluster: Cluster, owner) -> None:
    """A goal's owner is someone in the cluster: a role holder of the cluster or of a member
    school, or someone working at a member school."""
    if owner is None:
        return
    if not cluster_people(cluster).filter(pk=owner.pk).exists():
        raise ServiceError(
            f"{owner} neither works at a member school nor holds a role in {cluster}.",
            field="owner",
        )


@transaction.atomic
def goal_create(
    *,
    actor,
    cluster: Cluster,
    title: str,
    horizon: str,
    ambition: str = Goal.Ambition.SIMPLE,
    description: str = "",
    owner=None,
    target_date: dt.date | None = None,
) -> Goal:
    _open_cluster(cluster)
    _check_owner(cluster, owner)
    goal = Goal(
        cluster=cluster,
        title=title.strip(),
        horizon=horizon,
        ambition=ambition,
        description=description,
        owner=owner,
        target_date=target_date,
    )
    audited_save(goal, actor)
    return goal


GOAL_FIELDS = {"title", "description", "horizon", "ambition", "owner", "target_date"}


@transaction.atomic
def goal_update(*, actor, goal: Goal, **changes) -> Goal:
    def check(goal, changes):
        if "owner" in changes:
            _check_owner(goal.cluster, changes["owner"])

    return audited_update(
        goal, actor=actor, changes=changes, editable=GOAL_FIELDS, what="goal", check=check
    )


@transaction.atomic
def goal_progress(
    *, actor, goal: Goal, text: str, status: str, on: dt.date | None = None
) -> GoalUpdate:
    """Record dated progress on a goal; the goal takes the update's status."""
    goal = Goal.objects.select_for_update().get(pk=goal.pk)
    if goal.is_archived:
        raise ServiceError("This goal is archived.")
    if not text.strip():
        raise ServiceError("Say what has happened.", field="text")
    if status not in Goal.Status.values:
        raise ServiceError("Choose a status.", field="status")
    day = on or timezone.localdate()
    if day > timezone.localdate():
        raise ServiceError("Progress is recorded for today or an earlier day.", field="on")
    update = GoalUpdate(
        goal=goal,
        on=day,
        text=text.strip(),
        status=status,
        author=user_or_none(actor),
    )
    audited_save(update, actor)
    goal.status = status
    goal.achieved_on = day if status == Goal.Status.ACHIEVED else None
    audited_save(goal, actor, f"progress: {goal.get_status_display()}")
    return update


@transaction.atomic
def goal_archive(*, actor, goal: Goal) -> Goal:
    audited_archive(goal, actor)
    return goal


@transaction.atomic
def project_create(
    *,
    actor,
    cluster: Cluster,
    title: str,
    kind: str,
    schools=(),
    description: str = "",
    partner_kind: str = "",
    partner_name: str = "",
    resource: str = "",
    lead=None,
    goal=None,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    status: str = Project.Status.PLANNED,
) -> Project:
    _open_cluster(cluster)
    schools = list(schools)
    _member_schools(cluster, schools)
    if kind == Project.Kind.OUTREACH and not (partner_kind and partner_name.strip()):
        raise ServiceError(
            "An outreach project names who it reaches beyond the cluster (kind and name).",
            field="partner_name",
        )
    if kind == Project.Kind.PROGRAMME_RESOURCE and not resource.strip():
        raise ServiceError("Name the programme resource the project uses.", field="resource")
    if starts_on and ends_on and ends_on < starts_on:
        raise ServiceError("A project ends after it starts.", field="ends_on")
    if goal is not None and goal.cluster_id != cluster.pk:
        raise ServiceError("That goal belongs to another cluster.", field="goal")
    project = Project(
        cluster=cluster,
        title=title.strip(),
        kind=kind,
        description=description,
        partner_kind=partner_kind,
        partner_name=partner_name.strip(),
        resource=resource.strip(),
        lead=lead,
        goal=goal,
        starts_on=starts_on,
        ends_on=ends_on,
        status=status,
    )
    audited_save(project, actor)
    project.schools.set(schools)
    return project


@transaction.atomic
def project_set_status(*, actor, project: Project, status: str, outcomes: str = "") -> Project:
    project = Project.objects.select_for_update().get(pk=project.pk)
    if status not in Project.Status.values:
        raise ServiceError("Choose a status.", field="status")
    if status == Project.Status.COMPLETED and not (outcomes.strip() or project.outcomes):
        raise ServiceError("Record what the project achieved before closing it.", field="outcomes")
    project.status = status
    if outcomes.strip():
        project.outcomes = outcomes.strip()
    if status == Project.Status.COMPLETED and project.ends_on is None:
        project.ends_on = timezone.localdate()
    audited_save(project, actor)
    return project


@transaction.atomic
def achievement_record(
    *,
    actor,
    cluster: Cluster,
    title: str,
    kind: str,
    on: dt.date | None = None,
    school=None,
    person=None,
    description: str = "",
    amount_pence: int | None = None,
) -> Achievement:
    _open_cluster(cluster)
    if school is None and person is None:
        raise ServiceError("Say which school or person earned it.", field="school")
    if school is not None:
        _member_schools(cluster, [school])
    if amount_pence is not None and (
        not isinstance(amount_pence, int) or isinstance(amount_pence, bool) or amount_pence < 0
    ):
        raise ServiceError("An amount is a whole number of pence, not negative.", field="amount")
    achievement = Achievement(
        cluster=cluster,
        title=title.strip(),
        kind=kind,
        on=on or timezone.localdate(),
        school=school,
        person=person,
        description=description,
        amount_pence=amount_pence,
    )
    audited_save(achievement, actor)
    return achievement
