"""Reads of the funding app, scoped to the user: budgets, claims, the forecast, money at risk
(where is money unspent), the lead school's queue and a member school's statement.

Figures come from each line's kept totals (allocated, committed, paid), so a budget page or
the programme's list of money at risk costs the same few queries whether a cluster has ten
claims or ten thousand; claims are only summed where a page lists them by term or by school.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from clusterwork.clusters.selectors import clusters_visible_to
from clusterwork.people.models import Role
from clusterwork.people.scopes import scope_for

from .models import Budget, BudgetLine, Category, Claim, FundingRules, Stream, Variation
from .money import pounds, share
from .rules import SCHOOL_MONEY

# ----- what the user may see ------------------------------------------------------------------


def budgets_visible_to(user) -> QuerySet[Budget]:
    return Budget.objects.filter(cluster__in=clusters_visible_to(user)).select_related(
        "cluster__programme", "lead_school"
    )


def claims_visible_to(user) -> QuerySet[Claim]:
    """Everything for the programme's and the cluster's roles; for a school's staff, their own
    school's claims, and — for a lead school's headteacher or business manager — the claims
    sent to their school."""
    scope = scope_for(user)
    claims = Claim.objects.select_related(
        "budget__cluster__programme", "budget__lead_school", "school", "category__stream", "line"
    )
    if scope.is_superuser:
        return claims
    if scope.is_anonymous:
        return claims.none()
    ids = lambda kind, roles=None: sorted(scope.ids(kind, roles=roles))  # noqa: E731
    return claims.filter(
        Q(budget__cluster__programme_id__in=ids("programme"))
        | Q(budget__cluster__programme__trust_id__in=ids("trust"))
        | Q(budget__cluster_id__in=ids("cluster"))
        | Q(school_id__in=ids("school"))
        | Q(budget__lead_school_id__in=ids("school", SCHOOL_MONEY))
    )


def sees_claims_of(user, cluster, school) -> bool:
    """May ``user`` see every claim ``school`` made in ``cluster`` (its statement)? The
    school must have been a member (or be the lead school)."""
    member = (
        school.pk == cluster.lead_school_id or cluster.memberships.filter(school=school).exists()
    )
    if not member:
        return False
    scope = scope_for(user)
    if scope.is_superuser or school.pk in scope.ids("school"):
        return True
    if cluster.pk in scope.ids("cluster") or cluster.programme_id in scope.ids("programme"):
        return True
    if cluster.programme.trust_id and cluster.programme.trust_id in scope.ids("trust"):
        return True
    leads = scope.ids("school", roles=SCHOOL_MONEY)
    return bool(leads) and Budget.objects.filter(cluster=cluster, lead_school_id__in=leads).exists()


def claimable_schools(user, cluster, on: dt.date | None = None):
    """The schools ``user`` may claim for in ``cluster``: any member (and the lead school) for
    the coordinator and the programme's money people; their own school for its headteacher
    or business manager."""
    from clusterwork.schools.models import School

    from .rules import manages_funding

    day = on or timezone.localdate()
    members = School.objects.filter(
        Q(cluster_memberships__cluster=cluster)
        & Q(cluster_memberships__start__lte=day)
        & (Q(cluster_memberships__end__isnull=True) | Q(cluster_memberships__end__gt=day))
    )
    if cluster.lead_school_id:
        members = members | School.objects.filter(pk=cluster.lead_school_id)
    scope = scope_for(user)
    if (
        scope.is_superuser
        or scope.holds(Role.CLUSTER_COORDINATOR, cluster)
        or manages_funding(user, cluster.programme)
    ):
        return members.distinct().order_by("name")
    return members.filter(pk__in=sorted(scope.ids("school", roles=SCHOOL_MONEY))).distinct()


def coordinator_person(cluster, user=None):
    """Whose allowance a claim is: the user, when they coordinate the cluster; otherwise its
    longest-serving coordinator today."""
    from clusterwork.people.models import RoleAssignment

    coordinators = (
        RoleAssignment.objects.current()
        .filter(cluster=cluster, role=Role.CLUSTER_COORDINATOR)
        .select_related("person__school")
        .order_by("start", "pk")
    )
    person = getattr(user, "person", None) if user is not None and user.is_authenticated else None
    if person is not None:
        mine = coordinators.filter(person=person).first()
        if mine:
            return mine.person
    first = coordinators.first()
    return first.person if first else None


def categories_of(programme) -> QuerySet[Category]:
    return (
        Category.objects.filter(stream__programme=programme, archived_at__isnull=True)
        .select_related("stream")
        .order_by("stream__order", "order")
    )


def funding_model(programme) -> dict:
    streams = list(
        Stream.objects.filter(programme=programme).prefetch_related("categories").order_by("order")
    )
    return {"rules": FundingRules.objects.filter(programme=programme).first(), "streams": streams}


# ----- figures ----------------------------------------------------------------------------------


@dataclass
class Totals:
    allocated: int = 0
    original: int = 0
    committed: int = 0
    paid: int = 0

    @property
    def used(self) -> int:
        return self.committed + self.paid

    @property
    def available(self) -> int:
        return self.allocated - self.committed - self.paid

    @property
    def unspent_share(self) -> Decimal | None:
        return share(self.available, self.allocated)

    def add(self, line: BudgetLine) -> None:
        self.allocated += line.allocated_pence
        self.original += line.original_pence
        self.committed += line.committed_pence
        self.paid += line.paid_pence


def totals_of(lines) -> Totals:
    totals = Totals()
    for line in lines:
        totals.add(line)
    return totals


# Forecast thresholds (docs/funding.md): a year is "at risk of underspend" when, a quarter or
# more of the way through, spending at its pace so far would leave more than a tenth unspent,
# or when fewer than 60 days are left with more than a tenth still to spend.
UNDERSPEND_SHARE = Decimal("0.10")
EARLIEST_CALL = Decimal("0.25")
LAST_DAYS = 60


class Outlook:
    ON_TRACK = "on_track"
    UNDERSPEND = "underspend"
    OVER = "over"
    LABELS = {
        ON_TRACK: "On track",
        UNDERSPEND: "At risk of underspend",
        OVER: "At risk of going over: claims waiting exceed what a line has left",
    }


@dataclass
class Forecast:
    budget: Budget
    totals: Totals
    pending: int  # submitted, waiting for a decision
    today: dt.date
    terms: list = field(default_factory=list)
    # Waiting claims per line id, to tell which lines they would take over.
    pending_by_line: dict = field(default_factory=dict)
    lines: list = field(default_factory=list)

    @property
    def over_lines(self) -> list:
        """Lines whose waiting claims exceed what they have left."""
        return [
            line
            for line in self.lines
            if self.pending_by_line.get(line.pk, 0) > line.available_pence
        ]

    @property
    def days_total(self) -> int:
        return (self.budget.end - self.budget.start).days

    @property
    def days_left(self) -> int:
        return max(0, min((self.budget.end - self.today).days, self.days_total))

    @property
    def elapsed(self) -> Decimal:
        if self.days_total <= 0:
            return Decimal(1)
        gone = min(max((self.today - self.budget.start).days, 0), self.days_total)
        return Decimal(gone) / Decimal(self.days_total)

    @property
    def projected(self) -> int:
        """Spending by the year's end at the pace so far (never less than what is already
        committed, paid or waiting)."""
        used = self.totals.used
        if self.elapsed <= 0:
            return used + self.pending
        pace = (Decimal(used) / self.elapsed).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        return max(int(pace), used + self.pending)

    @property
    def at_risk(self) -> int:
        """Money likely to go unspent at the pace so far."""
        return max(0, self.totals.allocated - self.projected)

    @property
    def status(self) -> str:
        allocated = self.totals.allocated
        if self.totals.used + self.pending > allocated or self.over_lines:
            return Outlook.OVER
        left = self.totals.available
        threshold = Decimal(allocated) * UNDERSPEND_SHARE
        if self.elapsed >= EARLIEST_CALL and self.at_risk > threshold:
            return Outlook.UNDERSPEND
        if self.days_left <= LAST_DAYS and left > threshold:
            return Outlook.UNDERSPEND
        return Outlook.ON_TRACK

    @property
    def status_label(self) -> str:
        return Outlook.LABELS[self.status]

    @property
    def summary(self) -> str:
        return (
            f"{pounds(self.totals.available)} of {pounds(self.totals.allocated)} left, "
            f"{self.days_left} days to go; {self.status_label.lower()}"
        )


@dataclass(frozen=True)
class Term:
    name: str
    start: dt.date
    end: dt.date  # exclusive
    spent: int


def _term_bounds(start: dt.date, end: dt.date) -> list[tuple[str, dt.date, dt.date]]:
    """English school terms (autumn Sep–Dec, spring Jan–Mar, summer Apr–Aug) cut to the
    budget's span."""
    bounds = []
    year = start.year - 1
    while True:
        for name, (m1, y1), (m2, y2) in (
            ("Autumn", (9, 0), (1, 1)),
            ("Spring", (1, 1), (4, 1)),
            ("Summer", (4, 1), (9, 1)),
        ):
            a, b = dt.date(year + y1, m1, 1), dt.date(year + y2, m2, 1)
            lo, hi = max(a, start), min(b, end)
            if lo < hi:
                label = f"{name} {a.year}"
                bounds.append((label, lo, hi))
        year += 1
        if dt.date(year, 9, 1) >= end:
            break
    return bounds


