"""Boards, members, meetings, declarations, votes, decisions, lead heads, LGBs."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from clusterwork.core.dated import DatedModel
from clusterwork.core.models import ArchivableModel, TimeStampedModel, WithPage, exactly_one_of

from .choices import Capacity, Level, Rating, _by

# ----- boards ------------------------------------------------------------------------------


class Board(WithPage, TimeStampedModel, ArchivableModel):
    class Kind(models.TextChoices):
        CLUSTER = "cluster", "Cluster board"
        TRUST = "trust", "Trust board"

    class Quorum(models.TextChoices):
        HALF = "half", "Half of the voting members, rounded up"
        THIRD = "third", "A third of the voting members, rounded up"
        TWO_THIRDS = "two_thirds", "Two thirds of the voting members, rounded up"
        FIXED = "fixed", "A fixed number of voting members"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    cluster = models.OneToOneField(
        "clusters.Cluster", null=True, blank=True, on_delete=models.PROTECT, related_name="board"
    )
    trust = models.OneToOneField(
        "schools.Trust", null=True, blank=True, on_delete=models.PROTECT, related_name="board"
    )
    name = models.CharField(max_length=200)
    quorum_rule = models.CharField(max_length=12, choices=Quorum.choices, default=Quorum.HALF)
    quorum_fixed = models.PositiveSmallIntegerField(null=True, blank=True)
    # Vacancies shown for seats that are not derived from schools.
    trust_director_places = models.PositiveSmallIntegerField(default=1)
    trust_staff_places = models.PositiveSmallIntegerField(default=1)
    associate_places = models.PositiveSmallIntegerField(default=0)
    # Trust board only: inspection outcomes from which a lead headteacher may be appointed.
    eligible_outcomes = models.JSONField(default=list, blank=True)
    created_by = _by("created")
    history = HistoricalRecords()

    page_url = "governance:board_detail"

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=exactly_one_of("cluster", "trust"), name="board_one_body"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_trust_board(self) -> bool:
        return self.kind == self.Kind.TRUST


class BoardMember(TimeStampedModel, DatedModel):
    """A seat held by appointment for a term (heads' and chairs' seats follow roles)."""

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="appointments")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    capacity = models.CharField(max_length=20, choices=Capacity.choices)
    voting = models.BooleanField(default=True)
    school = models.ForeignKey(
        "schools.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)
    appointed_by = _by("appointed")
    history = HistoricalRecords()

    class Meta:
        ordering = ["board", "capacity", "start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gt=models.F("start")),
                name="boardmember_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_capacity_display()}, {self.board})"


class InspectionOutcome(TimeStampedModel):
    """One inspection outcome of a school, as its own row (a school's history of outcomes).
    ``inspected_on`` is empty when the source does not say (school_facts.csv has no dates)."""

    school = models.ForeignKey(
        "schools.School", on_delete=models.PROTECT, related_name="inspection_outcomes"
    )
    rating = models.CharField(max_length=30, choices=Rating.choices)
    inspected_on = models.DateField(null=True, blank=True)
    recorded_on = models.DateField(default=timezone.localdate)
    source = models.CharField(max_length=300, help_text="file (and line) or who recorded it")
    recorded_by = _by("recorded")
    history = HistoricalRecords()

    class Meta:
        ordering = ["school", "-recorded_on", "-id"]
        indexes = [models.Index(fields=["school", "recorded_on"], name="inspection_school_day")]

    def __str__(self) -> str:
        return f"{self.school.name}: {self.rating}"

    @property
    def as_of(self):
        return self.inspected_on or self.recorded_on


class BoardMeeting(WithPage, TimeStampedModel, ArchivableModel):
    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="meetings")
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    location = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    # The meetings app's event behind it, so actions are the meetings app's actions.
    event = models.OneToOneField(
        "meetings.Event", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = _by("created")
    history = HistoricalRecords()

    page_url = "governance:meeting_detail"

    class Meta:
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return f"{self.title} ({timezone.localtime(self.starts_at):%-d %b %Y})"

    @property
    def day(self):
        return timezone.localdate(self.starts_at)


class AgendaItem(TimeStampedModel):
    meeting = models.ForeignKey(BoardMeeting, on_delete=models.PROTECT, related_name="items")
    order = models.PositiveSmallIntegerField(default=1)
    title = models.CharField(max_length=200)
    paper = models.TextField(blank=True, help_text="the paper, or where to find it")
    case = models.ForeignKey(
        "governance.InterventionCase",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agenda_items",
    )
    move = models.ForeignKey(
        "governance.MoveProposal",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agenda_items",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "order", "id"]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"


class Attendance(TimeStampedModel):
    class Status(models.TextChoices):
        PRESENT = "present", "Present"
        REMOTE = "remote", "Present (remote)"
        APOLOGIES = "apologies", "Apologies"
        ABSENT = "absent", "Absent"

    meeting = models.ForeignKey(BoardMeeting, on_delete=models.PROTECT, related_name="attendance")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices)
    recorded_by = _by("recorded")
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "person__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="attendance_once")
        ]

    @property
    def is_present(self) -> bool:
        return self.status in (self.Status.PRESENT, self.Status.REMOTE)


class InterestRegister(TimeStampedModel):
    """A member's annual declaration of interests, re-confirmed each academic year."""

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="registers")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    academic_year = models.PositiveSmallIntegerField(help_text="the year it starts, e.g. 2025")
    interests = models.TextField(blank=True)
    confirmed_on = models.DateField(default=timezone.localdate)
    recorded_by = _by("recorded")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-academic_year", "person__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["board", "person", "academic_year"], name="register_once_a_year"
            )
        ]


