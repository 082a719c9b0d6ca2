import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from clusterwork.circumstances import services
from clusterwork.circumstances.models import StaffChange
from clusterwork.circumstances.selectors import cluster_changes, role_history
from clusterwork.core.errors import ServiceError
from clusterwork.meetings import services as meeting_services
from clusterwork.people import services as people_services
from clusterwork.people.models import Role, RoleAssignment
from tests.factories import TrustFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


@pytest.fixture
def leader(world):
    person = people_services.person_create(
        actor=None, full_name="Sam Leader", email="sam@example.org", school=world.schools[1]
    )
    return people_services.role_assign(
        actor=None,
        person=person,
        role=Role.SUBJECT_LEADER,
        school=world.schools[1],
        start=dt.date(2024, 9, 1),
    )


@pytest.fixture
def open_action(world, leader):
    start = timezone.now() - dt.timedelta(days=3)
    event = meeting_services.event_create(
        actor=None,
        title="Autumn meeting",
        cluster=world.alpha,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        location="Alpha Primary hall",
    )
    return meeting_services.action_create(
        actor=None, event=event, description="Share the planning audit", owner=leader.person
    )


def test_leaving_ends_the_role_hands_over_actions_and_keeps_history(world, leader, open_action):
    successor = people_services.person_create(
        actor=None, full_name="Alex New", email="alex@example.org", school=world.schools[1]
    )
    change = services.staff_change_record(
        actor=world.users.coordinator,
        cluster=world.alpha,
        assignment=leader,
        kind="left",
        starts_on=TODAY,
        replacement=successor,
        handover_notes="Audit folder on the shared drive",
    )
    leader.refresh_from_db()
    open_action.refresh_from_db()
    assert leader.end == TODAY
    assert open_action.owner == successor and change.actions_moved == 1
    new_role = RoleAssignment.objects.get(person=successor, role=Role.SUBJECT_LEADER)
    assert new_role.start == TODAY and new_role.end is None
    holders = [
        (r.person.full_name, r.start, r.end)
        for r in role_history(world.alpha)
        if r.role == Role.SUBJECT_LEADER
    ]
    assert holders == [("Sam Leader", dt.date(2024, 9, 1), TODAY), ("Alex New", TODAY, None)]
    assert open_action.history.first().history_user == world.users.coordinator


def test_sabbatical_needs_an_end_and_a_review_and_covers_temporarily(world, leader, open_action):
    cover = people_services.person_create(
        actor=None, full_name="Cover Teacher", school=world.schools[1]
    )
    with pytest.raises(ServiceError, match="set period"):
        services.staff_change_record(
            actor=None,
            cluster=world.alpha,
            assignment=leader,
            kind="sabbatical",
            starts_on=TODAY,
            replacement=cover,
        )
    with pytest.raises(ServiceError, match="review the sabbatical"):
        services.staff_change_record(
            actor=None,
            cluster=world.alpha,
            assignment=leader,
            kind="sabbatical",
            starts_on=TODAY,
            ends_on=TODAY + dt.timedelta(days=90),
            replacement=cover,
        )
    change = services.staff_change_record(
        actor=None,
        cluster=world.alpha,
        assignment=leader,
        kind="sabbatical",
        starts_on=TODAY,
        ends_on=TODAY + dt.timedelta(days=90),
        review_on=TODAY + dt.timedelta(days=60),
        replacement=cover,
    )
    leader.refresh_from_db()
    assert leader.end is None  # still the subject leader, away for a while
    cover_role = RoleAssignment.objects.get(person=cover)
    assert cover_role.end == TODAY + dt.timedelta(days=90)
    assert change.kind == StaffChange.Kind.SABBATICAL
    assert cluster_changes(world.alpha)["reviews_due"] == []  # review in 60 days


def test_joining_a_trust_mid_programme_updates_the_school(world):
    trust = TrustFactory(name="Downs Learning Trust")
    services.circumstance_record(
        actor=world.users.coordinator,
        cluster=world.alpha,
        kind="joined_trust",
        school=world.schools[0],
        trust=trust,
        title="Joined Downs Learning Trust",
        review_on=TODAY + dt.timedelta(days=10),
    )
    school = world.schools[0]
    school.refresh_from_db()
    assert school.trust == trust
    assert school.history.first().history_change_reason.startswith("joined Downs Learning Trust")
    assert len(cluster_changes(world.alpha)["reviews_due"]) == 1


def test_closure_ends_memberships_and_trust_change_needs_a_trust(world):
    with pytest.raises(ServiceError, match="which trust"):
        services.circumstance_record(
            actor=None,
            cluster=world.alpha,
            kind="joined_trust",
            school=world.schools[0],
            title="x",
        )
    services.circumstance_record(
        actor=None,
        cluster=world.alpha,
        kind="closure",
        school=world.schools[2],
        title="School closed",
        occurred_on=TODAY,
    )
    assert not world.alpha.memberships.current().filter(school=world.schools[2]).exists()


def test_a_role_outside_the_cluster_is_refused(world):
    outsider_role = world.users.outsider.person.roles.get()
    with pytest.raises(ServiceError, match="not held in Alpha"):
        services.staff_change_record(
            actor=None, cluster=world.alpha, assignment=outsider_role, kind="left", starts_on=TODAY
        )


@pytest.mark.parametrize(
    ("persona", "page", "form"),
    [("coordinator", 200, 200), ("head", 200, 403), ("viewer", 200, 403), ("outsider", 404, 404)],
)
def test_changes_pages_permissions(world, login, persona, page, form):
    client = login(getattr(world.users, persona))
    assert client.get(reverse("cluster_changes", args=[world.alpha.pk])).status_code == page
    assert client.get(reverse("staff_change", args=[world.alpha.pk])).status_code == form


def test_staff_change_through_the_page_with_a_new_person(world, leader, open_action, login):
    client = login(world.users.coordinator)
    response = client.post(
        reverse("staff_change", args=[world.alpha.pk]),
        {
            "assignment": leader.pk,
            "kind": "left",
            "starts_on": TODAY.isoformat(),
            "new_name": "Jo Successor",
            "new_email": "jo@example.org",
            "handover_notes": "All good",
        },
    )
    assert response.status_code == 302
    open_action.refresh_from_db()
    assert open_action.owner.full_name == "Jo Successor"
    page = client.get(reverse("cluster_changes", args=[world.alpha.pk])).content.decode()
    assert "Jo Successor" in page and "1 actions handed over" in page
