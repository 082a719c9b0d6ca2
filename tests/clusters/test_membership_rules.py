import datetime as dt

import pytest

from clusterwork.clusters import selectors, services
from clusterwork.core.errors import ServiceError
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db


def test_school_is_in_one_cluster_of_a_programme_at_a_time(world):
    school = world.schools[0]  # in alpha since START
    with pytest.raises(ServiceError, match="only one cluster of a programme"):
        services.membership_add(actor=None, cluster=world.beta, school=school)


def test_school_may_be_in_clusters_of_different_programmes(world):
    school = world.schools[0]
    membership, _ = services.membership_add(actor=None, cluster=world.gamma, school=school)
    assert membership.programme == world.sport


def test_move_keeps_history_and_answers_cluster_on_a_date(world):
    school = world.schools[0]
    services.membership_move(
        actor=world.users.programme_admin,
        school=school,
        to_cluster=world.beta,
        on=dt.date(2025, 1, 6),
        reason="closer to Beta",
    )
    assert selectors.cluster_on(school, world.science, dt.date(2024, 9, 1)) == world.alpha
    assert selectors.cluster_on(school, world.science, dt.date(2025, 1, 5)) == world.alpha
    assert selectors.cluster_on(school, world.science, dt.date(2025, 1, 6)) == world.beta
    assert selectors.cluster_on(school, world.science, dt.date(2024, 8, 31)) is None
    rows = school.cluster_memberships.order_by("start")
    assert [(m.cluster.name, m.end) for m in rows] == [
        ("Alpha", dt.date(2025, 1, 6)),
        ("Beta", None),
    ]
    ended = rows[0]
    assert ended.history.first().history_user == world.users.programme_admin


def test_overlapping_dated_membership_is_refused(world):
    school = SchoolFactory()
    services.membership_add(
        actor=None,
        cluster=world.alpha,
        school=school,
        start=dt.date(2023, 1, 1),
        end=dt.date(2023, 12, 31),
    )
    with pytest.raises(ServiceError, match="only one cluster"):
        services.membership_add(
            actor=None,
            cluster=world.beta,
            school=school,
            start=dt.date(2023, 6, 1),
            end=dt.date(2023, 9, 1),
        )
    # After the first one ended the school may join another cluster of the programme.
    services.membership_add(
        actor=None, cluster=world.beta, school=school, start=dt.date(2024, 1, 1)
    )


def test_size_outside_bounds_is_a_warning_not_a_block(world):
    school = SchoolFactory()
    _, check = services.membership_add(actor=None, cluster=world.gamma, school=school)
    assert check.size == 3 and check.ok
    membership = world.gamma.memberships.get(school=world.schools[6])
    _, check = services.membership_end(actor=None, membership=membership, end=dt.date.today())
    assert check.size == 2 and not check.ok
    assert "below this programme's minimum of 3" in check.message


def test_archive_ends_memberships_and_keeps_rows(world):
    services.cluster_archive(actor=world.users.programme_admin, cluster=world.beta, reason="merged")
    world.beta.refresh_from_db()
    assert world.beta.is_archived and world.beta.archived_by == world.users.programme_admin
    assert world.beta.memberships.count() == 3
    assert world.beta.memberships.current().count() == 0


def test_end_before_start_is_refused_with_the_dates(world):
    membership = world.alpha.memberships.first()
    with pytest.raises(ServiceError, match="must be after the start date 1 Sep 2024"):
        services.membership_end(actor=None, membership=membership, end=dt.date(2024, 1, 1))
