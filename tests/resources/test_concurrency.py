"""Two schools book the same box for overlapping days at the same moment, on PostgreSQL with
real parallel transactions: exactly one succeeds, the other is told whose booking it clashes
with. And with the service's lock bypassed, the exclusion constraint alone still lets only one
row in."""

import threading

import pytest
from django.db import IntegrityError, connection, connections, transaction

from clusterwork.resources import services
from clusterwork.resources.models import Loan

from .helpers import days, themed_box

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="real parallel transactions need PostgreSQL"
    ),
]


def _race(work, n=2):
    barrier = threading.Barrier(n)
    results = [None] * n

    def run(i):
        try:
            barrier.wait()
            results[i] = ("ok", work(i))
        except Exception as error:  # noqa: BLE001 - the test reads what each thread got
            results[i] = ("refused", error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def test_two_simultaneous_overlapping_bookings_one_wins(world):
    box = themed_box(world)
    schools = [world.schools[1], world.schools[2]]

    def book(i):
        return services.loan_book(
            actor=None, resource=box, school=schools[i], start=days(3 + i), end=days(8 + i)
        ).pk

    results = _race(book)
    outcomes = sorted(r[0] for r in results)
    assert outcomes == ["ok", "refused"], results
    refusal = next(r[1] for r in results if r[0] == "refused")
    assert isinstance(refusal, services.Clash)
    winner = Loan.objects.get()
    assert winner.school.name in refusal.text and "overlaps those dates" in refusal.text


def test_the_constraint_alone_lets_only_one_row_in(world):
    box = themed_box(world)
    schools = [world.schools[1], world.schools[2]]

    def insert(i):
        # Both start together; the second insert waits for the first transaction, then the
        # constraint refuses it.
        with transaction.atomic():
            return Loan.objects.create(
                resource=box,
                cluster=world.alpha,
                school=schools[i],
                start=days(3 + i),
                end=days(8 + i),
            ).pk

    results = _race(insert)
    assert sorted(r[0] for r in results) == ["ok", "refused"], results
    error = next(r[1] for r in results if r[0] == "refused")
    assert isinstance(error, IntegrityError) and "loan_no_double_booking" in str(error)
    assert Loan.objects.count() == 1
