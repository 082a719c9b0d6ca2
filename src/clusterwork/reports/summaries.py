"""Keeping the dashboards' summaries up to date on write, and rebuilding them in bulk.

- An invitation saved (a register taken, an RSVP) or a meeting saved (moved, cancelled)
  recomputes its cluster's ``SchoolTermAttendance`` rows and ``ClusterEngagement``: a few
  indexed queries over one cluster's meetings, in the same transaction as the write.
- A membership saved (a school joins, leaves or moves) recomputes its cluster's engagement.
- ``rebuild_all()`` (``clusterwork refresh-report-summaries``, run nightly and after a bulk
  load such as ``generate-load-data``, which writes with COPY and fires no signals) rebuilds
  every row: meetings falling into the engagement window change who is flagged with no write.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import transaction
from django.db.models import Case, IntegerField, Max, Value, When
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from clusterwork.clusters.models import Cluster, ClusterMembership, Programme
from clusterwork.meetings import engagement
from clusterwork.meetings.models import PRESENT, Event, EventKind, Invitation

from .models import ClusterEngagement, SchoolTermAttendance
from .terms import term_start


def _pairs(events):
    """(cluster id, school id, meeting start, present 0/1) per meeting and school whose
    register was taken, from the invitations of ``events``."""
    return (
        Invitation.objects.filter(event__in=events, school__isnull=False)
        .exclude(attendance="")
        .values("event_id", "event__cluster_id", "school_id", "event__starts_at")
        .annotate(
            came=Max(
                Case(
                    When(attendance__in=PRESENT, then=Value(1)),
                    default=Value(0),
                    output_field=IntegerField(),
                )
            )
        )
        .values_list("event__cluster_id", "school_id", "event__starts_at", "came")
    )


def _meetings():
    return Event.objects.filter(
        kind=EventKind.MEETING, cluster__isnull=False, archived_at__isnull=True
    )


def _attendance_rows(pairs) -> list[SchoolTermAttendance]:
    totals: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for cluster_id, school_id, starts_at, came in pairs:
        key = (cluster_id, school_id, term_start(timezone.localdate(starts_at)))
        totals[key][0] += 1
        totals[key][1] += came
    return [
        SchoolTermAttendance(
            cluster_id=c, school_id=s, term_start=t, recorded=recorded, present=present
        )
        for (c, s, t), (recorded, present) in totals.items()
    ]


def refresh_attendance(cluster_id: int) -> None:
    rows = _attendance_rows(_pairs(_meetings().filter(cluster_id=cluster_id)))
    SchoolTermAttendance.objects.filter(cluster_id=cluster_id).delete()
    SchoolTermAttendance.objects.bulk_create(rows)


def refresh_engagement(cluster: Cluster, *, now: dt.datetime | None = None) -> None:
    now = now or timezone.now()
    page = engagement.engagement_for_cluster(cluster, limit=100_000, now=now)
    flagged = sorted(row.school_id for row in page.rows if row.flagged)
    ClusterEngagement.objects.update_or_create(
        cluster_id=cluster.pk,
        defaults={
            "schools": page.total,
            "flagged": len(flagged),
            "flagged_school_ids": flagged,
            "computed_at": now,
        },
    )


def refresh_cluster(cluster_id: int) -> None:
    cluster = Cluster.objects.select_related("programme").filter(pk=cluster_id).first()
    if cluster is None:
        return
    refresh_attendance(cluster_id)
    refresh_engagement(cluster)


@transaction.atomic
def rebuild_all(*, now: dt.datetime | None = None) -> dict:
    """Every summary row from scratch: attendance in one pass over all registers, engagement
    with one statement per programme."""
    now = now or timezone.now()
    rows = _attendance_rows(_pairs(_meetings()).iterator(chunk_size=20_000))
    SchoolTermAttendance.objects.all().delete()
    SchoolTermAttendance.objects.bulk_create(rows, batch_size=5_000)
    engaged = []
    for programme in Programme.objects.all():
        page = engagement.engagement_for_programme(programme, limit=10_000_000, now=now)
        per_cluster: dict[int, list] = defaultdict(lambda: [0, []])
        for row in page.rows:
            per_cluster[row.cluster_id][0] += 1
            if row.flagged:
                per_cluster[row.cluster_id][1].append(row.school_id)
        for cluster_id in Cluster.objects.filter(programme=programme).values_list("pk", flat=True):
            schools, flagged = per_cluster.get(cluster_id, (0, []))
            engaged.append(
                ClusterEngagement(
                    cluster_id=cluster_id,
                    schools=schools,
                    flagged=len(flagged),
                    flagged_school_ids=sorted(flagged),
                    computed_at=now,
                )
            )
    ClusterEngagement.objects.all().delete()
    ClusterEngagement.objects.bulk_create(engaged, batch_size=5_000)
    from .measures import snapshot

    day = timezone.localdate(now)
    values = snapshot(
        day, Cluster.objects.filter(archived_at__isnull=True).select_related("programme")
    )
    return {"attendance_rows": len(rows), "clusters": len(engaged), "measure_values": values}


# ----- on write ------------------------------------------------------------------------------


@receiver(post_save, sender=Invitation, dispatch_uid="reports-invitation")
def _invitation_saved(sender, instance, raw=False, **kwargs) -> None:
    if raw:
        return
    event = (
        Event.objects.filter(pk=instance.event_id, kind=EventKind.MEETING)
        .values_list("cluster_id", "starts_at")
        .first()
    )
    # An RSVP to a meeting still to come changes no register; anything else may.
    if event and event[0] and (instance.attendance or event[1] <= timezone.now()):
        refresh_cluster(event[0])


@receiver(post_save, sender=Event, dispatch_uid="reports-event")
def _event_saved(sender, instance, created=False, raw=False, **kwargs) -> None:
    # A new meeting has no register yet; a moved or cancelled one changes its cluster's rows.
    if raw or created or instance.cluster_id is None or instance.kind != EventKind.MEETING:
        return
    refresh_cluster(instance.cluster_id)


@receiver(post_save, sender=ClusterMembership, dispatch_uid="reports-membership")
def _membership_saved(sender, instance, raw=False, **kwargs) -> None:
    if raw:
        return
    cluster = Cluster.objects.select_related("programme").filter(pk=instance.cluster_id).first()
    if cluster is not None:
        refresh_engagement(cluster)