def forecast(budget: Budget, *, today: dt.date | None = None, with_terms: bool = True) -> Forecast:
    day = today or timezone.localdate()
    lines = list(budget.lines.all())
    by_line = dict(
        budget.claims.filter(status=Claim.Status.SUBMITTED, archived_at__isnull=True)
        .values_list("line_id")
        .annotate(total=Sum("amount_pence"))
        .order_by()
    )
    result = Forecast(
        budget=budget,
        totals=totals_of(lines),
        pending=sum(by_line.values()),
        today=day,
        pending_by_line=by_line,
        lines=lines,
    )
    if with_terms:
        spent = (
            budget.claims.filter(
                status__in=[Claim.Status.APPROVED, Claim.Status.PAID, Claim.Status.REIMBURSED]
            )
            .values_list("activity_on", "amount_pence")
            .order_by()
        )
        bounds = _term_bounds(budget.start, budget.end)
        sums = [0] * len(bounds)
        for on, amount in spent:
            for index, (_, lo, hi) in enumerate(bounds):
                if lo <= on < hi:
                    sums[index] += amount
                    break
        result.terms = [
            Term(name, lo, hi, sums[index]) for index, (name, lo, hi) in enumerate(bounds)
        ]
    return result


def claim_fit(claim: Claim) -> str:
    """A warning for a draft or submitted claim that would not fit its line now ("" when it
    fits): approval is refused then, so the school hears early."""
    if claim.status not in (Claim.Status.DRAFT, Claim.Status.SUBMITTED):
        return ""
    line = BudgetLine.objects.get(pk=claim.line_id)
    ahead = (
        Claim.objects.filter(
            line_id=claim.line_id, status=Claim.Status.SUBMITTED, archived_at__isnull=True
        )
        .exclude(pk=claim.pk)
        .filter(Q(submitted_at__lt=claim.submitted_at) if claim.submitted_at else Q())
        .aggregate(total=Coalesce(Sum("amount_pence"), 0))["total"]
    )
    if claim.amount_pence > line.available_pence:
        return (
            f"This claim ({pounds(claim.amount_pence)}) is more than {line.name} has left "
            f"({pounds(line.available_pence)}): it cannot be approved unless money is moved "
            "to the line."
        )
    if claim.amount_pence + ahead > line.available_pence:
        return (
            f"{line.name} has {pounds(line.available_pence)} left and "
            f"{pounds(ahead)} of claims ahead of this one: it may not fit."
        )
    return ""


