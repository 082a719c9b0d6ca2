import datetime as dt

import pytest
from django.urls import reverse

from clusterwork.meetings import services
from clusterwork.meetings.models import CalendarFeedToken
from clusterwork.people.models import Role

pytestmark = pytest.mark.django_db


def parse_ics(text: str) -> list[dict]:
    """A strict little reader: CRLF lines, unfolding, balanced BEGIN/END, required fields."""
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    lines = text.split("\r\n")[:-1]
    assert all(len(line.encode()) <= 75 for line in lines)
    unfolded = []
    for line in lines:
        if line.startswith(" "):
            unfolded[-1] += line[1:]
        else:
            unfolded.append(line)
    assert unfolded[0] == "BEGIN:VCALENDAR" and unfolded[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in unfolded and any(u.startswith("PRODID:") for u in unfolded)
    events, current = [], None
    for line in unfolded[1:-1]:
        if line == "BEGIN:VEVENT":
            assert current is None
            current = {}
        elif line == "END:VEVENT":
            for key in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"):
                assert key in current, key
            events.append(current)
            current = None
        elif current is not None:
            key, _, value = line.partition(":")
            current[key] = value
    assert current is None
    for event in events:
        start = dt.datetime.strptime(event["DTSTART"], "%Y%m%dT%H%M%SZ")
        assert dt.datetime.strptime(event["DTEND"], "%Y%m%dT%H%M%SZ") > start
    return events


def test_feeds_are_secret_revocable_and_valid(client, world, staff, make_meeting):
    long_title = "Working scientifically; moderation, planning and a very long title é" * 2
    event = make_meeting(title=long_title, agenda="1. Welcome\n2. Plans, ideas; next steps")
    services.invite_by_role(actor=None, event=event, role=Role.SUBJECT_LEADER)
    leader = staff.leaders[0].user
    client.force_login(leader)
    client.post(reverse("meetings:calendar_token"), {"action": "create"})
    page = client.get(reverse("meetings:calendar_feeds")).text
    key = page.split("/meetings/feed/")[1].split("/")[0]
    assert CalendarFeedToken.objects.get().key_hash == CalendarFeedToken.hash_key(key)
    assert key not in client.get(reverse("meetings:calendar_feeds")).text  # shown once
    client.logout()

    mine = client.get(reverse("meetings:feed_user", args=[key]))
    assert mine.status_code == 200 and mine["Content-Type"].startswith("text/calendar")
    (parsed,) = parse_ics(mine.content.decode())
    assert parsed["SUMMARY"].startswith("Working scientifically\\; moderation\\,")
    assert "2. Plans\\, ideas\\; next steps" in parsed["DESCRIPTION"]

    cluster_feed = client.get(reverse("meetings:feed_cluster", args=[key, world.alpha.pk]))
    assert len(parse_ics(cluster_feed.content.decode())) == 1
    assert (
        client.get(reverse("meetings:feed_cluster", args=[key, world.gamma.pk])).status_code == 404
    )
    assert client.get(reverse("meetings:feed_user", args=["guess" * 8])).status_code == 404

    client.force_login(leader)
    client.post(reverse("meetings:calendar_token"), {"action": "revoke"})
    client.logout()
    assert client.get(reverse("meetings:feed_user", args=[key])).status_code == 404


def test_declined_and_cancelled_events_in_the_feed(client, world, staff, make_meeting):
    kept, declined = make_meeting(title="Kept"), make_meeting(title="Declined", days=8)
    for event in (kept, declined):
        services.invite_person(actor=None, event=event, person=staff.leaders[0])
    services.rsvp_for_event(actor=staff.leaders[0].user, event=declined, response="no")
    services.event_cancel(actor=None, event=kept)
    _, key = services.feed_token_create(user=staff.leaders[0].user)
    events = parse_ics(client.get(reverse("meetings:feed_user", args=[key])).content.decode())
    assert [(e["SUMMARY"], e["STATUS"]) for e in events] == [("Kept", "CANCELLED")]
