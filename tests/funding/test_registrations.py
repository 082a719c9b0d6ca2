"""What funding registers for other apps: personal data (export and erase), measures, digest
items, the impact_cluster and move_proposal sections, and the coordinators' nudge emails."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core import mail
from django.db import models
from django.test import RequestFactory
from django.utils import timezone

from clusterwork.core import digest, measures, personal_data, registry
from clusterwork.funding import registrations, services
from clusterwork.funding.models import Claim, Nudge, Variation
from clusterwork.funding.nudges import due_nudges, send_nudges

from .helpers import claim, claim_in, funded

pytestmark = pytest.mark.django_db


def _links_to_people(model) -> bool:
    return any(
        isinstance(f, models.ForeignKey)
        and f.related_model._meta.label in ("people.User", "people.Person")
        for f in model._meta.get_fields()
    )


def test_every_funding_model_that_names_a_person_is_covered():
    named = {
        m._meta.label
        for m in apps.get_app_config("funding").get_models()
        if _links_to_people(m) and not m._meta.label.startswith("funding.Historical")
    }
    assert named and named <= personal_data.covered_models()


def _erase_funding(person):
    """Funding's own erasers (the people app refuses a whole erasure while roles are held)."""
    return {
        entry.label: entry.erase(person, None)
        for entry in personal_data.entries()
        if entry.app == "funding" and entry.erase
    }


def test_personal_data_exports_and_erases_the_people_in_claims(world):
    funded(world)
    head = world.users.head
    made = services.claim_create(
        actor=head,
        cluster=world.alpha,
        category=claim(world).category,
        school=world.schools[0],
        activity_on=timezone.localdate(),
        description="Kit",
        amount_pence=500,
        evidence=claim(world).evidence,
        submit=True,
    )
    services.claim_approve(actor=world.users.superuser, claim=made)
    exported = personal_data.export_for(head.person)
    rows = exported["funding: Claims drafted, submitted, decided, paid or claimed by the person"]
    assert [r["claim"] for r in rows] == [made.reference]
    assert rows[0]["your_part"] == "created_by, submitted_by"
    erased = _erase_funding(head.person)
    assert erased["Claims drafted, submitted, decided, paid or claimed by the person"] == 1
    made.refresh_from_db()
    assert made.created_by is None and made.submitted_by is None
    assert made.decided_by == world.users.superuser  # someone else's part stays
    assert made.amount_pence == 500 and made.status == Claim.Status.APPROVED


def test_variations_name_who_approved_until_erased(world):
    budget = funded(world)
    a, b, _ = budget.lines.order_by("stream__order")
    admin = world.users.programme_admin
    services.variation_record(
        actor=admin, kind="transfer", amount_pence=100, reason="x", from_line=a, to_line=b
    )
    key = "funding: Budgets and variations set, closed, approved or recorded by the person"
    assert personal_data.export_for(admin.person)[key][0]["amount_pence"] == 100
    _erase_funding(admin.person)
    assert Variation.objects.get().approved_by is None


def test_measures_count_the_unspent_share_money_at_risk_and_claims_waiting(world):
    budget = funded(world)
    today = timezone.localdate()
    assert measures.value("funding.unspent_share", world.alpha, today) == 100
    services.claim_approve(actor=None, claim=claim(world, amount=45_000))
    claim(world, amount=1_000)
    assert str(measures.value("funding.unspent_share", world.alpha, today)) == "75.0"
    assert measures.value("funding.claims_waiting", world.alpha, today) == 1
    late = budget.start + dt.timedelta(days=300)
    assert measures.value("funding.money_at_risk", world.alpha, late) > 0
    assert measures.value("funding.school_claimed", world.schools[1], today) == 45_000
    assert measures.value("funding.unspent_share", world.gamma, today) is None  # no budget
    assert measures.get("funding.unspent_share").higher_is_better is False


def test_the_digest_leads_with_claims_waiting_for_this_users_approval(world):
    funded(world)
    waiting = claim(world, amount=2_500)
    since = timezone.now() - dt.timedelta(days=7)
    until = timezone.now() + dt.timedelta(minutes=1)
    head_items = [i for i in digest.items_for(world.users.head, since, until) if i.app == "funding"]
    assert [(i.kind, i.url) for i in head_items] == [("due", waiting.get_absolute_url())]
    assert "waits for approval: £25.00" in head_items[0].title
    # The coordinator sees the claim but does not approve it: nothing due for them.
    coordinator = [
        i for i in digest.items_for(world.users.coordinator, since, until) if i.app == "funding"
    ]
    assert all(i.kind != "due" for i in coordinator)
    assert digest.items_for(world.users.outsider, since, until) == [] or all(
        i.app != "funding" for i in digest.items_for(world.users.outsider, since, until)
    )


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_the_impact_section_shows_the_years_outlook(world):
    funded(world)
    templates = [s.template for s in registry._registry.sections["impact_cluster"]]
    assert "funding/sections/impact_cluster.html" in templates
    shown = registry.sections_for("impact_cluster", _request(world.users.coordinator), world.alpha)
    context = dict(shown)["funding/sections/impact_cluster.html"]
    assert context["forecast"].totals.allocated == 180_000
    assert registrations.impact_cluster(_request(world.users.outsider), world.alpha) is None


def test_the_move_section_says_what_moving_the_school_means_for_its_claims(world):
    from django.template.loader import render_to_string

    funded(world)
    claim_in(world, Claim.Status.APPROVED, amount=3_000)
    claim(world, amount=1_500)  # waiting
    proposal = SimpleNamespace(
        school=world.schools[1],
        from_cluster=world.alpha,
        to_cluster=world.beta,
        effective_on=timezone.localdate(),
    )
    context = registrations.move_proposal(_request(world.users.programme_admin), proposal)
    assert context["sums"]["approved"] == "£30.00" and context["sums"]["submitted"] == "£15.00"
    assert context["new_budget"].cluster == world.beta
    html = render_to_string("funding/sections/move_proposal.html", context)
    assert "stay on Alpha" in html and "go to Beta" in html and "approved and unpaid £30.00" in html
    assert "1 draft or waiting claim" in html


def test_coordinators_are_nudged_once_with_the_figures_before_the_year_ends(world, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    budget = funded(world)
    coordinator = world.users.coordinator.person
    near_end = budget.end - dt.timedelta(days=45)
    assert [(p, t) for _, p, t in due_nudges(near_end) if _.budget == budget] == [(coordinator, 60)]
    assert send_nudges.call(near_end.isoformat()) >= 1
    message = next(m for m in mail.outbox if coordinator.email in m.to)
    assert message.subject == "Alpha: £1,800.00 left to spend, 45 days to go"
    assert "Part A: £1,000.00" in message.body and world.schools[0].name in message.body
    assert Nudge.objects.get(budget=budget, person=coordinator).days_left == 60
    before = len(mail.outbox)
    send_nudges.call(near_end.isoformat())
    assert len(mail.outbox) == before  # once per threshold
    send_nudges.call((budget.end - dt.timedelta(days=20)).isoformat())
    assert Nudge.objects.filter(budget=budget, person=coordinator).count() == 2
