"""The figures of many clusters at once: one grouped query per kind of figure, whatever the
number of clusters, so a programme of 4,000 clusters costs the same number of queries as one
of four. Attendance and engagement come from the summaries kept up to date on write
(``summaries.py``); the rest are small grouped counts over indexed foreign keys.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from clusterwork.circumstances.models import Circumstance, StaffChange
from clusterwork.clusters.models import Cluster
from clusterwork.core.dated import in_force
from clusterwork.goals.models import Achievement, Goal, Project
from clusterwork.stages.models import ClusterStage

from .models import ClusterEngagement, SchoolTermAttendance
from .terms import last_terms, term_label, year_of, year_start

HORIZONS = [value for value, _ in Goal.Horizon.choices]


def rate(present: int, recorded: int) -> Decimal | None:
    """A percentage to one decimal place, or None when nothing was recorded."""
    if not recorded:
        return None
    return (Decimal(present) * 100 / Decimal(recorded)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


@dataclass
class ClusterFigures:
    cluster: Cluster
    members: int = 0
    pupils: int = 0
    stage: str = ""
    stage_since: dt.date | None = None
    recorded_year: int = 0
    present_year: int = 0
    recorded_last_year: int = 0
    present_last_year: int = 0
    flagged: int = 0
    engagement_at: dt.datetime | None = None
    goals: dict = field(default_factory=lambda: {h: [0, 0] for h in HORIZONS})  # [achieved, all]
    goals_at_risk: int = 0
    achievements_year: int = 0
    achievements: int = 0
    projects_running: int = 0
    projects_completed: int = 0
    outreach_projects: int = 0
    circumstances_year: int = 0
    staff_changes_year: int = 0

    @property
    def attendance_rate(self) -> Decimal | None:
        return rate(self.present_year, self.recorded_year)

    @property
    def attendance_rate_last_year(self) -> Decimal | None:
        return rate(self.present_last_year, self.recorded_last_year)

    @property
    def attendance_change(self) -> Decimal | None:
        now, then = self.attendance_rate, self.attendance_rate_last_year
        return None if now is None or then is None else now - then

    @property
    def goals_achieved(self) -> int:
        return sum(a for a, _ in self.goals.values())

    @property
    def goals_total(self) -> int:
        return sum(n for _, n in self.goals.values())

    @property
    def days_in_stage(self) -> int | None:
        return (timezone.localdate() - self.stage_since).days if self.stage_since else None

    @property
    def cohort(self) -> int:
        return cohort_of(self.cluster)


def cohort_of(cluster: Cluster) -> int:
    """The year a cluster entered its programme: the calendar year it started (or, when no
    start is recorded, the year it was set up in Clusterwork)."""
    day = cluster.started_on or timezone.localdate(cluster.created_at)
    return day.year


def cluster_figures(clusters, *, today: dt.date | None = None) -> list[ClusterFigures]:
    """Figures for every cluster of the queryset ``clusters`` (already scoped), in its order."""
    today = today or timezone.localdate()
    this_year = year_start(year_of(today))
    last_year = year_start(year_of(today) - 1)
    twelve_months = today - dt.timedelta(days=365)
    ids = clusters.values("pk")
    rows = list(
        clusters.select_related("programme").annotate(
            n_members=Count("memberships", filter=in_force(today, "memberships__"), distinct=True),
            n_pupils=Sum(
                "memberships__school__number_of_pupils", filter=in_force(today, "memberships__")
            ),
        )
    )
    out = {c.pk: ClusterFigures(c, members=c.n_members, pupils=c.n_pupils or 0) for c in rows}

    for stage in ClusterStage.objects.filter(cluster__in=ids, left_on__isnull=True).values_list(
        "cluster_id", "stage__name", "entered_on"
    ):
        out[stage[0]].stage, out[stage[0]].stage_since = stage[1], stage[2]

    for cid, term, recorded, present in (
        SchoolTermAttendance.objects.filter(cluster__in=ids, term_start__gte=last_year)
        .values("cluster_id", "term_start")
        .annotate(r=Sum("recorded"), p=Sum("present"))
        .values_list("cluster_id", "term_start", "r", "p")
    ):
        f = out[cid]
        if term >= this_year:
            f.recorded_year += recorded
            f.present_year += present
        else:
            f.recorded_last_year += recorded
            f.present_last_year += present

    for cid, flagged, at in ClusterEngagement.objects.filter(cluster__in=ids).values_list(
        "cluster_id", "flagged", "computed_at"
    ):
        out[cid].flagged, out[cid].engagement_at = flagged, at

    for cid, horizon, status, n in (
        Goal.objects.filter(cluster__in=ids, archived_at__isnull=True)
        .exclude(status=Goal.Status.DROPPED)
        .values("cluster_id", "horizon", "status")
        .annotate(n=Count("pk"))
        .values_list("cluster_id", "horizon", "status", "n")
    ):
        counts = out[cid].goals.setdefault(horizon, [0, 0])
        counts[1] += n
        if status == Goal.Status.ACHIEVED:
            counts[0] += n
        if status == Goal.Status.AT_RISK:
            out[cid].goals_at_risk += n

    for cid, total, year in (
        Achievement.objects.filter(cluster__in=ids, archived_at__isnull=True)
        .values("cluster_id")
        .annotate(total=Count("pk"), year=Count("pk", filter=Q(on__gte=this_year)))
        .values_list("cluster_id", "total", "year")
    ):
        out[cid].achievements, out[cid].achievements_year = total, year

    for cid, kind, status, n in (
        Project.objects.filter(cluster__in=ids, archived_at__isnull=True)
        .values("cluster_id", "kind", "status")
        .annotate(n=Count("pk"))
        .values_list("cluster_id", "kind", "status", "n")
    ):
        f = out[cid]
        if status == Project.Status.RUNNING:
            f.projects_running += n
        if status == Project.Status.COMPLETED:
            f.projects_completed += n
        if kind == Project.Kind.OUTREACH:
            f.outreach_projects += n

    for cid, n in (
        Circumstance.objects.filter(cluster__in=ids, occurred_on__gte=twelve_months)
        .values("cluster_id")
        .annotate(n=Count("pk"))
        .values_list("cluster_id", "n")
    ):
        out[cid].circumstances_year = n
    for cid, n in (
        StaffChange.objects.filter(cluster__in=ids, starts_on__gte=twelve_months)
        .values("cluster_id")
        .annotate(n=Count("pk"))
        .values_list("cluster_id", "n")
    ):
        out[cid].staff_changes_year = n
    return [out[c.pk] for c in rows]


@dataclass
class Totals:
    clusters: int = 0
    members: int = 0
    pupils: int = 0
    recorded_year: int = 0
    present_year: int = 0
    recorded_last_year: int = 0
    present_last_year: int = 0
    flagged: int = 0
    goals_achieved: int = 0
    goals_total: int = 0
    goals: dict = field(default_factory=lambda: {h: [0, 0] for h in HORIZONS})
    goals_at_risk: int = 0
    achievements_year: int = 0
    outreach_projects: int = 0
    projects_completed: int = 0
    circumstances_year: int = 0
    staff_changes_year: int = 0
    independent: int = 0
    by_stage: dict = field(default_factory=dict)

    @property
    def attendance_rate(self):
        return rate(self.present_year, self.recorded_year)

    @property
    def attendance_rate_last_year(self):
        return rate(self.present_last_year, self.recorded_last_year)

    @property
    def goals_achieved_rate(self):
        return rate(self.goals_achieved, self.goals_total)


SUMMED = (
    "members",
    "pupils",
    "recorded_year",
    "present_year",
    "recorded_last_year",
    "present_last_year",
    "flagged",
    "goals_achieved",
    "goals_total",
    "goals_at_risk",
    "achievements_year",
    "outreach_projects",
    "projects_completed",
    "circumstances_year",
    "staff_changes_year",
)


def totals(figures: list[ClusterFigures]) -> Totals:
    t = Totals(clusters=len(figures))
    for f in figures:
        for name in SUMMED:
            setattr(t, name, getattr(t, name) + getattr(f, name))
        for horizon, (achieved, total) in f.goals.items():
            t.goals.setdefault(horizon, [0, 0])
            t.goals[horizon][0] += achieved
            t.goals[horizon][1] += total
        if f.cluster.status == Cluster.Status.INDEPENDENT:
            t.independent += 1
        stage = f.stage or "No stage recorded"
        t.by_stage[stage] = t.by_stage.get(stage, 0) + 1
    return t


def attendance_by_term(*, clusters=None, school=None, today=None, terms: int = 6):
    """[(term label, rate or None, recorded)] for the last ``terms`` terms, one query."""
    today = today or timezone.localdate()
    starts = last_terms(today, terms)
    rows = SchoolTermAttendance.objects.filter(term_start__gte=starts[0])
    if clusters is not None:
        rows = rows.filter(cluster__in=clusters.values("pk"))
    if school is not None:
        rows = rows.filter(school=school)
    found = {
        term: (r, p)
        for term, r, p in rows.values("term_start")
        .annotate(r=Sum("recorded"), p=Sum("present"))
        .values_list("term_start", "r", "p")
    }
    return [
        (
            term_label(t, short=True),
            rate(found.get(t, (0, 0))[1], found.get(t, (0, 0))[0]),
            found.get(t, (0, 0))[0],
        )
        for t in starts
    ]


def goals_achieved_by_term(clusters, *, today=None, terms: int = 6):
    today = today or timezone.localdate()
    starts = last_terms(today, terms)
    counts: dict[dt.date, int] = defaultdict(int)
    from .terms import term_start

    for day, n in (
        Goal.objects.filter(
            cluster__in=clusters.values("pk"),
            status=Goal.Status.ACHIEVED,
            achieved_on__gte=starts[0],
            archived_at__isnull=True,
        )
        .values("achieved_on")
        .annotate(n=Count("pk"))
        .values_list("achieved_on", "n")
    ):
        counts[term_start(day)] += n
    return [(term_label(t, short=True), counts.get(t, 0)) for t in starts]
