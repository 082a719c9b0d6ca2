"""JSON API for meetings, invitations, attendance and engagement.

Same rules as the pages: objects come through the access helpers (404 if the caller may not
see them, 403 if read-only), lists through the scoped selectors, writes through the services.
"""

import datetime as dt

from django.db import transaction
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from clusterwork.clusters.access import access_cluster, access_programme
from clusterwork.core.errors import ServiceError
from clusterwork.core.schemas import (
    Pagination,
    PersonRef,
    Ref,
    choice_of,
    listing,
    reading,
    writing,
)
from clusterwork.people.models import Person
from clusterwork.people.scopes import scope_for

from . import engagement, selectors, services
from .access import access_cluster_engagement, access_event, access_programme_engagement
from .models import Attendance, EventKind, Mode, Rsvp
from .services import AttendanceEntry

router = Router(tags=["meetings"])

Kind = choice_of(EventKind)
ModeChoice = choice_of(Mode)
AttendanceChoice = choice_of(Attendance)
RsvpReply = choice_of(Rsvp)


class InvitationOut(Schema):
    id: int
    person: PersonRef
    school: Ref | None
    invited_as: str
    rsvp: str
    attendance: str
    substitute: str


class EventOut(Schema):
    id: int
    kind: Kind
    title: str
    programme: Ref
    cluster: Ref | None
    mode: ModeChoice
    host_school: Ref | None
    starts_at: dt.datetime
    ends_at: dt.datetime
    location: str
    online_link: str
    cancelled: bool

    @staticmethod
    def resolve_cancelled(obj) -> bool:
        return obj.is_archived


class EventDetailOut(EventOut):
    agenda: str
    minutes: str
    invitations: list[InvitationOut]

    @staticmethod
    def resolve_invitations(obj) -> list:
        return [
            {
                "id": i.pk,
                "person": i.person,
                "school": i.school,
                "invited_as": i.invited_as,
                "rsvp": i.rsvp,
                "attendance": i.attendance,
                "substitute": i.substitute_label,
            }
            for i in obj.detail["invitations"]
        ]


class EventIn(Schema):
    """Give ``cluster`` for a cluster event, or only ``programme`` for a networking event."""

    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    cluster: int | None = None
    programme: int | None = None
    kind: Kind = EventKind.MEETING
    mode: ModeChoice = Mode.IN_PERSON
    location: str = ""
    online_link: str = ""
    agenda: str = ""
    invite_roles: list[str] = []


class InviteIn(Schema):
    role: str | None = None
    person: int | None = None


class InviteOut(Schema):
    invited: int
    already_invited: int
    emailed: bool  # false for an event that has started: people only go on its register


class AttendanceLine(Schema):
    person: int
    status: AttendanceChoice
    substitute_person: int | None = None
    substitute_name: str = ""


class RsvpIn(Schema):
    response: RsvpReply


class EngagementRowOut(Schema):
    school_id: int
    school_name: str
    urn: int
    cluster_id: int
    cluster_name: str
    held: int
    attended: int
    flagged: bool
    last_email_at: dt.datetime | None
    signals: dict[str, str]


class EngagementOut(Schema):
    window: int
    min_attended: int
    total: int
    flagged_total: int
    rows: list[EngagementRowOut]


class EventFilter(Schema):
    cluster: int | None = None
    programme: int | None = None
    upcoming: bool | None = None


def _detail(event):
    event.detail = selectors.event_detail(event)
    return event


@router.get("", response=listing(EventOut), summary="List events")
@paginate(Pagination)
def list_events(request, filters: Query[EventFilter]):
    queryset = selectors.events_visible_to(request.auth)
    if filters.cluster:
        queryset = queryset.filter(cluster_id=filters.cluster)
    if filters.programme:
        queryset = queryset.filter(programme_id=filters.programme)
    if filters.upcoming is not None:
        from django.utils import timezone

        now = timezone.now()
        queryset = (
            queryset.filter(ends_at__gte=now)
            if filters.upcoming
            else queryset.filter(ends_at__lt=now)
        )
    return queryset.order_by("-starts_at", "id")


@router.get("{int:event_id}", response=reading(EventDetailOut), summary="Get an event")
def get_event(request, event_id: int):
    return _detail(access_event(request.auth, event_id))


