"""Record changes in circumstances and staff turnover; the cluster keeps running."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from clusterwork.clusters import services as cluster_services
from clusterwork.clusters.models import Cluster
from clusterwork.core.audit import audited_save, user_or_none
from clusterwork.core.errors import ServiceError
from clusterwork.meetings import services as meeting_services
from clusterwork.people import services as people_services
from clusterwork.people.models import Person, RoleAssignment
from clusterwork.schools import services as school_services

from .models import Circumstance, StaffChange


def _check_member(cluster: Cluster, school, on: dt.date) -> None:
    if school is not None and not cluster.memberships.on(on).filter(school=school).exists():
        raise ServiceError(f"{school.name} is not a member of {cluster} on {on}.", field="school")


@transaction.atomic
def circumstance_record(
    *,
    actor,
    cluster: Cluster,
    kind: str,
    title: str,
    school=None,
    occurred_on: dt.date | None = None,
    description: str = "",
    impact: str = "medium",
    response: str = "",
    review_on: dt.date | None = None,
    trust=None,
) -> Circumstance:
    """Record what happened. Two kinds also change the records they describe, in the same
    transaction: joining a trust sets the school's trust (kept in its history); a closure
    ends the school's memberships of every cluster on that day."""
    day = occurred_on or timezone.localdate()
    if kind not in Circumstance.Kind.values:
        raise ServiceError("Choose what kind of change this is.", field="kind")
    if not title.strip():
        raise ServiceError("Give the change a short title.", field="title")
    if review_on is not None and review_on < day:
        raise ServiceError("The review date comes after the change.", field="review_on")
    needs_school = {
        Circumstance.Kind.JOINED_TRUST,
        Circumstance.Kind.CLOSURE,
        Circumstance.Kind.INSPECTION,
    }
    if kind in needs_school and school is None:
        raise ServiceError("Say which school this is about.", field="school")
    _check_member(cluster, school, day)
    if kind == Circumstance.Kind.JOINED_TRUST:
        if trust is None:
            raise ServiceError("Say which trust the school joined.", field="trust")
        school_services.school_set_trust(
            actor=actor, school=school, trust=trust, reason=f"joined {trust} on {day}"
        )
    if kind == Circumstance.Kind.CLOSURE:
        for membership in school.cluster_memberships.filter(end__isnull=True):
            if membership.start >= day:
                raise ServiceError(
                    f"{school.name} joined {membership.cluster} on {membership.start}; date "
                    f"the closure after that."
                )
            cluster_services.membership_end(
                actor=actor, membership=membership, end=day, reason="school closed"
            )
    circumstance = Circumstance(
        cluster=cluster,
        school=school,
        kind=kind,
        occurred_on=day,
        title=title.strip(),
        description=description,
        impact=impact,
        response=response,
        review_on=review_on,
        trust=trust if kind == Circumstance.Kind.JOINED_TRUST else None,
        recorded_by=user_or_none(actor),
    )
    audited_save(circumstance, actor)
    return circumstance


def _scope_kwargs(assignment: RoleAssignment) -> dict:
    return {assignment.scope_kind: assignment.scope}


@transaction.atomic
def staff_change_record(
    *,
    actor,
    cluster: Cluster,
    assignment: RoleAssignment,
    kind: str,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    review_on: dt.date | None = None,
    replacement: Person | None = None,
    new_name: str = "",
    new_email: str = "",
    handover_notes: str = "",
) -> StaffChange:
    """A role holder leaves, is covered temporarily, or takes a sabbatical.

    - left: their role ends on ``starts_on``; the replacement (if any) takes it from that day.
    - temporary cover / sabbatical: they keep the role; the replacement covers it from
      ``starts_on`` until ``ends_on`` (a sabbatical needs both dates and a review date).
    Open meeting actions of the cluster move to the replacement. Every role stays in the
    history, so the cluster can always say who held each role when.

    A replacement not yet known is named with ``new_name`` (and ``new_email``): they are
    added as a person at the role's school in the same transaction.
    """
    if kind not in StaffChange.Kind.values:
        raise ServiceError("Choose what kind of change this is.", field="kind")
    if not assignment.is_current(starts_on):
        raise ServiceError(f"{assignment.person} does not hold that role on {starts_on}.")
    in_cluster = assignment.cluster_id == cluster.pk or (
        assignment.school_id
        and cluster.memberships.on(starts_on).filter(school_id=assignment.school_id).exists()
    )
    if not in_cluster:
        raise ServiceError(f"That role is not held in {cluster}.")
    if new_name.strip():
        if replacement is not None:
            raise ServiceError("Choose a known person or name a new one, not both.")
        replacement = people_services.person_create(
            actor=actor, full_name=new_name, email=new_email, school=assignment.school
        )
    if replacement is not None and replacement.pk == assignment.person_id:
        raise ServiceError("The replacement must be someone else.", field="replacement")
    temporary = kind in (StaffChange.Kind.TEMPORARY_COVER, StaffChange.Kind.SABBATICAL)
    if temporary and ends_on is None and kind == StaffChange.Kind.SABBATICAL:
        raise ServiceError("A sabbatical is for a set period: give its end date.", field="ends_on")
    if kind == StaffChange.Kind.SABBATICAL and review_on is None:
        raise ServiceError("Set a date to review the sabbatical.", field="review_on")
    if ends_on is not None and ends_on <= starts_on:
        raise ServiceError("The end date comes after the start.", field="ends_on")
    if kind == StaffChange.Kind.LEFT:
        ends_on = None
        people_services.role_end(
            actor=actor, assignment=assignment, end=starts_on, reason=handover_notes[:100] or "left"
        )
    moved = 0
    if replacement is not None:
        people_services.role_assign(
            actor=actor,
            person=replacement,
            role=assignment.role,
            start=starts_on,
            end=ends_on if temporary else None,
            note=("temporary cover for " if temporary else "succeeded ") + str(assignment.person),
            **_scope_kwargs(assignment),
        )
        moved = meeting_services.actions_hand_over(
            actor=actor, cluster=cluster, from_person=assignment.person, to_person=replacement
        )
    change = StaffChange(
        cluster=cluster,
        kind=kind,
        role=assignment.role,
        school=assignment.school,
        person=assignment.person,
        replacement=replacement,
        starts_on=starts_on,
        ends_on=ends_on,
        review_on=review_on,
        handover_notes=handover_notes,
        actions_moved=moved,
        recorded_by=user_or_none(actor),
    )
    audited_save(change, actor)
    return change
