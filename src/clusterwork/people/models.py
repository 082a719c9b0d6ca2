"""People, their sign-in accounts and their dated roles."""

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from clusterwork.core.dated import DatedModel
from clusterwork.core.models import (
    ArchivableModel,
    HashedKeyModel,
    TimeStampedModel,
    WithPage,
    exactly_one_of,
)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("An email address is required to sign in.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A sign-in account. People sign in with their email address."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=150, blank=True)
    is_staff = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Person(WithPage, TimeStampedModel, ArchivableModel):
    """Someone who works in or with the schools; may or may not have an account."""

    full_name = models.CharField(max_length=150)
    email = models.EmailField(blank=True, db_index=True)
    job_title = models.CharField(max_length=120, blank=True)
    school = models.ForeignKey(
        "schools.School", null=True, blank=True, on_delete=models.PROTECT, related_name="people"
    )
    user = models.OneToOneField(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="person"
    )
    history = HistoricalRecords()

    page_url = "person_detail"

    class Meta:
        ordering = ["full_name"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.full_name


class Role(models.TextChoices):
    PROGRAMME_ADMIN = "programme_admin", "Programme admin"
    TRUST_ADMIN = "trust_admin", "Trust admin"
    CLUSTER_COORDINATOR = "cluster_coordinator", "Cluster coordinator"
    HEADTEACHER = "headteacher", "Headteacher"
    SUBJECT_LEADER = "subject_leader", "Subject leader"
    CHAIR_OF_GOVERNORS = "chair_of_governors", "Chair of governors"
    BUSINESS_MANAGER = "business_manager", "School business manager"
    FINANCE_OFFICER = "finance_officer", "Finance officer"
    DEVELOPMENT_MANAGER = "development_manager", "Development manager"
    TRUST_DIRECTOR = "trust_director", "Trust director"
    VIEWER = "viewer", "Viewer"


# Which scope each role may be given for. Viewers may be given any scope.
ROLE_SCOPES: dict[str, set[str]] = {
    Role.PROGRAMME_ADMIN: {"programme"},
    Role.TRUST_ADMIN: {"trust"},
    Role.CLUSTER_COORDINATOR: {"cluster"},
    Role.HEADTEACHER: {"school"},
    Role.SUBJECT_LEADER: {"school", "cluster"},
    Role.CHAIR_OF_GOVERNORS: {"school"},
    # A school's business manager: its claims and what it pays (a lead school's, the
    # cluster's claims). A finance officer keeps a programme's (or a trust's) money; a
    # development manager supports clusters (a programme's caseload, or one cluster).
    Role.BUSINESS_MANAGER: {"school"},
    Role.FINANCE_OFFICER: {"programme", "trust"},
    Role.DEVELOPMENT_MANAGER: {"programme", "cluster"},
    Role.TRUST_DIRECTOR: {"trust"},
    Role.VIEWER: {"programme", "trust", "cluster", "school"},
}

SCOPE_FIELDS = ("programme", "trust", "cluster", "school")


class RoleAssignment(TimeStampedModel, DatedModel):
    """``person`` holds ``role`` for exactly one scope from ``start`` until ``end`` (exclusive).

    Ended assignments are kept, so "who was the subject leader in March?" has an answer.
    """

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="roles")
    role = models.CharField(max_length=30, choices=Role.choices, db_index=True)
    programme = models.ForeignKey(
        "clusters.Programme", null=True, blank=True, on_delete=models.PROTECT, related_name="roles"
    )
    trust = models.ForeignKey(
        "schools.Trust", null=True, blank=True, on_delete=models.PROTECT, related_name="roles"
    )
    cluster = models.ForeignKey(
        "clusters.Cluster", null=True, blank=True, on_delete=models.PROTECT, related_name="roles"
    )
    school = models.ForeignKey(
        "schools.School", null=True, blank=True, on_delete=models.PROTECT, related_name="roles"
    )
    start = models.DateField(default=timezone.localdate)
    note = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start", "role"]
        constraints = [
            models.CheckConstraint(
                condition=exactly_one_of(*SCOPE_FIELDS),
                name="role_assignment_exactly_one_scope",
            ),
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gt=models.F("start")),
                name="role_assignment_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()} of {self.scope}"

    @property
    def scope(self):
        return self.programme or self.trust or self.cluster or self.school

    @property
    def scope_kind(self) -> str:
        for name in SCOPE_FIELDS:
            if getattr(self, f"{name}_id"):
                return name
        return ""


class ApiToken(HashedKeyModel):
    """A personal API token. Only a hash is stored; the key is shown once, when made."""

    KEY_PREFIX = "cw_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=8, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class PersonalDataRequest(models.Model):
    """The log of subject access (export) and erasure requests: who asked for whom, why,
    when, and what came of it. Kept after an erasure (it is the record that it was done)."""

    class Kind(models.TextChoices):
        EXPORT = "export", "Export (subject access)"
        ERASURE = "erasure", "Erasure"

    class Outcome(models.TextChoices):
        DONE = "done", "Done"
        REFUSED = "refused", "Refused"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    reason = models.CharField(max_length=300, blank=True)
    detail = models.TextField(blank=True)  # what was exported/erased, or why it was refused
    counts = models.JSONField(default=dict, blank=True)
    requested_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return (
            f"{self.get_kind_display()} for person {self.person_id}: {self.get_outcome_display()}"
        )


class SignInEvent(models.Model):
    """A sign-in, a failed sign-in or a sign-out, for the audit page and lockout reviews."""

    class Kind(models.TextChoices):
        SIGNED_IN = "signed_in", "Signed in"
        FAILED = "failed", "Failed sign-in"
        SIGNED_OUT = "signed_out", "Signed out"

    kind = models.CharField(max_length=12, choices=Kind.choices, db_index=True)
    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="sign_in_events"
    )
    email = models.CharField(max_length=254, blank=True)  # as typed, for failures
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    method = models.CharField(max_length=30, blank=True)  # password, microsoft, google…
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return (
            f"{self.get_kind_display()}: {self.email or self.user_id} at {self.at:%Y-%m-%d %H:%M}"
        )
