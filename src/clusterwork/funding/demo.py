"""Demo: the science programme's funding model, this year's and last year's budgets for its
funded clusters, and claims in every state.

- Bristol (the demo coordinator's cluster): claims in every state, the allowance partly used;
- Leeds: underspending (little claimed a third of the way through the year);
- South Gloucestershire: at risk of going over (claims waiting exceed Part A's money);
- Norwich: on track.

Last year's budgets are closed and their unspent money carried over by the programme's rule
(capped at 20% of each line). Bristol's lead school has a business manager who signs in
(``bristol.business@demo.clusterwork.test``, the demo password) to approve and pay.
"""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from clusterwork.core.demo import demo_step
from clusterwork.people import services as people_services
from clusterwork.people.models import Role, RoleAssignment

from . import services
from .models import Category, Claim, Stream

# The demo loader's password (clusterwork.demo.loader.DEMO_PASSWORD; a test keeps them equal).
DEMO_PASSWORD = "clusterwork-demo"
BUSINESS_MANAGER_EMAIL = "bristol.business@demo.clusterwork.test"

# A cluster's allocation per year, in pence: Part A, Part B, the allowance.
ALLOCATION = (300_000, 200_000, 100_000)
FUNDED = ("Bristol", "Leeds", "South Gloucestershire", "Norwich")


def _receipt(number: int) -> ContentFile:
    body = (
        "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        "2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 300 144]>>endobj\n"
        f"trailer<</Root 1 0 R>>\n% demo receipt {number}\n%%EOF\n"
    )
    return ContentFile(body.encode(), name=f"receipt-{number:04d}.pdf")


def _funding_year(today: dt.date) -> tuple[dt.date, dt.date]:
    start = dt.date(today.year if today.month >= 9 else today.year - 1, 9, 1)
    return start, dt.date(start.year + 1, 9, 1)


class _Claims:
    """Makes claims through the services; the lead school's business manager decides them."""

    def __init__(self, ctx, cluster, categories, approver):
        self.ctx, self.cluster, self.categories, self.approver = ctx, cluster, categories, approver
        self.members = [m.school for m in cluster.memberships.current().select_related("school")]
        self.made = 0

    def make(
        self,
        kind,
        on,
        description,
        *,
        school=None,
        amount=None,
        unit="amount",
        quantity=None,
        claimant=None,
        to=Claim.Status.SUBMITTED,
        reason="",
    ):
        category = self.categories[kind]
        self.made += 1
        claim = services.claim_create(
            actor=self.ctx.actor,
            cluster=self.cluster,
            category=category,
            school=school or self.members[self.made % len(self.members)],
            activity_on=on,
            description=description,
            amount_pence=amount,
            unit=unit,
            quantity=quantity,
            claimant=claimant,
            evidence=_receipt(self.made) if amount else None,
            submit=to != Claim.Status.DRAFT,
        )
        if to in (Claim.Status.DRAFT, Claim.Status.SUBMITTED):
            return claim
        if to == Claim.Status.REJECTED:
            return services.claim_reject(actor=self.approver, claim=claim, reason=reason)
        claim = services.claim_approve(actor=self.approver, claim=claim)
        if to == Claim.Status.APPROVED:
            return claim
        claim = services.claim_pay(
            actor=self.approver, claim=claim, reference=f"BACS {4000 + self.made}"
        )
        if to == Claim.Status.PAID:
            return claim
        return services.claim_reimburse(
            actor=self.ctx.actor, claim=claim, reference=f"PROG-{700 + self.made}"
        )


def _categories(programme) -> dict[str, Category]:
    found = {}
    for category in Category.objects.filter(stream__programme=programme).select_related("stream"):
        if category.counting == Category.Counting.SUPPLY and "supply" not in found:
            found["supply"] = category
        elif category.stream.kind == Stream.Kind.PART_A and category.counting == "amount":
            found.setdefault("cpd", category)
        elif category.stream.kind == Stream.Kind.PART_B:
            found.setdefault("resources", category)
            if "themed boxes" in category.name:
                found["boxes"] = category
        elif category.stream.kind == Stream.Kind.ALLOWANCE:
            found.setdefault("allowance", category)
    return found


def _lines(programme, scale=Decimal(1)):
    streams = {s.kind: s for s in Stream.objects.filter(programme=programme)}
    kinds = (Stream.Kind.PART_A, Stream.Kind.PART_B, Stream.Kind.ALLOWANCE)
    return [(streams[k], None, int(a * scale)) for k, a in zip(kinds, ALLOCATION, strict=True)]


# Invented names for the lead schools' business managers (Bristol's signs in).
BUSINESS_MANAGERS = {
    "Bristol": ("Morgan Pennant", BUSINESS_MANAGER_EMAIL),
    "Leeds": ("Robin Ledger", "leeds.business@demo.clusterwork.test"),
    "South Gloucestershire": ("Sam Tally", "southglos.business@demo.clusterwork.test"),
    "Norwich": ("Alex Budd", "norwich.business@demo.clusterwork.test"),
}


def _approver(ctx, name, cluster, start):
    """The lead school's business manager, who approves and pays its claims. Only Bristol's
    has the demo password; the others' accounts have a random one."""
    full_name, email = BUSINESS_MANAGERS[name]
    password = DEMO_PASSWORD if name == "Bristol" else secrets.token_urlsafe(16)
    person = people_services.person_create(
        actor=ctx.actor,
        full_name=full_name,
        email=email,
        school=cluster.lead_school,
        job_title="School business manager",
        password=password,
    )
    people_services.role_assign(
        actor=ctx.actor,
        person=person,
        role=Role.BUSINESS_MANAGER,
        school=cluster.lead_school,
        start=start,
    )
    return person.user


