from clusterwork.core.access import access_object

from .selectors import people_visible_to


def access_person(user, pk, *, perm: str | None = None, lock: bool = False):
    return access_object(user, people_visible_to(user), pk, perm=perm, lock=lock)
