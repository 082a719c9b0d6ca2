"""Teacher deployment pages: a cluster's deployments, one deployment, a school's recharge
statement per year."""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from clusterwork.clusters.access import access_cluster
from clusterwork.clusters.selectors import member_schools
from clusterwork.core import exports
from clusterwork.core.documents import document_response
from clusterwork.core.views import ServiceFormView
from clusterwork.people.models import Person

from . import forms, selectors, services
from .access import access_deployment
from .deployments import days_charged, recharge_pence, school_recharges
from .models import Deployment
from .views import asked_year, year_choices
from .years import year_label, year_span

MANAGE = "sharedservices.manage_deployment"


class ClusterDeployments(ServiceFormView):
    access = access_cluster
    open_to_viewers = True
    permission = MANAGE
    form_class = forms.DeploymentForm
    service = services.deployment_create
    template_name = "sharedservices/cluster_deployments.html"
    success_message = "Deployment of {result.person} recorded."

    def get_initial(self):
        return {"start": timezone.localdate(), "session": "full", "on_cost_percent": 0}

    def get_form_kwargs(self):
        schools = member_schools(self.object)
        people = Person.objects.filter(school__in=schools, archived_at__isnull=True).order_by(
            "full_name"
        )
        return {"people": people, "schools": schools}

    def get_success_url(self, result):
        return reverse("sharedservices:cluster_deployments", args=[self.object.pk])

    def page_context(self, **bound):
        cluster, year = self.object, asked_year(self.request)
        lo, hi = year_span(year)
        rows = []
        for deployment in selectors.cluster_deployments(cluster):
            days = days_charged(deployment, lo, hi) if deployment.overlaps(lo, hi) else 0
            rows.append(
                {
                    "deployment": deployment,
                    "days": days,
                    "pence": recharge_pence(deployment, days) if days else 0,
                }
            )
        return {
            "rows": rows,
            "year": year,
            "year_label": year_label(year),
            "years": year_choices(year),
            "schools": member_schools(cluster),
            "can_manage": self.request.user.has_perm(MANAGE, cluster),
        }


class DeploymentDetail(ServiceFormView):
    access = access_deployment
    open_to_viewers = True
    permission = MANAGE
    form_class = forms.CancelForm
    service = services.deployment_cancel
    template_name = "sharedservices/deployment_detail.html"
    success_message = "Deployment cancelled."

    def page_context(self, **bound):
        deployment = self.object
        days = days_charged(deployment)
        return {
            "cluster": deployment.cluster,
            "days": days,
            "pence": recharge_pence(deployment, days),
            "can_manage": self.request.user.has_perm(MANAGE, deployment)
            and not deployment.is_cancelled,
        }


DEPLOYMENT_COLUMNS = (
    ("School", lambda r: r["school"].name),
    ("URN", lambda r: r["school"].urn),
    ("Year", lambda r: r["year"]),
    ("Pays or receives", lambda r: r["direction"]),
    ("Teacher", lambda r: r["person"]),
    ("Home school", lambda r: r["home"]),
    ("Host school", lambda r: r["host"]),
    ("Purpose", lambda r: r["purpose"]),
    ("Dates", lambda r: r["dates"]),
    ("Pattern", lambda r: r["pattern"]),
    ("Days", lambda r: r["days"]),
    ("Day rate (£)", lambda r: r["rate"]),
    ("On-cost (%)", lambda r: r["on_cost"]),
    ("Recharge (£)", lambda r: r["amount"]),
)


def deployment_statement(request, urn: int, year: int, fmt: str):
    school = selectors.statement_schools_visible_to(request.user).filter(urn=urn).first()
    if school is None:
        raise Http404("No such school.")
    visible = selectors.deployments_visible_to(request.user).filter(cancelled_at__isnull=True)
    from django.db.models import Q

    mine = visible.filter(Q(host_school=school) | Q(home_school=school))
    lines = school_recharges(school, year, mine)
    pays = sum(line.pence for line in lines if line.direction == "pays")
    receives = sum(line.pence for line in lines if line.direction == "receives")
    filename = f"deployments-{school.urn}-{year_label(year).replace('/', '-')}"
    if fmt == "csv":
        rows = [
            {
                "school": school,
                "year": year_label(year),
                "direction": line.direction,
                "person": str(line.deployment.person),
                "home": line.deployment.home_school.name,
                "host": line.deployment.host_school.name,
                "purpose": line.deployment.get_purpose_display(),
                "dates": line.deployment.span_text,
                "pattern": line.deployment.pattern_text,
                "days": line.days,
                "rate": selectors.pounds(line.deployment.day_rate_pence),
                "on_cost": line.deployment.on_cost_percent,
                "amount": selectors.pounds(line.pence),
            }
            for line in lines
        ]
        return exports.csv_response(rows, DEPLOYMENT_COLUMNS, filename)
    context = {
        "school": school,
        "year_label": year_label(year),
        "lines": lines,
        "pays": pays,
        "receives": receives,
        "net": pays - receives,
        "today": timezone.localdate(),
        "Deployment": Deployment,
    }
    return document_response(
        request, "sharedservices/deployment_statement.html", context, filename=filename, fmt=fmt
    )