@demo_step(order=62, name="funding")
def build(ctx) -> str:
    programme = ctx.objects["science.programme"]
    clusters = ctx.objects["science.clusters"]
    services.model_install_defaults(actor=ctx.actor, programme=programme)
    categories = _categories(programme)
    today = timezone.localdate()
    this_start, this_end = _funding_year(today)
    last_start = this_start.replace(year=this_start.year - 1)
    lines_made = claims_made = 0
    for name in FUNDED:
        cluster = clusters[name]
        cluster.refresh_from_db()
        first_year = max(1, last_start.year - cluster.started_on.year + 1)
        approver = _approver(ctx, name, cluster, last_start)
        coordinator = (
            RoleAssignment.objects.current()
            .filter(cluster=cluster, role=Role.CLUSTER_COORDINATOR)
            .select_related("person")
            .first()
            .person
        )
        last = services.budget_create(
            actor=ctx.actor,
            cluster=cluster,
            year=first_year,
            start=last_start,
            end=this_start,
            lines=_lines(programme),
            note="Last year",
        )
        this = services.budget_create(
            actor=ctx.actor,
            cluster=cluster,
            year=first_year + 1,
            start=this_start,
            end=this_end,
            lines=_lines(programme),
            note="This year",
        )
        lines_made += 6
        made = _Claims(ctx, cluster, categories, approver)
        # Last year: mostly spent, paid and reimbursed; one claim rejected.
        for month, (kind, text, amount) in enumerate(
            [
                ("supply", "Autumn cluster meeting: supply cover", None),
                ("resources", "Forces kit from the cluster audit", 48_000),
                ("boxes", "Themed box: electricity", 36_500),
                ("cpd", "Working scientifically CPD twilight", 55_000),
                ("supply", "Paired work on the progression map", None),
                ("resources", "Data loggers for the shared kit", 61_250),
            ]
        ):
            on = last_start + dt.timedelta(days=20 + 45 * month)
            if kind == "supply":
                made.make(kind, on, text, unit="day", quantity=3, to=Claim.Status.REIMBURSED)
            else:
                made.make(kind, on, text, amount=amount, to=Claim.Status.REIMBURSED)
        made.make(
            "resources",
            last_start + dt.timedelta(days=200),
            "Staff room coffee machine",
            amount=18_000,
            to=Claim.Status.REJECTED,
            reason="Not science resources: not eligible for Part B.",
        )
        made.make(
            "allowance",
            last_start + dt.timedelta(days=150),
            "Running the cluster: spring",
            unit="day",
            quantity=4,
            claimant=coordinator,
            to=Claim.Status.REIMBURSED,
        )
        services.carry_over(actor=ctx.actor, budget=last)
        # This year, by cluster.
        early = [this_start + dt.timedelta(days=d) for d in (12, 30, 50, 70)]
        early = [d for d in early if d <= today] or [this_start]
        if name == "Bristol":
            made.make(
                "supply",
                early[0],
                "September cluster meeting: supply cover",
                unit="half_day",
                quantity=5,
                to=Claim.Status.REIMBURSED,
            )
            made.make(
                "boxes",
                early[0],
                "Themed box: forces and magnets",
                amount=42_000,
                to=Claim.Status.PAID,
            )
            made.make(
                "resources",
                early[-1],
                "Microscopes for the shared kit",
                amount=64_900,
                to=Claim.Status.APPROVED,
            )
            made.make(
                "cpd",
                early[-1],
                "CPD provider: outdoor science day",
                amount=38_000,
                to=Claim.Status.SUBMITTED,
            )
            made.make(
                "resources",
                early[-1],
                "Seed trays and compost",
                amount=8_640,
                to=Claim.Status.DRAFT,
            )
            made.make(
                "resources",
                early[-1],
                "Office chairs",
                amount=29_900,
                to=Claim.Status.REJECTED,
                reason="Furniture is not a cluster resource.",
            )
            made.make(
                "allowance",
                early[0],
                "Visiting member schools",
                unit="hour",
                quantity=Decimal("7.5"),
                claimant=coordinator,
                to=Claim.Status.PAID,
            )
            made.make(
                "allowance",
                early[-1],
                "Heads' meeting and planning",
                unit="half_day",
                quantity=3,
                claimant=coordinator,
                to=Claim.Status.SUBMITTED,
            )
        elif name == "Leeds":
            made.make(
                "resources", early[0], "Pooters and hand lenses", amount=4_800, to=Claim.Status.PAID
            )
        elif name == "South Gloucestershire":
            made.make(
                "supply",
                early[0],
                "Cluster meeting: supply cover",
                unit="day",
                quantity=7,
                to=Claim.Status.PAID,
            )
            made.make(
                "cpd",
                early[-1],
                "Conference: the Association for Science Education",
                amount=190_000,
                to=Claim.Status.SUBMITTED,
            )
            made.make(
                "supply",
                early[-1],
                "Visits to each other's schools",
                unit="day",
                quantity=6,
                to=Claim.Status.SUBMITTED,
            )
        else:
            made.make(
                "supply",
                early[0],
                "Launch meeting: supply cover",
                unit="day",
                quantity=8,
                to=Claim.Status.PAID,
            )
            made.make(
                "resources",
                early[-1],
                "Resources from the cluster audit",
                amount=52_000,
                to=Claim.Status.APPROVED,
            )
            made.make(
                "allowance",
                early[-1],
                "Setting up the cluster",
                unit="day",
                quantity=2,
                claimant=coordinator,
                to=Claim.Status.APPROVED,
            )
        claims_made += made.made
        ctx.objects.setdefault("funding.budgets", {})[name] = this
    return (
        f"Funding: {len(FUNDED)} science clusters with last year's (closed, carried over) and "
        f"this year's budgets, {lines_made} lines, {claims_made} claims in every state."
    )
