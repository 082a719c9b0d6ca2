"""Nudges: before a funding year ends, each coordinator of a cluster at risk of underspending
gets an email with the figures — what is left, on which lines, how many days remain. Sent once
per budget, coordinator and threshold (60 and 30 days before the end by default), so a daily
run repeats nothing."""

from __future__ import annotations

import datetime as dt

from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from clusterwork.core.dates import day_text
from clusterwork.core.money import pounds
from clusterwork.core.tasks import task
from clusterwork.people.models import Role, RoleAssignment

from .models import Budget, Nudge
from .selectors import Outlook, forecast

THRESHOLDS = (60, 30)


def nudge_text(outlook, person) -> tuple[str, str]:
    budget = outlook.budget
    lines = [line for line in budget.lines.all() if line.available_pence > 0]
    body = [
        f"Dear {person.full_name},",
        "",
        f"{budget.cluster.name} has {pounds(outlook.totals.available)} of its Year {budget.year} "
        f"budget ({pounds(outlook.totals.allocated)}) still to spend, and the year ends on "
        f"{day_text(budget.end - dt.timedelta(days=1))}: {outlook.days_left} days from today.",
        f"At the pace so far about {pounds(outlook.at_risk)} would go unspent.",
        "",
        "Money left on each line:",
        *(f"  - {line.name}: {pounds(line.available_pence)}" for line in lines),
        "",
        "The programme asks clusters to spend the money that is available: supply cover for a "
        "meeting or paired work, resources from your audits, shared kit, CPD. Schools should "
        f"invoice the lead school, {budget.lead_school.name}, promptly.",
    ]
    subject = (
        f"{budget.cluster.name}: {pounds(outlook.totals.available)} left to spend, "
        f"{outlook.days_left} days to go"
    )
    return subject, "\n".join(body)


def due_nudges(on: dt.date | None = None, thresholds=THRESHOLDS):
    """(budget's forecast, coordinator, threshold) for every open budget in force on ``on``
    that is at risk of underspend within a threshold and has not been nudged at it yet."""
    day = on or timezone.localdate()
    budgets = (
        Budget.objects.on(day)
        .filter(closed_at__isnull=True, cluster__archived_at__isnull=True)
        .select_related("cluster", "lead_school")
        .prefetch_related("lines__stream", "lines__category")
    )
    for budget in budgets:
        outlook = forecast(budget, today=day, with_terms=False)
        if outlook.status != Outlook.UNDERSPEND:
            continue
        within = [t for t in sorted(thresholds) if outlook.days_left <= t]
        if not within:
            continue
        threshold = within[0]
        coordinators = (
            RoleAssignment.objects.on(day)
            .filter(cluster=budget.cluster, role=Role.CLUSTER_COORDINATOR)
            .select_related("person")
        )
        for role in coordinators:
            person = role.person
            if not person.email or person.is_archived:
                continue
            if Nudge.objects.filter(budget=budget, person=person, days_left=threshold).exists():
                continue
            yield outlook, person, threshold


@task()
def send_nudges(on: str | None = None) -> int:
    """Email the due nudges; returns how many were sent."""
    day = dt.date.fromisoformat(on) if on else None
    sent = 0
    for outlook, person, threshold in list(due_nudges(day)):
        with transaction.atomic():
            nudge, made = Nudge.objects.get_or_create(
                budget=outlook.budget,
                person=person,
                days_left=threshold,
                defaults={"unspent_pence": outlook.totals.available},
            )
            if not made:
                continue
            subject, body = nudge_text(outlook, person)
            EmailMessage(subject=subject, body=body, to=[person.email]).send()
            nudge.sent_at = timezone.now()
            nudge.save(update_fields=["sent_at"])
            sent += 1
    return sent
