"""Who may do what with a cluster's money (docs/permissions.md, "funding.*").

- the programme's finance officer, its admin (or the trust's, when a trust runs it) set the
  funding model, allocations and variations, and record reimbursements;
- the lead school's headteacher or business manager approve and pay the claims sent to
  their school; the coordinator approves Part A and Part B claims where the programme allows
  it (never the allowance, which is their own);
- a member school's headteacher or business manager submit their school's claims, and the
  coordinator the allowance.
"""

import rules

from clusterwork.people.models import Role
from clusterwork.people.rules import asks
from clusterwork.people.scopes import scope_for

SCHOOL_MONEY = (Role.HEADTEACHER, Role.BUSINESS_MANAGER)


def programme_of(obj):
    """The programme a funding object belongs to (a programme, cluster, budget, claim…)."""
    for path in ("programme", "cluster.programme", "budget.cluster.programme"):
        target = obj
        try:
            for part in path.split("."):
                target = getattr(target, part)
        except AttributeError:
            continue
        if target is not None and target._meta.model_name == "programme":
            return target
    if obj._meta.model_name == "programme":
        return obj
    return None


def manages_funding(user, programme) -> bool:
    scope = scope_for(user)
    if scope.is_superuser:
        return True
    if programme is None:
        return False
    if scope.holds((Role.PROGRAMME_ADMIN, Role.FINANCE_OFFICER), programme):
        return True
    return programme.trust_id is not None and scope.holds(
        (Role.TRUST_ADMIN, Role.FINANCE_OFFICER), programme.trust
    )


@rules.predicate
def can_manage_funding(user, obj):
    return obj is not None and manages_funding(user, programme_of(obj))


@rules.predicate
def can_add_claim(user, cluster):
    """The coordinator, the programme's money people, and the headteacher or business
    manager of a member school (or of the lead school)."""
    if cluster is None:
        return False
    scope = scope_for(user)
    if scope.is_superuser or scope.holds(Role.CLUSTER_COORDINATOR, cluster):
        return True
    if manages_funding(user, cluster.programme):
        return True
    schools = scope.ids("school", roles=SCHOOL_MONEY)
    if not schools:
        return False
    if cluster.lead_school_id in schools:
        return True
    return cluster.memberships.current().filter(school_id__in=schools).exists()


@rules.predicate
def can_submit_claim(user, claim):
    if claim is None:
        return False
    scope = scope_for(user)
    if scope.is_superuser or (claim.created_by_id and claim.created_by_id == user.pk):
        return True
    if scope.holds(SCHOOL_MONEY, claim.school):
        return True
    return scope.holds(Role.CLUSTER_COORDINATOR, claim.budget.cluster)


def _lead_staff(user, claim) -> bool:
    return scope_for(user).holds(SCHOOL_MONEY, claim.budget.lead_school)


@rules.predicate
def can_approve_claim(user, claim):
    if claim is None:
        return False
    if scope_for(user).is_superuser or _lead_staff(user, claim):
        return True
    from .models import FundingRules, Stream

    cluster = claim.budget.cluster
    if not scope_for(user).holds(Role.CLUSTER_COORDINATOR, cluster):
        return False
    if claim.category.stream.kind == Stream.Kind.ALLOWANCE:
        return False
    return FundingRules.objects.filter(
        programme_id=cluster.programme_id, coordinator_approves=True
    ).exists()


@rules.predicate
def can_pay_claim(user, claim):
    return claim is not None and (scope_for(user).is_superuser or _lead_staff(user, claim))


rules.add_perm("funding.view_funding", asks("can_view_cluster"))
rules.add_perm("funding.manage_funding", can_manage_funding)
rules.add_perm("funding.add_claim", can_add_claim)
rules.add_perm("funding.submit_claim", can_submit_claim)
rules.add_perm("funding.approve_claim", can_approve_claim)
rules.add_perm("funding.pay_claim", can_pay_claim)
rules.add_perm("funding.reimburse_claim", can_manage_funding)
