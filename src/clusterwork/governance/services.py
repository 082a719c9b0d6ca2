"""Writes for boards: members, meetings, attendance, declarations, motions and votes,
decisions, the lead headteacher and LGB arrangements. Every write is one transaction and
keeps history; nothing is deleted (terms end, meetings are cancelled)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from clusterwork.clusters.models import Cluster
from clusterwork.core.audit import audited_save, user_or_none
from clusterwork.core.dated import check_span
from clusterwork.core.dates import day_text
from clusterwork.core.errors import ServiceError
from clusterwork.meetings import services as meeting_services
from clusterwork.people.models import Person, Role, RoleAssignment

from . import quorum
from .models import (
    VOTING_BY_DEFAULT,
    AgendaItem,
    Attendance,
    Board,
    BoardMeeting,
    BoardMember,
    Capacity,
    Decision,
    InterestRegister,
    ItemDeclaration,
    LeadHeadAppointment,
    Level,
    LgbAgreement,
    LgbArrangement,
    Motion,
    Vote,
)

# Seats that follow roles are never appointed by hand.
APPOINTABLE = {
    Capacity.TRUST_DIRECTOR,
    Capacity.TRUST_STAFF,
    Capacity.ASSOCIATE,
    Capacity.CLERK,
}


# ----- boards and members --------------------------------------------------------------------


@transaction.atomic
def board_create(
    *,
    actor,
    cluster: Cluster | None = None,
    trust=None,
    name: str = "",
    quorum_rule: str = Board.Quorum.HALF,
    quorum_fixed: int | None = None,
    associate_places: int = 0,
    eligible_outcomes: list[str] | None = None,
) -> Board:
    if (cluster is None) == (trust is None):
        raise ServiceError("A board is for one cluster or for the trust.")
    body = cluster or trust
    if Board.objects.filter(cluster=cluster, trust=trust).exists():
        raise ServiceError(f"{body} already has a board.")
    if quorum_rule == Board.Quorum.FIXED and not quorum_fixed:
        raise ServiceError("Give the number a fixed quorum needs.", field="quorum_fixed")
    board = Board(
        kind=Board.Kind.CLUSTER if cluster else Board.Kind.TRUST,
        cluster=cluster,
        trust=trust,
        name=name.strip() or (f"{cluster.name} cluster board" if cluster else f"{trust} board"),
        quorum_rule=quorum_rule,
        quorum_fixed=quorum_fixed,
        associate_places=associate_places,
        eligible_outcomes=list(eligible_outcomes or []),
        created_by=user_or_none(actor),
    )
    audited_save(board, actor)
    return board


@transaction.atomic
def board_configure(
    *,
    actor,
    board: Board,
    quorum_rule: str,
    quorum_fixed: int | None = None,
    trust_director_places: int = 1,
    trust_staff_places: int = 1,
    associate_places: int = 0,
    eligible_outcomes: list[str] | None = None,
    reason: str = "",
) -> Board:
    if quorum_rule == Board.Quorum.FIXED and not quorum_fixed:
        raise ServiceError("Give the number a fixed quorum needs.", field="quorum_fixed")
    board = Board.objects.select_for_update().get(pk=board.pk)
    board.quorum_rule = quorum_rule
    board.quorum_fixed = quorum_fixed if quorum_rule == Board.Quorum.FIXED else None
    board.trust_director_places = trust_director_places
    board.trust_staff_places = trust_staff_places
    board.associate_places = associate_places
    if eligible_outcomes is not None:
        if not board.is_trust_board and eligible_outcomes:
            raise ServiceError(
                "The lead headteacher rule is the trust board's.", field="eligible_outcomes"
            )
        board.eligible_outcomes = list(eligible_outcomes)
    audited_save(board, actor, reason or "configured")
    return board


@transaction.atomic
def member_appoint(
    *,
    actor,
    board: Board,
    person: Person,
    capacity: str,
    start: dt.date,
    end: dt.date | None = None,
    voting: bool | None = None,
    note: str = "",
    school=None,
) -> BoardMember:
    """Appoint someone to a seat that is not a school's head or chair (those follow roles)."""
    if capacity in (Capacity.HEAD, Capacity.CHAIR):
        raise ServiceError(
            "Heads' and chairs' seats follow the roles recorded for the academies: record the "
            "role on the school instead.",
            field="capacity",
        )
    if capacity == Capacity.CLUSTER_LEAD:
        raise ServiceError(
            "A cluster lead is appointed by the trust board as lead headteacher.",
            field="capacity",
        )
    if capacity not in APPOINTABLE:
        raise ServiceError("Choose the capacity of the seat.", field="capacity")
    check_span(start, end)
    if person.is_archived:
        raise ServiceError(f"{person} is archived.", field="person")
    clash = BoardMember.objects.filter(board=board, person=person, capacity=capacity).overlapping(
        start, end
    )
    if clash.exists():
        raise ServiceError(
            f"{person} already holds a {Capacity(capacity).label.lower()} seat on {board} "
            "in those dates.",
            field="person",
        )
    if (
        capacity == Capacity.CLERK
        and BoardMember.objects.filter(board=board, capacity=Capacity.CLERK)
        .overlapping(start, end)
        .exists()
    ):
        raise ServiceError(f"{board} has a clerk in those dates; end that term first.")
    member = BoardMember(
        board=board,
        person=person,
        capacity=capacity,
        voting=VOTING_BY_DEFAULT[capacity] if voting is None else voting,
        start=start,
        end=end,
        note=note,
        school=school,
        appointed_by=user_or_none(actor),
    )
    audited_save(member, actor)
    return member


