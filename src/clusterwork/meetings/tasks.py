"""Background work: sending invitation, reminder and engagement emails."""

from __future__ import annotations

import datetime as dt

from django.core.mail import EmailMessage
from django.utils import timezone

from clusterwork.core.tasks import task

from .email import invitation_text
from .models import EngagementEmail, Invitation


def _send(subject: str, body: str, to: str) -> None:
    EmailMessage(subject=subject, body=body, to=[to]).send()


@task()
def send_invitation_emails(invitation_ids: list[int]) -> int:
    """Email each new invitee once; invitees without an address are skipped."""
    sent = 0
    for invitation in Invitation.objects.filter(
        pk__in=invitation_ids, emailed_at__isnull=True
    ).select_related(
        "event__cluster", "event__programme", "event__host_school", "person", "school"
    ):
        if not invitation.person.email or invitation.event.is_archived:
            continue
        _send(*invitation_text(invitation), invitation.person.email)
        Invitation.objects.filter(pk=invitation.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent


@task()
def send_reminders(hours_ahead: int = 48) -> int:
    """Remind invitees who have not declined of events starting within ``hours_ahead``."""
    now = timezone.now()
    due = (
        Invitation.objects.filter(
            event__starts_at__gt=now,
            event__starts_at__lte=now + dt.timedelta(hours=hours_ahead),
            event__archived_at__isnull=True,
            reminded_at__isnull=True,
        )
        .exclude(rsvp="no")
        .exclude(person__email="")
    )
    sent = 0
    for invitation in due.select_related(
        "event__cluster", "event__programme", "event__host_school", "person", "school"
    ):
        _send(*invitation_text(invitation, reminder=True), invitation.person.email)
        Invitation.objects.filter(pk=invitation.pk).update(reminded_at=timezone.now())
        sent += 1
    return sent


@task()
def send_engagement_email(email_id: int) -> str:
    email = EngagementEmail.objects.select_related("sent_by").get(pk=email_id)
    if email.status == EngagementEmail.Status.SENT:
        return email.status
    reply_to = [email.sent_by.email] if email.sent_by.email else []
    try:
        EmailMessage(
            subject=email.subject, body=email.body, to=[email.to_email], reply_to=reply_to
        ).send()
    except Exception as exc:  # keep the record honest when the mail server refuses
        EngagementEmail.objects.filter(pk=email.pk).update(
            status=EngagementEmail.Status.FAILED, error=str(exc)[:500]
        )
        raise
    EngagementEmail.objects.filter(pk=email.pk).update(
        status=EngagementEmail.Status.SENT, sent_at=timezone.now()
    )
    return EngagementEmail.Status.SENT
