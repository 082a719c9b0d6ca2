"""Writes for support packages: the catalogue, agreeing and renegotiating a cluster's package,
the delivery log and schools' membership. Every write is one transaction, saved with who did
it; nothing is deleted (a wrong delivery is withdrawn with a reason)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone

from clusterwork.core.audit import audited_save, user_or_none
from clusterwork.core.dated import check_span, in_force
from clusterwork.core.dates import day_text
from clusterwork.core.errors import ServiceError
from clusterwork.people.models import Person, Role, RoleAssignment

from .models import (
    HALF,
    Delivery,
    ItemKind,
    Package,
    PackageItem,
    PackageLine,
    PackageVersion,
    SchoolMembership,
    Unit,
)

# Seed 000's items (a school-sport trust's cluster offer), as a catalogue to start from.
SEED_CATALOGUE = (
    ("Schools membership", ItemKind.MEMBERSHIP, Unit.PER_SCHOOL),
    ("CPD day", ItemKind.CPD_DAY, Unit.DAYS),
    ("Strategic support from the local development manager", ItemKind.STRATEGIC_SUPPORT, Unit.DAYS),
    ("CPD day for newly qualified (early-career) teachers", ItemKind.ECT_CPD, Unit.DAYS),
    ("Monitoring and evaluation package", ItemKind.MONITORING, Unit.UNITS),
)
MAX_QUANTITY = Decimal("9999")
MAX_PENCE = 100_000_000_00  # £100 m: anything larger is a typing slip


class BeyondAgreement(ServiceError):
    """A delivery would go beyond what the package agreed (the API answers 409)."""


@dataclass(frozen=True)
class LineIn:
    item: PackageItem
    quantity: Decimal
    price_pence: int


def figure(value) -> str:
    """A quantity as people write it: 2, 2.5 (never 2.0 or 2.50)."""
    text = f"{Decimal(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _pence(value, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ServiceError("An amount is a whole number of pence.", field=field)
    if value < 0:
        raise ServiceError("An amount cannot be negative.", field=field)
    if value > MAX_PENCE:
        raise ServiceError("That amount is too large to be right.", field=field)
    return value


def _quantity(value, unit: str, field: str) -> Decimal:
    if isinstance(value, (float, bool)):
        raise ServiceError("Give a quantity as a whole or half number, not a float.", field=field)
    try:
        quantity = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ServiceError(f"{value!r} is not a number.", field=field) from None
    if not quantity.is_finite() or quantity <= 0:
        raise ServiceError("A quantity is more than zero.", field=field)
    if quantity > MAX_QUANTITY:
        raise ServiceError(f"{quantity} is more than {MAX_QUANTITY}; check it.", field=field)
    if unit == Unit.DAYS:
        if quantity % HALF:
            raise ServiceError("Days are counted in whole or half days.", field=field)
    elif quantity % 1:
        raise ServiceError("Units and schools are counted in whole numbers.", field=field)
    return quantity.quantize(Decimal("0.1"))


# ----- the catalogue ---------------------------------------------------------------------


@transaction.atomic
def item_create(
    *,
    actor,
    programme,
    name: str,
    unit: str,
    kind: str = ItemKind.OTHER,
    unit_price_pence: int = 0,
    description: str = "",
) -> PackageItem:
    name = name.strip()
    if not name:
        raise ServiceError("Name the item.", field="name")
    if unit not in Unit.values:
        raise ServiceError("Choose how the item is counted.", field="unit")
    if PackageItem.objects.filter(
        programme=programme, name=name, archived_at__isnull=True
    ).exists():
        raise ServiceError(f"{programme} already has an item called “{name}”.", field="name")
    item = PackageItem(
        programme=programme,
        name=name,
        kind=kind,
        unit=unit,
        unit_price_pence=_pence(unit_price_pence, "unit_price_pence"),
        description=description,
    )
    audited_save(item, actor)
    return item


@transaction.atomic
def catalogue_seed(*, actor, programme, prices: dict | None = None) -> list[PackageItem]:
    """Seed 000's items for ``programme`` (those it does not have yet)."""
    prices = prices or {}
    made = []
    have = set(
        PackageItem.objects.filter(programme=programme, archived_at__isnull=True).values_list(
            "name", flat=True
        )
    )
    for name, kind, unit in SEED_CATALOGUE:
        if name not in have:
            made.append(
                item_create(
                    actor=actor,
                    programme=programme,
                    name=name,
                    kind=kind,
                    unit=unit,
                    unit_price_pence=prices.get(kind, 0),
                )
            )
    return made


