"""Access helpers: 404 for users who may not see the object, 403 for those without ``perm``."""

from clusterwork.clusters.access import access_cluster, access_programme
from clusterwork.core.access import access_object, require_perm

from .models import Action, Invitation
from .selectors import events_visible_to


def access_event(user, pk, *, perm: str | None = None, lock: bool = False):
    return access_object(user, events_visible_to(user), pk, perm=perm, lock=lock)


def access_invitation(user, pk, *, perm: str | None = None, lock: bool = False):
    visible = Invitation.objects.filter(event__in=events_visible_to(user).values("id"))
    visible = visible.select_related("event__cluster__programme", "event__programme", "person")
    return access_object(user, visible, pk, perm=perm, lock=lock)


def access_action(user, pk, *, perm: str | None = None, lock: bool = False):
    visible = Action.objects.filter(event__in=events_visible_to(user).values("id"))
    visible = visible.select_related("event__cluster__programme", "event__programme")
    return access_object(user, visible, pk, perm=perm, lock=lock)


def access_cluster_engagement(user, pk, *, perm: str | None = None, lock: bool = False):
    """The cluster's engagement list: 404 when the cluster is invisible, 403 for people who see
    the cluster but not its schools' participation (headteachers), or who lack ``perm``."""
    cluster = access_cluster(user, pk, lock=lock)
    require_perm(
        user,
        "meetings.view_engagement",
        cluster,
        "Only the cluster's coordinators and the programme team see this.",
    )
    if perm:
        require_perm(user, perm, cluster, "You may see this but not send emails for the cluster.")
    return cluster


def access_programme_engagement(user, pk, *, perm: str | None = None, lock: bool = False):
    programme = access_programme(user, pk, lock=lock)
    require_perm(
        user,
        "meetings.view_programme_engagement",
        programme,
        "Only the programme team sees engagement across the programme.",
    )
    if perm:
        require_perm(user, perm, programme)
    return programme
