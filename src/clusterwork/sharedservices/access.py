"""Fetch-and-authorise for shared services and deployments (404 when unseen)."""

from clusterwork.core.access import access_object

from .selectors import deployments_visible_to, services_visible_to


def access_service(user, pk, *, perm: str | None = None, lock: bool = False):
    return access_object(user, services_visible_to(user), pk, perm=perm, lock=lock)


def access_deployment(user, pk, *, perm: str | None = None, lock: bool = False):
    return access_object(user, deployments_visible_to(user), pk, perm=perm, lock=lock)
