"""Boards: seats from roles, vacancies, quorum live from attendance, declarations, votes."""

import datetime as dt

import pytest
from django.utils import timezone

from clusterwork.core.errors import ServiceError
from clusterwork.governance import quorum, services
from clusterwork.governance.models import Capacity, Decision, Motion
from clusterwork.people import services as people_services
from clusterwork.people.models import Role

from .conftest import START, meeting_for, person


def test_heads_and_chairs_seats_follow_the_schools_roles_and_vacancies_show(trust_world):
    w = trust_world
    seats = quorum.board_seats(w.board, timezone.localdate())
    heads = [s for s in seats if s.capacity == Capacity.HEAD]
    assert sorted(s.person.full_name for s in heads) == ["Head 0", "Head 1", "Head 2"]
    assert all(s.source == "role" for s in heads)
    vacant = sorted(s.capacity for s in seats if s.vacant)
    # One trust staff place and the clerk are unfilled; the director's is filled.
    assert vacant == sorted([Capacity.TRUST_STAFF, Capacity.CLERK])
    # 3 heads + 3 chairs + the director vote.
    assert len(quorum.voting_people(seats)) == 7


def test_a_head_change_moves_the_seat_without_editing_the_board(trust_world):
    w = trust_world
    change_day = dt.date(2025, 1, 6)
    role = w.heads[0].roles.get(role=Role.HEADTEACHER)
    people_services.role_end(actor=None, assignment=role, end=change_day)
    successor = person("New Head")
    people_services.role_assign(
        actor=None, person=successor, role=Role.HEADTEACHER, school=w.schools[0], start=change_day
    )
    before = {
        s.person.full_name
        for s in quorum.board_seats(w.board, change_day - dt.timedelta(1))
        if s.person and s.capacity == Capacity.HEAD
    }
    after = {
        s.person.full_name
        for s in quorum.board_seats(w.board, change_day)
        if s.person and s.capacity == Capacity.HEAD
    }
    assert "Head 0" in before and "New Head" not in before
    assert "New Head" in after and "Head 0" not in after


def test_heads_seats_cannot_be_appointed_by_hand(trust_world):
    with pytest.raises(ServiceError, match="follow the roles"):
        services.member_appoint(
            actor=None,
            board=trust_world.board,
            person=trust_world.heads[0],
            capacity="head",
            start=START,
        )


def _present(meeting, people):
    for p in people:
        services.attendance_record(actor=None, meeting=meeting, person=p, status="present")


def test_quorum_is_live_and_a_decision_needs_it(trust_world):
    w = trust_world
    meeting = meeting_for(w.board)
    item = services.item_add(actor=None, meeting=meeting, title="Budget")
    motion = services.motion_propose(actor=None, item=item, text="Approve the budget")
    _present(meeting, w.heads[:3])
    assert not quorum.meeting_quorum(meeting).quorate  # 3 of 7, 4 needed
    with pytest.raises(ServiceError, match="not quorate"):
        services.vote_cast(actor=None, motion=motion, person=w.heads[0], choice="for")
    _present(meeting, [w.chairs[0]])
    state = quorum.meeting_quorum(meeting)
    assert state.quorate and state.needed == 4 and state.present_voting == 4
    for p in [*w.heads[:3], w.chairs[0]]:
        services.vote_cast(actor=None, motion=motion, person=p, choice="for")
    services.motion_close(actor=None, motion=motion)
    motion.refresh_from_db()
    assert motion.outcome == Motion.Outcome.CARRIED
    assert Decision.objects.get(motion=motion).board == w.board


def test_a_declared_interest_takes_the_member_out_of_the_vote_and_the_quorum(trust_world):
    w = trust_world
    meeting = meeting_for(w.board)
    item = services.item_add(actor=None, meeting=meeting, title="SENCo contract")
    _present(meeting, [*w.heads[:3], w.chairs[0]])
    services.interest_declare(actor=None, item=item, person=w.heads[1], interest="Spouse bids")
    motion = services.motion_propose(actor=None, item=item, text="Award the contract")
    state = quorum.meeting_quorum(meeting, item=item)
    assert not state.quorate and state.conflicted == ["Head 1"]
    _present(meeting, [w.chairs[1]])
    assert quorum.meeting_quorum(meeting, item=item).quorate
    with pytest.raises(ServiceError, match="declared an interest"):
        services.vote_cast(actor=None, motion=motion, person=w.heads[1], choice="for")