# ----- agreeing a package ----------------------------------------------------------------


def _check_lines(programme, lines: Iterable[LineIn]) -> list[LineIn]:
    checked, seen = [], set()
    for line in lines:
        field = f"qty_{line.item.pk}"
        if line.item.programme_id != programme.pk:
            raise ServiceError(
                f"“{line.item.name}” is not in {programme}'s catalogue.", field=field
            )
        if line.item.is_archived:
            raise ServiceError(f"“{line.item.name}” is no longer offered.", field=field)
        if line.item.pk in seen:
            raise ServiceError(f"“{line.item.name}” is listed twice.", field=field)
        seen.add(line.item.pk)
        checked.append(
            LineIn(
                line.item,
                _quantity(line.quantity, line.item.unit, field),
                _pence(line.price_pence, f"price_{line.item.pk}"),
            )
        )
    if not checked:
        raise ServiceError("A package has at least one item with a quantity.")
    return checked


def _check_manager(person, cluster, field="development_manager") -> None:
    if person is None:
        return
    holds = (
        RoleAssignment.objects.filter(in_force(timezone.localdate()))
        .filter(person=person, role=Role.DEVELOPMENT_MANAGER)
        .filter(Q(programme_id=cluster.programme_id) | Q(cluster=cluster))
        .exists()
    )
    if not holds:
        raise ServiceError(
            f"{person} is not a development manager of {cluster.programme} or {cluster}.",
            field=field,
        )


def _new_version(*, actor, package, number, lines, agreed_on, reason) -> PackageVersion:
    version = PackageVersion(
        package=package,
        number=number,
        agreed_on=agreed_on or timezone.localdate(),
        agreed_by=user_or_none(actor),
        reason=reason.strip(),
    )
    audited_save(version, actor)
    PackageLine.objects.bulk_create(
        PackageLine(
            version=version, item=line.item, quantity=line.quantity, price_pence=line.price_pence
        )
        for line in lines
    )
    return version


@transaction.atomic
def package_agree(
    *,
    actor,
    cluster,
    title: str,
    term: str,
    start: dt.date,
    end: dt.date,
    lines: Iterable[LineIn],
    development_manager: Person | None = None,
    agreed_on: dt.date | None = None,
) -> Package:
    """A cluster's new package (version 1). Its dates may not overlap another of its
    packages: one package of support at a time, renegotiated rather than doubled."""
    if cluster.is_archived:
        raise ServiceError(f"{cluster} is archived.")
    if not title.strip():
        raise ServiceError("Give the package a title.", field="title")
    if not term.strip():
        raise ServiceError("Say which term or years it covers (e.g. 2025/26).", field="term")
    if end is None:
        raise ServiceError("A package has an end date.", field="end")
    check_span(start, end)
    clash = (
        Package.objects.select_for_update().filter(cluster=cluster).overlapping(start, end).first()
    )
    if clash is not None:
        raise ServiceError(
            f"{cluster} already has “{clash}” {clash.span_text}; renegotiate it instead.",
            field="start",
        )
    lines = _check_lines(cluster.programme, lines)
    _check_manager(development_manager, cluster)
    package = Package(
        cluster=cluster,
        programme=cluster.programme,
        title=title.strip(),
        term=term.strip(),
        start=start,
        end=end,
        development_manager=development_manager,
        created_by=user_or_none(actor),
    )
    audited_save(package, actor, "agreed")
    _new_version(
        actor=actor, package=package, number=1, lines=lines, agreed_on=agreed_on, reason="Agreed"
    )
    return package


