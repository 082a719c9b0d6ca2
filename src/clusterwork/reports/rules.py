"""Who sees which dashboard. A dashboard (and its report, export and map) shows only the
clusters the user may see: these say whether the page opens at all."""

import rules

from clusterwork.people.rules import asks
from clusterwork.people.scopes import scope_for


@rules.predicate
def holds_a_role_for_the_trust(user, trust) -> bool:
    scope = scope_for(user)
    return trust is not None and (scope.is_superuser or trust.pk in scope.ids("trust"))


@rules.predicate
def sees_a_cluster_of_the_school(user, school) -> bool:
    if school is None:
        return False
    from .selectors import visible_memberships_of

    return visible_memberships_of(user, school).exists()


rules.add_perm("reports.view_trust_dashboard", holds_a_role_for_the_trust)
rules.add_perm("reports.view_programme_dashboard", asks("can_view_programme"))
rules.add_perm("reports.view_cluster_dashboard", asks("can_view_cluster"))
rules.add_perm("reports.view_school_dashboard", sees_a_cluster_of_the_school)
