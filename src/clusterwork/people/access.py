from clusterwork.core.access import access_object

from .selectors import people_visible_to


def access_person(user, pk, *, for_write: bool = False):
    return access_object(
        user, people_visible_to(user), pk, change_perm="people.change_person", for_write=for_write
    )
