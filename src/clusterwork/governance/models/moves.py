"""Moving an academy between clusters."""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords

from clusterwork.core.models import TimeStampedModel, WithPage

from .choices import _by

# ----- moving academies ------------------------------------------------------------------------


class MoveProposal(WithPage, TimeStampedModel):
    class Status(models.TextChoices):
        PROPOSED = "proposed", "Awaiting the boards' decisions"
        AGREED = "agreed", "Agreed; moves on its effective date"
        DONE = "done", "Moved"
        REJECTED = "rejected", "Rejected"
        WITHDRAWN = "withdrawn", "Withdrawn"

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    from_cluster = models.ForeignKey("clusters.Cluster", on_delete=models.PROTECT, related_name="+")
    to_cluster = models.ForeignKey("clusters.Cluster", on_delete=models.PROTECT, related_name="+")
    effective_on = models.DateField()
    reason = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    moved_at = models.DateTimeField(null=True, blank=True)
    proposed_by = _by("proposed")
    history = HistoricalRecords()

    page_url = "governance:move_detail"

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Move {self.school.name} from {self.from_cluster} to {self.to_cluster}"

    @property
    def subject_key(self) -> str:
        return f"governance.moveproposal:{self.pk}"
