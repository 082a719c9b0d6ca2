"""Writes to events, invitations, attendance, actions and engagement emails. Every write is
one transaction, validated with messages written for the user, and recorded in the history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from clusterwork.clusters.models import Cluster, ClusterMembership, Programme
from clusterwork.clusters.selectors import cluster_roles
from clusterwork.core.audit import audited_archive, audited_save, audited_update, user_or_none
from clusterwork.core.errors import ServiceError
from clusterwork.people.models import Person, Role

from . import engagement
from .models import (
    Action,
    Attendance,
    CalendarFeedToken,
    EngagementEmail,
    EngagementPolicy,
    Event,
    EventKind,
    Invitation,
    Mode,
    Rsvp,
)


def _enqueue(task, *args) -> None:
    """Queue a background task once the transaction commits (never for rolled-back rows)."""
    transaction.on_commit(lambda: task.enqueue(*args))


# ----- events ------------------------------------------------------------------------------

EVENT_EDITABLE_FIELDS = {
    "title",
    "kind",
    "mode",
    "host_school",
    "starts_at",
    "ends_at",
    "location",
    "online_link",
    "agenda",
}


def _check_event_fields(event: Event) -> None:
    if timezone.is_naive(event.starts_at) or timezone.is_naive(event.ends_at):
        raise ServiceError("Give the start and end with a time zone.", field="starts_at")
    if event.ends_at <= event.starts_at:
        raise ServiceError("The event must end after it starts.", field="ends_at")
    if event.cluster_id is None and event.kind != EventKind.NETWORKING:
        raise ServiceError(
            "Only networking events are held for a whole programme; choose a cluster.",
            field="kind",
        )
    if event.cluster_id is not None and event.kind == EventKind.NETWORKING:
        raise ServiceError(
            "Networking events are for the whole programme, not one cluster.", field="kind"
        )
    if event.mode in (Mode.ONLINE, Mode.HYBRID) and not event.online_link:
        raise ServiceError("An online event needs a link to join.", field="online_link")
    if event.mode in (Mode.IN_PERSON, Mode.HYBRID) and not (event.location or event.host_school_id):
        raise ServiceError(
            "An in-person event needs a place: a host school or a location.", field="location"
        )


@transaction.atomic
def event_create(
    *,
    actor,
    title: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    cluster: Cluster | None = None,
    programme: Programme | None = None,
    kind: str = EventKind.MEETING,
    mode: str = Mode.IN_PERSON,
    host_school=None,
    location: str = "",
    online_link: str = "",
    agenda: str = "",
) -> Event:
    """Schedule a cluster event (give ``cluster``) or a programme-wide networking event (give
    ``programme`` only)."""
    if cluster is None and programme is None:
        raise ServiceError("Say which cluster or programme the event is for.")
    if cluster is not None:
        if programme is not None and programme.pk != cluster.programme_id:
            raise ServiceError(f"{cluster} is not part of {programme}.")
        if cluster.is_archived:
            raise ServiceError(f"{cluster} is archived; it holds no new meetings.")
        programme = cluster.programme
    elif kind == EventKind.MEETING:
        kind = EventKind.NETWORKING
    if programme.is_archived:
        raise ServiceError(f"{programme} is archived; it holds no new events.")
    if not title.strip():
        raise ServiceError("Give the event a title.", field="title")
    event = Event(
        title=title.strip(),
        kind=kind,
        programme=programme,
        cluster=cluster,
        mode=mode,
        host_school=host_school,
        starts_at=starts_at,
        ends_at=ends_at,
        location=location.strip(),
        online_link=online_link.strip(),
        agenda=agenda,
        created_by=user_or_none(actor),
    )
    _check_event_fields(event)
    if cluster is not None and host_school is not None:
        hosts = ClusterMembership.objects.on(timezone.localdate(starts_at)).filter(
            cluster=cluster, school=host_school
        )
        if not hosts.exists() and cluster.lead_school_id != host_school.pk:
            raise ServiceError(
                f"{host_school.name} is not a member of {cluster} on that date.",
                field="host_school",
            )
    audited_save(event, actor)
    engagement.changed(event.programme_id)
    return event


@transaction.atomic
def event_schedule(*, actor, invite_roles=(), **fields) -> tuple[Event, list[InviteResult]]:
    """Schedule (or record) an event and invite everyone holding each of ``invite_roles``, in
    one transaction: a role nobody holds refuses the whole event."""
    for role in invite_roles:
        if role not in INVITABLE_ROLES:
            raise ServiceError(f"Invitations cannot be sent by the role “{role}”.", field="role")
    event = event_create(actor=actor, **fields)
    invited = [invite_by_role(actor=actor, event=event, role=role) for role in invite_roles]
    return event, invited


@transaction.atomic
def event_update(*, actor, event: Event, **changes) -> Event:
    def check(event, changes):
        if event.is_archived:
            raise ServiceError("This event was cancelled; it cannot be changed.")
        _check_event_fields(event)

    event = audited_update(
        event, actor=actor, changes=changes, editable=EVENT_EDITABLE_FIELDS, check=check
    )
    engagement.changed(event.programme_id)
    return event


@transaction.atomic
def event_cancel(*, actor, event: Event, reason: str = "") -> Event:
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.is_archived:
        raise ServiceError("This event is already cancelled.")
    audited_archive(event, actor, reason or "cancelled")
    engagement.changed(event.programme_id)
    return event


@transaction.atomic
def minutes_save(*, actor, event: Event, minutes: str) -> Event:
    event = Event.objects.select_for_update().get(pk=event.pk)
    if not event.has_started:
        raise ServiceError("Minutes can be written once the meeting has started.", field="minutes")
    event.minutes = minutes
    audited_save(event, actor)
    return event


# ----- invitations -------------------------------------------------------------------------

INVITABLE_ROLES = (
    Role.SUBJECT_LEADER,
    Role.HEADTEACHER,
    Role.CLUSTER_COORDINATOR,
    Role.CHAIR_OF_GOVERNORS,
)


@dataclass(frozen=True)
class InviteResult:
    created: list[Invitation]
    already_invited: int
    emailed: bool = True

    @property
    def message(self) -> str:
        count = f"{len(self.created)} {'person' if len(self.created) == 1 else 'people'}"
        if self.emailed:
            text = f"Invited {count}."
        else:
            text = f"Added {count} to the register (the meeting has started: nobody is emailed)."
        if self.already_invited:
            text += f" {self.already_invited} already on the list."
        return text


def _check_invitable(event: Event) -> None:
    if event.is_archived:
        raise ServiceError("This event was cancelled; nobody can be invited to it.")


def audience_day(event: Event) -> dt.date:
    """Whose role or membership counts: today's for a meeting still to come, the meeting's
    own day for one that has happened (recorded afterwards, people may have moved on)."""
    today = timezone.localdate()
    return min(today, timezone.localdate(event.starts_at))


def _invite(event, actor, pairs) -> InviteResult:
    """``pairs`` are (person, school, role) in the order to invite; duplicates are skipped.
    Invitations to a meeting that has started only put people on its register (a meeting
    recorded afterwards): nobody is emailed about something already under way or over."""
    existing = set(event.invitations.values_list("person_id", flat=True))
    created, skipped = [], 0
    for person, school, role in pairs:
        if person.pk in existing:
            skipped += 1
            continue
        existing.add(person.pk)
        invitation = Invitation(
            event=event,
            person=person,
            school=school,
            invited_as=role,
            invited_by=user_or_none(actor),
        )
        audited_save(invitation, actor)
        created.append(invitation)
    emailed = not event.has_started
    if created and emailed:
        from .tasks import send_invitation_emails

        _enqueue(send_invitation_emails, [i.pk for i in created])
    return InviteResult(created=created, already_invited=skipped, emailed=emailed)


def role_holders_for(event: Event, role: str, *, on: dt.date | None = None):
    """Holders of ``role`` on ``on`` for the event's audience: member schools and the cluster
    itself, or — for a programme event — every cluster and member school of the programme."""
    audience = {"programme": event.programme} if not event.cluster_id else {}
    return (
        cluster_roles(event.cluster, on=on, **audience)
        .filter(role=role, person__archived_at__isnull=True)
        .order_by("school__name", "person__full_name")
    )


@transaction.atomic
def invite_by_role(*, actor, event: Event, role: str) -> InviteResult:
    """Invite whoever holds ``role`` (e.g. the subject leader of every member school, every
    coordinator of the programme), each with the school they represent: the holders of today
    for a meeting to come, those of the meeting's day for one that has happened."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    _check_invitable(event)
    if role not in INVITABLE_ROLES:
        raise ServiceError(f"Invitations cannot be sent by the role “{role}”.", field="role")
    day = audience_day(event)
    holders = list(role_holders_for(event, role, on=day))
    if not holders:
        label = Role(role).label.lower()
        text = (
            f"Nobody currently holds the role {label} for {event.scope_name}."
            if day == timezone.localdate()
            else f"Nobody held the role {label} for {event.scope_name} on {day:%-d %b %Y}."
        )
        raise ServiceError(
            text,
            field="role",
        )
    return _invite(event, actor, [(a.person, a.school or a.person.school, role) for a in holders])


