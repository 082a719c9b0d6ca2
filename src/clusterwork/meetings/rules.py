"""Object permissions for events, invitations and engagement (django-rules).

An event is seen by whoever sees its cluster (or, for programme-wide events, its programme)
and changed by whoever may change that cluster or programme: coordinators and programme admins.
"""

import rules

from clusterwork.people.rules import asks
from clusterwork.people.scopes import scope_for


def _changes_event(user, event) -> bool:
    scope = scope_for(user)
    if event.cluster_id:
        return scope.can_change_cluster(event.cluster)
    return scope.can_change_programme(event.programme)


@rules.predicate
def can_change_event(user, event):
    return event is not None and _changes_event(user, event)


@rules.predicate
def can_change_invitation(user, invitation):
    return invitation is not None and _changes_event(user, invitation.event)


@rules.predicate
def is_invitee(user, invitation):
    return invitation is not None and scope_for(user).person_id == invitation.person_id


@rules.predicate
def can_view_engagement(user, cluster):
    """Coordinators, programme admins and viewers appointed for the cluster or programme.
    Headteachers see their own cluster but not how other schools participate."""
    if cluster is None:
        return False
    scope = scope_for(user)
    return (
        scope.can_change_cluster(cluster)
        or bool(scope.roles_for(cluster))
        or bool(scope.roles_for(cluster.programme))
    )


@rules.predicate
def can_view_programme_engagement(user, programme):
    """The programme's team: whoever holds a role for the programme itself (an admin, a
    viewer) or may change it (the trust that runs it). Coordinators see their own cluster's."""
    if programme is None:
        return False
    scope = scope_for(user)
    return bool(scope.roles_for(programme)) or scope.can_change_programme(programme)


rules.add_perm("meetings.add_event", asks("can_change_cluster"))
rules.add_perm("meetings.add_programme_event", asks("can_change_programme"))
rules.add_perm("meetings.change_event", can_change_event)
rules.add_perm("meetings.change_invitation", can_change_invitation)
rules.add_perm("meetings.rsvp_invitation", is_invitee)
rules.add_perm("meetings.view_engagement", can_view_engagement)
rules.add_perm("meetings.view_programme_engagement", can_view_programme_engagement)
rules.add_perm("meetings.send_engagement_email", asks("can_change_cluster"))
rules.add_perm("meetings.set_engagement_rule", asks("can_change_programme"))
