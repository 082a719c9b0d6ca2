"""Who may see and run boards, the scheme of delegation, intervention and moves.

A cluster board follows its cluster: whoever sees the cluster sees its board, whoever
changes the cluster (and the board's clerk) runs it. The trust board, the scheme, triggers
and partners follow the trust: seen by anyone reaching one of the trust's programmes,
changed by the trust's admins.
"""

import rules

from clusterwork.clusters.models import Programme
from clusterwork.people.rules import asks
from clusterwork.people.scopes import scope_for

from .models import Board, BoardMember, Capacity


def trust_of(obj):
    """The trust an object belongs to (a trust, a board, a version, a rule, a cluster)."""
    if obj is None:
        return None
    label = obj._meta.label_lower
    if label == "schools.trust":
        return obj
    if label == "clusters.cluster":
        return obj.programme.trust
    if getattr(obj, "trust_id", None):
        return obj.trust
    cluster = getattr(obj, "cluster", None)
    if cluster is not None:
        return cluster.programme.trust
    return None


def sees_trust(user, trust) -> bool:
    if trust is None:
        return False
    scope = scope_for(user)
    if scope.is_superuser or trust.pk in scope.ids("trust"):
        return True
    return Programme.objects.filter(scope.programme_filter(), trust=trust).exists()


def board_of(obj):
    for path in ("board", "meeting.board", "item.meeting.board", "motion.item.meeting.board"):
        target = obj
        for part in path.split("."):
            target = getattr(target, part, None)
        if isinstance(target, Board):
            return target
    return obj if isinstance(obj, Board) else None


def sees_trust_board(user, trust) -> bool:
    """The trust board (its members are every cluster's lead): those who hold a role for the
    trust itself or for one of its programmes, not a cluster's or a school's people."""
    scope = scope_for(user)
    if scope.is_superuser or trust.pk in scope.ids("trust"):
        return True
    return trust.programmes.filter(pk__in=scope.ids("programme")).exists()


@rules.predicate
def is_clerk(user, obj):
    board = board_of(obj)
    person = getattr(user, "person", None) if user.is_authenticated else None
    if board is None or person is None:
        return False
    return (
        BoardMember.objects.current()
        .filter(board=board, person=person, capacity=Capacity.CLERK)
        .exists()
    )


@rules.predicate
def can_view_board(user, obj):
    board = board_of(obj)
    if board is None:
        return False
    if is_clerk(user, board):
        return True
    if board.cluster_id is not None:
        return scope_for(user).can_view_cluster(board.cluster)
    return sees_trust_board(user, board.trust)


@rules.predicate
def changes_body(user, obj):
    board = board_of(obj)
    if board is None:
        return False
    scope = scope_for(user)
    if board.cluster_id is not None:
        return scope.can_change_cluster(board.cluster)
    return scope.can_change_trust(board.trust)


@rules.predicate
def changes_trust(user, obj):
    trust = trust_of(obj)
    return trust is not None and scope_for(user).can_change_trust(trust)


@rules.predicate
def views_trust(user, obj):
    return sees_trust(user, trust_of(obj))


@rules.predicate
def changes_case_cluster(user, case):
    cluster = getattr(case, "cluster", None)
    return cluster is not None and scope_for(user).can_change_cluster(cluster)


@rules.predicate
def changes_programme_of(user, obj):
    cluster = getattr(obj, "from_cluster", None) or getattr(obj, "cluster", None) or obj
    programme = getattr(cluster, "programme", None)
    return programme is not None and scope_for(user).can_change_programme(programme)


rules.add_perm("governance.set_up_board", asks("can_change_cluster"))
rules.add_perm("governance.view_board", can_view_board)
rules.add_perm("governance.run_board", changes_body | is_clerk)
rules.add_perm("governance.configure_board", changes_body)
rules.add_perm("governance.appoint_lead_head", changes_trust)
rules.add_perm("governance.view_scheme", views_trust)
rules.add_perm("governance.manage_scheme", changes_trust)
rules.add_perm("governance.manage_triggers", changes_trust)
rules.add_perm("governance.manage_case", changes_case_cluster)
rules.add_perm("governance.propose_move", changes_programme_of)
