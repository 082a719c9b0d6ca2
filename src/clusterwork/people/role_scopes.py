"""What a role can be held for, as the apps that own those things describe it.

A role is held for a programme, a trust, a cluster or a school, but ``people`` owns none of
them. The owning apps register, in their ``AppConfig.ready()``, how to offer the ones a user
may appoint people for (the role form's picker) and how to find one from the form's value
(``"cluster:12"``, ``"school:<URN>"``)::

    role_scopes.register(role_scopes.RoleScopeKind(
        kind="cluster", label="Clusters", order=20,
        choices=appointable_clusters,      # (user, person) -> [(id, label)]
        find=access_cluster,               # (user, id) -> the object, 404 if unseen
    ))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class RoleScopeKind:
    kind: str  # the RoleAssignment field it fills: "programme", "trust", "cluster", "school"
    label: str  # the picker's group, e.g. "Clusters"
    order: int
    choices: Callable  # (user, person) -> [(ident, label)], what the user may appoint for
    find: Callable  # (user, ident) -> the object; Http404 when the user may not see it


_KINDS: dict[str, RoleScopeKind] = {}


def register(kind: RoleScopeKind) -> None:
    _KINDS[kind.kind] = kind


def kinds() -> list[RoleScopeKind]:
    return sorted(_KINDS.values(), key=lambda k: k.order)


def find(user, kind: str, ident: str):
    """The ``kind`` object ``ident`` names, as ``user`` may see it (Http404 otherwise)."""
    from django.http import Http404

    if kind not in _KINDS:
        raise Http404(f"Roles are not held for a {kind}.")
    return _KINDS[kind].find(user, ident)


def grouped_choices(user, person=None) -> list[tuple[str, list[tuple[str, str]]]]:
    """The role form's picker: ``(group, [("cluster:12", "Alpha (Science)"), …])``."""
    groups = []
    for kind in kinds():
        options = [(f"{kind.kind}:{ident}", label) for ident, label in kind.choices(user, person)]
        if options:
            groups.append((kind.label, options))
    return groups
