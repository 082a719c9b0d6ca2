"""Dashboards per level, their reports as HTML and PDF, and the digest settings."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from clusterwork.clusters.selectors import clusters_visible_to, programmes_visible_to
from clusterwork.core import exports
from clusterwork.core.views import ObjectDetailView

from . import dashboards, digest, documents, selectors
from .access import (
    access_cluster_dashboard,
    access_programme_dashboard,
    access_school_dashboard,
    access_trust_dashboard,
)

FIGURE_COLUMNS = (
    ("Cluster", "cluster.name"),
    ("Programme", "cluster.programme.name"),
    ("Cohort (year of entry)", "cohort"),
    ("Status", "cluster.get_status_display"),
    ("Stage", "stage"),
    ("Days in stage", "days_in_stage"),
    ("Member schools", "members"),
    ("Pupils", "pupils"),
    ("Attendance % (this school year)", "attendance_rate"),
    ("Attendance % (last school year)", "attendance_rate_last_year"),
    ("Schools flagged", "flagged"),
    ("Goals achieved", "goals_achieved"),
    ("Goals (all)", "goals_total"),
    ("Goals at risk", "goals_at_risk"),
    ("Achievements (this school year)", "achievements_year"),
    ("Outreach projects", "outreach_projects"),
    ("Projects completed", "projects_completed"),
    ("Changes in circumstances (12 months)", "circumstances_year"),
    ("Staff changes (12 months)", "staff_changes_year"),
)


def index(request):
    """The dashboards the user may open."""
    user = request.user
    return render(
        request,
        "reports/index.html",
        {
            "trusts": list(selectors.trusts_visible_to(user)),
            "programmes": list(programmes_visible_to(user).filter(archived_at__isnull=True)),
            "clusters": list(clusters_visible_to(user).order_by("programme__name", "name")[:100]),
        },
    )


class _Dashboard(ObjectDetailView):
    """A trust's, programme's or cohort's dashboard; ``?export=csv|xlsx`` exports its
    clusters' figures (exactly the clusters the page counts)."""

    page_key = ""

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("export")
        if fmt:
            if fmt not in exports.FORMATS:
                raise Http404("This list exports as CSV or XLSX.")
            self.object = self.get_object()
            rows = dashboards.data_for(request, self.subject())["figures"]
            name = f"{self.subject()}-clusters".replace(" ", "-").lower()
            return exports.export_response(fmt, rows, FIGURE_COLUMNS, name)
        return super().get(request, *args, **kwargs)

    def subject(self):
        return self.object

    def page_context(self):
        return {"page_key": self.page_key, "subject": self.subject(), "level": self.level}


class TrustDashboard(_Dashboard):
    access = access_trust_dashboard
    template_name = "reports/dashboard.html"
    page_key = "impact_trust"
    level = "trust"

    def page_context(self):
        return {
            **super().page_context(),
            "programmes": list(selectors.trust_programmes(self.request.user, self.object)),
        }


class ProgrammeDashboard(_Dashboard):
    access = access_programme_dashboard
    template_name = "reports/dashboard.html"
    page_key = "impact_programme"
    level = "programme"

    def page_context(self):
        clusters = dashboards.data_for(self.request, self.object)["clusters"]
        return {**super().page_context(), "cohorts": list(selectors.cohort_years(clusters))}


class CohortDashboard(_Dashboard):
    access = access_programme_dashboard
    template_name = "reports/dashboard.html"
    page_key = "impact_cohort"
    level = "cohort"

    def get_object(self):
        programme = super().get_object()
        self.cohort = dashboards.Cohort(programme, int(self.kwargs["year"]))
        if not dashboards.data_for(self.request, self.cohort)["figures"]:
            raise Http404("No clusters of that cohort.")
        return programme

    def subject(self):
        return self.cohort

    def page_context(self):
        return {**super().page_context(), "cohort": self.cohort}


class ClusterDashboard(ObjectDetailView):
    access = access_cluster_dashboard
    template_name = "reports/cluster.html"

    def page_context(self):
        return {"page_key": "impact_cluster"}


def school_dashboard(request, urn):
    school = access_school_dashboard(request.user, urn)
    return render(
        request,
        "reports/school.html",
        {"school": school, "object": school, "page_key": "impact_school"},
    )


# ----- documents ------------------------------------------------------------------------------


def cluster_report(request, pk, fmt):
    cluster = access_cluster_dashboard(request.user, pk)
    return documents.cluster_report(request, cluster, fmt)


def board_pack(request, pk, fmt):
    trust = access_trust_dashboard(request.user, pk)
    return documents.board_pack(request, trust, fmt)


def programme_report(request, pk, fmt):
    programme = access_programme_dashboard(request.user, pk)
    return documents.programme_report(request, programme, fmt)


# ----- digest ---------------------------------------------------------------------------------


def digest_settings(request):
    """Opt in or out of the weekly digest, and see what this week's would say."""
    if request.method == "POST":
        weekly = request.POST.get("weekly") == "on"
        digest.subscription_set(actor=request.user, user=request.user, weekly=weekly)
        messages.success(
            request, "You will get the weekly digest." if weekly else "Weekly digest turned off."
        )
        return redirect("reports:digest_settings")
    until = timezone.now()
    since = until - digest.WEEK
    return render(
        request,
        "reports/digest_settings.html",
        {
            "weekly": digest.is_subscribed(request.user),
            "items": digest.items_for(request.user, since, until),
            "since": since,
            "until": until,
        },
    )
