"""Fetch-and-authorise in one call (the pattern of zulip's ``access_user_group_by_id``).

Every page and API endpoint gets its objects through an ``access_<thing>`` helper built on
``access_object``:

- a user who may not see the object gets **404**, the same answer as for an object that does
  not exist, so an outsider never learns that it does;
- ``perm`` names the permission the caller needs for what it is about to do (change it, add
  to it, decide it); a user who may see the object but lacks ``perm`` gets **403**;
- ``lock=True`` takes a row lock (SELECT … FOR UPDATE) for the write that follows. A lock only
  means something inside a transaction, so asking for one outside a transaction is a
  programming error and says so, rather than silently locking nothing.
"""

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import transaction
from django.http import Http404

REFUSED = "You may see this but not change it."
# The largest id a database key holds (a signed 64-bit integer): a bigger one names nothing,
# and handed to SQLite it would overflow (a 500) instead of answering 404.
MAX_ID = 2**63 - 1


def access_object(user, visible_queryset, pk, *, perm: str | None = None, lock: bool = False):
    """The object with ``pk`` from ``visible_queryset`` (already scoped to ``user``)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404("No such object.") from None
    if not 0 < pk <= MAX_ID:
        raise Http404("No such object.")
    queryset = visible_queryset.filter(pk=pk)
    if lock:
        if not transaction.get_connection(queryset.db).in_atomic_block:
            raise ImproperlyConfigured(
                "access_object(lock=True) outside a transaction locks nothing: run the view or "
                "service in transaction.atomic() (ServiceFormView does)."
            )
        queryset = queryset.select_for_update(of=("self",))
    obj = queryset.first()
    if obj is None:
        raise Http404("No such object.")
    if perm:
        require_perm(user, perm, obj)
    return obj


def require_perm(user, perm: str, obj, message: str = REFUSED) -> None:
    """403 for a user who may see ``obj`` (already fetched through an access helper) but not
    do ``perm`` to it."""
    if not user.has_perm(perm, obj):
        raise PermissionDenied(message)
