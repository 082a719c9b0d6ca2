"""Emails for discussion notifications, for those who opted in (and had not muted)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone

from clusterwork.core.tasks import task

from .models import Notification, NotificationSettings

WANTS = {
    Notification.Kind.REPLY: "email_replies",
    Notification.Kind.MENTION: "email_mentions",
    Notification.Kind.NEW_THREAD: "email_new_threads",
}


def notification_text(n: Notification) -> tuple[str, str]:
    thread = n.post.thread
    who = str(n.post.author) if n.post.author else "Someone"
    where = thread.cluster.name if thread.cluster_id else f"{thread.programme.name} coordinators"
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    link = f"{base}{reverse('sharing:thread_detail', args=[thread.pk])}#post-{n.post.pk}"
    heading = {
        Notification.Kind.REPLY: f"{who} replied in “{thread.title}”",
        Notification.Kind.MENTION: f"{who} mentioned you in “{thread.title}”",
        Notification.Kind.NEW_THREAD: f"New thread in {where}: “{thread.title}”",
    }[n.kind]
    body = (
        f"{heading} ({where}):\n\n{n.post.body[:1500]}\n\nReply: {link}\n\n"
        "Change what you get by email, or mute this thread, on the thread's page."
    )
    return heading, body


@task()
def send_notification_emails(notification_ids: list[int]) -> int:
    sent = 0
    found = Notification.objects.filter(
        pk__in=notification_ids, emailed_at__isnull=True
    ).select_related("user", "post__thread__cluster", "post__thread__programme", "post__author")
    for n in found:
        prefs = NotificationSettings.objects.filter(user=n.user).first() or NotificationSettings()
        if not getattr(prefs, WANTS[n.kind]) or not n.user.email or not n.user.is_active:
            continue
        subject, body = notification_text(n)
        EmailMessage(subject=subject, body=body, to=[n.user.email]).send()
        Notification.objects.filter(pk=n.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent
