from clusterwork.core.access import access_object

from .selectors import applications_visible_to


def access_application(user, pk, *, for_write: bool = False):
    return access_object(
        user,
        applications_visible_to(user),
        pk,
        change_perm="stages.decide_application",
        for_write=for_write,
    )
