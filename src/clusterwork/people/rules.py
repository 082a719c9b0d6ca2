"""Object permissions for people and role assignments, and ``asks``: how every app's rules
ask the user's scope (django-rules)."""

import rules

from .scopes import scope_for


def asks(question: str, *, of=None):
    """A rules predicate answering with the scope's ``question`` (a ``can_…`` method) about
    the object, or about ``of(object)``: the thing it belongs to (a membership's cluster, a
    run's programme). No object, no permission."""

    def predicate(user, obj):
        target = of(obj) if of is not None and obj is not None else obj
        return target is not None and getattr(scope_for(user), question)(target)

    name = f"{question}_of_{of.__name__}" if of is not None else question
    return rules.predicate(predicate, name=name)


rules.add_perm("people.view_person", asks("can_view_person"))
rules.add_perm("people.change_person", asks("can_change_person"))
# Give or end roles held for a programme, trust, cluster or school.
rules.add_perm("people.assign_role", asks("can_appoint_for"))


@rules.predicate
def is_the_person(user, person):
    return person is not None and user.is_authenticated and person.user_id == user.pk


# Personal data rights: a person downloads their own; the data protection officer (a
# superuser) answers subject access and erasure requests for anyone.
rules.add_perm("people.export_personal_data", rules.is_superuser | is_the_person)
rules.add_perm("people.erase_personal_data", rules.is_superuser)
# The audit trail (who changed what): trust and programme admins, for what they run.
rules.add_perm("people.view_audit", asks("can_change_programme"))