def cluster_budgets(cluster, *, today: dt.date | None = None) -> list[Forecast]:
    """Every budget of the cluster (newest first) with its lines and forecast."""
    day = today or timezone.localdate()
    budgets = (
        Budget.objects.filter(cluster=cluster)
        .select_related("lead_school", "cluster__programme")
        .prefetch_related(_lines())
        .order_by("-start")
    )
    return [forecast(budget, today=day, with_terms=budget.is_current(day)) for budget in budgets]


def _lines():
    from django.db.models import Prefetch

    return Prefetch(
        "lines",
        queryset=BudgetLine.objects.select_related("stream", "category").order_by(
            "stream__order", "category__order", "pk"
        ),
    )


def budget_page(budget: Budget, user, *, today: dt.date | None = None) -> dict:
    day = today or timezone.localdate()
    budget = (
        Budget.objects.prefetch_related(_lines())
        .select_related("cluster__programme", "lead_school")
        .get(pk=budget.pk)
    )
    lines = list(budget.lines.all())
    variations = (
        Variation.objects.filter(Q(from_line__budget=budget) | Q(to_line__budget=budget))
        .select_related(
            "from_line__stream",
            "from_line__category",
            "from_line__budget",
            "to_line__stream",
            "to_line__category",
            "to_line__budget",
            "approved_by",
        )
        .order_by("-approved_on", "-pk")
    )
    by_stream: dict[str, Totals] = {}
    for line in lines:
        by_stream.setdefault(line.stream.name, Totals()).add(line)
    claims = claims_visible_to(user).filter(budget=budget)
    counts = dict(
        claims.filter(archived_at__isnull=True)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {
        "budget": budget,
        "lines": lines,
        "by_stream": by_stream,
        "forecast": forecast(budget, today=day),
        "variations": list(variations),
        "recent_claims": list(claims.filter(archived_at__isnull=True)[:25]),
        "status_counts": [(s.label, counts.get(s.value, 0)) for s in Claim.Status],
    }


# ----- where is money unspent -----------------------------------------------------------------


@dataclass
class AtRisk:
    cluster: object
    budget: Budget
    forecast: Forecast
    lines: list  # (line, available) with money left, most first


def money_at_risk(programme, user, *, today: dt.date | None = None, only_at_risk: bool = False):
    """Each visible cluster's budget in force today with its forecast and the lines that
    still have money, the most unspent first: the programme's list of money at risk."""
    day = today or timezone.localdate()
    budgets = list(
        budgets_visible_to(user)
        .filter(cluster__programme=programme, cluster__archived_at__isnull=True)
        .on(day)
        .prefetch_related(_lines())
    )
    pending = dict(
        Claim.objects.filter(
            budget__in=[b.pk for b in budgets],
            status=Claim.Status.SUBMITTED,
            archived_at__isnull=True,
        )
        .values_list("line_id")
        .annotate(total=Sum("amount_pence"))
        .order_by()
    )
    rows = []
    for budget in budgets:
        lines = list(budget.lines.all())
        by_line = {line.pk: pending[line.pk] for line in lines if line.pk in pending}
        outlook = Forecast(
            budget=budget,
            totals=totals_of(lines),
            pending=sum(by_line.values()),
            today=day,
            pending_by_line=by_line,
            lines=lines,
        )
        if only_at_risk and outlook.status == Outlook.ON_TRACK:
            continue
        open_lines = sorted(
            (line for line in lines if line.available_pence > 0),
            key=lambda line: -line.available_pence,
        )
        rows.append(AtRisk(budget.cluster, budget, outlook, open_lines))
    rows.sort(key=lambda r: (-r.forecast.at_risk, -r.forecast.totals.available, r.cluster.name))
    return rows


def unspent_summary(rows: list[AtRisk]) -> dict:
    allocated = sum(r.forecast.totals.allocated for r in rows)
    available = sum(r.forecast.totals.available for r in rows)
    at_risk = sum(r.forecast.at_risk for r in rows)
    return {
        "clusters": len(rows),
        "allocated": allocated,
        "available": available,
        "at_risk": at_risk,
        "underspending": sum(1 for r in rows if r.forecast.status == Outlook.UNDERSPEND),
        "over": sum(1 for r in rows if r.forecast.status == Outlook.OVER),
        "unspent_share": share(available, allocated),
    }


# ----- the lead school --------------------------------------------------------------------------


def lead_schools_visible_to(user):
    from clusterwork.schools.models import School

    return School.objects.filter(
        pk__in=budgets_visible_to(user).values("lead_school_id")
    ).select_related("local_authority")


@dataclass
class Owed:
    school: object
    approved: int = 0  # approved, the lead school has yet to pay
    paid: int = 0  # paid by the lead school, not yet reimbursed by the programme
    claims: int = 0


def lead_school_queue(school, user) -> dict:
    """What waits at ``school`` as a lead school: claims to decide, claims to pay, and who
    owes whom (the lead school owes each member school its approved claims; the programme
    owes the lead school what it has paid and not been reimbursed)."""
    claims = claims_visible_to(user).filter(budget__lead_school=school, archived_at__isnull=True)
    to_decide = list(
        claims.filter(status=Claim.Status.SUBMITTED).order_by("submitted_at", "pk")[:200]
    )
    to_pay = list(claims.filter(status=Claim.Status.APPROVED).order_by("decided_at", "pk")[:200])
    owed_rows = (
        claims.filter(status__in=[Claim.Status.APPROVED, Claim.Status.PAID])
        .values("school_id", "status")
        .annotate(total=Sum("amount_pence"), n=Count("pk"))
        .order_by()
    )
    from clusterwork.schools.models import School

    owed: dict[int, Owed] = {}
    for row in owed_rows:
        entry = owed.setdefault(row["school_id"], Owed(school=None))
        if row["status"] == Claim.Status.APPROVED:
            entry.approved += row["total"]
        else:
            entry.paid += row["total"]
        entry.claims += row["n"]
    for found in School.objects.filter(pk__in=list(owed)):
        owed[found.pk].school = found
    counts = claims.aggregate(
        waiting=Count("pk", filter=Q(status=Claim.Status.SUBMITTED)),
        waiting_pence=Coalesce(Sum("amount_pence", filter=Q(status=Claim.Status.SUBMITTED)), 0),
        to_pay=Count("pk", filter=Q(status=Claim.Status.APPROVED)),
        to_pay_pence=Coalesce(Sum("amount_pence", filter=Q(status=Claim.Status.APPROVED)), 0),
        unreimbursed_pence=Coalesce(Sum("amount_pence", filter=Q(status=Claim.Status.PAID)), 0),
    )
    budgets = (
        budgets_visible_to(user).filter(lead_school=school).order_by("cluster__name", "-start")
    )
    return {
        "to_decide": to_decide,
        "to_pay": to_pay,
        "owed": sorted(owed.values(), key=lambda o: o.school.name),
        "counts": counts,
        "budgets": list(budgets),
    }


def statement(cluster, school, user) -> dict:
    """A member school's statement for the cluster: every claim with its state, and what the
    lead school has approved, paid and still owes it."""
    claims = list(
        claims_visible_to(user)
        .filter(budget__cluster=cluster, school=school, archived_at__isnull=True)
        .order_by("activity_on", "pk")
    )
    total = {s.value: 0 for s in Claim.Status}
    for claim in claims:
        total[claim.status] += claim.amount_pence
    return {
        "cluster": cluster,
        "school": school,
        "claims": claims,
        "claimed": sum(c.amount_pence for c in claims if c.status != Claim.Status.REJECTED),
        "approved_unpaid": total[Claim.Status.APPROVED],
        "paid": total[Claim.Status.PAID] + total[Claim.Status.REIMBURSED],
        "waiting": total[Claim.Status.SUBMITTED],
        "rejected": total[Claim.Status.REJECTED],
        "today": timezone.localdate(),
    }


def claim_list(user, filters: dict | None = None) -> QuerySet[Claim]:
    """The claims register the user may see, filtered (cluster, status, school, year)."""
    filters = filters or {}
    claims = claims_visible_to(user).filter(archived_at__isnull=True)
    if filters.get("cluster"):
        claims = claims.filter(budget__cluster=filters["cluster"])
    if filters.get("status"):
        claims = claims.filter(status=filters["status"])
    if filters.get("school"):
        claims = claims.filter(school=filters["school"])
    if filters.get("lead_school"):
        claims = claims.filter(budget__lead_school=filters["lead_school"])
    if filters.get("q"):
        claims = claims.filter(description__icontains=filters["q"])
    return claims.order_by("-activity_on", "-pk")


def claim_steps(claim: Claim) -> list[tuple[str, object, object]]:
    """Who did each step, and when: (step, who, when)."""
    steps = [("Drafted", claim.created_by, claim.created_at)]
    if claim.submitted_at:
        steps.append(("Submitted", claim.submitted_by, claim.submitted_at))
    if claim.decided_at:
        label = "Rejected" if claim.status == Claim.Status.REJECTED else "Approved"
        steps.append((label, claim.decided_by, claim.decided_at))
    if claim.paid_on:
        steps.append((f"Paid (ref. {claim.paid_reference})", claim.paid_by, claim.paid_on))
    if claim.reimbursed_on:
        steps.append(("Reimbursed", claim.reimbursed_by, claim.reimbursed_on))
    if claim.archived_at:
        steps.append(("Withdrawn", claim.archived_by, claim.archived_at))
    return steps
