"""Two (or eight) approvers at once on PostgreSQL never overspend a line: real parallel
transactions on separate connections, no mocks. The approvals queue on the line's row lock,
and the later ones read the earlier ones' commitments."""

import threading

import pytest
from django.db import connection, connections, transaction

from clusterwork.core.errors import ServiceError
from clusterwork.funding import services
from clusterwork.funding.models import BudgetLine, Claim

from .helpers import claim, funded

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks under concurrency: PostgreSQL"
    ),
]


def _approve_all(claim_ids, *, hold=0.0):
    """Approve each claim in its own thread and connection, all starting together."""
    barrier = threading.Barrier(len(claim_ids))
    results = {}

    def worker(claim_id):
        try:
            barrier.wait()
            with transaction.atomic():
                approved = services.claim_approve(actor=None, claim=Claim.objects.get(pk=claim_id))
                if hold:
                    # Keep the lock a moment so the others really wait on it.
                    import time

                    time.sleep(hold)
            results[claim_id] = approved.status
        except ServiceError as refused:
            results[claim_id] = refused.text
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(pk,)) for pk in claim_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_two_approvals_at_once_never_overspend(world):
    funded(world)  # Part B: £500
    first, second = claim(world, amount=30_000), claim(world, amount=30_000)
    results = _approve_all([first.pk, second.pk], hold=0.3)
    statuses = sorted(results.values(), key=lambda s: s != "approved")
    assert statuses[0] == "approved"
    assert "below zero" in statuses[1] and "available £200.00" in statuses[1]
    line = BudgetLine.objects.get(pk=first.line_id)
    assert line.committed_pence == 30_000 and line.available_pence == 20_000


def test_eight_approvers_at_once_commit_exactly_what_fits(world):
    funded(world)
    claims = [claim(world, amount=12_000) for _ in range(8)]  # £960 asked of £500
    results = _approve_all([c.pk for c in claims])
    approved = [pk for pk, status in results.items() if status == "approved"]
    assert len(approved) == 4
    assert all("below zero" in s for s in results.values() if s != "approved")
    line = BudgetLine.objects.get(pk=claims[0].line_id)
    assert line.committed_pence == 48_000
    assert Claim.objects.filter(status="approved").count() == 4


def test_one_claim_approved_twice_at_once_counts_once(world):
    funded(world)
    made = claim(world, amount=10_000)
    results = {}
    barrier = threading.Barrier(2)

    def worker(index):
        try:
            barrier.wait()
            with transaction.atomic():
                services.claim_approve(actor=None, claim=Claim.objects.get(pk=made.pk))
            results[index] = "approved"
        except ServiceError as refused:
            results[index] = refused.text
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    outcomes = sorted(results.values(), key=lambda s: s != "approved")
    assert outcomes[0] == "approved"
    assert "is approved; it cannot be approved" in outcomes[1]
    assert BudgetLine.objects.get(pk=made.line_id).committed_pence == 10_000
