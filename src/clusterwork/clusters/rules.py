"""Object permissions for programmes, clusters and memberships (django-rules)."""

import rules

from clusterwork.people.rules import asks


def cluster(membership):
    return membership.cluster


rules.add_perm("clusters.view_programme", asks("can_view_programme"))
rules.add_perm("clusters.change_programme", asks("can_change_programme"))
rules.add_perm("clusters.add_cluster", asks("can_change_programme"))
rules.add_perm("clusters.view_cluster", asks("can_view_cluster"))
rules.add_perm("clusters.change_cluster", asks("can_change_cluster"))
rules.add_perm("clusters.view_clustermembership", asks("can_view_cluster", of=cluster))
rules.add_perm("clusters.change_clustermembership", asks("can_change_cluster", of=cluster))
