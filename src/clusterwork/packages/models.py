"""Support packages: what a programme sells or gives a cluster, agreed vs delivered.

Seed 000 (a school-sport trust): "Our relationship with each cluster is bespoke … Each package
of support is negotiated with the cluster". Its two examples: membership for every school
plus 2 full days of CPD; membership, 10 days of strategic support from the local development
manager, 1 CPD day for all newly qualified teachers and a monitoring and evaluation package.

- ``PackageItem``: the programme's catalogue, each item counted in days, units or per school;
- ``Package``: a cluster's negotiated package over its dates (``DatedModel``), with its
  ``PackageVersion``s (renegotiating adds a version; the old one is kept) and their
  ``PackageLine``s (quantity and price of an item);
- ``Delivery``: the development manager's log of what was delivered (never deleted: a wrong
  entry is withdrawn with a reason);
- ``SchoolMembership``: a school's dated membership of the programme, which is how a
  "per school" membership line is delivered.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from clusterwork.core.dated import DatedModel
from clusterwork.core.models import ArchivableModel, TimeStampedModel, WithPage


class Unit(models.TextChoices):
    DAYS = "days", "Days"
    UNITS = "units", "Units"
    PER_SCHOOL = "per_school", "Per school"


class ItemKind(models.TextChoices):
    MEMBERSHIP = "membership", "Membership"
    CPD_DAY = "cpd_day", "CPD day"
    STRATEGIC_SUPPORT = "strategic_support", "Strategic support day"
    ECT_CPD = "ect_cpd", "ECT/NQT CPD day"
    MONITORING = "monitoring", "Monitoring and evaluation package"
    OTHER = "other", "Other"


class PackageItem(TimeStampedModel, ArchivableModel):
    """One thing in a programme's catalogue, with its unit and list price per unit."""

    programme = models.ForeignKey(
        "clusters.Programme", on_delete=models.PROTECT, related_name="package_items"
    )
    name = models.CharField(max_length=150)
    kind = models.CharField(max_length=20, choices=ItemKind.choices, default=ItemKind.OTHER)
    unit = models.CharField(max_length=12, choices=Unit.choices)
    unit_price_pence = models.PositiveIntegerField(
        default=0, help_text="List price of one unit (a day, a unit, a school), in pence."
    )
    description = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "name"],
                condition=models.Q(archived_at__isnull=True),
                name="package_item_unique_name_in_programme",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_unit_display().lower()})"


class Package(WithPage, TimeStampedModel, DatedModel):
    """A cluster's negotiated package of support from ``start`` until ``end`` (exclusive)."""

    cluster = models.ForeignKey(
        "clusters.Cluster", on_delete=models.PROTECT, related_name="packages"
    )
    programme = models.ForeignKey(
        "clusters.Programme", on_delete=models.PROTECT, related_name="packages"
    )
    title = models.CharField(max_length=200)
    term = models.CharField(max_length=40, help_text="e.g. 2025/26, or 2024–2027")
    development_manager = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="packages_managed",
        help_text="Who delivers it: their caseload.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    page_url = "packages:package_detail"

    class Meta:
        ordering = ["-start", "cluster__name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=False) & models.Q(end__gt=models.F("start")),
                name="package_end_after_start",
            )
        ]
        indexes = [models.Index(fields=["cluster", "start"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.term})"


class PackageVersion(TimeStampedModel):
    """The package as agreed (number 1) or as renegotiated (2, 3, …); none is changed later."""

    package = models.ForeignKey(Package, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField()
    agreed_on = models.DateField(default=timezone.localdate)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["package", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["package", "number"], name="package_version_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.package} v{self.number}"


class PackageLine(models.Model):
    version = models.ForeignKey(PackageVersion, on_delete=models.PROTECT, related_name="lines")
    item = models.ForeignKey(PackageItem, on_delete=models.PROTECT, related_name="lines")
    quantity = models.DecimalField(max_digits=7, decimal_places=1)
    price_pence = models.PositiveIntegerField(help_text="The line's agreed price, in pence.")

    class Meta:
        ordering = ["version", "item__kind", "item__name"]
        constraints = [
            models.UniqueConstraint(fields=["version", "item"], name="package_line_unique_item"),
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="package_line_qty"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.item.name}"


class Delivery(TimeStampedModel):
    """A day (or half day, or unit) of a package delivered, as the development manager logs it."""

    package = models.ForeignKey(Package, on_delete=models.PROTECT, related_name="deliveries")
    item = models.ForeignKey(PackageItem, on_delete=models.PROTECT, related_name="deliveries")
    on = models.DateField()
    amount = models.DecimalField(
        max_digits=5, decimal_places=1, help_text="Days (0.5 for a half day) or units."
    )
    delivered_by = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="deliveries"
    )
    attendees = models.ManyToManyField("people.Person", blank=True, related_name="+")
    attendee_count = models.PositiveIntegerField(null=True, blank=True)
    notes = models.TextField(blank=True)
    event = models.ForeignKey(
        "meetings.Event", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    beyond_agreement = models.BooleanField(
        default=False, help_text="Delivered over what the package agreed (flagged)."
    )
    beyond_reason = models.CharField(max_length=300, blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_reason = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-on", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="delivery_amount_gt_0")
        ]
        indexes = [models.Index(fields=["package", "item"])]

    def __str__(self) -> str:
        return f"{self.amount} {self.item.get_unit_display().lower()} of {self.item.name}"

    @property
    def counts(self) -> bool:
        return self.withdrawn_at is None


class SchoolMembership(TimeStampedModel, DatedModel):
    """A school's membership of the programme (where the programme sells it), dated."""

    programme = models.ForeignKey(
        "clusters.Programme", on_delete=models.PROTECT, related_name="school_memberships"
    )
    school = models.ForeignKey(
        "schools.School", on_delete=models.PROTECT, related_name="programme_memberships"
    )
    package = models.ForeignKey(
        Package,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
        help_text="The package it was sold in, if any.",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "school__name", "-start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gt=models.F("start")),
                name="school_membership_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.school} — member of {self.programme} {self.span_text}"


HALF = Decimal("0.5")
