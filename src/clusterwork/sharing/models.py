"""Sharing practice across schools: the cluster's library, discussion between meetings, peer
coaching across schools, and partners beyond the cluster.

Nothing here is deleted: items and threads are archived, posts withdrawn (their text kept in
the history), coaching ended, partners archived.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from clusterwork.core.dated import DatedModel
from clusterwork.core.models import ArchivableModel, TimeStampedModel, WithPage
from clusterwork.core.uploads import DOCUMENT, PrivateStorage


class Audience(models.TextChoices):
    CLUSTER = "cluster", "The cluster"
    PROGRAMME = "programme", "The whole programme"
    SIGNED_IN = "signed_in", "Everyone signed in to Clusterwork"


class Subject(models.TextChoices):
    SCIENCE = "science", "Science"
    MATHS = "maths", "Mathematics"
    ENGLISH = "english", "English and literacy"
    PE = "pe", "PE and school sport"
    COMPUTING = "computing", "Computing"
    HUMANITIES = "humanities", "History and geography"
    ARTS = "arts", "Art, music and design"
    LANGUAGES = "languages", "Languages"
    PSHE = "pshe", "PSHE and wellbeing"
    SEND = "send", "SEND and inclusion"
    LEADERSHIP = "leadership", "Leadership and management"
    CROSS = "cross", "Cross-curricular"


class KeyStage(models.TextChoices):
    EYFS = "eyfs", "Early years"
    KS1 = "ks1", "Key stage 1"
    KS2 = "ks2", "Key stage 2"
    KS3 = "ks3", "Key stage 3"
    KS4 = "ks4", "Key stage 4"
    POST16 = "post16", "Post-16"
    ALL = "all", "All phases"


class Tag(TimeStampedModel):
    """A programme's own label: an initiative, a national event, a scheme (``Chain Reaction``,
    ``British Science Week``). Shared by every cluster of the programme."""

    programme = models.ForeignKey(
        "clusters.Programme", on_delete=models.PROTECT, related_name="sharing_tags"
    )
    name = models.CharField(max_length=60)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="sharing_tag_unique")
        ]

    def __str__(self) -> str:
        return self.name


class LibraryItem(WithPage, TimeStampedModel, ArchivableModel):
    """An idea, a lesson, an audit template, a project's write-up: a file, a link or a short
    write-up, kept by one cluster and seen by the audience its owner chose."""

    class Kind(models.TextChoices):
        FILE = "file", "File"
        LINK = "link", "Link"
        WRITEUP = "writeup", "Short write-up"

    cluster = models.ForeignKey(
        "clusters.Cluster", on_delete=models.PROTECT, related_name="library_items"
    )
    # The cluster's programme, kept on the row so programme-wide lists filter without joins.
    programme = models.ForeignKey(
        "clusters.Programme", on_delete=models.PROTECT, related_name="library_items"
    )
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True, help_text="What it is and how you used it.")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    subject = models.CharField(max_length=20, choices=Subject.choices)
    key_stage = models.CharField(max_length=10, choices=KeyStage.choices)
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.CLUSTER)
    goal = models.ForeignKey(
        "goals.Goal", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    project = models.ForeignKey(
        "goals.Project", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="items")
    author = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    school = models.ForeignKey(
        "schools.School",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The school it was shared from.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])

    page_url = "sharing:item_detail"

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


def _upload_to(version, filename: str) -> str:
    return f"sharing/{timezone.now():%Y/%m}/{filename}"


class ItemVersion(TimeStampedModel):
    """One version of an item: its file, link or text. The newest is the current one; older
    ones stay downloadable from the item's page."""

    item = models.ForeignKey(LibraryItem, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    file = models.FileField(
        storage=PrivateStorage(), upload_to=_upload_to, validators=[DOCUMENT], blank=True
    )
    original_name = models.CharField(max_length=200, blank=True)
    size_bytes = models.PositiveIntegerField(null=True, blank=True)
    url = models.URLField(blank=True)
    body = models.TextField(blank=True)
    note = models.CharField(max_length=300, blank=True, help_text="What changed.")
    author = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="sharing_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.item} v{self.number}"


class ItemUse(TimeStampedModel):
    """ "Used in my school": a school marks an item it has used (once per school)."""

    item = models.ForeignKey(LibraryItem, on_delete=models.PROTECT, related_name="uses")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    on = models.DateField(default=timezone.localdate)
    note = models.CharField(max_length=300, blank=True, help_text="How it went, briefly.")
    marked_by = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "school"], name="sharing_use_once_per_school")
        ]


