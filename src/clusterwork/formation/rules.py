"""Object permissions for forming clusters. Runs, proposals and what-if pages show every
school of a selection and where it would go, so they are for those who may change the
clusters of the programme (or, for a run without one, the trust) they are for."""

import rules

from clusterwork.people.rules import asks
from clusterwork.people.scopes import scope_for


@rules.predicate
def changes_run_clusters(user, run):
    if run is None:
        return False
    scope = scope_for(user)
    if run.programme_id:
        return scope.can_change_programme(run.programme)
    return run.trust is not None and scope.can_change_trust(run.trust)


rules.add_perm("formation.form_clusters", asks("can_change_programme"))
rules.add_perm("formation.view_formationrun", changes_run_clusters)
rules.add_perm("formation.change_formationrun", changes_run_clusters)
