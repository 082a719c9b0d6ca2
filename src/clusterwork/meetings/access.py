"""Access helpers: 404 for users who may not see the object, 403 for read-only users."""

from django.core.exceptions import PermissionDenied

from clusterwork.clusters.access import access_cluster, access_programme
from clusterwork.core.access import access_object

from .models import Action, Invitation
from .selectors import events_visible_to


def access_event(user, pk, *, for_write: bool = False):
    return access_object(
        user,
        events_visible_to(user),
        pk,
        change_perm="meetings.change_event",
        for_write=for_write,
    )


def access_invitation(user, pk, *, for_write: bool = False):
    visible = Invitation.objects.filter(event__in=events_visible_to(user).values("id"))
    return access_object(
        user,
        visible.select_related("event__cluster__programme", "event__programme", "person"),
        pk,
        change_perm="meetings.change_invitation",
        for_write=for_write,
    )


def access_action(user, pk, *, for_write: bool = False):
    visible = Action.objects.filter(event__in=events_visible_to(user).values("id"))
    obj = access_object(
        user,
        visible.select_related("event__cluster__programme", "event__programme"),
        pk,
        change_perm="meetings.change_event",
        for_write=False,
    )
    if for_write and not user.has_perm("meetings.change_event", obj.event):
        raise PermissionDenied("You may see this but not change it.")
    return obj


def access_cluster_engagement(user, pk, *, for_write: bool = False):
    """The cluster's engagement list: 404 when the cluster is invisible, 403 for people who see
    the cluster but not its schools' participation (headteachers) or who ask to send."""
    cluster = access_cluster(user, pk)
    if not user.has_perm("meetings.view_engagement", cluster):
        raise PermissionDenied("Only the cluster's coordinators and the programme team see this.")
    if for_write and not user.has_perm("meetings.send_engagement_email", cluster):
        raise PermissionDenied("You may see this but not send emails for the cluster.")
    return cluster


def access_programme_engagement(user, pk):
    programme = access_programme(user, pk)
    if not user.has_perm("meetings.view_programme_engagement", programme):
        raise PermissionDenied("Only the programme team sees engagement across the programme.")
    return programme
