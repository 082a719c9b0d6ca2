"""Rows that hold for a span of days: memberships, roles, and every dated row that follows
(board terms, budget years, loans, deployments).

A dated row holds from ``start`` (inclusive) until ``end`` (exclusive); no ``end`` means it
still holds. Ending a row sets ``end``; nothing is deleted, so "who held this on 1 March?"
always has an answer. The rule is written once here, as ``Q`` objects that also work across a
relation (``in_force(day, prefix="memberships__")``), so lists, counts and checks agree.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils import timezone

from .dates import day_text


def in_force(day: dt.date, prefix: str = "") -> Q:
    """Rows in force on ``day``: start ≤ day and (no end or end > day)."""
    return Q(**{f"{prefix}start__lte": day}) & (
        Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gt": day})
    )


def overlap(start: dt.date, end: dt.date | None = None, prefix: str = "") -> Q:
    """Rows whose span meets [start, end) (``end`` None: open-ended)."""
    condition = Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gt": start})
    if end is not None:
        condition &= Q(**{f"{prefix}start__lt": end})
    return condition


class DatedQuerySet(models.QuerySet):
    def on(self, day: dt.date):
        """The rows in force on ``day``."""
        return self.filter(in_force(day))

    def current(self, on: dt.date | None = None):
        """The rows in force today (or on ``on``)."""
        return self.on(on or timezone.localdate())

    def overlapping(self, start: dt.date, end: dt.date | None = None):
        """The rows in force on at least one day of [start, end)."""
        return self.filter(overlap(start, end))

    def open(self):
        """The rows with no end yet (they may start in the future)."""
        return self.filter(end__isnull=True)


class DatedModel(models.Model):
    """``start`` (inclusive) and ``end`` (exclusive, empty while the row still holds).

    Subclasses keep their own check constraint that ``end`` comes after ``start``, named for
    their table, and may redefine ``start`` with a default.
    """

    start = models.DateField()
    end = models.DateField(null=True, blank=True)

    objects = DatedQuerySet.as_manager()

    class Meta:
        abstract = True

    def is_current(self, on: dt.date | None = None) -> bool:
        day = on or timezone.localdate()
        return self.start <= day and (self.end is None or self.end > day)

    def overlaps(self, start: dt.date, end: dt.date | None = None) -> bool:
        ends_after_start = self.end is None or self.end > start
        starts_before_end = end is None or self.start < end
        return ends_after_start and starts_before_end

    @property
    def span_text(self) -> str:
        """“from 1 Sep 2024” or “1 Sep 2024 – 31 Aug 2025” (the end day is the first day out)."""
        if self.end is None:
            return f"from {day_text(self.start)}"
        return f"{day_text(self.start)} – {day_text(self.end)}"


def check_span(start: dt.date, end: dt.date | None, *, field: str = "end") -> None:
    """Refuse a span that ends on or before it starts, in the words services use."""
    from .errors import ServiceError

    if end is not None and end <= start:
        raise ServiceError(
            f"The end date must be after the start date {day_text(start)}.", field=field
        )
