"""What funding tells the rest of Clusterwork without being imported: the personal data it
holds, the measures it can count, the digest's items, and sections on pages of other apps
(a cluster's impact dashboard; what moving a school means for its claims)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse

from clusterwork.core import digest, measures, personal_data
from clusterwork.core.digest import DigestItem
from clusterwork.core.measures import Measure
from clusterwork.core.personal_data import PersonalData

from .money import pounds

STEP_FIELDS = ("created_by", "submitted_by", "decided_by", "paid_by", "reimbursed_by")


# ----- personal data -------------------------------------------------------------------------


def _claims_of(person):
    from .models import Claim

    user_id = person.user_id
    condition = Q(claimant=person)
    if user_id:
        for name in STEP_FIELDS:
            condition |= Q(**{f"{name}_id": user_id})
    return Claim.objects.filter(condition).select_related("school", "budget__cluster")


def export_claims(person) -> list[dict]:
    rows = []
    for claim in _claims_of(person).order_by("pk"):
        roles = [
            name
            for name in STEP_FIELDS
            if person.user_id and getattr(claim, f"{name}_id") == person.user_id
        ]
        if claim.claimant_id == person.pk:
            roles.append("claimant")
        rows.append(
            {
                "claim": claim.reference,
                "cluster": claim.budget.cluster.name,
                "school": claim.school.name,
                "activity_on": claim.activity_on.isoformat(),
                "description": claim.description,
                "amount_pence": claim.amount_pence,
                "status": claim.status,
                "your_part": ", ".join(roles),
            }
        )
    return rows


def erase_claims(person, actor) -> int:
    """Claims are the school's and the programme's accounts: they stay, but no longer name
    the person (who drafted, submitted, decided, paid, or whose allowance it was)."""
    from clusterwork.core.audit import audited_save

    changed = 0
    for claim in _claims_of(person):
        if claim.claimant_id == person.pk:
            claim.claimant = None
        for name in STEP_FIELDS:
            if person.user_id and getattr(claim, f"{name}_id") == person.user_id:
                setattr(claim, name, None)
        audited_save(claim, actor, "personal data erased")
        changed += 1
    return changed


def export_variations(person) -> list[dict]:
    from .models import Budget, Variation

    if not person.user_id:
        return []
    user = person.user_id
    found = Variation.objects.filter(Q(approved_by_id=user) | Q(recorded_by_id=user))
    rows = [
        {
            "variation": v.pk,
            "kind": v.kind,
            "amount_pence": v.amount_pence,
            "reason": v.reason,
            "approved_on": v.approved_on.isoformat(),
        }
        for v in found.order_by("pk")
    ]
    budgets = Budget.objects.filter(Q(created_by_id=user) | Q(closed_by_id=user))
    rows += [
        {
            "budget": str(b),
            "set_by_you": b.created_by_id == user,
            "closed_by_you": b.closed_by_id == user,
        }
        for b in budgets.select_related("cluster").order_by("pk")
    ]
    return rows


def erase_variations(person, actor) -> int:
    """Variations and budgets stay (they are the accounts); who approved, recorded, set or
    closed them is forgotten."""
    from .models import Budget, Variation

    if not person.user_id:
        return 0
    changed = 0
    for model, fields in (
        (Variation, ("approved_by", "recorded_by")),
        (Budget, ("created_by", "closed_by")),
    ):
        for field in fields:
            changed += model.objects.filter(**{f"{field}_id": person.user_id}).update(
                **{field: None}
            )
    return changed


def export_nudges(person) -> list[dict]:
    from .models import Nudge

    return [
        {
            "budget": str(n.budget),
            "days_left": n.days_left,
            "unspent_pence": n.unspent_pence,
            "sent_at": n.sent_at.isoformat() if n.sent_at else "",
        }
        for n in Nudge.objects.filter(person=person).select_related("budget__cluster")
    ]


def erase_nudges(person, actor) -> int:
    """The record that an email went out stays, without the person."""
    from .models import Nudge

    return Nudge.objects.filter(person=person).update(person=None)


# ----- measures ----------------------------------------------------------------------------


def _budget_on(cluster, day):
    from .models import Budget

    return Budget.objects.filter(cluster=cluster).on(day).prefetch_related("lines").first()


def unspent_share(cluster, day: dt.date) -> Decimal | None:
    """Share (%) of the cluster's budget in force on ``day`` not yet committed or paid."""
    from .selectors import totals_of

    budget = _budget_on(cluster, day)
    if budget is None:
        return None
    return totals_of(budget.lines.all()).unspent_share


def money_at_risk(cluster, day: dt.date) -> int | None:
    from .selectors import forecast

    budget = _budget_on(cluster, day)
    if budget is None:
        return None
    return forecast(budget, today=day, with_terms=False).at_risk


def claims_waiting(cluster, day: dt.date) -> int | None:
    from .models import Budget, Claim

    if not Budget.objects.filter(cluster=cluster).exists():
        return None
    return Claim.objects.filter(
        budget__cluster=cluster, status=Claim.Status.SUBMITTED, archived_at__isnull=True
    ).count()


def school_claimed(school, day: dt.date) -> int | None:
    """Pence a school has had approved or paid in budget years in force on ``day``."""
    from .models import Claim

    claims = Claim.objects.filter(school=school, budget__start__lte=day, budget__end__gt=day)
    if not claims.exists():
        return None
    return claims.filter(status__in=["approved", "paid", "reimbursed"]).aggregate(
        total=Coalesce(Sum("amount_pence"), 0)
    )["total"]


