from clusterwork.core.access import access_object, require_perm

from .selectors import loans_visible_to, resources_visible_to


def access_resource(user, pk, *, perm: str | None = None, lock: bool = False):
    return access_object(user, resources_visible_to(user), pk, perm=perm, lock=lock)


def access_loan(user, pk, *, perm: str | None = None, lock: bool = False):
    """A loan, seen with its item. ``resources.lend_resource`` is checked on the item;
    ``resources.cancel_loan`` on the loan."""
    loan = access_object(user, loans_visible_to(user), pk, lock=lock)
    if perm:
        require_perm(user, perm, loan.resource if perm == "resources.lend_resource" else loan)
    return loan
