import pytest
from django.core import mail
from django.utils import timezone

from clusterwork.core.errors import ServiceError
from clusterwork.meetings import engagement, services
from clusterwork.meetings.models import Attendance, EngagementEmail
from clusterwork.meetings.services import AttendanceEntry
from clusterwork.people.models import Role

from .conftest import happened

pytestmark = pytest.mark.django_db

A, S, X, P = Attendance.ATTENDED, Attendance.SUBSTITUTE, Attendance.ABSENT, Attendance.APOLOGIES


def hold_meetings(world, staff, make_meeting, registers):
    """One past meeting per register; a register maps leader index → attendance."""
    for n, register in enumerate(registers):
        event = make_meeting(title=f"Meeting {n}", days=10 + n)
        services.invite_by_role(actor=None, event=event, role=Role.SUBJECT_LEADER)
        happened(event, days_ago=60 - 10 * n)
        services.record_attendance(
            actor=world.users.coordinator,
            event=event,
            entries=[
                AttendanceEntry(
                    person=staff.leaders[i],
                    status=status,
                    substitute_name="A teaching assistant" if status == S else "",
                )
                for i, status in register.items()
            ],
        )
    return event


def by_school(page):
    return {row.school_id: row for row in page.rows}


def test_school_attending_one_of_four_is_flagged(world, staff, make_meeting):
    hold_meetings(
        world,
        staff,
        make_meeting,
        [
            {0: A, 1: A, 2: A},
            {0: A, 1: S, 2: X},
            {0: A, 1: A, 2: P},
            {0: A, 1: X, 2: X},
        ],
    )
    page = engagement.engagement_for_cluster(world.alpha)
    rows = by_school(page)
    school0, school1, school2 = (s.pk for s in world.schools[0:3])
    assert (rows[school0].attended, rows[school0].held, rows[school0].flagged) == (4, 4, False)
    # A substitute counts as the school attending.
    assert (rows[school1].attended, rows[school1].flagged) == (3, False)
    assert (rows[school2].attended, rows[school2].flagged) == (1, True)
    assert page.flagged_total == 1 and page.total == 3
    assert page.rows[0].school_id == school2  # flagged first
    assert rows[school0].signals == {"self_assessment": "—", "claims": "—"}


def test_flag_clears_when_attendance_is_corrected(world, staff, make_meeting):
    last = hold_meetings(
        world,
        staff,
        make_meeting,
        [
            {2: A},
            {2: X},
            {2: X},
            {2: X},
        ],
    )
    school2 = world.schools[2].pk
    assert by_school(engagement.engagement_for_cluster(world.alpha))[school2].flagged
    services.record_attendance(
        actor=None, event=last, entries=[AttendanceEntry(person=staff.leaders[2], status=A)]
    )
    row = by_school(engagement.engagement_for_cluster(world.alpha))[school2]
    assert (row.attended, row.flagged) == (2, False)


def test_only_the_last_n_meetings_count_and_policy_is_per_programme(world, staff, make_meeting):
    hold_meetings(
        world,
        staff,
        make_meeting,
        [
            {2: X},
            {2: X},
            {2: A},
            {2: A},
            {2: X},
        ],
    )
    school2 = world.schools[2].pk
    row = by_school(engagement.engagement_for_cluster(world.alpha))[school2]
    assert (row.held, row.attended, row.flagged) == (4, 2, False)
    services.engagement_policy_set(actor=None, programme=world.science, window=3, min_attended=3)
    row = by_school(engagement.engagement_for_cluster(world.alpha))[school2]
    assert (row.held, row.attended, row.flagged) == (3, 2, True)
    with pytest.raises(ServiceError, match="between 0 and 3"):
        services.engagement_policy_set(
            actor=None, programme=world.science, window=3, min_attended=4
        )


def test_new_cluster_with_few_meetings_is_not_flagged_too_early(world, staff, make_meeting):
    hold_meetings(world, staff, make_meeting, [{0: A, 2: X}, {0: A, 2: X}])
    assert not by_school(engagement.engagement_for_cluster(world.alpha))[
        world.schools[2].pk
    ].flagged
    hold_meetings(world, staff, make_meeting, [{0: A, 2: X}])
    # Three missed of four: it can no longer reach two.
    assert by_school(engagement.engagement_for_cluster(world.alpha))[world.schools[2].pk].flagged


def test_programme_list_covers_every_cluster_in_constant_queries(
    world, staff, make_meeting, django_assert_max_num_queries
):
    hold_meetings(world, staff, make_meeting, [{0: A, 1: X, 2: X}] * 4)
    with django_assert_max_num_queries(2):  # the rule, then one statement for every row
        page = engagement.engagement_for_programme(world.science, now=timezone.now())
    assert page.total == 6  # alpha's and beta's schools
    assert {r.school_id for r in page.rows if r.flagged} == {s.pk for s in world.schools[1:3]}
    flagged = engagement.engagement_for_programme(world.science, flagged_only=True)
    assert flagged.total == 2 and all(r.flagged for r in flagged.rows)


def test_registered_signal_fills_its_column(world, staff, make_meeting):
    calls = []

    def returned(programme, school_ids):
        calls.append(school_ids)
        return {school_ids[0]: "Yes"}

    try:
        engagement.register_signal("self_assessment", "Self-assessment returned", returned)
        page = engagement.engagement_for_cluster(world.alpha)
    finally:
        engagement.register_signal("self_assessment", "Self-assessment returned", order=10)
    assert len(calls) == 1
    assert [r.signals["self_assessment"] for r in page.rows].count("Yes") == 1


def test_engagement_email_is_sent_and_recorded(
    world, staff, make_meeting, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        email = services.engagement_email_send(
            actor=world.users.coordinator,
            cluster=world.alpha,
            school=world.schools[2],
            to_person=staff.heads[2],
            subject="Science cluster",
            body="Dear Head 2, …",
        )
    email.refresh_from_db()
    assert email.status == EngagementEmail.Status.SENT and email.sent_at is not None
    assert email.sent_by == world.users.coordinator and email.to_email == "head2@example.org"
    assert mail.outbox[-1].to == ["head2@example.org"]
    assert mail.outbox[-1].reply_to == ["coordinator@example.org"]
    with pytest.raises(ServiceError, match="not the current headteacher"):
        services.engagement_email_send(
            actor=world.users.coordinator,
            cluster=world.alpha,
            school=world.schools[2],
            to_person=staff.heads[1],
            subject="x",
            body="y",
        )


def test_membership_changes_show_in_the_cached_programme_list_at_once(world, staff, make_meeting):
    from clusterwork.clusters import services as cluster_services
    from clusterwork.clusters.models import ClusterMembership

    hold_meetings(world, staff, make_meeting, [{0: A, 1: A, 2: A}])
    programme = world.alpha.programme
    leaving, joining = world.schools[0], world.schools[6]
    first = by_school(engagement.engagement_for_programme(programme))
    assert leaving.pk in first and joining.pk not in first
    assert by_school(engagement.engagement_for_programme(programme)) == first  # cached now

    membership = ClusterMembership.objects.get(school=leaving, programme=programme, end=None)
    cluster_services.membership_end(
        actor=world.users.coordinator, membership=membership, end=timezone.localdate()
    )
    cluster_services.membership_add(
        actor=world.users.coordinator, cluster=world.alpha, school=joining
    )
    after = by_school(engagement.engagement_for_programme(programme))
    assert leaving.pk not in after
    assert joining.pk in after and after[joining.pk].cluster_id == world.alpha.pk
