"""Permission-matrix rows for the meetings pages (run by tests/web).

Meetings follow their cluster (or, for programme-wide events, their programme): whoever sees
it sees its events; its coordinators and programme admins change them. Engagement lists are for
the cluster's coordinators, viewers and programme team, not for headteachers; engagement across
the programme needs a role on the programme itself.

Calendar feeds are signed in by the secret key in their URL, not by the session: whoever holds
the link (any persona, or nobody signed in) gets the key owner's calendar, and only what the
key's owner may see. A wrong key is 404 for everyone.
"""

import datetime as dt

from django.utils import timezone

from clusterwork.meetings import services
from clusterwork.meetings.models import Event
from tests.web.matrix import (
    ALPHA_READ,
    ALPHA_WRITE,
    ANY_USER,
    BETA_READ,
    PERSONAS,
    SCIENCE_READ,
    SCIENCE_WRITE,
    Route,
    profile,
)

ENGAGEMENT = profile(head=403, outsider=404)
# The key, not the signed-in persona, decides; anonymous is answered the same.
FEED_OK = {**dict.fromkeys(PERSONAS, 200), "anonymous": 200}
FEED_GONE = {**dict.fromkeys(PERSONAS, 404), "anonymous": 404}


def _next_week():
    return timezone.now().replace(microsecond=0) + dt.timedelta(days=7)


def _meeting(w, title="Matrix meeting", *, cluster=None, programme=None, invite=None):
    """The event with ``title``, scheduled through the services the first time it is asked
    for (each persona's request rolls back, so the next one schedules it again)."""
    event = Event.objects.filter(title=title).first()
    if event is None:
        start = _next_week()
        event = services.event_create(
            actor=None,
            cluster=cluster if cluster is not None else (None if programme else w.alpha),
            programme=programme,
            title=title,
            starts_at=start,
            ends_at=start + dt.timedelta(hours=2),
            location="The library",
        )
        services.invite_person(actor=None, event=event, person=invite or w.users.head.person)
    return event


def _past_meeting(w):
    """Invited while in the future (as the service requires), then moved back in time, as
    tests/meetings/conftest.happened does, so its register can be taken."""
    event = _meeting(w, "Past matrix meeting")
    if event.starts_at > timezone.now():
        start = timezone.now().replace(microsecond=0) - dt.timedelta(days=1)
        Event.objects.filter(pk=event.pk).update(
            starts_at=start, ends_at=start + dt.timedelta(hours=2)
        )
        event.refresh_from_db()
    return event


def _action(w):
    event = _meeting(w)
    action = event.actions.first()
    return action or services.action_create(
        actor=None, event=event, description="Share the plan", owner=w.users.head.person
    )


def _event(w):
    return {"pk": _meeting(w).pk}


def _alpha(w):
    return {"pk": w.alpha.pk}


def _science(w):
    return {"pk": w.science.pk}


def _event_form(w):
    start = _next_week()
    return {
        "title": "Planning",
        "kind": "meeting",
        "mode": "in_person",
        "location": "Hall",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
    }


def _past_event_form(w):
    start = timezone.localtime().replace(second=0, microsecond=0) - dt.timedelta(days=14)
    return {
        **_event_form(w),
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
    }


def _feed_keys(w):
    _, w.feed_key = services.feed_token_create(user=w.users.coordinator)
    _, revoked = services.feed_token_create(user=w.users.viewer)
    services.feed_token_revoke(user=w.users.viewer)
    w.revoked_feed_key = revoked


def _engagement_email(w):
    return {"pk": w.alpha.pk, "school_pk": w.schools[0].pk}


