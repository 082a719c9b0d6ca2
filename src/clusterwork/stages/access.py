from clusterwork.core.access import access_object

from .selectors import applications_visible_to


def access_application(user, pk, *, perm: str | None = None, lock: bool = False):
    return access_object(user, applications_visible_to(user), pk, perm=perm, lock=lock)
