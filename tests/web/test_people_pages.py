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
            "scope": f"programme:{world.science.pk}",
            "start": timezone.localdate().isoformat(),
        },
    )
    # The programme is not among what they may appoint for: refused on the form.
    assert response.status_code == 200  # a refused form: its errors, never 400
    assert "Select a valid choice" in response.content.decode()
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
            "scope": f"cluster:{world.alpha.pk}",
            "start": today,
        },
    )
    assert response.status_code == 200  # a refused form: its errors, never 400
    assert "A headteacher is appointed for a school, not a cluster." in response.content.decode()
    response = client.post(
        url,
        {"role": Role.VIEWER, "scope": f"cluster:{world.gamma.pk}", "start": today},
    )
    assert "Select a valid choice" in response.content.decode()  # not theirs to pick
    response = client.post(
        url, {"role": Role.SUBJECT_LEADER, "school_urn": "999999999", "start": today}
    )
    assert "There is no school “999999999” that you can see." in response.content.decode()
    response = client.post(url, {"role": Role.SUBJECT_LEADER, "start": today})
    assert "Choose what the role is for, or give a school&#x27;s URN." in response.content.decode()
    response = client.post(
        url,
        {
            "role": Role.SUBJECT_LEADER,
            "scope": f"cluster:{world.alpha.pk}",
            "start": today,
        },
        follow=True,
    )
    assert "Viewer is now subject leader for Alpha." in response.content.decode()
    assert person.roles.filter(role=Role.SUBJECT_LEADER, cluster=world.alpha).exists()


def test_end_role_shows_the_service_refusal(world, login):
    client = login(world.users.programme_admin)
    person = world.users.viewer.person
    role = person.roles.get()
    url = reverse("role_end", args=[person.pk, role.pk])
    response = client.post(url, {"end": "2024-01-01"})
    assert response.status_code == 200  # a refused form: its errors, never 400
    assert "The end date must be after the start date 1 Sep 2024." in response.content.decode()
    response = client.post(url, {"end": timezone.localdate().isoformat()})
    assert response.status_code == 302
    role.refresh_from_db()
    assert role.end == timezone.localdate()
    page = client.get(reverse("person_detail", args=[person.pk])).content.decode()
    assert "not current" in page  # ended roles stay listed, with their dates


def test_role_picker_lists_what_the_user_may_appoint_for(world, login):
    from clusterwork.people import services as people_services

    person = world.users.viewer.person
    people_services.person_update(actor=None, person=person, school=world.schools[2])
    page = login(world.users.coordinator).get(reverse("person_detail", args=[person.pk]))
    text = page.content.decode()
    picker = text[text.index('name="scope"') : text.index("</select>", text.index('name="scope"'))]
    alpha_schools = [s.name for s in world.schools[0:3]]
    # Their own school first, then alpha's other schools; alpha itself; nothing else.
    positions = [picker.index(name) for name in alpha_schools]
    assert positions[2] == min(positions)
    assert f'value="cluster:{world.alpha.pk}"' in picker
    for other in (world.beta, world.gamma):
        assert f'value="cluster:{other.pk}"' not in picker
    assert "programme:" not in picker
    assert world.schools[3].name not in picker
    # A programme admin may appoint for the programme, both its clusters and their schools.
    picker = login(world.users.programme_admin).get(reverse("person_detail", args=[person.pk]))
    text = picker.content.decode()
    assert f'value="programme:{world.science.pk}"' in text
    assert f'value="cluster:{world.beta.pk}"' in text
    assert f'value="school:{world.schools[5].urn}"' in text
    assert f'value="cluster:{world.gamma.pk}"' not in text
    # Picking a school from the list appoints the person there.
    response = login(world.users.coordinator).post(
        reverse("role_assign", args=[person.pk]),
        {
            "role": Role.SUBJECT_LEADER,
            "scope": f"school:{world.schools[2].urn}",
            "start": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    assert person.roles.filter(role=Role.SUBJECT_LEADER, school=world.schools[2]).exists()
