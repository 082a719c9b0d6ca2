"""Reads for support packages: agreed vs delivered vs remaining, per package, per cluster and
across a programme; the burn-down; a development manager's caseload."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from clusterwork.core import charts
from clusterwork.core.dated import in_force
from clusterwork.people.models import Role, RoleAssignment
from clusterwork.people.scopes import scope_for

from .models import Delivery, Package, PackageLine, PackageVersion, SchoolMembership, Unit

ZERO = Decimal(0)
# Behind schedule: more than this many days (or units) short of an even pace.
BEHIND_TOLERANCE = Decimal(1)


def packages_visible_to(user) -> QuerySet[Package]:
    scope = scope_for(user)
    if scope.is_anonymous:
        return Package.objects.none()
    return Package.objects.filter(scope.cluster_filter("cluster__")).select_related(
        "cluster__programme", "programme", "development_manager"
    )


def deliveries_visible_to(user) -> QuerySet[Delivery]:
    scope = scope_for(user)
    if scope.is_anonymous:
        return Delivery.objects.none()
    return Delivery.objects.filter(scope.cluster_filter("package__cluster__")).select_related(
        "package__cluster__programme", "package__programme", "item", "delivered_by", "event"
    )


@dataclass
class LineSummary:
    item: object
    agreed: Decimal
    delivered: Decimal
    price_pence: int

    @property
    def remaining(self) -> Decimal:
        return max(self.agreed - self.delivered, ZERO)

    @property
    def over(self) -> Decimal:
        return max(self.delivered - self.agreed, ZERO)

    @property
    def percent(self) -> int:
        return int(self.delivered * 100 / self.agreed) if self.agreed else 0


@dataclass
class PackageSummary:
    package: Package
    version: PackageVersion | None
    lines: list[LineSummary] = field(default_factory=list)
    today: dt.date = field(default_factory=timezone.localdate)

    @property
    def price_pence(self) -> int:
        return sum(line.price_pence for line in self.lines)

    def _sum(self, attr, units=(Unit.DAYS,)) -> Decimal:
        return sum((getattr(line, attr) for line in self.lines if line.item.unit in units), ZERO)

    @property
    def days_agreed(self) -> Decimal:
        return self._sum("agreed")

    @property
    def days_delivered(self) -> Decimal:
        return self._sum("delivered")

    @property
    def days_remaining(self) -> Decimal:
        return self._sum("remaining")

    @property
    def over(self) -> bool:
        return any(line.over for line in self.lines)

    @property
    def expected_by_today(self) -> Decimal:
        """Days an even pace would have delivered by today."""
        p = self.package
        total = (p.end - p.start).days
        elapsed = min(max((self.today - p.start).days, 0), total)
        return (self.days_agreed * elapsed / total).quantize(Decimal("0.1")) if total else ZERO

    @property
    def status(self) -> str:
        """complete · on track · behind · overdue (ended with days undelivered) · not started."""
        remaining = sum((line.remaining for line in self.lines), ZERO)
        if remaining == 0:
            return "complete"
        if self.package.end <= self.today:
            return "overdue"
        if self.package.start > self.today:
            return "not started"
        if self.days_delivered + BEHIND_TOLERANCE < self.expected_by_today:
            return "behind"
        return "on track"

    @property
    def needs_attention(self) -> bool:
        return self.status in ("overdue", "behind")


def summaries(packages) -> list[PackageSummary]:
    """Summaries of many packages in four queries."""
    packages = list(packages)
    ids = [p.pk for p in packages]
    latest: dict[int, PackageVersion] = {}
    for version in PackageVersion.objects.filter(package_id__in=ids).order_by(
        "package_id", "-number"
    ):
        latest.setdefault(version.package_id, version)
    lines_by_version = defaultdict(list)
    for line in PackageLine.objects.filter(
        version_id__in=[v.pk for v in latest.values()]
    ).select_related("item"):
        lines_by_version[line.version_id].append(line)
    delivered = {
        (row["package_id"], row["item_id"]): row["total"]
        for row in Delivery.objects.filter(package_id__in=ids, withdrawn_at__isnull=True)
        .values("package_id", "item_id")
        .annotate(total=Sum("amount"))
    }
    schools = {
        row["package_id"]: row["n"]
        for row in SchoolMembership.objects.filter(package_id__in=ids)
        .values("package_id")
        .annotate(n=Count("school_id", distinct=True))
    }
    result = []
    for package in packages:
        version = latest.get(package.pk)
        summary = PackageSummary(package, version)
        for line in lines_by_version.get(version.pk if version else None, []):
            if line.item.unit == Unit.PER_SCHOOL:
                done = Decimal(schools.get(package.pk, 0))
            else:
                done = delivered.get((package.pk, line.item_id), ZERO)
            summary.lines.append(LineSummary(line.item, line.quantity, done, line.price_pence))
        result.append(summary)
    return result


def package_summary(package: Package) -> PackageSummary:
    return summaries([package])[0]


def cluster_packages(cluster) -> list[PackageSummary]:
    return summaries(
        Package.objects.filter(cluster=cluster).select_related(
            "cluster__programme", "programme", "development_manager"
        )
    )


def current_package(cluster, day: dt.date | None = None) -> Package | None:
    return Package.objects.filter(cluster=cluster).on(day or timezone.localdate()).first()


def deliveries_of(package: Package) -> QuerySet[Delivery]:
    return (
        package.deliveries.select_related("item", "delivered_by", "event", "logged_by")
        .prefetch_related("attendees")
        .order_by("-on", "-id")
    )


def programme_summaries(user, programme) -> list[PackageSummary]:
    """Every package of the programme's clusters that ``user`` may see, in force today first."""
    packages = (
        packages_visible_to(user).filter(programme=programme).order_by("cluster__name", "-start")
    )
    return summaries(packages)


