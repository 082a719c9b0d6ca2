"""What the dashboards read instead of counting millions of rows on every request, and who
gets the weekly digest.

``SchoolTermAttendance`` is kept up to date on write: every saved invitation or meeting
recomputes its cluster's rows for that term (``summaries.py``, from ``post_save``), and
``clusterwork refresh-report-summaries`` rebuilds them all after bulk loads that bypass the
signals. ``ClusterEngagement`` holds each cluster's flagged schools, recomputed the same way
(and nightly by the command, as meetings falling into the window change it with no write).
"""

from django.conf import settings
from django.db import models

from clusterwork.core.models import TimeStampedModel


class SchoolTermAttendance(models.Model):
    """One school in one cluster in one term: meetings whose register recorded it, and how
    many of those it came to (its invitee attended or sent a substitute)."""

    cluster = models.ForeignKey("clusters.Cluster", on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    term_start = models.DateField()
    recorded = models.PositiveIntegerField(default=0)
    present = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "school", "term_start"], name="school_term_attendance_once"
            )
        ]
        indexes = [
            models.Index(fields=["cluster", "term_start"], name="sta_cluster_term"),
            models.Index(fields=["school", "term_start"], name="sta_school_term"),
        ]

    def __str__(self) -> str:
        return f"{self.school_id} in {self.cluster_id}, {self.term_start}: {self.present}"


class ClusterEngagement(models.Model):
    """How many of a cluster's member schools are flagged by the engagement rule, as of
    ``computed_at``."""

    cluster = models.OneToOneField(
        "clusters.Cluster", on_delete=models.CASCADE, related_name="+", primary_key=True
    )
    schools = models.PositiveIntegerField(default=0)
    flagged = models.PositiveIntegerField(default=0)
    flagged_school_ids = models.JSONField(default=list)
    computed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.cluster_id}: {self.flagged} of {self.schools} flagged"


class DigestSubscription(TimeStampedModel):
    """Whether a person gets the weekly digest by email (opted in by default once they hold
    a role; they can opt out), and when it was last sent."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_subscription"
    )
    weekly = models.BooleanField(default=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Digest for {self.user}: {'weekly' if self.weekly else 'off'}"


class MeasureValue(models.Model):
    """A registered measure of a cluster on a day, computed by the nightly refresh for the
    measures other apps register (ours come from the figures at once): dashboards of
    thousands of clusters read one row per cluster instead of computing each."""

    key = models.CharField(max_length=100)
    cluster = models.ForeignKey("clusters.Cluster", on_delete=models.CASCADE, related_name="+")
    on = models.DateField()
    value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "cluster", "on"], name="measure_value_once")
        ]
        indexes = [models.Index(fields=["key", "on"], name="measure_value_key_on")]

    def __str__(self) -> str:
        return f"{self.key} of {self.cluster_id} on {self.on}: {self.value}"
