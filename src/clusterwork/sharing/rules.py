"""Who may add to, change and moderate a cluster's sharing (see ``audience`` for the rules
of who takes part). Coaching notes are not a permission: only the coach and coachees ever
read them (``selectors.can_read_notes``), whoever else holds what."""

import rules

from clusterwork.people.rules import asks
from clusterwork.people.scopes import scope_for

from . import audience


def _cluster(obj):
    return getattr(obj, "cluster", None) or obj


@rules.predicate
def contributes(user, obj):
    """To a cluster, or to what belongs to one; to a programme's coordinator threads."""
    if obj is None:
        return False
    if obj._meta.model_name == "programme":
        return audience.contributes_to_programme(user, obj)
    if obj._meta.model_name == "thread":
        if obj.cluster_id is None:
            return audience.contributes_to_programme(user, obj.programme)
        return audience.contributes_to_cluster(user, obj.cluster)
    return audience.contributes_to_cluster(user, _cluster(obj))


@rules.predicate
def moderates(user, obj):
    """The cluster coordinator (or the programme) for a cluster's items, threads and posts;
    the programme's admins for a programme's threads."""
    if obj is None:
        return False
    scope = scope_for(user)
    if obj._meta.model_name == "post":
        obj = obj.thread
    if obj._meta.model_name == "programme":
        return scope.can_change_programme(obj)
    if obj._meta.model_name == "thread" and obj.cluster_id is None:
        return scope.can_change_programme(obj.programme)
    return scope.can_change_cluster(_cluster(obj))


@rules.predicate
def is_author(user, obj):
    person = audience.person_of(user)
    return person is not None and getattr(obj, "author_id", None) == person.pk


@rules.predicate
def has_a_school(user, obj):
    return audience.my_schools(user).exists()


@rules.predicate
def takes_part(user, coaching):
    person = audience.person_of(user)
    return person is not None and any(m.person_id == person.pk for m in coaching.members.all())


@rules.predicate
def manages_partners(user, obj):
    if obj is None:
        return False
    scope = scope_for(user)
    if obj._meta.model_name == "programme":
        return scope.can_change_programme(obj)
    if obj._meta.model_name == "partner":
        if obj.cluster_id is None:
            return scope.can_change_programme(obj.programme)
        return scope.can_change_cluster(obj.cluster)
    return scope.can_change_cluster(obj)


rules.add_perm("sharing.add_item", contributes)
rules.add_perm("sharing.change_item", is_author | moderates)
rules.add_perm("sharing.mark_item_used", has_a_school)
rules.add_perm("sharing.start_thread", contributes)
rules.add_perm("sharing.reply_thread", contributes)
rules.add_perm("sharing.moderate_thread", moderates)
rules.add_perm("sharing.withdraw_post", is_author | moderates)
rules.add_perm("sharing.arrange_coaching", asks("can_change_cluster", of=_cluster))
rules.add_perm("sharing.read_programme_threads", rules.predicate(audience.reads_programme_threads))
rules.add_perm("sharing.log_coaching_session", takes_part)
rules.add_perm("sharing.manage_partners", manages_partners)
