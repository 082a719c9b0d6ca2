"""The cluster's coordinator (and programme) plan its work; a goal's owner reports progress."""

import rules

from clusterwork.people.rules import asks


def cluster(obj):
    """The cluster itself, or the cluster a goal or project belongs to."""
    return getattr(obj, "cluster", obj)


@rules.predicate
def owns_goal(user, goal):
    owner = getattr(goal, "owner", None)
    return owner is not None and owner.user_id is not None and owner.user_id == user.pk


plans_cluster = asks("can_change_cluster", of=cluster)
rules.add_perm("goals.plan_cluster", plans_cluster)
rules.add_perm("goals.report_progress", plans_cluster | owns_goal)