@transaction.atomic
def member_end(*, actor, member: BoardMember, end: dt.date, reason: str = "") -> BoardMember:
    member = BoardMember.objects.select_for_update().get(pk=member.pk)
    if member.end is not None:
        raise ServiceError(f"This term already ended on {day_text(member.end)}.")
    check_span(member.start, end)
    member.end = end
    audited_save(member, actor, reason or "term ended")
    return member


# ----- meetings ------------------------------------------------------------------------------


def _board_event(actor, board: Board, title: str, starts_at, location: str):
    """The meetings app's event behind a board meeting, so its actions are that app's."""
    cluster, programme = board.cluster, None
    if cluster is None:
        programme = board.trust.programmes.order_by("pk").first()
        if programme is None:
            return None
    return meeting_services.event_create(
        actor=actor,
        title=title,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=2),
        cluster=cluster,
        programme=programme,
        location=location or "To be confirmed",
    )


@transaction.atomic
def meeting_create(
    *, actor, board: Board, title: str, starts_at: dt.datetime, location: str = ""
) -> BoardMeeting:
    """Schedule a board meeting. Open intervention cases and move proposals that concern the
    board and are not on an agenda yet go on this one (the cluster board sees them first)."""
    if board.is_archived:
        raise ServiceError(f"{board} is archived.")
    if not title.strip():
        raise ServiceError("Give the meeting a title.", field="title")
    meeting = BoardMeeting(
        board=board,
        title=title.strip(),
        starts_at=starts_at,
        location=location,
        event=_board_event(actor, board, title.strip(), starts_at, location),
        created_by=user_or_none(actor),
    )
    audited_save(meeting, actor)
    from .intervention import carry_to_agenda

    carry_to_agenda(actor=actor, meeting=meeting)
    return meeting


def _check_open(meeting: BoardMeeting) -> None:
    if meeting.status == BoardMeeting.Status.CANCELLED:
        raise ServiceError("This meeting was cancelled.")


@transaction.atomic
def meeting_cancel(*, actor, meeting: BoardMeeting, reason: str = "") -> BoardMeeting:
    meeting = BoardMeeting.objects.select_for_update().get(pk=meeting.pk)
    _check_open(meeting)
    if meeting.items.filter(
        motions__outcome__in=[Motion.Outcome.CARRIED, Motion.Outcome.LOST]
    ).exists():
        raise ServiceError("Votes were taken at this meeting; it cannot be cancelled.")
    meeting.status = BoardMeeting.Status.CANCELLED
    audited_save(meeting, actor, reason or "cancelled")
    return meeting


@transaction.atomic
def item_add(
    *, actor, meeting: BoardMeeting, title: str, paper: str = "", case=None, move=None
) -> AgendaItem:
    _check_open(meeting)
    if not title.strip():
        raise ServiceError("Give the item a title.", field="title")
    last = meeting.items.order_by("-order").first()
    item = AgendaItem(
        meeting=meeting,
        title=title.strip(),
        paper=paper,
        case=case,
        move=move,
        order=(last.order + 1) if last else 1,
    )
    audited_save(item, actor)
    return item


def _seat_holder(meeting: BoardMeeting, person: Person) -> list[quorum.Seat]:
    seats = [
        s
        for s in quorum.board_seats(meeting.board, meeting.day)
        if s.person is not None and s.person.pk == person.pk
    ]
    if not seats:
        raise ServiceError(
            f"{person} has no seat on {meeting.board} on {day_text(meeting.day)}.",
            field="person",
        )
    return seats


