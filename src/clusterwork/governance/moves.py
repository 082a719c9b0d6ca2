"""Moving an academy between clusters: a proposal shows what the move means before anything
is saved; both boards decide; on the effective date the membership moves (the old one ends,
a new one starts, both kept) through the clusters app's services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from clusterwork.clusters import services as cluster_services
from clusterwork.clusters.models import Cluster
from clusterwork.core.audit import audited_save, user_or_none
from clusterwork.core.dates import day_text
from clusterwork.core.errors import ServiceError

from .models import Board, Decision, MoveProposal


def _check(school, from_cluster: Cluster, to_cluster: Cluster, effective_on: dt.date):
    if from_cluster.pk == to_cluster.pk:
        raise ServiceError("Choose a different cluster to move to.", field="to_cluster")
    if from_cluster.programme_id != to_cluster.programme_id:
        raise ServiceError(
            f"{to_cluster} is in another programme; a move is between clusters of one programme.",
            field="to_cluster",
        )
    if to_cluster.is_archived:
        raise ServiceError(f"{to_cluster} is archived.", field="to_cluster")
    current = from_cluster.memberships.filter(school=school, end__isnull=True).first()
    if current is None:
        raise ServiceError(
            f"{school.name} is not a current member of {from_cluster}.", field="school"
        )
    if effective_on <= current.start:
        raise ServiceError(
            f"{school.name} joined {from_cluster} on {day_text(current.start)}; the move must "
            "be dated after that.",
            field="effective_on",
        )


@transaction.atomic
def move_propose(
    *,
    actor,
    school,
    from_cluster: Cluster,
    to_cluster: Cluster,
    effective_on: dt.date,
    reason: str = "",
) -> MoveProposal:
    _check(school, from_cluster, to_cluster, effective_on)
    if MoveProposal.objects.filter(
        school=school, status__in=[MoveProposal.Status.PROPOSED, MoveProposal.Status.AGREED]
    ).exists():
        raise ServiceError(f"A move of {school.name} is already proposed.", field="school")
    proposal = MoveProposal(
        school=school,
        from_cluster=from_cluster,
        to_cluster=to_cluster,
        effective_on=effective_on,
        reason=reason,
        proposed_by=user_or_none(actor),
    )
    audited_save(proposal, actor)
    from .intervention import next_meeting

    for cluster in (from_cluster, to_cluster):
        board = Board.objects.filter(cluster=cluster).first()
        meeting = next_meeting(board)
        if meeting is not None:
            from .services import item_add

            item_add(actor=actor, meeting=meeting, title=str(proposal), move=proposal, paper=reason)
    return proposal


def boards_concerned(proposal: MoveProposal) -> list[Board]:
    return list(Board.objects.filter(cluster__in=[proposal.from_cluster, proposal.to_cluster]))


def decisions_for(proposal: MoveProposal) -> dict[int, Decision | None]:
    found = {
        d.board.cluster_id: d
        for d in Decision.objects.filter(subject_key=proposal.subject_key).select_related("board")
    }
    return {c.pk: found.get(c.pk) for c in (proposal.from_cluster, proposal.to_cluster)}


def decision_recorded(*, actor, decision: Decision) -> None:
    """Called when a board decides: a move proposal both boards have agreed becomes agreed,
    and moves at once when its effective date has come."""
    if not decision.subject_key.startswith("governance.moveproposal:"):
        return
    pk = int(decision.subject_key.split(":", 1)[1])
    proposal = MoveProposal.objects.select_for_update().filter(pk=pk).first()
    if proposal is None or proposal.status != MoveProposal.Status.PROPOSED:
        return
    if decision.board.cluster_id not in (proposal.from_cluster_id, proposal.to_cluster_id):
        raise ServiceError("Only the boards of the two clusters decide this move.")
    decided = decisions_for(proposal)
    needed = [
        c
        for c in (proposal.from_cluster, proposal.to_cluster)
        if Board.objects.filter(cluster=c).exists()
    ]
    if all(decided.get(c.pk) is not None for c in needed):
        proposal.status = MoveProposal.Status.AGREED
        audited_save(proposal, actor, "agreed by the boards concerned")
        # Dated: the old membership ends and the new one starts on the effective date.
        move_carry_out(actor=actor, proposal=proposal)


@transaction.atomic
def move_reject(*, actor, proposal: MoveProposal, reason: str) -> MoveProposal:
    proposal = MoveProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status not in (MoveProposal.Status.PROPOSED, MoveProposal.Status.AGREED):
        raise ServiceError("This proposal is no longer open.")
    if not reason.strip():
        raise ServiceError("Say why.", field="reason")
    proposal.status = MoveProposal.Status.WITHDRAWN
    audited_save(proposal, actor, reason)
    return proposal


@transaction.atomic
def move_carry_out(*, actor, proposal: MoveProposal) -> MoveProposal:
    proposal = MoveProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != MoveProposal.Status.AGREED:
        raise ServiceError("The boards concerned have not both agreed this move.")
    cluster_services.membership_move(
        actor=actor,
        school=proposal.school,
        to_cluster=proposal.to_cluster,
        on=proposal.effective_on,
        reason=f"move agreed by the boards ({proposal.pk})",
    )
    proposal.status = MoveProposal.Status.DONE
    proposal.moved_at = timezone.now()
    audited_save(proposal, actor, "moved")
    return proposal


@dataclass
class MovePreview:
    """A move not yet saved: what the page (and other apps' sections) show before saving."""

    school: object
    from_cluster: Cluster
    to_cluster: Cluster
    effective_on: dt.date
    pk: None = None
    status: str = "preview"


def impact(proposal) -> dict:
    """Sizes and distances of the two clusters before and after, through the formation
    what-if (the programme's size limits checked)."""
    from clusterwork.formation.selectors import whatif_view

    try:
        views, unlocated = whatif_view(
            proposal.from_cluster.programme, None, [(proposal.school, proposal.to_cluster)]
        )
    except ServiceError as error:
        return {"clusters": [], "error": error.text}
    wanted = {proposal.from_cluster.pk, proposal.to_cluster.pk}
    return {
        "clusters": [v for v in views if v.cluster.pk in wanted],
        "unlocated": unlocated,
        "error": "",
    }
