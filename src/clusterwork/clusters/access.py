"""Access helpers: 404 for users who may not see the object, 403 for those without ``perm``."""

from clusterwork.core.access import access_object

from .selectors import clusters_visible_to, memberships_visible_to, programmes_visible_to


def access_programme(user, pk, *, perm: str | None = None, lock: bool = False):
    return access_object(user, programmes_visible_to(user), pk, perm=perm, lock=lock)


def access_cluster(
    user, pk, *, perm: str | None = None, lock: bool = False, include_archived: bool = True
):
    visible = clusters_visible_to(user, include_archived=include_archived)
    return access_object(user, visible, pk, perm=perm, lock=lock)


def access_membership(user, pk, *, perm: str | None = None, lock: bool = False):
    return access_object(user, memberships_visible_to(user), pk, perm=perm, lock=lock)
