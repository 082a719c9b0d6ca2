"""Access helpers: 404 for users who may not see the object, 403 for read-only users."""

from clusterwork.core.access import access_object

from .selectors import clusters_visible_to, memberships_visible_to, programmes_visible_to


def access_programme(user, pk, *, for_write: bool = False):
    return access_object(
        user,
        programmes_visible_to(user),
        pk,
        change_perm="clusters.change_programme",
        for_write=for_write,
    )


def access_cluster(user, pk, *, for_write: bool = False, include_archived: bool = True):
    return access_object(
        user,
        clusters_visible_to(user, include_archived=include_archived),
        pk,
        change_perm="clusters.change_cluster",
        for_write=for_write,
    )


def access_membership(user, pk, *, for_write: bool = False):
    return access_object(
        user,
        memberships_visible_to(user),
        pk,
        change_perm="clusters.change_clustermembership",
        for_write=for_write,
    )
