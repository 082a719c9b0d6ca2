"""Reads a user sees, scoped through the access module's visible querysets."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from clusterwork.clusters.selectors import clusters_visible_to

from . import quorum, scheme, services
from .access import boards_visible_to, moves_visible_to, visible_trusts
from .models import (
    Board,
    BoardMeeting,
    Decision,
    InterestRegister,
    InterventionCase,
    LeadHeadAppointment,
    Level,
    LgbAgreement,
    Motion,
    SchemeVersion,
    TriggerRule,
)


def board_list(user):
    return boards_visible_to(user).order_by("kind", "name")


def cases_visible_to(user):
    return InterventionCase.objects.filter(cluster__in=clusters_visible_to(user)).select_related(
        "school", "cluster", "owner", "rule"
    )


def meetings_visible_to(user):
    return BoardMeeting.objects.filter(board__in=boards_visible_to(user)).select_related("board")


def open_motions_for(user):
    """Open motions at meetings of boards on which the user has a voting seat today."""
    person = getattr(user, "person", None) if user.is_authenticated else None
    if person is None:
        return []
    today = timezone.localdate()
    found = []
    motions = Motion.objects.filter(
        outcome=Motion.Outcome.OPEN,
        item__meeting__board__in=boards_visible_to(user),
        item__meeting__status__in=[BoardMeeting.Status.PLANNED, BoardMeeting.Status.HELD],
    ).select_related("item__meeting__board")
    for motion in motions:
        seats = quorum.board_seats(motion.item.meeting.board, today)
        if (
            person.pk in quorum.voting_people(seats)
            and not motion.votes.filter(person=person).exists()
        ):
            found.append(motion)
    return found


def home_due(request, user) -> dict | None:
    motions = open_motions_for(user)
    cases = list(cases_visible_to(user).exclude(status=InterventionCase.Status.CLOSED)[:5])
    if not motions and not cases:
        return None
    return {"motions": motions, "cases": cases}


def board_page(board: Board, day: dt.date) -> dict:
    year = services.academic_year_of(day)
    seats = quorum.board_seats(board, day)
    voting = quorum.voting_people(seats)
    meetings = list(board.meetings.order_by("-starts_at")[:20])
    registers = {
        r.person_id: r
        for r in InterestRegister.objects.filter(
            board=board, academic_year=services.academic_year_of(day)
        )
    }
    context = {
        "seats": seats,
        "day": day,
        "academic_year": f"{year}/{(year + 1) % 100:02d}",
        "vacancies": sum(1 for s in seats if s.vacant),
        "voting_count": len(voting),
        "quorum_needed": quorum.quorum_needed(board.quorum_rule, len(voting), board.quorum_fixed),
        "meetings": meetings,
        "decisions": list(board.decisions.select_related("area", "school")[:20]),
        "registers": registers,
        "members_without_register": [
            s for s in seats if s.person is not None and s.person.pk not in registers
        ],
    }
    if board.cluster_id is not None:
        cluster = board.cluster
        context["lead_heads"] = list(
            LeadHeadAppointment.objects.filter(cluster=cluster).select_related(
                "person", "school", "decision"
            )
        )
        context["lgb_mode"] = services.lgb_mode_on(cluster, day)
        context["lgb_agreements"] = list(
            LgbAgreement.objects.filter(cluster=cluster).select_related("school")
        )
        context["cases"] = list(
            InterventionCase.objects.filter(cluster=cluster).select_related("school", "owner")
        )
        trust = cluster.programme.trust
    else:
        trust = board.trust
        context["lead_heads"] = list(
            LeadHeadAppointment.objects.current()
            .filter(cluster__programme__trust=trust)
            .select_related("person", "school", "cluster")
        )
    context["trust"] = trust
    return context


def meeting_page(meeting: BoardMeeting) -> dict:
    seats = quorum.board_seats(meeting.board, meeting.day)
    attendance = {a.person_id: a for a in meeting.attendance.all()}
    people = {}
    for seat in seats:
        if seat.person is not None:
            people.setdefault(seat.person.pk, {"person": seat.person, "seats": [], "voting": False})
            people[seat.person.pk]["seats"].append(seat)
            people[seat.person.pk]["voting"] |= seat.voting
    for pk, row in people.items():
        row["attendance"] = attendance.get(pk)
    items = []
    for item in meeting.items.prefetch_related("declarations__person", "motions__votes__person"):
        items.append(
            {
                "item": item,
                "quorum": quorum.meeting_quorum(meeting, item=item, seats=seats),
                "declarations": list(item.declarations.all()),
                "motions": list(item.motions.all()),
            }
        )
    actions = list(meeting.event.actions.select_related("owner")) if meeting.event else []
    return {
        "people": sorted(people.values(), key=lambda r: r["person"].full_name),
        "quorum": quorum.meeting_quorum(meeting, seats=seats),
        "items": items,
        "actions": actions,
        "decisions": list(Decision.objects.filter(motion__item__meeting=meeting)),
    }


def cluster_moves(user, cluster):
    return list(moves_visible_to(user).filter(Q(from_cluster=cluster) | Q(to_cluster=cluster)))


def visible_versions(user, trust):
    """The trust's versions; a cluster's or an academy's variation only for those who see
    that cluster (or a cluster the academy is in)."""
    clusters = clusters_visible_to(user)
    return (
        SchemeVersion.objects.filter(trust=trust)
        .filter(
            Q(cluster__isnull=True, school__isnull=True)
            | Q(cluster__in=clusters)
            | Q(
                school__cluster_memberships__cluster__in=clusters,
                school__cluster_memberships__end__isnull=True,
            )
        )
        .distinct()
        .select_related("cluster", "school")
    )


def scheme_overview(trust, day: dt.date, user=None) -> dict:
    versions = list(
        SchemeVersion.objects.filter(trust=trust)
        .select_related("cluster", "school")
        .order_by("layer", "cluster__name", "school__name", "-number")
    )
    default = next(
        (
            v
            for v in versions
            if v.layer == SchemeVersion.Layer.DEFAULT and v.approved_on and v.approved_on <= day
        ),
        None,
    )
    return {
        "versions": versions,
        "default": default,
        "levels": Level.choices,
        "areas": scheme.areas(),
        "rules": TriggerRule.objects.filter(trust=trust),
    }


def matrix(version: SchemeVersion) -> list[dict]:
    cells = {(c.area_id, c.level): c.code for c in version.cells.all()}
    thresholds = {}
    for t in version.thresholds.all():
        thresholds.setdefault(t.area_id, []).append(t)
    rows = []
    for area in scheme.areas():
        codes = [cells.get((area.pk, level), "") for level, _ in Level.choices]
        if version.layer != SchemeVersion.Layer.DEFAULT and not any(codes):
            continue
        rows.append({"area": area, "codes": codes, "thresholds": thresholds.get(area.pk, [])})
    return rows


def trusts_for(user):
    return visible_trusts(user).order_by("name")