@transaction.atomic
def attendance_record(*, actor, meeting: BoardMeeting, person: Person, status: str) -> Attendance:
    """Present, remote, apologies or absent; recorded again, it replaces the earlier entry
    (the history keeps both)."""
    _check_open(meeting)
    if status not in Attendance.Status.values:
        raise ServiceError("Choose present, remote, apologies or absent.", field="status")
    _seat_holder(meeting, person)
    entry = Attendance.objects.select_for_update().filter(meeting=meeting, person=person).first()
    if entry is None:
        entry = Attendance(meeting=meeting, person=person)
    entry.status = status
    entry.recorded_by = user_or_none(actor)
    audited_save(entry, actor)
    if meeting.status == BoardMeeting.Status.PLANNED and entry.is_present:
        BoardMeeting.objects.filter(pk=meeting.pk).update(status=BoardMeeting.Status.HELD)
    return entry


def academic_year_of(day: dt.date) -> int:
    return day.year if day.month >= 9 else day.year - 1


@transaction.atomic
def register_confirm(
    *, actor, board: Board, person: Person, interests: str = "", on: dt.date | None = None
) -> InterestRegister:
    """A member's annual register of interests for the academic year of ``on``: confirmed
    again each year ("none" is an answer too)."""
    day = on or timezone.localdate()
    year = academic_year_of(day)
    entry = InterestRegister.objects.filter(board=board, person=person, academic_year=year).first()
    if entry is None:
        entry = InterestRegister(board=board, person=person, academic_year=year)
    entry.interests = interests.strip()
    entry.confirmed_on = day
    entry.recorded_by = user_or_none(actor)
    audited_save(entry, actor)
    return entry


@transaction.atomic
def interest_declare(*, actor, item: AgendaItem, person: Person, interest: str) -> ItemDeclaration:
    _check_open(item.meeting)
    if not interest.strip():
        raise ServiceError("Say what the interest is.", field="interest")
    _seat_holder(item.meeting, person)
    if item.declarations.filter(person=person).exists():
        raise ServiceError(f"{person} has already declared an interest in this item.")
    if Vote.objects.filter(motion__item=item, person=person).exists():
        raise ServiceError(
            f"{person} has already voted on this item; a declaration comes before the vote."
        )
    declaration = ItemDeclaration(
        item=item, person=person, interest=interest.strip(), recorded_by=user_or_none(actor)
    )
    audited_save(declaration, actor)
    return declaration


# ----- motions, votes, decisions ---------------------------------------------------------


@transaction.atomic
def motion_propose(
    *,
    actor,
    item: AgendaItem,
    text: str,
    mode: str = Motion.Mode.NAMED,
    area=None,
    subject_key: str = "",
    school=None,
) -> Motion:
    _check_open(item.meeting)
    if not text.strip():
        raise ServiceError("Write the motion.", field="text")
    if mode not in Motion.Mode.values:
        raise ServiceError("Choose named or counted votes.", field="mode")
    motion = Motion(
        item=item,
        text=text.strip(),
        mode=mode,
        area=area,
        subject_key=subject_key,
        school=school,
        proposed_by=user_or_none(actor),
    )
    audited_save(motion, actor)
    return motion


def _require_quorum(motion: Motion, what: str) -> quorum.QuorumState:
    state = quorum.meeting_quorum(motion.item.meeting, item=motion.item)
    if not state.quorate:
        raise ServiceError(f"The item is not quorate, so {what}: {state.explanation}")
    return state


@transaction.atomic
def vote_cast(*, actor, motion: Motion, person: Person, choice: str) -> Vote:
    """A named vote. Refused for someone without a voting seat, not present, or who declared
    an interest in the item; refused while the item is inquorate."""
    motion = (
        Motion.objects.select_for_update().select_related("item__meeting__board").get(pk=motion.pk)
    )
    meeting = motion.item.meeting
    _check_open(meeting)
    if motion.outcome != Motion.Outcome.OPEN:
        raise ServiceError("The vote on this motion has closed.")
    if motion.mode != Motion.Mode.NAMED:
        raise ServiceError("This motion is decided by a count, not named votes.")
    if choice not in Vote.Choice.values:
        raise ServiceError("Choose for, against or abstain.", field="choice")
    seats = _seat_holder(meeting, person)
    if not any(s.voting for s in seats):
        raise ServiceError(f"{person} sits on {meeting.board} without a vote.", field="person")
    if motion.item.declarations.filter(person=person).exists():
        raise ServiceError(
            f"{person} declared an interest in this item and cannot vote on it.", field="person"
        )
    if person.pk not in quorum.present_ids(meeting):
        raise ServiceError(f"{person} is not recorded as present.", field="person")
    if motion.votes.filter(person=person).exists():
        raise ServiceError(f"{person} has already voted on this motion.", field="person")
    _require_quorum(motion, "no vote can be taken")
    vote = Vote(motion=motion, person=person, choice=choice, recorded_by=user_or_none(actor))
    audited_save(vote, actor)
    return vote


