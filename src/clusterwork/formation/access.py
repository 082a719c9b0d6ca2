"""Access helpers for formation runs: 404 if the user may not see the run's programme (or
trust); 403 if they may see it but not change its clusters — a run shows every school of
the selection and where it would go."""

from clusterwork.core.access import access_object, require_perm

from .selectors import runs_visible_to


def access_run(user, pk, *, perm: str | None = None, lock: bool = False):
    run = access_object(user, runs_visible_to(user), pk, lock=lock)
    require_perm(
        user,
        "formation.view_formationrun",
        run,
        "Formation runs are for those who may change the programme's clusters.",
    )
    if perm:
        require_perm(user, perm, run)
    return run
