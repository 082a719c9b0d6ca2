"""Programmes, clusters and dated cluster membership."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from clusterwork.core.dated import DatedModel
from clusterwork.core.models import ArchivableModel, TimeStampedModel, WithPage


class Programme(WithPage, TimeStampedModel, ArchivableModel):
    """The body that runs a set of clusters: a trust, a national programme, a network."""

    class Kind(models.TextChoices):
        TRUST = "trust", "Trust cluster model"
        NATIONAL_PROGRAMME = "national_programme", "National programme"
        MEMBERSHIP_ORGANISATION = "membership_organisation", "Membership organisation"
        LOCAL_AUTHORITY = "local_authority", "Local authority"
        OTHER = "other", "Other"

    class Governance(models.TextChoices):
        COORDINATED = "coordinated", "Coordinator-led clusters"
        CLUSTER_BOARDS = "cluster_boards", "Devolved cluster boards"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=40, choices=Kind.choices, default=Kind.NATIONAL_PROGRAMME)
    governance = models.CharField(
        max_length=30, choices=Governance.choices, default=Governance.COORDINATED
    )
    trust = models.ForeignKey(
        "schools.Trust",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="programmes",
        help_text="The trust that runs this programme, when it is a trust's own cluster model.",
    )
    description = models.TextField(blank=True)
    min_cluster_size = models.PositiveSmallIntegerField(default=settings.CLUSTER_MIN_SIZE_DEFAULT)
    max_cluster_size = models.PositiveSmallIntegerField(default=settings.CLUSTER_MAX_SIZE_DEFAULT)
    target_cluster_size = models.PositiveSmallIntegerField(null=True, blank=True)
    history = HistoricalRecords()

    page_url = "programme_detail"

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_cluster_size__gte=1)
                & models.Q(max_cluster_size__gte=models.F("min_cluster_size")),
                name="programme_size_bounds_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Cluster(WithPage, TimeStampedModel, ArchivableModel):
    class Kind(models.TextChoices):
        SCHOOL_SPORT_PARTNERSHIP = "school_sport_partnership", "School sport partnership"
        MAT_CLUSTER = "mat_cluster", "Multi-academy trust cluster"
        TEACHING_SCHOOL_ALLIANCE = "teaching_school_alliance", "Teaching school alliance"
        LOCAL_PARTNERSHIP = "local_partnership", "Local partnership (e.g. secondary with feeders)"
        LOCAL_AUTHORITY = "local_authority", "Local authority"
        ONLINE = "online", "Online cluster"
        SUBJECT_NETWORK = "subject_network", "Subject cluster (e.g. primary science)"

    class Status(models.TextChoices):
        FORMING = "forming", "Forming"
        ACTIVE = "active", "Active"
        PAUSED = "paused", "Paused"
        INDEPENDENT = "independent", "Self-running"
        CLOSED = "closed", "Closed"

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="clusters")
    name = models.CharField(max_length=150)
    kind = models.CharField(max_length=40, choices=Kind.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    lead_school = models.ForeignKey(
        "schools.School",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_clusters",
        help_text="The school that hosts the cluster and, where there is funding, is invoiced.",
    )
    region = models.CharField(max_length=120, blank=True)
    description = models.TextField(blank=True)
    started_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    page_url = "cluster_detail"

    class Meta:
        ordering = ["programme__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "name"],
                condition=models.Q(archived_at__isnull=True),
                name="cluster_unique_name_in_programme",
            )
        ]

    def __str__(self) -> str:
        return self.name


class ClusterMembership(TimeStampedModel, DatedModel):
    """``school`` belongs to ``cluster`` from ``start`` until ``end`` (exclusive).

    Rows are never deleted: moving a school ends one membership and starts another,
    so the question "which cluster was this school in on 1 Sept 2024?" always has an answer.
    ``programme`` repeats ``cluster.programme`` so the database itself can refuse two open
    memberships of one school in one programme.
    """

    cluster = models.ForeignKey(Cluster, on_delete=models.PROTECT, related_name="memberships")
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey(
        "schools.School", on_delete=models.PROTECT, related_name="cluster_memberships"
    )
    note = models.CharField(max_length=300, blank=True)
    end_reason = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "school"],
                condition=models.Q(end__isnull=True),
                name="membership_one_open_per_programme",
            ),
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gt=models.F("start")),
                name="membership_end_after_start",
            ),
        ]
        indexes = [models.Index(fields=["cluster", "end"]), models.Index(fields=["school", "end"])]

    def __str__(self) -> str:
        until = f" until {self.end}" if self.end else ""
        return f"{self.school} in {self.cluster} from {self.start}{until}"
