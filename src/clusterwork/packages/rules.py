"""Who agrees packages, keeps the catalogue and logs deliveries.

- the programme (its admins, or the trust's that runs it) keeps the catalogue, agrees and
  renegotiates packages and records schools' membership;
- a development manager (of the programme — their caseload — or of the one cluster) logs
  deliveries, as the programme may;
- whoever sees the cluster sees its package (the pages ask ``access_package``).
"""

import rules

from clusterwork.people.models import Role
from clusterwork.people.rules import asks
from clusterwork.people.scopes import scope_for


def programme(obj):
    """The programme itself, or a cluster's or package's programme."""
    if obj._meta.model_name == "programme":
        return obj
    return obj.programme if hasattr(obj, "programme_id") else obj.cluster.programme


@rules.predicate
def manages_delivery(user, package):
    if package is None:
        return False
    scope = scope_for(user)
    return scope.holds(Role.DEVELOPMENT_MANAGER, package.programme) or scope.holds(
        Role.DEVELOPMENT_MANAGER, package.cluster
    )


changes_programme = asks("can_change_programme", of=programme)
rules.add_perm("packages.manage_catalogue", changes_programme)
rules.add_perm("packages.agree_package", changes_programme)
rules.add_perm("packages.record_membership", changes_programme)
rules.add_perm("packages.log_delivery", changes_programme | manages_delivery)
