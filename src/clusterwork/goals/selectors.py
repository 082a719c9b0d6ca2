"""Reads for a cluster's plan and its timeline of successes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch

from clusterwork.clusters.models import Cluster

from .models import Achievement, Goal, GoalUpdate, Project, Vision


@dataclass
class Plan:
    vision: Vision | None
    goals_by_horizon: list[tuple[str, list[Goal]]]
    projects: list[Project]
    achievements: list[Achievement]


def cluster_plan(cluster: Cluster) -> Plan:
    goals = list(
        Goal.objects.filter(cluster=cluster, archived_at__isnull=True)
        .select_related("owner")
        .prefetch_related(Prefetch("updates", queryset=GoalUpdate.objects.select_related("author")))
    )
    by_horizon = [
        (label, [g for g in goals if g.horizon == value]) for value, label in Goal.Horizon.choices
    ]
    projects = list(
        Project.objects.filter(cluster=cluster, archived_at__isnull=True)
        .select_related("lead", "goal")
        .prefetch_related("schools")
    )
    achievements = list(
        Achievement.objects.filter(cluster=cluster, archived_at__isnull=True).select_related(
            "school", "person"
        )
    )
    return Plan(Vision.objects.filter(cluster=cluster).first(), by_horizon, projects, achievements)


@dataclass(frozen=True)
class Success:
    on: dt.date
    kind: str
    title: str
    detail: str
    who: str


def successes(cluster: Cluster, *, since: dt.date | None = None) -> list[Success]:
    """Achievements, goals achieved and projects completed, newest first — the material a
    coordinator shares to "celebrate successes" (seed 001)."""
    items: list[Success] = []
    achievements = Achievement.objects.filter(cluster=cluster, archived_at__isnull=True)
    goals = Goal.objects.filter(
        cluster=cluster, status=Goal.Status.ACHIEVED, archived_at__isnull=True
    )
    projects = Project.objects.filter(
        cluster=cluster, status=Project.Status.COMPLETED, archived_at__isnull=True
    )
    if since:
        achievements = achievements.filter(on__gte=since)
        goals = goals.filter(achieved_on__gte=since)
        projects = projects.filter(ends_on__gte=since)
    for a in achievements.select_related("school", "person"):
        who = a.school.name if a.school else str(a.person)
        items.append(Success(a.on, a.get_kind_display(), a.title, a.description, who))
    for g in goals.select_related("owner"):
        items.append(
            Success(g.achieved_on, "Goal achieved", g.title, g.description, str(g.owner or ""))
        )
    for p in projects.prefetch_related("schools"):
        who = ", ".join(s.name for s in p.schools.all())
        items.append(Success(p.ends_on, "Project completed", p.title, p.outcomes, who))
    return sorted(items, key=lambda s: (s.on, s.title), reverse=True)
