"""Meetings and other events, who was invited, who came, the actions agreed, and the
engagement follow-up that coordinators send to headteachers."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from clusterwork.core.models import ArchivableModel, HashedKeyModel, TimeStampedModel, WithPage


class EventKind(models.TextChoices):
    MEETING = "meeting", "Cluster meeting"
    CPD = "cpd", "CPD session"
    SUB_GROUP = "sub_group", "Sub-group session"
    SCHOOL_VISIT = "school_visit", "School visit"
    NETWORKING = "networking", "Programme networking event"


class Mode(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    ONLINE = "online", "Online"
    HYBRID = "hybrid", "In person and online"


class Event(WithPage, TimeStampedModel, ArchivableModel):
    """A cluster meeting, CPD, sub-group or visit (``cluster`` set), or a programme-wide
    event for every coordinator (``cluster`` empty). ``programme`` is always set so both
    kinds are scoped the same way. Cancelling archives the event."""

    kind = models.CharField(max_length=20, choices=EventKind.choices, default=EventKind.MEETING)
    title = models.CharField(max_length=200)
    programme = models.ForeignKey(
        "clusters.Programme", on_delete=models.PROTECT, related_name="events"
    )
    cluster = models.ForeignKey(
        "clusters.Cluster", null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    mode = models.CharField(max_length=20, choices=Mode.choices, default=Mode.IN_PERSON)
    host_school = models.ForeignKey(
        "schools.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    location = models.CharField(max_length=300, blank=True)
    online_link = models.URLField(max_length=500, blank=True)
    agenda = models.TextField(blank=True)
    minutes = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    page_url = "meetings:event_detail"

    class Meta:
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="event_ends_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["cluster", "kind", "starts_at"], name="event_cluster_kind_start"),
            models.Index(fields=["programme", "starts_at"], name="event_programme_start"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({timezone.localtime(self.starts_at):%-d %b %Y})"

    @property
    def is_programme_event(self) -> bool:
        return self.cluster_id is None

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def scope_name(self) -> str:
        return str(self.cluster or self.programme)


class Rsvp(models.TextChoices):
    PENDING = "pending", "No reply yet"
    YES = "yes", "Yes"
    NO = "no", "No"
    MAYBE = "maybe", "Maybe"


class Attendance(models.TextChoices):
    UNKNOWN = "", "Not recorded"
    ATTENDED = "attended", "Attended"
    APOLOGIES = "apologies", "Apologies"
    ABSENT = "absent", "Absent"
    SUBSTITUTE = "substitute", "Substitute sent"


# A school "came" to a meeting when its invitee attended or sent someone in their place.
PRESENT = (Attendance.ATTENDED, Attendance.SUBSTITUTE)


class Invitation(TimeStampedModel):
    """``person`` is invited to ``event`` on behalf of ``school`` (fixed at invitation time, so
    attendance per school survives the person later moving school or role)."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="invitations")
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="invitations"
    )
    school = models.ForeignKey(
        "schools.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    invited_as = models.CharField(
        max_length=30, blank=True, help_text="The role that put this person on the list, if any."
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rsvp = models.CharField(max_length=10, choices=Rsvp.choices, default=Rsvp.PENDING)
    rsvp_at = models.DateTimeField(null=True, blank=True)
    attendance = models.CharField(max_length=12, choices=Attendance.choices, blank=True)
    substitute = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    substitute_name = models.CharField(
        max_length=150, blank=True, help_text="Who came instead, when they are not in Clusterwork."
    )
    attendance_recorded_at = models.DateTimeField(null=True, blank=True)
    attendance_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    emailed_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["emailed_at", "reminded_at", "updated_at"])

    class Meta:
        ordering = ["school__name", "person__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["event", "person"], name="invitation_once_per_event"),
        ]
        indexes = [
            models.Index(fields=["event", "school"], name="invitation_event_school"),
            # The engagement list only asks "who came"; this keeps that lookup index-only.
            models.Index(
                fields=["event", "school"],
                condition=models.Q(attendance__in=["attended", "substitute"]),
                name="invitation_present",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} to {self.event}"

    @property
    def invited_as_label(self) -> str:
        from clusterwork.people.models import Role

        return Role(self.invited_as).label if self.invited_as in Role.values else self.invited_as

    @property
    def substitute_label(self) -> str:
        return str(self.substitute) if self.substitute_id else self.substitute_name


class Action(TimeStampedModel):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="actions")
    description = models.CharField(max_length=500)
    owner = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="actions")
    due = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    completed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["status", "due", "pk"]

    def __str__(self) -> str:
        return self.description

    @property
    def is_overdue(self) -> bool:
        return (
            self.status == self.Status.OPEN
            and self.due is not None
            and (self.due < timezone.localdate())
        )


class EngagementPolicy(TimeStampedModel):
    """When a school is flagged: it cannot reach ``min_attended`` of the cluster's last
    ``window`` meetings any more. Programmes without a policy use the defaults (4 and 2)."""

    DEFAULT_WINDOW = 4
    DEFAULT_MIN_ATTENDED = 2

    programme = models.OneToOneField(
        "clusters.Programme", on_delete=models.PROTECT, related_name="engagement_policy"
    )
    window = models.PositiveSmallIntegerField(default=DEFAULT_WINDOW)
    min_attended = models.PositiveSmallIntegerField(default=DEFAULT_MIN_ATTENDED)
    email_template = models.TextField(
        blank=True, help_text="The prepared email to a headteacher; blank uses the standard text."
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "engagement policies"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(window__gte=1, window__lte=24)
                & models.Q(min_attended__lte=models.F("window")),
                name="engagement_policy_bounds",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme}: at least {self.min_attended} of the last {self.window} meetings"


class EngagementEmail(TimeStampedModel):
    """An email about a school's participation, as sent: who, when, to whom, what."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    cluster = models.ForeignKey(
        "clusters.Cluster", on_delete=models.PROTECT, related_name="engagement_emails"
    )
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    to_person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_email = models.EmailField()
    subject = models.CharField(max_length=200)
    body = models.TextField()
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.subject} to {self.to_email}"


class CalendarFeedToken(HashedKeyModel):
    """The secret in a calendar feed URL (calendar apps cannot sign in). Only its hash is
    stored; the URL is shown once. Revoking stops every feed URL made with it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_tokens"
    )
    prefix = models.CharField(max_length=8)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Calendar feed {self.prefix}…"
