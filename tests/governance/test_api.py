"""The API's refusals answer 400 with the reason (inquorate, conflicted voter), never 500."""

import datetime as dt
import json

from django.test import Client

from clusterwork.governance import services
from clusterwork.people.models import User

from .conftest import meeting_for


def _post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def test_votes_are_refused_with_the_reason(trust_world):
    w = trust_world
    client = Client()
    client.force_login(User.objects.create_superuser(email="su@example.org", password="x"))
    meeting = meeting_for(w.board)
    item = services.item_add(actor=None, meeting=meeting, title="Contract")
    motion = services.motion_propose(actor=None, item=item, text="Award it")
    base = f"/api/v1/governance/meetings/{meeting.pk}"
    vote = {"motion": motion.pk, "person": w.heads[0].pk, "choice": "for"}
    response = _post(client, f"{base}/votes", vote)
    assert response.status_code == 400
    assert "not recorded as present" in response.json()["detail"]
    _post(client, f"{base}/attendance", {"person": w.heads[0].pk, "status": "present"})
    response = _post(client, f"{base}/votes", vote)
    assert response.status_code == 400 and "not quorate" in response.json()["detail"]
    for person in [*w.heads[1:3], w.chairs[0], w.chairs[1]]:
        _post(client, f"{base}/attendance", {"person": person.pk, "status": "present"})
    services.interest_declare(actor=None, item=item, person=w.heads[1], interest="Supplier")
    response = _post(client, f"{base}/votes", {**vote, "person": w.heads[1].pk})
    assert response.status_code == 400 and "declared an interest" in response.json()["detail"]
    assert _post(client, f"{base}/votes", vote).status_code == 200
    attendance = client.get(f"{base}/attendance").json()
    assert attendance["quorate"] and attendance["present_voting"] == 5


def test_who_decides_answers_with_the_level_and_why(trust_world):
    from clusterwork.governance import scheme

    w = trust_world
    cells = {(a.key, "trust_board"): "D" for a in scheme.areas()}
    version = scheme.version_create(actor=None, trust=w.trust, cells=cells)
    scheme.version_approve(actor=None, version=version, approved_on=dt.date(2024, 9, 1))
    client = Client()
    client.force_login(User.objects.create_superuser(email="su@example.org", password="x"))
    url = "/api/v1/governance/delegation/who-decides"
    answer = client.get(url, {"school": w.schools[0].urn, "area": "admissions"}).json()
    assert answer["level"] == "trust_board" and "trust default" in answer["why"]
    bad = client.get(url, {"school": w.schools[0].urn, "area": "lunch"})
    assert bad.status_code == 400 and "No decision area" in bad.json()["detail"]
