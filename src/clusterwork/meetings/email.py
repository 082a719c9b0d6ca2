"""Texts of the emails the product sends: invitations, reminders and the prepared
engagement email a coordinator edits before it goes to a headteacher."""

from __future__ import annotations

from django.utils import timezone

from clusterwork.people.models import Person, Role, RoleAssignment

STANDARD_ENGAGEMENT_TEXT = """Dear {head_name},

I am writing as coordinator of {cluster}. {school} has attended {attended} of the cluster's \
last {held} meetings, and we have missed its voice in the group.

A reminder that the programme's funding is there to release your subject leader to attend: \
supply costs for cluster meetings can be claimed through the lead school. When the school \
joined, it signed the cluster agreement, which asks each school to be represented at \
meetings, or to send another member of staff when the subject leader cannot come.

Could we find a time to talk about what would help {school} take part? If the timing or \
place of meetings is the difficulty, I would like to know.

With best wishes,
{sender}
{cluster} coordinator"""


def headteachers_of(school) -> list[Person]:
    return [
        a.person
        for a in RoleAssignment.objects.current()
        .filter(role=Role.HEADTEACHER, school=school, person__archived_at__isnull=True)
        .select_related("person")
        .order_by("person__full_name")
    ]


def prepared_engagement_email(*, cluster, school, row, sender, head, template: str = "") -> dict:
    """Subject and body for a flagged school; ``template`` is the programme's own text."""
    values = {
        "head_name": head.full_name if head else "Headteacher",
        "school": school.name,
        "cluster": cluster.name,
        "attended": row.attended if row else 0,
        "held": row.held if row else 0,
        "sender": sender.get_full_name() or sender.email,
    }
    text = template or STANDARD_ENGAGEMENT_TEXT
    try:
        body = text.format(**values)
    except (KeyError, IndexError, ValueError):
        # A programme's own template with a mistyped placeholder still gives an editable draft.
        body = STANDARD_ENGAGEMENT_TEXT.format(**values)
    return {"subject": f"{school.name} and the {cluster.name} cluster", "body": body}


def when(event) -> str:
    start = timezone.localtime(event.starts_at)
    end = timezone.localtime(event.ends_at)
    if start.date() == end.date():
        return f"{start:%A %-d %B %Y}, {start:%H:%M}–{end:%H:%M}"
    return f"{start:%A %-d %B %Y %H:%M} to {end:%A %-d %B %Y %H:%M}"


def where(event) -> str:
    parts = [
        p for p in (event.host_school.name if event.host_school_id else "", event.location) if p
    ]
    if event.online_link:
        parts.append(f"online: {event.online_link}")
    return "; ".join(parts) or "to be confirmed"


def invitation_text(invitation, *, reminder: bool = False) -> tuple[str, str]:
    event = invitation.event
    lead = "Reminder: " if reminder else "Invitation: "
    subject = f"{lead}{event.title}, {timezone.localtime(event.starts_at):%-d %b %Y}"
    lines = [
        f"Dear {invitation.person.full_name},",
        "",
        (
            f"This is a reminder of {event.title} for {event.scope_name}."
            if reminder
            else f"You are invited to {event.title} for {event.scope_name}."
        ),
        "",
        f"When: {when(event)}",
        f"Where: {where(event)}",
    ]
    if invitation.school_id:
        lines.append(f"Representing: {invitation.school.name}")
    if event.agenda.strip():
        lines += ["", "Agenda:", event.agenda.strip()]
    lines += [
        "",
        "Please reply yes, no or maybe from “My invitations” in Clusterwork. If you cannot "
        "come, another member of staff from your school is welcome in your place.",
    ]
    return subject, "\n".join(lines)
