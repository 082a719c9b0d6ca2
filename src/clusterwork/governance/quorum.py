"""Who sits on a board on a day, who counts, and whether a meeting (or one item of it) is
quorate. Pure rules (``quorum_needed``, ``tally``, ``lead_head_eligible``) are separated from
the reads, so the property tests exercise them on every input."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from django.db.models import Q
from django.db.models.functions import Coalesce

from clusterwork.people.models import Person, Role, RoleAssignment

from .models import (
    DEFAULT_ELIGIBLE,
    VOTING_BY_DEFAULT,
    Board,
    BoardMeeting,
    BoardMember,
    Capacity,
    InspectionOutcome,
    LeadHeadAppointment,
)

# ----- pure rules ------------------------------------------------------------------------------


def quorum_needed(rule: str, voting_members: int, fixed: int | None = None) -> int:
    """How many voting members must be present. Vacancies are not members, so they are not
    counted in ``voting_members``. Never less than one: a board of nobody decides nothing."""
    if rule == Board.Quorum.FIXED:
        return max(1, fixed or 1)
    fraction = {Board.Quorum.HALF: (1, 2), Board.Quorum.THIRD: (1, 3)}.get(rule, (2, 3))
    return max(1, math.ceil(voting_members * fraction[0] / fraction[1]))


def tally(choices: list[str], casting_vote: str = "") -> str:
    """carried, lost or "tied" (a tie needs the chair's casting vote, "for" or "against")."""
    votes_for, against = choices.count("for"), choices.count("against")
    if votes_for == against:
        if casting_vote in ("for", "against"):
            return "carried" if casting_vote == "for" else "lost"
        return "tied"
    return "carried" if votes_for > against else "lost"


def lead_head_eligible(rating: str | None, eligible: list[str] | None) -> bool:
    """A school's latest outcome allows a lead headteacher from it. An unknown outcome never
    does (a rating is never invented)."""
    allowed = eligible if eligible else DEFAULT_ELIGIBLE
    return bool(rating) and rating in allowed


# ----- seats ------------------------------------------------------------------------------------


@dataclass
class Seat:
    capacity: str
    person: Person | None
    voting: bool
    school: object = None
    source: str = "appointed"  # "role": follows the school's roles; "appointed": a term
    start: dt.date | None = None
    end: dt.date | None = None
    member_id: int | None = None

    @property
    def vacant(self) -> bool:
        return self.person is None

    @property
    def label(self) -> str:
        return Capacity(self.capacity).label


def _roles_on(day: dt.date, **filters):
    return (
        RoleAssignment.objects.on(day)
        .filter(**filters)
        .select_related("person", "school")
        .order_by("start", "id")
    )


def cluster_schools_on(cluster, day: dt.date):
    from clusterwork.schools.models import School

    ids = cluster.memberships.on(day).values("school_id")
    return School.objects.filter(pk__in=ids).order_by("name")


def member_schools_on(board: Board, day: dt.date):
    from clusterwork.schools.models import School

    if board.cluster_id is None:
        return School.objects.none()
    return cluster_schools_on(board.cluster, day)


def board_seats(board: Board, day: dt.date) -> list[Seat]:
    """Every seat of the board on ``day``, filled or vacant."""
    seats: list[Seat] = []
    if board.cluster_id is not None:
        schools = list(member_schools_on(board, day))
        holders: dict[tuple[int, str], list[RoleAssignment]] = {}
        for role in _roles_on(
            day,
            school__in=schools,
            role__in=[Role.HEADTEACHER, Role.CHAIR_OF_GOVERNORS],
            person__archived_at__isnull=True,
        ):
            holders.setdefault((role.school_id, role.role), []).append(role)
        for school in schools:
            for role, capacity in (
                (Role.HEADTEACHER, Capacity.HEAD),
                (Role.CHAIR_OF_GOVERNORS, Capacity.CHAIR),
            ):
                found = holders.get((school.pk, role), [])
                if not found:
                    seats.append(Seat(capacity, None, True, school=school, source="role"))
                for held in found:
                    seats.append(
                        Seat(
                            capacity,
                            held.person,
                            True,
                            school=school,
                            source="role",
                            start=held.start,
                            end=held.end,
                        )
                    )
    else:
        for held in _roles_on(day, trust=board.trust, role=Role.TRUST_DIRECTOR):
            seats.append(
                Seat(
                    Capacity.TRUST_DIRECTOR,
                    held.person,
                    True,
                    source="role",
                    start=held.start,
                    end=held.end,
                )
            )
        leads = (
            LeadHeadAppointment.objects.on(day)
            .filter(cluster__programme__trust=board.trust)
            .select_related("person", "school", "cluster")
        )
        for lead in leads:
            seats.append(
                Seat(
                    Capacity.CLUSTER_LEAD,
                    lead.person,
                    False,
                    school=lead.school,
                    source="appointment",
                    start=lead.start,
                    end=lead.end,
                )
            )
    appointed = BoardMember.objects.on(day).filter(board=board).select_related("person", "school")
    counts: dict[str, int] = {}
    for member in appointed:
        counts[member.capacity] = counts.get(member.capacity, 0) + 1
        seats.append(
            Seat(
                member.capacity,
                member.person,
                member.voting,
                school=member.school,
                start=member.start,
                end=member.end,
                member_id=member.pk,
            )
        )
    places = {
        Capacity.TRUST_STAFF: board.trust_staff_places,
        Capacity.ASSOCIATE: board.associate_places,
        Capacity.CLERK: 1,
    }
    if board.cluster_id is not None:
        places[Capacity.TRUST_DIRECTOR] = board.trust_director_places
    for capacity, wanted in places.items():
        for _ in range(max(0, wanted - counts.get(capacity, 0))):
            seats.append(Seat(capacity, None, VOTING_BY_DEFAULT[capacity]))
    order = list(Capacity.values)
    seats.sort(
        key=lambda s: (
            order.index(s.capacity),
            getattr(s.school, "name", ""),
            s.vacant,
            s.person.full_name if s.person else "",
        )
    )
    return seats


def voting_people(seats: list[Seat]) -> set[int]:
    return {s.person.pk for s in seats if s.person is not None and s.voting}


def seated_people(seats: list[Seat]) -> set[int]:
    return {s.person.pk for s in seats if s.person is not None}


# ----- quorum of a meeting ------------------------------------------------------------------


@dataclass
class QuorumState:
    rule: str
    voting_members: int
    needed: int
    present_voting: int
    conflicted: list[str] = field(default_factory=list)

    @property
    def quorate(self) -> bool:
        return self.present_voting >= self.needed

    @property
    def explanation(self) -> str:
        state = "quorate" if self.quorate else "not quorate"
        out = f" ({', '.join(self.conflicted)} declared an interest)" if self.conflicted else ""
        return (
            f"{self.present_voting} of {self.voting_members} voting members present{out}; "
            f"{self.needed} needed ({Board.Quorum(self.rule).label.lower()}): {state}."
        )


def present_ids(meeting: BoardMeeting) -> set[int]:
    return {a.person_id for a in meeting.attendance.all() if a.is_present}


def meeting_quorum(meeting: BoardMeeting, *, item=None, seats=None) -> QuorumState:
    """Live from the attendance recorded so far; for an item, without the people who
    declared an interest in it."""
    board = meeting.board
    seats = seats if seats is not None else board_seats(board, meeting.day)
    voters = voting_people(seats)
    present = present_ids(meeting) & voters
    conflicted_names: list[str] = []
    if item is not None:
        declared = {
            d.person_id: d.person.full_name for d in item.declarations.select_related("person")
        }
        conflicted_names = [name for pk, name in declared.items() if pk in present]
        present -= set(declared)
    return QuorumState(
        rule=board.quorum_rule,
        voting_members=len(voters),
        needed=quorum_needed(board.quorum_rule, len(voters), board.quorum_fixed),
        present_voting=len(present),
        conflicted=conflicted_names,
    )


# ----- inspection outcomes ----------------------------------------------------------------


def latest_outcome(school, on: dt.date | None = None) -> InspectionOutcome | None:
    rows = InspectionOutcome.objects.filter(school=school)
    if on is not None:
        rows = rows.filter(
            Q(inspected_on__lte=on) | Q(inspected_on__isnull=True, recorded_on__lte=on)
        )
    return (
        rows.annotate(as_of_day=Coalesce("inspected_on", "recorded_on"))
        .order_by("-as_of_day", "-id")
        .first()
    )
