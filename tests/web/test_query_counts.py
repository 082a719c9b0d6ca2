"""List and detail pages run a fixed number of queries however many rows they show."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clusterwork.clusters import services as cluster_services
from tests.conftest import START
from tests.factories import SchoolFactory, TrustFactory

N = 4


def count_queries(client, url) -> int:
    # The session's first request stamps it once (sign-in lifetime): not a per-row cost.
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def add_clusters(world, how_many):
    for _ in range(how_many):
        cluster = cluster_services.cluster_create(
            actor=None,
            programme=world.science,
            name=f"Extra {world.science.clusters.count()}",
            kind="subject_network",
            lead_school=SchoolFactory(),
        )
        for school in SchoolFactory.create_batch(2, trust=TrustFactory()):
            cluster_services.membership_add(actor=None, cluster=cluster, school=school, start=START)


def test_schools_list(world, login):
    client = login(world.users.coordinator)
    url = reverse("school_list") + f"?cluster={world.alpha.pk}&status=open"
    SchoolFactory.create_batch(N, trust=TrustFactory())
    few = count_queries(client, reverse("school_list"))
    few_filtered = count_queries(client, url)
    SchoolFactory.create_batch(2 * N, trust=TrustFactory())
    assert count_queries(client, reverse("school_list")) == few
    assert count_queries(client, url) == few_filtered


def test_clusters_list(world, login):
    client = login(world.users.programme_admin)
    add_clusters(world, N)
    few = count_queries(client, reverse("cluster_list"))
    add_clusters(world, 2 * N)
    assert count_queries(client, reverse("cluster_list")) == few


def test_programme_page(world, login):
    client = login(world.users.programme_admin)
    url = reverse("programme_detail", args=[world.science.pk])
    add_clusters(world, N)
    few = count_queries(client, url)
    add_clusters(world, 2 * N)
    assert count_queries(client, url) == few


@pytest.mark.parametrize("persona", ["coordinator", "head"])
def test_cluster_page(world, login, persona):
    client = login(getattr(world.users, persona))
    url = reverse("cluster_detail", args=[world.alpha.pk])

    def grow(how_many):
        for school in SchoolFactory.create_batch(how_many, trust=TrustFactory()):
            membership, _ = cluster_services.membership_add(
                actor=None, cluster=world.alpha, school=school, start=START
            )
        # A past member too, so the history table grows with the members table.
        cluster_services.membership_end(actor=None, membership=membership)

    grow(N)
    few = count_queries(client, url)
    grow(2 * N)
    assert count_queries(client, url) == few
