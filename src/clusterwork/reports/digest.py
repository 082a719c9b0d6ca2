"""The weekly digest: what is coming and what needs doing in a person's clusters, by email.

``core.digest.items_for(user, since, until)`` gathers the items every app registered; this
app registers the collectors of the apps that exist already (meetings coming up, registers
not yet taken, self-assessments due, schools flagged, clusters that changed status) in
``ReportsConfig.ready``. Each collector reads through the user's scope, so the digest never
says more than the pages would. People opt in or out on /reports/digest/ (everyone who holds
a role gets it until they opt out); ``clusterwork send-weekly-digest`` (or the weekly task)
sends it.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from clusterwork.clusters.models import Cluster
from clusterwork.clusters.selectors import changeable_clusters, clusters_visible_to
from clusterwork.core import digest as core_digest
from clusterwork.core.audit import audited_save
from clusterwork.core.digest import DigestItem
from clusterwork.meetings.models import Event, EventKind, Invitation, Rsvp
from clusterwork.meetings.selectors import invitations_for
from clusterwork.people.models import RoleAssignment, User
from clusterwork.people.scopes import scope_for
from clusterwork.surveys.models import Round
from clusterwork.surveys.selectors import responses_of

from .models import ClusterEngagement, DigestSubscription

WEEK = dt.timedelta(days=7)


def items_for(user, since, until) -> list[DigestItem]:
    return core_digest.items_for(user, since, until)


def _signed_in(collect):
    """A collector says nothing to no one: no user, no items."""

    def wrapped(user, since, until):
        if user is None or not getattr(user, "is_authenticated", False):
            return []
        return collect(user, since, until)

    wrapped.__name__ = collect.__name__
    wrapped.__doc__ = collect.__doc__
    return wrapped


# ----- collectors for the apps that exist ------------------------------------------------------


@_signed_in
def meetings_coming(user, since, until) -> list[DigestItem]:
    """The user's meetings in the week after ``until`` (not declined)."""
    rows = (
        invitations_for(user)
        .filter(event__starts_at__gte=until, event__starts_at__lt=until + WEEK)
        .filter(event__archived_at__isnull=True)
        .exclude(rsvp=Rsvp.NO)
        .order_by("event__starts_at")
    )
    return [
        DigestItem(
            app="meetings",
            title=f"{i.event.title} — {i.event.scope_name}",
            url=i.event.get_absolute_url(),
            when=timezone.localtime(i.event.starts_at),
        )
        for i in rows[:20]
    ]


@_signed_in
def registers_to_take(user, since, until) -> list[DigestItem]:
    """Meetings of clusters the user runs, held in the week, with no register taken."""
    events = (
        Event.objects.filter(
            cluster__in=changeable_clusters(user).values("pk"),
            kind=EventKind.MEETING,
            archived_at__isnull=True,
            starts_at__gte=since,
            starts_at__lt=until,
        )
        .exclude(pk__in=Invitation.objects.exclude(attendance="").values("event_id"))
        .select_related("cluster")
        .order_by("starts_at")
    )
    return [
        DigestItem(
            app="meetings",
            title=f"Register not yet taken: {e.title} ({e.cluster})",
            url=reverse("meetings:event_attendance", args=[e.pk]),
            when=timezone.localtime(e.starts_at),
            kind="due",
        )
        for e in events[:20]
    ]


@_signed_in
def self_assessments_due(user, since, until) -> list[DigestItem]:
    waiting = responses_of(user).filter(submitted_at__isnull=True, round__status=Round.Status.OPEN)
    return [
        DigestItem(
            app="surveys",
            title=f"Self-assessment to return: {r.round} ({r.school.name})",
            url=reverse("my_questionnaires"),
            when=r.round.deadline,
            kind="due",
        )
        for r in waiting.order_by("round__deadline")[:20]
    ]


@_signed_in
def schools_flagged(user, since, until) -> list[DigestItem]:
    """For those who run clusters: clusters with schools flagged for engagement."""
    rows = (
        ClusterEngagement.objects.filter(
            cluster__in=changeable_clusters(user).values("pk"), flagged__gt=0
        )
        .select_related("cluster")
        .order_by("-flagged", "cluster__name")
    )
    return [
        DigestItem(
            app="meetings",
            title=f"{r.cluster}: {r.flagged} of {r.schools} schools flagged for engagement",
            url=reverse("meetings:cluster_engagement", args=[r.cluster_id]),
            kind="due",
        )
        for r in rows[:20]
    ]


