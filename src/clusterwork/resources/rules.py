"""Who adds and lends shared resources, and who books them.

- whoever changes a cluster (its coordinator, the programme's or trust's admins) adds items
  to it and, for an item it shares, checks loans out and records returns;
- the staff of a member school (headteacher, subject leader, business manager) book an item
  their cluster shares, for their own school; whoever lends it books for any member school;
- a booking is cancelled by whoever made it, or by whoever lends the item.
"""

import rules
from django.utils import timezone

from clusterwork.core.dated import in_force
from clusterwork.people.models import Role
from clusterwork.people.rules import asks
from clusterwork.people.scopes import scope_for

BOOKING_ROLES = (Role.HEADTEACHER, Role.SUBJECT_LEADER, Role.BUSINESS_MANAGER)


def _clusters(resource):
    return list(resource.clusters.select_related("programme"))


@rules.predicate
def lends_resource(user, resource):
    if resource is None or resource.pk is None:
        return False
    scope = scope_for(user)
    return any(scope.can_change_cluster(c) for c in _clusters(resource))


def booking_school_ids(user, resource) -> set[int]:
    """The schools a member school's staff may book ``resource`` for: theirs, while a member
    of a cluster that shares it."""
    scope = scope_for(user)
    mine = scope.ids("school", roles=BOOKING_ROLES)
    if not mine or resource.pk is None:
        return set()
    from clusterwork.clusters.models import ClusterMembership

    return set(
        ClusterMembership.objects.filter(in_force(timezone.localdate()))
        .filter(cluster__in=resource.clusters.all(), school_id__in=mine)
        .values_list("school_id", flat=True)
    )


@rules.predicate
def staff_of_a_sharing_school(user, resource):
    return resource is not None and bool(booking_school_ids(user, resource))


@rules.predicate
def booked_it(user, loan):
    return loan is not None and loan.booked_by_id is not None and loan.booked_by_id == user.pk


@rules.predicate
def lends_its_resource(user, loan):
    return loan is not None and lends_resource(user, loan.resource)


rules.add_perm("resources.add_resource", asks("can_change_cluster"))
rules.add_perm("resources.lend_resource", lends_resource)
rules.add_perm("resources.book_resource", lends_resource | staff_of_a_sharing_school)
rules.add_perm("resources.cancel_loan", lends_its_resource | booked_it)
