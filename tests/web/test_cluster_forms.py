"""The write forms of the cluster page: each goes through clusters.services, and a refusal
(ServiceError) comes back next to the form, in full pages and in htmx partials alike."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from clusterwork.clusters.models import ClusterMembership
from tests.factories import SchoolFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


def today():
    return timezone.localdate()


def page_text(response) -> str:
    return response.content.decode()


def membership(world, index):
    return ClusterMembership.objects.get(school=world.schools[index], end__isnull=True)


def test_add_member_then_refuse_a_school_of_another_cluster(world, login):
    client = login(world.users.coordinator)
    url = reverse("member_add", args=[world.alpha.pk])
    newcomer = SchoolFactory(name="Newcomer Primary")
    response = client.post(url, {"school": newcomer.urn, "start": today().isoformat()})
    assert response.status_code == 302
    assert world.alpha.memberships.current().filter(school=newcomer).exists()
    page = page_text(client.get(reverse("cluster_detail", args=[world.alpha.pk])))
    assert "Newcomer Primary added to Alpha." in page
    # beta's school is in the same programme: the service refuses and the page says why.
    taken = world.schools[3]
    response = client.post(url, {"school": taken.urn, "start": today().isoformat()})
    assert response.status_code == 200  # a refused form: its errors, never 400
    text = page_text(response)
    assert f"{taken.name} is in Beta (same programme" in text
    assert 'class="field has-error"' in text
    assert not world.alpha.memberships.filter(school=taken).exists()


def test_add_member_with_htmx_returns_the_members_region_only(world, login):
    client = login(world.users.coordinator)
    newcomer = SchoolFactory(name="Htmx Primary")
    response = client.post(
        reverse("member_add", args=[world.alpha.pk]),
        {"school": newcomer.urn, "start": today().isoformat()},
        **HTMX,
    )
    text = page_text(response)
    assert response.status_code == 200
    assert text.lstrip().startswith('<section id="members"')
    assert "<html" not in text
    assert "Htmx Primary" in text and "Htmx Primary added to Alpha." in text
    # An unknown URN is a field error, shown inside the same region.
    response = client.post(
        reverse("member_add", args=[world.alpha.pk]), {"school": 1, "start": "2025-01-01"}, **HTMX
    )
    assert "There is no school with URN 1." in page_text(response)


def test_size_check_warns_but_never_blocks(world, login):
    client = login(world.users.coordinator)
    first = membership(world, 0)
    response = client.post(
        reverse("member_end", args=[world.alpha.pk, first.pk]),
        {"end": today().isoformat(), "reason": "closing"},
        follow=True,
    )
    text = page_text(response)
    assert "2 member schools: below this programme&#x27;s minimum of 3." in text
    first.refresh_from_db()
    assert first.end == today() and first.end_reason == "closing"


def test_end_membership_refuses_an_end_before_the_start(world, login):
    client = login(world.users.coordinator)
    second = membership(world, 1)
    response = client.post(
        reverse("member_end", args=[world.alpha.pk, second.pk]), {"end": "2024-08-01"}, **HTMX
    )
    assert "The end date 1 Aug 2024 must be after the start date 1 Sep 2024." in page_text(response)
    second.refresh_from_db()
    assert second.end is None


def test_move_a_school_and_refuse_a_move_dated_too_early(world, login):
    client = login(world.users.programme_admin)
    moving = membership(world, 1)
    url = reverse("member_move", args=[world.alpha.pk, moving.pk])
    response = client.post(url, {"to_cluster": world.beta.pk, "on": "2024-08-01"})
    assert response.status_code == 200  # a refused form: its errors, never 400
    assert "a move must be dated after that" in page_text(response)
    response = client.post(url, {"to_cluster": world.beta.pk, "on": today().isoformat()})
    assert response.status_code == 302
    assert world.beta.memberships.current().filter(school=world.schools[1]).exists()
    moving.refresh_from_db()
    assert moving.end == today()


def test_coordinator_cannot_move_into_a_cluster_they_do_not_run(world, login):
    client = login(world.users.coordinator)
    moving = membership(world, 1)
    page = page_text(client.get(reverse("cluster_detail", args=[world.alpha.pk])))
    assert "Move school" not in page  # no target they may change
    response = client.post(
        reverse("member_move", args=[world.alpha.pk, moving.pk]),
        {"to_cluster": world.beta.pk, "on": today().isoformat()},
    )
    assert response.status_code == 200  # a refused form: its errors, never 400
    assert "Select a valid choice" in page_text(response)


def test_archive_then_restore(world, login):
    client = login(world.users.programme_admin)
    archive = reverse("cluster_archive", args=[world.alpha.pk])
    response = client.post(archive, {"on": today().isoformat(), "reason": "merged"}, follow=True)
    assert "Alpha is archived; its memberships have ended." in page_text(response)
    world.alpha.refresh_from_db()
    assert world.alpha.is_archived
    assert not world.alpha.memberships.current().exists()
    # Archived: the page offers restore, and a second archive is refused with the reason.
    response = client.post(archive, {"on": today().isoformat()})
    assert response.status_code == 200  # a refused form: its errors, never 400
    assert "This cluster is already archived." in page_text(response)
    response = client.post(reverse("cluster_restore", args=[world.alpha.pk]), follow=True)
    assert "Alpha is restored." in page_text(response)
    response = client.post(reverse("cluster_restore", args=[world.alpha.pk]))
    assert "This cluster is not archived." in page_text(response)


def test_edit_cluster_shows_a_name_clash_next_to_the_name(world, login):
    client = login(world.users.programme_admin)
    url = reverse("cluster_edit", args=[world.alpha.pk])
    response = client.post(url, {"name": "beta", "kind": "subject_network", "status": "active"})
    assert response.status_code == 200  # a refused form: its errors, never 400
    text = page_text(response)
    assert "Science Clusters already has a cluster called “beta”." in text
    assert 'id="id_name_error"' in text or "has-error" in text
    response = client.post(
        url,
        {
            "name": "Alpha North",
            "kind": "subject_network",
            "status": "paused",
            "lead_school": world.schools[0].urn,
        },
    )
    assert response.status_code == 302
    world.alpha.refresh_from_db()
    assert (world.alpha.name, world.alpha.status, world.alpha.lead_school) == (
        "Alpha North",
        "paused",
        world.schools[0],
    )
    history = page_text(client.get(reverse("cluster_history", args=[world.alpha.pk])))
    assert "Programme Admin" in history and "Alpha North" in history


def test_as_of_date_shows_past_members(world, login):
    client = login(world.users.coordinator)
    leaver = membership(world, 2)
    client.post(
        reverse("member_end", args=[world.alpha.pk, leaver.pk]), {"end": today().isoformat()}
    )
    url = reverse("cluster_detail", args=[world.alpha.pk])
    current = page_text(client.get(url, {"on": today().isoformat()}))
    before = page_text(client.get(url, {"on": (today() - dt.timedelta(days=1)).isoformat()}))
    name = world.schools[2].name
    assert f">{name}</a></td>\n        <td>{world.schools[2].urn}" in before
    assert f">{name}</a></td>\n        <td>{world.schools[2].urn}" not in current
    assert "Past members" in current and name in current  # still listed with its dates


def test_typeahead_finds_schools_not_already_members(world, login):
    client = login(world.users.coordinator)
    SchoolFactory(name="Zebra Crossing Academy", urn=123456)
    url = reverse("member_search", args=[world.alpha.pk])
    text = page_text(client.get(url, {"q": "zebra"}, **HTMX))
    assert 'data-fill-urn="123456"' in text and "<html" not in text
    text = page_text(client.get(url, {"q": str(world.schools[0].urn)}, **HTMX))
    assert "No school found" in text  # already a member


def test_api_token_key_is_shown_once_and_can_be_revoked(world, login):
    client = login(world.users.viewer)
    response = client.post(reverse("token_list"), {"name": "laptop"})
    text = page_text(response)
    assert 'id="new-key">cw_' in text
    assert response["Cache-Control"] == "no-store"
    assert 'id="new-key"' not in page_text(client.get(reverse("token_list")))
    token = world.users.viewer.api_tokens.get()
    client.post(reverse("token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None
