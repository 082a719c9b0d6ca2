"""Shared services and their costs (seed 004): a finance officer, a clerk, admin support, a
shared SENCo… at trust or cluster level, their annual cost shared by the academies; and
inter-school teacher deployments recharged at a day rate plus on-cost.

A service's cost and method are dated ``ServiceTerms``: a change ends one row and starts
the next, so every statement can say which terms applied on which days.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from clusterwork.core.dated import DatedModel
from clusterwork.core.models import ArchivableModel, TimeStampedModel, WithPage


class SharedService(WithPage, TimeStampedModel, ArchivableModel):
    class Kind(models.TextChoices):
        FINANCE_OFFICER = "finance_officer", "Finance officer"
        CLERK = "clerk", "Clerk to the governing bodies"
        ADMIN = "admin", "Administration support"
        SENCO = "senco", "SENCo"
        OTHER = "other", "Other"

    class Provider(models.TextChoices):
        TRUST_CENTRAL = "trust_central", "Trust central team"
        SCHOOL = "school", "A school"
        EXTERNAL = "external", "External provider"

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        AGREED = "agreed", "Agreed"
        ENDED = "ended", "Ended"

    # A trust-level service has no cluster: its cost is shared by every academy in the
    # programme's (the trust's) clusters.
    programme = models.ForeignKey(
        "clusters.Programme", on_delete=models.PROTECT, related_name="shared_services"
    )
    cluster = models.ForeignKey(
        "clusters.Cluster",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="shared_services",
    )
    name = models.CharField(max_length=150)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    description = models.TextField(blank=True)
    provider = models.CharField(max_length=20, choices=Provider.choices)
    provider_school = models.ForeignKey(
        "schools.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    provider_name = models.CharField(max_length=150, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    agreed_on = models.DateField(null=True, blank=True)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    page_url = "sharedservices:service_detail"

    class Meta:
        ordering = ["programme__name", "cluster__name", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(provider="school", provider_school__isnull=False)
                | (~Q(provider="school") & Q(provider_school__isnull=True)),
                name="sharedservice_provider_school_iff_school",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def level(self) -> str:
        return "cluster" if self.cluster_id else "trust"

    @property
    def level_display(self) -> str:
        return f"Cluster: {self.cluster}" if self.cluster_id else "Trust core service"

    @property
    def provider_display(self) -> str:
        if self.provider == self.Provider.SCHOOL and self.provider_school_id:
            return self.provider_school.name
        if self.provider == self.Provider.EXTERNAL and self.provider_name:
            return self.provider_name
        return self.get_provider_display()


class Method(models.TextChoices):
    EQUAL = "equal", "Equally"
    PUPILS = "pupils", "By pupil numbers at a census date"
    PERCENTAGES = "percentages", "By agreed percentages"
    HOURS = "hours", "By hours used"


class ServiceTerms(TimeStampedModel, DatedModel):
    """The annual cost and the way it is shared, from ``start`` until ``end``."""

    service = models.ForeignKey(SharedService, on_delete=models.PROTECT, related_name="terms")
    annual_cost_pence = models.PositiveBigIntegerField()
    method = models.CharField(max_length=12, choices=Method.choices)
    census_date = models.DateField(
        null=True, blank=True, help_text="For a split by pupils: whose pupil numbers count."
    )
    reason = models.CharField(max_length=300, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["service", "start"]
        verbose_name_plural = "service terms"
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gt=models.F("start")),
                name="serviceterms_end_after_start",
            ),
            models.UniqueConstraint(
                fields=["service"], condition=Q(end__isnull=True), name="serviceterms_one_open"
            ),
            models.CheckConstraint(
                condition=~Q(method="pupils") | Q(census_date__isnull=False),
                name="serviceterms_pupils_need_census_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service}: £{self.annual_cost_pence / 100:,.2f} a year, {self.span_text}"


class AgreedShare(TimeStampedModel):
    """One academy's agreed percentage, for terms split by agreed percentages."""

    terms = models.ForeignKey(ServiceTerms, on_delete=models.PROTECT, related_name="shares")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    percent = models.DecimalField(max_digits=6, decimal_places=3)

    class Meta:
        ordering = ["terms", "school__name"]
        constraints = [
            models.UniqueConstraint(fields=["terms", "school"], name="agreedshare_one_per_school"),
            models.CheckConstraint(
                condition=Q(percent__gte=0) & Q(percent__lte=100),
                name="agreedshare_percent_range",
            ),
        ]


class HoursUsed(TimeStampedModel):
    """The hours an academy used a service in an academic year (for splits by hours)."""

    service = models.ForeignKey(SharedService, on_delete=models.PROTECT, related_name="hours")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(help_text="The academic year's first calendar year.")
    hours = models.DecimalField(max_digits=8, decimal_places=2)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["service", "year", "school__name"]
        verbose_name_plural = "hours used"
        constraints = [
            models.UniqueConstraint(
                fields=["service", "school", "year"], name="hoursused_one_per_school_year"
            ),
            models.CheckConstraint(condition=Q(hours__gte=0), name="hoursused_not_negative"),
        ]


class Deployment(WithPage, TimeStampedModel, DatedModel):
    """A teacher deployed from their home school to a host school of the cluster.

    ``start``–``end`` (end exclusive) on every weekday, or on one ``weekday`` only; for a
    whole day or one session. The host pays ``day rate × days × (1 + on-cost)``. A teacher
    cannot be in two places at once: overlapping deployments of one person (same days and
    session) are refused by the service and, on PostgreSQL, by an exclusion constraint.
    """

    class Purpose(models.TextChoices):
        COACHING = "coaching", "Coaching"
        COVER = "cover", "Cover"
        SPECIALIST = "specialist", "Specialist teaching"

    class Session(models.TextChoices):
        FULL_DAY = "full", "Whole day"
        MORNING = "am", "Morning"
        AFTERNOON = "pm", "Afternoon"

    WEEKDAYS = [
        (0, "Mondays"),
        (1, "Tuesdays"),
        (2, "Wednesdays"),
        (3, "Thursdays"),
        (4, "Fridays"),
    ]

    cluster = models.ForeignKey(
        "clusters.Cluster", on_delete=models.PROTECT, related_name="deployments"
    )
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    home_school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    host_school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(max_length=12, choices=Purpose.choices)
    session = models.CharField(max_length=4, choices=Session.choices, default=Session.FULL_DAY)
    weekday = models.PositiveSmallIntegerField(null=True, blank=True, choices=WEEKDAYS)
    day_rate_pence = models.PositiveIntegerField()
    on_cost_percent = models.DecimalField(max_digits=5, decimal_places=2, default=0)
    notes = models.TextField(blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancel_reason = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    page_url = "sharedservices:deployment_detail"

    class Meta:
        ordering = ["-start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=False) & Q(end__gt=models.F("start")),
                name="deployment_end_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(home_school=models.F("host_school")),
                name="deployment_host_is_another_school",
            ),
            models.CheckConstraint(
                condition=Q(weekday__isnull=True) | Q(weekday__lte=4),
                name="deployment_weekday_mon_to_fri",
            ),
        ]
        indexes = [models.Index(fields=["person", "start"])]

    def __str__(self) -> str:
        return f"{self.person} to {self.host_school.name}, {self.span_text}"

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def pattern_text(self) -> str:
        days = dict(self.WEEKDAYS).get(self.weekday, "Every weekday")
        return f"{days}, {self.get_session_display().lower()}"
