"""Meeting fixtures over the shared ``world``: a subject leader (with an account) and a
headteacher for each of alpha's three schools."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from clusterwork.core.tasks import IMMEDIATE_BACKEND
from clusterwork.meetings import services
from clusterwork.meetings.models import Event
from clusterwork.people import services as people_services
from clusterwork.people.models import Role
from tests.conftest import PASSWORD, START


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": IMMEDIATE_BACKEND}}


@pytest.fixture
def staff(world):
    leaders, heads = [], []
    for n, school in enumerate(world.schools[0:3]):
        leader = people_services.person_create(
            actor=None,
            full_name=f"Leader {n}",
            email=f"leader{n}@example.org",
            school=school,
            password=PASSWORD,
        )
        people_services.role_assign(
            actor=None, person=leader, role=Role.SUBJECT_LEADER, school=school, start=START
        )
        leaders.append(leader)
        if n == 0:
            # The world's "head" persona already heads the first school.
            heads.append(world.users.head.person)
            continue
        head = people_services.person_create(
            actor=None, full_name=f"Head {n}", email=f"head{n}@example.org", school=school
        )
        people_services.role_assign(
            actor=None, person=head, role=Role.HEADTEACHER, school=school, start=START
        )
        heads.append(head)
    return SimpleNamespace(leaders=leaders, heads=heads)


def soon(days=7, hours=2):
    start = timezone.now().replace(microsecond=0) + dt.timedelta(days=days)
    return start, start + dt.timedelta(hours=hours)


@pytest.fixture
def make_meeting(world):
    def _make(cluster=None, days=7, **extra):
        starts_at, ends_at = soon(days)
        extra.setdefault("location", "The library")
        return services.event_create(
            actor=world.users.coordinator,
            cluster=cluster or world.alpha,
            title=extra.pop("title", "Cluster meeting"),
            starts_at=starts_at,
            ends_at=ends_at,
            **extra,
        )

    return _make


def happened(event, days_ago=1):
    """Move an event into the past, as time passing would (invitations are only for future
    events, attendance only once they start)."""
    start = timezone.now().replace(microsecond=0) - dt.timedelta(days=days_ago)
    Event.objects.filter(pk=event.pk).update(starts_at=start, ends_at=start + dt.timedelta(hours=2))
    event.refresh_from_db()
    return event
