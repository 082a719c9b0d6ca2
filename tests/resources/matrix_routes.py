"""Permission-matrix rows for the shared-resources pages (run by tests/web)."""

from clusterwork.resources import services
from tests.web.matrix import ALPHA_READ, ALPHA_WRITE, Route

from .helpers import book, days, themed_box


def _box(w):
    if not hasattr(w, "box"):
        w.box = themed_box(w, with_photo=True)
    return w.box


def _booked(w):
    w.booked = book(_box(w), w.schools[1], days(0), days(7))
    return w.booked


def _lent(w):
    w.lent = book(_box(w), w.schools[2], days(0), days(3))
    services.loan_check_out(actor=None, loan=w.lent)
    return w.lent


def _alpha(w):
    return {"pk": w.alpha.pk}


ROUTES = [
    Route("resources:cluster_resources", kwargs=_alpha, expect=ALPHA_READ, setup=_lent),
    Route("resources:resource_new", kwargs=_alpha, expect=ALPHA_WRITE),
    Route(
        "resources:resource_detail",
        kwargs=lambda w: {"pk": w.box.pk},
        expect=ALPHA_READ,
        setup=_lent,
    ),
    # A photo is a download, not a page (the content test reads pages): signed-out visitors
    # are sent to sign in, and the tests in test_resources check who may fetch it.
    Route(
        "resources:resource_photo",
        kwargs=lambda w: {"pk": w.box.pk},
        expect={**ALPHA_READ, "anonymous": 302},
        setup=_box,
    ),
    Route(
        "resources:loan_checkout",
        kwargs=lambda w: {"pk": w.booked.pk},
        expect=ALPHA_WRITE,
        method="post",
        ok=302,
        setup=_booked,
    ),
    Route(
        "resources:loan_return",
        kwargs=lambda w: {"pk": w.lent.pk},
        expect=ALPHA_WRITE,
        method="post",
        ok=302,
        data=lambda w: {"condition": "good"},
        setup=_lent,
    ),
    Route(
        "resources:loan_cancel",
        kwargs=lambda w: {"pk": w.booked.pk},
        expect=ALPHA_WRITE,
        method="post",
        ok=302,
        data=lambda w: {"reason": "trip cancelled"},
        setup=_booked,
    ),
]
