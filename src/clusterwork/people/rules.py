"""Object permissions for people and role assignments (django-rules)."""

import rules

from .scopes import scope_for


@rules.predicate
def can_view_person(user, person):
    return person is not None and scope_for(user).can_view_person(person)


@rules.predicate
def can_change_person(user, person):
    return person is not None and scope_for(user).can_change_person(person)


rules.add_perm("people.view_person", can_view_person)
rules.add_perm("people.change_person", can_change_person)
