"""Measures of what the existing apps record, registered in ``core.measures`` so governance's
triggers and every dashboard can use them (``ReportsConfig.ready`` registers them).

Each measure counts on a day (the school year up to that day for rates and counts of the
year), from the summaries kept on write where there are millions of rows behind it. ``BATCH``
gives the same value for many clusters at once from ``figures.cluster_figures``, which is how
dashboards and maps show them for thousands of clusters in a constant number of queries.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Sum

from clusterwork.circumstances.models import StaffChange
from clusterwork.core import measures
from clusterwork.core.dated import in_force
from clusterwork.core.measures import Measure
from clusterwork.goals.models import Achievement, Goal

from .figures import rate
from .models import ClusterEngagement, SchoolTermAttendance
from .terms import year_of, year_start


def _attendance(rows, day: dt.date) -> Decimal | None:
    totals = rows.filter(term_start__gte=year_start(year_of(day)), term_start__lte=day).aggregate(
        r=Sum("recorded"), p=Sum("present")
    )
    return rate(totals["p"] or 0, totals["r"] or 0)


def cluster_attendance(cluster, day):
    return _attendance(SchoolTermAttendance.objects.filter(cluster=cluster), day)


def school_attendance(school, day):
    return _attendance(SchoolTermAttendance.objects.filter(school=school), day)


def schools_flagged(cluster, day):
    row = ClusterEngagement.objects.filter(cluster=cluster).values_list("flagged", flat=True)
    return row.first()


def goals_achieved(cluster, day):
    return (
        Goal.objects.filter(
            cluster=cluster,
            status=Goal.Status.ACHIEVED,
            archived_at__isnull=True,
        )
        .exclude(achieved_on__gt=day)
        .count()
    )


def achievements_this_year(cluster, day):
    return Achievement.objects.filter(
        cluster=cluster, archived_at__isnull=True, on__gte=year_start(year_of(day)), on__lte=day
    ).count()


def member_schools(cluster, day):
    return cluster.memberships.filter(in_force(day)).count()


def staff_changes(cluster, day):
    return StaffChange.objects.filter(
        cluster=cluster, starts_on__gt=day - dt.timedelta(days=365), starts_on__lte=day
    ).count()


def school_pupils(school, day):
    return school.number_of_pupils


MEASURES = [
    Measure(
        key="reports.attendance_rate",
        label="Meeting attendance (school year, %)",
        applies_to="cluster",
        unit="%",
        compute=cluster_attendance,
        help_text="Schools present at cluster meetings whose register was taken, this school year.",
    ),
    Measure(
        key="reports.school_attendance_rate",
        label="Meeting attendance (school year, %)",
        applies_to="school",
        unit="%",
        compute=school_attendance,
    ),
    Measure(
        key="reports.schools_flagged",
        label="Schools flagged for engagement",
        applies_to="cluster",
        compute=schools_flagged,
        higher_is_better=False,
    ),
    Measure(
        key="reports.goals_achieved",
        label="Goals achieved",
        applies_to="cluster",
        compute=goals_achieved,
    ),
    Measure(
        key="reports.achievements_year",
        label="Achievements this school year",
        applies_to="cluster",
        compute=achievements_this_year,
    ),
    Measure(
        key="reports.member_schools",
        label="Member schools",
        applies_to="cluster",
        compute=member_schools,
    ),
    Measure(
        key="reports.staff_changes",
        label="Staff changes (12 months)",
        applies_to="cluster",
        compute=staff_changes,
        higher_is_better=False,
    ),
    Measure(
        key="reports.school_pupils",
        label="Pupils on roll (GIAS)",
        applies_to="school",
        compute=school_pupils,
    ),
]

# The same values from a row of figures (today only), for many clusters at once.
BATCH = {
    "reports.attendance_rate": lambda f: f.attendance_rate,
    "reports.schools_flagged": lambda f: f.flagged,
    "reports.goals_achieved": lambda f: f.goals_achieved,
    "reports.achievements_year": lambda f: f.achievements_year,
    "reports.member_schools": lambda f: f.members,
    "reports.staff_changes": lambda f: f.staff_changes_year,
}


def register() -> None:
    for measure in MEASURES:
        measures.register(measure)


def snapshot_day(key: str, day: dt.date):
    """The latest day on or before ``day`` that measure ``key`` was computed for."""
    from .models import MeasureValue

    return (
        MeasureValue.objects.filter(key=key, on__lte=day)
        .order_by("-on")
        .values_list("on", flat=True)
        .first()
    )


def cluster_values(key: str, figures, day: dt.date) -> dict[int, object]:
    """{cluster id: value} of measure ``key`` for the clusters of ``figures``, in a constant
    number of queries: from the figures when the measure is one of ours, else from the latest
    nightly snapshot (``MeasureValue``; clusters not yet computed have no value)."""
    if key in BATCH:
        return {f.cluster.pk: BATCH[key](f) for f in figures}
    from .models import MeasureValue

    on = snapshot_day(key, day)
    if on is None:
        return {}
    ids = [f.cluster.pk for f in figures]
    return dict(
        MeasureValue.objects.filter(key=key, on=on, cluster_id__in=ids).values_list(
            "cluster_id", "value"
        )
    )


def snapshot(day: dt.date, clusters) -> int:
    """Compute every registered cluster measure that is not one of ours, for ``clusters``,
    on ``day`` (replacing that day's values)."""
    from .models import MeasureValue

    keys = [m for m in measures.measures_for("cluster") if m.key not in BATCH]
    rows = []
    for cluster in clusters:
        for measure in keys:
            value = measure.compute(cluster, day)
            rows.append(
                MeasureValue(
                    key=measure.key,
                    cluster=cluster,
                    on=day,
                    value=None if value is None else Decimal(value),
                )
            )
    MeasureValue.objects.filter(on=day, key__in=[m.key for m in keys]).delete()
    MeasureValue.objects.bulk_create(rows, batch_size=5_000)
    return len(rows)