def test_absent_and_non_voting_people_cannot_vote_and_a_tie_needs_the_casting_vote(trust_world):
    w = trust_world
    clerk = person("The Clerk")
    services.member_appoint(actor=None, board=w.board, person=clerk, capacity="clerk", start=START)
    meeting = meeting_for(w.board)
    item = services.item_add(actor=None, meeting=meeting, title="Policy")
    motion = services.motion_propose(actor=None, item=item, text="Adopt the policy")
    _present(meeting, [*w.heads[:3], w.chairs[0], clerk])
    with pytest.raises(ServiceError, match="without a vote"):
        services.vote_cast(actor=None, motion=motion, person=clerk, choice="for")
    with pytest.raises(ServiceError, match="not recorded as present"):
        services.vote_cast(actor=None, motion=motion, person=w.chairs[2], choice="for")
    for p, choice in zip(
        [*w.heads[:3], w.chairs[0]], ["for", "for", "against", "against"], strict=True
    ):
        services.vote_cast(actor=None, motion=motion, person=p, choice=choice)
    with pytest.raises(ServiceError, match="casting vote"):
        services.motion_close(actor=None, motion=motion)
    services.motion_close(actor=None, motion=motion, casting_vote="against")
    motion.refresh_from_db()
    assert motion.outcome == Motion.Outcome.LOST
    assert not Decision.objects.filter(motion=motion).exists()


def test_someone_without_a_seat_cannot_be_recorded_as_attending(trust_world):
    w = trust_world
    meeting = meeting_for(w.board)
    with pytest.raises(ServiceError, match="no seat"):
        services.attendance_record(actor=None, meeting=meeting, person=w.heads[3], status="present")


def test_lead_head_comes_from_a_good_or_better_school_unless_overridden(trust_world):
    w = trust_world
    decision = services.decision_record(
        actor=None, board=w.trust_board, text="Appoint the lead head", decided_on=START
    )
    with pytest.raises(ServiceError, match="Requires improvement"):
        services.lead_head_appoint(
            actor=None, cluster=w.north, person=w.heads[1], decision=decision, start=START
        )
    cluster_decision = services.decision_record(
        actor=None, board=w.board, text="Not the trust board", decided_on=START
    )
    with pytest.raises(ServiceError, match="trust board"):
        services.lead_head_appoint(
            actor=None, cluster=w.north, person=w.heads[0], decision=cluster_decision, start=START
        )
    lead = services.lead_head_appoint(
        actor=None, cluster=w.north, person=w.heads[0], decision=decision, start=START
    )
    assert lead.outcome_at_appointment == "Good" and lead.override_reason == ""
    later = services.lead_head_appoint(
        actor=None,
        cluster=w.north,
        person=w.heads[1],
        decision=decision,
        start=dt.date(2025, 9, 1),
        override_reason="Interim while the partner school recovers",
    )
    lead.refresh_from_db()
    assert lead.end == dt.date(2025, 9, 1) and later.override_reason
    # The lead sits on the trust board without a vote.
    seats = quorum.board_seats(w.trust_board, dt.date(2025, 9, 2))
    lead_seat = next(s for s in seats if s.capacity == Capacity.CLUSTER_LEAD)
    assert lead_seat.person == w.heads[1] and not lead_seat.voting


def test_one_lgb_for_the_cluster_needs_every_academys_agreement(trust_world):
    w = trust_world
    day = dt.date(2025, 1, 1)
    for school in w.schools[:2]:
        services.lgb_agreement_record(actor=None, cluster=w.north, school=school, agreed_on=day)
    with pytest.raises(ServiceError, match=w.schools[2].name):
        services.lgb_set(actor=None, cluster=w.north, mode="per_cluster", start=day)
    services.lgb_agreement_record(actor=None, cluster=w.north, school=w.schools[2], agreed_on=day)
    services.lgb_set(actor=None, cluster=w.north, mode="per_cluster", start=day)
    assert services.lgb_mode_on(w.north, day) == "per_cluster"
    assert services.lgb_mode_on(w.north, day - dt.timedelta(1)) == "per_academy"


def test_meeting_actions_are_the_meetings_apps_actions(trust_world):
    w = trust_world
    meeting = meeting_for(w.board)
    item = services.item_add(actor=None, meeting=meeting, title="Attendance")
    action = services.item_action_add(
        actor=None, item=item, description="Write to parents", owner=w.heads[0]
    )
    assert action.event == meeting.event and action.event.cluster == w.north
