"""Programme stages: application → panel → set-up → Year 1 → Years 2–4 → transition → independence.

A programme defines its stages and, for each, the checklist that must be complete to enter or
leave it (seed 001: "a succession plan has been agreed and finances for Y5/6 put in place").
A cluster's passage through the stages is kept as dated rows, never overwritten.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from clusterwork.core.models import ArchivableModel, TimeStampedModel, WithPage


class StageDefinition(TimeStampedModel):
    programme = models.ForeignKey(
        "clusters.Programme", on_delete=models.PROTECT, related_name="stages"
    )
    order = models.PositiveSmallIntegerField()
    key = models.SlugField(max_length=40)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    # Stages before a cluster exists (application, panel) hold applications, not clusters.
    is_pre_cluster = models.BooleanField(default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "order"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "key"], name="stage_unique_key"),
            models.UniqueConstraint(fields=["programme", "order"], name="stage_unique_order"),
        ]

    def __str__(self) -> str:
        return self.name


class ChecklistItem(TimeStampedModel, ArchivableModel):
    class When(models.TextChoices):
        ENTRY = "entry", "To enter this stage"
        EXIT = "exit", "To move on from this stage"

    stage = models.ForeignKey(StageDefinition, on_delete=models.PROTECT, related_name="items")
    when = models.CharField(max_length=5, choices=When.choices, default=When.EXIT)
    text = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["stage__order", "when", "order", "id"]

    def __str__(self) -> str:
        return self.text


class ClusterStage(TimeStampedModel):
    """``cluster`` was at ``stage`` from ``entered_on`` until ``left_on`` (exclusive)."""

    cluster = models.ForeignKey("clusters.Cluster", on_delete=models.PROTECT, related_name="stages")
    stage = models.ForeignKey(StageDefinition, on_delete=models.PROTECT, related_name="+")
    entered_on = models.DateField(default=timezone.localdate)
    left_on = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["cluster", "-entered_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["cluster"],
                condition=models.Q(left_on__isnull=True),
                name="cluster_one_current_stage",
            )
        ]

    def __str__(self) -> str:
        return f"{self.cluster} at {self.stage} from {self.entered_on}"


class ChecklistTick(TimeStampedModel):
    """Whether ``item`` is done for ``cluster``. Unticking keeps the row (and its history)."""

    cluster = models.ForeignKey("clusters.Cluster", on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="ticks")
    done = models.BooleanField(default=True)
    done_on = models.DateField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cluster", "item"], name="tick_unique_per_cluster")
        ]


class Application(WithPage, TimeStampedModel):
    """A group of schools applying to join the programme as a cluster (seed 001: the panel)."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Submitted, awaiting panel"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    programme = models.ForeignKey(
        "clusters.Programme", on_delete=models.PROTECT, related_name="applications"
    )
    cluster_name = models.CharField(max_length=150)
    region = models.CharField(max_length=120, blank=True)
    aims = models.TextField(help_text="What the cluster wants to achieve together.")
    lead_school = models.ForeignKey(
        "schools.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    schools = models.ManyToManyField("schools.School", related_name="applications")
    coordinator_name = models.CharField(max_length=150)
    coordinator_email = models.EmailField()
    submitted_on = models.DateField(default=timezone.localdate)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    panel_notes = models.TextField(blank=True)
    decided_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cluster = models.OneToOneField(
        "clusters.Cluster",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="application",
    )
    history = HistoricalRecords()

    page_url = "application_detail"

    class Meta:
        ordering = ["-submitted_on", "cluster_name"]

    def __str__(self) -> str:
        return f"Application: {self.cluster_name}"