class Thread(WithPage, TimeStampedModel, ArchivableModel):
    """A discussion between meetings: a cluster's (``cluster`` set), or a programme's for its
    coordinators (``cluster`` empty). Archiving closes it to replies; it stays readable."""

    programme = models.ForeignKey(
        "clusters.Programme", on_delete=models.PROTECT, related_name="sharing_threads"
    )
    cluster = models.ForeignKey(
        "clusters.Cluster",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sharing_threads",
    )
    title = models.CharField(max_length=200)
    pinned_at = models.DateTimeField(null=True, blank=True)
    pinned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    last_post_at = models.DateTimeField(default=timezone.now, db_index=True)
    started_by = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["updated_at", "last_post_at"])

    page_url = "sharing:thread_detail"

    class Meta:
        ordering = [models.F("pinned_at").desc(nulls_last=True), "-last_post_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_pinned(self) -> bool:
        return self.pinned_at is not None

    @property
    def where(self):
        return self.cluster or self.programme


class Post(TimeStampedModel):
    """A message in a thread (the first one opens it). Withdrawn, never deleted: the page
    shows that it was withdrawn, the history keeps what it said."""

    thread = models.ForeignKey(Thread, on_delete=models.PROTECT, related_name="posts")
    body = models.TextField()
    items = models.ManyToManyField(LibraryItem, blank=True, related_name="posts")
    mentions = models.ManyToManyField("people.Person", blank=True, related_name="+")
    author = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    school = models.ForeignKey(
        "schools.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_reason = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Post {self.pk} in {self.thread}"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class ThreadFollow(TimeStampedModel):
    """Someone follows a thread (they started it or posted in it), or has muted it."""

    thread = models.ForeignKey(Thread, on_delete=models.PROTECT, related_name="follows")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sharing_follows"
    )
    muted = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["thread", "user"], name="sharing_follow_unique")
        ]


class NotificationSettings(TimeStampedModel):
    """What someone wants by email; in-product notifications are always kept."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sharing_settings"
    )
    email_replies = models.BooleanField(
        default=True, help_text="Email me replies in threads I follow."
    )
    email_mentions = models.BooleanField(default=True, help_text="Email me when I am mentioned.")
    email_new_threads = models.BooleanField(
        default=False, help_text="Email me when a new thread starts in my clusters."
    )


class Notification(TimeStampedModel):
    class Kind(models.TextChoices):
        REPLY = "reply", "New reply"
        MENTION = "mention", "You were mentioned"
        NEW_THREAD = "new_thread", "New thread"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sharing_notifications"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="notifications")
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]


class Coaching(WithPage, TimeStampedModel, DatedModel):
    """A coaching pair or triad across the cluster's schools, from ``start`` to ``end``
    (exclusive; open while it runs). Ending it sets ``end``; nothing is deleted."""

    cluster = models.ForeignKey(
        "clusters.Cluster", on_delete=models.PROTECT, related_name="coachings"
    )
    focus = models.CharField(max_length=200, help_text="What the coaching is about.")
    arranged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])

    page_url = "sharing:coaching_detail"

    class Meta:
        ordering = ["-start", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gt=models.F("start")),
                name="sharing_coaching_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.focus


class CoachingMember(TimeStampedModel):
    class Part(models.TextChoices):
        COACH = "coach", "Coach"
        COACHEE = "coachee", "Coachee"

    coaching = models.ForeignKey(Coaching, on_delete=models.PROTECT, related_name="members")
    # Empty once the person's data has been erased: the coaching still counts.
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    part = models.CharField(max_length=10, choices=Part.choices)

    class Meta:
        ordering = ["part", "id"]


class CoachingSession(TimeStampedModel):
    """A session: its date is seen by those who may see the coaching; its note and follow-up
    only by the coach and coachees."""

    coaching = models.ForeignKey(Coaching, on_delete=models.PROTECT, related_name="sessions")
    on = models.DateField()
    note = models.TextField(blank=True)
    follow_up = models.CharField(max_length=300, blank=True)
    logged_by = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-on", "-id"]


class Partner(WithPage, TimeStampedModel, ArchivableModel):
    """An organisation beyond the cluster: a university, a business, a local authority, a
    learned society, a STEM ambassador network. A cluster's (``cluster`` set) or the
    programme's."""

    class Kind(models.TextChoices):
        UNIVERSITY = "university", "University"
        BUSINESS = "business", "Business"
        LOCAL_AUTHORITY = "local_authority", "Local authority"
        SOCIETY = "society", "Learned society"
        STEM = "stem", "STEM ambassadors"
        MUSEUM = "museum", "Museum or science centre"
        CHARITY = "charity", "Charity or community group"
        OTHER = "other", "Other"

    programme = models.ForeignKey(
        "clusters.Programme", on_delete=models.PROTECT, related_name="sharing_partners"
    )
    cluster = models.ForeignKey(
        "clusters.Cluster",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sharing_partners",
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    website = models.URLField(blank=True)
    contact = models.CharField(
        max_length=200, blank=True, help_text="An office or team address, e.g. outreach@…"
    )
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])

    page_url = "sharing:partner_detail"

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def where(self):
        return self.cluster or self.programme


class PartnerActivity(TimeStampedModel):
    """What was done with a partner, and when; linked to a project or an achievement."""

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="activities")
    on = models.DateField()
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    cluster = models.ForeignKey(
        "clusters.Cluster", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    project = models.ForeignKey(
        "goals.Project", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    achievement = models.ForeignKey(
        "goals.Achievement", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-on", "-id"]
