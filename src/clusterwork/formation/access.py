"""Access helpers for formation runs: 404 if the user may not see the run's programme (or
trust), 403 if they may see it but not change it."""

from clusterwork.core.access import access_object

from .selectors import runs_visible_to


def access_run(user, pk, *, for_write: bool = False):
    return access_object(
        user,
        runs_visible_to(user),
        pk,
        change_perm="formation.change_formationrun",
        for_write=for_write,
    )
