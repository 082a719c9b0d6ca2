"""Reads: a cluster's changes, reviews that are due, and who held each role when."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from clusterwork.clusters.models import Cluster
from clusterwork.people.models import RoleAssignment

from .models import Circumstance, StaffChange


def cluster_changes(cluster: Cluster) -> dict:
    today = timezone.localdate()
    circumstances = list(
        Circumstance.objects.filter(cluster=cluster).select_related(
            "school", "trust", "recorded_by"
        )
    )
    staff = list(
        StaffChange.objects.filter(cluster=cluster).select_related(
            "school", "person", "replacement", "recorded_by"
        )
    )
    due = sorted(
        [c for c in circumstances if c.review_on and c.review_on <= today + dt.timedelta(days=30)]
        + [s for s in staff if s.review_on and s.review_on <= today + dt.timedelta(days=30)],
        key=lambda row: row.review_on,
    )
    return {"circumstances": circumstances, "staff_changes": staff, "reviews_due": due}


def role_history(cluster: Cluster) -> list[RoleAssignment]:
    """Every role ever held for the cluster or at a school while it was a member, oldest
    first within each role — the answer to "who was the subject leader at X in March?"."""
    school_ids = cluster.memberships.values("school_id")
    return list(
        RoleAssignment.objects.filter(Q(cluster=cluster) | Q(school_id__in=school_ids))
        .select_related("person", "school")
        .order_by("school__name", "role", "start", "id")
    )
