"""Changes in circumstances (seed 001): a school joins a trust mid-programme, an inspection
changes its priorities, a closure; and staff turnover — a subject leader leaves, a temporary
replacement, a sabbatical for a set period with a review date — with handover notes."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from clusterwork.core.models import TimeStampedModel


class Circumstance(TimeStampedModel):
    class Kind(models.TextChoices):
        JOINED_TRUST = "joined_trust", "Joined a trust or federation"
        INSPECTION = "inspection", "Inspection"
        CLOSURE = "closure", "School closure"
        PRIORITIES = "priorities", "Change of priorities"
        LEADERSHIP = "leadership", "Change of headteacher or senior leaders"
        OTHER = "other", "Other"

    class Impact(models.TextChoices):
        LOW = "low", "Low"
        MEDIUM = "medium", "Medium"
        HIGH = "high", "High"

    cluster = models.ForeignKey(
        "clusters.Cluster", on_delete=models.PROTECT, related_name="circumstances"
    )
    school = models.ForeignKey(
        "schools.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    occurred_on = models.DateField(default=timezone.localdate)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    impact = models.CharField(max_length=10, choices=Impact.choices, default=Impact.MEDIUM)
    response = models.TextField(
        blank=True, help_text="What the cluster will do, e.g. adapt its medium-term goals."
    )
    review_on = models.DateField(null=True, blank=True)
    trust = models.ForeignKey(
        "schools.Trust", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-occurred_on", "-id"]

    def __str__(self) -> str:
        return self.title


class StaffChange(TimeStampedModel):
    class Kind(models.TextChoices):
        LEFT = "left", "Left the role"
        TEMPORARY_COVER = "temporary_cover", "Away; temporary cover"
        SABBATICAL = "sabbatical", "Sabbatical for a set period"

    cluster = models.ForeignKey(
        "clusters.Cluster", on_delete=models.PROTECT, related_name="staff_changes"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    role = models.CharField(max_length=30)
    school = models.ForeignKey(
        "schools.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    replacement = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    review_on = models.DateField(null=True, blank=True)
    handover_notes = models.TextField(blank=True)
    actions_moved = models.PositiveIntegerField(default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on", "-id"]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_kind_display()}"
