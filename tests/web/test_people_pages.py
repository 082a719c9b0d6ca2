"""Role pages: appointing and ending roles goes through people.services, and nobody can
grant themselves more than they already may change."""

from django.urls import reverse
from django.utils import timezone

from clusterwork.people.models import Role


def test_coordinator_cannot_make_themselves_programme_admin(world, login):
    client = login(world.users.coordinator)
    person = world.users.coordinator.person
    response = client.post(
        reverse("role_assign", args=[person.pk]),
        {
            "role": Role.PROGRAMME_ADMIN,
            "scope_kind": "programme",
            "scope_id": world.science.pk,
            "start": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 403
    assert not person.roles.filter(role=Role.PROGRAMME_ADMIN).exists()


def test_assign_refusal_and_unknown_scope_are_shown_on_the_form(world, login):
    client = login(world.users.programme_admin)
    person = world.users.viewer.person
    url = reverse("role_assign", args=[person.pk])
    today = timezone.localdate().isoformat()
    response = client.post(
        url,
        {
            "role": Role.HEADTEACHER,
            "scope_kind": "cluster",
            "scope_id": world.alpha.pk,
            "start": today,
        },
    )
    assert response.status_code == 400
    assert "A headteacher is appointed for a school, not a cluster." in response.content.decode()
    response = client.post(
        url,
        {"role": Role.VIEWER, "scope_kind": "cluster", "scope_id": world.gamma.pk, "start": today},
    )
    assert f"There is no cluster “{world.gamma.pk}” that you can see." in response.content.decode()
    response = client.post(
        url,
        {
            "role": Role.SUBJECT_LEADER,
            "scope_kind": "cluster",
            "scope_id": world.alpha.pk,
            "start": today,
        },
        follow=True,
    )
    assert "Viewer now holds that role." in response.content.decode()
    assert person.roles.filter(role=Role.SUBJECT_LEADER, cluster=world.alpha).exists()


def test_end_role_shows_the_service_refusal(world, login):
    client = login(world.users.programme_admin)
    person = world.users.viewer.person
    role = person.roles.get()
    url = reverse("role_end", args=[person.pk, role.pk])
    response = client.post(url, {"end": "2024-01-01"})
    assert response.status_code == 400
    assert "The end date must be after the start date 1 Sep 2024." in response.content.decode()
    response = client.post(url, {"end": timezone.localdate().isoformat()})
    assert response.status_code == 302
    role.refresh_from_db()
    assert role.end == timezone.localdate()
    page = client.get(reverse("person_detail", args=[person.pk])).content.decode()
    assert "not current" in page  # ended roles stay listed, with their dates
