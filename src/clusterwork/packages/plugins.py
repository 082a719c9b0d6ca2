"""What packages tells the rest of the product without being imported: personal data,
measures (days delivered vs agreed), digest items, and the cluster's impact section."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Q

from clusterwork.core import digest, measures, personal_data
from clusterwork.core.digest import DigestItem
from clusterwork.core.measures import Measure
from clusterwork.core.personal_data import PersonalData


def _package_on(cluster, day):
    from .models import Package

    return Package.objects.filter(cluster=cluster).on(day).first()


def _summary_on(cluster, day):
    from . import selectors

    package = _package_on(cluster, day)
    if package is None:
        return None
    summary = selectors.package_summary(package)
    summary.today = day
    return summary


def days_delivered_percent(cluster, day: dt.date) -> Decimal | None:
    """Days delivered as a share of the days agreed in the package in force on ``day``."""
    summary = _summary_on(cluster, day)
    if summary is None or not summary.days_agreed:
        return None
    return (summary.days_delivered * 100 / summary.days_agreed).quantize(Decimal("0.1"))


def days_remaining(cluster, day: dt.date) -> Decimal | None:
    summary = _summary_on(cluster, day)
    return None if summary is None else summary.days_remaining


def days_behind_pace(cluster, day: dt.date) -> Decimal | None:
    summary = _summary_on(cluster, day)
    if summary is None or not summary.days_agreed:
        return None
    return max(summary.expected_by_today - summary.days_delivered, Decimal(0))


# ----- personal data ---------------------------------------------------------------------


def deliveries_of_person(person) -> list[dict]:
    from .models import Delivery

    rows = Delivery.objects.filter(
        Q(delivered_by=person) | Q(attendees=person) | Q(logged_by__person=person)
    ).distinct()
    return [
        {
            "package": str(d.package),
            "item": d.item.name,
            "on": d.on.isoformat(),
            "amount": str(d.amount),
            "delivered_by_me": d.delivered_by_id == person.pk,
            "notes": d.notes,
        }
        for d in rows.select_related("package", "item")
    ]


def erase_deliveries(person, actor) -> int:
    """The delivery stays (the package's figures rely on it); the person's attendance goes,
    and their notes are removed from the deliveries they gave."""
    from .models import Delivery

    count = 0
    for delivery in Delivery.objects.filter(attendees=person):
        delivery.attendees.remove(person)
        count += 1
    count += Delivery.objects.filter(delivered_by=person).exclude(notes="").update(notes="")
    return count


def packages_of_person(person) -> list[dict]:
    from .models import Package

    return [
        {"package": str(p), "cluster": p.cluster.name, "start": p.start.isoformat()}
        for p in Package.objects.filter(development_manager=person).select_related("cluster")
    ]


def unassign_packages(person, actor) -> int:
    from .models import Package

    return Package.objects.filter(development_manager=person).update(development_manager=None)


# ----- digest ----------------------------------------------------------------------------


def digest_items(user, since, until) -> list[DigestItem]:
    """For a development manager: their packages behind or overdue ("due"); for everyone:
    deliveries logged in the period to packages they see."""
    from . import selectors
    from .services import figure

    items = [
        DigestItem(
            "packages",
            f"{row.package.cluster.name}: {row.package.title} is {row.status} — "
            f"{figure(row.days_remaining)} days remaining",
            row.package.get_absolute_url(),
            when=row.package.end,
            kind="due",
        )
        for row in selectors.caseload(user)
        if row.needs_attention
    ]
    logged = selectors.deliveries_visible_to(user).filter(
        withdrawn_at__isnull=True, on__gte=since, on__lt=until
    )
    for d in logged.order_by("on")[:50]:
        items.append(
            DigestItem(
                "packages",
                f"{d.package.cluster.name}: {figure(d.amount)} {d.item.get_unit_display().lower()} "
                f"of {d.item.name} delivered",
                d.package.get_absolute_url(),
                when=d.on,
            )
        )
    return items


# ----- the cluster's impact page ----------------------------------------------------------


def impact_cluster(request, cluster):
    from . import selectors

    rows = selectors.cluster_packages(cluster)
    if not rows:
        return None
    return {"rows": rows, "totals": selectors.totals(rows)}


def register() -> None:
    measures.register(
        Measure(
            key="packages.days_delivered_percent",
            label="Package days delivered (% of agreed)",
            applies_to="cluster",
            unit="%",
            compute=days_delivered_percent,
            help_text="Days of CPD and support delivered, as a share of the package's days.",
        )
    )
    measures.register(
        Measure(
            key="packages.days_remaining",
            label="Package days remaining",
            applies_to="cluster",
            unit="days",
            compute=days_remaining,
            higher_is_better=False,
        )
    )
    measures.register(
        Measure(
            key="packages.days_behind_pace",
            label="Package days behind an even pace",
            applies_to="cluster",
            unit="days",
            compute=days_behind_pace,
            higher_is_better=False,
        )
    )
    digest.register("packages", digest_items)
    personal_data.register(
        PersonalData(
            app="packages",
            label="Deliveries given, attended or logged",
            export=deliveries_of_person,
            erase=erase_deliveries,
            models=("packages.Delivery",),
        )
    )
    personal_data.register(
        PersonalData(
            app="packages",
            label="Packages managed",
            export=packages_of_person,
            erase=unassign_packages,
            models=("packages.Package",),
        )
    )
