"""Who records changes in circumstances and staff changes: those who run the cluster."""

import rules

from clusterwork.people.scopes import scope_for


@rules.predicate
def runs_cluster(user, cluster):
    return cluster is not None and scope_for(user).can_change_cluster(cluster)


rules.add_perm("circumstances.record_change", runs_cluster)
rules.add_perm("circumstances.record_staff_change", runs_cluster)