@_signed_in
def clusters_changed_status(user, since, until) -> list[DigestItem]:
    """For programme directors and trust leads: clusters whose status changed this week."""
    scope = scope_for(user)
    if not (scope.is_superuser or scope.ids("programme") or scope.ids("trust")):
        return []
    visible = clusters_visible_to(user, include_archived=True).values("pk")
    changes = (
        Cluster.history.filter(id__in=visible, history_date__gte=since, history_date__lt=until)
        .order_by("id", "history_date")
        .values_list("id", "name", "status", "history_date")
    )
    before = {
        row[0]: row[1]
        for row in Cluster.history.filter(id__in=visible, history_date__lt=since)
        .order_by("id", "history_date")
        .values_list("id", "status")
    }
    labels = dict(Cluster.Status.choices)
    items, last = [], dict(before)
    for pk, name, status, when in changes:
        if pk in last and last[pk] != status:
            was, now = labels.get(last[pk], last[pk]), labels.get(status, status)
            items.append(
                DigestItem(
                    app="clusters",
                    title=f"{name}: {was} → {now}",
                    url=reverse("reports:cluster_dashboard", args=[pk]),
                    when=timezone.localtime(when),
                )
            )
        last[pk] = status
    return items[:50]


def register() -> None:
    # Keyed by app: an app that later registers its own collector under its name replaces
    # these (core.digest keeps one per app), so register ours under our own names.
    core_digest.register("reports.meetings_coming", meetings_coming)
    core_digest.register("reports.registers_to_take", registers_to_take)
    core_digest.register("reports.self_assessments_due", self_assessments_due)
    core_digest.register("reports.schools_flagged", schools_flagged)
    core_digest.register("reports.clusters_changed_status", clusters_changed_status)


# ----- subscriptions and sending ------------------------------------------------------------


def is_subscribed(user) -> bool:
    row = DigestSubscription.objects.filter(user=user).values_list("weekly", flat=True).first()
    return True if row is None else row


@transaction.atomic
def subscription_set(*, actor, user, weekly: bool) -> DigestSubscription:
    row, _ = DigestSubscription.objects.select_for_update().get_or_create(user=user)
    row.weekly = weekly
    audited_save(row, actor, "digest opted in" if weekly else "digest opted out")
    return row


def recipients():
    """Active users who hold a role today (or are superusers) and have not opted out."""
    today = timezone.localdate()
    holders = RoleAssignment.objects.current(today).values("person__user")
    opted_out = DigestSubscription.objects.filter(weekly=False).values("user_id")
    return (
        User.objects.filter(is_active=True)
        .filter(pk__in=holders)
        .exclude(pk__in=opted_out)
        .order_by("pk")
    )


def send_digest(user, *, since, until) -> bool:
    """Email ``user`` their digest; False (and nothing sent) when it would be empty."""
    items = items_for(user, since, until)
    if not items:
        return False
    context = {
        "user": user,
        "due": [i for i in items if i.kind == "due"],
        "news": [i for i in items if i.kind != "due"],
        "since": since,
        "until": until,
        "site": getattr(settings, "SITE_URL", "").rstrip("/"),
    }
    message = EmailMultiAlternatives(
        subject=f"Clusterwork: your week ({timezone.localtime(until):%-d %b %Y})",
        body=render_to_string("reports/email/digest.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    )
    message.attach_alternative(render_to_string("reports/email/digest.html", context), "text/html")
    message.send()
    row, _ = DigestSubscription.objects.get_or_create(user=user)
    row.last_sent_at = until
    row.save(update_fields=["last_sent_at", "updated_at"])
    return True


def send_weekly(*, until=None) -> dict:
    until = until or timezone.now()
    sent = empty = 0
    for user in recipients().iterator():
        last = (
            DigestSubscription.objects.filter(user=user)
            .values_list("last_sent_at", flat=True)
            .first()
        )
        if last and until - last < dt.timedelta(days=6):
            continue  # already sent this week
        if send_digest(user, since=until - WEEK, until=until):
            sent += 1
        else:
            empty += 1
    return {"sent": sent, "empty": empty}


# ----- personal data -------------------------------------------------------------------------


def subscription_of(person) -> list[dict]:
    if getattr(person, "pk", None) is None:
        return []
    rows = DigestSubscription.objects.filter(user__person=person)
    return [{"weekly_digest": r.weekly, "last_sent_at": r.last_sent_at} for r in rows]


def erase_subscription(person, actor) -> int:
    """Erasure stops the digest (the row says only that, and when it was last sent)."""
    if getattr(person, "pk", None) is None:
        return 0
    rows = DigestSubscription.objects.filter(user__person=person)
    return rows.update(weekly=False, last_sent_at=None)


def register_personal_data() -> None:
    from clusterwork.core import personal_data

    personal_data.register(
        personal_data.PersonalData(
            app="reports",
            label="Weekly digest subscription",
            export=subscription_of,
            erase=erase_subscription,
            models=("reports.DigestSubscription",),
        )
    )
