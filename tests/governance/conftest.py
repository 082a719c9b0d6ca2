"""A small governed trust: one trust-run programme, two clusters, heads and chairs."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from clusterwork.clusters import services as cluster_services
from clusterwork.governance import services
from clusterwork.governance.models import InspectionOutcome
from clusterwork.people import services as people_services
from clusterwork.people.models import Role
from tests.factories import SchoolFactory, TrustFactory

START = dt.date(2024, 9, 1)


def person(name, role=None, **scope):
    p = people_services.person_create(actor=None, full_name=name)
    if role:
        people_services.role_assign(actor=None, person=p, role=role, start=START, **scope)
    return p


@pytest.fixture
def trust_world(db):
    trust = TrustFactory(name="Downs Trust")
    programme = cluster_services.programme_create(
        actor=None, name="Downs clusters", kind="trust", trust=trust
    )
    north = cluster_services.cluster_create(
        actor=None, programme=programme, name="North", kind="mat_cluster"
    )
    south = cluster_services.cluster_create(
        actor=None, programme=programme, name="South", kind="mat_cluster"
    )
    schools = SchoolFactory.create_batch(5)
    heads, chairs = [], []
    for index, school in enumerate(schools):
        cluster = north if index < 3 else south
        cluster_services.membership_add(actor=None, cluster=cluster, school=school, start=START)
        heads.append(person(f"Head {index}", Role.HEADTEACHER, school=school))
        chairs.append(person(f"Chair {index}", Role.CHAIR_OF_GOVERNORS, school=school))
    director = person("Director One", Role.TRUST_DIRECTOR, trust=trust)
    board = services.board_create(actor=None, cluster=north)
    trust_board = services.board_create(actor=None, trust=trust)
    services.member_appoint(
        actor=None, board=board, person=director, capacity="trust_director", start=START
    )
    for school, rating in zip(
        schools, ["Good", "Requires improvement", "Outstanding"], strict=False
    ):
        InspectionOutcome.objects.create(
            school=school, rating=rating, source="test", inspected_on=dt.date(2023, 5, 1)
        )
    return SimpleNamespace(
        trust=trust,
        programme=programme,
        north=north,
        south=south,
        schools=schools,
        heads=heads,
        chairs=chairs,
        director=director,
        board=board,
        trust_board=trust_board,
    )


def meeting_for(board, **kwargs):
    return services.meeting_create(
        actor=None,
        board=board,
        title=kwargs.pop("title", "Autumn board"),
        starts_at=kwargs.pop("starts_at", timezone.now() + dt.timedelta(days=1)),
        **kwargs,
    )
