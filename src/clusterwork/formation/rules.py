"""Object permissions for formation runs: they follow the programme (or trust) they are for."""

import rules

from clusterwork.people.scopes import scope_for


@rules.predicate
def can_view_run(user, run):
    if run is None:
        return False
    scope = scope_for(user)
    if run.programme_id:
        return scope.can_view_programme(run.programme)
    return scope.is_superuser or run.trust_id in scope.trusts_read


@rules.predicate
def can_change_run(user, run):
    if run is None:
        return False
    scope = scope_for(user)
    if run.programme_id:
        return scope.can_change_programme(run.programme)
    return scope.is_superuser or run.trust_id in scope.trusts_admin


rules.add_perm("formation.view_formationrun", can_view_run)
rules.add_perm("formation.change_formationrun", can_change_run)
