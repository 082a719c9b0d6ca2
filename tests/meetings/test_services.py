import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from clusterwork.core.errors import ServiceError
from clusterwork.meetings import services
from clusterwork.meetings.models import Action, Attendance, EventKind, Invitation, Mode, Rsvp
from clusterwork.meetings.services import AttendanceEntry
from clusterwork.people import services as people_services
from clusterwork.people.models import Role

from .conftest import happened, soon

pytestmark = pytest.mark.django_db


def test_event_must_end_after_it_starts(world):
    start, _ = soon()
    with pytest.raises(ServiceError, match="must end after it starts"):
        services.event_create(
            actor=None,
            cluster=world.alpha,
            title="Back to front",
            starts_at=start,
            ends_at=start - dt.timedelta(minutes=1),
            location="Hall",
        )


def test_online_meeting_needs_a_link_and_naive_times_are_refused(world):
    start, end = soon()
    with pytest.raises(ServiceError, match="needs a link"):
        services.event_create(
            actor=None,
            cluster=world.alpha,
            title="Online",
            starts_at=start,
            ends_at=end,
            mode=Mode.ONLINE,
        )
    with pytest.raises(ServiceError, match="time zone"):
        services.event_create(
            actor=None,
            cluster=world.alpha,
            title="Naive",
            location="Hall",
            starts_at=start.replace(tzinfo=None),
            ends_at=end.replace(tzinfo=None),
        )


def test_host_school_must_be_a_member(world):
    start, end = soon()
    with pytest.raises(ServiceError, match="not a member of Alpha"):
        services.event_create(
            actor=None,
            cluster=world.alpha,
            title="Away",
            starts_at=start,
            ends_at=end,
            host_school=world.schools[5],
        )


def test_programme_networking_event_invites_every_coordinator(world):
    start, end = soon(30)
    event = services.event_create(
        actor=world.users.programme_admin,
        programme=world.science,
        title="Spring networking",
        starts_at=start,
        ends_at=end,
        location="Bristol",
    )
    assert event.kind == EventKind.NETWORKING and event.cluster is None
    result = services.invite_by_role(
        actor=world.users.programme_admin, event=event, role=Role.CLUSTER_COORDINATOR
    )
    # Only alpha has a coordinator in science; gamma's coordinator is in another programme.
    assert [i.person.user for i in result.created] == [world.users.coordinator]


def test_invite_by_role_resolves_current_holders_with_their_school(world, staff, make_meeting):
    event = make_meeting()
    result = services.invite_by_role(
        actor=world.users.coordinator, event=event, role=Role.SUBJECT_LEADER
    )
    got = {(i.person.full_name, i.school_id, i.invited_as) for i in result.created}
    assert got == {
        (leader.full_name, school.pk, Role.SUBJECT_LEADER)
        for leader, school in zip(staff.leaders, world.schools[0:3], strict=True)
    }
    again = services.invite_by_role(
        actor=world.users.coordinator, event=event, role=Role.SUBJECT_LEADER
    )
    assert again.created == [] and again.already_invited == 3


def test_ended_role_is_not_invited(world, staff, make_meeting):
    assignment = staff.leaders[2].roles.get()
    people_services.role_end(
        actor=None, assignment=assignment, end=timezone.localdate() - dt.timedelta(days=1)
    )
    event = make_meeting()
    result = services.invite_by_role(
        actor=world.users.coordinator, event=event, role=Role.SUBJECT_LEADER
    )
    assert staff.leaders[2] not in [i.person for i in result.created]
    assert len(result.created) == 2


