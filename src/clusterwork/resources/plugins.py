"""What resources tells the rest of the product without being imported: loans due back in
the digest, measures, personal data (loans by a person), the cluster's impact section."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from clusterwork.core import digest, measures, personal_data
from clusterwork.core.dates import day_text
from clusterwork.core.digest import DigestItem
from clusterwork.core.measures import Measure
from clusterwork.core.personal_data import PersonalData

DUE_SOON_DAYS = 7


def loans_overdue(cluster, day: dt.date) -> int | None:
    from .models import Loan

    if not cluster.resources.exists():
        return None
    return Loan.objects.filter(cluster=cluster, status=Loan.Status.OUT, end__lte=day).count()


def loans_in_year(cluster, day: dt.date) -> int | None:
    """Loans through the cluster that started in the year up to ``day``."""
    from .models import Loan

    if not cluster.resources.exists():
        return None
    return (
        Loan.objects.filter(cluster=cluster, start__gt=day - dt.timedelta(days=365), start__lte=day)
        .exclude(status=Loan.Status.CANCELLED)
        .count()
    )


def digest_items(user, since, until) -> list[DigestItem]:
    """Loans due back within a week of ``until`` or overdue ("due"), for the loans the user
    sees — the borrowing school's staff and the cluster's coordinator alike."""
    from . import selectors
    from .models import Loan

    horizon = until + dt.timedelta(days=DUE_SOON_DAYS)
    loans = (
        selectors.loans_visible_to(user)
        .filter(status=Loan.Status.OUT, end__lte=horizon)
        .order_by("end")[:50]
    )
    items = []
    for loan in loans:
        late = loan.end <= until
        items.append(
            DigestItem(
                "resources",
                f"{loan.resource} with {loan.school.name}: "
                + (
                    f"overdue since {day_text(loan.end)}"
                    if late
                    else f"due back {day_text(loan.end)}"
                ),
                loan.resource.get_absolute_url(),
                when=loan.end,
                kind="due",
            )
        )
    return items


def loans_of_person(person) -> list[dict]:
    from .models import Loan

    user_id = person.user_id
    condition = Q(borrower=person)
    if user_id:
        condition |= Q(booked_by_id=user_id)
    return [
        {
            "item": str(loan.resource),
            "school": loan.school.name,
            "start": loan.start.isoformat(),
            "end": loan.end.isoformat(),
            "status": loan.status,
            "purpose": loan.purpose,
            "borrower": loan.borrower_id == person.pk,
        }
        for loan in Loan.objects.filter(condition).select_related("resource", "school")
    ]


def erase_loans(person, actor) -> int:
    """The loans stay (the item's history and the calendar rely on them); the person is no
    longer named as the borrower, and the purpose they wrote is removed."""
    from .models import Loan

    return Loan.objects.filter(borrower=person).update(borrower=None, purpose="")


def impact_cluster(request, cluster):
    from django.utils import timezone

    items = cluster.resources.filter(archived_at__isnull=True).count()
    if not items:
        return None
    today = timezone.localdate()
    return {
        "items": items,
        "loans_year": loans_in_year(cluster, today),
        "overdue": loans_overdue(cluster, today),
    }


def register() -> None:
    measures.register(
        Measure(
            key="resources.loans_overdue",
            label="Shared resources overdue",
            applies_to="cluster",
            compute=loans_overdue,
            higher_is_better=False,
        )
    )
    measures.register(
        Measure(
            key="resources.loans_in_year",
            label="Shared resource loans in the last year",
            applies_to="cluster",
            compute=loans_in_year,
        )
    )
    digest.register("resources", digest_items)
    personal_data.register(
        PersonalData(
            app="resources",
            label="Loans of shared resources",
            export=loans_of_person,
            erase=erase_loans,
            models=("resources.Loan",),
        )
    )
