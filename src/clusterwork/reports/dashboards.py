"""What each dashboard shows: the section contexts registered for the ``impact_*`` pages.

A dashboard page renders ``{% page_sections "impact_cluster" cluster %}``; this app's
sections and any other app's (funding, packages, governance …) appear in order. Sections of
one page share the figures computed once per request (``data_for``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.urls import reverse
from django.utils import timezone

from clusterwork.circumstances.models import Circumstance, StaffChange
from clusterwork.clusters.models import Programme
from clusterwork.core import charts, measures
from clusterwork.goals.models import Achievement, Goal, Project
from clusterwork.goals.selectors import cluster_plan
from clusterwork.schools.models import Trust
from clusterwork.stages.selectors import cluster_stage_status
from clusterwork.surveys import selectors as surveys

from . import figures as fig
from . import maps, selectors
from .measures import BATCH, cluster_values, snapshot_day
from .models import ClusterEngagement, SchoolTermAttendance
from .terms import year_of, year_start


@dataclass(frozen=True)
class Cohort:
    """The clusters of a programme that entered it in one year."""

    programme: Programme
    year: int

    @property
    def pk(self) -> int:
        return self.year

    def __str__(self) -> str:
        return f"{self.year} cohort"

    def get_absolute_url(self) -> str:
        return reverse("reports:cohort_dashboard", args=[self.programme.pk, self.year])


def clusters_of(request, obj):
    user = request.user
    if isinstance(obj, Trust):
        return selectors.dashboard_clusters(user, trust=obj)
    if isinstance(obj, Programme):
        return selectors.dashboard_clusters(user, programme=obj)
    if isinstance(obj, Cohort):
        return selectors.cohort_clusters(user, obj.programme, obj.year)
    raise TypeError(obj)


def data_for(request, obj) -> dict:
    """The clusters, their figures and totals for a trust, programme or cohort dashboard,
    computed once per request."""
    cache = request.__dict__.setdefault("_reports_data", {})
    key = (type(obj).__name__, obj.pk)
    if key not in cache:
        clusters = clusters_of(request, obj)
        rows = fig.cluster_figures(clusters)
        cache[key] = {"clusters": clusters, "figures": rows, "totals": fig.totals(rows)}
    return cache[key]


# ----- trust, programme, cohort ---------------------------------------------------------------


def headline(request, obj):
    data = data_for(request, obj)
    return {"totals": data["totals"], "subject": obj, "today": timezone.localdate()}


def trends(request, obj):
    data = data_for(request, obj)
    clusters = data["clusters"]
    by_term = fig.attendance_by_term(clusters=clusters)
    goals = fig.goals_achieved_by_term(clusters)
    stages = data["totals"].by_stage
    return {
        "charts": [
            charts.line(
                "Meeting attendance by term (%)",
                [t for t, _, _ in by_term],
                {"Attendance %": [r for _, r, _ in by_term]},
                range=(0, 100),
                height=280,
            ),
            charts.bar(
                "Goals achieved by term",
                [t for t, _ in goals],
                {"Goals achieved": [n for _, n in goals]},
                height=280,
            ),
            charts.horizontal_bar(
                "Clusters by stage",
                list(stages),
                {"Clusters": list(stages.values())},
                height=max(200, 60 + 40 * len(stages)),
            ),
        ]
    }


_MARK = 987654321
_PATTERNS: dict[str, str] = {}


def url_of(name: str, pk: int) -> str:
    """``reverse(name, args=[pk])`` for the many rows of a table, reversed once per name."""
    if name not in _PATTERNS:
        _PATTERNS[name] = reverse(name, args=[_MARK]).replace(str(_MARK), "{}")
    return _PATTERNS[name].format(pk)


ROW_LINKS = {
    "dashboard": "reports:cluster_dashboard",
    "detail": "cluster_detail",
    "stage": "cluster_stage",
    "engagement": "meetings:cluster_engagement",
    "plan": "cluster_plan",
    "successes": "cluster_successes",
    "changes": "cluster_changes",
    "programme": "reports:programme_dashboard",
}


def row_links(f) -> dict[str, str]:
    links = {key: url_of(name, f.cluster.pk) for key, name in ROW_LINKS.items()}
    links["programme"] = url_of(ROW_LINKS["programme"], f.cluster.programme_id)
    return links


def measure_choice(request, applies_to="cluster") -> str:
    asked = request.GET.get("measure", "")
    keys = {key for key, _ in measures.choices(applies_to)}
    return asked if asked in keys else "reports.attendance_rate"


def cluster_table(request, obj):
    data = data_for(request, obj)
    page = Paginator(data["figures"], 50).get_page(request.GET.get("page"))
    key = measure_choice(request)
    values = cluster_values(key, list(page.object_list), timezone.localdate())
    rows = [(f, values.get(f.cluster.pk), row_links(f)) for f in page.object_list]
    as_of = None if key in BATCH else snapshot_day(key, timezone.localdate())
    return {
        "page_obj": page,
        "rows": rows,
        "measure": measures.get(key),
        "measure_as_of": as_of,
        "measure_choices": measures.choices("cluster"),
        "exports": ("csv", "xlsx"),
        "show_programme": isinstance(obj, Trust),
    }


def cohorts(request, obj):
    if not isinstance(obj, Programme):
        return None
    data = data_for(request, obj)
    groups: dict[int, list] = {}
    for f in data["figures"]:
        groups.setdefault(f.cohort, []).append(f)
    compared = [(year, fig.totals(rows)) for year, rows in sorted(groups.items())]
    if not compared:
        return None
    labels = [str(year) for year, _ in compared]
    chart = charts.bar(
        "Cohorts compared: attendance and goals achieved (%)",
        labels,
        {
            "Attendance %": [t.attendance_rate for _, t in compared],
            "Goals achieved %": [t.goals_achieved_rate for _, t in compared],
        },
        height=300,
    )
    return {"programme": obj, "compared": compared, "chart": chart}


def cluster_map(request, obj):
    data = data_for(request, obj)
    key = measure_choice(request)
    values = cluster_values(key, data["figures"], timezone.localdate())
    many = len(data["figures"]) > maps.HULLS_UP_TO
    points = selectors.member_points(data["clusters"], centroids=many)
    drawn = maps.clusters_map(data["figures"], points, values, measures.get(key))
    return {"map": drawn, "measure": measures.get(key)} if drawn else None


def measure_table(request, obj):
    """Every registered cluster measure, for the first 50 clusters: ours from the figures,
    the others from the latest nightly snapshot (one query for all of them)."""
    from .models import MeasureValue

    data = data_for(request, obj)
    shown = data["figures"][:50]
    columns = measures.measures_for("cluster")
    snapshot = {}
    others = [m.key for m in columns if m.key not in BATCH]
    if others:
        for key, cid, on, value in (
            MeasureValue.objects.filter(
                key__in=others, cluster_id__in=[f.cluster.pk for f in shown]
            )
            .order_by("on")
            .values_list("key", "cluster_id", "on", "value")
        ):
            snapshot[(key, cid)] = (on, value)  # the latest day wins
    days = sorted({on for on, _ in snapshot.values()})
    rows = [
        (
            f,
            url_of(ROW_LINKS["dashboard"], f.cluster.pk),
            [
                BATCH[m.key](f)
                if m.key in BATCH
                else snapshot.get((m.key, f.cluster.pk), (None, None))[1]
                for m in columns
            ],
        )
        for f in shown
    ]
    return {
        "columns": columns,
        "rows": rows,
        "more": len(data["figures"]) > len(shown),
        "as_of": days[-1] if days else None,
        "others": bool(others),
    }


# ----- cluster --------------------------------------------------------------------------------


def cluster_data(request, cluster) -> dict:
    cache = request.__dict__.setdefault("_reports_data", {})
    key = ("Cluster", cluster.pk)
    if key not in cache:
        from clusterwork.clusters.models import Cluster

        clusters = Cluster.objects.filter(pk=cluster.pk)
        cache[key] = {"clusters": clusters, "figures": fig.cluster_figures(clusters)}
    return cache[key]


def cluster_headline(request, cluster):
    figures = cluster_data(request, cluster)["figures"][0]
    return {"f": figures, "cluster": cluster}


def cluster_trends(request, cluster):
    by_term = fig.attendance_by_term(clusters=cluster_data(request, cluster)["clusters"])
    f = cluster_data(request, cluster)["figures"][0]
    horizons = [label for _, label in Goal.Horizon.choices]
    achieved = [f.goals[value][0] for value, _ in Goal.Horizon.choices]
    open_goals = [f.goals[value][1] - f.goals[value][0] for value, _ in Goal.Horizon.choices]
    return {
        "charts": [
            charts.line(
                "Meeting attendance by term (%)",
                [t for t, _, _ in by_term],
                {"Attendance %": [r for _, r, _ in by_term]},
                range=(0, 100),
                height=280,
            ),
            charts.stacked_bar(
                "Goals by horizon",
                horizons,
                {"Achieved": achieved, "Not yet": open_goals},
                height=280,
            ),
        ]
    }


def cluster_members(request, cluster):
    today = timezone.localdate()
    members = list(
        cluster.memberships.filter(start__lte=today)
        .exclude(end__lte=today)
        .select_related("school")
        .order_by("school__name")
    )
    this_year = year_start(year_of(today))
    attendance = {
        sid: (r, p)
        for sid, r, p in SchoolTermAttendance.objects.filter(
            cluster=cluster, term_start__gte=this_year
        )
        .values("school_id")
        .annotate(r=fig.Sum("recorded"), p=fig.Sum("present"))
        .values_list("school_id", "r", "p")
    }
    engaged = ClusterEngagement.objects.filter(cluster=cluster).first()
    flagged = set(engaged.flagged_school_ids) if engaged else set()
    returned = surveys.returned_by_school(cluster)
    rows = [
        {
            "school": m.school,
            "since": m.start,
            "rate": fig.rate(
                attendance.get(m.school_id, (0, 0))[1], attendance.get(m.school_id, (0, 0))[0]
            ),
            "recorded": attendance.get(m.school_id, (0, 0))[0],
            "flagged": m.school_id in flagged,
            "returned": returned.get(m.school_id),
        }
        for m in members
    ]
    return {"rows": rows, "cluster": cluster, "engaged": engaged}


def cluster_goals(request, cluster):
    plan = cluster_plan(cluster)
    return {"plan": plan, "cluster": cluster}


def cluster_needs(request, cluster):
    rounds = surveys.cluster_rounds(request.user, cluster)
    if not rounds:
        return {"cluster": cluster, "needs": None, "comparison": None}
    latest = surveys.round_to_show(cluster, rounds)
    needs = surveys.shared_needs(cluster, latest) if latest else None
    comparison = surveys.compare_rounds(cluster, latest.questionnaire) if latest else None
    chart = None
    if comparison and len(comparison.rows) >= 2 and comparison.areas:
        first, last = comparison.rows[0], comparison.rows[-1]
        if any(v is not None for v in first[2] + last[2]):
            chart = charts.bar(
                "Self-assessment before and after (mean rating per area)",
                comparison.areas,
                {str(first[0]): first[2], str(last[0]): last[2]},
                height=300,
            )
    return {"cluster": cluster, "needs": needs, "comparison": comparison, "chart": chart}


def cluster_stage(request, cluster):
    status = cluster_stage_status(cluster)
    return {"cluster": cluster, "status": status, "today": timezone.localdate()}


def cluster_changes(request, cluster):
    year_ago = timezone.localdate() - fig.dt.timedelta(days=365)
    return {
        "cluster": cluster,
        "circumstances": list(
            Circumstance.objects.filter(cluster=cluster, occurred_on__gte=year_ago).select_related(
                "school"
            )
        ),
        "staff_changes": list(
            StaffChange.objects.filter(cluster=cluster, starts_on__gte=year_ago).select_related(
                "person", "school", "replacement"
            )
        ),
    }


def cluster_measures(request, cluster):
    today = timezone.localdate()
    year_ago = today - fig.dt.timedelta(days=365)
    rows = [
        (m, m.compute(cluster, today), m.compute(cluster, year_ago))
        for m in measures.measures_for("cluster")
    ]
    return {"rows": rows}


def cluster_members_map(request, cluster):
    clusters = cluster_data(request, cluster)["clusters"]
    members = selectors.member_schools_with_location(clusters)
    drawn = maps.schools_map(members)
    return {"map": drawn} if drawn else None


# ----- school ---------------------------------------------------------------------------------


def school_facts(request, school):
    memberships = list(
        selectors.visible_memberships_of(request.user, school)
        .select_related("cluster__programme")
        .order_by("-start")
    )
    return {"school": school, "memberships": memberships, "today": timezone.localdate()}


def school_engagement(request, school):
    by_term = fig.attendance_by_term(school=school)
    clusters = list(selectors.school_clusters(request.user, school))
    flagged = {
        cid
        for cid, ids in ClusterEngagement.objects.filter(
            cluster__in=[c.pk for c in clusters]
        ).values_list("cluster_id", "flagged_school_ids")
        if school.pk in ids
    }
    returned = {c.pk: surveys.returned_by_school(c).get(school.pk) for c in clusters}
    chart = charts.line(
        "Meeting attendance by term (%)",
        [t for t, _, _ in by_term],
        {"Attendance %": [r for _, r, _ in by_term]},
        range=(0, 100),
        height=260,
    )
    rows = [(c, c.pk in flagged, returned.get(c.pk)) for c in clusters]
    return {"chart": chart, "rows": rows, "school": school}


def school_activity(request, school):
    clusters = selectors.school_clusters(request.user, school)
    visible = selectors.visible_memberships_of(request.user, school).values("cluster_id")
    return {
        "school": school,
        "clusters": clusters,
        "achievements": list(
            Achievement.objects.filter(
                school=school, cluster__in=visible, archived_at__isnull=True
            ).select_related("cluster")[:20]
        ),
        "projects": list(
            Project.objects.filter(
                schools=school, cluster__in=visible, archived_at__isnull=True
            ).select_related("cluster")[:20]
        ),
        "circumstances": list(
            Circumstance.objects.filter(school=school, cluster__in=visible).select_related(
                "cluster"
            )[:20]
        ),
    }


def school_measures(request, school):
    today = timezone.localdate()
    year_ago = today - fig.dt.timedelta(days=365)
    rows = [
        (m, m.compute(school, today), m.compute(school, year_ago))
        for m in measures.measures_for("school")
    ]
    return {"rows": rows}
