"""What the endpoints answer: content, paging, filters, dates and error mapping."""

import datetime as dt

import pytest

from clusterwork.clusters import services
from clusterwork.clusters.models import ClusterMembership
from clusterwork.people import services as people_services
from clusterwork.people.models import Role
from clusterwork.schools.models import School
from tests.factories import LocalAuthorityFactory, SchoolFactory, TrustFactory

from .conftest import call

pytestmark = pytest.mark.django_db


def ids(response, key="id"):
    return sorted(item[key] for item in response.json()["items"])


# ----- paging ----------------------------------------------------------------------------


def test_schools_page_with_count(world, as_persona):
    SchoolFactory.create_batch(7)  # 15 schools in all
    client = as_persona("viewer")
    first = client.get("/api/v1/schools/", {"page_size": 6}).json()
    third = client.get("/api/v1/schools/", {"page_size": 6, "page": 3}).json()
    assert (first["count"], len(first["items"])) == (15, 6)
    assert (third["count"], len(third["items"])) == (15, 3)
    names = [s["name"] for s in first["items"]]
    assert names == sorted(names)


def test_page_size_is_capped_at_200(world, as_persona):
    School.objects.bulk_create(School(urn=700000 + n, name=f"Bulk {n:03}") for n in range(205))
    body = as_persona("viewer").get("/api/v1/schools/", {"page_size": 1000}).json()
    assert body["count"] == 213
    assert len(body["items"]) == 200


def test_bad_paging_is_a_422(world, as_persona):
    assert as_persona("viewer").get("/api/v1/schools/", {"page": 0}).status_code == 422


# ----- schools, trusts, local authorities ------------------------------------------------


def test_school_filters(world, as_persona):
    trust = TrustFactory(name="Oak Learning Trust")
    kent = LocalAuthorityFactory(name="Kent")
    SchoolFactory(name="Oakfield Secondary", phase="Secondary", trust=trust, local_authority=kent)
    SchoolFactory(name="Closed Infant", status="Closed")
    client = as_persona("coordinator")

    def names(**params):
        return sorted(s["name"] for s in client.get("/api/v1/schools/", params).json()["items"])

    assert names(phase="Secondary") == ["Oakfield Secondary"]
    assert names(trust=trust.pk) == ["Oakfield Secondary"]
    assert names(local_authority=kent.pk) == ["Oakfield Secondary"]
    assert names(status="closed") == ["Closed Infant"]
    assert names(q=str(world.schools[1].urn)) == [world.schools[1].name]
    assert names(cluster=world.alpha.pk) == sorted(s.name for s in world.schools[:3])
    assert client.get("/api/v1/schools/", {"phase": "Kindergarten"}).status_code == 422


def test_school_cluster_filter_only_matches_visible_clusters(world, as_persona):
    response = as_persona("outsider").get("/api/v1/schools/", {"cluster": world.alpha.pk})
    assert response.json()["count"] == 0


def test_school_detail_lists_visible_memberships_only(world, as_persona):
    school = world.schools[0]
    services.membership_add(
        actor=None, cluster=world.gamma, school=school, start=dt.date(2025, 1, 6)
    )
    seen_by_coordinator = as_persona("coordinator").get(f"/api/v1/schools/{school.urn}").json()
    seen_by_superuser = as_persona("superuser").get(f"/api/v1/schools/{school.urn}").json()
    assert seen_by_coordinator["urn"] == school.urn
    assert [m["cluster"]["name"] for m in seen_by_coordinator["memberships"]] == ["Alpha"]
    assert sorted(m["cluster"]["name"] for m in seen_by_superuser["memberships"]) == [
        "Alpha",
        "Gamma",
    ]
    assert as_persona("viewer").get("/api/v1/schools/1").json() == {
        "detail": "Not found.",
        "field": None,
    }


def test_trusts_and_local_authorities(world, as_persona):
    trust = TrustFactory(name="Birch Trust", gias_code="TR01234")
    SchoolFactory.create_batch(2, trust=trust)
    client = as_persona("head")
    listed = client.get("/api/v1/trusts/", {"q": "birch"}).json()
    assert [(t["name"], t["school_count"]) for t in listed["items"]] == [("Birch Trust", 2)]
    assert client.get("/api/v1/trusts/", {"q": "tr01234"}).json()["count"] == 1
    detail = client.get(f"/api/v1/trusts/{trust.pk}").json()
    assert len(detail["schools"]) == 2 and detail["school_count"] == 2
    las = client.get("/api/v1/local-authorities/").json()
    assert [(la["name"], la["school_count"]) for la in las["items"]] == [("Surrey", 10)]


