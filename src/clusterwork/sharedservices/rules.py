"""Who runs shared services and deployments.

A cluster-level service or a deployment: whoever may change the cluster (its coordinator —
the lead headteacher of a cluster board —, the programme's or the trust's admins) and the
finance officer of its programme or trust. A trust-level service: the programme's or the
trust's admins and finance officer. Everyone who sees the cluster (or the programme) sees its
services, splits and statements.
"""

import rules

from clusterwork.people.models import Role
from clusterwork.people.scopes import scope_for


def _programme(obj):
    if getattr(obj, "_meta", None) and obj._meta.model_name == "programme":
        return obj
    return obj.programme


def _cluster(obj):
    """The cluster a cluster-level object belongs to (None for a trust-level service)."""
    if getattr(obj, "_meta", None) and obj._meta.model_name == "cluster":
        return obj
    if getattr(obj, "_meta", None) and obj._meta.model_name == "programme":
        return None
    return obj.cluster


def _finance_officer(scope, programme) -> bool:
    return scope.holds(Role.FINANCE_OFFICER, programme) or (
        programme.trust_id is not None
        and programme.trust_id in scope.ids("trust", roles=[Role.FINANCE_OFFICER])
    )


@rules.predicate
def manages_service(user, obj):
    if obj is None:
        return False
    scope = scope_for(user)
    cluster, programme = _cluster(obj), _programme(obj)
    if cluster is not None and scope.can_change_cluster(cluster):
        return True
    return scope.can_change_programme(programme) or _finance_officer(scope, programme)


@rules.predicate
def manages_deployment(user, obj):
    if obj is None:
        return False
    cluster = _cluster(obj)
    if cluster is None:
        return False
    scope = scope_for(user)
    return scope.can_change_cluster(cluster) or _finance_officer(scope, cluster.programme)


rules.add_perm("sharedservices.manage_service", manages_service)
rules.add_perm("sharedservices.manage_deployment", manages_deployment)
