from clusterwork.core.access import access_object, require_perm

from .selectors import deliveries_visible_to, packages_visible_to


def access_package(user, pk, *, perm: str | None = None, lock: bool = False):
    return access_object(user, packages_visible_to(user), pk, perm=perm, lock=lock)


def access_delivery(user, pk, *, perm: str | None = None, lock: bool = False):
    """A delivery, seen with its package; ``perm`` is checked on the package (who may log
    deliveries may withdraw one)."""
    delivery = access_object(user, deliveries_visible_to(user), pk, lock=lock)
    if perm:
        require_perm(user, perm, delivery.package)
    return delivery
