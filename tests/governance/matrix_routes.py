"""Permission-matrix rows for the governance pages (run by tests/web).

``_governed`` (the setup) puts the science programme under a trust, sets up alpha's board
with a meeting, an agenda item, a decision, an intervention case, a scheme version and a move
of one of alpha's schools to beta, and keeps them on ``w.gov``.
"""

import datetime as dt
from types import SimpleNamespace

from django.utils import timezone

from clusterwork.clusters.models import Programme
from clusterwork.governance import intervention, moves, scheme, services
from tests.factories import TrustFactory
from tests.web.matrix import ALPHA_READ, ALPHA_WRITE, SCIENCE_WRITE, Route, profile

# Trust-level changes (the scheme, triggers, lead heads): the trust's admins only.
TRUST_WRITE = profile(programme_admin=403, coordinator=403, head=403, viewer=403, outsider=404)
# A move names both clusters: seen only by those who see both (alpha and beta).
BOTH_READ = profile(coordinator=404, head=404, viewer=404, outsider=404)


def _governed(w):
    trust = TrustFactory(name="Science Learning Trust")
    Programme.objects.filter(pk=w.science.pk).update(trust=trust)
    w.science.refresh_from_db()
    w.alpha.refresh_from_db()
    board = services.board_create(actor=None, cluster=w.alpha)
    # In the past: the move below does not go on its agenda (it would name beta).
    meeting = services.meeting_create(
        actor=None,
        board=board,
        title="Alpha board",
        starts_at=timezone.now() - dt.timedelta(days=1),
    )
    item = services.item_add(actor=None, meeting=meeting, title="Budget")
    decision = services.decision_record(
        actor=None, board=board, text="Agree the plan", decided_on=timezone.localdate()
    )
    case = intervention.case_open(
        actor=None,
        school=w.schools[0],
        cluster=w.alpha,
        title="Attendance",
        reason="A concern",
    )
    version = scheme.version_create(actor=None, trust=trust)
    move = moves.move_propose(
        actor=None,
        school=w.schools[2],
        from_cluster=w.alpha,
        to_cluster=w.beta,
        effective_on=timezone.localdate() + dt.timedelta(days=60),
    )
    w.gov = SimpleNamespace(
        trust=trust,
        board=board,
        meeting=meeting,
        item=item,
        decision=decision,
        case=case,
        version=version,
        move=move,
    )


def _alpha(w):
    return {"pk": w.alpha.pk}


def _board(w):
    return {"pk": w.gov.board.pk}


def _meeting(w):
    return {"pk": w.gov.meeting.pk}


def _trust(w):
    return {"pk": w.gov.trust.pk}


ROUTES = [
    Route("governance:home", setup=_governed),
    Route("governance:cluster_board", kwargs=_alpha, expect=ALPHA_READ),
    Route(
        "governance:cluster_board",
        kwargs=_alpha,
        expect=ALPHA_WRITE,
        method="post",
        ok=302,
        data=lambda w: {"quorum_rule": "half"},
        label="cluster_board-create",
    ),
    Route("governance:board_detail", kwargs=_board, expect=ALPHA_READ, setup=_governed),
    Route("governance:board_edit", kwargs=_board, expect=ALPHA_WRITE, setup=_governed),
    Route("governance:member_new", kwargs=_board, expect=ALPHA_WRITE, setup=_governed),
    Route("governance:meeting_new", kwargs=_board, expect=ALPHA_WRITE, setup=_governed),
    Route("governance:decision_new", kwargs=_board, expect=ALPHA_WRITE, setup=_governed),
    Route(
        "governance:decision_detail",
        kwargs=lambda w: {"pk": w.gov.decision.pk},
        expect=ALPHA_READ,
        setup=_governed,
    ),
    Route("governance:meeting_detail", kwargs=_meeting, expect=ALPHA_READ, setup=_governed),
    Route(
        "governance:meeting_detail",
        kwargs=_meeting,
        expect=ALPHA_WRITE,
        setup=_governed,
        method="post",
        ok=302,
        label="meeting_detail-attendance",
        data=lambda w: {
            "action": "attendance",
            "person": w.users.head.person.pk,
            "status": "present",
        },
    ),
    Route(
        "governance:meeting_minutes",
        kwargs=lambda w: {"pk": w.gov.meeting.pk, "fmt": "html"},
        expect=ALPHA_READ,
        setup=_governed,
    ),
    Route("governance:lead_head_new", kwargs=_alpha, expect=TRUST_WRITE, setup=_governed),
    Route("governance:lgb_edit", kwargs=_alpha, expect=ALPHA_WRITE, setup=_governed),
    Route("governance:lgb_agreement_new", kwargs=_alpha, expect=ALPHA_WRITE, setup=_governed),
    Route("governance:move_new", kwargs=_alpha, expect=SCIENCE_WRITE, setup=_governed),
    Route(
        "governance:move_detail",
        kwargs=lambda w: {"pk": w.gov.move.pk},
        expect=BOTH_READ,
        setup=_governed,
    ),
    Route("governance:scheme", kwargs=_trust, expect=ALPHA_READ, setup=_governed),
    Route(
        "governance:scheme",
        kwargs=_trust,
        expect=ALPHA_READ,
        setup=_governed,
        data=lambda w: {"school": w.schools[0].urn, "area": "admissions"},
        label="scheme-lookup",
    ),
    Route(
        "governance:scheme_version",
        kwargs=lambda w: {"pk": w.gov.version.pk},
        expect=ALPHA_READ,
        setup=_governed,
    ),
    Route("governance:intervention", kwargs=_trust, expect=ALPHA_READ, setup=_governed),
    Route(
        "governance:case_detail",
        kwargs=lambda w: {"pk": w.gov.case.pk},
        expect=ALPHA_READ,
        setup=_governed,
    ),
]
