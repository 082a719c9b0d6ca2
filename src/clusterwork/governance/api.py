"""JSON API for boards, meetings (attendance, votes), the scheme of delegation (with the
lookup "who decides?") and intervention cases. Refusals (inquorate, conflicted voter,
ineligible lead head) answer 400 with the reason, as the pages do."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from clusterwork.core.errors import ServiceError
from clusterwork.core.schemas import (
    Pagination,
    PersonRef,
    Ref,
    SchoolRef,
    listing,
    reading,
    writing,
)
from clusterwork.people.models import Person
from clusterwork.schools.models import School

from . import quorum, scheme, selectors, services
from .access import access_board, access_meeting, access_motion, visible_trusts
from .models import DecisionArea, Motion, SchemeVersion

router = Router(tags=["governance"])


class BoardOut(Schema):
    id: int
    name: str
    kind: str
    cluster: Ref | None
    trust: Ref | None
    quorum_rule: str
    quorum_fixed: int | None


class SeatOut(Schema):
    capacity: str
    person: PersonRef | None
    school: SchoolRef | None
    voting: bool
    vacant: bool
    follows_role: bool
    start: dt.date | None
    end: dt.date | None


class MembersOut(Schema):
    board: Ref
    on: dt.date
    seats: list[SeatOut]
    voting_members: int
    quorum_needed: int


@router.get("boards/", response=listing(BoardOut), summary="List boards")
@paginate(Pagination)
def list_boards(request):
    return selectors.board_list(request.auth)


@router.get(
    "boards/{int:board_id}/members",
    response=reading(MembersOut),
    summary="A board's seats on a day",
)
def board_members(request, board_id: int, on: dt.date | None = None):
    board = access_board(request.auth, board_id)
    day = on or timezone.localdate()
    seats = quorum.board_seats(board, day)
    voters = quorum.voting_people(seats)
    return {
        "board": board,
        "on": day,
        "seats": [
            {
                "capacity": s.capacity,
                "person": s.person,
                "school": s.school,
                "voting": s.voting,
                "vacant": s.vacant,
                "follows_role": s.source == "role",
                "start": s.start,
                "end": s.end,
            }
            for s in seats
        ],
        "voting_members": len(voters),
        "quorum_needed": quorum.quorum_needed(board.quorum_rule, len(voters), board.quorum_fixed),
    }


class MeetingOut(Schema):
    id: int
    board: Ref
    title: str
    starts_at: dt.datetime
    status: str


class MeetingIn(Schema):
    board: int
    title: str
    starts_at: dt.datetime
    location: str = ""


@router.get("meetings/", response=listing(MeetingOut), summary="List board meetings")
@paginate(Pagination)
def list_meetings(request, board: int | None = None):
    meetings = selectors.meetings_visible_to(request.auth)
    if board is not None:
        meetings = meetings.filter(board_id=board)
    return meetings.order_by("-starts_at", "id")


@router.post("meetings/", response=writing(MeetingOut, 201), summary="Schedule a board meeting")
def create_meeting(request, payload: MeetingIn):
    with transaction.atomic():
        board = access_board(request.auth, payload.board, perm="governance.run_board")
        meeting = services.meeting_create(
            actor=request.auth,
            board=board,
            title=payload.title,
            starts_at=payload.starts_at,
            location=payload.location,
        )
    return Status(201, meeting)


class AttendanceRow(Schema):
    person: PersonRef
    voting: bool
    status: str


class AttendanceOut(Schema):
    meeting: int
    quorate: bool
    present_voting: int
    voting_members: int
    needed: int
    explanation: str
    attendance: list[AttendanceRow]


def _attendance(meeting):
    page = selectors.meeting_page(meeting)
    state = page["quorum"]
    return {
        "meeting": meeting.pk,
        "quorate": state.quorate,
        "present_voting": state.present_voting,
        "voting_members": state.voting_members,
        "needed": state.needed,
        "explanation": state.explanation,
        "attendance": [
            {
                "person": row["person"],
                "voting": row["voting"],
                "status": row["attendance"].status if row["attendance"] else "",
            }
            for row in page["people"]
        ],
    }


@router.get(
    "meetings/{int:meeting_id}/attendance",
    response=reading(AttendanceOut),
    summary="Attendance and quorum",
)
def get_attendance(request, meeting_id: int):
    return _attendance(access_meeting(request.auth, meeting_id))


class AttendanceIn(Schema):
    person: int
    status: str


@router.post(
    "meetings/{int:meeting_id}/attendance",
    response=writing(AttendanceOut),
    summary="Record attendance",
)
def record_attendance(request, meeting_id: int, payload: AttendanceIn):
    with transaction.atomic():
        meeting = access_meeting(request.auth, meeting_id, perm="governance.run_board")
        person = Person.objects.filter(
            pk__in=quorum.seated_people(quorum.board_seats(meeting.board, meeting.day)),
            pk=payload.person,
        ).first()
        if person is None:
            raise ServiceError(
                f"Person {payload.person} has no seat on this board.", field="person"
            )
        services.attendance_record(
            actor=request.auth, meeting=meeting, person=person, status=payload.status
        )
    return _attendance(meeting)


class VoteRow(Schema):
    person: PersonRef
    choice: str


class MotionOut(Schema):
    id: int
    item: str
    text: str
    mode: str
    outcome: str
    casting_vote: str
    counted_for: int
    counted_against: int
    counted_abstain: int
    votes: list[VoteRow]
    quorate: bool
    conflicted: list[str]


def _motions(meeting):
    found = []
    for motion in Motion.objects.filter(item__meeting=meeting).select_related("item"):
        state = quorum.meeting_quorum(meeting, item=motion.item)
        found.append(
            {
                "id": motion.pk,
                "item": motion.item.title,
                "text": motion.text,
                "mode": motion.mode,
                "outcome": motion.outcome,
                "casting_vote": motion.casting_vote,
                "counted_for": motion.counted_for,
                "counted_against": motion.counted_against,
                "counted_abstain": motion.counted_abstain,
                "votes": [
                    {"person": v.person, "choice": v.choice}
                    for v in motion.votes.select_related("person")
                ],
                "quorate": state.quorate,
                "conflicted": state.conflicted,
            }
        )
    return found


@router.get(
    "meetings/{int:meeting_id}/votes",
    response=reading(list[MotionOut]),
    summary="Motions and votes",
)
def get_votes(request, meeting_id: int):
    return _motions(access_meeting(request.auth, meeting_id))


class VoteIn(Schema):
    motion: int
    person: int
    choice: str


@router.post(
    "meetings/{int:meeting_id}/votes",
    response=writing(list[MotionOut]),
    summary="Record a named vote",
)
def record_vote(request, meeting_id: int, payload: VoteIn):
    """Refused (400, with the reason) for a member who declared an interest in the item, who
    is not present or has no vote, and on an inquorate item."""
    with transaction.atomic():
        meeting = access_meeting(request.auth, meeting_id, perm="governance.run_board")
        motion = access_motion(request.auth, payload.motion)
        if motion.item.meeting_id != meeting.pk:
            raise ServiceError("That motion is not on this meeting's agenda.", field="motion")
        person = Person.objects.filter(pk=payload.person).first()
        if person is None:
            raise ServiceError(f"No person {payload.person}.", field="person")
        services.vote_cast(actor=request.auth, motion=motion, person=person, choice=payload.choice)
    return _motions(meeting)


class VersionOut(Schema):
    id: int
    trust: Ref
    layer: str
    cluster: Ref | None
    school: SchoolRef | None
    number: int
    approved_on: dt.date | None


@router.get("delegation/", response=listing(VersionOut), summary="Scheme of delegation versions")
@paginate(Pagination)
def list_versions(request):
    return (
        SchemeVersion.objects.filter(trust__in=visible_trusts(request.auth))
        .select_related("trust", "cluster", "school")
        .order_by("trust__name", "layer", "-number")
    )


class WhoDecidesOut(Schema):
    school: SchoolRef
    area: str
    on: dt.date
    level: str
    level_label: str
    version: int
    version_name: str
    needs_board_decision: bool
    why: str


@router.get(
    "delegation/who-decides",
    response=reading(WhoDecidesOut),
    summary="Who decides an area for a school on a day",
)
def who_decides(
    request, school: int, area: str, on: dt.date | None = None, amount_pence: int | None = None
):
    """``school`` is the URN, ``area`` a decision area's key (e.g. ``admissions``)."""
    day = on or timezone.localdate()
    found = School.objects.filter(urn=school).first()
    trust, _ = scheme.trust_and_cluster(found, None, day) if found else (None, None)
    if (
        found is None
        or trust is None
        or not visible_trusts(request.auth).filter(pk=trust.pk).exists()
    ):
        from django.http import Http404

        raise Http404
    scheme.ensure_areas()
    decision_area = DecisionArea.objects.filter(key=area).first()
    if decision_area is None:
        keys = ", ".join(DecisionArea.objects.values_list("key", flat=True))
        raise ServiceError(f"No decision area “{area}”; known: {keys}.", field="area")
    answer = scheme.who_decides(decision_area, on=day, school=found, amount_pence=amount_pence)
    if answer is None:
        raise ServiceError(f"{trust} has no approved scheme covering {found.name} on {day}.")
    return {
        "school": found,
        "area": decision_area.key,
        "on": day,
        "level": answer.level,
        "level_label": answer.level_label,
        "version": answer.version.pk,
        "version_name": str(answer.version),
        "needs_board_decision": answer.needs_board_decision,
        "why": answer.why,
    }


class CaseOut(Schema):
    id: int
    title: str
    school: SchoolRef
    cluster: Ref
    status: str
    owner: PersonRef | None
    opened_on: dt.date
    reason: str
    closed_on: dt.date | None
    closure_reason: str


class CaseFilter(Schema):
    status: str | None = None
    cluster: int | None = None


@router.get("cases/", response=listing(CaseOut), summary="Intervention cases")
@paginate(Pagination)
def list_cases(request, filters: Query[CaseFilter]):
    cases = selectors.cases_visible_to(request.auth)
    if filters.status:
        cases = cases.filter(status=filters.status)
    if filters.cluster:
        cases = cases.filter(cluster_id=filters.cluster)
    return cases.order_by("-opened_on", "id")


# Mounted under /api/v1/ by clusterwork.api.main.
ROUTES = [("/governance/", router)]
