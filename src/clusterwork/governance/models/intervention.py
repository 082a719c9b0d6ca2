"""Intervention: categories, trigger rules, cases, partners and MoUs."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from clusterwork.core.dated import DatedModel
from clusterwork.core.models import ArchivableModel, TimeStampedModel, WithPage

from .choices import _by

# ----- intervention --------------------------------------------------------------------------


class SchoolCategory(TimeStampedModel, DatedModel):
    """A school marked as in an intervention category or the sponsored category, and the
    cluster that takes responsibility for it."""

    class Category(models.TextChoices):
        INTERVENTION = "intervention", "Intervention category"
        SPONSORED = "sponsored", "Sponsored category"

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    category = models.CharField(max_length=12, choices=Category.choices)
    cluster = models.ForeignKey(
        "clusters.Cluster", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)
    recorded_by = _by("recorded")
    history = HistoricalRecords()

    class Meta:
        ordering = ["school", "-start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gt=models.F("start")),
                name="category_end_after_start",
            )
        ]


class TriggerRule(TimeStampedModel, ArchivableModel):
    class Comparison(models.TextChoices):
        AT_LEAST = "gte", "is at least"
        AT_MOST = "lte", "is at most"
        FALLS_BY = "falls_pct", "falls by at least (%) over the window"
        RISES_BY = "rises_pct", "rises by at least (%) over the window"

    trust = models.ForeignKey("schools.Trust", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    measure_key = models.CharField(max_length=100)
    comparison = models.CharField(max_length=10, choices=Comparison.choices)
    threshold = models.DecimalField(max_digits=12, decimal_places=2)
    window_days = models.PositiveSmallIntegerField(default=365)
    created_by = _by("created")
    history = HistoricalRecords()

    class Meta:
        ordering = ["trust", "name"]

    def __str__(self) -> str:
        return self.name


class InterventionCase(WithPage, TimeStampedModel):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        SUPPORT = "support", "Support agreed"
        MONITORING = "monitoring", "Monitoring"
        CLOSED = "closed", "Closed"

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    cluster = models.ForeignKey(
        "clusters.Cluster", on_delete=models.PROTECT, related_name="intervention_cases"
    )
    rule = models.ForeignKey(
        TriggerRule, null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    title = models.CharField(max_length=200)
    reason = models.TextField(help_text="why it opened: the rule and the values")
    opened_on = models.DateField(default=timezone.localdate)
    owner = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    closed_on = models.DateField(null=True, blank=True)
    closure_reason = models.TextField(blank=True)
    opened_by = _by("opened")
    history = HistoricalRecords()

    page_url = "governance:case_detail"

    class Meta:
        ordering = ["-opened_on", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED


class CaseNote(TimeStampedModel):
    case = models.ForeignKey(InterventionCase, on_delete=models.PROTECT, related_name="notes")
    text = models.TextField()
    action_due = models.DateField(null=True, blank=True, help_text="set for an action")
    action_owner = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    written_by = _by("wrote")
    history = HistoricalRecords()

    class Meta:
        ordering = ["case", "created_at"]


class Partner(TimeStampedModel, ArchivableModel):
    class Kind(models.TextChoices):
        TEACHING_SCHOOL = "teaching_school", "Teaching school (hub)"
        LOCAL_AUTHORITY = "local_authority", "Local authority service"
        OTHER = "other", "Other partner"

    trust = models.ForeignKey("schools.Trust", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Mou(TimeStampedModel, DatedModel):
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="mous")
    scope = models.CharField(max_length=300)
    recorded_by = _by("recorded")
    history = HistoricalRecords()

    class Meta:
        ordering = ["partner", "-start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gt=models.F("start")),
                name="mou_end_after_start",
            )
        ]
