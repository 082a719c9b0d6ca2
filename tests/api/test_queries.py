"""List endpoints run a fixed number of queries however many rows they return."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clusterwork.clusters import services
from clusterwork.people import services as people_services
from clusterwork.people.models import Role
from tests.factories import LocalAuthorityFactory, SchoolFactory, TrustFactory

pytestmark = pytest.mark.django_db

LISTS = [
    "/api/v1/schools/",
    "/api/v1/trusts/",
    "/api/v1/local-authorities/",
    "/api/v1/programmes/",
    "/api/v1/clusters/",
    "/api/v1/memberships/",
    "/api/v1/people/",
]


def grow(world, n: int) -> None:
    """More of every kind of row a list shows, each with its own related objects."""
    for i in range(n):
        trust = TrustFactory()
        school = SchoolFactory(trust=trust, local_authority=LocalAuthorityFactory())
        programme = services.programme_create(actor=None, name=f"Grown programme {n}-{i}")
        cluster = services.cluster_create(
            actor=None,
            programme=world.science,
            name=f"Grown {n}-{i}",
            kind="subject_network",
            lead_school=school,
        )
        services.membership_add(
            actor=None, cluster=cluster, school=school, start=dt.date(2024, 9, 1)
        )
        person = people_services.person_create(
            actor=None,
            full_name=f"Grown Person {n}-{i}",
            email=f"grown{n}{i}@example.org",
            school=school,
        )
        people_services.role_assign(
            actor=None,
            person=person,
            role=Role.CLUSTER_COORDINATOR,
            cluster=cluster,
            start=dt.date(2024, 9, 1),
        )
        people_services.role_assign(
            actor=None,
            person=person,
            role=Role.VIEWER,
            programme=programme,
            start=dt.date(2024, 9, 1),
        )


def query_counts(client) -> dict:
    counts = {}
    for url in LISTS:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (url, response.content)
        counts[url] = len(queries)
    return counts


@pytest.mark.parametrize("persona", ["programme_admin", "superuser"])
def test_list_query_counts_do_not_grow_with_rows(world, as_persona, persona):
    client = as_persona(persona)
    grow(world, 1)
    before = query_counts(client)
    grow(world, 4)
    after = query_counts(client)
    assert after == before
