"""The school directory: establishments, their local authorities and trusts (from GIAS)."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from clusterwork.core.models import ArchivableModel, TimeStampedModel, WithPage


class LocalAuthority(TimeStampedModel):
    code = models.CharField(max_length=3, blank=True, help_text="GIAS 'LA (code)', e.g. 936")
    name = models.CharField(max_length=120, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "local authorities"

    def __str__(self) -> str:
        return self.name


class Trust(WithPage, TimeStampedModel, ArchivableModel):
    """A multi-academy trust, single-academy trust, federation or other group of schools."""

    class Kind(models.TextChoices):
        MULTI_ACADEMY_TRUST = "mat", "Multi-academy trust"
        SINGLE_ACADEMY_TRUST = "sat", "Single-academy trust"
        FEDERATION = "federation", "Federation"
        OTHER = "other", "Other group"

    name = models.CharField(max_length=200)
    gias_code = models.CharField(
        max_length=20, blank=True, help_text="GIAS 'Trusts (code)' (group UID), when known"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.MULTI_ACADEMY_TRUST)
    companies_house_number = models.CharField(max_length=20, blank=True)
    history = HistoricalRecords()

    page_url = "trust_detail"

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["gias_code"],
                condition=~models.Q(gias_code=""),
                name="trust_unique_gias_code",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Phase(models.TextChoices):
    """GIAS 'PhaseOfEducation (name)' values, spelled as GIAS spells them."""

    NOT_APPLICABLE = "Not applicable"
    NURSERY = "Nursery"
    PRIMARY = "Primary"
    MIDDLE_DEEMED_PRIMARY = "Middle deemed primary"
    SECONDARY = "Secondary"
    MIDDLE_DEEMED_SECONDARY = "Middle deemed secondary"
    SIXTEEN_PLUS = "16 plus"
    ALL_THROUGH = "All-through"


class School(WithPage, TimeStampedModel):
    """One establishment. The URN is the natural key that every import matches on."""

    urn = models.PositiveIntegerField(unique=True, verbose_name="URN")
    name = models.CharField(max_length=200, db_index=True)
    establishment_type = models.CharField(max_length=120, blank=True)
    phase = models.CharField(max_length=40, choices=Phase.choices, blank=True, db_index=True)
    status = models.CharField(max_length=60, blank=True, db_index=True)
    local_authority = models.ForeignKey(
        LocalAuthority, null=True, blank=True, on_delete=models.PROTECT, related_name="schools"
    )
    trust = models.ForeignKey(
        Trust, null=True, blank=True, on_delete=models.PROTECT, related_name="schools"
    )
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True, db_index=True)
    # British National Grid metres (EPSG:27700) as GIAS publishes them, and WGS84 for maps.
    easting = models.IntegerField(null=True, blank=True)
    northing = models.IntegerField(null=True, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    number_of_pupils = models.PositiveIntegerField(null=True, blank=True)
    statutory_low_age = models.PositiveSmallIntegerField(null=True, blank=True)
    statutory_high_age = models.PositiveSmallIntegerField(null=True, blank=True)
    gender = models.CharField(max_length=20, blank=True)
    ofsted_rating = models.CharField(max_length=60, blank=True)
    ofsted_date = models.DateField(null=True, blank=True)
    open_date = models.DateField(null=True, blank=True)
    close_date = models.DateField(null=True, blank=True)
    website = models.URLField(blank=True)
    last_import = models.ForeignKey(
        "schools.GiasImport", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["last_import", "updated_at"])

    page_url = "school_detail"
    page_key = "urn"

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["local_authority", "phase"]),
            # The directory lists by name (URN breaks ties) and is most often filtered by
            # phase: these let both databases read a page straight from an index, not sort all.
            models.Index(fields=["name", "urn"], name="school_name_urn_idx"),
            models.Index(fields=["phase", "name", "urn"], name="school_phase_name_urn_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.urn})"

    @property
    def is_open(self) -> bool:
        return self.status.startswith("Open")

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class GiasImport(TimeStampedModel):
    """One run of ``clusterwork import-gias``: what file, who, and what it changed."""

    source_name = models.CharField(max_length=300)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    only_open = models.BooleanField(default=False)
    rows_read = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    rejects_path = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"GIAS import {self.source_name} at {self.created_at:%Y-%m-%d %H:%M}"
