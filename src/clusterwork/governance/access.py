"""Fetch-and-authorise for governance objects (404 unseen, 403 without ``perm``)."""

from django.db.models import Q

from clusterwork.clusters.models import Programme
from clusterwork.clusters.selectors import clusters_visible_to
from clusterwork.core.access import access_object
from clusterwork.people.scopes import scope_for
from clusterwork.schools.models import Trust

from .models import (
    AgendaItem,
    Board,
    BoardMeeting,
    BoardMember,
    Capacity,
    Decision,
    InterventionCase,
    Motion,
    MoveProposal,
    SchemeVersion,
)


def visible_trusts(user):
    scope = scope_for(user)
    if scope.is_superuser:
        return Trust.objects.all()
    through = Programme.objects.filter(scope.programme_filter()).values("trust_id")
    return Trust.objects.filter(Q(pk__in=scope.ids("trust")) | Q(pk__in=through))


def trust_boards_visible_to(user):
    """Trusts whose board the user sees: a role for the trust or one of its programmes."""
    scope = scope_for(user)
    if scope.is_superuser:
        return Trust.objects.all()
    programmes = Programme.objects.filter(pk__in=scope.ids("programme")).values("trust_id")
    return Trust.objects.filter(Q(pk__in=scope.ids("trust")) | Q(pk__in=programmes))


def clerked_by(user):
    """Boards the user clerks today (a clerk may hold no other role)."""
    if not getattr(user, "is_authenticated", False):
        return BoardMember.objects.none().values("board_id")
    return (
        BoardMember.objects.current()
        .filter(capacity=Capacity.CLERK, person__user=user)
        .values("board_id")
    )


def boards_visible_to(user):
    return Board.objects.filter(
        Q(cluster__in=clusters_visible_to(user))
        | Q(trust__in=trust_boards_visible_to(user))
        | Q(pk__in=clerked_by(user))
    ).select_related("cluster__programme__trust", "trust")


def access_board(user, pk, *, perm=None, lock=False):
    return access_object(user, boards_visible_to(user), pk, perm=perm, lock=lock)


def access_meeting(user, pk, *, perm=None, lock=False):
    visible = BoardMeeting.objects.filter(board__in=boards_visible_to(user)).select_related(
        "board__cluster__programme__trust", "board__trust", "event"
    )
    return access_object(user, visible, pk, perm=perm, lock=lock)


def access_item(user, pk, *, perm=None, lock=False):
    visible = AgendaItem.objects.filter(meeting__board__in=boards_visible_to(user)).select_related(
        "meeting__board__cluster__programme", "meeting__board__trust"
    )
    return access_object(user, visible, pk, perm=perm, lock=lock)


def access_motion(user, pk, *, perm=None, lock=False):
    visible = Motion.objects.filter(
        item__meeting__board__in=boards_visible_to(user)
    ).select_related("item__meeting__board__cluster__programme", "item__meeting__board__trust")
    return access_object(user, visible, pk, perm=perm, lock=lock)


def access_decision(user, pk, *, perm=None, lock=False):
    visible = Decision.objects.filter(board__in=boards_visible_to(user)).select_related(
        "board", "area", "school"
    )
    return access_object(user, visible, pk, perm=perm, lock=lock)


def access_trust(user, pk, *, perm=None, lock=False):
    return access_object(user, visible_trusts(user), pk, perm=perm, lock=lock)


def access_version(user, pk, *, perm=None, lock=False):
    visible = SchemeVersion.objects.filter(trust__in=visible_trusts(user)).select_related(
        "trust", "cluster", "school"
    )
    return access_object(user, visible, pk, perm=perm, lock=lock)


def access_case(user, pk, *, perm=None, lock=False):
    visible = InterventionCase.objects.filter(cluster__in=clusters_visible_to(user)).select_related(
        "school", "cluster__programme__trust", "owner", "rule"
    )
    return access_object(user, visible, pk, perm=perm, lock=lock)


def moves_visible_to(user):
    """A move names both clusters: it is seen by those who see both."""
    clusters = clusters_visible_to(user)
    return MoveProposal.objects.filter(
        from_cluster__in=clusters, to_cluster__in=clusters
    ).select_related("school", "from_cluster__programme", "to_cluster")


def access_move(user, pk, *, perm=None, lock=False):
    visible = moves_visible_to(user)
    return access_object(user, visible, pk, perm=perm, lock=lock)
