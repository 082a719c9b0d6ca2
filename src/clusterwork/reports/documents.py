"""The reports to print: the annual impact report of a cluster, the trust-board pack (one page
per cluster plus the trust summary) and the programme's annual report across cohorts. Each is
one template, served as its HTML page or as a PDF (``core.documents``, WeasyPrint)."""

from __future__ import annotations

from django.utils import timezone

from clusterwork.clusters.models import Cluster
from clusterwork.core import documents
from clusterwork.goals.selectors import cluster_plan, successes

from . import dashboards
from .terms import year_label, year_of, year_start


def _year():
    today = timezone.localdate()
    return {
        "year": year_label(year_of(today)),
        "year_start": year_start(year_of(today)),
        "today": today,
    }


def cluster_parts(request, cluster: Cluster) -> dict:
    """Everything one cluster's report shows: vision, goals and progress, projects,
    achievements, engagement, needs before and after, and the other apps' sections."""
    year = _year()
    return {
        "cluster": cluster,
        "headline": dashboards.cluster_headline(request, cluster),
        "trends": dashboards.cluster_trends(request, cluster),
        "members": dashboards.cluster_members(request, cluster),
        "plan": cluster_plan(cluster),
        "successes": successes(cluster, since=year["year_start"]),
        "needs": dashboards.cluster_needs(request, cluster),
        "stage": dashboards.cluster_stage(request, cluster),
        **year,
    }


def cluster_report(request, cluster, fmt):
    return documents.document_response(
        request,
        "reports/documents/cluster_report.html",
        {**cluster_parts(request, cluster), "object": cluster},
        filename=f"{cluster.name}-impact-report-{_year()['year']}",
        fmt=fmt,
    )


def board_pack(request, trust, fmt):
    data = dashboards.data_for(request, trust)
    clusters = list(data["clusters"])
    return documents.document_response(
        request,
        "reports/documents/board_pack.html",
        {
            "trust": trust,
            "object": trust,
            "headline": dashboards.headline(request, trust),
            "trends": dashboards.trends(request, trust),
            "table": data["figures"],
            "map": dashboards.cluster_map(request, trust),
            "pages": [
                {
                    "cluster": c,
                    "headline": dashboards.cluster_headline(request, c),
                    "trends": dashboards.cluster_trends(request, c),
                    "plan": cluster_plan(c),
                    "stage": dashboards.cluster_stage(request, c),
                }
                for c in clusters
            ],
            **_year(),
        },
        filename=f"{trust.name}-board-pack-{_year()['year']}",
        fmt=fmt,
    )


def programme_report(request, programme, fmt):
    data = dashboards.data_for(request, programme)
    return documents.document_response(
        request,
        "reports/documents/programme_report.html",
        {
            "programme": programme,
            "object": programme,
            "headline": dashboards.headline(request, programme),
            "trends": dashboards.trends(request, programme),
            "cohorts": dashboards.cohorts(request, programme),
            "table": data["figures"],
            "map": dashboards.cluster_map(request, programme),
            **_year(),
        },
        filename=f"{programme.name}-annual-report-{_year()['year']}",
        fmt=fmt,
    )
