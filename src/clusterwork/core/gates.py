"""Gates: checks another app puts on a write it does not own.

An approval may need more than the owning app knows. The cluster's claims are approved in
``funding``, but the scheme of delegation (``governance``) may say that a claim above a
threshold needs a recorded decision first. The owning service asks every gate registered for
its step, and a gate refuses by raising ``ServiceError`` with the reason::

    # funding/services.py, inside the approval's transaction
    gates.check("funding.approve_claim", claim=claim, amount_pence=claim.amount_pence,
                school=claim.school, cluster=claim.cluster, on=day, actor=actor)

    # governance/apps.py, in ready()
    gates.register("funding.approve_claim", threshold_decision_recorded)

So neither app imports the other: both depend on core only, and a trust without governance
simply has no gate. Gate names follow the permission of the step they guard.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

_GATES: dict[str, list[Callable]] = defaultdict(list)


def register(step: str, gate: Callable) -> None:
    """``gate(**facts)`` runs before ``step``; it returns nothing or raises ServiceError."""
    if gate not in _GATES[step]:
        _GATES[step].append(gate)


def check(step: str, **facts) -> None:
    """Ask every gate of ``step``; the first refusal stops the write."""
    for gate in _GATES[step]:
        gate(**facts)


def gates_for(step: str) -> list[Callable]:
    return list(_GATES[step])
