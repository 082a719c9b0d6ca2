"""Permission-matrix rows for every funding page (run by tests/web).

The funded world (``helpers.funded``): alpha's lead school is the head persona's school, so
the head approves and pays alpha's claims; the programme admin manages the money (budgets,
variations, reimbursement) but approves nothing; the coordinator and the head may claim; the
viewer reads; the outsider gets 404.
"""

import datetime as dt

from django.utils import timezone

from clusterwork.funding.models import Budget, Claim
from tests.web.matrix import ANY_USER, Route, profile

from .helpers import claim_in, funded, lines_for, receipt

ALPHA_READ = profile(outsider=404)
SCIENCE_READ = profile(outsider=404)
# The programme's money people: allocations, variations, reimbursement, the funding model.
MANAGE = profile(coordinator=403, head=403, viewer=403, outsider=404)
CLAIM = profile(viewer=403, outsider=404)
# Submitting a school's claim: its own staff or the coordinator (not the programme admin, not
# another school's head).
SUBMIT = profile(programme_admin=403, head=403, viewer=403, outsider=404)
# Deciding and paying: the lead school's head (and the superuser).
LEAD = profile(programme_admin=403, coordinator=403, viewer=403, outsider=404)


def _setup(w):
    funded(w)


def _alpha(w):
    return {"pk": w.alpha.pk}


def _budget(w):
    return {"pk": Budget.objects.get(cluster=w.alpha, year=1).pk}


def _claim(status):
    return lambda w: {"pk": claim_in(w, status).pk}


def _year_two(w):
    from clusterwork.funding import services

    budget = Budget.objects.get(cluster=w.alpha, year=1)
    if not Budget.objects.filter(cluster=w.alpha, year=2).exists():
        services.budget_create(
            actor=None,
            cluster=w.alpha,
            year=2,
            start=budget.end,
            end=budget.end.replace(year=budget.end.year + 1),
            lines=lines_for(w.science)[:1],
        )
    return {"pk": budget.pk}


def _event(w):
    from clusterwork.meetings import services as meeting_services

    start = timezone.now().replace(microsecond=0) + dt.timedelta(days=3)
    event = meeting_services.event_create(
        actor=None,
        cluster=w.alpha,
        title="Supply meeting",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        location="Hall",
    )
    return {"pk": event.pk}


def _new_claim(w):
    from .helpers import category

    return {
        "category": category(w.science, "part_b").pk,
        "school": w.schools[0].pk,
        "activity_on": timezone.localdate().isoformat(),
        "description": "Thermometers",
        "amount_pence": "24.99",
        "unit": "amount",
        "evidence": receipt(),
        "submit": "on",
    }


def _statement(w):
    claim_in(w, Claim.Status.APPROVED)
    return {"pk": w.alpha.pk, "school_pk": w.schools[1].pk, "fmt": "html"}


def _line_ids(w):
    budget = Budget.objects.get(cluster=w.alpha, year=1)
    return list(budget.lines.order_by("stream__order").values_list("pk", flat=True))