# ----- programmes and clusters -----------------------------------------------------------


def test_programmes_are_scoped(world, as_persona):
    assert [
        p["name"] for p in as_persona("outsider").get("/api/v1/programmes/").json()["items"]
    ] == ["Sport Network"]
    detail = as_persona("coordinator").get(f"/api/v1/programmes/{world.science.pk}").json()
    # The coordinator sees the programme through alpha, and only alpha in it.
    assert [(c["name"], c["member_count"]) for c in detail["clusters"]] == [("Alpha", 3)]
    assert [p["full_name"] for p in detail["clusters"][0]["coordinators"]] == ["Coordinator"]
    admin_view = as_persona("programme_admin").get(f"/api/v1/programmes/{world.science.pk}")
    assert [c["name"] for c in admin_view.json()["clusters"]] == ["Alpha", "Beta"]


def test_cluster_list_filters(world, as_persona):
    services.cluster_update(actor=None, cluster=world.beta, status="paused")
    client = as_persona("superuser")

    def names(**params):
        return [c["name"] for c in client.get("/api/v1/clusters/", params).json()["items"]]

    assert names() == ["Alpha", "Beta", "Gamma"]
    assert names(programme=world.science.pk) == ["Alpha", "Beta"]
    assert names(kind="school_sport_partnership") == ["Gamma"]
    assert names(status="paused") == ["Beta"]
    assert names(q="surr") == ["Alpha"]  # region
    assert names(q="alp") == ["Alpha"]
    assert as_persona("viewer").get("/api/v1/clusters/").json()["items"][0]["member_count"] == 3


def test_cluster_detail_has_members_and_size_check(world, as_persona):
    body = as_persona("viewer").get(f"/api/v1/clusters/{world.alpha.pk}").json()
    assert body["programme"] == {"id": world.science.pk, "name": "Science Clusters"}
    assert sorted(m["school"]["urn"] for m in body["members"]) == sorted(
        s.urn for s in world.schools[:3]
    )
    assert body["members"][0]["school"]["local_authority"] == "Surrey"
    assert body["size_check"] == {
        "size": 3,
        "minimum": 3,
        "maximum": 12,
        "ok": True,
        "message": "3 member schools, within 3–12.",
    }


def test_create_update_and_archive_a_cluster(world, as_persona):
    client = as_persona("programme_admin")
    lead = world.schools[3]
    created = call(
        client,
        "POST",
        "/api/v1/clusters/",
        {
            "programme": world.science.pk,
            "name": "  Delta ",
            "kind": "subject_network",
            "lead_school_urn": lead.urn,
            "started_on": "2025-09-01",
        },
    )
    assert created.status_code == 201, created.content
    delta = created.json()
    assert (delta["name"], delta["started_on"], delta["lead_school"]["urn"]) == (
        "Delta",
        "2025-09-01",
        lead.urn,
    )
    assert delta["size_check"]["ok"] is False  # empty: below the minimum, shown not blocked

    changed = call(
        client,
        "PATCH",
        f"/api/v1/clusters/{delta['id']}",
        {
            "status": "forming",
            "lead_school_urn": None,
            "reason": "no host yet",
        },
    )
    assert changed.status_code == 200, changed.content
    assert (changed.json()["status"], changed.json()["lead_school"]) == ("forming", None)
    assert changed.json()["name"] == "Delta"  # fields not sent are left alone

    archived = call(
        client, "POST", f"/api/v1/clusters/{world.alpha.pk}/archive", {"on": "2025-07-31"}
    )
    assert archived.status_code == 200, archived.content
    assert (archived.json()["archived"], archived.json()["status"], archived.json()["members"]) == (
        True,
        "closed",
        [],
    )
    ended = ClusterMembership.objects.filter(cluster=world.alpha)
    assert {m.end for m in ended} == {dt.date(2025, 7, 31)}
    assert "Alpha" not in [c["name"] for c in client.get("/api/v1/clusters/").json()["items"]]


