"""Reads a user sees: services, splits, statements and deployments, all through the scope."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, QuerySet

from clusterwork.clusters.models import ClusterMembership
from clusterwork.clusters.selectors import clusters_visible_to, programmes_visible_to
from clusterwork.schools.models import School

from .costs import ServiceSplit, split_service
from .models import Deployment, SharedService
from .years import year_span


def services_visible_to(user) -> QuerySet[SharedService]:
    return SharedService.objects.filter(
        Q(cluster__isnull=True, programme__in=programmes_visible_to(user))
        | Q(cluster__in=clusters_visible_to(user))
    ).select_related("programme__trust", "cluster", "provider_school")


def cluster_services(cluster) -> list[SharedService]:
    """The cluster's own services and, beside them, the trust's core services."""
    return list(
        SharedService.objects.filter(
            Q(cluster=cluster) | Q(cluster__isnull=True, programme_id=cluster.programme_id)
        )
        .select_related("programme", "cluster", "provider_school")
        .prefetch_related("terms")
        .order_by("cluster_id", "name")
    )


def programme_services(programme, user) -> list[SharedService]:
    return list(
        services_visible_to(user)
        .filter(programme=programme)
        .select_related("programme", "cluster", "provider_school")
        .prefetch_related("terms")
        .order_by("cluster__name", "name")
    )


def charged(services):
    """Services whose cost is charged: agreed (and those ended after being agreed)."""
    return [s for s in services if s.agreed_on is not None]


def statement_schools_visible_to(user) -> QuerySet[School]:
    """Academies whose statements the user may read: members (now or before) of a cluster
    the user sees."""
    return School.objects.filter(
        cluster_memberships__cluster__in=clusters_visible_to(user)
    ).distinct()


@dataclass
class StatementLine:
    service: SharedService
    split: ServiceSplit
    pence: int

    @property
    def periods(self):
        """The periods in which the school shared the service, with its basis."""
        sid = self.split.statement_school_id
        out = []
        for row in self.split.period_rows():
            mine = [line for line in row["lines"] if line["school"].pk == sid]
            if mine:
                out.append({**row, "line": mine[0]})
        return out


@dataclass
class Statement:
    school: School
    year: int
    trust_lines: list[StatementLine] = field(default_factory=list)
    cluster_lines: list[StatementLine] = field(default_factory=list)

    @property
    def trust_total(self) -> int:
        return sum(line.pence for line in self.trust_lines)

    @property
    def cluster_total(self) -> int:
        return sum(line.pence for line in self.cluster_lines)

    @property
    def total(self) -> int:
        return self.trust_total + self.cluster_total

    @property
    def lines(self):
        return self.trust_lines + self.cluster_lines


def statement_for(user, school: School, year: int) -> Statement:
    """What ``school`` pays for shared services in academic ``year``: the trust's core
    services beside its clusters' services, each with how its share was computed."""
    lo, hi = year_span(year)
    memberships = ClusterMembership.objects.overlapping(lo, hi).filter(school=school)
    cluster_ids = set(memberships.values_list("cluster_id", flat=True))
    programme_ids = set(memberships.values_list("programme_id", flat=True))
    services = charged(
        services_visible_to(user)
        .filter(
            Q(cluster_id__in=cluster_ids) | Q(cluster__isnull=True, programme_id__in=programme_ids)
        )
        .order_by("name")
    )
    statement = Statement(school=school, year=year)
    for service in services:
        split = split_service(service, year)
        split.statement_school_id = school.pk
        pence = split.share_of(school.pk)
        if school.pk not in split.schools:
            continue
        line = StatementLine(service=service, split=split, pence=pence)
        (statement.cluster_lines if service.cluster_id else statement.trust_lines).append(line)
    return statement


def deployments_visible_to(user) -> QuerySet[Deployment]:
    return Deployment.objects.filter(cluster__in=clusters_visible_to(user)).select_related(
        "cluster__programme", "person", "home_school", "host_school"
    )


def cluster_deployments(cluster) -> list[Deployment]:
    return list(
        Deployment.objects.filter(cluster=cluster).select_related(
            "person", "home_school", "host_school"
        )
    )


def pounds(pence: int) -> Decimal:
    return (Decimal(pence) / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