@router.post("", response=writing(EventDetailOut, 201), summary="Schedule an event")
def create_event(request, payload: EventIn):
    user = request.auth
    data = payload.dict()
    cluster_id, programme_id = data.pop("cluster"), data.pop("programme")
    if cluster_id:
        data["cluster"] = access_cluster(user, cluster_id, perm="meetings.add_event")
    elif programme_id:
        data["programme"] = access_programme(
            user, programme_id, perm="meetings.add_programme_event"
        )
    else:
        raise ServiceError("Say which cluster or programme the event is for.")
    event, _ = services.event_schedule(actor=user, **data)
    return Status(201, _detail(event))


@router.post("{int:event_id}/invitations", response=writing(InviteOut, 201), summary="Invite")
def invite(request, event_id: int, payload: InviteIn):
    """Invite everyone holding ``role``, or one ``person`` (by id). For an event still to
    come they are emailed; for one that has started (a meeting recorded afterwards) they are
    only put on its register, and ``role`` means the holders on the event's day."""
    user = request.auth
    with transaction.atomic():
        event = access_event(user, event_id, perm="meetings.change_event", lock=True)
        if payload.role:
            result = services.invite_by_role(actor=user, event=event, role=payload.role)
        elif payload.person:
            person = Person.objects.filter(scope_for(user).person_filter(), pk=payload.person)
            if not person.exists():
                raise ServiceError("No such person.", field="person")
            result = services.invite_person(actor=user, event=event, person=person.get())
        else:
            raise ServiceError("Give a role or a person to invite.")
    return Status(
        201,
        {
            "invited": len(result.created),
            "already_invited": result.already_invited,
            "emailed": result.emailed,
        },
    )


@router.post(
    "{int:event_id}/attendance", response=writing(EventDetailOut), summary="Record attendance"
)
def attendance(request, event_id: int, payload: list[AttendanceLine]):
    """The register, all lines or none. A substitute is recorded on the invitee they
    replaced."""
    user = request.auth
    ids = {line.person for line in payload} | {
        line.substitute_person for line in payload if line.substitute_person
    }
    people = Person.objects.in_bulk(ids)
    with transaction.atomic():
        event = access_event(user, event_id, perm="meetings.change_event", lock=True)
        entries = []
        for line in payload:
            if line.person not in people:
                raise ServiceError(f"No person with id {line.person}.", field="person")
            entries.append(
                AttendanceEntry(
                    person=people[line.person],
                    status=line.status,
                    substitute=people.get(line.substitute_person)
                    if line.substitute_person
                    else None,
                    substitute_name=line.substitute_name,
                )
            )
        services.record_attendance(actor=user, event=event, entries=entries)
    return _detail(event)


@router.post("{int:event_id}/rsvp", response=writing(InvitationOut), summary="Reply")
def reply(request, event_id: int, payload: RsvpIn):
    event = access_event(request.auth, event_id)
    invitation = services.rsvp_for_event(actor=request.auth, event=event, response=payload.response)
    return {
        "id": invitation.pk,
        "person": invitation.person,
        "school": invitation.school,
        "invited_as": invitation.invited_as,
        "rsvp": invitation.rsvp,
        "attendance": invitation.attendance,
        "substitute": invitation.substitute_label,
    }


def _engagement_out(engagement_for, subject, flagged: bool, offset: int) -> dict:
    """One page (200 rows from ``offset``) of ``engagement_for(subject)``."""
    page = engagement_for(subject, flagged_only=flagged, limit=200, offset=max(0, offset))
    return {
        "window": page.policy.window,
        "min_attended": page.policy.min_attended,
        "total": page.total,
        "flagged_total": page.flagged_total,
        "rows": [row.__dict__ for row in page.rows],
    }


@router.get(
    "engagement/clusters/{int:cluster_id}",
    response=reading(EngagementOut),
    summary="Engagement of a cluster's schools",
)
def cluster_engagement(request, cluster_id: int, flagged: bool = False, offset: int = 0):
    cluster = access_cluster_engagement(request.auth, cluster_id)
    return _engagement_out(engagement.engagement_for_cluster, cluster, flagged, offset)


@router.get(
    "engagement/programmes/{int:programme_id}",
    response=reading(EngagementOut),
    summary="Engagement of every school in a programme",
)
def programme_engagement(request, programme_id: int, flagged: bool = False, offset: int = 0):
    programme = access_programme_engagement(request.auth, programme_id)
    return _engagement_out(engagement.engagement_for_programme, programme, flagged, offset)


# Mounted under /api/v1/ by clusterwork.api.main.
ROUTES = [("/meetings/", router)]
