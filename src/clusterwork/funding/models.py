"""A programme's funding model, each cluster's budget per year, and the claims paid from it.

Seed 001: a five-year science programme funds each cluster in three parts — Part A (supply
cover for meetings, paired work, visits, individuals' needs, CPD), Part B (resources, shared
kit, designated funds, CPD providers, courses) and the coordinator's allowance (counted in
whole days, half days or an accumulation of shorter times). Schools invoice the lead school,
promptly; clusters are told to spend the money that is available.

The ledger, in whole pence: each budget line keeps its allocation (original, and as varied)
and what is committed (approved, not yet paid) and paid. The database itself refuses a line
whose committed + paid would pass its allocation (``budgetline_never_over``), and approvals
take the line's row lock, so two approvers at once never overspend.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from clusterwork.core.dated import DatedModel
from clusterwork.core.models import ArchivableModel, TimeStampedModel, WithPage
from clusterwork.core.uploads import EVIDENCE, PrivateStorage

from .money import pounds


def _user_fk(related_name="+"):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name=related_name,
    )


class Stream(TimeStampedModel):
    """One of a programme's funding streams, each with its own uses."""

    class Kind(models.TextChoices):
        PART_A = "part_a", "Part A"
        PART_B = "part_b", "Part B"
        ALLOWANCE = "allowance", "Coordinator's allowance"

    programme = models.ForeignKey(
        "clusters.Programme", on_delete=models.PROTECT, related_name="funding_streams"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    name = models.CharField(max_length=100)
    description = models.CharField(max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "kind"], name="stream_one_kind_per_programme"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Category(TimeStampedModel, ArchivableModel):
    """An eligible use of a stream's money, and how a claim for it is counted."""

    class Counting(models.TextChoices):
        AMOUNT = "amount", "An amount (invoice or receipt)"
        SUPPLY = "supply", "Supply cover: whole or half days at the programme's rate"
        ALLOWANCE = "allowance", "Allowance: days, half days or hours at the allowance rate"

    stream = models.ForeignKey(Stream, on_delete=models.PROTECT, related_name="categories")
    name = models.CharField(max_length=200)
    counting = models.CharField(max_length=20, choices=Counting.choices, default=Counting.AMOUNT)
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["stream__order", "order", "name"]
        verbose_name_plural = "categories"
        constraints = [
            models.UniqueConstraint(fields=["stream", "name"], name="category_unique_in_stream")
        ]

    def __str__(self) -> str:
        return f"{self.stream.name} · {self.name}"


class FundingRules(TimeStampedModel):
    """A programme's rates and rules: supply cover, the allowance, carry-over, who approves."""

    class CarryOver(models.TextChoices):
        NONE = "none", "Unspent money returns to the programme"
        ALL = "all", "Unspent money carries over to the next year"
        CAPPED = "capped", "Up to a share of each line carries over"

    programme = models.OneToOneField(
        "clusters.Programme", on_delete=models.PROTECT, related_name="funding_rules"
    )
    years = models.PositiveSmallIntegerField(default=5, help_text="Years of funding per cluster.")
    supply_day_pence = models.PositiveIntegerField(default=22_000)
    supply_half_day_pence = models.PositiveIntegerField(default=11_000)
    allowance_day_pence = models.PositiveIntegerField(default=25_000)
    allowance_half_day_pence = models.PositiveIntegerField(default=12_500)
    # Shorter times accumulate: an hour is a day's allowance divided by the hours in a day.
    allowance_hours_per_day = models.DecimalField(max_digits=4, decimal_places=2, default=6)
    carry_over = models.CharField(
        max_length=10, choices=CarryOver.choices, default=CarryOver.CAPPED
    )
    carry_over_cap_percent = models.PositiveSmallIntegerField(default=20)
    # The coordinator may approve Part A and Part B claims (never the allowance: their own).
    coordinator_approves = models.BooleanField(default=False)
    # Schools should invoice the lead school promptly: older activity gets a warning.
    prompt_days = models.PositiveSmallIntegerField(default=30)
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "funding rules"
        constraints = [
            models.CheckConstraint(
                condition=Q(carry_over_cap_percent__lte=100), name="funding_rules_cap_is_a_share"
            ),
            models.CheckConstraint(
                condition=Q(allowance_hours_per_day__gt=0), name="funding_rules_hours_in_a_day"
            ),
        ]

    def __str__(self) -> str:
        return f"Funding rules of {self.programme}"


class Budget(WithPage, TimeStampedModel, DatedModel):
    """A cluster's budget for one of its programme years (Year 1 … Year 5), from ``start``
    until ``end`` (exclusive), with the lead school that receives the claims."""

    cluster = models.ForeignKey(
        "clusters.Cluster", on_delete=models.PROTECT, related_name="budgets"
    )
    year = models.PositiveSmallIntegerField()
    lead_school = models.ForeignKey(
        "schools.School", on_delete=models.PROTECT, related_name="lead_budgets"
    )
    end = models.DateField()
    note = models.CharField(max_length=300, blank=True)
    created_by = _user_fk()
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = _user_fk()
    history = HistoricalRecords()

    page_url = "funding:budget_detail"

    class Meta:
        ordering = ["cluster", "-start"]
        constraints = [
            models.UniqueConstraint(fields=["cluster", "year"], name="budget_one_per_cluster_year"),
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="budget_end_after_start"),
            models.CheckConstraint(condition=Q(year__gte=1), name="budget_year_from_one"),
        ]
        indexes = [models.Index(fields=["lead_school", "end"])]

    def __str__(self) -> str:
        return f"{self.cluster} · Year {self.year} ({self.start:%Y}–{self.end:%y})"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class BudgetLine(TimeStampedModel):
    """A budget's money for one stream (and, when set, one of its categories)."""

    budget = models.ForeignKey(Budget, on_delete=models.PROTECT, related_name="lines")
    stream = models.ForeignKey(Stream, on_delete=models.PROTECT, related_name="+")
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # What was allocated when the budget was set, and the allocation after variations.
    original_pence = models.BigIntegerField()
    allocated_pence = models.BigIntegerField()
    # Approved, not yet paid; and paid (reimbursed claims stay paid).
    committed_pence = models.BigIntegerField(default=0)
    paid_pence = models.BigIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["budget", "stream__order", "category__order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["budget", "category"],
                condition=Q(category__isnull=False),
                name="budgetline_one_per_category",
            ),
            models.UniqueConstraint(
                fields=["budget", "stream"],
                condition=Q(category__isnull=True),
                name="budgetline_one_general_per_stream",
            ),
            models.CheckConstraint(
                condition=Q(original_pence__gte=0)
                & Q(allocated_pence__gte=0)
                & Q(committed_pence__gte=0)
                & Q(paid_pence__gte=0),
                name="budgetline_no_negative_money",
            ),
            models.CheckConstraint(
                condition=Q(committed_pence__lte=F("allocated_pence") - F("paid_pence")),
                name="budgetline_never_over",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return (
            f"{self.stream.name} · {self.category.name}" if self.category_id else self.stream.name
        )

    @property
    def available_pence(self) -> int:
        return self.allocated_pence - self.committed_pence - self.paid_pence

    @property
    def varied_by_pence(self) -> int:
        return self.allocated_pence - self.original_pence

    def figures(self) -> str:
        return (
            f"allocated {pounds(self.allocated_pence)}, committed {pounds(self.committed_pence)}, "
            f"paid {pounds(self.paid_pence)}, available {pounds(self.available_pence)}"
        )


class Variation(TimeStampedModel):
    """A change to allocations: a transfer between lines (or years), an increase or decrease
    by the programme, or a year-end carry-over. Lines keep their original allocation."""

    class Kind(models.TextChoices):
        TRANSFER = "transfer", "Transfer between lines"
        INCREASE = "increase", "Increase"
        DECREASE = "decrease", "Decrease"
        CARRY_OVER = "carry_over", "Carry-over at year end"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    from_line = models.ForeignKey(
        BudgetLine, null=True, blank=True, on_delete=models.PROTECT, related_name="variations_out"
    )
    to_line = models.ForeignKey(
        BudgetLine, null=True, blank=True, on_delete=models.PROTECT, related_name="variations_in"
    )
    amount_pence = models.BigIntegerField()
    reason = models.TextField()
    approved_by = _user_fk()
    approved_on = models.DateField()
    recorded_by = _user_fk()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-approved_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_pence__gt=0), name="variation_positive"),
            models.CheckConstraint(
                condition=Q(from_line__isnull=False) | Q(to_line__isnull=False),
                name="variation_touches_a_line",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {pounds(self.amount_pence)}"


class Claim(WithPage, TimeStampedModel, ArchivableModel):
    """A member school's (or the coordinator's) claim to the lead school.

    draft → submitted → approved or rejected (with a reason) → paid by the lead school
    (date, reference) → reimbursed by the programme. Each step keeps who and when; nothing
    is deleted (a draft is withdrawn by archiving it).
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        PAID = "paid", "Paid by the lead school"
        REIMBURSED = "reimbursed", "Reimbursed by the programme"

    class Unit(models.TextChoices):
        AMOUNT = "amount", "An amount"
        DAY = "day", "Whole days"
        HALF_DAY = "half_day", "Half days"
        HOUR = "hour", "Hours"

    budget = models.ForeignKey(Budget, on_delete=models.PROTECT, related_name="claims")
    line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="claims")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="claims")
    school = models.ForeignKey(
        "schools.School", on_delete=models.PROTECT, related_name="funding_claims"
    )
    # Who the allowance is for (the coordinator); empty for a school's own claims.
    claimant = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    activity_on = models.DateField()
    description = models.CharField(max_length=300)
    unit = models.CharField(max_length=10, choices=Unit.choices, default=Unit.AMOUNT)
    quantity = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    rate_pence = models.PositiveIntegerField(null=True, blank=True)
    amount_pence = models.BigIntegerField()
    event = models.ForeignKey(
        "meetings.Event", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    project = models.ForeignKey(
        "goals.Project", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    evidence = models.FileField(
        storage=PrivateStorage(),
        upload_to="funding/evidence/%Y/%m",
        validators=[EVIDENCE],
        blank=True,
        max_length=300,
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    created_by = _user_fk()
    submitted_by = _user_fk()
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = _user_fk()
    decided_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.CharField(max_length=500, blank=True)
    paid_by = _user_fk()
    paid_on = models.DateField(null=True, blank=True)
    paid_reference = models.CharField(max_length=100, blank=True)
    reimbursed_by = _user_fk()
    reimbursed_on = models.DateField(null=True, blank=True)
    reimbursed_reference = models.CharField(max_length=100, blank=True)
    history = HistoricalRecords()

    page_url = "funding:claim_detail"

    class Meta:
        ordering = ["-activity_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_pence__gt=0) & Q(amount_pence__lte=1_000_000_000),
                name="claim_amount_positive",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="claim_rejection_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["paid", "reimbursed"]) | Q(paid_on__isnull=False),
                name="claim_paid_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["budget", "status"]),
            models.Index(fields=["line", "status"]),
            models.Index(fields=["school", "status"]),
            models.Index(fields=["status", "submitted_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.description}"

    @property
    def reference(self) -> str:
        return f"CL-{self.pk:06d}" if self.pk else "CL-new"

    @property
    def amount(self) -> str:
        return pounds(self.amount_pence)

    @property
    def counts_against_line(self) -> bool:
        return self.status in (self.Status.APPROVED, self.Status.PAID, self.Status.REIMBURSED)


class Nudge(TimeStampedModel):
    """An email to a coordinator about money at risk of going unspent, sent once per budget
    and threshold (so a daily run does not repeat itself)."""

    budget = models.ForeignKey(Budget, on_delete=models.PROTECT, related_name="nudges")
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    days_left = models.PositiveSmallIntegerField()
    unspent_pence = models.BigIntegerField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["budget", "person", "days_left"], name="nudge_once_per_threshold"
            )
        ]