def delivered_by_item(package: Package) -> dict[int, Decimal]:
    """What has been delivered of each item (withdrawn entries do not count; a per-school item
    counts the schools whose membership came with the package)."""
    rows = (
        Delivery.objects.filter(package=package, withdrawn_at__isnull=True)
        .values("item_id")
        .annotate(total=Sum("amount"))
    )
    delivered = {row["item_id"]: row["total"] for row in rows}
    schools = Decimal(
        SchoolMembership.objects.filter(package=package).values("school_id").distinct().count()
    )
    if schools:
        for line in current_version(package).lines.filter(item__unit=Unit.PER_SCHOOL):
            delivered[line.item_id] = schools
    return delivered


def current_version(package: Package) -> PackageVersion:
    return package.versions.order_by("-number").first()


@transaction.atomic
def package_renegotiate(
    *,
    actor,
    package: Package,
    lines: Iterable[LineIn],
    reason: str,
    end: dt.date | None = None,
    development_manager=None,
    agreed_on: dt.date | None = None,
) -> PackageVersion:
    """A new version of the package's lines (the old versions are kept); what has been
    delivered carries over, so no line may fall below it."""
    package = Package.objects.select_for_update().get(pk=package.pk)
    if not reason.strip():
        raise ServiceError("Say why the package is renegotiated.", field="reason")
    lines = _check_lines(package.programme, lines)
    delivered = delivered_by_item(package)
    agreed = {line.item.pk: line for line in lines}
    for item_id, amount in delivered.items():
        line = agreed.get(item_id)
        if line is None or line.quantity < amount:
            item = PackageItem.objects.get(pk=item_id)
            now = line.quantity if line else 0
            raise ServiceError(
                f"{figure(amount)} of “{item.name}” has been delivered already; the package "
                f"cannot agree {figure(now)}.",
                field=f"qty_{item_id}",
            )
    if end is not None and end != package.end:
        check_span(package.start, end)
        package.end = end
    if development_manager is not None:
        _check_manager(development_manager, package.cluster)
        package.development_manager = development_manager
    audited_save(package, actor, f"renegotiated: {reason.strip()}")
    number = (current_version(package).number or 0) + 1
    return _new_version(
        actor=actor, package=package, number=number, lines=lines, agreed_on=agreed_on, reason=reason
    )


# ----- the delivery log ------------------------------------------------------------------


def _is_development_manager(person, package, day) -> bool:
    return (
        RoleAssignment.objects.filter(in_force(day))
        .filter(person=person, role=Role.DEVELOPMENT_MANAGER)
        .filter(Q(programme_id=package.programme_id) | Q(cluster_id=package.cluster_id))
        .exists()
    )