def test_a_past_meeting_is_recorded_afterwards_without_emailing_anyone(
    world, staff, make_meeting, django_capture_on_commit_callbacks
):
    """Invitations to a meeting that has happened put people on its register only, and a
    role means its holders on the meeting's day, not today's."""
    event = happened(make_meeting(), days_ago=30)
    meeting_day = timezone.localdate(event.starts_at)
    # Leader 2 left the role after the meeting: they were the subject leader then.
    people_services.role_end(
        actor=None,
        assignment=staff.leaders[2].roles.get(),
        end=meeting_day + dt.timedelta(days=10),
    )
    # Someone appointed after the meeting was not there to be expected.
    newcomer = people_services.person_create(
        actor=None, full_name="New Leader", email="new@example.org", school=world.schools[0]
    )
    people_services.role_assign(
        actor=None,
        person=newcomer,
        role=Role.SUBJECT_LEADER,
        school=world.schools[0],
        start=meeting_day + dt.timedelta(days=5),
    )
    with django_capture_on_commit_callbacks(execute=True):
        result = services.invite_by_role(
            actor=world.users.coordinator, event=event, role=Role.SUBJECT_LEADER
        )
        alone = services.invite_person(actor=None, event=event, person=staff.heads[1])
    assert sorted(i.person.full_name for i in result.created) == [
        "Leader 0",
        "Leader 1",
        "Leader 2",
    ]
    assert not result.emailed and not alone.emailed
    assert "to the register" in result.message and "nobody is emailed" in result.message
    assert mail.outbox == []
    assert not Invitation.objects.filter(emailed_at__isnull=False).exists()
    # ...and the register can be taken at once.
    services.record_attendance(
        actor=world.users.coordinator,
        event=event,
        entries=[AttendanceEntry(person=staff.leaders[0], status=Attendance.ATTENDED)],
    )
    assert event.invitations.get(person=staff.leaders[0]).attendance == Attendance.ATTENDED


def test_nobody_held_the_role_on_the_meetings_day_names_the_day(world, staff, make_meeting):
    event = happened(make_meeting(), days_ago=3)
    with pytest.raises(ServiceError, match=r"Nobody held the role chair of governors .* on "):
        services.invite_by_role(actor=None, event=event, role=Role.CHAIR_OF_GOVERNORS)


def test_cancelled_meeting_takes_no_invitations(world, staff, make_meeting):
    event = make_meeting()
    services.event_cancel(actor=None, event=event)
    with pytest.raises(ServiceError, match="cancelled"):
        services.invite_person(actor=None, event=event, person=staff.leaders[0])
    assert not Invitation.objects.exists()


def test_nobody_holding_the_role_is_a_clear_error(world, make_meeting):
    with pytest.raises(ServiceError, match="Nobody currently holds the role chair of governors"):
        services.invite_by_role(actor=None, event=make_meeting(), role=Role.CHAIR_OF_GOVERNORS)


def test_invitation_emails_are_sent_by_a_task(
    world, staff, make_meeting, django_capture_on_commit_callbacks
):
    event = make_meeting(agenda="1. Welcome\n2. Moderation")
    with django_capture_on_commit_callbacks(execute=True):
        services.invite_by_role(actor=None, event=event, role=Role.SUBJECT_LEADER)
    assert sorted(m.to[0] for m in mail.outbox) == [
        "leader0@example.org",
        "leader1@example.org",
        "leader2@example.org",
    ]
    assert "Moderation" in mail.outbox[0].body
    assert Invitation.objects.filter(emailed_at__isnull=False).count() == 3


def test_rsvp_only_by_the_invitee(world, staff, make_meeting):
    event = make_meeting()
    invitation = services.invite_person(actor=None, event=event, person=staff.leaders[0]).created[0]
    with pytest.raises(ServiceError, match="Only the person invited"):
        services.rsvp(actor=world.users.coordinator, invitation=invitation, response=Rsvp.YES)
    with pytest.raises(ServiceError, match="not invited"):
        services.rsvp_for_event(actor=staff.leaders[1].user, event=event, response=Rsvp.YES)
    services.rsvp(actor=staff.leaders[0].user, invitation=invitation, response=Rsvp.MAYBE)
    invitation.refresh_from_db()
    assert invitation.rsvp == Rsvp.MAYBE and invitation.rsvp_at is not None


