"""Object permissions for people and role assignments (django-rules)."""

import rules

from .scopes import scope_for


@rules.predicate
def can_view_person(user, person):
    return person is not None and scope_for(user).can_view_person(person)


@rules.predicate
def can_change_person(user, person):
    return person is not None and scope_for(user).can_change_person(person)


@rules.predicate
def can_appoint_for(user, scope_object):
    """Give or end roles held for ``scope_object`` (a programme, trust, cluster or school)."""
    return scope_object is not None and scope_for(user).can_appoint_for(scope_object)


rules.add_perm("people.view_person", can_view_person)
rules.add_perm("people.change_person", can_change_person)
rules.add_perm("people.assign_role", can_appoint_for)
