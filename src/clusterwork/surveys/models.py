"""Self-assessment questionnaires, sent to subject leaders in rounds (seed 001, Cluster C:
"each subject leader completed a self-awareness questionnaire and identified which areas they
needed support with … we used some of the cluster meeting time for this shared need")."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from clusterwork.core.models import ArchivableModel, TimeStampedModel, WithPage

# Fewer respondents than this and no result is shown beyond a school's own staff.
MIN_RESPONDENTS = 3


class Questionnaire(WithPage, TimeStampedModel, ArchivableModel):
    programme = models.ForeignKey(
        "clusters.Programme", on_delete=models.PROTECT, related_name="questionnaires"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    history = HistoricalRecords()

    page_url = "questionnaire_detail"

    class Meta:
        ordering = ["programme", "title"]

    def __str__(self) -> str:
        return self.title


class Area(TimeStampedModel):
    """A group of questions, e.g. planning, assessment, practical work, subject leadership."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="areas")
    name = models.CharField(max_length=120)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["questionnaire", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "name"], name="area_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Question(TimeStampedModel):
    class Kind(models.TextChoices):
        RATING = "rating", "Rating scale"
        CHOICE = "choice", "Multiple choice"
        TEXT = "text", "Free text"

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="questions"
    )
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="questions")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=300)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    scale_min = models.PositiveSmallIntegerField(default=1)
    scale_max = models.PositiveSmallIntegerField(default=5)
    low_label = models.CharField(max_length=60, blank=True, default="Need a lot of support")
    high_label = models.CharField(
        max_length=60, blank=True, default="Confident, could support others"
    )
    needs_support_at_or_below = models.PositiveSmallIntegerField(
        default=2, help_text="A rating at or below this means the school wants support here."
    )
    choices = models.JSONField(default=list, blank=True)
    required = models.BooleanField(default=True)

    class Meta:
        ordering = ["questionnaire", "area__order", "order", "id"]

    def __str__(self) -> str:
        return self.text


class Round(WithPage, TimeStampedModel):
    """One sending of a questionnaire to subject leaders, with a deadline."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="rounds"
    )
    cluster = models.ForeignKey(
        "clusters.Cluster",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty: every cluster of the programme.",
    )
    title = models.CharField(max_length=200)
    opens_on = models.DateField()
    deadline = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    last_reminder_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    page_url = "round_detail"

    class Meta:
        ordering = ["-opens_on", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def programme(self):
        return self.questionnaire.programme


class Response(TimeStampedModel):
    """A subject leader's return for one round: invited, then submitted (or not)."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="responses")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    cluster = models.ForeignKey("clusters.Cluster", on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["round", "school__name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "person"], name="response_one_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.person} for {self.round}"


class Answer(TimeStampedModel):
    response = models.ForeignKey(Response, on_delete=models.PROTECT, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    choice = models.CharField(max_length=200, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="answer_one_per_question")
        ]
