"""Object permissions for programmes, clusters and memberships (django-rules)."""

import rules

from clusterwork.people.scopes import scope_for


@rules.predicate
def can_view_programme(user, programme):
    return programme is not None and scope_for(user).can_view_programme(programme)


@rules.predicate
def can_change_programme(user, programme):
    return programme is not None and scope_for(user).can_change_programme(programme)


@rules.predicate
def can_view_cluster(user, cluster):
    return cluster is not None and scope_for(user).can_view_cluster(cluster)


@rules.predicate
def can_change_cluster(user, cluster):
    return cluster is not None and scope_for(user).can_change_cluster(cluster)


@rules.predicate
def can_view_membership(user, membership):
    return membership is not None and scope_for(user).can_view_cluster(membership.cluster)


@rules.predicate
def can_change_membership(user, membership):
    return membership is not None and scope_for(user).can_change_cluster(membership.cluster)


rules.add_perm("clusters.view_programme", can_view_programme)
rules.add_perm("clusters.change_programme", can_change_programme)
rules.add_perm("clusters.add_cluster", can_change_programme)
rules.add_perm("clusters.view_cluster", can_view_cluster)
rules.add_perm("clusters.change_cluster", can_change_cluster)
rules.add_perm("clusters.view_clustermembership", can_view_membership)
rules.add_perm("clusters.change_clustermembership", can_change_membership)