# ----- the digest --------------------------------------------------------------------------


def digest_items(user, since, until) -> list[DigestItem]:
    """Claims waiting for this user's approval lead ("due"); a school's claims decided or
    paid in the period follow as news."""
    import rules as django_rules

    from .models import Claim
    from .selectors import claims_visible_to

    visible = claims_visible_to(user).filter(archived_at__isnull=True)
    items = []
    for claim in visible.filter(status=Claim.Status.SUBMITTED).order_by("submitted_at")[:100]:
        if django_rules.has_perm("funding.approve_claim", user, claim):
            items.append(
                DigestItem(
                    app="funding",
                    title=f"Claim {claim.reference} from {claim.school.name} waits for approval: "
                    f"{claim.amount} ({claim.category.name})",
                    url=claim.get_absolute_url(),
                    when=claim.submitted_at,
                    kind="due",
                )
            )
    decided = visible.filter(
        Q(decided_at__gte=since, decided_at__lt=until)
        | Q(paid_on__gte=_day(since), paid_on__lt=_day(until))
    ).exclude(status=Claim.Status.SUBMITTED)[:100]
    for claim in decided:
        items.append(
            DigestItem(
                app="funding",
                title=f"Claim {claim.reference} of {claim.school.name} "
                f"{claim.get_status_display().lower()}: {claim.amount}",
                url=claim.get_absolute_url(),
                when=claim.paid_on or claim.decided_at,
            )
        )
    return items


def _day(moment):
    return moment.date() if isinstance(moment, dt.datetime) else moment


# ----- sections on other apps' pages --------------------------------------------------------


def impact_cluster(request, cluster):
    """The cluster's money on its impact dashboard: this year's budget and its outlook."""
    from django.utils import timezone

    from .selectors import forecast

    if not request.user.has_perm("funding.view_funding", cluster):
        return None
    budget = _budget_on(cluster, timezone.localdate())
    if budget is None:
        return None
    outlook = forecast(budget)
    return {
        "budget": budget,
        "forecast": outlook,
        "url": reverse("funding:cluster_funding", args=[cluster.pk]),
    }


def move_proposal(request, proposal):
    """What moving ``proposal.school`` from ``proposal.from_cluster`` to ``to_cluster`` on
    ``effective_on`` means for its money: claims still open stay with the old cluster's
    budget and lead school; claims for activity from the move day go to the new cluster's
    budget (if it has one for that day)."""
    from .models import Budget, Claim
    from .selectors import claims_visible_to

    school, day = proposal.school, proposal.effective_on
    source, target = proposal.from_cluster, proposal.to_cluster
    if source is None:
        return None
    open_claims = list(
        claims_visible_to(request.user).filter(
            budget__cluster=source,
            school=school,
            archived_at__isnull=True,
            status__in=[
                Claim.Status.DRAFT,
                Claim.Status.SUBMITTED,
                Claim.Status.APPROVED,
                Claim.Status.PAID,
            ],
        )
    )
    sums = {s: 0 for s in Claim.Status.values}
    for claim in open_claims:
        sums[claim.status] += claim.amount_pence
    after = [
        c
        for c in open_claims
        if c.activity_on >= day and c.status in (Claim.Status.DRAFT, Claim.Status.SUBMITTED)
    ]
    old_budget = Budget.objects.filter(cluster=source).on(day).select_related("lead_school").first()
    new_budget = (
        Budget.objects.filter(cluster=target).on(day).select_related("lead_school").first()
        if target
        else None
    )
    return {
        "school": school,
        "source": source,
        "target": target,
        "day": day,
        "open_claims": open_claims,
        "sums": {k: pounds(v) for k, v in sums.items()},
        "after": after,
        "old_budget": old_budget,
        "new_budget": new_budget,
    }


def register_all() -> None:
    personal_data.register(
        PersonalData(
            app="funding",
            label="Claims drafted, submitted, decided, paid or claimed by the person",
            export=export_claims,
            erase=erase_claims,
            models=("funding.Claim",),
        )
    )
    personal_data.register(
        PersonalData(
            app="funding",
            label="Budgets and variations set, closed, approved or recorded by the person",
            export=export_variations,
            erase=erase_variations,
            models=("funding.Variation", "funding.Budget"),
        )
    )
    personal_data.register(
        PersonalData(
            app="funding",
            label="Emails about money at risk sent to the person",
            export=export_nudges,
            erase=erase_nudges,
            models=("funding.Nudge",),
        )
    )
    measures.register(
        Measure(
            key="funding.unspent_share",
            label="Share of this year's budget unspent",
            applies_to="cluster",
            unit="%",
            compute=unspent_share,
            higher_is_better=False,
            help_text="Allocation not yet committed or paid, of the year in force.",
        )
    )
    measures.register(
        Measure(
            key="funding.money_at_risk",
            label="Money at risk of going unspent",
            applies_to="cluster",
            unit="pence",
            compute=money_at_risk,
            higher_is_better=False,
            help_text="Allocation less spending projected at the pace so far.",
        )
    )
    measures.register(
        Measure(
            key="funding.claims_waiting",
            label="Claims waiting for approval",
            applies_to="cluster",
            compute=claims_waiting,
            higher_is_better=False,
        )
    )
    measures.register(
        Measure(
            key="funding.school_claimed",
            label="Funding claimed by the school this year",
            applies_to="school",
            unit="pence",
            compute=school_claimed,
        )
    )
    digest.register("funding", digest_items)
