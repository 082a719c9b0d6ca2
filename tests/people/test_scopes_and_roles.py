import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import transaction
from django.http import Http404

from clusterwork.clusters.access import access_cluster
from clusterwork.clusters.selectors import clusters_visible_to, programmes_visible_to
from clusterwork.core.errors import ServiceError
from clusterwork.people import services
from clusterwork.people.models import Role
from clusterwork.people.scopes import forget_scope
from clusterwork.people.selectors import people_visible_to

pytestmark = pytest.mark.django_db


def names(queryset):
    return sorted(obj.name for obj in queryset)


@pytest.mark.parametrize(
    ("persona", "clusters", "programmes"),
    [
        ("programme_admin", ["Alpha", "Beta"], ["Science Clusters"]),
        ("coordinator", ["Alpha"], ["Science Clusters"]),
        ("head", ["Alpha"], ["Science Clusters"]),
        ("viewer", ["Alpha"], ["Science Clusters"]),
        ("outsider", ["Gamma"], ["Sport Network"]),
        ("superuser", ["Alpha", "Beta", "Gamma"], ["Science Clusters", "Sport Network"]),
    ],
)
def test_each_persona_sees_exactly_its_scope(world, persona, clusters, programmes):
    user = getattr(world.users, persona)
    assert names(clusters_visible_to(user)) == clusters
    assert names(programmes_visible_to(user)) == programmes


@pytest.mark.parametrize(
    ("persona", "cluster", "for_write", "outcome"),
    [
        ("outsider", "alpha", False, Http404),
        ("outsider", "alpha", True, Http404),
        ("head", "alpha", False, None),
        ("head", "alpha", True, PermissionDenied),
        ("viewer", "alpha", True, PermissionDenied),
        ("head", "beta", False, Http404),
        ("coordinator", "alpha", True, None),
        ("coordinator", "beta", True, Http404),
        ("programme_admin", "beta", True, None),
    ],
)
def test_access_helper_answers_404_to_strangers_and_403_to_readers(
    world, persona, cluster, for_write, outcome
):
    user = getattr(world.users, persona)
    pk = getattr(world, cluster).pk
    perm = "clusters.change_cluster" if for_write else None
    if outcome is None:
        assert access_cluster(user, pk, perm=perm).pk == pk
    else:
        with pytest.raises(outcome):
            access_cluster(user, pk, perm=perm)


@pytest.mark.django_db(transaction=True)
def test_a_lock_outside_a_transaction_is_refused_loudly(world):
    # A row lock outside a transaction would lock nothing; the helper says so instead.
    with pytest.raises(ImproperlyConfigured, match="outside a transaction"):
        access_cluster(world.users.coordinator, world.alpha.pk, lock=True)
    with transaction.atomic():
        assert access_cluster(world.users.coordinator, world.alpha.pk, lock=True) == world.alpha


def test_ended_role_stops_giving_access_but_stays_known(world):
    user = world.users.coordinator
    assignment = user.person.roles.get()
    services.role_end(actor=None, assignment=assignment, end=dt.date.today())
    forget_scope(user)
    assert list(clusters_visible_to(user)) == []
    assignment.refresh_from_db()
    assert assignment.end == dt.date.today() and not assignment.is_current()


def test_a_head_loses_sight_of_a_cluster_when_their_school_leaves(world):
    from clusterwork.clusters import services as cluster_services

    membership = world.alpha.memberships.get(school=world.schools[0])
    cluster_services.membership_end(actor=None, membership=membership, end=dt.date.today())
    forget_scope(world.users.head)
    assert list(clusters_visible_to(world.users.head)) == []


def test_people_are_visible_only_within_scope(world):
    visible_to_coordinator = {p.full_name for p in people_visible_to(world.users.coordinator)}
    assert {"Coordinator", "Head", "Viewer", "Programme Admin"} <= visible_to_coordinator
    assert "Outsider" not in visible_to_coordinator
    visible_to_outsider = {p.full_name for p in people_visible_to(world.users.outsider)}
    assert visible_to_outsider == {"Outsider"}


def test_role_scope_must_fit_the_role(world):
    person = world.users.head.person
    with pytest.raises(ServiceError, match="appointed for a programme, not a school"):
        services.role_assign(
            actor=None, person=person, role=Role.PROGRAMME_ADMIN, school=world.schools[0]
        )


def test_overlapping_same_role_is_refused(world):
    person = world.users.head.person
    with pytest.raises(ServiceError, match="already holds the role headteacher"):
        services.role_assign(
            actor=None,
            person=person,
            role=Role.HEADTEACHER,
            school=world.schools[0],
            start=dt.date(2025, 1, 1),
        )
