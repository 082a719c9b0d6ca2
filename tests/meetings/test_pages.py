"""Every meetings page against every persona: 404 for outsiders, 403 for read-only users on
writes, and the pages doing what they say."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from clusterwork.meetings import services
from clusterwork.meetings.models import Attendance, EngagementEmail, Invitation
from clusterwork.people.models import Role

from .conftest import happened

pytestmark = pytest.mark.django_db

PERSONAS = ("programme_admin", "coordinator", "head", "viewer", "outsider", "superuser")


@pytest.fixture
def meeting(world, staff, make_meeting):
    event = make_meeting(agenda="1. Welcome")
    services.invite_by_role(actor=None, event=event, role=Role.SUBJECT_LEADER)
    return event


def check(client, world, url, expected, method="get", data=None):
    got = {}
    for name in PERSONAS:
        client.force_login(getattr(world.users, name))
        response = getattr(client, method)(url, data or {})
        got[name] = response.status_code
    assert got == dict(zip(PERSONAS, expected, strict=True)), url


def test_cluster_meetings_and_schedule_form(client, world, meeting):
    check(
        client,
        world,
        reverse("meetings:cluster_meetings", args=[world.alpha.pk]),
        (200, 200, 200, 200, 404, 200),
    )
    for name in ("event_create", "event_record"):
        check(
            client,
            world,
            reverse(f"meetings:{name}", args=[world.alpha.pk]),
            (200, 200, 403, 403, 404, 200),
        )


def test_programme_events_and_schedule_form(client, world):
    check(
        client,
        world,
        reverse("meetings:programme_events", args=[world.science.pk]),
        (200, 200, 200, 200, 404, 200),
    )
    for name in ("programme_event_create", "programme_event_record"):
        check(
            client,
            world,
            reverse(f"meetings:{name}", args=[world.science.pk]),
            (200, 403, 403, 403, 404, 200),
        )


def test_meeting_page(client, world, meeting):
    check(
        client,
        world,
        reverse("meetings:event_detail", args=[meeting.pk]),
        (200, 200, 200, 200, 404, 200),
    )


REFUSED_FOR_WRITERS = (200, 200, 403, 403, 404, 200)


@pytest.mark.parametrize(
    "name, expected",
    [
        # Posting nothing: a refused form is the meeting page again with the refusal shown
        # (200, never 400); readers get 403 and outsiders 404 whatever they post.
        ("event_invite", REFUSED_FOR_WRITERS),
        ("action_create", REFUSED_FOR_WRITERS),
        # Minutes are refused before the meeting starts.
        ("event_minutes", REFUSED_FOR_WRITERS),
        # An empty register changes nothing, and says so: saved, back to the register.
        ("event_attendance", (302, 302, 403, 403, 404, 302)),
        # The first writer cancels it; the next are told it is already cancelled.
        ("event_cancel", (302, 200, 403, 403, 404, 200)),
    ],
)
def test_meeting_writes(client, world, meeting, name, expected):
    check(client, world, reverse(f"meetings:{name}", args=[meeting.pk]), expected, method="post")


def test_engagement_pages(client, world, staff):
    check(
        client,
        world,
        reverse("meetings:cluster_engagement", args=[world.alpha.pk]),
        (200, 200, 403, 200, 404, 200),
    )
    check(
        client,
        world,
        reverse("meetings:programme_engagement", args=[world.science.pk]),
        (200, 403, 403, 403, 404, 200),
    )
    check(
        client,
        world,
        reverse("meetings:engagement_policy", args=[world.science.pk]),
        (200, 403, 403, 403, 404, 200),
    )
    check(
        client,
        world,
        reverse("meetings:engagement_email", args=[world.alpha.pk, world.schools[2].pk]),
        (200, 200, 403, 403, 404, 200),
    )


def test_personal_pages(client, world):
    check(client, world, reverse("meetings:my_invitations"), (200,) * 6)
    check(client, world, reverse("meetings:calendar_feeds"), (200,) * 6)


def test_coordinator_schedules_records_attendance_and_sees_the_flag(
    login, world, staff, django_capture_on_commit_callbacks
):
    client = login(world.users.coordinator)
    engagement_url = reverse("meetings:cluster_engagement", args=[world.alpha.pk])
    event_ids = []
    for n in range(4):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("meetings:event_create", args=[world.alpha.pk]),
                {
                    "title": f"Meeting {n}",
                    "kind": "meeting",
                    "mode": "in_person",
                    "starts_at": f"2030-0{n + 1}-10T16:00",
                    "ends_at": f"2030-0{n + 1}-10T17:30",
                    "host_school": world.schools[0].pk,
                    "agenda": "Moderation",
                    "invite_roles": [Role.SUBJECT_LEADER],
                },
            )
        assert response.status_code == 302, response.content.decode()[:2000]
        event_ids.append(int(response.url.rstrip("/").rsplit("/", 1)[1]))
    assert len(mail.outbox) == 12  # three subject leaders × four meetings
    from clusterwork.meetings.models import Event

    for n, pk in enumerate(event_ids):
        happened(Event.objects.get(pk=pk), days_ago=40 - n)
    absent_school = world.schools[2]
    for pk in event_ids:
        data = {}
        for invitation in Invitation.objects.filter(event_id=pk):
            came = invitation.school_id != absent_school.pk
            data[f"status-{invitation.pk}"] = Attendance.ATTENDED if came else Attendance.ABSENT
        response = client.post(
            reverse("meetings:event_attendance", args=[pk]), data, headers={"HX-Request": "true"}
        )
        assert response.status_code == 200
        assert 'id="register"' in response.text and "<html" not in response.text
    page = client.get(engagement_url).text
    row = re.search(rf'id="school-{absent_school.pk}" data-flagged="(\w+)"', page)
    assert row.group(1) == "yes"
    assert "1</strong> flagged of 3" in page

    # Correcting two registers (a substitute came each time) clears the flag straight away.
    for pk in event_ids[-2:]:
        sub = Invitation.objects.get(event_id=pk, school=absent_school)
        client.post(
            reverse("meetings:event_attendance", args=[pk]),
            {f"status-{sub.pk}": Attendance.SUBSTITUTE, f"substitute-{sub.pk}": "A TA"},
        )
        assert Invitation.objects.get(pk=sub.pk).substitute_name == "A TA"
    page = client.get(engagement_url).text
    assert re.search(rf'id="school-{absent_school.pk}" data-flagged="no"', page)
    assert "2 of 4" in page


def test_bad_input_is_refused_with_a_message(login, world, staff, meeting):
    client = login(world.users.coordinator)
    response = client.post(
        reverse("meetings:event_create", args=[world.alpha.pk]),
        {
            "title": "Backwards",
            "kind": "meeting",
            "mode": "in_person",
            "location": "Hall",
            "starts_at": "2030-03-10T16:00",
            "ends_at": "2030-03-10T15:00",
        },
    )
    assert response.status_code == 200 and "must end after it starts" in response.text
    # A start in the past on the schedule form is most likely a typo: it says where to go.
    response = client.post(
        reverse("meetings:event_create", args=[world.alpha.pk]),
        {
            "title": "Last week",
            "kind": "meeting",
            "mode": "in_person",
            "location": "Hall",
            "starts_at": "2020-03-10T16:00",
            "ends_at": "2020-03-10T17:00",
        },
    )
    assert response.status_code == 200
    assert "That start is in the past" in response.text and "Record a past meeting" in response.text
    assert not meeting.cluster.events.filter(title="Last week").exists()


def test_record_a_past_meeting_then_take_its_register(login, world, staff, meeting):
    client = login(world.users.coordinator)
    page = client.get(reverse("meetings:cluster_meetings", args=[world.alpha.pk])).text
    record_url = reverse("meetings:event_record", args=[world.alpha.pk])
    assert record_url in page
    form = {
        "title": "Autumn moderation",
        "kind": "meeting",
        "mode": "in_person",
        "host_school": world.schools[0].pk,
        "invite_roles": [Role.SUBJECT_LEADER],
    }
    # A start still to come is refused: that is for the schedule form, which emails people.
    later = timezone.localtime() + dt.timedelta(days=3)
    response = client.post(
        record_url,
        {
            **form,
            "starts_at": f"{later:%Y-%m-%dT%H:%M}",
            "ends_at": f"{later + dt.timedelta(hours=1):%Y-%m-%dT%H:%M}",
        },
    )
    assert response.status_code == 200 and "still to come" in response.text
    earlier = timezone.localtime() - dt.timedelta(days=12)
    response = client.post(
        record_url,
        {
            **form,
            "starts_at": f"{earlier:%Y-%m-%dT%H:%M}",
            "ends_at": f"{earlier + dt.timedelta(hours=1):%Y-%m-%dT%H:%M}",
        },
    )
    assert response.status_code == 302 and response.url.endswith("#register")
    event = world.alpha.events.get(title="Autumn moderation")
    assert event.invitations.count() == 3 and mail.outbox == []
    page = client.get(reverse("meetings:event_detail", args=[event.pk])).text
    assert "with 3 people on its register" in page
    assert "Add to the register" in page and "Save attendance" in page
    data = {f"status-{i.pk}": Attendance.ATTENDED for i in event.invitations.all()}
    response = client.post(reverse("meetings:event_attendance", args=[event.pk]), data)
    assert response.status_code == 302
    assert event.invitations.filter(attendance=Attendance.ATTENDED).count() == 3
    # A headteacher who also came is added to the register afterwards, without an email.
    response = client.post(
        reverse("meetings:event_invite", args=[event.pk]), {"role": Role.HEADTEACHER}, follow=True
    )
    assert "Added 3 people to the register" in response.text
    assert event.invitations.filter(invited_as=Role.HEADTEACHER).count() == 3
    assert mail.outbox == []


def test_refused_register_keeps_what_was_entered(login, world, staff, meeting):
    client = login(world.users.coordinator)
    happened(meeting)
    first, second, third = meeting.invitations.order_by("person__full_name")
    data = {
        f"status-{first.pk}": Attendance.ATTENDED,
        f"status-{second.pk}": Attendance.APOLOGIES,
        f"status-{third.pk}": Attendance.SUBSTITUTE,  # but nobody named: refused
        f"substitute-{first.pk}": "",
    }
    url = reverse("meetings:event_attendance", args=[meeting.pk])
    # Refused: the register comes back (the fragment for htmx, else the whole page) with 200.
    for headers in ({"HX-Request": "true"}, {}):
        response = client.post(url, data, headers=headers)
        assert response.status_code == 200
        text = response.text
        assert f"Say who came in place of {third.person.full_name}" in text
        for invitation, value in (
            (first, Attendance.ATTENDED),
            (second, Attendance.APOLOGIES),
            (third, Attendance.SUBSTITUTE),
        ):
            select = re.search(
                rf'<select name="status-{invitation.pk}".*?</select>', text, re.DOTALL
            ).group(0)
            assert re.search(rf'<option value="{value}" selected>', select), select
    assert not meeting.invitations.exclude(attendance="").exists()  # nothing was saved


def test_rsvp_from_my_invitations(client, world, staff, meeting):
    client.force_login(staff.leaders[0].user)
    page = client.get(reverse("meetings:my_invitations")).text
    assert meeting.title in page
    client.post(reverse("meetings:event_rsvp", args=[meeting.pk]), {"response": "yes"})
    assert meeting.invitations.get(person=staff.leaders[0]).rsvp == "yes"
    response = client.post(
        reverse("meetings:event_rsvp", args=[meeting.pk]),
        {"response": "maybe", "next": "https://evil.example/"},
    )
    assert response.url == reverse("meetings:event_detail", args=[meeting.pk])
    client.force_login(world.users.viewer)
    response = client.post(reverse("meetings:event_rsvp", args=[meeting.pk]), {"response": "yes"})
    assert response.status_code == 200 and "not invited" in response.text


def test_engagement_email_page_prepares_edits_and_records(
    login, world, staff, django_capture_on_commit_callbacks
):
    client = login(world.users.coordinator)
    url = reverse("meetings:engagement_email", args=[world.alpha.pk, world.schools[2].pk])
    page = client.get(url).text
    assert "cluster agreement" in page and "funding" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "to_person": staff.heads[2].pk,
                "subject": "Our science cluster",
                "body": "Dear Head 2, edited by hand.",
            },
        )
    assert response.status_code == 302
    email = EngagementEmail.objects.get()
    assert (email.body, email.status, email.sent_by) == (
        "Dear Head 2, edited by hand.",
        EngagementEmail.Status.SENT,
        world.users.coordinator,
    )
    assert mail.outbox[-1].body == "Dear Head 2, edited by hand."
    assert "Our science cluster" in client.get(url).text  # the record of what was sent