@transaction.atomic
def invite_person(*, actor, event: Event, person: Person, school=None) -> InviteResult:
    event = Event.objects.select_for_update().get(pk=event.pk)
    _check_invitable(event)
    if person.is_archived:
        raise ServiceError(f"{person} is archived and cannot be invited.", field="person")
    result = _invite(event, actor, [(person, school or person.school, "")])
    if not result.created:
        raise ServiceError(f"{person} is already invited.", field="person")
    return result


@transaction.atomic
def rsvp(*, actor, invitation: Invitation, response: str) -> Invitation:
    """The invitee's own reply; nobody answers for someone else."""
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("event")
        .order_by()
        .get(pk=invitation.pk)
    )
    person = getattr(user_or_none(actor), "person", None) if user_or_none(actor) else None
    if person is None or person.pk != invitation.person_id:
        raise ServiceError("Only the person invited can reply to this invitation.")
    if response not in (Rsvp.YES, Rsvp.NO, Rsvp.MAYBE):
        raise ServiceError("Reply yes, no or maybe.", field="rsvp")
    if invitation.event.is_archived:
        raise ServiceError("This event was cancelled.")
    if invitation.event.ends_at <= timezone.now():
        raise ServiceError("This event is over; replies are closed.")
    invitation.rsvp = response
    invitation.rsvp_at = timezone.now()
    audited_save(invitation, actor)
    return invitation