class ItemDeclaration(TimeStampedModel):
    """A declared interest in one agenda item: the person is out of its vote and quorum."""

    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="declarations")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    interest = models.CharField(max_length=300)
    recorded_by = _by("recorded")
    history = HistoricalRecords()

    class Meta:
        ordering = ["item", "id"]
        constraints = [models.UniqueConstraint(fields=["item", "person"], name="declaration_once")]


class Motion(TimeStampedModel):
    class Mode(models.TextChoices):
        NAMED = "named", "Named votes"
        COUNTED = "counted", "Counted (show of hands)"

    class Outcome(models.TextChoices):
        OPEN = "open", "Open"
        CARRIED = "carried", "Carried"
        LOST = "lost", "Lost"

    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="motions")
    text = models.TextField()
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.NAMED)
    counted_for = models.PositiveSmallIntegerField(default=0)
    counted_against = models.PositiveSmallIntegerField(default=0)
    counted_abstain = models.PositiveSmallIntegerField(default=0)
    casting_vote = models.CharField(max_length=10, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.OPEN)
    # What a carried motion decides about (the scheme's area, a claim, a service, a move).
    area = models.ForeignKey(
        "governance.DecisionArea",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    subject_key = models.CharField(max_length=100, blank=True)
    school = models.ForeignKey(
        "schools.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    proposed_by = _by("proposed")
    history = HistoricalRecords()

    class Meta:
        ordering = ["item", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class Vote(TimeStampedModel):
    class Choice(models.TextChoices):
        FOR = "for", "For"
        AGAINST = "against", "Against"
        ABSTAIN = "abstain", "Abstain"

    motion = models.ForeignKey(Motion, on_delete=models.PROTECT, related_name="votes")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(max_length=10, choices=Choice.choices)
    recorded_by = _by("recorded")
    history = HistoricalRecords()

    class Meta:
        ordering = ["motion", "id"]
        constraints = [models.UniqueConstraint(fields=["motion", "person"], name="vote_once")]


class Decision(WithPage, TimeStampedModel):
    """What a board decided: from a carried motion, or recorded from a meeting held elsewhere
    (the trust directors' written resolution). Gates and move proposals look for these."""

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="decisions")
    motion = models.OneToOneField(
        Motion, null=True, blank=True, on_delete=models.PROTECT, related_name="decision"
    )
    text = models.TextField()
    decided_on = models.DateField()
    # The level that took it (the board itself, or a committee or LGB reporting to it).
    level = models.CharField(max_length=20, choices=Level.choices)
    area = models.ForeignKey(
        "governance.DecisionArea",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    school = models.ForeignKey(
        "schools.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # "<app_label>.<model>:<pk>" of what it decides (a claim, a service, a move proposal).
    subject_key = models.CharField(max_length=100, blank=True, db_index=True)
    recorded_by = _by("recorded")
    history = HistoricalRecords()

    page_url = "governance:decision_detail"

    class Meta:
        ordering = ["-decided_on", "-id"]

    def __str__(self) -> str:
        return f"{self.board}: {self.text[:80]}"


class LeadHeadAppointment(TimeStampedModel, DatedModel):
    cluster = models.ForeignKey(
        "clusters.Cluster", on_delete=models.PROTECT, related_name="lead_heads"
    )
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="+")
    outcome_at_appointment = models.CharField(max_length=30, blank=True)
    override_reason = models.CharField(max_length=500, blank=True)
    appointed_by = _by("appointed")
    history = HistoricalRecords()

    class Meta:
        ordering = ["cluster", "-start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gt=models.F("start")),
                name="leadhead_end_after_start",
            )
        ]


class LgbArrangement(TimeStampedModel, DatedModel):
    """How a cluster's academies are governed locally: one LGB each, or one for the cluster
    (only when every academy's agreement is recorded)."""

    class Mode(models.TextChoices):
        PER_ACADEMY = "per_academy", "One LGB per academy"
        PER_CLUSTER = "per_cluster", "One LGB for the cluster"

    cluster = models.ForeignKey("clusters.Cluster", on_delete=models.PROTECT, related_name="+")
    mode = models.CharField(max_length=12, choices=Mode.choices)
    decided_by = _by("decided")
    history = HistoricalRecords()

    class Meta:
        ordering = ["cluster", "-start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gt=models.F("start")),
                name="lgb_end_after_start",
            )
        ]


class LgbAgreement(TimeStampedModel):
    cluster = models.ForeignKey("clusters.Cluster", on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    agreed_on = models.DateField()
    note = models.CharField(max_length=300, blank=True)
    recorded_by = _by("recorded")
    history = HistoricalRecords()

    class Meta:
        ordering = ["cluster", "school__name"]
        constraints = [
            models.UniqueConstraint(fields=["cluster", "school"], name="lgb_agreement_once")
        ]