@transaction.atomic
def motion_close(
    *,
    actor,
    motion: Motion,
    counted_for: int = 0,
    counted_against: int = 0,
    counted_abstain: int = 0,
    casting_vote: str = "",
) -> Motion:
    """Close the vote: carried or lost (a tie needs the chair's casting vote). A carried
    motion records the board's decision. Refused on an inquorate item."""
    motion = (
        Motion.objects.select_for_update().select_related("item__meeting__board").get(pk=motion.pk)
    )
    if motion.outcome != Motion.Outcome.OPEN:
        raise ServiceError("The vote on this motion has already closed.")
    state = _require_quorum(motion, "no decision can be recorded")
    if motion.mode == Motion.Mode.COUNTED:
        total = counted_for + counted_against + counted_abstain
        if total > state.present_voting:
            raise ServiceError(
                f"{total} votes counted but only {state.present_voting} voting members may "
                "vote on this item.",
                field="counted_for",
            )
        choices = ["for"] * counted_for + ["against"] * counted_against
        motion.counted_for, motion.counted_against = counted_for, counted_against
        motion.counted_abstain = counted_abstain
    else:
        choices = list(motion.votes.values_list("choice", flat=True))
        if not choices:
            raise ServiceError("No votes have been recorded on this motion.")
    result = quorum.tally(choices, casting_vote)
    if result == "tied":
        raise ServiceError(
            "The vote is tied: record the chair's casting vote.", field="casting_vote"
        )
    if casting_vote and choices.count("for") != choices.count("against"):
        raise ServiceError("A casting vote is used only on a tie.", field="casting_vote")
    motion.casting_vote = casting_vote
    motion.outcome = Motion.Outcome.CARRIED if result == "carried" else Motion.Outcome.LOST
    audited_save(motion, actor, motion.outcome)
    if motion.outcome == Motion.Outcome.CARRIED:
        meeting = motion.item.meeting
        decision = Decision(
            board=meeting.board,
            motion=motion,
            text=motion.text,
            decided_on=meeting.day,
            level=_board_level(meeting.board),
            area=motion.area,
            school=motion.school,
            subject_key=motion.subject_key,
            recorded_by=user_or_none(actor),
        )
        audited_save(decision, actor)
        from .moves import decision_recorded

        decision_recorded(actor=actor, decision=decision)
    return motion


def _board_level(board: Board) -> str:
    return Level.TRUST_BOARD if board.is_trust_board else Level.CLUSTER_BOARD


@transaction.atomic
def decision_record(
    *,
    actor,
    board: Board,
    text: str,
    decided_on: dt.date,
    level: str = "",
    area=None,
    school=None,
    subject_key: str = "",
) -> Decision:
    """A decision taken outside a recorded meeting (a written resolution, or a committee or
    LGB of the board reporting its decision)."""
    if not text.strip():
        raise ServiceError("Say what was decided.", field="text")
    level = level or _board_level(board)
    if level not in Level.values:
        raise ServiceError("Choose the level that decided.", field="level")
    decision = Decision(
        board=board,
        text=text.strip(),
        decided_on=decided_on,
        level=level,
        area=area,
        school=school,
        subject_key=subject_key,
        recorded_by=user_or_none(actor),
    )
    audited_save(decision, actor)
    from .moves import decision_recorded

    decision_recorded(actor=actor, decision=decision)
    return decision


@transaction.atomic
def item_action_add(
    *, actor, item: AgendaItem, description: str, owner: Person, due: dt.date | None = None
):
    """An action from the meeting, as the meetings app's action (its lists and hand-overs)."""
    event = item.meeting.event
    if event is None:
        raise ServiceError("This board's meetings have no event to hold actions.")
    text = f"{item.title}: {description.strip()}" if description.strip() else ""
    return meeting_services.action_create(
        actor=actor, event=event, description=text, owner=owner, due=due
    )


# ----- lead headteacher -------------------------------------------------------------------


def trust_board_of(cluster: Cluster) -> Board | None:
    trust = cluster.programme.trust
    return None if trust is None else Board.objects.filter(trust=trust).first()


