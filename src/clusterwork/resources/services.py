"""Writes for shared resources: the items, and bookings → check-out → return (or cancel).

No double booking. A booking takes the item's row lock, looks for a booking or loan of the
item over any of its days, and refuses naming it. On PostgreSQL the exclusion constraint
``loan_no_double_booking`` (migration 0002) is the last word: if two bookings race past the
check (they cannot while the lock is taken, but a script writing rows directly might), the
database refuses the second and the service answers with the same message. On SQLite the
locked check is the rule (writers are serialised: IMMEDIATE transactions).
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from clusterwork.core.audit import audited_save, user_or_none
from clusterwork.core.dated import check_span
from clusterwork.core.dates import day_text
from clusterwork.core.errors import ServiceError

from .models import Condition, Loan, Resource

EXCLUSION = "loan_no_double_booking"
# Bookings are for a stretch of days, not a term: longer is a typing slip.
MAX_LOAN_DAYS = 120
MAX_AHEAD_DAYS = 730


class Clash(ServiceError):
    """The item is booked or out over some of those days (the API answers 409)."""


def _member_school(cluster, school, day) -> bool:
    return cluster.memberships.on(day).filter(school=school).exists()


@transaction.atomic
def resource_create(
    *,
    actor,
    cluster,
    name: str,
    kind: str,
    owner_school,
    location: str,
    description: str = "",
    condition: str = Condition.GOOD,
    photo=None,
    shared_with=(),
) -> Resource:
    """An item held by ``owner_school`` (a member of ``cluster``), shared with ``cluster`` and
    any other clusters of the same programme in ``shared_with``."""
    if cluster.is_archived:
        raise ServiceError(f"{cluster} is archived.")
    if not name.strip():
        raise ServiceError("Name the item.", field="name")
    if owner_school is None or not _member_school(cluster, owner_school, timezone.localdate()):
        raise ServiceError(
            f"The owner school must be a member of {cluster} today.", field="owner_school"
        )
    others = [c for c in shared_with if c.pk != cluster.pk]
    wrong = [c.name for c in others if c.programme_id != cluster.programme_id]
    if wrong:
        raise ServiceError(
            f"Only clusters of {cluster.programme} can share it: {', '.join(wrong)}.",
            field="shared_with",
        )
    resource = Resource(
        programme=cluster.programme,
        name=name.strip(),
        kind=kind,
        description=description,
        owner_school=owner_school,
        location=location.strip(),
        condition=condition,
        created_by=user_or_none(actor),
    )
    if photo:
        resource.photo = photo
    audited_save(resource, actor)
    resource.clusters.set([cluster, *others])
    return resource


def clash_of(resource, start, end, *, exclude=None) -> Loan | None:
    clashes = Loan.objects.filter(resource=resource, status__in=Loan.HOLDING).overlapping(
        start, end
    )
    if exclude is not None:
        clashes = clashes.exclude(pk=exclude.pk)
    return clashes.select_related("school").order_by("start").first()


def _clash_error(resource, clash: Loan) -> Clash:
    return Clash(
        f"{resource} is {clash.get_status_display().lower()} by {clash.school.name} "
        f"{clash.span_text}, which overlaps those dates. Choose other days.",
        field="start",
    )


@transaction.atomic
def loan_book(
    *,
    actor,
    resource: Resource,
    school,
    start: dt.date,
    end: dt.date,
    cluster=None,
    borrower=None,
    purpose: str = "",
    backdated: bool = False,
) -> Loan:
    """Book ``resource`` for ``school`` from ``start`` until ``end`` (the day it is back).
    ``backdated`` records a loan made before (from a paper log): it may start in the past."""
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    if resource.is_archived:
        raise ServiceError(f"{resource} is no longer lent.")
    if resource.condition == Condition.OUT_OF_USE:
        raise ServiceError(f"{resource} is out of use until it is repaired.")
    if start is None:
        raise ServiceError("Give the first day of the loan.", field="start")
    if end is None:
        raise ServiceError("Give the day it comes back.", field="end")
    check_span(start, end)
    today = timezone.localdate()
    if start < today and not backdated:
        raise ServiceError("A booking starts today or later.", field="start")
    if start > today + dt.timedelta(days=MAX_AHEAD_DAYS):
        raise ServiceError("Book at most two years ahead.", field="start")
    if (end - start).days > MAX_LOAN_DAYS:
        raise ServiceError(f"A loan lasts at most {MAX_LOAN_DAYS} days.", field="end")
    clusters = list(resource.clusters.all())
    if cluster is None:
        cluster = next((c for c in clusters if _member_school(c, school, start)), None)
    if cluster is None or cluster not in clusters or not _member_school(cluster, school, start):
        raise ServiceError(
            f"{school.name} is not in a cluster that shares {resource} on {day_text(start)}.",
            field="school",
        )
    clash = clash_of(resource, start, end)
    if clash is not None:
        raise _clash_error(resource, clash)
    loan = Loan(
        resource=resource,
        cluster=cluster,
        school=school,
        borrower=borrower,
        start=start,
        end=end,
        purpose=purpose.strip(),
        booked_by=user_or_none(actor),
    )
    try:
        with transaction.atomic():
            audited_save(loan, actor, "booked")
    except IntegrityError as error:
        if EXCLUSION not in str(error):
            raise
        clash = clash_of(resource, start, end)
        raise (
            _clash_error(resource, clash)
            if clash
            else Clash(
                f"{resource} was just booked by someone else over those dates.", field="start"
            )
        ) from error
    return loan


def _locked(loan: Loan) -> Loan:
    return Loan.objects.select_for_update().select_related("resource", "school").get(pk=loan.pk)


@transaction.atomic
def loan_check_out(*, actor, loan: Loan, borrower=None) -> Loan:
    loan = _locked(loan)
    if loan.status != Loan.Status.BOOKED:
        raise ServiceError(f"This loan is {loan.get_status_display().lower()}, not booked.")
    today = timezone.localdate()
    if today < loan.start:
        raise ServiceError(f"The booking starts on {day_text(loan.start)}.")
    still_out = (
        Loan.objects.filter(resource=loan.resource, status=Loan.Status.OUT)
        .exclude(pk=loan.pk)
        .select_related("school")
        .first()
    )
    if still_out is not None:
        raise ServiceError(
            f"{loan.resource} is still with {still_out.school.name} (due back "
            f"{day_text(still_out.end)}); record its return first."
        )
    loan.status = Loan.Status.OUT
    loan.checked_out_at = timezone.now()
    loan.checked_out_by = user_or_none(actor)
    if borrower is not None:
        loan.borrower = borrower
    audited_save(loan, actor, "checked out")
    return loan


@transaction.atomic
def loan_return(
    *, actor, loan: Loan, condition: str, notes: str = "", on: dt.date | None = None
) -> Loan:
    """Record the item back, with its condition; the item takes that condition."""
    loan = _locked(loan)
    if loan.status != Loan.Status.OUT:
        raise ServiceError(f"This loan is {loan.get_status_display().lower()}, not out.")
    if condition not in Condition.values:
        raise ServiceError("Say what condition it came back in.", field="condition")
    day = on or timezone.localdate()
    if day > timezone.localdate():
        raise ServiceError("Record a return once it has happened.", field="on")
    if condition != Condition.GOOD and not notes.strip():
        raise ServiceError("Say what is worn, missing or broken.", field="notes")
    loan.status = Loan.Status.RETURNED
    loan.returned_on = day
    loan.returned_by = user_or_none(actor)
    loan.return_condition = condition
    loan.return_notes = notes.strip()
    audited_save(loan, actor, "returned")
    resource = Resource.objects.select_for_update().get(pk=loan.resource_id)
    if resource.condition != condition:
        resource.condition = condition
        audited_save(resource, actor, f"returned by {loan.school.name}: {condition}")
    return loan


@transaction.atomic
def loan_cancel(*, actor, loan: Loan, reason: str) -> Loan:
    loan = _locked(loan)
    if loan.status != Loan.Status.BOOKED:
        raise ServiceError(
            f"Only a booking can be cancelled; this one is {loan.get_status_display().lower()}."
        )
    if not reason.strip():
        raise ServiceError("Say why it is cancelled.", field="reason")
    loan.status = Loan.Status.CANCELLED
    loan.cancelled_at = timezone.now()
    loan.cancelled_by = user_or_none(actor)
    loan.cancel_reason = reason.strip()
    audited_save(loan, actor, f"cancelled: {reason.strip()}")
    return loan


@transaction.atomic
def reminders_send(*, actor=None, today: dt.date | None = None) -> int:
    """Email the borrower (or the booker) of every overdue loan, once a day."""
    from django.core.mail import send_mail

    day = today or timezone.localdate()
    sent = 0
    overdue = (
        Loan.objects.select_for_update(of=("self",))
        .filter(status=Loan.Status.OUT, end__lte=day)
        .exclude(reminded_on=day)
        .select_related("resource", "school", "borrower", "booked_by", "resource__owner_school")
    )
    for loan in overdue:
        to = loan.borrower.email if loan.borrower and loan.borrower.email else None
        to = to or (loan.booked_by.email if loan.booked_by else None)
        if not to:
            continue
        send_mail(
            f"Overdue: {loan.resource} was due back on {day_text(loan.end)}",
            f"{loan.resource} lent to {loan.school.name} {loan.span_text} was due back on "
            f"{day_text(loan.end)}. Please return it to {loan.resource.owner_school.name} "
            f"({loan.resource.location}) so the next school can have it.",
            None,
            [to],
        )
        loan.reminded_on = day
        audited_save(loan, actor, "reminded")
        sent += 1
    return sent
