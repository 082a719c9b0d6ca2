"""Property tests of the ledger: after any sequence of claims approved, rejected, paid,
reimbursed and transfers or increases/decreases between lines, every line's figures equal
what its claims and variations say, no line is below zero, transfers make no money, and
every figure is an integer number of pence (never a float)."""

import datetime as dt

import pytest
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clusterwork.core.errors import ServiceError
from clusterwork.funding import services
from clusterwork.funding.models import BudgetLine, Claim, Variation

from .helpers import funded, lines_for

pytestmark = pytest.mark.django_db

OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(
            ["claim", "approve", "reject", "pay", "reimburse", "transfer", "increase", "decrease"]
        ),
        st.integers(min_value=0, max_value=5),  # which line / claim
        st.integers(min_value=0, max_value=5),  # a second line
        st.integers(min_value=1, max_value=120_000),  # pence
    ),
    min_size=1,
    max_size=25,
)


def _sum(queryset, field="amount_pence"):
    return queryset.aggregate(total=Sum(field))["total"] or 0


def check_identities(lines):
    for line in BudgetLine.objects.filter(pk__in=[row.pk for row in lines]):
        for value in (
            line.original_pence,
            line.allocated_pence,
            line.committed_pence,
            line.paid_pence,
        ):
            assert type(value) is int
        claims = Claim.objects.filter(line=line)
        assert line.committed_pence == _sum(claims.filter(status="approved"))
        assert line.paid_pence == _sum(claims.filter(status__in=["paid", "reimbursed"]))
        into = _sum(Variation.objects.filter(to_line=line))
        out = _sum(Variation.objects.filter(from_line=line))
        assert line.allocated_pence == line.original_pence + into - out
        assert line.available_pence >= 0
        assert line.allocated_pence == line.committed_pence + line.paid_pence + line.available_pence
    made = _sum(Variation.objects.filter(kind="increase")) - _sum(
        Variation.objects.filter(kind="decrease")
    )
    now = BudgetLine.objects.filter(pk__in=[row.pk for row in lines])
    assert (
        sum(row.allocated_pence for row in now) == sum(row.original_pence for row in lines) + made
    )


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(operations=OPERATIONS)
def test_the_ledgers_identities_hold_after_any_sequence(world, operations):
    with transaction.atomic():
        budget = funded(world)
        second = services.budget_create(
            actor=None,
            cluster=world.alpha,
            year=2,
            start=budget.end,
            end=budget.end + dt.timedelta(days=365),
            lines=lines_for(world.science),
        )
        lines = list(budget.lines.order_by("pk")) + list(second.lines.order_by("pk"))
        categories = {
            line.stream_id: line.stream.categories.filter(counting="amount").first()
            or line.stream.categories.first()
            for line in lines
        }
        claims = []
        for op, a, b, pence in operations:
            try:
                with transaction.atomic():
                    if op == "claim":
                        line = lines[a % 3]  # this year's lines take claims
                        category = categories[line.stream_id]
                        claims.append(
                            services.claim_create(
                                actor=None,
                                cluster=world.alpha,
                                category=category,
                                school=world.schools[1],
                                activity_on=budget.start,
                                description="x",
                                amount_pence=pence if category.counting == "amount" else None,
                                unit="amount" if category.counting == "amount" else "day",
                                quantity=None if category.counting == "amount" else 1 + pence % 3,
                                claimant=world.users.coordinator.person,
                                submit=False,
                            )
                        )
                        Claim.objects.filter(pk=claims[-1].pk).update(status="submitted")
                    elif op in ("approve", "reject", "pay", "reimburse") and claims:
                        target = claims[a % len(claims)]
                        if op == "approve":
                            services.claim_approve(actor=None, claim=target)
                        elif op == "reject":
                            services.claim_reject(actor=None, claim=target, reason="no")
                        elif op == "pay":
                            services.claim_pay(actor=None, claim=target, reference="r")
                        else:
                            services.claim_reimburse(actor=None, claim=target)
                    elif op == "transfer":
                        services.variation_record(
                            actor=None,
                            kind="transfer",
                            amount_pence=pence,
                            reason="move",
                            from_line=lines[a],
                            to_line=lines[b],
                        )
                    elif op == "increase":
                        services.variation_record(
                            actor=None,
                            kind="increase",
                            amount_pence=pence,
                            reason="more",
                            to_line=lines[a],
                        )
                    elif op == "decrease":
                        services.variation_record(
                            actor=None,
                            kind="decrease",
                            amount_pence=pence,
                            reason="less",
                            from_line=lines[a],
                        )
            except ServiceError:
                pass  # a refusal changes nothing; the identities must still hold
            check_identities(lines)
        transaction.set_rollback(True)
