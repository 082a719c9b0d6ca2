"""Reads for shared resources: the items a user sees, their loans, and availability."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from clusterwork.clusters.selectors import clusters_visible_to, member_schools
from clusterwork.people.scopes import scope_for
from clusterwork.schools.models import School

from .models import Loan, Resource
from .rules import booking_school_ids

SHOWN_MONTHS = 3


def resources_visible_to(user) -> QuerySet[Resource]:
    """Items shared with a cluster the user sees (no DISTINCT: the access helper locks rows)."""
    if scope_for(user).is_anonymous:
        return Resource.objects.none()
    shared = Resource.clusters.through.objects.filter(cluster__in=clusters_visible_to(user)).values(
        "resource_id"
    )
    return Resource.objects.filter(pk__in=shared).select_related("programme", "owner_school")


def loans_visible_to(user) -> QuerySet[Loan]:
    """Loans through a cluster the user sees. (An item's calendar shows every booking of it,
    but one through a cluster the user does not see names no school: ``visible_cluster_ids``.)"""
    if scope_for(user).is_anonymous:
        return Loan.objects.none()
    return Loan.objects.filter(cluster__in=clusters_visible_to(user)).select_related(
        "resource__owner_school", "school", "cluster", "borrower", "booked_by"
    )


def visible_cluster_ids(user, resource) -> set[int]:
    return set(clusters_visible_to(user).filter(resources=resource).values_list("pk", flat=True))


def holding(loans):
    return [loan for loan in loans if loan.holds_dates]


def cluster_resources(cluster) -> list[Resource]:
    today = timezone.localdate()
    live = Loan.objects.filter(status__in=Loan.HOLDING, end__gte=today).select_related("school")
    return list(
        cluster.resources.filter(archived_at__isnull=True)
        .select_related("owner_school")
        .prefetch_related(
            Prefetch("loans", queryset=live.order_by("start"), to_attr="live_loans"),
            "clusters",
        )
        .order_by("kind", "name")
    )


def status_today(resource, today=None) -> tuple[str, Loan | None]:
    """("available" | "booked" | "out" | "overdue", the loan it is about)."""
    today = today or timezone.localdate()
    loans = getattr(resource, "live_loans", None)
    if loans is None:
        loans = list(
            resource.loans.filter(status__in=Loan.HOLDING, end__gte=today).select_related("school")
        )
    for loan in loans:
        if loan.status == Loan.Status.OUT:
            return ("overdue" if loan.is_overdue(today) else "out"), loan
    for loan in loans:
        if loan.start <= today < loan.end:
            return "booked", loan
    return "available", None


def cluster_loans(cluster) -> list[Loan]:
    """Loans through the cluster still open (booked or out), soonest first."""
    return list(
        Loan.objects.filter(cluster=cluster, status__in=Loan.HOLDING)
        .select_related("resource", "school", "borrower")
        .order_by("end", "start")
    )


def overdue_loans(queryset, today=None):
    day = today or timezone.localdate()
    return queryset.filter(status=Loan.Status.OUT, end__lte=day)


def resource_loans(resource):
    return resource.loans.select_related("school", "borrower", "booked_by", "cluster").order_by(
        "-start", "-id"
    )


def bookable_schools(user, resource) -> QuerySet[School]:
    """The schools ``user`` may book ``resource`` for today: the member schools of the sharing
    clusters they change, and their own school while it is a member of one."""
    scope = scope_for(user)
    ids = set(booking_school_ids(user, resource))
    for cluster in resource.clusters.select_related("programme"):
        if scope.can_change_cluster(cluster):
            ids |= set(member_schools(cluster).values_list("pk", flat=True))
    return School.objects.filter(pk__in=ids).order_by("name")


@dataclass(frozen=True)
class Day:
    day: dt.date | None
    loan: Loan | None = None

    @property
    def state(self) -> str:
        if self.day is None:
            return "blank"
        if self.loan is None:
            return "free"
        return self.loan.status


@dataclass(frozen=True)
class Month:
    title: str
    weeks: list[list[Day]]


def availability(
    resource, *, start: dt.date | None = None, months: int = SHOWN_MONTHS
) -> list[Month]:
    """Month grids (Monday first) from ``start``'s month: each day free, booked or out."""
    first = (start or timezone.localdate()).replace(day=1)
    month_starts = [first]
    for _ in range(months - 1):
        last = month_starts[-1]
        month_starts.append((last.replace(day=28) + dt.timedelta(days=4)).replace(day=1))
    until = (month_starts[-1].replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    loans = list(
        resource.loans.filter(status__in=Loan.HOLDING)
        .overlapping(first, until)
        .select_related("school")
    )
    result = []
    for month_start in month_starts:
        weeks = []
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(
            month_start.year, month_start.month
        ):
            row = []
            for day in week:
                if day.month != month_start.month:
                    row.append(Day(None))
                    continue
                loan = next((x for x in loans if x.start <= day < x.end), None)
                row.append(Day(day, loan))
            weeks.append(row)
        result.append(Month(month_start.strftime("%B %Y"), weeks))
    return result