ROUTES = [
    Route("meetings:my_invitations", expect=ANY_USER),
    Route("meetings:cluster_meetings", kwargs=_alpha, expect=ALPHA_READ),
    Route(
        "meetings:cluster_meetings",
        kwargs=lambda w: {"pk": w.beta.pk},
        expect=BETA_READ,
        label="cluster_meetings-beta",
    ),
    Route("meetings:event_create", kwargs=_alpha, expect=ALPHA_WRITE),
    Route(
        "meetings:event_create",
        kwargs=_alpha,
        expect=ALPHA_WRITE,
        method="post",
        ok=302,
        data=_event_form,
    ),
    Route("meetings:event_record", kwargs=_alpha, expect=ALPHA_WRITE),
    Route(
        "meetings:event_record",
        kwargs=_alpha,
        expect=ALPHA_WRITE,
        method="post",
        ok=302,
        data=_past_event_form,
    ),
    Route("meetings:programme_events", kwargs=_science, expect=SCIENCE_READ),
    Route("meetings:programme_event_record", kwargs=_science, expect=SCIENCE_WRITE),
    Route(
        "meetings:programme_event_record",
        kwargs=_science,
        expect=SCIENCE_WRITE,
        method="post",
        ok=302,
        data=lambda w: {k: v for k, v in _past_event_form(w).items() if k != "kind"},
    ),
    Route("meetings:programme_event_create", kwargs=_science, expect=SCIENCE_WRITE),
    Route(
        "meetings:programme_event_create",
        kwargs=_science,
        expect=SCIENCE_WRITE,
        method="post",
        ok=302,
        data=lambda w: {k: v for k, v in _event_form(w).items() if k != "kind"},
    ),
    Route("meetings:event_detail", kwargs=_event, expect=ALPHA_READ),
    Route(
        "meetings:event_detail",
        kwargs=lambda w: {"pk": _meeting(w, "Networking day", programme=w.science).pk},
        expect=SCIENCE_READ,
        label="event_detail-programme",
    ),
    # Being invited shows the meeting even to someone outside its cluster and programme.
    Route(
        "meetings:event_detail",
        kwargs=lambda w: {"pk": _meeting(w, "Guest", invite=w.users.outsider.person).pk},
        expect=ANY_USER,
        label="event_detail-invited-outsider",
    ),
    Route(
        "meetings:event_invite",
        kwargs=_event,
        expect=ALPHA_WRITE,
        method="post",
        ok=302,
        data=lambda w: {"role": "headteacher"},
    ),
    Route(
        "meetings:event_attendance",
        kwargs=lambda w: {"pk": _past_meeting(w).pk},
        expect=ALPHA_WRITE,
        method="post",
        ok=302,
        data=lambda w: {
            f"status-{_past_meeting(w).invitations.get().pk}": "attended",
        },
    ),
    Route(
        "meetings:event_minutes",
        kwargs=lambda w: {"pk": _past_meeting(w).pk},
        expect=ALPHA_WRITE,
        method="post",
        ok=302,
        data=lambda w: {"minutes": "Agreed the plan."},
    ),
    Route(
        "meetings:action_create",
        kwargs=_event,
        expect=ALPHA_WRITE,
        method="post",
        ok=302,
        data=lambda w: {"description": "Book the hall", "owner": w.users.head.person.pk},
    ),
    # Anyone who sees the meeting may post a reply; only the invitee's (the head's) is saved
    # (302); the others get the meeting page again with the reason (a refused form: 200).
    Route(
        "meetings:event_rsvp",
        kwargs=_event,
        expect=profile(
            programme_admin=200, coordinator=200, viewer=200, outsider=404, superuser=200
        ),
        method="post",
        ok=302,
        data=lambda w: {"response": "yes"},
    ),
    Route(
        "meetings:event_cancel",
        kwargs=_event,
        expect=ALPHA_WRITE,
        method="post",
        ok=302,
        data=lambda w: {"reason": "Snow"},
    ),
    Route(
        "meetings:action_status",
        kwargs=lambda w: {"pk": _action(w).pk},
        expect=ALPHA_WRITE,
        method="post",
        ok=302,
        data=lambda w: {"status": "done"},
    ),
    Route("meetings:cluster_engagement", kwargs=_alpha, expect=ENGAGEMENT),
    Route(
        "meetings:cluster_engagement",
        kwargs=lambda w: {"pk": w.beta.pk},
        expect=BETA_READ,
        label="cluster_engagement-beta",
    ),
    Route("meetings:engagement_email", kwargs=_engagement_email, expect=ALPHA_WRITE),
    Route(
        "meetings:engagement_email",
        kwargs=_engagement_email,
        expect=ALPHA_WRITE,
        method="post",
        ok=302,
        data=lambda w: {
            "to_person": w.users.head.person.pk,
            "subject": "Cluster meetings",
            "body": "We missed you.",
        },
    ),
    Route("meetings:programme_engagement", kwargs=_science, expect=SCIENCE_WRITE),
    Route("meetings:engagement_policy", kwargs=_science, expect=SCIENCE_WRITE),
    Route(
        "meetings:engagement_policy",
        kwargs=_science,
        expect=SCIENCE_WRITE,
        method="post",
        ok=302,
        data=lambda w: {"window": "6", "min_attended": "2"},
    ),
    Route("meetings:calendar_feeds", expect=ANY_USER),
    Route(
        "meetings:calendar_token",
        expect=ANY_USER,
        method="post",
        ok=302,
        data=lambda w: {"action": "create"},
    ),
    Route(
        "meetings:calendar_token",
        expect=ANY_USER,
        method="post",
        ok=302,
        data=lambda w: {"action": "revoke"},
        label="calendar_token-revoke",
    ),
    # Feeds made with the coordinator's key: the same calendar whoever opens the link.
    Route(
        "meetings:feed_user",
        kwargs=lambda w: {"key": w.feed_key},
        expect=FEED_OK,
        setup=_feed_keys,
    ),
    Route(
        "meetings:feed_user",
        kwargs=lambda w: {"key": w.revoked_feed_key},
        expect=FEED_GONE,
        setup=_feed_keys,
        label="feed_user-revoked",
    ),
    Route(
        "meetings:feed_user",
        kwargs=lambda w: {"key": "not-a-key"},
        expect=FEED_GONE,
        label="feed_user-wrong-key",
    ),
    Route(
        "meetings:feed_cluster",
        kwargs=lambda w: {"key": w.feed_key, "pk": w.alpha.pk},
        expect=FEED_OK,
        setup=_feed_keys,
    ),
    # The key's owner coordinates alpha only: beta is not theirs to publish.
    Route(
        "meetings:feed_cluster",
        kwargs=lambda w: {"key": w.feed_key, "pk": w.beta.pk},
        expect=FEED_GONE,
        setup=_feed_keys,
        label="feed_cluster-beta",
    ),
    Route(
        "meetings:feed_programme",
        kwargs=lambda w: {"key": w.feed_key, "pk": w.science.pk},
        expect=FEED_OK,
        setup=_feed_keys,
    ),
    Route(
        "meetings:feed_programme",
        kwargs=lambda w: {"key": w.feed_key, "pk": w.sport.pk},
        expect=FEED_GONE,
        setup=_feed_keys,
        label="feed_programme-sport",
    ),
]
