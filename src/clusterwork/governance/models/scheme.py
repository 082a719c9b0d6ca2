"""The scheme of delegation: decision areas x levels, versioned per layer."""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords

from clusterwork.core.models import TimeStampedModel, WithPage

from .choices import Code, Level, _by

# ----- scheme of delegation ----------------------------------------------------------------


class DecisionArea(TimeStampedModel):
    key = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=50)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class SchemeVersion(WithPage, TimeStampedModel):
    """One approved version of one layer of a trust's scheme. Versions are never edited once
    approved; a change is a new version, so the history of who decided what when is kept."""

    class Layer(models.TextChoices):
        DEFAULT = "default", "Trust default"
        INTERVENTION = "intervention", "Tighter version for academies in intervention"
        CLUSTER = "cluster", "Cluster variation"
        ACADEMY = "academy", "Academy variation"

    trust = models.ForeignKey("schools.Trust", on_delete=models.PROTECT, related_name="+")
    layer = models.CharField(max_length=12, choices=Layer.choices)
    cluster = models.ForeignKey(
        "clusters.Cluster", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    school = models.ForeignKey(
        "schools.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    number = models.PositiveSmallIntegerField()
    approved_on = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)
    created_by = _by("created")
    approved_by = _by("approved")
    history = HistoricalRecords()

    page_url = "governance:scheme_version"

    class Meta:
        ordering = ["trust", "layer", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["trust", "layer", "cluster", "school", "number"],
                name="scheme_version_number",
            )
        ]

    def __str__(self) -> str:
        where = (
            self.school.name if self.school_id else (self.cluster.name if self.cluster_id else "")
        )
        label = self.get_layer_display() + (f" for {where}" if where else "")
        return f"{label}, version {self.number}"


class SchemeCell(models.Model):
    version = models.ForeignKey(SchemeVersion, on_delete=models.PROTECT, related_name="cells")
    area = models.ForeignKey(DecisionArea, on_delete=models.PROTECT, related_name="+")
    level = models.CharField(max_length=20, choices=Level.choices)
    code = models.CharField(max_length=1, choices=Code.choices)

    class Meta:
        ordering = ["version", "area__order", "level"]
        constraints = [
            models.UniqueConstraint(fields=["version", "area", "level"], name="scheme_cell_once")
        ]

    def __str__(self) -> str:
        return f"{self.area}: {self.code} at {self.level}"


class SchemeThreshold(models.Model):
    """Above ``above_pence``, a decision in ``area`` is taken by ``level`` (e.g. spending over
    £10,000 by the cluster board, over £50,000 by the trust board)."""

    version = models.ForeignKey(SchemeVersion, on_delete=models.PROTECT, related_name="thresholds")
    area = models.ForeignKey(DecisionArea, on_delete=models.PROTECT, related_name="+")
    above_pence = models.PositiveBigIntegerField()
    level = models.CharField(max_length=20, choices=Level.choices)

    class Meta:
        ordering = ["version", "area__order", "above_pence"]

    def __str__(self) -> str:
        return f"{self.area} above {self.above_text}: {self.level}"

    @property
    def above_text(self) -> str:
        from decimal import Decimal

        return f"£{Decimal(self.above_pence) / 100:,.2f}"