@transaction.atomic
def delivery_log(
    *,
    actor,
    package: Package,
    item: PackageItem,
    on: dt.date,
    amount,
    delivered_by: Person,
    attendees: Iterable[Person] = (),
    attendee_count: int | None = None,
    notes: str = "",
    event=None,
    beyond_agreement: bool = False,
    beyond_reason: str = "",
) -> Delivery:
    """Log a delivery. A delivery that would go beyond what the package agreed is refused with
    the figures, unless it is recorded as beyond the agreement with a reason (then it is
    flagged on every page and in the measure)."""
    # One delivery at a time per package, so two loggers cannot both take the last day.
    package = (
        Package.objects.select_for_update()
        .select_related("cluster", "programme")
        .get(pk=package.pk)
    )
    version = current_version(package)
    line = version.lines.filter(item=item).first()
    if line is None:
        raise ServiceError(f"“{item.name}” is not part of {package}.", field="item")
    if item.unit == Unit.PER_SCHOOL:
        raise ServiceError(
            f"“{item.name}” is delivered by recording the schools' memberships, not in the log.",
            field="item",
        )
    amount = _quantity(amount, item.unit, "amount")
    if on is None:
        raise ServiceError("Give the day it was delivered.", field="on")
    if on > timezone.localdate():
        raise ServiceError("Log a delivery once it has happened (today or earlier).", field="on")
    if not (package.start <= on < package.end):
        raise ServiceError(
            f"{day_text(on)} is outside the package ({package.span_text}).", field="on"
        )
    if delivered_by is None:
        raise ServiceError("Say who delivered it.", field="delivered_by")
    if not _is_development_manager(delivered_by, package, on):
        raise ServiceError(
            f"{delivered_by} was not a development manager of {package.programme} or "
            f"{package.cluster} on {day_text(on)}.",
            field="delivered_by",
        )
    if attendee_count is not None and (
        isinstance(attendee_count, bool)
        or not isinstance(attendee_count, int)
        or attendee_count < 0
    ):
        raise ServiceError("Attendees are a whole number.", field="attendee_count")
    if event is not None and event.cluster_id not in (None, package.cluster_id):
        raise ServiceError("That meeting belongs to another cluster.", field="event")
    delivered = delivered_by_item(package).get(item.pk, Decimal(0))
    remaining = line.quantity - delivered
    if amount > remaining:
        if not beyond_agreement:
            raise BeyondAgreement(
                f"{package} agreed {figure(line.quantity)} {item.get_unit_display().lower()} of "
                f"“{item.name}”; {figure(delivered)} delivered, "
                f"{figure(max(remaining, Decimal(0)))} remaining, so {figure(amount)} more would "
                "go beyond it. Renegotiate the package, or record it as "
                "beyond the agreement with a reason.",
                field="amount",
            )
        if not beyond_reason.strip():
            raise ServiceError("Say why this goes beyond what was agreed.", field="beyond_reason")
    else:
        beyond_agreement, beyond_reason = False, ""
    delivery = Delivery(
        package=package,
        item=item,
        on=on,
        amount=amount,
        delivered_by=delivered_by,
        attendee_count=attendee_count,
        notes=notes.strip(),
        event=event,
        beyond_agreement=beyond_agreement,
        beyond_reason=beyond_reason.strip(),
        logged_by=user_or_none(actor),
    )
    audited_save(delivery, actor)
    attendees = list(attendees)
    if attendees:
        delivery.attendees.set(attendees)
    return delivery


@transaction.atomic
def delivery_withdraw(*, actor, delivery: Delivery, reason: str) -> Delivery:
    delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
    if delivery.withdrawn_at is not None:
        raise ServiceError("This delivery was withdrawn already.")
    if not reason.strip():
        raise ServiceError("Say why the entry is withdrawn.", field="reason")
    delivery.withdrawn_at = timezone.now()
    delivery.withdrawn_by = user_or_none(actor)
    delivery.withdrawn_reason = reason.strip()
    audited_save(delivery, actor, f"withdrawn: {reason.strip()}")
    return delivery


# ----- schools' membership ---------------------------------------------------------------


@transaction.atomic
def memberships_record(
    *, actor, package: Package, schools, start: dt.date, end: dt.date | None = None
) -> list[SchoolMembership]:
    """Record the member schools' membership of the programme that came with ``package``."""
    package = (
        Package.objects.select_for_update()
        .select_related("cluster", "programme")
        .get(pk=package.pk)
    )
    schools = list(schools)
    if not schools:
        raise ServiceError("Choose the schools.", field="schools")
    if start is None:
        raise ServiceError("Give the day membership starts.", field="start")
    check_span(start, end)
    members = set(package.cluster.memberships.on(start).values_list("school_id", flat=True))
    outside = [s.name for s in schools if s.pk not in members]
    if outside:
        raise ServiceError(
            f"Not member schools of {package.cluster} on {day_text(start)}: {', '.join(outside)}.",
            field="schools",
        )
    made = []
    for school in schools:
        clash = (
            SchoolMembership.objects.select_for_update()
            .filter(programme=package.programme, school=school)
            .overlapping(start, end)
            .first()
        )
        if clash is not None:
            raise ServiceError(
                f"{school.name} is already a member {clash.span_text}.", field="schools"
            )
        membership = SchoolMembership(
            programme=package.programme,
            school=school,
            package=package,
            start=start,
            end=end,
            recorded_by=user_or_none(actor),
        )
        audited_save(membership, actor)
        made.append(membership)
    return made


@transaction.atomic
def membership_end(*, actor, membership: SchoolMembership, end: dt.date) -> SchoolMembership:
    membership = SchoolMembership.objects.select_for_update().get(pk=membership.pk)
    check_span(membership.start, end)
    membership.end = end
    audited_save(membership, actor, "ended")
    return membership