def test_attendance_with_substitute_and_all_or_nothing(world, staff, make_meeting):
    event = make_meeting()
    services.invite_by_role(actor=None, event=event, role=Role.SUBJECT_LEADER)
    happened(event)
    head = staff.heads[1]
    with pytest.raises(ServiceError, match="was not invited"):
        services.record_attendance(
            actor=world.users.coordinator,
            event=event,
            entries=[
                AttendanceEntry(person=staff.leaders[0], status=Attendance.ATTENDED),
                AttendanceEntry(person=head, status=Attendance.ATTENDED),
            ],
        )
    assert not Invitation.objects.exclude(attendance="").exists()  # first line rolled back
    with pytest.raises(ServiceError, match="Say who came"):
        services.record_attendance(
            actor=None,
            event=event,
            entries=[AttendanceEntry(person=staff.leaders[1], status=Attendance.SUBSTITUTE)],
        )
    services.record_attendance(
        actor=world.users.coordinator,
        event=event,
        entries=[
            AttendanceEntry(person=staff.leaders[0], status=Attendance.ATTENDED),
            AttendanceEntry(person=staff.leaders[1], status=Attendance.SUBSTITUTE, substitute=head),
            AttendanceEntry(person=staff.leaders[2], status=Attendance.APOLOGIES),
        ],
    )
    rows = {i.person_id: i for i in event.invitations.all()}
    assert rows[staff.leaders[1].pk].substitute == head
    assert rows[staff.leaders[0].pk].attendance_recorded_by == world.users.coordinator
    history = rows[staff.leaders[0].pk].history.first()
    assert history.history_user == world.users.coordinator


def test_attendance_before_the_meeting_only_apologies(world, staff, make_meeting):
    event = make_meeting()
    services.invite_person(actor=None, event=event, person=staff.leaders[0])
    with pytest.raises(ServiceError, match="once the event has started"):
        services.record_attendance(
            actor=None,
            event=event,
            entries=[AttendanceEntry(person=staff.leaders[0], status=Attendance.ATTENDED)],
        )
    services.record_attendance(
        actor=None,
        event=event,
        entries=[AttendanceEntry(person=staff.leaders[0], status=Attendance.APOLOGIES)],
    )


def test_actions_have_owner_due_and_status(world, staff, make_meeting):
    event = make_meeting()
    action = services.action_create(
        actor=None,
        event=event,
        description="Share the moderation grid",
        owner=staff.leaders[1],
        due=dt.date(2030, 1, 31),
    )
    services.action_complete(actor=None, action=action)
    action.refresh_from_db()
    assert action.status == Action.Status.DONE and action.completed_at is not None
    with pytest.raises(ServiceError, match="already done"):
        services.action_complete(actor=None, action=action)


def test_minutes_only_after_the_meeting_starts(world, make_meeting):
    event = make_meeting()
    with pytest.raises(ServiceError, match="once the meeting has started"):
        services.minutes_save(actor=None, event=event, minutes="Notes")
    happened(event)
    assert services.minutes_save(actor=None, event=event, minutes="Notes").minutes == "Notes"


def test_reminders_go_to_invitees_who_have_not_declined(world, staff, make_meeting):
    from clusterwork.meetings.tasks import send_reminders

    event = make_meeting(days=1)
    services.invite_by_role(actor=None, event=event, role=Role.SUBJECT_LEADER)
    services.rsvp_for_event(actor=staff.leaders[2].user, event=event, response=Rsvp.NO)
    mail.outbox.clear()
    send_reminders.enqueue(48)
    assert sorted(m.to[0] for m in mail.outbox) == ["leader0@example.org", "leader1@example.org"]
    assert mail.outbox[0].subject.startswith("Reminder:")
    mail.outbox.clear()
    send_reminders.enqueue(48)
    assert mail.outbox == []  # each invitee is reminded once
