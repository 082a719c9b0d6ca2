"""Stored cluster-formation runs: what went in, what the engine proposed, what was decided.

A run keeps its exact inputs (URNs and coordinates) and parameters, so any proposal can be
computed again later even after the school directory or the clusters have changed.
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from clusterwork.core.models import TimeStampedModel, WithPage


class FormationRun(WithPage, TimeStampedModel):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Proposal ready"
        FAILED = "failed", "Failed"
        ACCEPTED = "accepted", "Accepted"
        DISCARDED = "discarded", "Discarded"

    FINISHED = {Status.DONE, Status.FAILED, Status.ACCEPTED, Status.DISCARDED}

    programme = models.ForeignKey(
        "clusters.Programme",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="formation_runs",
    )
    trust = models.ForeignKey(
        "schools.Trust",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="formation_runs",
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    parameters = models.JSONField(default=dict, blank=True)
    inputs = models.JSONField(
        default=dict, blank=True, help_text="The schools (URNs, names, coordinates) used."
    )
    seed = models.IntegerField(default=0)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    progress = models.PositiveSmallIntegerField(default=0)
    progress_message = models.CharField(max_length=300, blank=True)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    rerun_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reruns"
    )
    # Progress ticks are written with queryset.update() and would only add noise here.
    history = HistoricalRecords(excluded_fields=["progress", "progress_message", "updated_at"])

    page_url = "formation:run_detail"

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="formationrun_progress_max_100"
            )
        ]

    def __str__(self) -> str:
        owner = self.programme or self.trust or "ad hoc"
        return f"Formation run {self.pk} for {owner}"

    @property
    def is_active(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.RUNNING}

    @property
    def site_count(self) -> int:
        return len(self.inputs.get("sites", []))