ROUTES = [
    Route("funding:cluster_funding", kwargs=_alpha, expect=ALPHA_READ, setup=_setup),
    Route("funding:budget_detail", kwargs=_budget, expect=ALPHA_READ, setup=_setup),
    Route("funding:budget_new", kwargs=_alpha, expect=MANAGE, setup=_setup),
    Route(
        "funding:budget_new",
        kwargs=_alpha,
        expect=MANAGE,
        setup=_setup,
        method="post",
        ok=302,
        data=lambda w: {
            "year": 2,
            "start": Budget.objects.get(cluster=w.alpha, year=1).end.isoformat(),
            "end": Budget.objects.get(cluster=w.alpha, year=1)
            .end.replace(year=Budget.objects.get(cluster=w.alpha, year=1).end.year + 1)
            .isoformat(),
            "note": "Year 2",
        },
    ),
    Route("funding:variation_new", kwargs=_budget, expect=MANAGE, setup=_setup),
    Route(
        "funding:variation_new",
        kwargs=_budget,
        expect=MANAGE,
        setup=_setup,
        method="post",
        ok=302,
        data=lambda w: {
            "kind": "transfer",
            "from_line": _line_ids(w)[0],
            "to_line": _line_ids(w)[1],
            "amount_pence": "100.00",
            "reason": "More kit for the themed boxes",
        },
    ),
    Route("funding:budget_close", kwargs=_budget, expect=MANAGE, setup=_setup),
    Route(
        "funding:budget_close", kwargs=_budget, expect=MANAGE, setup=_setup, method="post", ok=302
    ),
    Route("funding:budget_carry_over", kwargs=_budget, expect=MANAGE, setup=_setup),
    Route(
        "funding:budget_carry_over",
        kwargs=_year_two,
        expect=MANAGE,
        setup=_setup,
        method="post",
        ok=302,
    ),
    Route("funding:claim_list", expect=ANY_USER, setup=_setup),
    Route(
        "funding:claim_list",
        expect=ANY_USER,
        setup=_setup,
        data=lambda w: {"export": "csv", "_": claim_in(w, Claim.Status.PAID).pk},
        label="funding:claim_list-csv",
    ),
    Route("funding:claim_new", kwargs=_alpha, expect=CLAIM, setup=_setup),
    Route(
        "funding:claim_new",
        kwargs=_alpha,
        expect=CLAIM,
        setup=_setup,
        method="post",
        ok=302,
        data=_new_claim,
    ),
    Route(
        "funding:claim_detail",
        kwargs=_claim(Claim.Status.SUBMITTED),
        expect=ALPHA_READ,
        setup=_setup,
    ),
    Route(
        "funding:claim_detail",
        kwargs=_claim(Claim.Status.APPROVED),
        expect=ALPHA_READ,
        setup=_setup,
        label="funding:claim_detail-approved",
    ),
    Route(
        "funding:claim_evidence",
        kwargs=_claim(Claim.Status.SUBMITTED),
        expect=ALPHA_READ,
        setup=_setup,
    ),
    Route(
        "funding:claim_attach",
        kwargs=_claim(Claim.Status.DRAFT),
        expect=SUBMIT,
        setup=_setup,
        method="post",
        ok=302,
        data=lambda w: {"evidence": receipt()},
    ),
    Route(
        "funding:claim_submit",
        kwargs=_claim(Claim.Status.DRAFT),
        expect=SUBMIT,
        setup=_setup,
        method="post",
        ok=302,
    ),
    Route(
        "funding:claim_withdraw",
        kwargs=_claim(Claim.Status.SUBMITTED),
        expect=SUBMIT,
        setup=_setup,
        method="post",
        ok=302,
    ),
    Route(
        "funding:claim_approve",
        kwargs=_claim(Claim.Status.SUBMITTED),
        expect=LEAD,
        setup=_setup,
        method="post",
        ok=302,
    ),
    Route(
        "funding:claim_reject",
        kwargs=_claim(Claim.Status.SUBMITTED),
        expect=LEAD,
        setup=_setup,
        method="post",
        ok=302,
        data=lambda w: {"reason": "Not in the plan"},
    ),
    Route(
        "funding:claim_pay",
        kwargs=_claim(Claim.Status.APPROVED),
        expect=LEAD,
        setup=_setup,
        method="post",
        ok=302,
        data=lambda w: {"paid_on": timezone.localdate().isoformat(), "reference": "BACS 12"},
    ),
    Route(
        "funding:claim_reimburse",
        kwargs=_claim(Claim.Status.PAID),
        expect=MANAGE,
        setup=_setup,
        method="post",
        ok=302,
        data=lambda w: {"reimbursed_on": timezone.localdate().isoformat(), "reference": "R-9"},
    ),
    Route("funding:register_claims", kwargs=_event, expect=CLAIM, setup=_setup),
    Route(
        "funding:statement",
        kwargs=_statement,
        expect=ALPHA_READ,
        setup=_setup,
    ),
    Route(
        "funding:programme_funding",
        kwargs=lambda w: {"pk": w.science.pk},
        expect=SCIENCE_READ,
        setup=_setup,
    ),
    Route(
        "funding:programme_unspent",
        kwargs=lambda w: {"pk": w.science.pk},
        expect=SCIENCE_READ,
        setup=_setup,
    ),
    Route("funding:model_install", kwargs=lambda w: {"pk": w.science.pk}, expect=MANAGE),
    Route(
        "funding:model_install",
        kwargs=lambda w: {"pk": w.science.pk},
        expect=MANAGE,
        method="post",
        ok=302,
    ),
    Route("funding:rules_edit", kwargs=lambda w: {"pk": w.science.pk}, expect=MANAGE, setup=_setup),
    Route(
        "funding:rules_edit",
        kwargs=lambda w: {"pk": w.science.pk},
        expect=MANAGE,
        setup=_setup,
        method="post",
        ok=302,
        data=lambda w: {
            "years": 5,
            "supply_day_pence": "230.00",
            "supply_half_day_pence": "115.00",
            "allowance_day_pence": "250.00",
            "allowance_half_day_pence": "125.00",
            "allowance_hours_per_day": "6",
            "carry_over": "capped",
            "carry_over_cap_percent": 20,
            "prompt_days": 30,
        },
    ),
    Route("funding:lead_school_list", expect=ANY_USER, setup=_setup),
    Route(
        "funding:lead_school",
        kwargs=lambda w: {"pk": w.schools[0].pk},
        expect=ALPHA_READ,
        setup=_setup,
    ),
    # beta's lead school: nobody of alpha knows it leads anything.
    Route(
        "funding:lead_school",
        kwargs=lambda w: {"pk": w.schools[3].pk},
        expect=profile(coordinator=404, head=404, viewer=404, outsider=404),
        setup=_setup,
        label="funding:lead_school-beta",
    ),
]
