"""What a cluster is for and what it has done: vision, goals, projects, achievements.

Seed 001: "Set a mix of short, medium and long-term goals; create both simple and ambitious
goals"; projects that are cluster-generated, built on the programme's resources, or reach beyond
the cluster; professional achievements (quality marks, grants, awards) to celebrate.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from clusterwork.core.models import ArchivableModel, TimeStampedModel, WithPage


class Vision(TimeStampedModel):
    """The cluster's shared vision. One row per cluster; its history keeps every wording."""

    cluster = models.OneToOneField(
        "clusters.Cluster", on_delete=models.PROTECT, related_name="vision"
    )
    statement = models.TextField()
    agreed_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Vision of {self.cluster}"


class Goal(WithPage, TimeStampedModel, ArchivableModel):
    class Horizon(models.TextChoices):
        SHORT = "short", "Short term"
        MEDIUM = "medium", "Medium term"
        LONG = "long", "Long term"

    class Ambition(models.TextChoices):
        SIMPLE = "simple", "Simple"
        AMBITIOUS = "ambitious", "Ambitious"

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        ON_TRACK = "on_track", "On track"
        AT_RISK = "at_risk", "At risk"
        ACHIEVED = "achieved", "Achieved"
        DROPPED = "dropped", "Dropped"

    cluster = models.ForeignKey("clusters.Cluster", on_delete=models.PROTECT, related_name="goals")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    horizon = models.CharField(max_length=10, choices=Horizon.choices)
    ambition = models.CharField(max_length=10, choices=Ambition.choices, default=Ambition.SIMPLE)
    owner = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="goals"
    )
    target_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.NOT_STARTED)
    achieved_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    page_url = "goal_detail"

    class Meta:
        ordering = ["target_date", "title"]

    def __str__(self) -> str:
        return self.title


class GoalUpdate(TimeStampedModel):
    """A dated progress note on a goal, optionally changing its status."""

    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="updates")
    on = models.DateField(default=timezone.localdate)
    text = models.TextField()
    status = models.CharField(max_length=15, choices=Goal.Status.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-on", "-id"]


class Project(WithPage, TimeStampedModel, ArchivableModel):
    class Kind(models.TextChoices):
        CLUSTER_GENERATED = "cluster", "Cluster-generated project"
        PROGRAMME_RESOURCE = "resource", "Built on the programme's resources"
        OUTREACH = "outreach", "Outreach beyond the cluster"

    class Partner(models.TextChoices):
        NONE = "", "—"
        UNIVERSITY = "university", "University"
        BUSINESS = "business", "Local business"
        OTHER_SCHOOLS = "schools", "Other schools"
        LOCAL_AUTHORITY = "local_authority", "Local authority"
        NATIONAL = "national", "National initiative or society"

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        RUNNING = "running", "Running"
        COMPLETED = "completed", "Completed"
        STOPPED = "stopped", "Stopped"

    cluster = models.ForeignKey(
        "clusters.Cluster", on_delete=models.PROTECT, related_name="projects"
    )
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    partner_kind = models.CharField(max_length=20, choices=Partner.choices, blank=True)
    partner_name = models.CharField(max_length=200, blank=True)
    resource = models.CharField(
        max_length=200, blank=True, help_text="The programme resource it uses, if any."
    )
    description = models.TextField(blank=True)
    outcomes = models.TextField(blank=True)
    lead = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    schools = models.ManyToManyField("schools.School", blank=True, related_name="projects")
    goal = models.ForeignKey(
        Goal, null=True, blank=True, on_delete=models.PROTECT, related_name="projects"
    )
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    history = HistoricalRecords()

    page_url = "project_detail"

    class Meta:
        ordering = ["-starts_on", "title"]

    def __str__(self) -> str:
        return self.title


class Achievement(TimeStampedModel, ArchivableModel):
    class Kind(models.TextChoices):
        QUALITY_MARK = "quality_mark", "Quality mark"
        GRANT = "grant", "Grant"
        AWARD = "award", "Award"
        OTHER = "other", "Other success"

    cluster = models.ForeignKey(
        "clusters.Cluster", on_delete=models.PROTECT, related_name="achievements"
    )
    title = models.CharField(max_length=200, help_text="e.g. PSQM Gilt, Royal Society grant")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    on = models.DateField(default=timezone.localdate)
    school = models.ForeignKey(
        "schools.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField(blank=True)
    amount_pence = models.PositiveIntegerField(
        null=True, blank=True, help_text="For grants: the amount, in pence."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-on", "title"]

    def __str__(self) -> str:
        return self.title
