"""Choices shared by the governance models."""

from __future__ import annotations

from django.conf import settings
from django.db import models

USER = settings.AUTH_USER_MODEL


def _by(verb: str):
    return models.ForeignKey(
        USER,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=f"who {verb} it",
    )


class Capacity(models.TextChoices):
    HEAD = "head", "Headteacher"
    CHAIR = "chair", "Chair of governors"
    TRUST_DIRECTOR = "trust_director", "Trust director (ex officio)"
    TRUST_STAFF = "trust_staff", "Trust staff (nominated)"
    ASSOCIATE = "associate", "Associate member"
    CLUSTER_LEAD = "cluster_lead", "Cluster lead"
    CLERK = "clerk", "Clerk"


# Who votes unless the seat says otherwise.
VOTING_BY_DEFAULT = {
    Capacity.HEAD: True,
    Capacity.CHAIR: True,
    Capacity.TRUST_DIRECTOR: True,
    Capacity.TRUST_STAFF: True,
    Capacity.ASSOCIATE: False,
    Capacity.CLUSTER_LEAD: False,
    Capacity.CLERK: False,
}


class Level(models.TextChoices):
    """Where a decision can sit in a trust (the columns of the scheme of delegation)."""

    MEMBERS = "members", "Members"
    TRUST_BOARD = "trust_board", "Trust board"
    COMMITTEE = "committee", "Committee"
    CLUSTER_BOARD = "cluster_board", "Cluster board"
    LGB = "lgb", "Local governing body"
    CEO = "ceo", "CEO / central team"
    HEADTEACHER = "headteacher", "Headteacher"


# Levels that decide as a body, at a meeting, with a recorded decision.
BOARD_LEVELS = {Level.MEMBERS, Level.TRUST_BOARD, Level.COMMITTEE, Level.CLUSTER_BOARD, Level.LGB}


class Code(models.TextChoices):
    DECIDES = "D", "Decides"
    RECOMMENDS = "R", "Recommends"
    ADVISES = "A", "Advises"
    MONITORS = "M", "Monitors"
    INFORMED = "I", "Informed"


class Rating(models.TextChoices):
    """GIAS ``OfstedRating (name)`` values (the single-word grades given before September
    2024), and a report card without an overall grade after it."""

    OUTSTANDING = "Outstanding"
    GOOD = "Good"
    REQUIRES_IMPROVEMENT = "Requires improvement"
    SERIOUS_WEAKNESSES = "Serious Weaknesses"
    SPECIAL_MEASURES = "Special Measures"
    NO_OVERALL_GRADE = "No overall grade", "Report card (no overall grade)"


# A number for each outcome so triggers can compare them (lower is better, like Ofsted's 1-4).
RATING_SCORES = {
    Rating.OUTSTANDING: 1,
    Rating.GOOD: 2,
    Rating.REQUIRES_IMPROVEMENT: 3,
    Rating.SERIOUS_WEAKNESSES: 4,
    Rating.SPECIAL_MEASURES: 4,
}
DEFAULT_ELIGIBLE = [Rating.OUTSTANDING.value, Rating.GOOD.value]
