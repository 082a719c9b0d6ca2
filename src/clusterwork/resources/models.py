"""Shared resources: centrally held expensive kit and themed boxes lent between a cluster's
schools (issue 11 §3; Part B of the science programme funds "shared resources (centrally held
expensive kit, themed boxes made by the group)").

- ``Resource``: an item with its owner school, where it is kept, its condition and a photo,
  shared with one or more clusters (two clusters may share the same boxes);
- ``Loan``: a booking and then a loan of one item to one school over ``start``–``end``
  (``core.dated.DatedModel``, end exclusive: the day it is due back). Bookings and loans out
  never overlap for one item: on PostgreSQL an exclusion constraint over the date range
  (btree_gist) makes the database refuse it; on SQLite the booking service's locked check does.
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from clusterwork.core.dated import DatedModel
from clusterwork.core.models import ArchivableModel, TimeStampedModel, WithPage
from clusterwork.core.uploads import PHOTO, PrivateStorage


class Condition(models.TextChoices):
    GOOD = "good", "Good"
    FAIR = "fair", "Fair: some wear"
    NEEDS_REPAIR = "needs_repair", "Needs repair or restocking"
    OUT_OF_USE = "out_of_use", "Out of use"


class Resource(WithPage, TimeStampedModel, ArchivableModel):
    class Kind(models.TextChoices):
        KIT = "kit", "Centrally held kit"
        THEMED_BOX = "themed_box", "Themed box"

    programme = models.ForeignKey(
        "clusters.Programme", on_delete=models.PROTECT, related_name="resources"
    )
    clusters = models.ManyToManyField(
        "clusters.Cluster", related_name="resources", help_text="The clusters that share it."
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    description = models.TextField(blank=True)
    owner_school = models.ForeignKey(
        "schools.School", on_delete=models.PROTECT, related_name="resources_owned"
    )
    location = models.CharField(max_length=200, help_text="Where it is kept between loans.")
    condition = models.CharField(max_length=15, choices=Condition.choices, default=Condition.GOOD)
    photo = models.FileField(
        storage=PrivateStorage(),
        upload_to="resources/%Y/%m/",
        blank=True,
        validators=[PHOTO],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    page_url = "resources:resource_detail"

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Loan(TimeStampedModel, DatedModel):
    """A booking of ``resource`` by ``school`` for [start, end); checked out, then returned."""

    class Status(models.TextChoices):
        BOOKED = "booked", "Booked"
        OUT = "out", "On loan"
        RETURNED = "returned", "Returned"
        CANCELLED = "cancelled", "Cancelled"

    # A booked or lent item holds its dates; returned and cancelled ones free them.
    HOLDING = (Status.BOOKED, Status.OUT)

    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="loans")
    cluster = models.ForeignKey(
        "clusters.Cluster",
        on_delete=models.PROTECT,
        related_name="loans",
        help_text="The cluster through which the school borrows it.",
    )
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="loans")
    borrower = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="loans",
        help_text="Who at the school has it.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.BOOKED)
    purpose = models.CharField(max_length=300, blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    checked_out_at = models.DateTimeField(null=True, blank=True)
    checked_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    returned_on = models.DateField(null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    return_condition = models.CharField(max_length=15, choices=Condition.choices, blank=True)
    return_notes = models.TextField(blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancel_reason = models.CharField(max_length=300, blank=True)
    reminded_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=False) & models.Q(end__gt=models.F("start")),
                name="loan_end_after_start",
            )
        ]
        # The no-overlap rule on PostgreSQL is the exclusion constraint added by migration
        # 0002 (loan_no_double_booking); it is not declared here because Django would also
        # try to check it in Python on SQLite, which has no date ranges.
        indexes = [models.Index(fields=["resource", "status", "start"])]

    def __str__(self) -> str:
        return f"{self.resource} → {self.school} ({self.span_text})"

    @property
    def due_back(self):
        return self.end

    def is_overdue(self, today) -> bool:
        return self.status == self.Status.OUT and self.end <= today

    @property
    def holds_dates(self) -> bool:
        return self.status in self.HOLDING
