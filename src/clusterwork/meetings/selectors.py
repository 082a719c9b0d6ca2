"""Reads of events, invitations and actions, always scoped to what the user may see."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from clusterwork.clusters.selectors import clusters_visible_to, programmes_visible_to
from clusterwork.people.scopes import scope_for

from .models import PRESENT, Action, Event, EventKind, Invitation


def events_visible_to(user, *, include_cancelled: bool = True) -> QuerySet[Event]:
    """Events of visible clusters, programme-wide events of visible programmes, and any event
    the user is personally invited to."""
    scope = scope_for(user)
    if scope.is_anonymous:
        return Event.objects.none()
    queryset = Event.objects.all()
    if not scope.is_superuser:
        condition = Q(
            cluster__in=clusters_visible_to(user, include_archived=True).values("id")
        ) | Q(cluster__isnull=True, programme__in=programmes_visible_to(user).values("id"))
        if scope.person_id:
            mine = Invitation.objects.filter(person_id=scope.person_id).values("event_id")
            condition |= Q(id__in=mine)
        queryset = queryset.filter(condition)
    if not include_cancelled:
        queryset = queryset.filter(archived_at__isnull=True)
    return queryset.select_related("cluster", "programme", "host_school")


def _with_counts(queryset):
    return queryset.annotate(
        invited_count=Count("invitations", distinct=True),
        yes_count=Count("invitations", filter=Q(invitations__rsvp="yes"), distinct=True),
        present_count=Count(
            "invitations", filter=Q(invitations__attendance__in=PRESENT), distinct=True
        ),
    )


def cluster_events(user, cluster, *, upcoming: bool | None = None) -> QuerySet[Event]:
    """Events of ``cluster``, which the caller has already fetched through ``access_cluster``:
    seeing a cluster means seeing its events, so no second visibility filter is needed."""
    queryset = _with_counts(
        Event.objects.filter(cluster=cluster).select_related("cluster", "programme", "host_school")
    )
    now = timezone.now()
    if upcoming is True:
        return queryset.filter(ends_at__gte=now).order_by("starts_at")
    if upcoming is False:
        return queryset.filter(ends_at__lt=now).order_by("-starts_at")
    return queryset.order_by("-starts_at")


def programme_events(user, programme) -> QuerySet[Event]:
    """Programme-wide events of ``programme`` (already fetched through ``access_programme``)."""
    return _with_counts(
        Event.objects.filter(programme=programme, cluster__isnull=True).select_related(
            "programme", "host_school"
        )
    ).order_by("-starts_at")


def event_detail(event: Event) -> dict:
    """Everything the meeting page shows, in a constant number of queries."""
    invitations = list(
        event.invitations.select_related("person", "school", "substitute").order_by(
            "school__name", "person__full_name"
        )
    )
    actions = list(event.actions.select_related("owner").order_by("status", "due", "pk"))
    by_school: dict = {}
    for invitation in invitations:
        key = invitation.school.name if invitation.school_id else "No school"
        row = by_school.setdefault(key, {"school": invitation.school, "present": False, "rows": []})
        row["rows"].append(invitation)
        row["present"] = row["present"] or invitation.attendance in PRESENT
    return {
        "invitations": invitations,
        "actions": actions,
        "schools": list(by_school.values()),
        "present": sum(1 for i in invitations if i.attendance in PRESENT),
        "schools_present": sum(1 for row in by_school.values() if row["present"]),
    }


def invitations_for(user, *, upcoming_only: bool = False) -> QuerySet[Invitation]:
    """The signed-in user's own invitations."""
    scope = scope_for(user)
    if not scope.person_id:
        return Invitation.objects.none()
    queryset = Invitation.objects.filter(person_id=scope.person_id).select_related(
        "event__cluster", "event__programme", "school"
    )
    if upcoming_only:
        queryset = queryset.filter(event__ends_at__gte=timezone.now())
    return queryset.order_by("-event__starts_at")


def feed_events_for_user(user) -> QuerySet[Event]:
    """The personal calendar: events the user is invited to and has not declined."""
    scope = scope_for(user)
    if not scope.person_id:
        return Event.objects.none()
    mine = Invitation.objects.filter(person_id=scope.person_id).exclude(rsvp="no")
    return (
        Event.objects.filter(id__in=mine.values("event_id"))
        .select_related("cluster", "programme", "host_school")
        .order_by("starts_at")
    )


def actions_for_cluster(user, cluster) -> QuerySet[Action]:
    return (
        Action.objects.filter(event__in=events_visible_to(user).filter(cluster=cluster))
        .select_related("owner", "event")
        .order_by("status", "due")
    )


def meetings_with_invitations(queryset):
    return queryset.prefetch_related(
        Prefetch("invitations", queryset=Invitation.objects.select_related("person", "school"))
    )


__all__ = [
    "EventKind",
    "actions_for_cluster",
    "cluster_events",
    "event_detail",
    "events_visible_to",
    "feed_events_for_user",
    "invitations_for",
    "programme_events",
]


def home_next_meetings(request, user, limit: int = 5) -> dict | None:
    """The home page's "Your next meetings": what the user is invited to, soonest first."""
    invitations = list(invitations_for(user, upcoming_only=True).order_by("event__starts_at"))
    return {"invitations": invitations[:limit]} if invitations else None
