"""The ledger and the claim flow through the services: figures, refusals, variations,
carry-over, claims from a meeting's register, the approval gate."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from clusterwork.core import gates
from clusterwork.core.errors import ServiceError
from clusterwork.funding import selectors, services
from clusterwork.funding.models import BudgetLine, Category, Claim, FundingRules, Stream

from .helpers import category, claim, claim_in, funded, lines_for, receipt, year_span

pytestmark = pytest.mark.django_db


def line_of(claim_):
    return BudgetLine.objects.get(pk=claim_.line_id)


def test_the_default_model_has_the_seeds_streams_and_categories(world):
    services.model_install_defaults(actor=None, programme=world.science)
    services.model_install_defaults(actor=None, programme=world.science)  # idempotent
    streams = list(Stream.objects.filter(programme=world.science).order_by("order"))
    assert [s.name for s in streams] == ["Part A", "Part B", "Coordinator's allowance"]
    names = {c.name for c in Category.objects.filter(stream__programme=world.science)}
    assert "Meetings: supply cover for a whole or half day" in names
    assert "Shared resources: central kit or themed boxes" in names
    assert "Visiting a school or joining a headteachers' meeting" in names
    assert Category.objects.filter(stream__programme=world.science).count() == 15


def test_approve_commits_pay_spends_and_balance_is_allocation_less_both(world):
    funded(world)
    made = claim(world, amount=12_345)
    line = line_of(made)
    assert (line.committed_pence, line.paid_pence, line.available_pence) == (0, 0, 50_000)
    services.claim_approve(actor=None, claim=made)
    line.refresh_from_db()
    assert (line.committed_pence, line.paid_pence, line.available_pence) == (12_345, 0, 37_655)
    paid = services.claim_pay(actor=None, claim=made, reference="BACS 0042")
    line.refresh_from_db()
    assert (line.committed_pence, line.paid_pence, line.available_pence) == (0, 12_345, 37_655)
    assert paid.paid_on == timezone.localdate() and paid.paid_reference == "BACS 0042"
    done = services.claim_reimburse(actor=None, claim=paid, reference="PROG-7")
    assert done.status == Claim.Status.REIMBURSED
    line.refresh_from_db()
    assert line.paid_pence == 12_345  # reimbursed money stays spent


def test_an_approval_over_the_line_is_refused_naming_the_figures(world):
    funded(world)
    first = claim(world, amount=40_000)
    services.claim_approve(actor=None, claim=first)
    second = claim(world, amount=10_001)
    with pytest.raises(services.OverBudget) as refused:
        services.claim_approve(actor=None, claim=second)
    text = refused.value.text
    assert "would take Part B of Year 1 below zero" in text
    assert "allocated £500.00, committed £400.00, paid £0.00, available £100.00" in text
    assert refused.value.figures["available_pence"] == 10_000
    second.refresh_from_db()
    assert second.status == Claim.Status.SUBMITTED


def test_a_claim_that_would_not_fit_is_warned_not_blocked(world):
    funded(world)
    big = claim(world, amount=60_000)  # the line has £500
    assert big.status == Claim.Status.SUBMITTED
    assert "more than Part B has left (£500.00)" in selectors.claim_fit(big)
    services.claim_reject(actor=None, claim=big, reason="Split it into two claims")
    ahead = claim(world, amount=30_000)
    behind = claim(world, amount=30_000)
    assert selectors.claim_fit(ahead) == ""
    assert "£300.00 of claims ahead of this one" in selectors.claim_fit(behind)


def test_the_database_refuses_an_overspent_line_whatever_the_code_does(world):
    budget = funded(world)
    line = budget.lines.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        BudgetLine.objects.filter(pk=line.pk).update(committed_pence=line.allocated_pence + 1)


def test_steps_out_of_order_are_refused(world):
    funded(world)
    draft = claim(world, submit=False)
    with pytest.raises(ServiceError, match="is draft; it cannot be approved"):
        services.claim_approve(actor=None, claim=draft)
    with pytest.raises(ServiceError, match="cannot be paid"):
        services.claim_pay(actor=None, claim=draft, reference="x")
    rejected = claim_in(world, Claim.Status.REJECTED)
    assert rejected.rejection_reason == "Not eligible"
    with pytest.raises(ServiceError, match="cannot be approved"):
        services.claim_approve(actor=None, claim=rejected)
    with pytest.raises(ServiceError, match="reason"):
        services.claim_reject(actor=None, claim=claim(world), reason="  ")


def test_rejecting_an_approved_claim_releases_its_money(world):
    approved = claim_in(world, Claim.Status.APPROVED, amount=5_000)
    assert line_of(approved).committed_pence == 5_000
    services.claim_reject(actor=None, claim=approved, reason="Duplicate invoice")
    assert line_of(approved).committed_pence == 0


def test_a_claim_for_an_amount_needs_its_receipt_to_be_submitted(world):
    funded(world)
    made = services.claim_create(
        actor=None,
        cluster=world.alpha,
        category=category(world.science, Stream.Kind.PART_B),
        school=world.schools[1],
        activity_on=timezone.localdate(),
        description="Magnifiers",
        amount_pence=2_500,
    )
    with pytest.raises(ServiceError, match="Attach the invoice or receipt"):
        services.claim_submit(actor=None, claim=made)
    services.claim_attach_evidence(actor=None, claim=made, evidence=receipt())
    assert services.claim_submit(actor=None, claim=made).status == Claim.Status.SUBMITTED


def test_supply_cover_and_the_allowance_are_costed_at_the_programmes_rates(world):
    funded(world)
    supply = category(world.science, Stream.Kind.PART_A, Category.Counting.SUPPLY)
    half_days = services.claim_create(
        actor=None,
        cluster=world.alpha,
        category=supply,
        school=world.schools[2],
        activity_on=timezone.localdate(),
        description="Cover",
        unit="half_day",
        quantity=3,
    )
    assert (half_days.amount_pence, half_days.rate_pence) == (33_000, 11_000)
    with pytest.raises(ServiceError, match="whole number"):
        services.claim_create(
            actor=None,
            cluster=world.alpha,
            category=supply,
            school=world.schools[2],
            activity_on=timezone.localdate(),
            description="Cover",
            unit="day",
            quantity=Decimal("1.5"),
        )
    with pytest.raises(ServiceError, match="counted in whole days or half days"):
        services.claim_create(
            actor=None,
            cluster=world.alpha,
            category=supply,
            school=world.schools[2],
            activity_on=timezone.localdate(),
            description="Cover",
            unit="hour",
            quantity=2,
        )
    allowance = category(world.science, Stream.Kind.ALLOWANCE)
    coordinator = world.users.coordinator.person
    hours = services.claim_create(
        actor=None,
        cluster=world.alpha,
        category=allowance,
        claimant=coordinator,
        activity_on=timezone.localdate(),
        description="Visits",
        unit="hour",
        quantity=Decimal("2.5"),
    )
    # £250 a day over 6 hours: £41.67 an hour (rounded half up), 2.5 hours = £104.17.
    assert hours.amount_pence == 10_417
    assert hours.school == world.schools[0]  # the coordinator works nowhere: the lead school


def test_claims_are_refused_outside_a_budget_or_on_a_closed_year(world):
    budget = funded(world)
    with pytest.raises(ServiceError, match="has no budget covering"):
        claim(world, on=budget.start - dt.timedelta(days=1))
    with pytest.raises(ServiceError, match="in the future"):
        claim(world, on=timezone.localdate() + dt.timedelta(days=1))
    with pytest.raises(ServiceError, match="was not a member of Alpha"):
        claim(world, school=world.schools[4])
    services.budget_close(actor=None, budget=budget)
    with pytest.raises(ServiceError, match="closed on"):
        claim(world)


def test_closing_waits_for_claims_to_be_decided(world):
    budget = funded(world)
    claim(world)
    with pytest.raises(ServiceError, match="1 claim of Year 1 still wait"):
        services.budget_close(actor=None, budget=budget)


def test_a_transfer_keeps_the_original_and_cannot_take_money_already_used(world):
    budget = funded(world)
    part_a, part_b, allowance = budget.lines.order_by("stream__order")
    services.claim_approve(actor=None, claim=claim(world, amount=45_000))
    with pytest.raises(services.OverBudget, match="available £50.00"):
        services.variation_record(
            actor=None,
            kind="transfer",
            amount_pence=6_000,
            reason="More kit",
            from_line=part_b,
            to_line=part_a,
        )
    services.variation_record(
        actor=world.users.programme_admin,
        kind="transfer",
        amount_pence=20_000,
        reason="More kit needed",
        from_line=part_a,
        to_line=part_b,
    )
    part_a.refresh_from_db()
    part_b.refresh_from_db()
    assert (part_a.original_pence, part_a.allocated_pence) == (100_000, 80_000)
    assert (part_b.original_pence, part_b.allocated_pence) == (50_000, 70_000)
    total = sum(line.allocated_pence for line in budget.lines.all())
    assert total == 180_000  # a transfer moves money, it makes none
    with pytest.raises(ServiceError, match="Say why"):
        services.variation_record(
            actor=None, kind="increase", amount_pence=1, reason=" ", to_line=part_a
        )


def test_carry_over_follows_the_programmes_rule_once(world):
    budget = funded(world)
    start, end = year_span()
    following = services.budget_create(
        actor=None,
        cluster=world.alpha,
        year=2,
        start=end,
        end=end.replace(year=end.year + 1),
        lines=lines_for(world.science)[:1],
    )
    services.claim_approve(actor=None, claim=claim(world, amount=45_000))
    rules = FundingRules.objects.get(programme=world.science)
    assert rules.carry_over == "capped" and rules.carry_over_cap_percent == 20
    made = services.carry_over(actor=None, budget=budget)
    budget.refresh_from_db()
    assert budget.is_closed
    moved = {v.from_line.stream.kind: v.amount_pence for v in made}
    # Part A: £1,000 unspent, cap 20% = £200; Part B: £50 unspent; allowance: £300, cap £60.
    assert moved == {"part_a": 20_000, "part_b": 5_000, "allowance": 6_000}
    assert following.lines.count() == 3  # missing lines are made
    assert sum(line.allocated_pence for line in following.lines.all()) == 100_000 + 31_000
    with pytest.raises(ServiceError, match="already been carried over"):
        services.carry_over(actor=None, budget=budget)


def test_a_budget_year_is_within_the_programmes_years_and_does_not_overlap(world):
    budget = funded(world)
    with pytest.raises(ServiceError, match="for 5 years"):
        services.budget_create(
            actor=None,
            cluster=world.alpha,
            year=6,
            start=budget.end,
            end=budget.end + dt.timedelta(days=365),
        )
    with pytest.raises(ServiceError, match="overlap Year 1"):
        services.budget_create(
            actor=None, cluster=world.alpha, year=2, start=budget.start, end=budget.end
        )


def test_nobody_approves_their_own_claim(world):
    funded(world)
    head = world.users.head
    made = services.claim_create(
        actor=head,
        cluster=world.alpha,
        category=category(world.science, Stream.Kind.PART_B),
        school=world.schools[0],
        activity_on=timezone.localdate(),
        description="Kit",
        amount_pence=1_000,
        evidence=receipt(),
        submit=True,
    )
    assert made.submitted_by == head and made.created_by == head
    with pytest.raises(ServiceError, match="separation of duties"):
        services.claim_approve(actor=head, claim=made)


def test_the_approval_asks_the_gate_with_the_agreed_facts(world):
    funded(world)
    made = claim(world, amount=7_000)
    seen = {}

    def gate(**facts):
        seen.update(facts)
        if facts["amount_pence"] > 5_000:
            raise ServiceError("Above £50 the board decides first.")

    gates.register("funding.approve_claim", gate)
    try:
        with pytest.raises(ServiceError, match="board decides"):
            services.claim_approve(actor=None, claim=made)
    finally:
        gates._GATES["funding.approve_claim"].remove(gate)
    assert set(seen) == {"claim", "amount_pence", "school", "cluster", "on", "actor"}
    assert seen["cluster"] == world.alpha and seen["school"] == world.schools[1]
    made.refresh_from_db()
    assert made.status == Claim.Status.SUBMITTED
    assert line_of(made).committed_pence == 0


def test_supply_claims_start_from_a_meetings_register(world):
    from clusterwork.meetings import services as meeting_services
    from clusterwork.meetings.models import Event
    from clusterwork.people import services as people_services

    funded(world)
    start = timezone.now().replace(microsecond=0) + dt.timedelta(days=1)
    event = meeting_services.event_create(
        actor=None,
        cluster=world.alpha,
        title="Cluster meeting",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=3),
        location="Hall",
    )
    teachers = [
        people_services.person_create(actor=None, full_name=f"T {i}", school=world.schools[i % 2])
        for i in range(3)
    ]
    for teacher in teachers:
        meeting_services.invite_person(actor=None, event=event, person=teacher)
    earlier = timezone.now() - dt.timedelta(hours=4)
    Event.objects.filter(pk=event.pk).update(
        starts_at=earlier, ends_at=earlier + dt.timedelta(hours=3)
    )
    event.refresh_from_db()
    event.invitations.update(attendance="attended")
    supply = category(world.science, Stream.Kind.PART_A, Category.Counting.SUPPLY)
    made = services.claims_from_register(actor=None, event=event, category=supply, unit="half_day")
    by_school = {c.school: (c.quantity, c.amount_pence, c.status) for c in made}
    assert by_school == {
        world.schools[0]: (2, 22_000, "draft"),
        world.schools[1]: (1, 11_000, "draft"),
    }
    with pytest.raises(ServiceError, match="already claimed"):
        services.claims_from_register(actor=None, event=event, category=supply)


def test_forecast_says_on_track_underspend_or_over(world):
    budget = funded(world)
    start = budget.start
    outlook = selectors.forecast(budget, today=start + dt.timedelta(days=10))
    assert outlook.status == "on_track"  # too early to call
    late = start + dt.timedelta(days=300)
    outlook = selectors.forecast(budget, today=late)
    assert outlook.status == "underspend" and outlook.days_left == (budget.end - late).days
    assert outlook.at_risk == 180_000
    claim(world, amount=60_000)  # waiting, more than Part B's £500
    outlook = selectors.forecast(budget, today=late)
    assert outlook.pending == 60_000
    # Waiting claims beyond what Part B has left: at risk of going over, naming the line.
    assert outlook.status == "over" and [line.name for line in outlook.over_lines] == ["Part B"]
    services.claim_approve(actor=None, claim=claim(world, amount=50_000, kind=Stream.Kind.PART_A))
    outlook = selectors.forecast(budget, today=late)
    assert outlook.totals.used == 50_000
    claim(world, amount=80_000, kind=Stream.Kind.PART_A)
    assert selectors.forecast(budget, today=late).status == "over"
    terms = selectors.forecast(budget, today=late).terms
    assert [t.name.split()[0] for t in terms] == ["Autumn", "Spring", "Summer"]
    assert sum(t.spent for t in terms) == 50_000


def test_money_at_risk_lists_the_most_unspent_first(world):
    funded(world)
    services.claim_approve(actor=None, claim=claim(world, amount=50_000))
    rows = selectors.money_at_risk(world.science, world.users.programme_admin)
    assert [r.cluster.name for r in rows] == ["Beta", "Alpha"]
    assert rows[0].forecast.totals.available == 180_000
    assert rows[1].forecast.totals.available == 130_000
    assert [line.name for line in rows[1].lines] == ["Part A", "Coordinator's allowance"]
    # The coordinator of alpha sees alpha only.
    mine = selectors.money_at_risk(world.science, world.users.coordinator)
    assert [r.cluster.name for r in mine] == ["Alpha"]