def test_archive_accepts_no_body(world, as_persona):
    # As `curl -X POST` sends it: no body at all.
    response = as_persona("coordinator").post(
        f"/api/v1/clusters/{world.alpha.pk}/archive", data="", content_type="application/json"
    )
    assert response.status_code == 200, response.content


# ----- memberships -----------------------------------------------------------------------


def test_add_end_and_move_memberships(world, as_persona):
    client = as_persona("coordinator")
    newcomer = SchoolFactory()
    added = call(
        client,
        "POST",
        "/api/v1/memberships/",
        {
            "cluster": world.alpha.pk,
            "school_urn": newcomer.urn,
            "start": "2025-01-06",
        },
    )
    assert added.status_code == 201, added.content
    body = added.json()
    assert body["membership"]["school"] == {"urn": newcomer.urn, "name": newcomer.name}
    assert body["membership"]["start"] == "2025-01-06"
    assert body["size_check"]["size"] == 4

    ended = call(
        client,
        "POST",
        f"/api/v1/memberships/{body['membership']['id']}/end",
        {
            "end": "2025-03-01",
            "reason": "left the programme",
        },
    )
    assert ended.status_code == 200, ended.content
    assert ended.json()["membership"]["end"] == "2025-03-01"
    assert ended.json()["membership"]["end_reason"] == "left the programme"
    assert ended.json()["size_check"]["size"] == 3

    moved = call(
        as_persona("programme_admin"),
        "POST",
        "/api/v1/memberships/move",
        {
            "school_urn": world.schools[3].urn,
            "to_cluster": world.alpha.pk,
            "on": "2025-04-01",
        },
    )
    assert moved.status_code == 200, moved.content
    assert moved.json()["membership"]["cluster"]["name"] == "Alpha"
    old = ClusterMembership.objects.get(cluster=world.beta, school=world.schools[3])
    assert old.end == dt.date(2025, 4, 1)


def test_coordinator_cannot_move_a_school_out_of_a_cluster_they_cannot_change(world, as_persona):
    response = call(
        as_persona("coordinator"),
        "POST",
        "/api/v1/memberships/move",
        {
            "school_urn": world.schools[3].urn,
            "to_cluster": world.alpha.pk,
        },
    )
    assert response.status_code == 403
    assert "may not change" in response.json()["detail"]
    assert (
        ClusterMembership.objects.get(school=world.schools[3], end__isnull=True).cluster
        == world.beta
    )


def test_memberships_on_a_date(world, as_persona):
    school = world.schools[0]
    services.membership_move(
        actor=None, school=school, to_cluster=world.beta, on=dt.date(2025, 1, 1)
    )
    client = as_persona("programme_admin")

    def clusters_on(day):
        response = client.get("/api/v1/memberships/", {"school_urn": school.urn, "on": day})
        return [m["cluster"]["name"] for m in response.json()["items"]]

    assert clusters_on("2024-08-31") == []
    assert clusters_on("2024-09-01") == ["Alpha"]  # start is inclusive
    assert clusters_on("2024-12-31") == ["Alpha"]
    assert clusters_on("2025-01-01") == ["Beta"]  # end is exclusive
    everything = client.get("/api/v1/memberships/", {"school_urn": school.urn}).json()
    assert [(m["cluster"]["name"], m["is_current"]) for m in everything["items"]] == [
        ("Beta", True),
        ("Alpha", False),
    ]
    by_cluster = client.get("/api/v1/memberships/", {"cluster": world.alpha.pk, "on": "2025-02-01"})
    assert by_cluster.json()["count"] == 2
    assert client.get("/api/v1/memberships/", {"on": "31/12/2024"}).status_code == 422


def test_membership_list_is_scoped(world, as_persona):
    urns = {
        m["school"]["urn"]
        for m in as_persona("outsider").get("/api/v1/memberships/").json()["items"]
    }
    assert urns == {s.urn for s in world.schools[6:8]}


# ----- errors ----------------------------------------------------------------------------


