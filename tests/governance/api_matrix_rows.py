"""API permission-matrix rows for /api/v1/governance/ (collected by tests/api)."""

import datetime as dt
from types import SimpleNamespace
from urllib.parse import urlencode

from django.utils import timezone

from clusterwork.clusters.models import Programme
from clusterwork.governance import scheme, services
from tests.api.test_permissions import SEE_ALPHA, SIGNED_IN, Row, change_alpha
from tests.factories import TrustFactory


class WithQuery(str):
    """A route whose URL carries a query string: the matrix keys the row by the path (as the
    schema names it) and requests ``path?query`` (the query built from the world)."""

    def __new__(cls, path, query):
        route = super().__new__(cls, path)
        route.query = query
        return route

    def format(self, *args, **kwargs):
        return str.format(self, *args, **kwargs) + "?" + urlencode(self.query(kwargs["world"]))


def _board(w):
    board = services.board_create(actor=None, cluster=w.alpha)
    meeting = services.meeting_create(
        actor=None, board=board, title="Alpha board", starts_at=timezone.now()
    )
    item = services.item_add(actor=None, meeting=meeting, title="Budget")
    motion = services.motion_propose(actor=None, item=item, text="Approve")
    head = w.users.head.person
    services.attendance_record(actor=None, meeting=meeting, person=head, status="present")
    w.gov_api = SimpleNamespace(board=board, meeting=meeting, motion=motion, head=head)
    return w.gov_api


def _schemed(w):
    trust = TrustFactory(name="Science Learning Trust")
    Programme.objects.filter(pk=w.science.pk).update(trust=trust)
    cells = {(a.key, "trust_board"): "D" for a in scheme.areas()}
    version = scheme.version_create(actor=None, trust=trust, cells=cells)
    scheme.version_approve(actor=None, version=version, approved_on=dt.date(2024, 9, 1))
    return {"world": w}


ROWS = [
    Row("GET", "/governance/boards/", SIGNED_IN),
    Row(
        "GET",
        "/governance/boards/{board_id}/members",
        SEE_ALPHA,
        lambda w: {"board_id": _board(w).board.pk},
    ),
    Row("GET", "/governance/meetings/", SIGNED_IN),
    Row(
        "POST",
        "/governance/meetings/",
        change_alpha(201),
        lambda w: {"board": _board(w)},
        body=lambda w: {
            "board": w.gov_api.board.pk,
            "title": "Spring",
            "starts_at": timezone.now().isoformat(),
        },
    ),
    Row(
        "GET",
        "/governance/meetings/{meeting_id}/attendance",
        SEE_ALPHA,
        lambda w: {"meeting_id": _board(w).meeting.pk},
    ),
    Row(
        "POST",
        "/governance/meetings/{meeting_id}/attendance",
        change_alpha(200),
        lambda w: {"meeting_id": _board(w).meeting.pk},
        body=lambda w: {"person": w.gov_api.head.pk, "status": "remote"},
    ),
    Row(
        "GET",
        "/governance/meetings/{meeting_id}/votes",
        SEE_ALPHA,
        lambda w: {"meeting_id": _board(w).meeting.pk},
    ),
    Row(
        "POST",
        "/governance/meetings/{meeting_id}/votes",
        change_alpha(200),
        lambda w: {"meeting_id": _board(w).meeting.pk},
        body=lambda w: {
            "motion": w.gov_api.motion.pk,
            "person": w.gov_api.head.pk,
            "choice": "for",
        },
    ),
    Row("GET", "/governance/delegation/", SIGNED_IN),
    Row(
        "GET",
        WithQuery(
            "/governance/delegation/who-decides",
            lambda w: {"school": w.schools[0].urn, "area": "admissions"},
        ),
        SEE_ALPHA,
        _schemed,
    ),
    Row("GET", "/governance/cases/", SIGNED_IN),
]