@dataclass
class Totals:
    agreed: Decimal = ZERO
    delivered: Decimal = ZERO
    remaining: Decimal = ZERO
    price_pence: int = 0


def totals(rows: list[PackageSummary]) -> Totals:
    t = Totals()
    for row in rows:
        t.agreed += row.days_agreed
        t.delivered += row.days_delivered
        t.remaining += row.days_remaining
        t.price_pence += row.price_pence
    return t


def caseload(user) -> list[PackageSummary]:
    """The packages a development manager delivers: those naming them, and the packages of the
    clusters they are development manager of — what needs attention first."""
    scope = scope_for(user)
    if scope.is_anonymous or scope.person_id is None and not scope.is_superuser:
        return []
    person_id = scope.person_id
    today = timezone.localdate()
    clusters = RoleAssignment.objects.filter(in_force(today)).filter(
        person_id=person_id, role=Role.DEVELOPMENT_MANAGER, cluster__isnull=False
    )
    packages = packages_visible_to(user).filter(
        Q(development_manager_id=person_id) | Q(cluster_id__in=clusters.values("cluster_id"))
    )
    packages = packages.filter(end__gt=today - dt.timedelta(days=365))
    rows = summaries(packages.order_by("end", "cluster__name"))
    return sorted(rows, key=lambda r: (not r.needs_attention, r.package.end))


def _months(start: dt.date, end: dt.date) -> list[dt.date]:
    days, day = [], start.replace(day=1)
    while day < end:
        days.append(max(day, start))
        day = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    days.append(end)
    return days


def burn_down(package: Package, summary: PackageSummary | None = None) -> charts.Chart | None:
    """Days remaining at the start of each month, against an even pace to zero."""
    summary = summary or package_summary(package)
    agreed = summary.days_agreed
    if not agreed:
        return None
    points = _months(package.start, package.end)
    deliveries = list(
        package.deliveries.filter(withdrawn_at__isnull=True, item__unit=Unit.DAYS)
        .order_by("on")
        .values_list("on", "amount")
    )
    today = timezone.localdate()
    total = (package.end - package.start).days
    remaining, plan = [], []
    for point in points:
        plan.append(
            (agreed * (total - (point - package.start).days) / total).quantize(Decimal("0.1"))
        )
        if point > today:
            remaining.append(None)
        else:
            done = sum((amount for on, amount in deliveries if on < point), ZERO)
            remaining.append(agreed - done)
    labels = [p.strftime("%b %y") for p in points]
    return charts.line(
        f"Days remaining of {package.title}",
        labels,
        {"Remaining": remaining, "Even pace": plan},
        y_title="days",
    )
