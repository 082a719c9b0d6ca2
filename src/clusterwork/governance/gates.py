"""The scheme of delegation as gates on other apps' approvals (``core.gates``).

``funding`` asks ``"funding.approve_claim"`` before approving a claim and
``sharedservices`` asks ``"sharedservices.agree_service"`` before agreeing a service. When
the scheme routes the decision to a board (above a threshold, or always), the approval is
refused until that board's decision about that very claim or service is recorded.
"""

from __future__ import annotations

from clusterwork.core.dates import day_text
from clusterwork.core.errors import ServiceError
from clusterwork.core.gates import register

from . import scheme
from .models import Board, Decision, Level


def subject_key(obj, fallback: str) -> str:
    """``"<app_label>.<model>:<pk>"``: how a decision names what it decides."""
    meta = getattr(obj, "_meta", None)
    label = meta.label_lower if meta is not None else fallback
    return f"{label}:{getattr(obj, 'pk', None)}"


def _boards_for(level: str, trust, cluster):
    if level == Level.CLUSTER_BOARD:
        return (
            Board.objects.filter(cluster=cluster) if cluster is not None else Board.objects.none()
        )
    return Board.objects.filter(trust=trust)


def require_decision(
    *,
    step: str,
    subject,
    fallback: str,
    on,
    school=None,
    cluster=None,
    amount_pence: int | None = None,
    what: str,
) -> None:
    area = scheme.STEP_AREAS[step]
    answer = scheme.who_decides(
        area, on=on, school=school, cluster=cluster, amount_pence=amount_pence
    )
    if answer is None or not answer.needs_board_decision:
        return
    trust, cluster = scheme.trust_and_cluster(school, cluster, on)
    key = subject_key(subject, fallback)
    decided = Decision.objects.filter(
        subject_key=key,
        level=answer.level,
        board__in=_boards_for(answer.level, trust, cluster),
        decided_on__lte=on,
    )
    if decided.exists():
        return
    body = Level(answer.level).label.lower()
    if answer.level == Level.CLUSTER_BOARD and cluster is not None:
        body = f"the {cluster} cluster board"
    raise ServiceError(
        f"The scheme of delegation says {body} must decide {what}, and no decision of it is "
        f"recorded by {day_text(on)}. Rule: {answer.why}"
    )


def approve_claim_gate(
    *, claim=None, amount_pence=None, school=None, cluster=None, on=None, actor=None, **facts
) -> None:
    require_decision(
        step="funding.approve_claim",
        subject=claim,
        fallback="funding.claim",
        on=on,
        school=school,
        cluster=cluster,
        amount_pence=amount_pence,
        what=f"this claim ({scheme.pounds(amount_pence or 0)})",
    )


def agree_service_gate(
    *, service=None, cluster=None, annual_cost_pence=None, on=None, actor=None, **facts
) -> None:
    require_decision(
        step="sharedservices.agree_service",
        subject=service,
        fallback="sharedservices.service",
        on=on,
        cluster=cluster,
        amount_pence=annual_cost_pence,
        what=f"this shared service ({scheme.pounds(annual_cost_pence or 0)} a year)",
    )


def register_gates() -> None:
    register("funding.approve_claim", approve_claim_gate)
    register("sharedservices.agree_service", agree_service_gate)
