from django.shortcuts import get_object_or_404

from clusterwork.core.access import access_object, require_perm

from .models import RoleAssignment
from .selectors import ROLE_SCOPE_RELATIONS, people_visible_to


def access_person(user, pk, *, perm: str | None = None, lock: bool = False):
    return access_object(user, people_visible_to(user), pk, perm=perm, lock=lock)


def access_role_to_end(user, person, pk):
    """One of ``person``'s roles, to end: 404 if it is not theirs, 403 unless the user may
    assign roles for its scope."""
    assignment = get_object_or_404(
        RoleAssignment.objects.select_related(*ROLE_SCOPE_RELATIONS), pk=pk, person=person
    )
    require_perm(user, "people.assign_role", assignment.scope, "You may not end roles for that.")
    return assignment