@transaction.atomic
def lead_head_appoint(
    *,
    actor,
    cluster: Cluster,
    person: Person,
    decision: Decision,
    start: dt.date,
    override_reason: str = "",
) -> LeadHeadAppointment:
    """The trust board appoints a lead headteacher from a member school whose latest
    inspection outcome its rule allows; an override needs a reason and is shown."""
    board = trust_board_of(cluster)
    if board is None or decision.board_id != board.pk:
        raise ServiceError(
            "A lead headteacher is appointed by a recorded decision of the trust board.",
            field="decision",
        )
    schools = quorum.cluster_schools_on(cluster, start)
    head_of = (
        RoleAssignment.objects.on(start)
        .filter(person=person, role=Role.HEADTEACHER, school__in=schools)
        .select_related("school")
        .first()
    )
    if head_of is None:
        raise ServiceError(
            f"{person} is not the headteacher of a school in {cluster} on {day_text(start)}.",
            field="person",
        )
    school = head_of.school
    outcome = quorum.latest_outcome(school, start)
    rating = outcome.rating if outcome else ""
    if not quorum.lead_head_eligible(rating, board.eligible_outcomes):
        allowed = ", ".join(board.eligible_outcomes or quorum.DEFAULT_ELIGIBLE)
        known = f"“{rating}” ({outcome.source})" if outcome else "not known"
        if not override_reason.strip():
            raise ServiceError(
                f"{school.name}'s latest inspection outcome is {known}; the trust board's rule "
                f"allows a lead headteacher from a school rated {allowed}. Give a reason to "
                "override it.",
                field="override_reason",
            )
    current = LeadHeadAppointment.objects.select_for_update().filter(cluster=cluster).open()
    for previous in current:
        if previous.start >= start:
            raise ServiceError(
                f"{previous.person} is lead headteacher from {day_text(previous.start)}; date "
                "the new appointment after that."
            )
        previous.end = start
        audited_save(previous, actor, f"succeeded by {person}")
    appointment = LeadHeadAppointment(
        cluster=cluster,
        person=person,
        school=school,
        decision=decision,
        start=start,
        outcome_at_appointment=rating,
        override_reason=override_reason.strip()
        if not quorum.lead_head_eligible(rating, board.eligible_outcomes)
        else "",
        appointed_by=user_or_none(actor),
    )
    audited_save(appointment, actor)
    return appointment


# ----- LGB arrangements ---------------------------------------------------------------------


@transaction.atomic
def lgb_agreement_record(
    *, actor, cluster: Cluster, school, agreed_on: dt.date, note: str = ""
) -> LgbAgreement:
    if not cluster.memberships.on(agreed_on).filter(school=school).exists():
        raise ServiceError(
            f"{school.name} is not in {cluster} on {day_text(agreed_on)}.", field="school"
        )
    if LgbAgreement.objects.filter(cluster=cluster, school=school).exists():
        raise ServiceError(f"{school.name}'s agreement is already recorded.", field="school")
    agreement = LgbAgreement(
        cluster=cluster,
        school=school,
        agreed_on=agreed_on,
        note=note,
        recorded_by=user_or_none(actor),
    )
    audited_save(agreement, actor)
    return agreement


def lgb_mode_on(cluster: Cluster, day: dt.date) -> str:
    row = LgbArrangement.objects.on(day).filter(cluster=cluster).first()
    return row.mode if row else LgbArrangement.Mode.PER_ACADEMY


@transaction.atomic
def lgb_set(*, actor, cluster: Cluster, mode: str, start: dt.date) -> LgbArrangement:
    """One LGB per academy, or one for the cluster: the second only when every academy in the
    cluster on ``start`` has agreed."""
    if mode not in LgbArrangement.Mode.values:
        raise ServiceError("Choose one LGB per academy or one for the cluster.", field="mode")
    if mode == LgbArrangement.Mode.PER_CLUSTER:
        schools = quorum.cluster_schools_on(cluster, start)
        agreed = set(
            LgbAgreement.objects.filter(cluster=cluster, agreed_on__lte=start).values_list(
                "school_id", flat=True
            )
        )
        missing = [s.name for s in schools if s.pk not in agreed]
        if missing:
            raise ServiceError(
                "One LGB for the cluster needs every academy's agreement; not recorded for: "
                + ", ".join(missing)
                + ".",
                field="mode",
            )
    if lgb_mode_on(cluster, start) == mode:
        raise ServiceError("That is already the arrangement on that date.", field="mode")
    for row in LgbArrangement.objects.select_for_update().filter(cluster=cluster).open():
        if row.start >= start:
            raise ServiceError(f"An arrangement starts on {day_text(row.start)}; date this later.")
        row.end = start
        audited_save(row, actor, "replaced")
    arrangement = LgbArrangement(
        cluster=cluster, mode=mode, start=start, decided_by=user_or_none(actor)
    )
    audited_save(arrangement, actor)
    return arrangement
