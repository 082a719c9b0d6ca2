import json

import pytest

from clusterwork.meetings.models import Attendance
from clusterwork.people.models import Role

from .conftest import happened, soon

pytestmark = pytest.mark.django_db


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_schedule_invite_record_and_engagement_through_the_api(client, world, staff):
    start, end = soon()
    client.force_login(world.users.viewer)
    body = {
        "cluster": world.alpha.pk,
        "title": "API meeting",
        "starts_at": start.isoformat(),
        "ends_at": end.isoformat(),
        "location": "Hall",
        "invite_roles": [Role.SUBJECT_LEADER],
    }
    assert post(client, "/api/v1/meetings/", body).status_code == 403
    client.force_login(world.users.outsider)
    assert post(client, "/api/v1/meetings/", body).status_code == 404
    client.force_login(world.users.coordinator)
    bad = post(client, "/api/v1/meetings/", {**body, "ends_at": start.isoformat()})
    assert bad.status_code == 400 and "end after it starts" in bad.json()["detail"]
    created = post(client, "/api/v1/meetings/", body)
    assert created.status_code == 201, created.content
    event = created.json()
    assert len(event["invitations"]) == 3

    from clusterwork.meetings.models import Event

    happened(Event.objects.get(pk=event["id"]))
    lines = [
        {"person": i["person"]["id"], "status": Attendance.ATTENDED} for i in event["invitations"]
    ]
    stranger = {"person": staff.heads[1].pk, "status": Attendance.ATTENDED}
    refused = post(client, f"/api/v1/meetings/{event['id']}/attendance", [*lines, stranger])
    assert refused.status_code == 400 and "was not invited" in refused.json()["detail"]
    recorded = post(client, f"/api/v1/meetings/{event['id']}/attendance", lines)
    assert {i["attendance"] for i in recorded.json()["invitations"]} == {"attended"}
    # The stranger came after all: added to the register afterwards, without an email.
    added = post(
        client, f"/api/v1/meetings/{event['id']}/invitations", {"person": stranger["person"]}
    )
    assert added.status_code == 201
    assert added.json() == {"invited": 1, "already_invited": 0, "emailed": False}
    recorded = post(client, f"/api/v1/meetings/{event['id']}/attendance", [*lines, stranger])
    assert recorded.status_code == 200

    report = client.get(f"/api/v1/meetings/engagement/clusters/{world.alpha.pk}").json()
    assert report["total"] == 3 and all(r["attended"] == 1 for r in report["rows"])
    client.force_login(world.users.head)
    assert client.get(f"/api/v1/meetings/engagement/clusters/{world.alpha.pk}").status_code == 403
    client.force_login(world.users.outsider)
    assert client.get(f"/api/v1/meetings/{event['id']}").status_code == 404
    assert client.get("/api/v1/meetings/").json()["count"] == 0
