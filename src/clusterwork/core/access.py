"""Fetch-and-authorise in one call (the pattern of zulip's ``access_user_group_by_id``).

Every page and API endpoint gets its objects through an ``access_<type>`` helper built on
``access_object``: a user who may not see the object gets 404 (never a hint that it exists);
a user who may see it but not change it gets 403 when asking to write.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404


def access_object(user, visible_queryset, pk, *, change_perm: str, for_write: bool = False):
    """Return the object with ``pk`` from ``visible_queryset`` (already scoped to ``user``).

    With ``for_write`` the row is locked (SELECT … FOR UPDATE, inside a transaction) so two
    writers cannot interleave, and ``change_perm`` is checked through the rules backend.
    """
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404("No such object.") from None
    queryset = visible_queryset.filter(pk=pk)
    if for_write and transaction.get_connection().in_atomic_block:
        queryset = queryset.select_for_update(of=("self",))
    obj = queryset.first()
    if obj is None:
        raise Http404("No such object.")
    if for_write and not user.has_perm(change_perm, obj):
        raise PermissionDenied("You may see this but not change it.")
    return obj


def require_perm(user, perm: str, obj) -> None:
    """403 for a user who may see ``obj`` (already fetched through an access helper) but not
    do ``perm`` to it."""
    if not user.has_perm(perm, obj):
        raise PermissionDenied("You may see this but not change it.")