def test_service_error_becomes_400_with_message_and_field(world, as_persona):
    response = call(
        as_persona("programme_admin"),
        "POST",
        "/api/v1/memberships/",
        {
            "cluster": world.alpha.pk,
            "school_urn": world.schools[3].urn,
        },
    )
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == "school"
    assert "only one cluster of a programme" in body["detail"]
    assert "Beta" in body["detail"]


def test_other_service_errors(world, as_persona):
    client = as_persona("programme_admin")
    duplicate = call(
        client,
        "POST",
        "/api/v1/clusters/",
        {
            "programme": world.science.pk,
            "name": "alpha",
            "kind": "subject_network",
        },
    )
    assert duplicate.status_code == 400
    assert duplicate.json()["field"] == "name"
    unknown_school = call(
        client,
        "POST",
        "/api/v1/memberships/",
        {
            "cluster": world.alpha.pk,
            "school_urn": 1,
        },
    )
    assert unknown_school.json() == {"detail": "No school has URN 1.", "field": "school_urn"}
    # Model validation raised by a service's full_clean maps the same way.
    too_long = call(client, "PATCH", f"/api/v1/clusters/{world.alpha.pk}", {"name": "x" * 200})
    assert too_long.status_code == 400
    assert too_long.json()["field"] == "name"
    empty_name = call(client, "PATCH", f"/api/v1/clusters/{world.alpha.pk}", {"name": None})
    assert empty_name.json()["field"] == "name"
    ended_twice = call(client, "POST", f"/api/v1/clusters/{world.beta.pk}/archive", {})
    again = call(client, "POST", f"/api/v1/clusters/{world.beta.pk}/archive")
    assert (ended_twice.status_code, again.status_code) == (200, 400)
    assert again.json() == {"detail": "This cluster is already archived.", "field": None}


def test_403_and_404_bodies(world, as_persona):
    forbidden = call(
        as_persona("viewer"), "PATCH", f"/api/v1/clusters/{world.alpha.pk}", {"region": "x"}
    )
    assert forbidden.json() == {"detail": "You may see this but not change it.", "field": None}
    hidden = as_persona("outsider").get(f"/api/v1/clusters/{world.alpha.pk}")
    assert hidden.json() == {"detail": "Not found.", "field": None}


# ----- people ----------------------------------------------------------------------------


def test_people_are_scoped_and_filterable(world, as_persona):
    def names(persona, **params):
        response = as_persona(persona).get("/api/v1/people/", params)
        return sorted(p["full_name"] for p in response.json()["items"])

    assert names("outsider") == ["Outsider"]
    assert "Outsider" not in names("programme_admin")
    assert {"Coordinator", "Head", "Viewer"} <= set(names("programme_admin"))
    assert names("programme_admin", q="coord") == ["Coordinator"]
    assert names("superuser", role="cluster_coordinator") == ["Coordinator", "Outsider"]


def test_roles_in_scopes_the_caller_cannot_see_are_left_out(world, as_persona):
    coordinator = world.users.coordinator.person
    people_services.role_assign(
        actor=None,
        person=coordinator,
        role=Role.VIEWER,
        cluster=world.gamma,
        start=dt.date(2024, 9, 1),
    )
    url = f"/api/v1/people/{coordinator.pk}/roles"
    admin_sees = [r["scope_name"] for r in as_persona("programme_admin").get(url).json()]
    superuser_sees = [r["scope_name"] for r in as_persona("superuser").get(url).json()]
    assert admin_sees == ["Alpha"]
    assert sorted(superuser_sees) == ["Alpha", "Gamma"]
    detail = as_persona("programme_admin").get(f"/api/v1/people/{coordinator.pk}").json()
    assert [(r["role"], r["scope_kind"]) for r in detail["current_roles"]] == [
        ("cluster_coordinator", "cluster"),
    ]


def test_me(world, as_persona):
    head = as_persona("head").get("/api/v1/me").json()
    assert head["email"] == "head@example.org"
    assert head["person"]["full_name"] == "Head"
    assert [
        (r["role"], r["scope_id"], r["is_current"]) for r in head["person"]["current_roles"]
    ] == [
        ("headteacher", world.schools[0].pk, True),
    ]
    root = as_persona("superuser").get("/api/v1/me").json()
    assert (root["is_superuser"], root["person"]) == (True, None)
