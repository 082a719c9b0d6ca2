"""Every write of the funding app: the programme's funding model, budgets and their lines,
variations and carry-over, and claims from draft to reimbursed.

The ledger's rule — a line's committed + paid never passes its allocation — is kept three
ways: approvals lock the line's row (``SELECT … FOR UPDATE``) before reading its figures, so
two approvers at once queue rather than both spend the last pound; the refusal names the
line's figures; and the database's check constraint ``budgetline_never_over`` refuses any
write that would break it whatever the code does.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone

from clusterwork.core import gates
from clusterwork.core.audit import audited_save, audited_update, user_or_none
from clusterwork.core.dates import day_text
from clusterwork.core.errors import ServiceError

from .models import Budget, BudgetLine, Category, Claim, FundingRules, Stream, Variation
from .money import check_pence, pounds, times

# Seed 001's lists: each stream's eligible spend, and how a claim for it is counted.
DEFAULT_MODEL = (
    (
        Stream.Kind.PART_A,
        "Part A",
        "Time out of class: supply cover, paired work, visits, individuals' needs, CPD",
        (
            ("Meetings: supply cover for a whole or half day", Category.Counting.SUPPLY),
            ("Sub-group or paired work on a project for the cluster", Category.Counting.SUPPLY),
            ("Visiting one another's schools to work on an initiative", Category.Counting.SUPPLY),
            ("Identified needs of individuals (mentoring, someone new)", Category.Counting.SUPPLY),
            ("CPD for or by the group (and outreach)", Category.Counting.AMOUNT),
        ),
    ),
    (
        Stream.Kind.PART_B,
        "Part B",
        "Resources, shared kit, designated funds, CPD providers and courses",
        (
            ("Resources identified from cluster and school audits", Category.Counting.AMOUNT),
            ("Targeted resources for the cluster's developments", Category.Counting.AMOUNT),
            ("Targeted resources to base projects upon", Category.Counting.AMOUNT),
            ("Shared resources: central kit or themed boxes", Category.Counting.AMOUNT),
            (
                "Designated funds for an individual's cluster responsibility",
                Category.Counting.AMOUNT,
            ),
            ("Buying in a CPD provider for a need or an aim", Category.Counting.AMOUNT),
            (
                "Conference or course costs for a teacher sent for the group",
                Category.Counting.AMOUNT,
            ),
        ),
    ),
    (
        Stream.Kind.ALLOWANCE,
        "Coordinator's allowance",
        "Whole days, half days or an accumulation of shorter times",
        (
            ("Organising, managing and running the cluster", Category.Counting.ALLOWANCE),
            ("Meeting subject leaders from the group", Category.Counting.ALLOWANCE),
            ("Visiting a school or joining a headteachers' meeting", Category.Counting.ALLOWANCE),
        ),
    ),
)


class OverBudget(ServiceError):
    """An approval (or a variation) that would take a line below zero; carries the figures."""

    def __init__(self, message: str, *, line: BudgetLine, asked_pence: int, field=None):
        super().__init__(message, field=field, code="over_budget")
        self.figures = {
            "line": line.name,
            "line_id": line.pk,
            "allocated_pence": line.allocated_pence,
            "committed_pence": line.committed_pence,
            "paid_pence": line.paid_pence,
            "available_pence": line.available_pence,
            "asked_pence": asked_pence,
        }


# ----- the programme's funding model ---------------------------------------------------------


@transaction.atomic
def model_install_defaults(*, actor, programme) -> FundingRules:
    """Streams and categories from seed 001 and default rates, where they are missing."""
    rules = FundingRules.objects.filter(programme=programme).first()
    if rules is None:
        rules = FundingRules(programme=programme)
        audited_save(rules, actor, "funding model set up")
    for order, (kind, name, description, categories) in enumerate(DEFAULT_MODEL):
        stream = Stream.objects.filter(programme=programme, kind=kind).first()
        if stream is None:
            stream = Stream(
                programme=programme, kind=kind, name=name, description=description, order=order
            )
            audited_save(stream, actor)
        for position, (label, counting) in enumerate(categories):
            if not Category.objects.filter(stream=stream, name=label).exists():
                audited_save(
                    Category(stream=stream, name=label, counting=counting, order=position), actor
                )
    return rules


RULE_FIELDS = {
    "years",
    "supply_day_pence",
    "supply_half_day_pence",
    "allowance_day_pence",
    "allowance_half_day_pence",
    "allowance_hours_per_day",
    "carry_over",
    "carry_over_cap_percent",
    "coordinator_approves",
    "prompt_days",
}


@transaction.atomic
def rules_update(*, actor, programme, **changes) -> FundingRules:
    rules = FundingRules.objects.filter(programme=programme).first()
    if rules is None:
        rules = model_install_defaults(actor=actor, programme=programme)

    def check(row, changes):
        for name in ("supply_day_pence", "supply_half_day_pence"):
            if name in changes:
                check_pence(changes[name], field=name)
        for name in ("allowance_day_pence", "allowance_half_day_pence"):
            if name in changes:
                check_pence(changes[name], field=name)
        if row.supply_half_day_pence > row.supply_day_pence:
            raise ServiceError(
                "A half day of supply cover costs no more than a whole day.",
                field="supply_half_day_pence",
            )

    return audited_update(
        rules, actor=actor, changes=changes, editable=RULE_FIELDS, what="funding rule", check=check
    )


@transaction.atomic
def category_add(*, actor, stream: Stream, name: str, counting: str = Category.Counting.AMOUNT):
    name = name.strip()
    if not name:
        raise ServiceError("Name the category.", field="name")
    if Category.objects.filter(stream=stream, name__iexact=name).exists():
        raise ServiceError(f"{stream} already has a category “{name}”.", field="name")
    order = stream.categories.count()
    category = Category(stream=stream, name=name, counting=counting, order=order)
    audited_save(category, actor)
    return category


def rules_of(programme) -> FundingRules:
    rules = FundingRules.objects.filter(programme=programme).first()
    if rules is None:
        raise ServiceError(f"{programme} has no funding model yet; set one up first.")
    return rules


# ----- budgets and lines ------------------------------------------------------------------


def _open_budget(budget: Budget) -> None:
    if budget.is_closed:
        raise ServiceError(
            f"Year {budget.year} of {budget.cluster} closed on "
            f"{day_text(timezone.localtime(budget.closed_at).date())}; its money can no longer "
            "change.",
            field="budget",
        )


@transaction.atomic
def budget_create(
    *,
    actor,
    cluster,
    year: int,
    start: dt.date,
    end: dt.date,
    lead_school=None,
    lines=(),
    note: str = "",
) -> Budget:
    """The cluster's budget for programme year ``year`` (1 … the programme's years), with
    ``lines`` as (stream, category or None, pence)."""
    rules = rules_of(cluster.programme)
    if cluster.is_archived:
        raise ServiceError(f"{cluster} is archived; restore it before giving it a budget.")
    if not 1 <= year <= rules.years:
        raise ServiceError(
            f"{cluster.programme} funds clusters for {rules.years} years (Year 1 to "
            f"Year {rules.years}).",
            field="year",
        )
    if end <= start:
        raise ServiceError(f"The year ends after it starts ({day_text(start)}).", field="end")
    lead = lead_school or cluster.lead_school
    if lead is None:
        raise ServiceError(
            f"{cluster} has no lead school: name the school that receives its claims.",
            field="lead_school",
        )
    if Budget.objects.filter(cluster=cluster, year=year).exists():
        raise ServiceError(f"{cluster} already has a budget for Year {year}.", field="year")
    clash = Budget.objects.filter(cluster=cluster).overlapping(start, end).first()
    if clash:
        raise ServiceError(
            f"Those dates overlap Year {clash.year} ({clash.span_text}).", field="start"
        )
    budget = Budget(
        cluster=cluster,
        year=year,
        start=start,
        end=end,
        lead_school=lead,
        note=note,
        created_by=user_or_none(actor),
    )
    audited_save(budget, actor, f"Year {year} budget set")
    for stream, category, pence in lines:
        line_add(
            actor=actor, budget=budget, stream=stream, category=category, allocated_pence=pence
        )
    return budget


@transaction.atomic
def line_add(*, actor, budget: Budget, stream: Stream, category=None, allocated_pence: int):
    _open_budget(budget)
    check_pence(allocated_pence, allow_zero=True, field="allocated_pence")
    if stream.programme_id != budget.cluster.programme_id:
        raise ServiceError("That stream belongs to another programme.", field="stream")
    if category is not None and category.stream_id != stream.pk:
        raise ServiceError(f"“{category.name}” is not a category of {stream}.", field="category")
    existing = BudgetLine.objects.filter(budget=budget, stream=stream, category=category)
    if existing.exists():
        raise ServiceError(f"This budget already has a line for {category or stream}.")
    line = BudgetLine(
        budget=budget,
        stream=stream,
        category=category,
        original_pence=allocated_pence,
        allocated_pence=allocated_pence,
    )
    audited_save(line, actor, "line allocated")
    return line


@transaction.atomic
def budget_update(*, actor, budget: Budget, **changes) -> Budget:
    def check(row, changes):
        _open_budget(row)
        if row.end <= row.start:
            raise ServiceError("The year ends after it starts.", field="end")

    return audited_update(
        budget,
        actor=actor,
        changes=changes,
        editable={"lead_school", "note", "end"},
        what="budget",
        check=check,
    )


def _locked_lines(*lines: BudgetLine | None) -> dict[int, BudgetLine]:
    """The lines, locked in id order (so two transfers between the same lines cannot
    deadlock), fresh from the database."""
    ids = sorted({line.pk for line in lines if line is not None})
    locked = BudgetLine.objects.select_for_update(of=("self",)).select_related(
        "budget__cluster__programme", "stream", "category"
    )
    return {line.pk: line for line in locked.filter(pk__in=ids).order_by("pk")}


@transaction.atomic
def variation_record(
    *,
    actor,
    kind: str,
    amount_pence: int,
    reason: str,
    from_line: BudgetLine | None = None,
    to_line: BudgetLine | None = None,
    approved_by=None,
    approved_on: dt.date | None = None,
) -> Variation:
    """A transfer between lines (of one year or two years of the cluster), or an increase or
    decrease of one line by the programme, with a reason and who approved it."""
    check_pence(amount_pence, field="amount_pence")
    if not reason.strip():
        raise ServiceError("Say why the allocation changes.", field="reason")
    expected = {
        Variation.Kind.TRANSFER: (True, True),
        Variation.Kind.CARRY_OVER: (True, True),
        Variation.Kind.INCREASE: (False, True),
        Variation.Kind.DECREASE: (True, False),
    }
    if kind not in expected:
        raise ServiceError("Choose a kind of variation.", field="kind")
    needs_from, needs_to = expected[kind]
    if needs_from != (from_line is not None):
        raise ServiceError(
            "Choose the line the money comes from." if needs_from else "A line gains money here.",
            field="from_line",
        )
    if needs_to != (to_line is not None):
        raise ServiceError(
            "Choose the line the money goes to." if needs_to else "A line loses money here.",
            field="to_line",
        )
    if from_line is not None and to_line is not None and from_line.pk == to_line.pk:
        raise ServiceError("A transfer is between two different lines.", field="to_line")
    lines = _locked_lines(from_line, to_line)
    source = lines.get(from_line.pk) if from_line else None
    target = lines.get(to_line.pk) if to_line else None
    if source and target and source.budget.cluster_id != target.budget.cluster_id:
        raise ServiceError("Money moves between lines of one cluster's budgets.", field="to_line")
    if kind != Variation.Kind.CARRY_OVER and source is not None:
        _open_budget(source.budget)
    if target is not None:
        _open_budget(target.budget)
    if source is not None and amount_pence > source.available_pence:
        raise OverBudget(
            f"Moving {pounds(amount_pence)} out of {source.name} (Year {source.budget.year}) "
            f"would take it below zero: {source.figures()}.",
            line=source,
            asked_pence=amount_pence,
            field="amount_pence",
        )
    if source is not None:
        source.allocated_pence -= amount_pence
        audited_save(source, actor, f"{kind}: −{pounds(amount_pence)}")
    if target is not None:
        target.allocated_pence += amount_pence
        audited_save(target, actor, f"{kind}: +{pounds(amount_pence)}")
    variation = Variation(
        kind=kind,
        from_line=source,
        to_line=target,
        amount_pence=amount_pence,
        reason=reason.strip(),
        approved_by=user_or_none(approved_by or actor),
        approved_on=approved_on or timezone.localdate(),
        recorded_by=user_or_none(actor),
    )
    audited_save(variation, actor)
    return variation


@transaction.atomic
def budget_close(*, actor, budget: Budget) -> Budget:
    """Close a year: no new claims or variations. Approved claims may still be paid; claims
    still waiting for a decision must be decided first."""
    budget = Budget.objects.select_for_update().get(pk=budget.pk)
    _open_budget(budget)
    waiting = budget.claims.filter(
        status__in=[Claim.Status.DRAFT, Claim.Status.SUBMITTED], archived_at__isnull=True
    ).count()
    if waiting:
        raise ServiceError(
            f"{waiting} claim{'s' if waiting != 1 else ''} of Year {budget.year} still "
            "wait for a decision (or are drafts): approve, reject or withdraw them first."
        )
    budget.closed_at = timezone.now()
    budget.closed_by = user_or_none(actor)
    audited_save(budget, actor, "year closed")
    return budget


def carry_over_amount(line: BudgetLine, rules: FundingRules) -> int:
    """What of ``line``'s unspent money the programme's rule carries into the next year."""
    unspent = max(line.available_pence, 0)
    if rules.carry_over == FundingRules.CarryOver.NONE:
        return 0
    if rules.carry_over == FundingRules.CarryOver.ALL:
        return unspent
    cap = (Decimal(line.allocated_pence) * rules.carry_over_cap_percent / 100).quantize(
        Decimal(1), rounding=ROUND_HALF_UP
    )
    return min(unspent, int(cap))


@transaction.atomic
def carry_over(*, actor, budget: Budget, reason: str = "") -> list[Variation]:
    """At year end, move each line's unspent money (by the programme's rule) into the same
    line of the cluster's next year, closing this year first. Done once per year."""
    budget = (
        Budget.objects.select_for_update().select_related("cluster__programme").get(pk=budget.pk)
    )
    rules = rules_of(budget.cluster.programme)
    following = Budget.objects.filter(cluster=budget.cluster, year=budget.year + 1).first()
    if following is None:
        raise ServiceError(
            f"{budget.cluster} has no Year {budget.year + 1} budget to carry money into yet."
        )
    if Variation.objects.filter(kind=Variation.Kind.CARRY_OVER, from_line__budget=budget).exists():
        raise ServiceError(f"Year {budget.year}'s unspent money has already been carried over.")
    if not budget.is_closed:
        budget = budget_close(actor=actor, budget=budget)
    made = []
    for line in budget.lines.select_related("stream", "category").order_by("pk"):
        amount = carry_over_amount(line, rules)
        if amount <= 0:
            continue
        target = BudgetLine.objects.filter(
            budget=following, stream=line.stream, category=line.category
        ).first() or line_add(
            actor=actor,
            budget=following,
            stream=line.stream,
            category=line.category,
            allocated_pence=0,
        )
        made.append(
            variation_record(
                actor=actor,
                kind=Variation.Kind.CARRY_OVER,
                amount_pence=amount,
                reason=reason
                or f"Year {budget.year} carry-over ({rules.get_carry_over_display().lower()})",
                from_line=line,
                to_line=target,
            )
        )
    return made


