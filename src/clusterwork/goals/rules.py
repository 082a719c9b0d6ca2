"""The cluster's coordinator (and programme) plan its work; a goal's owner reports progress."""

import rules

from clusterwork.people.scopes import scope_for


def _cluster_of(obj):
    return getattr(obj, "cluster", obj)


@rules.predicate
def can_plan(user, obj):
    return obj is not None and scope_for(user).can_change_cluster(_cluster_of(obj))


@rules.predicate
def owns_goal(user, goal):
    owner = getattr(goal, "owner", None)
    return owner is not None and owner.user_id is not None and owner.user_id == user.pk


rules.add_perm("goals.plan_cluster", can_plan)
rules.add_perm("goals.report_progress", can_plan | owns_goal)