def rsvp_for_event(*, actor, event: Event, response: str) -> Invitation:
    person = getattr(user_or_none(actor), "person", None) if user_or_none(actor) else None
    invitation = event.invitations.filter(person=person).first() if person is not None else None
    if invitation is None:
        raise ServiceError("You are not invited to this event, so there is nothing to reply to.")
    return rsvp(actor=actor, invitation=invitation, response=response)


# ----- attendance --------------------------------------------------------------------------


@dataclass(frozen=True)
class AttendanceEntry:
    """One line of the register: ``person`` (an invitee) and what happened. A substitute is
    someone else who came in their place, named as a Person or in words."""

    person: Person
    status: str
    substitute: Person | None = None
    substitute_name: str = ""


@transaction.atomic
def record_attendance(*, actor, event: Event, entries: list[AttendanceEntry]) -> list[Invitation]:
    """Record the register for several invitees at once; all lines are saved or none."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.is_archived:
        raise ServiceError("This event was cancelled; there is no attendance to record.")
    invitations = {
        i.person_id: i
        for i in event.invitations.select_for_update(of=("self",))
        .select_related("person")
        .order_by("pk")
    }
    started = event.starts_at <= timezone.now()
    now = timezone.now()
    saved = []
    for entry in entries:
        invitation = invitations.get(entry.person.pk)
        if invitation is None:
            raise ServiceError(
                f"{entry.person} was not invited to this event. Record who came in an invitee's "
                "place as their substitute.",
                field="attendance",
            )
        if entry.status not in Attendance.values:
            raise ServiceError(f"Unknown attendance “{entry.status}”.", field="attendance")
        if entry.status not in ("", Attendance.APOLOGIES) and not started:
            raise ServiceError(
                "Attendance can be recorded once the event has started (apologies any time).",
                field="attendance",
            )
        if entry.status == Attendance.SUBSTITUTE:
            if entry.substitute is None and not entry.substitute_name.strip():
                raise ServiceError(f"Say who came in place of {entry.person}.", field="substitute")
            if entry.substitute is not None and entry.substitute.pk in invitations:
                raise ServiceError(
                    f"{entry.substitute} was invited in their own right; record them directly.",
                    field="substitute",
                )
        elif entry.substitute is not None or entry.substitute_name.strip():
            raise ServiceError(
                f"A substitute for {entry.person} is recorded only with “Substitute sent”.",
                field="substitute",
            )
        substitute_id = entry.substitute.pk if entry.substitute else None
        unchanged = (
            invitation.attendance == entry.status
            and invitation.substitute_id == substitute_id
            and invitation.substitute_name == entry.substitute_name.strip()
        )
        if unchanged:
            continue
        invitation.attendance = entry.status
        invitation.substitute = entry.substitute
        invitation.substitute_name = entry.substitute_name.strip()
        invitation.attendance_recorded_at = now if entry.status else None
        invitation.attendance_recorded_by = user_or_none(actor) if entry.status else None
        audited_save(invitation, actor)
        saved.append(invitation)
    if saved:
        engagement.changed(event.programme_id)
    return saved


# ----- actions -----------------------------------------------------------------------------


@transaction.atomic
def action_create(
    *, actor, event: Event, description: str, owner: Person, due: dt.date | None = None
) -> Action:
    if event.is_archived:
        raise ServiceError("This event was cancelled; it takes no actions.")
    if not description.strip():
        raise ServiceError("Describe the action.", field="description")
    if owner.is_archived:
        raise ServiceError(f"{owner} is archived and cannot own an action.", field="owner")
    action = Action(event=event, description=description.strip(), owner=owner, due=due)
    audited_save(action, actor)
    return action


@transaction.atomic
def actions_hand_over(*, actor, cluster, from_person, to_person) -> int:
    """Open actions of ``cluster``'s meetings owned by ``from_person`` move to ``to_person``
    (a staff change: the successor or the cover takes them on). Returns how many moved."""
    moved = 0
    for action in Action.objects.select_for_update().filter(
        event__cluster=cluster, owner=from_person, status=Action.Status.OPEN
    ):
        action.owner = to_person
        audited_save(action, actor, f"handed over from {from_person} to {to_person}")
        moved += 1
    return moved


@transaction.atomic
def action_complete(*, actor, action: Action, status: str = Action.Status.DONE) -> Action:
    action = Action.objects.select_for_update().get(pk=action.pk)
    if status not in (Action.Status.DONE, Action.Status.DROPPED, Action.Status.OPEN):
        raise ServiceError("Unknown action status.", field="status")
    if action.status == status:
        raise ServiceError(f"This action is already {action.get_status_display().lower()}.")
    action.status = status
    action.completed_at = timezone.now() if status == Action.Status.DONE else None
    audited_save(action, actor)
    return action


# ----- engagement --------------------------------------------------------------------------


@transaction.atomic
def engagement_policy_set(
    *, actor, programme: Programme, window: int, min_attended: int, email_template: str = ""
) -> EngagementPolicy:
    if not 1 <= window <= 24:
        raise ServiceError("Look back over between 1 and 24 meetings.", field="window")
    if not 0 <= min_attended <= window:
        raise ServiceError(
            f"The minimum attended must be between 0 and {window}.", field="min_attended"
        )
    policy = EngagementPolicy.objects.select_for_update().filter(programme=programme).first()
    policy = policy or EngagementPolicy(programme=programme)
    policy.window, policy.min_attended = window, min_attended
    policy.email_template = email_template
    audited_save(policy, actor)
    engagement.changed(programme.pk)
    return policy


@transaction.atomic
def engagement_email_send(
    *, actor, cluster: Cluster, school, to_person: Person, subject: str, body: str
) -> EngagementEmail:
    """Queue the (possibly edited) email to a headteacher and keep a record of it."""
    from .email import headteachers_of

    if not subject.strip() or not body.strip():
        raise ServiceError("The email needs a subject and a message.", field="body")
    if not ClusterMembership.objects.current().filter(cluster=cluster, school=school).exists():
        raise ServiceError(f"{school.name} is not a current member of {cluster}.")
    if to_person.pk not in {p.pk for p in headteachers_of(school)}:
        raise ServiceError(
            f"{to_person} is not the current headteacher of {school.name}.", field="to_person"
        )
    if not to_person.email:
        raise ServiceError(f"There is no email address for {to_person}.", field="to_person")
    email = EngagementEmail(
        cluster=cluster,
        school=school,
        to_person=to_person,
        to_email=to_person.email,
        subject=subject.strip(),
        body=body.strip(),
        sent_by=user_or_none(actor),
    )
    audited_save(email, actor)
    engagement.changed(cluster.programme_id)
    from .tasks import send_engagement_email

    _enqueue(send_engagement_email, email.pk)
    return email


# ----- calendar feed tokens ----------------------------------------------------------------


@transaction.atomic
def feed_token_create(*, user) -> tuple[CalendarFeedToken, str]:
    """A new secret for the user's calendar feeds; any earlier one stops working."""
    now = timezone.now()
    CalendarFeedToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
    key = CalendarFeedToken.new_key()
    token = CalendarFeedToken.objects.create(
        user=user, prefix=key[:8], key_hash=CalendarFeedToken.hash_key(key)
    )
    return token, key


def feed_token_revoke(*, user) -> int:
    return CalendarFeedToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