# ----- claims -------------------------------------------------------------------------------


def budget_on(cluster, day: dt.date) -> Budget | None:
    return Budget.objects.filter(cluster=cluster).on(day).first()


def line_for(budget: Budget, category: Category) -> BudgetLine | None:
    """The category's own line, else its stream's general line."""
    lines = BudgetLine.objects.filter(budget=budget)
    return (
        lines.filter(category=category).first()
        or lines.filter(stream_id=category.stream_id, category__isnull=True).first()
    )


def claim_amount(
    *, rules: FundingRules, category: Category, unit: str, quantity
) -> tuple[int, int]:
    """(amount, rate) in pence for ``quantity`` ``unit``s of a supply or allowance claim."""
    if quantity is None:
        raise ServiceError("Say how many days, half days or hours.", field="quantity")
    quantity = Decimal(quantity)
    if quantity <= 0 or quantity > 365 or quantity != quantity.quantize(Decimal("0.01")):
        raise ServiceError(
            "A quantity is more than zero, at most 365, in hundredths at most.", field="quantity"
        )
    if category.counting == Category.Counting.SUPPLY:
        rates = {
            Claim.Unit.DAY: rules.supply_day_pence,
            Claim.Unit.HALF_DAY: rules.supply_half_day_pence,
        }
    else:
        rates = {
            Claim.Unit.DAY: rules.allowance_day_pence,
            Claim.Unit.HALF_DAY: rules.allowance_half_day_pence,
        }
        if unit == Claim.Unit.HOUR:
            hour = Decimal(rules.allowance_day_pence) / rules.allowance_hours_per_day
            amount = int((quantity * hour).quantize(Decimal(1), rounding=ROUND_HALF_UP))
            return amount, int(hour.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if unit not in rates:
        allowed = " or ".join(str(Claim.Unit(u).label).lower() for u in rates)
        raise ServiceError(f"{category.name} is counted in {allowed}.", field="unit")
    if quantity != quantity.to_integral_value():
        raise ServiceError(
            "Count whole or half days as a whole number of them (e.g. 2 half days).",
            field="quantity",
        )
    return times(quantity, rates[unit]), rates[unit]


def _check_school(budget: Budget, school, day: dt.date) -> None:
    if school.pk == budget.lead_school_id:
        return
    member = budget.cluster.memberships.on(day).filter(school=school).exists()
    if not member:
        raise ServiceError(
            f"{school.name} was not a member of {budget.cluster} on {day_text(day)}.",
            field="school",
        )


@transaction.atomic
def claim_create(
    *,
    actor,
    cluster,
    category: Category,
    school=None,
    activity_on: dt.date,
    description: str,
    amount_pence: int | None = None,
    unit: str = Claim.Unit.AMOUNT,
    quantity=None,
    claimant=None,
    event=None,
    project=None,
    evidence=None,
    submit: bool = False,
) -> Claim:
    """A draft claim (or, with ``submit``, a submitted one) to the cluster's lead school, on
    the budget of the year ``activity_on`` falls in."""
    if activity_on > timezone.localdate():
        raise ServiceError(
            "A claim is for something that has happened; the date is in the future.",
            field="activity_on",
        )
    if category.stream.programme_id != cluster.programme_id:
        raise ServiceError("That category belongs to another programme.", field="category")
    if category.is_archived:
        raise ServiceError(f"“{category.name}” is no longer used.", field="category")
    budget = budget_on(cluster, activity_on)
    if budget is None:
        raise ServiceError(
            f"{cluster} has no budget covering {day_text(activity_on)}.", field="activity_on"
        )
    _open_budget(budget)
    line = line_for(budget, category)
    if line is None:
        raise ServiceError(
            f"Year {budget.year} of {cluster} has no money for {category.stream.name}.",
            field="category",
        )
    if not description.strip():
        raise ServiceError("Say what the claim is for.", field="description")
    rules = rules_of(cluster.programme)
    rate = None
    if category.counting == Category.Counting.AMOUNT:
        if amount_pence is None:
            raise ServiceError("Give the amount of the invoice or receipt.", field="amount_pence")
        check_pence(amount_pence, field="amount_pence")
        unit, quantity = Claim.Unit.AMOUNT, None
    else:
        amount_pence, rate = claim_amount(
            rules=rules, category=category, unit=unit, quantity=quantity
        )
        check_pence(amount_pence, field="quantity")
    if category.counting == Category.Counting.ALLOWANCE:
        if claimant is None:
            raise ServiceError("Say whose allowance this is (the coordinator).", field="claimant")
        if school is None:
            school = claimant.school if claimant.school_id else budget.lead_school
    if school is None:
        raise ServiceError("Say which school is claiming.", field="school")
    _check_school(budget, school, activity_on)
    if event is not None and event.cluster_id != cluster.pk:
        raise ServiceError("That meeting is another cluster's.", field="event")
    if project is not None and project.cluster_id != cluster.pk:
        raise ServiceError("That project is another cluster's.", field="project")
    claim = Claim(
        budget=budget,
        line=line,
        category=category,
        school=school,
        claimant=claimant,
        activity_on=activity_on,
        description=description.strip(),
        unit=unit,
        quantity=quantity,
        rate_pence=rate,
        amount_pence=amount_pence,
        event=event,
        project=project,
        created_by=user_or_none(actor),
    )
    if evidence:
        claim.evidence = evidence
    audited_save(claim, actor, "claim drafted")
    if submit:
        return claim_submit(actor=actor, claim=claim)
    return claim


def _locked_claim(claim: Claim) -> Claim:
    return (
        Claim.objects.select_for_update(of=("self",))
        .select_related("budget__cluster__programme", "category__stream", "school", "line")
        .get(pk=claim.pk)
    )


def _expect(claim: Claim, *statuses, doing: str) -> None:
    if claim.is_archived:
        raise ServiceError(f"{claim.reference} was withdrawn; it cannot be {doing}.")
    if claim.status not in statuses:
        raise ServiceError(
            f"{claim.reference} is {claim.get_status_display().lower()}; it cannot be {doing}."
        )


@transaction.atomic
def claim_attach_evidence(*, actor, claim: Claim, evidence) -> Claim:
    claim = _locked_claim(claim)
    _expect(claim, Claim.Status.DRAFT, Claim.Status.SUBMITTED, doing="given new evidence")
    claim.evidence = evidence
    audited_save(claim, actor, "evidence attached")
    return claim


@transaction.atomic
def claim_submit(*, actor, claim: Claim) -> Claim:
    """Send a draft to the lead school. An invoice or receipt must be attached to a claim for
    an amount; a claim that would not fit the line's money is sent with a warning (see
    ``selectors.claim_fit``), and refused only at approval."""
    claim = _locked_claim(claim)
    _expect(claim, Claim.Status.DRAFT, doing="submitted")
    _open_budget(claim.budget)
    if claim.unit == Claim.Unit.AMOUNT and not claim.evidence:
        raise ServiceError(
            "Attach the invoice or receipt (PDF, PNG or JPEG) before submitting.", field="evidence"
        )
    claim.status = Claim.Status.SUBMITTED
    claim.submitted_by = user_or_none(actor)
    claim.submitted_at = timezone.now()
    audited_save(claim, actor, "submitted to the lead school")
    return claim


@transaction.atomic
def claim_withdraw(*, actor, claim: Claim) -> Claim:
    claim = _locked_claim(claim)
    _expect(claim, Claim.Status.DRAFT, Claim.Status.SUBMITTED, doing="withdrawn")
    claim.mark_archived(actor)
    audited_save(claim, actor, "withdrawn")
    return claim


@transaction.atomic
def claim_approve(*, actor, claim: Claim, on: dt.date | None = None) -> Claim:
    """Approve a submitted claim: commit its amount against its line.

    The claim's row, then its line's row, are locked before the figures are read, so two
    approvals at once on PostgreSQL queue on the line and the second sees the first's
    commitment. An approval that would take the line below zero is refused with its figures;
    the gates other apps put on this step (the scheme of delegation) are asked last.
    """
    day = on or timezone.localdate()
    claim = _locked_claim(claim)
    _expect(claim, Claim.Status.SUBMITTED, doing="approved")
    _open_budget(claim.budget)
    user = user_or_none(actor)
    if user is not None and user.pk in (claim.submitted_by_id, claim.created_by_id):
        raise ServiceError(
            "Someone else approves a claim you made or submitted (separation of duties)."
        )
    line = _locked_lines(claim.line)[claim.line_id]
    if claim.amount_pence > line.available_pence:
        raise OverBudget(
            f"Approving {claim.reference} ({pounds(claim.amount_pence)}) would take "
            f"{line.name} of Year {claim.budget.year} below zero: {line.figures()}.",
            line=line,
            asked_pence=claim.amount_pence,
        )
    gates.check(
        "funding.approve_claim",
        claim=claim,
        amount_pence=claim.amount_pence,
        school=claim.school,
        cluster=claim.budget.cluster,
        on=day,
        actor=actor,
    )
    line.committed_pence += claim.amount_pence
    audited_save(line, actor, f"{claim.reference} approved")
    claim.status = Claim.Status.APPROVED
    claim.decided_by = user
    claim.decided_at = timezone.now()
    audited_save(claim, actor, "approved")
    return claim


@transaction.atomic
def claim_reject(*, actor, claim: Claim, reason: str) -> Claim:
    """Reject a submitted claim (or an approved one not yet paid, releasing its money)."""
    claim = _locked_claim(claim)
    _expect(claim, Claim.Status.SUBMITTED, Claim.Status.APPROVED, doing="rejected")
    if not reason.strip():
        raise ServiceError("Give the school the reason for rejecting its claim.", field="reason")
    if claim.status == Claim.Status.APPROVED:
        line = _locked_lines(claim.line)[claim.line_id]
        line.committed_pence -= claim.amount_pence
        audited_save(line, actor, f"{claim.reference} rejected after approval")
    claim.status = Claim.Status.REJECTED
    claim.rejection_reason = reason.strip()
    claim.decided_by = user_or_none(actor)
    claim.decided_at = timezone.now()
    audited_save(claim, actor, "rejected")
    return claim


@transaction.atomic
def claim_pay(*, actor, claim: Claim, paid_on: dt.date | None = None, reference: str = "") -> Claim:
    """The lead school has paid the member school: the commitment becomes spending."""
    claim = _locked_claim(claim)
    _expect(claim, Claim.Status.APPROVED, doing="paid")
    day = paid_on or timezone.localdate()
    if day > timezone.localdate():
        raise ServiceError("Record a payment once it is made (not a future date).", field="paid_on")
    if claim.decided_at and day < timezone.localtime(claim.decided_at).date():
        raise ServiceError("A claim is paid after it is approved.", field="paid_on")
    if not reference.strip():
        raise ServiceError(
            "Give the payment's reference (e.g. the BACS or cheque number).", field="reference"
        )
    line = _locked_lines(claim.line)[claim.line_id]
    line.committed_pence -= claim.amount_pence
    line.paid_pence += claim.amount_pence
    audited_save(line, actor, f"{claim.reference} paid")
    claim.status = Claim.Status.PAID
    claim.paid_by = user_or_none(actor)
    claim.paid_on = day
    claim.paid_reference = reference.strip()
    audited_save(claim, actor, "paid by the lead school")
    return claim


@transaction.atomic
def claim_reimburse(
    *, actor, claim: Claim, reimbursed_on: dt.date | None = None, reference: str = ""
) -> Claim:
    """The programme has reimbursed the lead school for a claim it paid."""
    claim = _locked_claim(claim)
    _expect(claim, Claim.Status.PAID, doing="reimbursed")
    day = reimbursed_on or timezone.localdate()
    if day > timezone.localdate() or day < claim.paid_on:
        raise ServiceError(
            "A reimbursement is dated between the lead school's payment and today.",
            field="reimbursed_on",
        )
    claim.status = Claim.Status.REIMBURSED
    claim.reimbursed_by = user_or_none(actor)
    claim.reimbursed_on = day
    claim.reimbursed_reference = reference.strip()
    audited_save(claim, actor, "reimbursed by the programme")
    return claim


@transaction.atomic
def claims_from_register(
    *, actor, event, category: Category, unit: str = Claim.Unit.DAY, schools=None
):
    """Draft supply-cover claims from a meeting's register: one per school whose people
    attended, for a whole or half day each (only ``schools``, when given: those the person
    may claim for). Schools that already claimed for it are skipped."""
    from clusterwork.meetings.models import PRESENT

    if event.cluster_id is None:
        raise ServiceError("Supply cover is claimed for a cluster's meeting.")
    if category.counting != Category.Counting.SUPPLY:
        raise ServiceError("Choose a supply-cover category.", field="category")
    if unit not in (Claim.Unit.DAY, Claim.Unit.HALF_DAY):
        raise ServiceError("Supply cover is for a whole or a half day.", field="unit")
    day = timezone.localtime(event.starts_at).date()
    attended = event.invitations.filter(attendance__in=PRESENT).select_related(
        "person__school", "school"
    )
    per_school: dict[int, list] = {}
    for invitation in attended:
        school = invitation.school or invitation.person.school
        if school is not None and (schools is None or school.pk in schools):
            per_school.setdefault(school.pk, [school, 0])[1] += 1
    if not per_school:
        raise ServiceError("Nobody from a school is marked as attending this meeting yet.")
    already = set(
        Claim.objects.filter(event=event, archived_at__isnull=True)
        .exclude(status=Claim.Status.REJECTED)
        .values_list("school_id", flat=True)
    )
    made = []
    for school, count in sorted(per_school.values(), key=lambda pair: pair[0].name):
        if school.pk in already:
            continue
        made.append(
            claim_create(
                actor=actor,
                cluster=event.cluster,
                category=category,
                school=school,
                activity_on=day,
                description=f"Supply cover: {count} × {Claim.Unit(unit).label.lower()} for "
                f"“{event.title}”",
                unit=unit,
                quantity=count,
                event=event,
            )
        )
    if not made:
        raise ServiceError("Every school that attended has already claimed for this meeting.")
    return made
