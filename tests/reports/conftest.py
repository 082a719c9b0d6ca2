"""The world's science programme run by a trust with its own admin, meetings with registers
taken in alpha and beta, and goals and achievements to count."""

import datetime as dt

import pytest
from django.utils import timezone

from clusterwork.clusters.models import Programme
from clusterwork.goals import services as goals
from clusterwork.meetings import services as meetings
from clusterwork.meetings.models import Event
from clusterwork.people import services as people_services
from clusterwork.people.models import Role
from tests.conftest import START, make_persona
from tests.factories import TrustFactory


def held_meeting(cluster, actor, *, days_ago, present: set[int]):
    """A meeting of ``cluster`` ``days_ago`` days back, one invitee per member school, whose
    register says the schools in ``present`` (indexes of the members by name) came."""
    starts = timezone.now().replace(microsecond=0) + dt.timedelta(days=3)
    event = meetings.event_create(
        actor=actor,
        cluster=cluster,
        title=f"{cluster.name} meeting",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        location="The hall",
    )
    members = sorted(
        cluster.memberships.current().select_related("school"), key=lambda m: m.school.name
    )
    people = []
    for n, membership in enumerate(members):
        person = people_services.person_create(
            actor=None, full_name=f"Leader {cluster.name} {n}", school=membership.school
        )
        people_services.role_assign(
            actor=None,
            person=person,
            role=Role.SUBJECT_LEADER,
            school=membership.school,
            start=START,
        )
        meetings.invite_person(actor=actor, event=event, person=person, school=membership.school)
        people.append(person)
    start = timezone.now().replace(microsecond=0) - dt.timedelta(days=days_ago)
    Event.objects.filter(pk=event.pk).update(starts_at=start, ends_at=start + dt.timedelta(hours=2))
    event.refresh_from_db()
    meetings.record_attendance(
        actor=actor,
        event=event,
        entries=[
            meetings.AttendanceEntry(person=p, status="attended" if n in present else "absent")
            for n, p in enumerate(people)
        ],
    )
    return event


@pytest.fixture
def trust_world(world):
    trust = TrustFactory(name="Weald Learning Trust")
    Programme.objects.filter(pk=world.science.pk).update(trust=trust)
    world.science.refresh_from_db()
    world.trust = trust
    world.users.trust_admin = make_persona("trust_admin", Role.TRUST_ADMIN, trust=trust)
    admin = world.users.superuser
    held_meeting(world.alpha, admin, days_ago=10, present={0, 1, 2})
    held_meeting(world.alpha, admin, days_ago=5, present={0})
    held_meeting(world.beta, admin, days_ago=5, present={0, 1})
    held_meeting(world.gamma, admin, days_ago=5, present=set())
    goal = goals.goal_create(actor=None, cluster=world.alpha, title="Fair tests", horizon="short")
    goals.goal_create(actor=None, cluster=world.alpha, title="Enquiry", horizon="long")
    goals.goal_progress(actor=None, goal=goal, text="Done in every class", status="achieved")
    goals.achievement_record(
        actor=None,
        cluster=world.alpha,
        title="PSQM Gilt",
        kind="quality_mark",
        school=world.schools[0],
    )
    goals.achievement_record(
        actor=None, cluster=world.gamma, title="Sport mark", kind="award", school=world.schools[6]
    )
    return world
